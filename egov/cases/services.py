"""The state machine of a case: its verbs, each one transaction, audited, each writing a
``CaseEvent`` and sending the public part of the transition outside (``cases.progress``).

Steps run in the order of ``services.choices.Step`` and only those the case's version lists;
the next verb allowed is the step after the last one done (``next_step``). Besides the steps:
``refuse_acceptance`` (不予受理) and ``request_correction`` (补正) before the review, and
``pause``/``resume`` (hearing, expert review, public notice). Timer semantics are the one
clock's (egov.core.timers); e-supervision checks each timer change once the verb's
transaction commits (``timer_changed``). ``on`` (a date, today by default) is the day the verb counts on
the clock. The verbs check the actor's permission and data scope themselves, so a view (or
any other caller) cannot act on a case its user may not see.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov import exchange
from egov.core import audit, timers
from egov.directory.scoping import visible_to
from egov.licences.issue import issue_for_case
from egov.licences.models import Licence
from egov.services.choices import STEP_ORDER, HandlingKind, Step
from egov.services.models import ServiceItemVersion
from egov.services.uploads import check_content, read_head

from . import payments, publicity
from .messages import PROGRESS
from .models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CorrectionRequest,
    Decision,
    PauseKind,
    QueryCodeCounter,
    Status,
)
from .signals import case_changed_on_commit

TIMER_PURPOSE = "cases.promised"
MIN_REASON_LENGTH = 10
MB = 1024 * 1024

# The status a case reaches when a step is done.
STEP_STATUS = {
    Step.ACCEPT: Status.ACCEPTED,
    Step.REVIEW: Status.REVIEWED,
    Step.DECIDE: Status.DECIDED,
    Step.CLOSE: Status.CLOSED,
    Step.DELIVER: Status.DELIVERED,
}
# What each verb needs (``cases.<codename>``).
PERMISSIONS = {
    "accept": "cases.accept_case",
    "refuse_acceptance": "cases.accept_case",
    "request_correction": "cases.accept_case",
    "answer_correction": "cases.accept_case",
    "review": "cases.review_case",
    "decide": "cases.decide_case",
    "close": "cases.close_case",
    "deliver": "cases.close_case",
    "pause": "cases.pause_case",
    "resume": "cases.pause_case",
    "claim": "cases.claim_case",
    "assign": "cases.assign_case",
}


class CaseError(ValueError):
    """A verb cannot run on this case now; the message says why, in the user's language."""


class CasePermissionError(PermissionDenied):
    """The actor's roles do not allow this verb."""


# --- reads ------------------------------------------------------------------------------


def cases_visible_to(user):
    return visible_to(user, Case.objects.all(), body_field="body")


def version_steps(version: ServiceItemVersion) -> list[str]:
    steps = {row.step for row in version.steps.all()} | {Step.ACCEPT, Step.CLOSE}
    return sorted(steps, key=STEP_ORDER.__getitem__)


def next_step(case: Case) -> str | None:
    """The step the case may take next, or None (final, waiting for correction, paused)."""
    if case.is_final or case.status == Status.CORRECTION or case.paused_for:
        return None
    steps = version_steps(case.version)
    if not case.last_step:
        return steps[0]
    index = steps.index(case.last_step) + 1
    return steps[index] if index < len(steps) else None


def allowed_verbs(case: Case, user) -> list[str]:
    """The verbs ``user`` may use on ``case`` now (the state and the user's permissions)."""
    verbs = []
    step = next_step(case)
    if step:
        verbs.append(step)
    if case.status == Status.SUBMITTED:
        verbs.append("refuse_acceptance")
    if case.status in (Status.ACCEPTED, Status.REVIEWED) and not case.paused_for:
        if step in (Step.REVIEW, Step.DECIDE) and _may_request_correction(case, user):
            verbs.append("request_correction")
        if case.last_step in (Step.ACCEPT, Step.REVIEW):
            verbs.append("pause")
    if case.status == Status.CORRECTION:
        verbs.append("answer_correction")
    if case.paused_for:
        verbs.append("resume")
    return [verb for verb in verbs if user.has_perm(PERMISSIONS[verb])]


def _may_request_correction(case: Case, user) -> bool:
    return not case.corrections.exists() or user.has_perm("cases.override_correction")


# --- helpers ----------------------------------------------------------------------------


def _check_actor(case: Case, by, verb: str) -> None:
    if by is None or not cases_visible_to(by).filter(pk=case.pk).exists():
        raise CasePermissionError(_("This case is not among the cases you may see."))
    if not by.has_perm(PERMISSIONS[verb]):
        raise CasePermissionError(
            _("Your roles do not allow this action (%(verb)s).") % {"verb": verb_label(verb)}
        )


def verb_label(verb: str) -> str:
    labels = {
        "accept": _("accept"),
        "refuse_acceptance": _("not accept"),
        "request_correction": _("request correction"),
        "answer_correction": _("record the correction"),
        "review": _("review"),
        "decide": _("decide"),
        "close": _("close"),
        "deliver": _("deliver"),
        "pause": _("pause"),
        "resume": _("resume"),
        "claim": _("claim"),
        "assign": _("assign"),
        "submit": _("submitted"),
    }
    return labels.get(verb, verb)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("version", "body").get(pk=case.pk)


def _require_step(case: Case, step: str) -> None:
    expected = next_step(case)
    if expected == step:
        return
    if case.paused_for:
        raise CaseError(
            _("Case %(code)s is paused (%(why)s); resume it first.")
            % {"code": case.query_code, "why": case.get_paused_for_display()}
        )
    if case.status == Status.CORRECTION:
        raise CaseError(
            _("Case %(code)s waits for the applicant's correction; record it first.")
            % {"code": case.query_code}
        )
    if expected is None:
        raise CaseError(
            _("Case %(code)s is %(status)s; no further step can be taken.")
            % {"code": case.query_code, "status": case.get_status_display()}
        )
    if step not in version_steps(case.version):
        raise CaseError(
            _("The item's process has no step “%(step)s”.") % {"step": Step(step).label}
        )
    raise CaseError(
        _(
            "Case %(code)s is %(status)s: the next step is “%(expected)s”, not “%(step)s”. "
            "No step can be skipped or repeated."
        )
        % {
            "code": case.query_code,
            "status": case.get_status_display(),
            "expected": Step(expected).label,
            "step": Step(step).label,
        }
    )


def _reason(text: str, *, minimum: int = 1, what: str) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        if minimum <= 1:
            raise CaseError(_("Give the %(what)s.") % {"what": what})
        raise CaseError(
            _("Give the %(what)s in at least %(count)d characters (now %(length)d).")
            % {"what": what, "count": minimum, "length": len(text)}
        )
    return text


def _transition(
    case: Case,
    *,
    by,
    action: str,
    to_status: str,
    step: str = "",
    reason: str = "",
    detail: dict | None = None,
    request=None,
) -> CaseEvent:
    """Write the event and the audit entry, save the case and send the public part outside."""
    event = CaseEvent(
        case=case,
        actor=by,
        action=action,
        step=step,
        from_status=case.status,
        to_status=to_status,
        reason=reason,
        detail=detail or {},
    )
    case.status = to_status
    if step:
        case.last_step = step
    case.save()
    event.save()
    audit.record(
        f"cases.{action}",
        actor=by,
        body=case.body,
        obj=case,
        request=request,
        detail={"from": event.from_status, "to": to_status, "step": step, **(detail or {})},
    )
    publish_public_progress(case, event)
    case_changed_on_commit(case)
    return event


def _store_material(case: Case, material, upload, correction=None) -> CaseMaterial:
    """Check one upload by its content (against the item's material) and store it. An
    e-licence of the register (``Licence``) stands in for a file: its PDF is kept."""
    licence = None
    if isinstance(upload, Licence):
        licence = upload
        with licence.pdf.open("rb") as handle:
            upload = (f"{licence.number}.pdf", handle.read())
    if isinstance(upload, tuple):
        name, data = upload
        head, size = data[:65536], len(data)
    else:
        name, size = upload.name, upload.size
        head = read_head(upload)
        data = None
    allowed = material.accepted_types if material is not None else ["application/pdf"]
    if licence is not None:
        allowed = ["application/pdf"]
    max_mb = material.max_upload_mb if material is not None else 20
    content_type = check_content(name, head, size, allowed=allowed, max_bytes=max_mb * MB)
    row = CaseMaterial(
        case=case,
        material=material,
        name=material.name if material is not None else name,
        content_type=content_type,
        size=size,
        correction=correction,
        licence=licence,
    )
    row.file.save(name, ContentFile(data) if data is not None else upload, save=False)
    row.save()
    return row


# --- the hook to the external zone ------------------------------------------------------


def public_payload(case: Case, event: CaseEvent) -> dict:
    """What the applicant may see of a transition: no staff names, no personal data."""
    public_reason = event.reason if event.action in PUBLIC_REASONS else ""
    payload = {
        "query_code": case.query_code,
        "implementation_code": case.version.item.implementation_code,
        "item_name": case.version.name,
        "status": case.status,
        "action": event.action,
        "step": event.step,
        "at": event.at.isoformat(),
        "reason": public_reason,
        "due_date": case.timer.due_date.isoformat() if case.timer_id else None,
    }
    if event.action == "request_correction":
        payload["correction"] = {
            "items": event.detail.get("items", []),
            "deadline": event.detail.get("deadline", ""),
        }
    if event.action == "decide":
        payload["decision"] = case.decision
    return payload


PUBLIC_REASONS = {"refuse_acceptance", "decide", "pause", "request_correction"}


def publish_public_progress(case: Case, event: CaseEvent):
    """THE hook that sends the public part of a transition to the external zone (the hall).
    Written to the exchange's outbox in the verb's transaction."""
    return exchange.publish(PROGRESS, public_payload(case, event), key=f"case:{case.query_code}")


# --- the verbs --------------------------------------------------------------------------


QUERY_CODE = re.compile(r"^YC-(?P<year>[0-9]{4})-(?P<series>W?)(?P<sequence>[0-9]{6,})$")
WINDOW_SERIES = "W"


def next_query_code(year: int, series: str = "") -> tuple[int, str]:
    """The next number of ``year`` in ``series`` ("" online, "W" at the window), taken under
    a row lock on the counter, so that concurrent submissions get consecutive numbers without
    gaps or repeats (call it inside the transaction that creates the application or case)."""
    QueryCodeCounter.objects.get_or_create(series=series, year=year)
    counter = QueryCodeCounter.objects.select_for_update().get(series=series, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence, f"YC-{year}-{series}{counter.last_sequence:06d}"


def open_case(
    version: ServiceItemVersion,
    *,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant=None,
    answers: dict | None = None,
    materials=(),
    channel: str = "online",
    query_code: str | None = None,
    submitted_at: datetime.datetime | None = None,
    by=None,
    request=None,
) -> Case:
    """A new case on a published version: ``materials`` is a list of (Material, upload) where
    an upload is an UploadedFile or (file name, bytes). Every file is checked by content;
    a refusal (ValidationError) leaves nothing behind.

    ``query_code`` is given when the hall numbered the application (online applications are
    numbered where they arrive); otherwise the case takes the next number of its channel's
    series. An application the hall received keeps the version it was made on even when a
    newer version was published meanwhile (the applicant followed that guide)."""
    received = query_code is not None
    allowed = (ServiceItemVersion.Status.PUBLISHED,)
    if received:
        allowed += (ServiceItemVersion.Status.SUPERSEDED,)
    if version.status not in allowed:
        raise CaseError(
            _("Only the published version of an item can receive applications; this is %(s)s.")
            % {"s": version.get_status_display()}
        )
    name = _reason(applicant_name, what=_("applicant's name"))
    with transaction.atomic():
        now = submitted_at or timezone.now()
        if received:
            match = QUERY_CODE.match(query_code)
            if match is None:
                raise CaseError(_("%(code)s is not a query code.") % {"code": query_code})
            year, sequence, code = int(match["year"]), int(match["sequence"]), query_code
        else:
            year = timezone.localtime(now).year
            series = WINDOW_SERIES if channel == "window" else ""
            sequence, code = next_query_code(year, series)
        case = Case.objects.create(
            query_code=code,
            year=year,
            sequence=sequence,
            version=version,
            body=version.item.body,
            applicant=applicant,
            applicant_name=name,
            applicant_id_number=applicant_id_number,
            answers=answers or {},
            channel=channel,
            submitted_at=now,
        )
        stored = []
        for material, upload in materials:
            if material is not None and material.version_id != version.pk:
                raise CaseError(_("A material of another version was handed in."))
            stored.append(_store_material(case, material, upload).name)
        _transition(
            case,
            by=by or applicant,
            action="submit",
            to_status=Status.SUBMITTED,
            detail={"materials": stored, "channel": channel},
            request=request,
        )
    return case


def accept(case: Case, *, by, comment: str = "", on=None, request=None) -> Case:
    """受理: start the promised-limit timer. A 即办件 is done on the spot: accepted, every
    step up to 办结 recorded at once and the timer stopped."""
    _check_actor(case, by, "accept")
    day = on or timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        _require_step(case, Step.ACCEPT)
        version = case.version
        case.timer = timers.start_timer(
            purpose=TIMER_PURPOSE,
            subject=case,
            limit=version.promised_limit,
            unit=version.promised_unit,
            start_date=day,
            owner_body=case.body,
            by=by,
            category=version.item_type,  # e-supervision's rules by item type
        )
        case.accepted_on = day
        _transition(
            case,
            by=by,
            action="accept",
            step=Step.ACCEPT,
            to_status=Status.ACCEPTED,
            reason=comment,
            detail={"due_date": case.timer.due_date.isoformat()},
            request=request,
        )
        if version.handling_kind == HandlingKind.IMMEDIATE:
            on_the_spot = _("Done on the spot (即办件).")
            case.decision = Decision.GRANT  # on the spot: what is accepted is granted
            for step in version_steps(version):
                if STEP_ORDER[step] <= STEP_ORDER[Step.ACCEPT] or step == Step.DELIVER:
                    continue
                if step == Step.CLOSE:
                    timers.stop_timer(case.timer, reason="closed", by=by)
                    case.closed_at = timezone.now()
                    publicity.publish_decision(case, issue_for_case(case, by=by))
                _transition(
                    case,
                    by=by,
                    action=step,
                    step=step,
                    to_status=STEP_STATUS[step],
                    reason=on_the_spot,
                    request=request,
                )
    return case


def refuse_acceptance(case: Case, *, by, reason: str, request=None) -> Case:
    """不予受理, with its legal reason (at least 10 characters)."""
    _check_actor(case, by, "refuse_acceptance")
    text = _reason(reason, minimum=MIN_REASON_LENGTH, what=_("legal reason for not accepting"))
    with transaction.atomic():
        case = _lock(case)
        if case.status != Status.SUBMITTED:
            raise CaseError(
                _("Case %(code)s is %(status)s: only a submitted case can be refused acceptance.")
                % {"code": case.query_code, "status": case.get_status_display()}
            )
        case.closed_at = timezone.now()
        _transition(
            case,
            by=by,
            action="refuse_acceptance",
            to_status=Status.NOT_ACCEPTED,
            reason=text,
            request=request,
        )
    return case


def request_correction(
    case: Case,
    *,
    by,
    items: list[str],
    deadline: datetime.date,
    override: bool = False,
    on=None,
    request=None,
) -> CorrectionRequest:
    """补正: everything missing, at once, with a deadline; the timer pauses until answered.
    Once per case, unless a supervisor overrides (``cases.override_correction``)."""
    _check_actor(case, by, "request_correction")
    items = [line.strip() for line in items if line and line.strip()]
    if not items:
        raise CaseError(_("List everything that is missing or must be corrected, at once."))
    day = on or timezone.localdate()
    if deadline <= day:
        raise CaseError(_("The deadline must be after today (%(day)s).") % {"day": day})
    with transaction.atomic():
        case = _lock(case)
        step = next_step(case)
        if case.status not in (Status.ACCEPTED, Status.REVIEWED) or step not in (
            Step.REVIEW,
            Step.DECIDE,
        ):
            raise CaseError(
                _(
                    "Case %(code)s is %(status)s: a correction can be requested only after "
                    "acceptance and before the decision."
                )
                % {"code": case.query_code, "status": case.get_status_display()}
            )
        if case.corrections.exists():
            if not (override and by.has_perm("cases.override_correction")):
                raise CaseError(
                    _(
                        "A correction was already requested for case %(code)s: the rule is to "
                        "tell the applicant everything at once. Only a supervisor can allow a "
                        "second request."
                    )
                    % {"code": case.query_code}
                )
        correction = CorrectionRequest.objects.create(
            case=case, items=items, deadline=deadline, requested_by=by, override=override
        )
        timers.pause_timer(case.timer, reason=_("Correction (补正) requested"), on=day, by=by)
        _transition(
            case,
            by=by,
            action="request_correction",
            to_status=Status.CORRECTION,
            reason="; ".join(items),
            detail={"items": items, "deadline": deadline.isoformat(), "override": override},
            request=request,
        )
    return correction


def answer_correction(
    case: Case, *, by, note: str = "", materials=(), on=None, request=None
) -> CorrectionRequest:
    """The applicant's answer to the correction, recorded by staff (files brought to the
    window); the timer resumes. Refused after the deadline."""
    _check_actor(case, by, "answer_correction")
    return _answer_correction(case, by=by, note=note, materials=materials, on=on, request=request)


def answer_correction_online(case: Case, *, note: str = "", materials=(), on) -> CorrectionRequest:
    """The applicant's answer sent from the hall (``hall.correction.answered``): no staff
    member acts, so there is no actor to check; ``on`` is the day the applicant answered
    (not the day the message crossed the gap), which the deadline is judged by."""
    return _answer_correction(case, by=None, note=note, materials=materials, on=on)


def _answer_correction(case: Case, *, by, note, materials, on, request=None) -> CorrectionRequest:
    day = on or timezone.localdate()
    with transaction.atomic():
        case = _lock(case)
        if case.status != Status.CORRECTION:
            raise CaseError(
                _("Case %(code)s does not wait for a correction.") % {"code": case.query_code}
            )
        correction = case.corrections.filter(answered_at=None).latest("requested_at")
        if day > correction.deadline:
            raise CaseError(
                _(
                    "The deadline for the correction was %(deadline)s; an answer on %(day)s "
                    "comes too late. The case can be refused or a new application made."
                )
                % {"deadline": correction.deadline, "day": day}
            )
        stored = [
            _store_material(case, material, upload, correction).name
            for material, upload in materials
        ]
        correction.answered_at = timezone.now()
        correction.answered_by = by
        correction.answer_note = (note or "").strip()
        correction.save()
        timers.resume_timer(case.timer, on=day, by=by)
        back_to = STEP_STATUS[case.last_step]
        _transition(
            case,
            by=by,
            action="answer_correction",
            to_status=back_to,
            reason=correction.answer_note,
            detail={"materials": stored, "due_date": case.timer.due_date.isoformat()},
            request=request,
        )
    return correction


def review(case: Case, *, by, comment: str = "", request=None) -> Case:
    """审查."""
    _check_actor(case, by, "review")
    with transaction.atomic():
        case = _lock(case)
        _require_step(case, Step.REVIEW)
        _transition(
            case,
            by=by,
            action="review",
            step=Step.REVIEW,
            to_status=Status.REVIEWED,
            reason=(comment or "").strip(),
            request=request,
        )
    return case


def decide(case: Case, *, by, outcome: str, reason: str = "", request=None) -> Case:
    """决定: grant, or refuse with a reason (at least 10 characters)."""
    _check_actor(case, by, "decide")
    if outcome not in Decision.values:
        raise CaseError(_("Choose to grant or to refuse."))
    if outcome == Decision.REFUSE:
        text = _reason(reason, minimum=MIN_REASON_LENGTH, what=_("reason for the refusal"))
    else:
        text = (reason or "").strip()
    with transaction.atomic():
        case = _lock(case)
        _require_step(case, Step.DECIDE)
        case.decision = outcome
        case.decision_reason = text
        _transition(
            case,
            by=by,
            action="decide",
            step=Step.DECIDE,
            to_status=Status.DECIDED,
            reason=text,
            detail={"decision": outcome},
            request=request,
        )
        if outcome == Decision.GRANT:
            payments.raise_notice(case, by=by)
    return case


def close(case: Case, *, by, comment: str = "", request=None) -> Case:
    """办结: the timer stops."""
    _check_actor(case, by, "close")
    with transaction.atomic():
        case = _lock(case)
        _require_step(case, Step.CLOSE)
        waiting = payments.unpaid(case)
        if waiting is not None:
            raise CaseError(
                _(
                    "Case %(code)s waits for payment of notice %(notice)s (%(amount)s yuan, "
                    "until %(date)s): the item is closed only once it is paid."
                )
                % {
                    "code": case.query_code,
                    "notice": waiting.number,
                    "amount": waiting.amount,
                    "date": waiting.expires_on,
                }
            )
        if case.timer_id is not None and case.timer.stopped_at is None:
            timers.stop_timer(case.timer, reason="closed", by=by)
        case.closed_at = timezone.now()
        publicity.publish_decision(case, issue_for_case(case, by=by))
        _transition(
            case,
            by=by,
            action="close",
            step=Step.CLOSE,
            to_status=Status.CLOSED,
            reason=(comment or "").strip(),
            request=request,
        )
    return case


def deliver(case: Case, *, by, comment: str = "", request=None) -> Case:
    """送达: the result reached the applicant."""
    _check_actor(case, by, "deliver")
    with transaction.atomic():
        case = _lock(case)
        _require_step(case, Step.DELIVER)
        case.delivered_at = timezone.now()
        _transition(
            case,
            by=by,
            action="deliver",
            step=Step.DELIVER,
            to_status=Status.DELIVERED,
            reason=(comment or "").strip(),
            request=request,
        )
    return case


def pause(case: Case, *, by, kind: str, reason: str, on=None, request=None) -> Case:
    """Stop the clock for a hearing, an expert review or a public notice, with a reason."""
    _check_actor(case, by, "pause")
    if kind not in PauseKind.values:
        raise CaseError(_("Choose what the case waits for: hearing, expert review or notice."))
    text = _reason(reason, what=_("reason for the pause"))
    with transaction.atomic():
        case = _lock(case)
        if (
            case.paused_for
            or case.status not in (Status.ACCEPTED, Status.REVIEWED)
            or case.timer_id is None
        ):
            raise CaseError(
                _("Case %(code)s is %(status)s and cannot be paused now.")
                % {"code": case.query_code, "status": case.get_status_display()}
            )
        timers.pause_timer(
            case.timer, reason=f"{PauseKind(kind).label}: {text}"[:200], on=on, by=by
        )
        case.paused_for = kind
        _transition(
            case,
            by=by,
            action="pause",
            to_status=case.status,
            reason=text,
            detail={"kind": kind},
            request=request,
        )
    return case


def resume(case: Case, *, by, comment: str = "", on=None, request=None) -> Case:
    """The hearing, expert review or notice is over: the clock runs again."""
    _check_actor(case, by, "resume")
    with transaction.atomic():
        case = _lock(case)
        if not case.paused_for:
            raise CaseError(_("Case %(code)s is not paused.") % {"code": case.query_code})
        timers.resume_timer(case.timer, on=on, by=by)
        kind, case.paused_for = case.paused_for, ""
        _transition(
            case,
            by=by,
            action="resume",
            to_status=case.status,
            reason=(comment or "").strip(),
            detail={"kind": kind, "due_date": case.timer.due_date.isoformat()},
            request=request,
        )
    return case


def claim(case: Case, *, by, request=None) -> Case:
    """Take an unassigned case into one's own queue."""
    _check_actor(case, by, "claim")
    with transaction.atomic():
        case = _lock(case)
        if case.assignee_id is not None and case.assignee_id != by.pk:
            raise CaseError(
                _("Case %(code)s is already handled by %(user)s.")
                % {"code": case.query_code, "user": case.assignee.get_username()}
            )
        case.assignee = by
        case.save(update_fields=["assignee"])
        audit.record("cases.claim", actor=by, body=case.body, obj=case, request=request)
    return case


def assign(case: Case, *, by, to, request=None) -> Case:
    """Give a case to a staff member of its body."""
    _check_actor(case, by, "assign")
    if to is None or not cases_visible_to(to).filter(pk=case.pk).exists():
        raise CaseError(_("The chosen person cannot see this case's body."))
    with transaction.atomic():
        case = _lock(case)
        case.assignee = to
        case.save(update_fields=["assignee"])
        audit.record(
            "cases.assign",
            actor=by,
            body=case.body,
            obj=case,
            request=request,
            detail={"to": to.get_username()},
        )
    return case


VERBS = {
    "accept": accept,
    "refuse_acceptance": refuse_acceptance,
    "request_correction": request_correction,
    "answer_correction": answer_correction,
    "review": review,
    "decide": decide,
    "close": close,
    "deliver": deliver,
    "pause": pause,
    "resume": resume,
}

__all__ = [
    "CaseError",
    "CasePermissionError",
    "accept",
    "allowed_verbs",
    "answer_correction",
    "answer_correction_online",
    "assign",
    "cases_visible_to",
    "claim",
    "close",
    "decide",
    "deliver",
    "next_step",
    "open_case",
    "pause",
    "publish_public_progress",
    "refuse_acceptance",
    "request_correction",
    "resume",
    "review",
]
