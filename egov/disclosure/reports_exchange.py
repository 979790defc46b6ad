"""The published annual report across the gap: staff publish inside, the portal shows it
outside. Publishing sends the frozen report as ``disclosure.report.published`` (internal →
external), keyed per report (``disclosure-report:<year>:<code>``) so that a correction applies
after the first publication; outside it becomes the ``AnnualReport`` of (body, year) with its
frozen figures and publication time, which the public pages read.

Only ``figures`` and ``published_at`` are written: the staff's draft text is the internal
zone's (in the combined zone the row is the very one staff edit, so the draft written after
publication stays as it is). A message older than what the row holds changes nothing."""

from __future__ import annotations

import datetime

from egov import exchange
from egov.directory.models import Organisation

from .models import AnnualReport

PUBLISHED = "disclosure.report.published"
OUTWARD = (exchange.INTERNAL, exchange.EXTERNAL)
MAX_BYTES = 512 * 1024  # three text sections of up to 20,000 characters, and the tables

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["year", "body", "published_at", "figures"],
    "properties": {
        "year": {"type": "integer", "minimum": 2000, "maximum": 2999},
        "body": {"type": ["string", "null"], "minLength": 1, "maxLength": 40},
        "published_at": {"type": "string", "minLength": 1, "maxLength": 40},
        "figures": {
            "type": "object",
            "required": ["year", "body_name", "applications", "proactive", "reviews"],
        },
    },
}


def send(row: AnnualReport) -> None:
    """Tell the external zone (call it in the publishing transaction)."""
    code = row.body.code if row.body_id else None
    exchange.publish(
        PUBLISHED,
        {
            "year": row.year,
            "body": code,
            "published_at": row.published_at.isoformat(),
            "figures": row.figures,
        },
        key=f"disclosure-report:{row.year}:{code or 'government'}",
    )


@exchange.handler(PUBLISHED, direction=OUTWARD, schema=SCHEMA, max_bytes=MAX_BYTES)
def receive_published(message) -> None:
    payload = message.payload
    body = Organisation.objects.get(code=payload["body"]) if payload["body"] else None
    published_at = datetime.datetime.fromisoformat(payload["published_at"])
    row, _created = AnnualReport.objects.select_for_update().get_or_create(
        year=payload["year"], body=body
    )
    if row.published_at is not None and row.published_at > published_at:
        return  # an older publication than the one shown
    row.figures = payload["figures"]
    row.published_at = published_at
    row.save(update_fields=["figures", "published_at", "updated_at"])
