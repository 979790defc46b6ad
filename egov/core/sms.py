"""Text messages (SMS): one small interface, a backend per provider.

``send_sms(mobile, text)`` hands the message to the backend named by ``EGOV_SMS["BACKEND"]``.
The default backend, ``FileLogBackend``, sends nothing: it appends one JSON line per message
to ``EGOV_SMS["LOG_FILE"]`` (the number masked), so a deployment without a provider contract
still records what would have been sent. A provider's backend is a class with
``send(mobile, text)`` that raises on failure (decision 0013).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .masking import mask

_lock = threading.Lock()


class FileLogBackend:
    """Write each message as a JSON line to a log file instead of sending it."""

    def __init__(self, log_file: str | Path):
        self.path = Path(log_file)

    def send(self, mobile: str, text: str) -> None:
        line = json.dumps(
            {"at": timezone.now().isoformat(), "to": mask("mobile", mobile), "text": text},
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def backend():
    options = dict(settings.EGOV_SMS)
    cls = import_string(options.pop("BACKEND"))
    return cls(**{key.lower(): value for key, value in options.items()})


def send_sms(mobile: str, text: str) -> None:
    backend().send(mobile, text)
