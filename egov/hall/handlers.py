"""The hall's receiver of ``cases.progress`` (external zone): the public progress of each case,
step by step, for the applicant's page (docs/hall.md)."""

from __future__ import annotations

import datetime

from egov import exchange
from egov.cases.messages import (
    DECISION_PUBLIC,
    DECISION_SCHEMA,
    DIRECTION,
    PAYMENT,
    PAYMENT_SCHEMA,
    PROGRESS,
    PROGRESS_SCHEMA,
)

from . import notify
from .models import Payment, Progress, PublicDecision


@exchange.handler(PROGRESS, direction=DIRECTION, schema=PROGRESS_SCHEMA, max_bytes=64 * 1024)
def apply_progress(message) -> None:
    payload = message.payload
    step = {
        key: payload[key]
        for key in ("action", "step", "status", "at", "reason", "decision", "correction")
        if key in payload
    }
    row = Progress.objects.select_for_update().filter(query_code=payload["query_code"]).first()
    if row is None:
        row = Progress(query_code=payload["query_code"], steps=[])
    row.implementation_code = payload["implementation_code"]
    row.item_name = payload["item_name"]
    row.status = payload["status"]
    row.decision = payload.get("decision", row.decision)
    due = payload["due_date"]
    row.due_date = datetime.date.fromisoformat(due) if due else None
    if payload["action"] == "request_correction":
        row.correction = payload["correction"]
        row.correction_round += 1
    elif payload["action"] == "answer_correction":
        row.correction = None
    row.steps = [*row.steps, step]
    row.updated_at = datetime.datetime.fromisoformat(payload["at"])
    row.save()
    notify.record(payload["query_code"], payload["action"], payload.get("correction") or {})


@exchange.handler(PAYMENT, direction=DIRECTION, schema=PAYMENT_SCHEMA, max_bytes=32 * 1024)
def apply_payment(message) -> None:
    """A payment notice of a case, or its expiry. A notice paid here stays paid."""
    payload = message.payload
    row = Payment.objects.select_for_update().filter(number=payload["number"]).first()
    if row is None:
        row = Payment(number=payload["number"])
    elif row.status == Payment.Status.PAID:
        return
    row.query_code = payload["query_code"]
    row.amount = payload["amount"]
    row.items = payload["items"]
    row.expires_on = datetime.date.fromisoformat(payload["expires_on"])
    row.waits = payload["wait"]
    row.status = payload["status"]
    row.save()


@exchange.handler(DECISION_PUBLIC, direction=DIRECTION, schema=DECISION_SCHEMA, max_bytes=16 * 1024)
def apply_public_decision(message) -> None:
    payload = dict(message.payload)
    payload["decided_on"] = datetime.date.fromisoformat(payload["decided_on"])
    PublicDecision.objects.update_or_create(reference=payload.pop("reference"), defaults=payload)
