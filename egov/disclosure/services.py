"""The life of a request on application (依申请公开), by the 2019 regulations. Each verb is
one transaction, checks its actor's permission and data scope, writes a ``RequestEvent`` and
an audit entry, and tells the applicant what they may see (``messages.publish_progress``).

The clock is the one clock's (egov.core.timers), purpose ``disclosure.answer``:

- **receipt** (第31条): the answer limit, 20 working days, counts from the day of receipt
  (the start day is not counted);
- **correction** (第30条): asked once, within 7 working days of receipt; the answer timer
  stops, and the applicant has a period to correct (``CORRECTION_DAYS`` working days by
  default). The corrected request starts a new timer of 20 working days from the day it
  arrives; no correction in time ends the request (``abandon_uncorrected``, outcome
  "did not correct in time");
- **third-party consultation** (第32条): the timer pauses while the third party has its 15
  working days, which are not counted (第33条); it resumes when staff record the reply, or by
  itself after the 15 days (``resume_consultations``: silence does not stop the clock);
- **extension** (第33条): once, at most 20 working days, approved by someone who may approve
  extensions (the disclosure office head), and the applicant is told the new date;
- **answer** (第36条, 第37条): one of ``AnswerKind`` with the outcome row it counts under in
  the annual report; the fee (国办函〔2020〕109号) is computed when the body charges one.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit, timers
from egov.core.calendar import add_working_days
from egov.core.counters import next_number
from egov.directory.scoping import visible_to

from . import fees
from .choices import OUTCOMES_OF_KIND, AnswerKind, ApplicantType, Channel, FeeMethod, Form, Outcome
from .models import DisclosureRequest, RequestEvent, Status

TIMER_PURPOSE = "disclosure.answer"
ANSWER_DAYS = 20  # 第33条
CORRECTION_WITHIN = 7  # 第30条: the correction is asked within 7 working days of receipt
CORRECTION_DAYS = 15  # the applicant's period to correct (a reasonable period, 第30条)
CONSULTATION_DAYS = 15  # 第32条
MAX_EXTENSION = 20  # 第33条
# Online requests are numbered where they arrive, in the hall (YCGK-2026-00001); requests by
# letter or at the counter inside (YCGK-2026-N00001), so the two zones never share a number.
ONLINE_SERIES = "disclosure"
COUNTER_SERIES = "disclosure.counter"
NUMBER = re.compile(r"^YCGK-[0-9]{4}-N?[0-9]{5,}$")


def online_number(year: int) -> str:
    return f"YCGK-{year}-{next_number(ONLINE_SERIES, year):05d}"


MIN_REASON = 10

HANDLE = "disclosure.handle_request"
APPROVE = "disclosure.approve_extension"


class DisclosureError(ValueError):
    """A verb cannot be done in the request's state or with these values; the message says why
    in the user's language."""


class DisclosurePermissionError(PermissionDenied):
    pass


# --- reads ------------------------------------------------------------------------------


def requests_visible_to(user):
    return visible_to(user, DisclosureRequest.objects.all(), body_field="body")


def answer_due(request: DisclosureRequest) -> datetime.date | None:
    """The day the answer is due, as the applicant is told (None while nothing is counting)."""
    timer = request.timer
    if timer is None or timer.stopped_at is not None:
        return None
    return timer.due_date


# --- helpers ----------------------------------------------------------------------------


def _check_actor(request: DisclosureRequest, by, permission: str = HANDLE) -> None:
    if by is None or not requests_visible_to(by).filter(pk=request.pk).exists():
        raise DisclosurePermissionError(_("This request is not among the requests you may see."))
    if not by.has_perm(permission):
        raise DisclosurePermissionError(_("Your roles do not allow this action."))


def _lock(request: DisclosureRequest) -> DisclosureRequest:
    # Only the request's own row is locked (PostgreSQL refuses FOR UPDATE on the nullable
    # side of the join to its timer).
    return (
        DisclosureRequest.objects.select_for_update(of=("self",))
        .select_related("body", "timer")
        .get(pk=request.pk)
    )


def _today(on) -> datetime.date:
    day = on or timezone.localdate()
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise DisclosureError(_("The day must be a date."))
    return day


def _text(value: str, *, what: str, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        if minimum <= 1:
            raise DisclosureError(_("Give the %(what)s.") % {"what": what})
        raise DisclosureError(
            _("Give the %(what)s in at least %(count)d characters (now %(length)d).")
            % {"what": what, "count": minimum, "length": len(value)}
        )
    return value


def _require_status(request: DisclosureRequest, *allowed: str) -> None:
    if request.status not in allowed:
        raise DisclosureError(
            _("Request %(number)s is %(status)s: this cannot be done now.")
            % {"number": request.number, "status": request.get_status_display()}
        )


def _record(
    request: DisclosureRequest,
    action: str,
    *,
    on: datetime.date,
    by=None,
    note: str = "",
    detail: dict | None = None,
    public: bool = True,
    http_request=None,
) -> RequestEvent:
    request.save()
    event = RequestEvent.objects.create(
        request=request, action=action, on=on, by=by, note=note, detail=detail or {}, public=public
    )
    audit.record(
        f"disclosure.{action}",
        actor=by,
        body=request.body,
        obj=request,
        request=http_request,
        detail={"status": request.status, **(detail or {})},
    )
    if public:
        from .messages import publish_progress

        publish_progress(request, event)
    return event


def _start_answer_timer(request: DisclosureRequest, start: datetime.date, by=None):
    return timers.start_timer(
        purpose=TIMER_PURPOSE,
        subject=request,
        limit=ANSWER_DAYS,
        unit=timers.Unit.WORKING_DAYS,
        start_date=start,
        owner_body=request.body,
        by=by,
    )


# --- verbs ------------------------------------------------------------------------------


def receive(
    *,
    body,
    applicant_type: str,
    applicant_name: str,
    applicant_id_number: str,
    phone: str,
    description: str,
    form: str,
    channel: str,
    received_on: datetime.date | None = None,
    online: bool = False,
    email: str = "",
    address: str = "",
    postcode: str = "",
    contact_name: str = "",
    submitted_at: datetime.datetime | None = None,
    number: str = "",
    by=None,
    http_request=None,
) -> DisclosureRequest:
    """Register a request and start its answer limit. ``number`` is given by the hall for an
    online request (it numbered it where it arrived); otherwise one is taken here."""
    if by is not None and not by.has_perm(HANDLE):
        raise DisclosurePermissionError(_("Your roles do not allow this action."))
    if by is not None and not visible_to(by, type(body).objects.filter(pk=body.pk), "pk").exists():
        raise DisclosurePermissionError(_("This body is not among the bodies you may see."))
    for value, choices, what in (
        (applicant_type, ApplicantType, _("applicant type")),
        (form, Form, _("form wanted")),
        (channel, Channel, _("way to receive it")),
    ):
        if value not in choices.values:
            raise DisclosureError(_("Choose the %(what)s.") % {"what": what})
    if channel == Channel.POST and not (address or "").strip():
        raise DisclosureError(_("Give a postal address to receive the answer by post."))
    if channel == Channel.EMAIL and not (email or "").strip():
        raise DisclosureError(_("Give an e-mail address to receive the answer by e-mail."))
    day = _today(received_on)
    with transaction.atomic():
        if not number:
            number = f"YCGK-{day.year}-N{next_number(COUNTER_SERIES, day.year):05d}"
        request = DisclosureRequest(
            number=number,
            year=day.year,
            body=body,
            applicant_type=applicant_type,
            applicant_name=_text(applicant_name, what=_("applicant's name")),
            applicant_id_number=_text(applicant_id_number, what=_("identity document number")),
            phone=_text(phone, what=_("telephone")),
            email=email or "",
            address=address or "",
            postcode=postcode or "",
            contact_name=contact_name or "",
            description=_text(description, what=_("description of the information")),
            form=form,
            channel=channel,
            online=online,
            submitted_at=submitted_at or timezone.now(),
            received_on=day,
        )
        request.save()
        request.timer = _start_answer_timer(request, day, by=by)
        _record(
            request,
            "received",
            on=day,
            by=by,
            detail={"due": request.timer.due_date.isoformat()},
            http_request=http_request,
        )
    return request


def ask_correction(
    request: DisclosureRequest,
    *,
    by,
    text: str,
    days: int = CORRECTION_DAYS,
    on: datetime.date | None = None,
    http_request=None,
) -> DisclosureRequest:
    """Ask the applicant to correct the request (第30条): once, within 7 working days of
    receipt, saying what to correct and by when. The answer limit stops; the corrected request
    starts a new one."""
    day = _today(on)
    with transaction.atomic():
        request = _lock(request)
        _check_actor(request, by)
        _require_status(request, Status.RECEIVED)
        if request.correction_asked_on is not None:
            raise DisclosureError(
                _("A correction was already asked on %(day)s: it can be asked only once.")
                % {"day": request.correction_asked_on}
            )
        last_day = add_working_days(request.received_on, CORRECTION_WITHIN)
        if day > last_day:
            raise DisclosureError(
                _("A correction must be asked within %(n)d working days of receipt (by %(day)s).")
                % {"n": CORRECTION_WITHIN, "day": last_day}
            )
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
            raise DisclosureError(_("Give the applicant 1 to 60 working days to correct."))
        request.correction_text = _text(text, what=_("what must be corrected"), minimum=MIN_REASON)
        request.correction_asked_on = day
        request.correction_due = add_working_days(day, days)
        timers.stop_timer(request.timer, reason="correction", by=by)
        request.status = Status.CORRECTION
        _record(
            request,
            "correction_asked",
            on=day,
            by=by,
            note=request.correction_text,
            detail={"due": request.correction_due.isoformat()},
            http_request=http_request,
        )
    return request


def receive_correction(
    request: DisclosureRequest,
    *,
    description: str,
    on: datetime.date | None = None,
    by=None,
    http_request=None,
) -> DisclosureRequest:
    """The corrected request arrived (from the hall, or by letter recorded by staff): the
    answer limit starts again, 20 working days from this day."""
    day = _today(on)
    with transaction.atomic():
        request = _lock(request)
        if by is not None:
            _check_actor(request, by)
        _require_status(request, Status.CORRECTION)
        if day > request.correction_due:
            raise DisclosureError(
                _("The correction was due by %(day)s; it came too late.")
                % {"day": request.correction_due}
            )
        previous = request.description
        request.description = _text(description, what=_("corrected description"))
        request.corrected_on = day
        request.timer = _start_answer_timer(request, day, by=by)
        request.status = Status.RECEIVED
        _record(
            request,
            "corrected",
            on=day,
            by=by,
            detail={"due": request.timer.due_date.isoformat(), "before": previous},
            http_request=http_request,
        )
    return request


def consult_third_party(
    request: DisclosureRequest,
    *,
    by,
    third_party: str,
    on: datetime.date | None = None,
    http_request=None,
) -> DisclosureRequest:
    """Ask a third party's opinion (第32条): it has 15 working days, not counted in the limit."""
    day = _today(on)
    with transaction.atomic():
        request = _lock(request)
        _check_actor(request, by)
        _require_status(request, Status.RECEIVED)
        request.third_party = _text(third_party, what=_("third party"))[:200]
        request.consultation_due = add_working_days(day, CONSULTATION_DAYS)
        timers.pause_timer(request.timer, reason="third-party consultation", on=day, by=by)
        request.status = Status.CONSULTATION
        _record(
            request,
            "consultation_started",
            on=day,
            by=by,
            detail={"reply_due": request.consultation_due.isoformat()},
            http_request=http_request,
        )
    return request


def end_consultation(
    request: DisclosureRequest,
    *,
    by=None,
    note: str = "",
    on: datetime.date | None = None,
    http_request=None,
) -> DisclosureRequest:
    """The third party replied (or its 15 working days passed): the clock runs again."""
    day = _today(on)
    with transaction.atomic():
        request = _lock(request)
        if by is not None:
            _check_actor(request, by)
        _require_status(request, Status.CONSULTATION)
        resume_on = min(day, request.consultation_due)
        request.timer = timers.resume_timer(request.timer, on=resume_on, by=by)
        request.status = Status.RECEIVED
        _record(
            request,
            "consultation_ended",
            on=resume_on,
            by=by,
            note=(note or "").strip(),
            detail={"due": request.timer.due_date.isoformat()},
            http_request=http_request,
        )
    return request


def extend(
    request: DisclosureRequest,
    *,
    by,
    days: int,
    reason: str,
    on: datetime.date | None = None,
    http_request=None,
) -> DisclosureRequest:
    """Extend the answer limit (第33条): once, by at most 20 working days, by someone who may
    approve extensions; the applicant is told the new date."""
    day = _today(on)
    with transaction.atomic():
        request = _lock(request)
        _check_actor(request, by, APPROVE)
        _require_status(request, Status.RECEIVED)
        if request.extension_days:
            raise DisclosureError(
                _("The limit was already extended by %(n)d working days: only once is allowed.")
                % {"n": request.extension_days}
            )
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION:
            raise DisclosureError(
                _("An extension is 1 to %(n)d working days.") % {"n": MAX_EXTENSION}
            )
        if request.timer.due_date < day:
            raise DisclosureError(
                _("The limit ended on %(day)s: an extension must be decided before it ends.")
                % {"day": request.timer.due_date}
            )
        request.extension_reason = _text(reason, what=_("reason"), minimum=MIN_REASON)
        request.extension_days = days
        request.extension_approved_by = by
        request.timer = timers.extend_timer(request.timer, days=days, by=by)
        _record(
            request,
            "extended",
            on=day,
            by=by,
            note=request.extension_reason,
            detail={"days": days, "due": request.timer.due_date.isoformat()},
            http_request=http_request,
        )
    return request


def requests_in_month(request: DisclosureRequest) -> int:
    """This request's number among the same applicant's requests to the same body in the
    month it was received (for the fee by count)."""
    first = request.received_on.replace(day=1)
    return (
        DisclosureRequest.objects.filter(
            body=request.body,
            applicant_id_number=request.applicant_id_number,
            received_on__gte=first,
            received_on__lte=request.received_on,
            pk__lte=request.pk,
        )
        .exclude(received_on=request.received_on, pk__gt=request.pk)
        .count()
    )


def fee_for(request: DisclosureRequest, method: str, pages: int | None) -> int:
    if method == FeeMethod.NONE:
        return 0
    if method == FeeMethod.BY_COUNT:
        return fees.fee_for_request_number(requests_in_month(request))
    if method == FeeMethod.BY_PAGES:
        if pages is None:
            raise DisclosureError(_("Give the number of pages to charge by the amount."))
        return fees.fee_by_pages(pages)
    raise DisclosureError(_("Choose how the fee is charged."))


def answer(
    request: DisclosureRequest,
    *,
    by,
    kind: str,
    text: str,
    outcome: str = "",
    legal_basis: str = "",
    where_public: str = "",
    right_body: str = "",
    fee_method: str = FeeMethod.NONE,
    pages: int | None = None,
    on: datetime.date | None = None,
    http_request=None,
) -> DisclosureRequest:
    """Answer the request (第36条, 第37条) and stop its clock."""
    day = _today(on)
    if kind not in AnswerKind.values:
        raise DisclosureError(_("Choose the answer."))
    allowed = OUTCOMES_OF_KIND[kind]
    outcome = outcome or allowed[0]
    if outcome not in allowed:
        raise DisclosureError(
            _("“%(outcome)s” is not a reason for the answer “%(kind)s”.")
            % {"outcome": Outcome(outcome).label, "kind": AnswerKind(kind).label}
        )
    text = _text(text, what=_("answer"))
    if kind == AnswerKind.ALREADY_PUBLIC and not where_public.strip():
        raise DisclosureError(_("Say where the information is already public."))
    if kind == AnswerKind.NOT_OURS and not right_body.strip():
        raise DisclosureError(_("Name the body that holds the information."))
    if (
        kind in (AnswerKind.WITHHELD, AnswerKind.PARTIAL, AnswerKind.CANNOT_PROVIDE)
        and not (legal_basis or "").strip()
    ):
        raise DisclosureError(_("Give the legal basis of the answer."))
    with transaction.atomic():
        request = _lock(request)
        _check_actor(request, by)
        _require_status(request, Status.RECEIVED, Status.CONSULTATION)
        if kind == AnswerKind.PARTIAL and not request.redactions.filter(active=True).exists():
            raise DisclosureError(
                _("A partial disclosure needs the parts to hide: add a redaction rule first.")
            )
        request.answer_kind = kind  # the attachments' redaction is strict for a partial answer
        redacted_answer_files(request)  # refused here, before anything changes, if one cannot be
        if request.status == Status.CONSULTATION:
            timers.resume_timer(request.timer, on=day, by=by)
            request.timer.refresh_from_db()
        request.fee_method = fee_method
        request.fee_pages = pages if fee_method == FeeMethod.BY_PAGES else None
        request.fee_amount = fee_for(request, fee_method, pages)
        request.answer_kind = kind
        request.outcome = outcome
        request.answer_text = text
        request.legal_basis = (legal_basis or "").strip()
        request.where_public = (where_public or "").strip()
        request.right_body = (right_body or "").strip()
        request.answered_on = day
        request.status = Status.ANSWERED
        timers.stop_timer(request.timer, reason="answered", by=by)
        _record(
            request,
            "answered",
            on=day,
            by=by,
            detail={"kind": kind, "outcome": outcome, "fee": request.fee_amount},
            http_request=http_request,
        )
    return request


# --- the daily task ---------------------------------------------------------------------


def abandon_uncorrected(today: datetime.date | None = None) -> int:
    """End the requests whose correction period passed without a correction (第30条)."""
    day = _today(today)
    done = 0
    for pk in DisclosureRequest.objects.filter(
        status=Status.CORRECTION, correction_due__lt=day
    ).values_list("pk", flat=True):
        with transaction.atomic():
            request = _lock(DisclosureRequest(pk=pk))
            if request.status != Status.CORRECTION or request.correction_due >= day:
                continue
            request.status = Status.ANSWERED
            request.outcome = Outcome.NO_CORRECTION
            request.answered_on = day
            _record(
                request, "abandoned", on=day, detail={"due": request.correction_due.isoformat()}
            )
            done += 1
    return done


def resume_consultations(today: datetime.date | None = None) -> int:
    """Resume the clocks whose third party let its 15 working days pass without a reply."""
    day = _today(today)
    done = 0
    for request in DisclosureRequest.objects.filter(
        status=Status.CONSULTATION, consultation_due__lt=day
    ):
        end_consultation(request, on=request.consultation_due, note="no reply in time")
        done += 1
    return done


def add_redaction(
    request: DisclosureRequest,
    *,
    by,
    kind: str,
    value: str,
    scope: str,
    reason: str,
    http_request=None,
):
    """A redaction rule of this request only (第37条's partial disclosure): what to hide in
    its answer and attachments, and why. Added before the answer; never shown outside."""
    from django.core.exceptions import ValidationError

    from .models import RedactionRule
    from .redaction import validate_rule

    with transaction.atomic():
        request = _lock(request)
        _check_actor(request, by)
        _require_status(request, Status.RECEIVED, Status.CONSULTATION)
        try:
            validate_rule(kind, value)
        except ValidationError as error:
            raise DisclosureError(" ".join(error.messages)) from error
        rule = RedactionRule.objects.create(
            kind=kind,
            value=value,
            scope=scope,
            request=request,
            reason=_text(reason, what=_("reason")),
            created_by=by,
        )
        audit.record(
            "disclosure.redaction_added",
            actor=by,
            body=request.body,
            obj=request,
            request=http_request,
            detail={"rule": rule.pk, "kind": kind, "scope": scope, "reason": rule.reason},
        )
    return rule


MAX_ANSWER_FILE_BYTES = 20 * 1024 * 1024


def add_answer_file(request: DisclosureRequest, *, by, name: str, data: bytes, http_request=None):
    """A file that goes with the answer (the information itself): kept as it is inside;
    what leaves is its redacted copy, made when the answer is sent (``redacted_answer_files``).
    Only files whose text can be checked are taken: DOCX, PDF, plain text."""
    from django.core.files.base import ContentFile

    from .models import RequestFile
    from .redaction import DOCX_TYPE, PDF_TYPE, TEXT_TYPE, file_kind

    with transaction.atomic():
        request = _lock(request)
        _check_actor(request, by)
        _require_status(request, Status.RECEIVED, Status.CONSULTATION)
        if not data:
            raise DisclosureError(_("The file is empty."))
        if len(data) > MAX_ANSWER_FILE_BYTES:
            raise DisclosureError(_("A file of the answer is at most 20 MB."))
        kind = file_kind(name, data)
        if kind is None:
            raise DisclosureError(
                _(
                    "“%(name)s” is not a DOCX, PDF or plain-text file by its content: only "
                    "these can be checked for what must be hidden."
                )
                % {"name": name}
            )
        row = RequestFile(
            request=request,
            kind=RequestFile.Kind.ANSWER,
            name=name[:200],
            content_type={"docx": DOCX_TYPE, "pdf": PDF_TYPE, "text": TEXT_TYPE}[kind],
            size=len(data),
        )
        row.file.save(name, ContentFile(data), save=False)
        row.save()
        audit.record(
            "disclosure.answer_file_added",
            actor=by,
            body=request.body,
            obj=request,
            request=http_request,
            detail={"file": row.pk, "name": row.name, "size": row.size},
        )
    return row


def redacted_answer_files(request: DisclosureRequest) -> list:
    """The answer's files as they may leave: each through the request's attachment rules
    (``redaction.redact_request_file``); raises DisclosureError, naming the file, when one
    cannot be redacted — then nothing is sent."""
    from .models import RequestFile
    from .redaction import RedactionError, redact_request_file

    found = []
    for row in request.files.filter(kind=RequestFile.Kind.ANSWER).order_by("pk"):
        with row.file.open("rb") as handle:
            data = handle.read()
        try:
            found.append(redact_request_file(request, row.name, data))
        except RedactionError as error:
            raise DisclosureError(str(error)) from error
    return found
