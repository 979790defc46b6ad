"""The receiver of ``cases.progress`` on the external side.

The hall will own what the applicant sees of a case; until it registers its own handler for
this type, ``PublicProgress`` (a minimal read model in this app) keeps the last state and the
public steps of each case, so that every message has a receiver.
"""

from __future__ import annotations

import datetime

from egov import exchange

from .models import PublicProgress

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
        "query_code": {"type": "string", "pattern": "^YC-[0-9]{4}-[0-9]{6,}$"},
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


@exchange.handler(PROGRESS, direction=DIRECTION, schema=PROGRESS_SCHEMA, max_bytes=64 * 1024)
def apply_progress(message) -> None:
    payload = message.payload
    due = payload["due_date"]
    step = {
        key: payload[key]
        for key in ("action", "step", "status", "at", "reason", "decision", "correction")
        if key in payload
    }
    row = PublicProgress.objects.select_for_update().filter(query_code=payload["query_code"])
    row = row.first()
    if row is None:
        row = PublicProgress(query_code=payload["query_code"], steps=[])
    row.implementation_code = payload["implementation_code"]
    row.item_name = payload["item_name"]
    row.status = payload["status"]
    row.due_date = datetime.date.fromisoformat(due) if due else None
    row.steps = [*row.steps, step]
    row.updated_at = datetime.datetime.fromisoformat(payload["at"])
    row.save()
