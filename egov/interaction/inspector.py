"""What the site health inspector (``egov.portal.inspector``) reads from interaction: letters
to a body's mailbox and its consultations on drafts, as ``Consultation`` items. A letter
counts as received when it was written and as answered on the day it was replied to (or the
writer was told it is not accepted); an unanswered one older than 3 months vetoes the site
or section of the mailbox's body (the State Council's check on 留言 left unanswered)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Letter, Moderation, Status


def _start_of(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


class LetterConsultations:
    """The inspector's source of letters (registered in ``InteractionConfig.ready``)."""

    def consultations(self, body_ids, received_after):
        from egov.portal.inspector.sources import Consultation as Item

        rows = (
            Letter.objects.filter(mailbox__body_id__in=list(body_ids))
            .filter(submitted_at__gte=received_after)
            .values(
                "number",
                "subject",
                "mailbox__body_id",
                "submitted_at",
                "status",
                "replied_on",
                "closed_on",
                "duplicate_of_id",
                "moderation",
            )
            .order_by("submitted_at")
        )
        for row in rows.iterator(chunk_size=2000):
            answered = row["replied_on"]
            if answered is None and row["status"] == Status.NOT_ACCEPTED:
                answered = row["closed_on"]
            yield Item(
                reference=row["number"],
                title=row["subject"],
                body_id=row["mailbox__body_id"],
                received_at=row["submitted_at"],
                answered_at=_start_of(answered),
                # merged duplicates and letters rejected in moderation are not consultations
                valid=row["duplicate_of_id"] is None and row["moderation"] != Moderation.REJECTED,
                url=f"/staff/interaction/{row['number']}/",
            )

    def __eq__(self, other):
        return isinstance(other, LetterConsultations)

    def __hash__(self):
        return hash(LetterConsultations)
