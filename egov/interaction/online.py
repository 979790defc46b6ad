"""The external zone's side of letters written online: the writer's copy is numbered, given
its query code and kept here, and sent inside in the same transaction
(``interaction.letter.submitted``); the rating goes the same way."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov import exchange

from . import messages
from .models import OnlineLetter, Status
from .services import new_query_code, online_number


def daily_limit() -> int:
    return int(getattr(settings, "EGOV_LETTER_DAILY_LIMIT", 5))


def letters_today(user) -> int:
    """The letters ``user`` wrote in the last 24 hours (what the throttle counts)."""
    since = timezone.now() - datetime.timedelta(hours=24)
    return OnlineLetter.objects.filter(writer=user, submitted_at__gte=since).count()


def throttled(user) -> bool:
    return letters_today(user) >= daily_limit()


def submit(user, data: dict, files=()) -> OnlineLetter:
    """Write a letter for ``user`` with the cleaned fields of ``forms.LetterForm``;
    ``files`` are (name, content type, bytes), checked by content."""
    now = timezone.now()
    with transaction.atomic():
        code = new_query_code()
        while OnlineLetter.objects.filter(query_code=code).exists():  # pragma: no cover
            code = new_query_code()
        accused = data.get("accused_body") if data["category"] == "report" else None
        row = OnlineLetter(
            number=online_number(timezone.localdate(now).year),
            query_code=code,
            writer=user,
            mailbox=data["mailbox"],
            category=data["category"],
            subject=data["subject"],
            text=data["text"],
            consent_to_publish=bool(data.get("consent")),
            writer_name=data["writer_name"],
            phone=data["phone"],
            email=data.get("email") or "",
            address=data.get("address") or "",
            accused_body=accused,
            attachment_names=[name for name, _type, _data in files],
            submitted_at=now,
        )
        row.save()
        items, attachments = [], []
        for name, content_type, blob in files:
            items.append(
                {
                    "sha256": hashlib.sha256(blob).hexdigest(),
                    "file_name": name[:200],
                    "content_type": content_type,
                }
            )
            attachments.append((name[:200], content_type, blob))
        payload = {
            "number": row.number,
            "mailbox": row.mailbox.code,
            "category": row.category,
            "subject": row.subject,
            "text": row.text,
            "consent": row.consent_to_publish,
            "writer": {
                "name": row.writer_name,
                "phone": row.phone,
                "email": row.email,
                "address": row.address,
            },
            "submitted_at": now.isoformat(),
        }
        if accused is not None:
            payload["accused_body"] = accused.code
        if items:
            payload["files"] = items
        exchange.publish(
            messages.SUBMITTED, payload, key=f"interaction:{row.number}", attachments=attachments
        )
    return row


def rate(row: OnlineLetter, rating: str, comment: str = "") -> OnlineLetter:
    """Send the writer's rating inside (once per reply)."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = OnlineLetter.objects.select_for_update().get(pk=row.pk)
        if locked.status != Status.REPLIED or locked.rating:
            return locked
        locked.rating = rating
        locked.rated_on = today
        locked.save(update_fields=["rating", "rated_on"])
        exchange.publish(
            messages.RATED,
            {
                "number": locked.number,
                "rating": rating,
                "comment": comment,
                "rated_on": today.isoformat(),
            },
            key=f"interaction:{locked.number}",
        )
    return locked
