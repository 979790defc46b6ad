"""The wallet's receiver of ``licences.issued`` (external zone)."""

from __future__ import annotations

import datetime
import hashlib

from django.core.files.base import ContentFile

from egov import exchange

from .messages import DIRECTION, ISSUED, ISSUED_SCHEMA
from .models import WalletLicence

# Copied as they come; the number is the row's identity and the dates are parsed.
FIELDS = [
    name for name in ISSUED_SCHEMA["required"] if name not in {"number", "issued_on", "valid_until"}
]


@exchange.handler(
    ISSUED,
    direction=DIRECTION,
    schema=ISSUED_SCHEMA,
    attachment_types={"application/pdf"},
    max_attachment_bytes=5 * 1024 * 1024,
)
def receive_licence(message) -> None:
    payload = message.payload
    data = message.attachments[payload["pdf_sha256"]]
    if hashlib.sha256(data).hexdigest() != payload["pdf_sha256"]:
        raise ValueError("the PDF does not match the licence's record")
    row = WalletLicence.objects.filter(number=payload["number"]).first() or WalletLicence(
        number=payload["number"]
    )
    for name in FIELDS:
        setattr(row, name, payload[name])
    row.issued_on = datetime.date.fromisoformat(payload["issued_on"])
    valid_until = payload["valid_until"]
    row.valid_until = datetime.date.fromisoformat(valid_until) if valid_until else None
    if not row.pdf or row.pdf_sha256 != payload["pdf_sha256"]:
        row.pdf.save(f"{row.number}.pdf", ContentFile(data), save=False)
    row.save()
