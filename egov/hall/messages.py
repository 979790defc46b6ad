"""The messages the hall sends inside, and their JSON Schemas (the exchange checks them at the
gap; the internal receivers are in ``egov.cases.handlers``).

- ``hall.application.submitted`` — one online application: the query code the hall gave it,
  the item and the version of the guide the applicant followed, who applies (name and ID
  number or credit code: the case needs them), the checked answers and one reference per
  file, each file an attachment (by SHA-256), and the e-licences from the wallet that stand
  in for materials (by number: the internal zone holds the register).
- ``hall.correction.answered`` — the applicant's answer to a correction request: the day they
  answered (the deadline is judged by it, not by the day the message crossed), a note and the
  files.

- ``hall.payment.paid`` — a payment notice paid online (provider, transaction, amount).
- ``hall.rating.given`` — the applicant's rating (好差评) of a finished case: 1–5 and a comment.

All share the key ``application:<query code>``, so the internal zone applies an answer only
after the application it belongs to.
"""

from __future__ import annotations

from egov import exchange
from egov.services.choices import MAX_APPLICANT_UPLOAD_MB, UploadType

SUBMITTED = "hall.application.submitted"
CORRECTION_ANSWERED = "hall.correction.answered"
RATING_GIVEN = "hall.rating.given"
PAYMENT_PAID = "hall.payment.paid"
DIRECTION = (exchange.EXTERNAL, exchange.INTERNAL)
ATTACHMENT_TYPES = frozenset(UploadType.values)
MAX_FILE_BYTES = MAX_APPLICANT_UPLOAD_MB * 1024 * 1024
MAX_PAYLOAD_BYTES = 256 * 1024

QUERY_CODE_PATTERN = "^YC-[0-9]{4}-W?[0-9]{6,}$"
_CODE = {"type": "string", "pattern": QUERY_CODE_PATTERN}
_TEXT = {"type": "string", "maxLength": 4000}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_ANSWER = {
    "anyOf": [
        {"type": "string", "maxLength": 10000},
        {"type": "integer"},
        {"type": "boolean"},
        {"type": "array", "maxItems": 200, "items": {"type": "string", "maxLength": 100}},
    ]
}
_FILES = {
    "type": "array",
    "maxItems": 50,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["material", "sha256", "file_name", "content_type", "size"],
        "properties": {
            "material": {"type": "string", "minLength": 1, "maxLength": 200},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "file_name": {"type": "string", "minLength": 1, "maxLength": 200},
            "content_type": {"enum": sorted(ATTACHMENT_TYPES)},
            "size": {"type": "integer", "minimum": 1, "maximum": MAX_FILE_BYTES},
        },
    },
}

SUBMITTED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "query_code",
        "implementation_code",
        "version",
        "submitted_at",
        "applicant",
        "answers",
        "materials",
    ],
    "properties": {
        "query_code": _CODE,
        "implementation_code": {"type": "string", "pattern": "^[0-9A-Z]{12,36}$"},
        "version": {"type": "integer", "minimum": 1},
        "submitted_at": {"type": "string", "maxLength": 40},
        "applicant": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind", "name", "id_number"],
            "properties": {
                "kind": {"enum": ["natural", "legal"]},
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "id_number": {"type": "string", "maxLength": 36},
            },
        },
        "answers": {
            "type": "object",
            "maxProperties": 100,
            "propertyNames": {"pattern": "^[a-z][a-z0-9_]{0,39}$"},
            "additionalProperties": _ANSWER,
        },
        "materials": _FILES,
        "licences": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["material", "number"],
                "properties": {
                    "material": {"type": "string", "minLength": 1, "maxLength": 200},
                    "number": {"type": "string", "pattern": "^YCZZ-[0-9]{4}-[0-9]{6,}$"},
                },
            },
        },
    },
}

CORRECTION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["query_code", "round", "answered_on", "note", "materials"],
    "properties": {
        "query_code": _CODE,
        "round": {"type": "integer", "minimum": 1},
        "answered_on": _DATE,
        "note": _TEXT,
        "materials": _FILES,
    },
}

RATING_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["query_code", "score", "comment", "rated_at"],
    "properties": {
        "query_code": _CODE,
        "score": {"type": "integer", "minimum": 1, "maximum": 5},
        "comment": {"type": "string", "maxLength": 2000},
        "rated_at": {"type": "string", "maxLength": 40},
    },
}

PAID_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["query_code", "number", "amount", "paid_at", "provider", "transaction_id"],
    "properties": {
        "query_code": _CODE,
        "number": {"type": "string", "maxLength": 30},
        "amount": {"type": "string", "pattern": r"^\d+\.\d{2}$"},
        "paid_at": {"type": "string", "maxLength": 40},
        "provider": {"type": "string", "maxLength": 30},
        "transaction_id": {"type": "string", "maxLength": 64},
    },
}


def key(query_code: str) -> str:
    return f"application:{query_code}"
