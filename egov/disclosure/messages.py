"""The messages of disclosure requests across the gap, keyed ``disclosure:<number>`` so that a
request's messages apply in order:

- ``disclosure.request.submitted`` (external → internal): a request filed online, with the
  fields of 第29条; the applicant's identity is the account's verified real-name identity
  (person or enterprise), which stands in for a copy of an identity document (decision 0018);
- ``disclosure.correction.answered`` (external → internal): the corrected request, with the
  day the applicant sent it (the deadline is judged by it);
- ``disclosure.progress`` (internal → external): what the applicant may see of one step —
  status, dates, what to correct, the answer (after redaction), the fee. No staff names and
  nothing of another person.
"""

from __future__ import annotations

from egov import exchange

from .choices import AnswerKind, ApplicantType, Channel, Form, Outcome
from .models import Status

SUBMITTED = "disclosure.request.submitted"
CORRECTION_ANSWERED = "disclosure.correction.answered"
PROGRESS = "disclosure.progress"
INWARD = (exchange.EXTERNAL, exchange.INTERNAL)
OUTWARD = (exchange.INTERNAL, exchange.EXTERNAL)

ANSWER_FILE_TYPES = frozenset(
    {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain; charset=utf-8",
    }
)
_NUMBER = {"type": "string", "pattern": "^YCGK-[0-9]{4}-N?[0-9]{5,}$"}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_OPTIONAL_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _string(maximum: int, minimum: int = 0) -> dict:
    return {"type": "string", "minLength": minimum, "maxLength": maximum}


SUBMITTED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "number",
        "body",
        "submitted_at",
        "applicant",
        "description",
        "form",
        "channel",
        "identity",
    ],
    "properties": {
        "number": _NUMBER,
        "body": _string(40, 1),
        "submitted_at": _string(40, 1),
        "applicant": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "name", "id_number", "phone"],
            "properties": {
                "type": {"enum": ApplicantType.values},
                "name": _string(200, 1),
                "id_number": _string(36, 1),
                "contact_name": _string(100),
                "phone": _string(30, 1),
                "email": _string(254),
                "address": _string(300),
                "postcode": _string(10),
            },
        },
        "description": _string(10000, 1),
        "form": {"enum": Form.values},
        "channel": {"enum": Channel.values},
        "identity": {"enum": ["natural", "legal"]},
    },
}

CORRECTION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["number", "description", "corrected_on"],
    "properties": {
        "number": _NUMBER,
        "description": _string(10000, 1),
        "corrected_on": _DATE,
    },
}

PROGRESS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["number", "status", "action", "on", "at", "due_date"],
    "properties": {
        "number": _NUMBER,
        "status": {"enum": Status.values},
        "action": _string(30, 1),
        "on": _DATE,
        "at": _string(40, 1),
        "due_date": _OPTIONAL_DATE,
        "correction": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text", "due"],
            "properties": {"text": _string(4000), "due": _DATE},
        },
        "extension_days": {"type": "integer", "minimum": 1, "maximum": 20},
        "answer": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "outcome", "text", "where_public", "right_body", "fee"],
            "properties": {
                "kind": {"enum": ["", *AnswerKind.values]},
                "outcome": {"enum": Outcome.values},
                "text": _string(20000),
                "where_public": _string(500),
                "right_body": _string(200),
                "fee": {"type": "integer", "minimum": 0},
                "files": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["sha256", "file_name", "content_type"],
                        "properties": {
                            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                            "file_name": _string(200, 1),
                            "content_type": {"enum": sorted(ANSWER_FILE_TYPES)},
                        },
                    },
                },
                "letter": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["sha256", "file_name"],
                    "properties": {
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "file_name": _string(200, 1),
                    },
                },
            },
        },
    },
}
LETTER_TYPES = frozenset(
    {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain; charset=utf-8",
    }
)
MAX_LETTER_BYTES = 20 * 1024 * 1024


def progress_payload(request, event) -> dict:
    """What the applicant may see of one step. The answer's texts pass through the redaction
    rules for answers before they leave (``redaction.redact_for_answer``)."""
    payload = {
        "number": request.number,
        "status": request.status,
        "action": event.action,
        "on": event.on.isoformat(),
        "at": event.at.isoformat(),
        "due_date": None,
    }
    timer = request.timer
    if timer is not None and timer.stopped_at is None:
        payload["due_date"] = timer.due_date.isoformat()
    if event.action == "correction_asked":
        payload["correction"] = {
            "text": request.correction_text,
            "due": request.correction_due.isoformat(),
        }
    if event.action == "extended":
        payload["extension_days"] = request.extension_days
    if event.action in ("answered", "abandoned"):
        from .redaction import redact_for_answer

        payload["answer"] = {
            "kind": request.answer_kind,
            "outcome": request.outcome,
            "text": redact_for_answer(request, request.answer_text),
            "where_public": redact_for_answer(request, request.where_public),
            "right_body": request.right_body,
            "fee": request.fee_amount,
        }
    return payload


def publish_progress(request, event):
    """Send the public part of a step outside, in the verb's transaction (an online request
    only: a request by letter is answered by letter). An answer carries its letter (PDF,
    redacted like every text of the answer) for the applicant to download."""
    if not request.online:
        return None
    payload = progress_payload(request, event)
    attachments = []
    if event.action == "answered":
        import hashlib

        from . import letters

        data = letters.letter_pdf(request)
        name = letters.file_name(request, "pdf")
        payload["answer"]["letter"] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "file_name": name,
        }
        attachments.append((name, "application/pdf", data))
        from .services import redacted_answer_files

        files = []
        for redacted in redacted_answer_files(request):
            files.append(
                {
                    "sha256": hashlib.sha256(redacted.data).hexdigest(),
                    "file_name": redacted.name[:200],
                    "content_type": redacted.content_type,
                }
            )
            attachments.append((redacted.name[:200], redacted.content_type, redacted.data))
        if files:
            payload["answer"]["files"] = files
    return exchange.publish(
        PROGRESS, payload, key=f"disclosure:{request.number}", attachments=attachments
    )
