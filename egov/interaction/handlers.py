"""Receivers of the letter messages (see ``messages``): inside, a letter written online is
registered and a rating recorded; outside, the writer's copy follows each step and the
published replies are kept for the public pages."""

from __future__ import annotations

import datetime

from django.utils import timezone

from egov import exchange
from egov.directory.models import Organisation

from . import messages, services
from .models import Letter, Mailbox, OnlineLetter, PublicReply, Status


@exchange.handler(
    messages.SUBMITTED,
    direction=messages.INWARD,
    schema=messages.SUBMITTED_SCHEMA,
    max_bytes=64 * 1024,
    attachment_types=messages.ATTACHMENT_TYPES,
    max_attachment_bytes=messages.MAX_ATTACHMENT_BYTES,
)
def receive_online(message) -> None:
    payload = message.payload
    if Letter.objects.filter(number=payload["number"]).exists():
        return  # a replay: the exchange applies a message once, this guards it too
    mailbox = Mailbox.objects.select_related("body").get(code=payload["mailbox"])
    accused = None
    if payload.get("accused_body"):
        accused = Organisation.objects.filter(code=payload["accused_body"]).first()
    writer = payload["writer"]
    submitted_at = datetime.datetime.fromisoformat(payload["submitted_at"])
    files = [
        (item["file_name"], item["content_type"], message.attachments[item["sha256"]])
        for item in payload.get("files", [])
    ]
    services.register(
        mailbox=mailbox,
        category=payload["category"],
        subject=payload["subject"],
        text=payload["text"],
        consent_to_publish=payload["consent"],
        writer_name=writer["name"],
        phone=writer["phone"],
        email=writer.get("email", ""),
        address=writer.get("address", ""),
        accused_body=accused,
        online=True,
        submitted_at=submitted_at,
        # Received on the day the platform took it in, not the day it crossed the gap.
        received_on=timezone.localdate(submitted_at),
        number=payload["number"],
        files=files,
    )


@exchange.handler(
    messages.RATED, direction=messages.INWARD, schema=messages.RATED_SCHEMA, max_bytes=16 * 1024
)
def receive_rating(message) -> None:
    payload = message.payload
    letter = Letter.objects.get(number=payload["number"])
    if letter.status != "replied":
        return  # rated twice, or after staff took the rating on a call: the first one counts
    services.rate(
        letter,
        rating=payload["rating"],
        comment=payload["comment"],
        on=datetime.date.fromisoformat(payload["rated_on"]),
    )


@exchange.handler(
    messages.PROGRESS,
    direction=messages.OUTWARD,
    schema=messages.PROGRESS_SCHEMA,
    max_bytes=64 * 1024,
)
def follow_progress(message) -> None:
    payload = message.payload
    row = OnlineLetter.objects.select_for_update().filter(number=payload["number"]).first()
    if row is None:
        return  # not written online here
    row.status = payload["status"]
    due = payload["due_date"]
    row.due_date = datetime.date.fromisoformat(due) if due else None
    row.handling_body_name = payload["body"]
    step = {key: payload[key] for key in ("action", "on", "at", "note") if key in payload}
    if "reply" in payload:
        row.reply_text = payload["reply"]
        row.replied_on = datetime.date.fromisoformat(payload["on"])
        row.rating = ""
        row.rated_on = None
    if "rating" in payload:
        row.rating = payload["rating"]
        row.rated_on = datetime.date.fromisoformat(payload["on"])
    # What the site inspector reads outside (inspector.OnlineLetterConsultations).
    if "closed_on" in payload:
        row.closed_on = datetime.date.fromisoformat(payload["closed_on"])
    elif row.closed_on is None and row.status in (Status.CLOSED, Status.NOT_ACCEPTED):
        row.closed_on = datetime.date.fromisoformat(payload["on"])  # from an older sender
    if payload.get("not_valid") or payload["action"] == "merged":
        row.valid = False  # never valid again, as inside
    row.steps = [*row.steps, step]
    row.updated_at = datetime.datetime.fromisoformat(payload["at"])
    row.save()


@exchange.handler(
    messages.REPLY_PUBLISHED,
    direction=messages.OUTWARD,
    schema=messages.PUBLISHED_SCHEMA,
    max_bytes=64 * 1024,
)
def receive_published(message) -> None:
    payload = message.payload
    mailbox = Mailbox.objects.get(code=payload["mailbox"])
    PublicReply.objects.update_or_create(
        number=payload["number"],
        defaults={
            "mailbox": mailbox,
            "category": payload["category"],
            "body_name": payload["body"],
            "subject": payload["subject"],
            "question": payload["question"],
            "answer": payload["answer"],
            "asked_on": datetime.date.fromisoformat(payload["asked_on"]),
            "replied_on": datetime.date.fromisoformat(payload["replied_on"]),
            "published_at": datetime.datetime.fromisoformat(payload["published_at"]),
        },
    )
