"""督办 notices: a supervisor tells the responsible body to deal with a signal, within
``EGOV_NOTICE_DAYS`` working days (5 by default) counted on the one clock; the body answers
(the timer stops), the supervisor closes the notice with a reason. A late answer earns the
body the usual warning and cards, because the notice's timer is watched like every timer.
Every act is audited; the functions check permission and scope themselves."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import timers
from egov.core.audit import record
from egov.directory.scoping import visible_to

from .models import Signal, SupervisionNotice
from .services import SupervisionError

PURPOSE = "supervision.notice"
MIN_TEXT = 10


def notice_days() -> int:
    return int(getattr(settings, "EGOV_NOTICE_DAYS", 5))


def visible_notices(user):
    return visible_to(user, SupervisionNotice.objects.all(), body_field="body")


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if len(value) < MIN_TEXT:
        raise SupervisionError(message)
    return value


def issue(signal: Signal, *, text: str, by, request=None) -> SupervisionNotice:
    if not by.has_perm("supervision.issue_notice"):
        raise PermissionDenied(_("Your roles do not allow issuing supervision notices."))
    if signal.body_id is None:
        raise SupervisionError(_("This signal has no responsible body to send a notice to."))
    text = _text(text, _("Say what the body must do, in at least 10 characters."))
    with transaction.atomic():
        notice = SupervisionNotice(
            signal=signal,
            body_id=signal.body_id,
            text=text,
            issued_at=timezone.now(),
            issued_by=by,
        )
        notice.timer = timers.start_timer(
            purpose=PURPOSE,
            subject=signal,
            limit=notice_days(),
            unit="working",
            owner_body=signal.body,
            by=by,
        )
        notice.save()
        record(
            "supervision.notice.issued",
            actor=by,
            body=signal.body,
            obj=notice,
            request=request,
            detail={"signal": signal.pk, "text": text},
        )
    return notice


def answer(notice: SupervisionNotice, *, text: str, by, request=None) -> SupervisionNotice:
    if (
        not by.has_perm("supervision.answer_notice")
        or not visible_notices(by).filter(pk=notice.pk).exists()
    ):
        raise PermissionDenied(_("Only the body the notice is sent to can answer it."))
    text = _text(text, _("Write the answer in at least 10 characters."))
    with transaction.atomic():
        locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != SupervisionNotice.Status.OPEN:
            raise SupervisionError(_("This notice was answered already."))
        locked.answer, locked.answered_at, locked.answered_by = text, timezone.now(), by
        locked.status = SupervisionNotice.Status.ANSWERED
        timers.stop_timer(locked.timer, reason="answered", by=by)
        locked.save()
        record(
            "supervision.notice.answered",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"text": text},
        )
    return locked


def close(notice: SupervisionNotice, *, reason: str, by, request=None) -> SupervisionNotice:
    if not by.has_perm("supervision.issue_notice"):
        raise PermissionDenied(_("Your roles do not allow closing supervision notices."))
    reason = _text(reason, _("Give the reason for closing, in at least 10 characters."))
    with transaction.atomic():
        locked = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status == SupervisionNotice.Status.CLOSED:
            raise SupervisionError(_("This notice is closed already."))
        if locked.timer.stopped_at is None:
            timers.stop_timer(locked.timer, reason="closed", by=by)
        locked.close_reason, locked.closed_at = reason, timezone.now()
        locked.status = SupervisionNotice.Status.CLOSED
        locked.save()
        record(
            "supervision.notice.closed",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"reason": reason},
        )
    return locked
