"""Shared fixtures of the exchange tests.

- ``exchange`` — a combined-zone exchange whose keys, trust store, attachment store and spool
  live under ``tmp_path`` (EGOV_EXCHANGE overridden; the key cache follows). Gives paths and
  helpers: ``exchange.signer`` (this zone's key), ``exchange.trust(signer, zone)`` (add a
  key to trusted.json), ``exchange.zone(name)`` (switch EGOV_ZONE).
- ``message_types`` — registers the test message types below and unregisters them after.
  Their handler writes a durable **effect**: an audit entry with action
  ``exchange.test.effect`` whose ``object_id`` is the message id and whose detail holds the
  key, seq and payload. Count effects with ``effects()`` (or ``effect_count()``): rows in a
  real table, so they survive crashes and roll back with the apply's transaction, which
  lets a test tell "applied once" from "applied twice".

  ======================  ====================  =============================================
  type                    direction             notes
  ======================  ====================  =============================================
  ``test.effect.record``  external → internal   schema: {"n": integer, "note": string},
                                                max_bytes 4096, attachments PDF/text/CSV
  ``test.notice.publish`` internal → external   schema: {"n": integer}, attachments PDF
  ``test.effect.flaky``   external → internal   the handler raises while payload "fail" is
                                                true or ``FLAKY["broken"]`` is set
  ======================  ====================  =============================================

- ``make_envelope(...)`` and ``seal(envelopes, signer)`` build wire bytes directly (for
  hostile input); ``pdf_bytes()`` gives a small real PDF.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from egov.core import audit
from egov.core.models import AuditEntry
from egov.exchange import keys, registry
from egov.exchange.envelope import Attachment, Envelope, seal_batch
from egov.exchange.signing import Ed25519Signer
from egov.exchange.transports import spool

EFFECT = "exchange.test.effect"
FORWARD = "test.effect.record"
BACKWARD = "test.notice.publish"
FLAKY = "test.effect.flaky"
FLAKY_STATE = {"broken": False}

FORWARD_SCHEMA = {
    "type": "object",
    "required": ["n"],
    "properties": {"n": {"type": "integer"}, "note": {"type": "string"}},
    "additionalProperties": False,
}


def record_effect(message) -> None:
    envelope = message.envelope
    audit.record(
        EFFECT,
        object_type=envelope.type,
        object_id=envelope.id,
        detail={
            "key": envelope.key,
            "seq": envelope.seq,
            "payload": envelope.payload,
            "attachments": sorted(message.attachments),
        },
    )


def flaky_effect(message) -> None:
    if FLAKY_STATE["broken"] or message.payload.get("fail"):
        raise RuntimeError("the test handler is broken")
    record_effect(message)


def effects(key: str | None = None) -> list[tuple[str, int]]:
    """(key, seq) of each effect, in the order they were applied."""
    rows = AuditEntry.objects.filter(action=EFFECT).order_by("id").values_list("detail", flat=True)
    found = [(detail["key"], detail["seq"]) for detail in rows]
    return [entry for entry in found if key is None or entry[0] == key]


def effect_count(message_id: str | None = None) -> int:
    rows = AuditEntry.objects.filter(action=EFFECT)
    if message_id is not None:
        rows = rows.filter(object_id=message_id)
    return rows.count()


@pytest.fixture
def message_types():
    types = [
        registry.MessageType(
            name=FORWARD,
            direction=("external", "internal"),
            schema=FORWARD_SCHEMA,
            handler=record_effect,
            max_bytes=4096,
            attachment_types=frozenset({"application/pdf", "text/plain", "text/csv"}),
        ),
        registry.MessageType(
            name=BACKWARD,
            direction=("internal", "external"),
            schema={"type": "object", "required": ["n"]},
            handler=record_effect,
            attachment_types=frozenset({"application/pdf"}),
        ),
        registry.MessageType(
            name=FLAKY,
            direction=("external", "internal"),
            schema={"type": "object"},
            handler=flaky_effect,
        ),
    ]
    for message_type in types:
        registry.register(message_type)
    FLAKY_STATE["broken"] = False
    yield {message_type.name: message_type for message_type in types}
    for message_type in types:
        registry.unregister(message_type.name)
    FLAKY_STATE["broken"] = False


@dataclass
class ExchangeSetup:
    dir: Path
    settings: object  # pytest-django's settings fixture

    @property
    def config(self) -> dict:
        return self.settings.EGOV_EXCHANGE

    @property
    def signer(self) -> Ed25519Signer:
        return keys.signer()

    @property
    def trusted_dir(self) -> Path:
        return Path(self.config["TRUSTED_KEYS_DIR"])

    def zone(self, name: str) -> None:
        """Act as the ``name`` zone (with this zone's signing key, made now if missing)."""
        path = Path(self.config["SIGNING_KEY"])
        if not path.exists():
            keys.create_signing_key(path)
        self.settings.EGOV_ZONE = name

    def configure(self, **changes) -> None:
        self.settings.EGOV_EXCHANGE = {**self.config, **changes}

    def trust(
        self,
        signer: Ed25519Signer,
        zone: str,
        *,
        valid_from: str = "2020-01-01T00:00:00Z",
        valid_until: str | None = None,
    ) -> None:
        """Add ``signer``'s public key to trusted.json for ``zone``."""
        directory = self.trusted_dir
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{zone}-{signer.key_id}.pem"
        (directory / name).write_bytes(signer.public_key_pem())
        listing = directory / keys.TRUSTED_FILE
        entries = json.loads(listing.read_text())["keys"] if listing.exists() else []
        entries.append(
            {"file": name, "zone": zone, "valid_from": valid_from, "valid_until": valid_until}
        )
        listing.write_text(json.dumps({"keys": entries}))


@pytest.fixture
def exchange(tmp_path, settings, message_types):
    """A combined-zone exchange with everything under tmp_path (see the module docstring)."""
    settings.EGOV_ZONE = "combined"
    settings.EGOV_EXCHANGE = {
        **settings.EGOV_EXCHANGE,
        "SIGNING_KEY": str(tmp_path / "keys" / "signing.key"),
        "TRUSTED_KEYS_DIR": str(tmp_path / "trusted"),
        "TRANSPORT": "loopback",
        "SPOOL_DIR": str(tmp_path / "spool"),
        "ATTACHMENT_DIR": str(tmp_path / "blobs"),
        "ARCHIVE_DIR": str(tmp_path / "archive"),
        "BATCH_SIZE": 1000,
        "GAP_ALERT_SECONDS": 3600,
    }
    yield ExchangeSetup(tmp_path, settings)
    keys.reset()


@pytest.fixture
def gap(exchange):
    """A gap directory between two zones of this process: ``gap(zone)`` switches the zone and
    its signing key and returns that zone's side of the gap; each zone trusts the other's
    key."""
    root = Path(exchange.config["SPOOL_DIR"])
    root.mkdir()

    def act(zone: str):
        exchange.configure(SIGNING_KEY=str(exchange.dir / "keys" / f"{zone}.key"))
        exchange.zone(zone)
        return spool.Gap(root, zone)

    for zone in ("internal", "external"):
        act(zone)
        exchange.trust(keys.signer(), zone)
    return act


def make_envelope(
    payload: dict | None = None,
    *,
    type: str = FORWARD,  # noqa: A002
    source_zone: str = "external",
    key: str = "k",
    seq: int = 1,
    attachments: list[tuple[str, str, bytes]] = (),
    classification: str = "",
    created_at: datetime.datetime | None = None,
) -> Envelope:
    return Envelope.new(
        type,
        {"n": 1} if payload is None else payload,
        source_zone=source_zone,
        key=key,
        seq=seq,
        attachments=[
            Attachment.for_bytes(data, name=name, content_type=content_type)
            for name, content_type, data in attachments
        ],
        classification=classification,
        created_at=created_at,
    )


def seal(envelopes: list[Envelope], signer) -> list[bytes]:
    """The wire bytes of ``envelopes`` sealed as one batch by ``signer``."""
    return [envelope.to_bytes() for envelope in seal_batch(envelopes, signer)]


def pdf_bytes(text: str = "egov") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def files_of(*attachments: tuple[str, str, bytes]):
    """An ``attachment`` callable for receive_batch serving these files by SHA-256."""
    import hashlib

    table = {hashlib.sha256(data).hexdigest(): data for _, _, data in attachments}
    return table.get


def no_files(sha256: str):
    return None
