"""The messages of letters across the gap, keyed ``interaction:<number>`` so that a letter's
messages apply in order:

- ``interaction.letter.submitted`` (external → internal): a letter written online, with its
  attachments (PDF, JPEG, PNG, checked by content on both sides of the gap). The query code
  stays outside: the inside needs only the number;
- ``interaction.letter.rated`` (external → internal): the writer's rating of the reply;
- ``interaction.progress`` (internal → external): what the writer may see of one step —
  status, the day the current limit ends, the responsible body, the reasons told to the
  writer, the reply, the day the letter was closed, and whether it is no longer a valid
  letter (merged as a duplicate, rejected in moderation: what the site inspector needs to
  judge the writer's copy as it judges the letter inside). No staff names, nothing of
  another person, no internal note;
- ``interaction.reply.published`` (internal → external, key ``interaction-public:<number>``):
  a question and answer to publish, personal data already masked (``publication``).
"""

from __future__ import annotations

from egov import exchange

from .models import Category, Moderation, Rating, Status

SUBMITTED = "interaction.letter.submitted"
RATED = "interaction.letter.rated"
PROGRESS = "interaction.progress"
REPLY_PUBLISHED = "interaction.reply.published"
INWARD = (exchange.EXTERNAL, exchange.INTERNAL)
OUTWARD = (exchange.INTERNAL, exchange.EXTERNAL)

ATTACHMENT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 3

_NUMBER = {"type": "string", "pattern": "^YCXX-[0-9]{4}-N?[0-9]{5,}$"}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_OPTIONAL_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _string(maximum: int, minimum: int = 0) -> dict:
    return {"type": "string", "minLength": minimum, "maxLength": maximum}


SUBMITTED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "number",
        "mailbox",
        "category",
        "subject",
        "text",
        "consent",
        "writer",
        "submitted_at",
    ],
    "properties": {
        "number": _NUMBER,
        "mailbox": _string(40, 1),
        "category": {"enum": Category.values},
        "subject": _string(200, 1),
        "text": _string(5000, 1),
        "consent": {"type": "boolean"},
        "accused_body": _string(40),
        "writer": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "phone"],
            "properties": {
                "name": _string(100, 1),
                "phone": _string(30, 1),
                "email": _string(254),
                "address": _string(300),
            },
        },
        "submitted_at": _string(40, 1),
        "files": {
            "type": "array",
            "maxItems": MAX_ATTACHMENTS,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["sha256", "file_name", "content_type"],
                "properties": {
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "file_name": _string(200, 1),
                    "content_type": {"enum": sorted(ATTACHMENT_TYPES)},
                },
            },
        },
    },
}

RATED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["number", "rating", "comment", "rated_on"],
    "properties": {
        "number": _NUMBER,
        "rating": {"enum": Rating.values},
        "comment": _string(1000),
        "rated_on": _DATE,
    },
}

PROGRESS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["number", "status", "action", "on", "at", "due_date", "body"],
    "properties": {
        "number": _NUMBER,
        "status": {"enum": Status.values},
        "action": _string(30, 1),
        "on": _DATE,
        "at": _string(40, 1),
        "due_date": _OPTIONAL_DATE,
        "body": _string(100),
        "note": _string(4000),
        "reply": _string(20000),
        "rating": {"enum": Rating.values},
        "closed_on": _DATE,
        "not_valid": {"const": True},
    },
}

PUBLISHED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "number",
        "mailbox",
        "category",
        "body",
        "subject",
        "question",
        "answer",
        "asked_on",
        "replied_on",
        "published_at",
    ],
    "properties": {
        "number": _NUMBER,
        "mailbox": _string(40, 1),
        "category": {"enum": [c for c in Category.values if c != Category.REPORT]},
        "body": _string(100, 1),
        "subject": _string(200, 1),
        "question": _string(5000, 1),
        "answer": _string(20000, 1),
        "asked_on": _DATE,
        "replied_on": _DATE,
        "published_at": _string(40, 1),
    },
}

# The steps whose note the writer is told (a reason that concerns them).
PUBLIC_NOTES = frozenset({"not_accepted", "extended", "accepted", "merged"})


def progress_payload(letter, event) -> dict:
    from .services import due_date

    payload = {
        "number": letter.number,
        "status": letter.status,
        "action": event.action,
        "on": event.on.isoformat(),
        "at": event.at.isoformat(),
        "due_date": None,
        "body": letter.handling_body.name_zh[:100],
    }
    due = due_date(letter)
    if due is not None:
        payload["due_date"] = due.isoformat()
    if event.action in PUBLIC_NOTES and event.note:
        payload["note"] = event.note[:4000]
    if event.action == "replied":
        payload["reply"] = letter.reply_text
    if letter.rating and event.action in ("rated", "follow_up"):
        payload["rating"] = letter.rating
    # For the site inspector outside (``inspector.OnlineLetterConsultations``): the day a
    # letter not accepted was answered, and the letters that are not consultations.
    if letter.closed_on is not None:
        payload["closed_on"] = letter.closed_on.isoformat()
    if not_valid(letter):
        payload["not_valid"] = True
    return payload


def not_valid(letter) -> bool:
    """Merged as a duplicate or rejected in moderation: not a consultation for the site
    inspector (the same rule as ``inspector.LetterConsultations``)."""
    return letter.duplicate_of_id is not None or letter.moderation == Moderation.REJECTED


def publish_progress(letter, event):
    """Send the public part of a step outside, in the verb's transaction (a letter written
    online only: a letter by post is answered by post)."""
    if not letter.online:
        return None
    return exchange.publish(
        PROGRESS, progress_payload(letter, event), key=f"interaction:{letter.number}"
    )
