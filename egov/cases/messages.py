"""The message the internal zone sends about a case: ``cases.progress``, the public part of
one transition (no names, ID numbers or staff), keyed by query code so that the external zone
applies one case's messages in order. Its receiver is the hall (``egov.hall.handlers``)."""

from __future__ import annotations

from egov import exchange

PROGRESS = "cases.progress"
DIRECTION = (exchange.INTERNAL, exchange.EXTERNAL)

_TEXT = {"type": "string", "maxLength": 4000}
PROGRESS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "query_code",
        "implementation_code",
        "item_name",
        "status",
        "action",
        "step",
        "at",
        "reason",
        "due_date",
    ],
    "properties": {
        "query_code": {"type": "string", "pattern": "^YC-[0-9]{4}-W?[0-9]{6,}$"},
        "implementation_code": {"type": "string", "maxLength": 36},
        "item_name": {"type": "string", "maxLength": 200},
        "status": {"type": "string", "maxLength": 15},
        "action": {"type": "string", "maxLength": 30},
        "step": {"type": "string", "maxLength": 10},
        "at": {"type": "string", "maxLength": 40},
        "reason": _TEXT,
        "due_date": {"type": ["string", "null"], "maxLength": 10},
        "decision": {"type": "string", "enum": ["grant", "refuse"]},
        "correction": {
            "type": "object",
            "additionalProperties": False,
            "required": ["items", "deadline"],
            "properties": {
                "items": {"type": "array", "items": _TEXT, "maxItems": 100},
                "deadline": {"type": "string", "maxLength": 10},
            },
        },
    },
}

PAYMENT = "cases.payment"
_MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$"}
PAYMENT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["query_code", "number", "amount", "items", "expires_on", "status", "wait"],
    "properties": {
        "query_code": {"type": "string", "pattern": "^YC-[0-9]{4}-W?[0-9]{6,}$"},
        "number": {"type": "string", "maxLength": 30},
        "amount": _MONEY,
        "items": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "amount"],
                "properties": {"name": {"type": "string", "maxLength": 200}, "amount": _MONEY},
            },
        },
        "expires_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "status": {"enum": ["issued", "paid", "expired"]},
        "wait": {"type": "boolean"},
    },
}

DECISION_PUBLIC = "cases.decision.public"
DECISION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "reference",
        "item_name",
        "body_name",
        "holder_kind",
        "holder_name",
        "holder_code",
        "decision",
        "decided_on",
        "licences",
    ],
    "properties": {
        "reference": {"type": "string", "pattern": "^YC-[0-9]{4}-W?[0-9]{6,}$"},
        "item_name": {"type": "string", "maxLength": 200},
        "body_name": {"type": "string", "maxLength": 100},
        "holder_kind": {"enum": ["natural", "legal"]},
        "holder_name": {"type": "string", "maxLength": 200},
        "holder_code": {"type": "string", "maxLength": 18},
        "decision": {"enum": ["grant", "refuse"]},
        "decided_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "licences": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 30}},
    },
}
