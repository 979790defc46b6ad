"""The life of a letter (来信), by the petition rules' limits (信访工作条例; the defaults of
docs/interaction.md, each a setting). Each verb is one transaction, checks its
actor's permission and data scope, writes a ``LetterEvent`` and an audit entry, and tells
the writer what they may see (``messages.publish_progress``).

- **register**: the acceptance limit starts, ``ACCEPT_DAYS`` (15) days from receipt;
- **accept** / **decline**: the writer is told; acceptance starts the handling limit,
  ``CLOSE_DAYS`` (60) days from the day of acceptance;
- **route** (转办) to the responsible body, optionally with bodies that handle it jointly;
  the routed body may **refuse** it with a reason, and the letter is **routed again** — every
  routing after the first needs a reason. The handling timer follows the responsible body;
- **draft_reply** → **review_reply** (someone else than the drafter, with
  ``interaction.review_reply``) → **sign_off** (``interaction.sign_off_reply``) → **reply**:
  the writer gets the reply and the handling timer stops;
- **extend**: once, at most ``MAX_EXTENSION_DAYS`` (30) days, with a reason, by someone
  holding ``interaction.approve_extension``;
- **rate** (the writer, outside) or **record_follow_up** (staff, 回访): satisfied closes the
  letter; dissatisfied reopens it once, with ``REVIEW_DAYS`` (30) days to handle it again.

The limits count natural days (日); when the last day is not a working day, the limit ends on
the next working day (docs/interaction.md). A report (举报) names the body it reports on: that body
and the bodies under it never get it, and their staff never see it (``letters_visible_to``).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit, timers
from egov.core.calendar import is_working_day
from egov.core.counters import next_number
from egov.directory.models import Membership, Organisation
from egov.directory.scoping import visible_to

from .models import (
    OPEN_STATUSES,
    Category,
    Letter,
    LetterEvent,
    LetterRouting,
    Mailbox,
    Rating,
    Status,
)

ACCEPTANCE = "interaction.acceptance"
HANDLING = "interaction.handling"
VIEW = "interaction.view_letter"
HANDLE = "interaction.handle_letter"
REVIEW = "interaction.review_reply"
SIGN_OFF = "interaction.sign_off_reply"
APPROVE = "interaction.approve_extension"
MIN_REASON = 10
ONLINE_SERIES = "interaction"
COUNTER_SERIES = "interaction.counter"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone


def limits() -> dict:
    """The letter limits, from ``EGOV_LETTER_LIMITS`` (days)."""
    defaults = {"ACCEPT_DAYS": 15, "CLOSE_DAYS": 60, "MAX_EXTENSION_DAYS": 30, "REVIEW_DAYS": 30}
    return {**defaults, **getattr(settings, "EGOV_LETTER_LIMITS", {})}


class InteractionError(ValueError):
    """A verb cannot be done in the letter's state or with these values; the message says
    why in the user's language, and ``field`` names the input it is about (if one)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class InteractionPermissionError(PermissionDenied):
    pass


# --- numbers and codes ------------------------------------------------------------------


def online_number(year: int) -> str:
    """A letter written online is numbered where it arrives, outside (YCXX-2026-00001)."""
    return f"YCXX-{year}-{next_number(ONLINE_SERIES, year):05d}"


def new_query_code() -> str:
    """16 random characters (about 79 bits) in groups of four: not guessable, and useless
    without the writer's account anyway."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


# --- the limits on the one clock --------------------------------------------------------


def legal_due(start: datetime.date, days: int) -> datetime.date:
    """``start`` plus ``days`` natural days (the start day not counted); a last day that is
    not a working day moves to the next working day. Past the calendar's last year the date
    stays as counted (natural days need no calendar)."""
    due = start + datetime.timedelta(days=days)
    try:
        for _step in range(60):
            if is_working_day(due):
                break
            due += datetime.timedelta(days=1)
    except Exception:  # noqa: BLE001 - the calendar does not know the year: no roll-over
        return start + datetime.timedelta(days=days)
    return due


def _start(purpose: str, letter: Letter, start: datetime.date, days: int, by=None):
    due = legal_due(start, days)
    return timers.start_timer(
        purpose=purpose,
        subject=letter,
        limit=(due - start).days,
        unit=timers.Unit.NATURAL_DAYS,
        start_date=start,
        owner_body=letter.handling_body,
        by=by,
        category=letter.category,
    )


# --- reads ------------------------------------------------------------------------------


def _hidden_for(user) -> Q:
    """Letters reporting on a body the user belongs to (or on a body above theirs)."""
    accused_staff = Membership.objects.filter(user=user.pk).filter(
        StartsWith(F("organisation__path"), OuterRef("accused_body__path"))
    )
    return Q(accused_body__isnull=False) & Q(Exists(accused_staff))


def letters_visible_to(user):
    """The letters ``user`` may see: those of the mailboxes, the responsible body and the
    joint bodies their roles see (``directory.scoping.visible_to``) — never a letter that
    reports on their own body."""
    base = Letter.objects.all()
    if user is None or not user.is_authenticated:
        return base.none()
    mailbox = visible_to(user, base, "mailbox__body").values("pk")
    handling = visible_to(user, base, "handling_body").values("pk")
    joint = visible_to(
        user, LetterRouting.objects.filter(active=True, role=LetterRouting.Role.JOINT), "to_body"
    ).values("letter")
    return base.filter(Q(pk__in=mailbox) | Q(pk__in=handling) | Q(pk__in=joint)).exclude(
        _hidden_for(user)
    )


def is_accused(letter: Letter, body: Organisation) -> bool:
    """Whether ``body`` is the body the letter reports on, or under it."""
    accused = letter.accused_body
    return accused is not None and body.path.startswith(accused.path)


def due_date(letter: Letter) -> datetime.date | None:
    """The day the writer is told the current limit ends (None when nothing is counting)."""
    for timer in (letter.handling_timer, letter.acceptance_timer):
        if timer is not None and timer.stopped_at is None:
            return timer.due_date
    return None


def joint_bodies(letter: Letter):
    return Organisation.objects.filter(
        letter_routings__letter=letter,
        letter_routings__active=True,
        letter_routings__role=LetterRouting.Role.JOINT,
    )


# --- helpers ----------------------------------------------------------------------------


def _check_actor(letter: Letter, by, permission: str = HANDLE, *, responsible=True) -> None:
    """``by`` sees the letter, holds ``permission`` and — for the verbs of the responsible
    body — sees that body."""
    if by is None or not letters_visible_to(by).filter(pk=letter.pk).exists():
        raise InteractionPermissionError(_("This letter is not among the letters you may see."))
    if not by.has_perm(permission):
        raise InteractionPermissionError(_("Your roles do not allow this action."))
    if responsible and not _sees_body(by, letter.handling_body):
        raise InteractionPermissionError(
            _("Only the responsible body (%(body)s) may do this.")
            % {"body": letter.handling_body.name_zh}
        )


def _sees_body(user, body) -> bool:
    return visible_to(user, Organisation.objects.filter(pk=body.pk), "pk").exists()


def _lock(letter: Letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("mailbox", "handling_body", "accused_body")
        .get(pk=letter.pk)
    )


def _today(on) -> datetime.date:
    day = on or timezone.localdate()
    if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
        raise InteractionError(_("The day must be a date."))
    return day


def _text(value: str, *, what: str, minimum: int = 1, field: str | None = None) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        if minimum <= 1:
            raise InteractionError(_("Give the %(what)s.") % {"what": what}, field)
        raise InteractionError(
            _("Give the %(what)s in at least %(count)d characters (now %(length)d).")
            % {"what": what, "count": minimum, "length": len(value)},
            field,
        )
    return value


def _require_status(letter: Letter, *allowed: str) -> None:
    if letter.status not in allowed:
        raise InteractionError(
            _("Letter %(number)s is “%(status)s”: this cannot be done now.")
            % {"number": letter.number, "status": letter.get_status_display()}
        )


def _record(
    letter: Letter,
    action: str,
    *,
    on: datetime.date,
    by=None,
    body=None,
    note: str = "",
    detail: dict | None = None,
    public: bool = True,
    http_request=None,
) -> LetterEvent:
    letter.save()
    event = LetterEvent.objects.create(
        letter=letter,
        action=action,
        on=on,
        by=by,
        body=body,
        note=note,
        detail=detail or {},
        public=public,
    )
    audit.record(
        f"interaction.{action}",
        actor=by,
        body=letter.handling_body,
        obj=letter,
        request=http_request,
        detail={"status": letter.status, **(detail or {})},
    )
    if public:
        from .messages import publish_progress

        publish_progress(letter, event)
    return event


def _check_not_held(letter: Letter) -> None:
    from .guard import check_not_held

    check_not_held(letter)


def _check_body_for(letter: Letter, body: Organisation, field: str = "to_body") -> None:
    if not body.is_active:
        raise InteractionError(_("%(body)s is not an active body.") % {"body": body.name_zh}, field)
    if is_accused(letter, body):
        raise InteractionError(
            _(
                "%(body)s is the body this report is about (or under it): a report never "
                "goes to the body it reports on."
            )
            % {"body": body.name_zh},
            field,
        )


# --- verbs ------------------------------------------------------------------------------


def register(
    *,
    mailbox: Mailbox,
    category: str,
    subject: str,
    text: str,
    writer_name: str,
    phone: str,
    email: str = "",
    address: str = "",
    consent_to_publish: bool = False,
    accused_body: Organisation | None = None,
    received_on: datetime.date | None = None,
    submitted_at: datetime.datetime | None = None,
    online: bool = False,
    number: str = "",
    files=(),
    by=None,
    http_request=None,
) -> Letter:
    """Register a letter and start its acceptance limit. ``number`` is given for a letter
    written online (numbered where it arrived); otherwise one is taken here (a letter by
    post or at a visit, registered by the mailbox's staff). ``files``: (name, content type,
    bytes), already checked by content."""
    from django.core.files.base import ContentFile

    from .models import LetterFile

    if by is not None:
        if not by.has_perm(HANDLE):
            raise InteractionPermissionError(_("Your roles do not allow this action."))
        if not _sees_body(by, mailbox.body):
            raise InteractionPermissionError(
                _("This mailbox is not among the mailboxes you may see.")
            )
    if category not in Category.values:
        raise InteractionError(_("Choose the category."))
    if accused_body is not None and category != Category.REPORT:
        accused_body = None  # only a report names a body it reports on
    if accused_body is not None and mailbox.body.path.startswith(accused_body.path):
        raise InteractionError(
            _(
                "A report on %(body)s cannot go to a mailbox of that body: write to the "
                "district head's mailbox or to a supervising body."
            )
            % {"body": accused_body.name_zh}
        )
    day = _today(received_on)
    if day > timezone.localdate():
        raise InteractionError(_("A letter cannot be received in the future."), "received_on")
    with transaction.atomic():
        if not number:
            number = f"YCXX-{day.year}-N{next_number(COUNTER_SERIES, day.year):05d}"
        letter = Letter(
            number=number,
            year=day.year,
            mailbox=mailbox,
            category=category,
            subject=_text(subject, what=_("subject"))[:200],
            text=_text(text, what=_("text of the letter")),
            consent_to_publish=bool(consent_to_publish),
            writer_name=_text(writer_name, what=_("writer's name"))[:100],
            phone=_text(phone, what=_("telephone"))[:30],
            email=(email or "").strip(),
            address=(address or "").strip()[:300],
            online=online,
            submitted_at=submitted_at or timezone.now(),
            received_on=day,
            accused_body=accused_body,
            handling_body=mailbox.body,
        )
        letter.save()
        for name, content_type, data in files:
            stored = LetterFile(
                letter=letter, name=name[:200], content_type=content_type, size=len(data)
            )
            stored.file.save(name, ContentFile(data), save=False)
            stored.save()
        letter.acceptance_timer = _start(ACCEPTANCE, letter, day, limits()["ACCEPT_DAYS"], by)
        from .guard import hold_if_abusive

        held = hold_if_abusive(letter)
        _record(
            letter,
            "registered",
            on=day,
            by=by,
            body=mailbox.body,
            detail={"due": letter.acceptance_timer.due_date.isoformat()},
            http_request=http_request,
        )
        if held:
            from .guard import pause_while_held

            pause_while_held(letter, day, by)
            _record(
                letter,
                "held",
                on=day,
                body=mailbox.body,
                note=letter.held_reason,
                detail={"flagged": False},
                public=False,
            )
    return letter


def accept(
    letter: Letter, *, by, on: datetime.date | None = None, note: str = "", http_request=None
) -> Letter:
    """Accept the letter (受理): the writer is told, and the handling limit starts."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, Status.REGISTERED)
        _check_not_held(letter)
        if day < letter.received_on:
            raise InteractionError(_("A letter cannot be accepted before it was received."))
        timers.stop_timer(letter.acceptance_timer, reason="accepted", by=by)
        letter.accepted_on = day
        letter.handling_started_on = day
        letter.handling_limit = limits()["CLOSE_DAYS"]
        letter.handling_timer = _start(HANDLING, letter, day, letter.handling_limit, by)
        letter.status = Status.ACCEPTED
        _record(
            letter,
            "accepted",
            on=day,
            by=by,
            body=letter.handling_body,
            note=(note or "").strip(),
            detail={"due": letter.handling_timer.due_date.isoformat()},
            http_request=http_request,
        )
    return letter


def decline(
    letter: Letter, *, by, reason: str, on: datetime.date | None = None, http_request=None
) -> Letter:
    """Do not accept the letter (不予受理), telling the writer why (and where to turn)."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, Status.REGISTERED)
        letter.not_accepted_reason = _text(reason, what=_("reason"), minimum=MIN_REASON)
        timers.stop_timer(letter.acceptance_timer, reason="not accepted", by=by)
        letter.status = Status.NOT_ACCEPTED
        letter.closed_on = day
        _record(
            letter,
            "not_accepted",
            on=day,
            by=by,
            body=letter.handling_body,
            note=letter.not_accepted_reason,
            http_request=http_request,
        )
    return letter


def set_accused_body(letter: Letter, *, by, body: Organisation | None, http_request=None) -> Letter:
    """Name the body a report is about (the mailbox's staff, at any time before the reply):
    it must not be the mailbox's, the responsible or a joint body."""
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, *OPEN_STATUSES)
        if letter.category != Category.REPORT:
            raise InteractionError(_("Only a report (举报) names a body it reports on."))
        if body is not None:
            involved = [letter.mailbox.body, letter.handling_body, *joint_bodies(letter)]
            for other in involved:
                if other.path.startswith(body.path):
                    raise InteractionError(
                        _(
                            "%(body)s handles this letter: route it elsewhere before naming a "
                            "body it is responsible for."
                        )
                        % {"body": other.name_zh}
                    )
        letter.accused_body = body
        _record(
            letter,
            "accused_body_set",
            on=timezone.localdate(),
            by=by,
            public=False,
            detail={"accused": body.code if body else ""},
            http_request=http_request,
        )
    return letter


def route(
    letter: Letter,
    *,
    by,
    to_body: Organisation,
    joint: list | tuple = (),
    reason: str = "",
    on: datetime.date | None = None,
    http_request=None,
) -> Letter:
    """Route (转办) the letter to the body responsible for it, with the bodies that handle it
    jointly (协办). Any routing after the first is a re-routing and needs a reason. The
    handling timer passes to the responsible body."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, Status.ACCEPTED)
        _check_not_held(letter)
        if to_body.pk == letter.handling_body_id:
            raise InteractionError(
                _("%(body)s is already responsible for this letter.") % {"body": to_body.name_zh},
                "to_body",
            )
        joint = [body for body in joint if body.pk != to_body.pk]
        _check_body_for(letter, to_body, "to_body")
        for body in joint:
            _check_body_for(letter, body, "joint")
        rerouting = letter.routings.exists()
        reason = (reason or "").strip()
        if rerouting:
            reason = _text(
                reason, what=_("reason for routing it again"), minimum=MIN_REASON, field="reason"
            )
        from_body = letter.handling_body
        letter.routings.filter(active=True).update(
            active=False, ended_on=day, end_reason="routed again", ended_by=by
        )
        LetterRouting.objects.create(
            letter=letter,
            from_body=from_body,
            to_body=to_body,
            role=LetterRouting.Role.LEAD,
            reason=reason,
            routed_on=day,
            routed_by=by,
        )
        for body in joint:
            LetterRouting.objects.create(
                letter=letter,
                from_body=from_body,
                to_body=body,
                role=LetterRouting.Role.JOINT,
                reason=reason,
                routed_on=day,
                routed_by=by,
            )
        letter.handling_body = to_body
        letter.reply_draft = ""
        timers.transfer_timer(letter.handling_timer, owner_body=to_body, by=by)
        _record(
            letter,
            "rerouted" if rerouting else "routed",
            on=day,
            by=by,
            body=from_body,
            note=reason,
            detail={"to": to_body.code, "joint": [body.code for body in joint]},
            http_request=http_request,
        )
    return letter


def refuse_routing(
    letter: Letter, *, by, reason: str, on: datetime.date | None = None, http_request=None
) -> Letter:
    """The responsible body says the letter is not its matter: it goes back to the body that
    routed it, which routes it again (with a reason)."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, Status.ACCEPTED, Status.DRAFTED)
        routing = letter.routings.filter(
            active=True, role=LetterRouting.Role.LEAD, to_body=letter.handling_body
        ).first()
        if routing is None:
            raise InteractionError(
                _("This letter was not routed to your body: route it yourself instead.")
            )
        reason = _text(reason, what=_("reason"), minimum=MIN_REASON)
        letter.routings.filter(active=True).update(
            active=False, ended_on=day, end_reason=reason, ended_by=by
        )
        refused_by = letter.handling_body
        letter.handling_body = routing.from_body
        letter.reply_draft = ""
        letter.status = Status.ACCEPTED
        timers.transfer_timer(letter.handling_timer, owner_body=routing.from_body, by=by)
        _record(
            letter,
            "routing_refused",
            on=day,
            by=by,
            body=refused_by,
            note=reason,
            public=False,
            detail={"back_to": routing.from_body.code},
            http_request=http_request,
        )
    return letter


def add_opinion(letter: Letter, *, by, text: str, http_request=None) -> LetterEvent:
    """A joint body's (or the responsible body's) opinion for the reply; internal."""
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by, responsible=False)
        _require_status(letter, Status.ACCEPTED, Status.DRAFTED)
        body = next(
            (b for b in [letter.handling_body, *joint_bodies(letter)] if _sees_body(by, b)),
            None,
        )
        if body is None:
            raise InteractionPermissionError(
                _("Only the responsible and the joint bodies give opinions.")
            )
        return _record(
            letter,
            "opinion",
            on=timezone.localdate(),
            by=by,
            body=body,
            note=_text(text, what=_("opinion")),
            public=False,
            http_request=http_request,
        )


def draft_reply(letter: Letter, *, by, text: str, http_request=None) -> Letter:
    """Write (or rewrite) the reply; it goes to review."""
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, Status.ACCEPTED, Status.DRAFTED)
        letter.reply_draft = _text(text, what=_("reply"), minimum=MIN_REASON)
        letter.drafted_by = by
        letter.reviewed_by = None
        letter.status = Status.DRAFTED
        _record(
            letter,
            "reply_drafted",
            on=timezone.localdate(),
            by=by,
            body=letter.handling_body,
            public=False,
            http_request=http_request,
        )
    return letter


def _pass_reply(letter, *, by, approve, note, http_request, on_approve):
    """One step of the reply inside the body (review, sign-off): approved, ``on_approve``
    records who and the letter moves on; sent back, the note says what to change."""
    note = (note or "").strip()
    if approve:
        step = on_approve(letter)
    else:
        note = _text(note, what=_("what to change"), minimum=MIN_REASON)
        letter.status = Status.ACCEPTED
        step = "reply_sent_back"
    _record(
        letter,
        step,
        on=timezone.localdate(),
        by=by,
        body=letter.handling_body,
        note=note,
        public=False,
        http_request=http_request,
    )
    return letter


def review_reply(letter: Letter, *, by, approve: bool, note: str = "", http_request=None) -> Letter:
    """Review the draft (someone else than its writer): approved, it goes to sign-off; sent
    back, the note says what to change."""
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by, REVIEW)
        _require_status(letter, Status.DRAFTED)
        if letter.drafted_by_id == by.pk:
            raise InteractionError(_("The reply is reviewed by someone other than its writer."))

        def reviewed(row):
            row.reviewed_by, row.status = by, Status.REVIEWED
            return "reply_approved"

        return _pass_reply(
            letter,
            by=by,
            approve=approve,
            note=note,
            http_request=http_request,
            on_approve=reviewed,
        )


def sign_off(
    letter: Letter, *, by, approve: bool = True, note: str = "", http_request=None
) -> Letter:
    """The body's head signs the reviewed reply off (or sends it back with a note)."""
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by, SIGN_OFF)
        _require_status(letter, Status.REVIEWED)

        def signed(row):
            row.signed_off_by, row.status = by, Status.SIGNED
            return "reply_signed_off"

        return _pass_reply(
            letter,
            by=by,
            approve=approve,
            note=note,
            http_request=http_request,
            on_approve=signed,
        )


def reply(letter: Letter, *, by, on: datetime.date | None = None, http_request=None) -> Letter:
    """Send the signed-off reply to the writer: the handling limit stops (办结)."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, Status.SIGNED)
        letter.reply_text = letter.reply_draft
        letter.replied_on = day
        letter.status = Status.REPLIED
        timers.stop_timer(letter.handling_timer, reason="replied", by=by)
        _record(
            letter,
            "replied",
            on=day,
            by=by,
            body=letter.handling_body,
            detail={"on_time": day <= letter.handling_timer.due_date},
            http_request=http_request,
        )
    return letter


def extend(
    letter: Letter,
    *,
    by,
    days: int,
    reason: str,
    on: datetime.date | None = None,
    http_request=None,
) -> Letter:
    """Extend the handling limit: once, by at most ``MAX_EXTENSION_DAYS`` days, approved by
    someone who may approve extensions, before the limit ends; the writer is told."""
    day = _today(on)
    maximum = limits()["MAX_EXTENSION_DAYS"]
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by, APPROVE)
        _require_status(letter, Status.ACCEPTED, Status.DRAFTED, Status.REVIEWED, Status.SIGNED)
        if letter.extension_days:
            raise InteractionError(
                _("The limit was already extended by %(n)d days: only once is allowed.")
                % {"n": letter.extension_days}
            )
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= maximum:
            raise InteractionError(_("An extension is 1 to %(n)d days.") % {"n": maximum})
        timer = letter.handling_timer
        if timer.due_date < day:
            raise InteractionError(
                _("The limit ended on %(day)s: an extension must be decided before it ends.")
                % {"day": timer.due_date}
            )
        letter.extension_reason = _text(reason, what=_("reason"), minimum=MIN_REASON)
        letter.extension_days = days
        letter.extension_approved_by = by
        new_due = legal_due(letter.handling_started_on, letter.handling_limit + days)
        if new_due > timer.due_date:
            letter.handling_timer = timers.extend_timer(
                timer, days=(new_due - timer.due_date).days, by=by
            )
        _record(
            letter,
            "extended",
            on=day,
            by=by,
            body=letter.handling_body,
            note=letter.extension_reason,
            detail={"days": days, "due": letter.handling_timer.due_date.isoformat()},
            http_request=http_request,
        )
    return letter


def rate(
    letter: Letter,
    *,
    rating: str,
    comment: str = "",
    on: datetime.date | None = None,
    by=None,
    follow_up: bool = False,
    http_request=None,
) -> Letter:
    """The writer's rating of the reply (from outside, or taken by staff on a follow-up call,
    回访). Satisfied closes the letter; dissatisfied reopens it once, with ``REVIEW_DAYS`` to
    handle it again; dissatisfied a second time closes it with the rating on record."""
    day = _today(on)
    if rating not in Rating.values:
        raise InteractionError(_("Choose a rating."))
    with transaction.atomic():
        letter = _lock(letter)
        if by is not None:
            _check_actor(letter, by)
        _require_status(letter, Status.REPLIED)
        letter.rating = rating
        letter.rating_comment = (comment or "").strip()
        letter.rated_on = day
        action = "follow_up" if follow_up else "rated"
        if rating == Rating.DISSATISFIED and letter.reopened < 1:
            letter.reopened += 1
            letter.status = Status.ACCEPTED
            letter.reply_draft = ""
            letter.handling_started_on = day
            letter.handling_limit = limits()["REVIEW_DAYS"]
            letter.handling_timer = _start(HANDLING, letter, day, letter.handling_limit, by)
            detail = {"rating": rating, "reopened": True}
            detail["due"] = letter.handling_timer.due_date.isoformat()
        else:
            letter.status = Status.CLOSED
            letter.closed_on = day
            detail = {"rating": rating, "reopened": False}
        _record(
            letter,
            action,
            on=day,
            by=by,
            body=letter.handling_body,
            note=letter.rating_comment if by is not None else "",
            detail=detail,
            http_request=http_request,
        )
    return letter


# --- publication ------------------------------------------------------------------------


def publish_reply(
    letter: Letter, *, by, question: str = "", answer: str = "", http_request=None
) -> Letter:
    """Publish the question and the reply (the writer agreed), personal data masked
    (``publication.public_texts``) — exactly what the staff preview shows. A report is never
    published."""
    from . import publication

    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by)
        _require_status(letter, Status.REPLIED, Status.CLOSED)
        if not letter.consent_to_publish:
            raise InteractionError(_("The writer did not agree to publication."))
        if letter.category == Category.REPORT:
            raise InteractionError(_("A report (举报) is never published."))
        texts = publication.public_texts(letter, question=question, answer=answer)
        letter.public_question = texts.question
        letter.public_answer = texts.answer
        letter.published_at = timezone.now()
        publication.send(letter, texts)
        _record(
            letter,
            "published",
            on=timezone.localdate(),
            by=by,
            body=letter.handling_body,
            public=False,
            http_request=http_request,
        )
    return letter
