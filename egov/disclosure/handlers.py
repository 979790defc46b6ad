"""Receivers of the disclosure messages (see ``messages``): inside, an online request becomes
a ``DisclosureRequest`` and a correction restarts its clock; outside, the applicant's copy
(``OnlineRequest``) follows each step."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from egov import exchange
from egov.directory.models import Organisation

from . import messages, services
from .models import DisclosureRequest, OnlineAnswerFile, OnlineRequest


@exchange.handler(
    messages.SUBMITTED,
    direction=messages.INWARD,
    schema=messages.SUBMITTED_SCHEMA,
    max_bytes=64 * 1024,
)
def receive_online(message) -> None:
    payload = message.payload
    if DisclosureRequest.objects.filter(number=payload["number"]).exists():
        return  # a replay: the exchange applies a message once, this guards it too
    body = Organisation.objects.get(code=payload["body"])
    applicant = payload["applicant"]
    submitted_at = datetime.datetime.fromisoformat(payload["submitted_at"])
    services.receive(
        body=body,
        applicant_type=applicant["type"],
        applicant_name=applicant["name"],
        applicant_id_number=applicant["id_number"],
        contact_name=applicant.get("contact_name", ""),
        phone=applicant["phone"],
        email=applicant.get("email", ""),
        address=applicant.get("address", ""),
        postcode=applicant.get("postcode", ""),
        description=payload["description"],
        form=payload["form"],
        channel=payload["channel"],
        online=True,
        submitted_at=submitted_at,
        # Received on the day the platform took it in (decision 0018), not the day it
        # crossed the gap.
        received_on=timezone.localdate(submitted_at),
        number=payload["number"],
    )


@exchange.handler(
    messages.CORRECTION_ANSWERED,
    direction=messages.INWARD,
    schema=messages.CORRECTION_SCHEMA,
    max_bytes=64 * 1024,
)
def receive_correction(message) -> None:
    payload = message.payload
    request = DisclosureRequest.objects.get(number=payload["number"])
    services.receive_correction(
        request,
        description=payload["description"],
        on=datetime.date.fromisoformat(payload["corrected_on"]),
    )


@exchange.handler(
    messages.PROGRESS,
    direction=messages.OUTWARD,
    schema=messages.PROGRESS_SCHEMA,
    max_bytes=128 * 1024,
    attachment_types=messages.LETTER_TYPES,
    max_attachment_bytes=messages.MAX_LETTER_BYTES,
)
def follow_progress(message) -> None:
    payload = message.payload
    row = OnlineRequest.objects.select_for_update().filter(number=payload["number"]).first()
    if row is None:
        return  # not filed online here (nothing to follow)
    row.status = payload["status"]
    due = payload["due_date"]
    row.due_date = datetime.date.fromisoformat(due) if due else None
    step = {key: payload[key] for key in ("action", "on", "at") if key in payload}
    files = []
    if "correction" in payload:
        row.correction_text = payload["correction"]["text"]
        row.correction_due = datetime.date.fromisoformat(payload["correction"]["due"])
        step["correction_due"] = payload["correction"]["due"]
    if payload["action"] == "corrected":
        row.correction_due = None
    if "extension_days" in payload:
        step["extension_days"] = payload["extension_days"]
    if "answer" in payload:
        answer = payload["answer"]
        row.answer_kind = answer["kind"]
        row.outcome = answer["outcome"]
        row.answer_text = answer["text"]
        row.where_public = answer["where_public"]
        row.right_body = answer["right_body"]
        row.fee_amount = answer["fee"]
        row.answered_on = datetime.date.fromisoformat(payload["on"])
        letter = answer.get("letter")
        if letter:
            data = message.attachments[letter["sha256"]]
            row.letter.save(letter["file_name"], ContentFile(data), save=False)
        for item in answer.get("files", []):
            data = message.attachments[item["sha256"]]
            stored = OnlineAnswerFile(
                request=row,
                name=item["file_name"],
                content_type=item["content_type"],
                size=len(data),
            )
            stored.file.save(item["file_name"], ContentFile(data), save=False)
            files.append(stored)
    row.steps = [*row.steps, step]
    row.updated_at = datetime.datetime.fromisoformat(payload["at"])
    row.save()
    for stored in files:
        stored.save()
