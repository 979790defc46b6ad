"""What the site health inspector (``egov.portal.inspector``) reads from interaction: letters
to a body's mailbox and its consultations on drafts, as ``Consultation`` items. A letter
counts as received when it was written and as answered on the day it was replied to (or the
writer was told it is not accepted); an unanswered one older than 3 months vetoes the site
or section of the mailbox's body (the State Council's check on 留言 left unanswered).

The inspector runs where the portal runs. In the combined deployment and inside, the source
reads the letters (``Letter``); in the external zone of a split deployment, where the letters
are the writers' copies kept up to date by ``interaction.progress``, it reads those
(``OnlineLetter``), with the same rule, so the same letters give the same findings.
``letters_source(zone)`` picks one; ``InteractionConfig.ready`` registers it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from .models import Letter, Moderation, OnlineLetter, Status


def _start_of(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def _item(row, *, valid: bool):
    from egov.portal.inspector.sources import Consultation as Item

    answered = row["replied_on"]
    if answered is None and row["status"] == Status.NOT_ACCEPTED:
        answered = row["closed_on"]
    return Item(
        reference=row["number"],
        title=row["subject"],
        body_id=row["mailbox__body_id"],
        received_at=row["submitted_at"],
        answered_at=_start_of(answered),
        valid=valid,
        # staff answer letters inside, on the letter's page
        url=f"/staff/interaction/{row['number']}/",
    )


_FIELDS = ("number", "subject", "mailbox__body_id", "submitted_at", "status", "replied_on")


def _rows(model, body_ids, received_after, *fields):
    return (
        model.objects.filter(mailbox__body_id__in=list(body_ids))
        .filter(submitted_at__gte=received_after)
        .values(*_FIELDS, "closed_on", *fields)
        .order_by("submitted_at")
        .iterator(chunk_size=2000)
    )


class LetterConsultations:
    """The letters themselves (internal and combined zones)."""

    def consultations(self, body_ids, received_after):
        for row in _rows(Letter, body_ids, received_after, "duplicate_of_id", "moderation"):
            # merged duplicates and letters rejected in moderation are not consultations
            valid = row["duplicate_of_id"] is None and row["moderation"] != Moderation.REJECTED
            yield _item(row, valid=valid)

    def __eq__(self, other):
        return type(other) is LetterConsultations

    def __hash__(self):
        return hash(LetterConsultations)


class OnlineLetterConsultations:
    """The writers' copies of the letters written online (external zone of a split
    deployment): status, reply day, closing day and validity as ``interaction.progress``
    brought them. Letters by post or at a visit are not copied outside, so they are not
    seen here."""

    def consultations(self, body_ids, received_after):
        for row in _rows(OnlineLetter, body_ids, received_after, "valid"):
            yield _item(row, valid=row["valid"])

    def __eq__(self, other):
        return type(other) is OnlineLetterConsultations

    def __hash__(self):
        return hash(OnlineLetterConsultations)


def letters_source(zone: str | None = None):
    """The letters' source for the zone (``settings.EGOV_ZONE`` by default): the writers'
    copies outside, the letters inside and in the combined deployment (which holds both)."""
    zone = zone or settings.EGOV_ZONE
    if zone == "external":
        return OnlineLetterConsultations()
    return LetterConsultations()
