"""好差评 inside: a rating arrives from the hall (``hall.rating.given``); a bad one (1 or 2 of
5) opens a ``Rectification`` with a timer on the one clock (``EGOV_RECTIFICATION_DAYS``
working days, 5 by default), which e-supervision watches like every timer. The body calls
the applicant back (回访) and records what it changed (整改), which stops the timer; or it
appeals (申诉) a rating it finds unfair — the timer pauses — and a supervisor upholds the
appeal (the rating no longer counts, nothing to rectify) or rejects it (the timer runs on).
Every step is audited; the verbs check permission and data scope themselves.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit, timers
from egov.directory.scoping import visible_to

from .models import Case, CaseRating, Rectification
from .services import MIN_REASON_LENGTH, CaseError, CasePermissionError, _reason
from .signals import case_changed_on_commit

TIMER_PURPOSE = "cases.rectification"
BAD = 2


def rectification_days() -> int:
    return int(getattr(settings, "EGOV_RECTIFICATION_DAYS", 5))


def receive_rating(case: Case, *, score: int, comment: str, rated_at: datetime.datetime):
    """Record the applicant's rating; a bad one opens the rectification."""
    if CaseRating.objects.filter(case=case).exists():
        return None
    rating = CaseRating.objects.create(case=case, score=score, comment=comment, rated_at=rated_at)
    audit.record("cases.rated", body=case.body, obj=case, detail={"score": score})
    case_changed_on_commit(case)
    if rating.is_bad:
        rectification = Rectification(rating=rating)
        rectification.timer = timers.start_timer(
            purpose=TIMER_PURPOSE,
            subject=case,
            limit=rectification_days(),
            unit="working",
            start_date=timezone.localdate(),
            owner_body=case.body,
            category=case.version.item_type,  # e-supervision's rules by item type
        )
        rectification.save()
    return rating


def _check(rectification: Rectification, by, permission: str) -> Case:
    case = rectification.rating.case
    if by is None or not visible_to(by, Case.objects.filter(pk=case.pk), body_field="body"):
        raise CasePermissionError(_("This case is not among the cases you may see."))
    if not by.has_perm(permission):
        raise CasePermissionError(_("Your roles do not allow this action."))
    return case


def _locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("rating__case", "timer")
        .get(pk=rectification.pk)
    )


def record_callback(rectification: Rectification, *, by, note: str, request=None):
    case = _check(rectification, by, "cases.rectify_case")
    note = _reason(note, minimum=MIN_REASON_LENGTH, what=_("call-back record"))
    with transaction.atomic():
        row = _locked(rectification)
        if row.status != Rectification.Status.OPEN:
            raise CaseError(_("This rectification is not open."))
        row.callback_note, row.callback_at = note, timezone.now()
        row.save()
        audit.record("cases.rating_callback", actor=by, body=case.body, obj=case, request=request)
    return row


def complete(rectification: Rectification, *, by, measures: str, request=None):
    case = _check(rectification, by, "cases.rectify_case")
    measures = _reason(measures, minimum=MIN_REASON_LENGTH, what=_("measures taken"))
    with transaction.atomic():
        row = _locked(rectification)
        if row.status != Rectification.Status.OPEN:
            raise CaseError(_("This rectification is not open."))
        if row.callback_at is None:
            raise CaseError(_("Call the applicant back and record it first (回访)."))
        row.measures, row.done_at, row.status = measures, timezone.now(), Rectification.Status.DONE
        timers.stop_timer(row.timer, reason="rectified", by=by)
        row.save()
        audit.record("cases.rectified", actor=by, body=case.body, obj=case, request=request)
    return row


def appeal(rectification: Rectification, *, by, reason: str, request=None):
    case = _check(rectification, by, "cases.rectify_case")
    reason = _reason(reason, minimum=MIN_REASON_LENGTH, what=_("reason for the appeal"))
    with transaction.atomic():
        row = _locked(rectification)
        if row.status != Rectification.Status.OPEN:
            raise CaseError(_("Only an open rectification can be appealed."))
        row.appeal_reason, row.status = reason, Rectification.Status.APPEALED
        timers.pause_timer(row.timer, reason=_("Appeal against the rating"), by=by)
        row.save()
        audit.record("cases.rating_appealed", actor=by, body=case.body, obj=case, request=request)
    return row


def decide_appeal(rectification: Rectification, *, by, upheld: bool, reason: str, request=None):
    case = _check(rectification, by, "cases.decide_rating_appeal")
    reason = _reason(reason, minimum=MIN_REASON_LENGTH, what=_("reason for the decision"))
    with transaction.atomic():
        row = _locked(rectification)
        if row.status != Rectification.Status.APPEALED:
            raise CaseError(_("There is no appeal waiting for a decision."))
        row.appeal_decision, row.appeal_decided_at = reason, timezone.now()
        if upheld:
            row.status = Rectification.Status.WAIVED
            timers.stop_timer(row.timer, reason="appeal upheld", by=by)
            CaseRating.objects.filter(pk=row.rating_id).update(excluded=True)
        else:
            row.status = Rectification.Status.OPEN
            timers.resume_timer(row.timer, by=by)
        row.save()
        audit.record(
            "cases.rating_appeal_decided",
            actor=by,
            body=case.body,
            obj=case,
            request=request,
            detail={"upheld": upheld},
        )
    return row


VERBS = {
    "callback": (record_callback, "note"),
    "complete": (complete, "measures"),
    "appeal": (appeal, "reason"),
}
