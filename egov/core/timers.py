"""The timer service of the one clock (architecture principle 6).

Every time limit a citizen is owed is a ``Timer``; every module starts, pauses, resumes and
stops its timers through the verbs below, and e-supervision reads them with set-based queries
(``with_state``, ``overdue`` …). Semantics (docs/decisions/0002-working-day-clock.md):

- the start day is not counted: a limit of n working days started on S is due on
  ``add_working_days(S, n)``; in natural days on ``S + n``;
- a pause on day P owes the days strictly after P up to the due date
  (``working_days_between(P, due)``, or ``(due - P).days``): the pause day itself is used up.
  The result is zero on the due day and negative once overdue;
- a resume on day R moves the due date to R plus the owed days (R itself is not counted, like
  a start day). Pausing and resuming on the same day leaves the due date where it was;
- the state is derived, never stored: stopped if ``stopped_at`` is set, else paused if
  ``paused_at`` is set, else overdue if the due date is before today, else running.
"""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.db.models import Case, CharField, Count, OuterRef, Subquery, Value, When
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext

from egov.core.calendar import (
    CalendarNotCovered,
    add_natural_days,
    add_working_days,
    natural_days_between,
    snapshot,
    working_days_between,
)
from egov.core.models import Timer, TimerPause

__all__ = [
    "TimerError",
    "TimerStateError",
    "open_timers",
    "overdue",
    "extend_timer",
    "pause_timer",
    "redate_after_calendar_change",
    "paused",
    "resume_timer",
    "running",
    "start_timer",
    "state_counts",
    "stop_timer",
    "stopped",
    "timer_state",
    "timers_for",
    "transfer_timer",
    "with_state",
]

State = Timer.State
Unit = Timer.Unit


# Sent after the transaction that started, paused, resumed or stopped a timer commits, with
# ``timer`` (the row as it is now) and ``change`` ("started", "paused", "resumed", "extended",
# "transferred", "stopped"). E-supervision listens, so that a signal is raised at once; any
# module may.
timer_changed = Signal()


def _changed(timer: Timer, change: str) -> None:
    transaction.on_commit(
        lambda: timer_changed.send(sender=Timer, timer=timer, change=change), robust=True
    )


class TimerError(ValueError):
    """A timer verb was called with something it cannot do."""


class TimerStateError(TimerError):
    """The timer is not in a state that allows this verb (e.g. resuming a running timer)."""


# --- helpers ----------------------------------------------------------------------------


def _subject_key(subject) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        if subject.pk is None:
            raise TimerError(gettext("Save the record before starting a timer on it."))
        return subject._meta.label_lower, str(subject.pk)
    try:
        subject_type, subject_id = subject
    except (TypeError, ValueError):
        raise TimerError(
            gettext(
                "The subject of a timer is a saved record or a pair (type, id), "
                "e.g. ('cases.case', 42); got %(subject)r."
            )
            % {"subject": subject}
        ) from None
    if not subject_type or subject_id in (None, ""):
        raise TimerError(gettext("The subject's type and id must both be given."))
    return str(subject_type), str(subject_id)


def _add(unit: str, start: datetime.date, days: int) -> datetime.date:
    if unit == Unit.WORKING_DAYS:
        return add_working_days(start, days)
    return add_natural_days(start, days)


def _owed(unit: str, day: datetime.date, due: datetime.date) -> int:
    if unit == Unit.WORKING_DAYS:
        return working_days_between(day, due)
    return natural_days_between(day, due)


def _check_date(value, name: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TimerError(
            gettext("%(name)s must be a date, not %(value)r.") % {"name": name, "value": value}
        )
    return value


def _check_length(text: str, model, field: str) -> None:
    limit = model._meta.get_field(field).max_length
    if len(text) > limit:
        raise TimerError(
            gettext("The %(field)s is %(length)s characters long; shorten it to %(limit)s.")
            % {
                "field": model._meta.get_field(field).verbose_name,
                "length": len(text),
                "limit": limit,
            }
        )


def _locked(timer: Timer) -> Timer:
    return Timer.objects.select_for_update().get(pk=timer.pk)


def _refresh(timer: Timer, locked: Timer, fields: list[str]) -> Timer:
    """Copy what the verb changed onto the caller's instance, so it is current too."""
    if timer is not locked:
        for field in fields:
            setattr(timer, field, getattr(locked, field))
    return timer


def timer_state(timer: Timer, today: datetime.date | None = None) -> str:
    """The state of one timer in Python; the same rule as ``with_state`` in SQL."""
    today = today or timezone.localdate()
    if timer.stopped_at is not None:
        return State.STOPPED
    if timer.paused_at is not None:
        return State.PAUSED
    if timer.due_date < today:
        return State.OVERDUE
    return State.RUNNING


# --- the verbs --------------------------------------------------------------------------


def start_timer(
    *,
    purpose: str,
    subject,
    limit: int,
    unit: str,
    start_date: datetime.date | None = None,
    owner_body=None,
    by=None,
    category: str = "",
) -> Timer:
    """Start a timer of ``limit`` days (``unit``: working or natural) from ``start_date``.

    ``category`` is the kind of matter within the purpose (a case's timers: the service
    item type), kept on the timer for e-supervision's rules. The start day is not counted. Raises ``CalendarNotCovered`` if the due date falls past
    the last year the working-day calendar knows.
    """
    subject_type, subject_id = _subject_key(subject)
    if not purpose:
        raise TimerError(gettext("Say what the timer is for (its purpose)."))
    _check_length(purpose, Timer, "purpose")
    _check_length(category or "", Timer, "category")
    if unit not in Unit.values:
        raise TimerError(
            gettext("Unknown unit %(unit)r: use one of %(units)s.")
            % {"unit": unit, "units": ", ".join(Unit.values)}
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise TimerError(
            gettext("The limit must be a whole number of days, 0 or more; got %(limit)r.")
            % {"limit": limit}
        )
    start = _check_date(start_date or timezone.localdate(), "start_date")
    with transaction.atomic():
        timer = Timer.objects.create(
            purpose=purpose,
            subject_type=subject_type,
            subject_id=subject_id,
            category=category or "",
            owner_body=owner_body,
            start_date=start,
            limit=limit,
            unit=unit,
            due_date=_add(unit, start, limit),
            created_by=by,
        )
        _changed(timer, "started")
    return timer


def pause_timer(
    timer: Timer, *, reason: str, on: datetime.date | None = None, by=None
) -> TimerPause:
    """Pause a running (or overdue) timer on day ``on``, recording why and what is owed.

    The days owed are those strictly after ``on`` up to the due date, in the timer's unit.
    """
    if not reason or not reason.strip():
        raise TimerError(gettext("Give the reason for the pause; it is shown to supervisors."))
    _check_length(reason.strip(), TimerPause, "reason")
    day = _check_date(on or timezone.localdate(), "on")
    with transaction.atomic():
        locked = _locked(timer)
        if locked.stopped_at is not None:
            raise TimerStateError(
                gettext(
                    "Timer %(timer)s was stopped on %(date)s; a stopped timer cannot be paused."
                )
                % {"timer": locked.pk, "date": timezone.localdate(locked.stopped_at)}
            )
        if locked.paused_at is not None:
            raise TimerStateError(
                gettext(
                    "Timer %(timer)s is already paused since %(date)s; resume it before "
                    "pausing it again."
                )
                % {"timer": locked.pk, "date": locked.paused_at}
            )
        last_resume = (
            locked.pauses.exclude(resumed_on=None)
            .order_by("-resumed_on")
            .values_list("resumed_on", flat=True)
        ).first()
        earliest = max(locked.start_date, last_resume or locked.start_date)
        if day < earliest:
            raise TimerError(
                gettext(
                    "A pause on %(date)s is before %(earliest)s, when timer %(timer)s started "
                    "or last resumed; give a later date."
                )
                % {"date": day, "earliest": earliest, "timer": locked.pk}
            )
        pause = TimerPause.objects.create(
            timer=locked,
            reason=reason.strip(),
            paused_on=day,
            remaining=_owed(locked.unit, day, locked.due_date),
            by=by,
        )
        locked.paused_at = day
        locked.save(update_fields=["paused_at"])
        _changed(locked, "paused")
    _refresh(timer, locked, ["paused_at"])
    return pause


def resume_timer(timer: Timer, *, on: datetime.date | None = None, by=None) -> Timer:
    """Resume a paused timer on day ``on``: the due date becomes ``on`` plus the days owed.

    ``by`` is recorded on the pause row as the person who resumed it.
    Raises ``CalendarNotCovered`` (and leaves the timer paused) if the new due date falls past
    the last year the working-day calendar knows.
    """
    day = _check_date(on or timezone.localdate(), "on")
    with transaction.atomic():
        locked = _locked(timer)
        if locked.stopped_at is not None:
            raise TimerStateError(
                gettext("Timer %(timer)s was stopped; a stopped timer cannot be resumed.")
                % {"timer": locked.pk}
            )
        if locked.paused_at is None:
            raise TimerStateError(
                gettext("Timer %(timer)s is not paused, so it cannot be resumed.")
                % {"timer": locked.pk}
            )
        if day < locked.paused_at:
            raise TimerError(
                gettext(
                    "Timer %(timer)s was paused on %(paused)s; it cannot resume earlier, "
                    "on %(date)s."
                )
                % {"timer": locked.pk, "paused": locked.paused_at, "date": day}
            )
        pause = locked.pauses.filter(resumed_on=None).order_by("-paused_on", "-id").first()
        if pause is None:  # a pause set outside the service: owe what was left at that day
            remaining = _owed(locked.unit, locked.paused_at, locked.due_date)
        else:
            remaining = pause.remaining
            pause.resumed_on = day
            pause.resumed_by = by
            pause.save(update_fields=["resumed_on", "resumed_by"])
        locked.due_date = _add(locked.unit, day, remaining)
        locked.paused_at = None
        locked.save(update_fields=["due_date", "paused_at"])
        _changed(locked, "resumed")
    return _refresh(timer, locked, ["due_date", "paused_at"])


def extend_timer(timer: Timer, *, days: int, by=None) -> Timer:
    """Lengthen a running (or overdue) timer's limit by ``days`` of its unit (an extension
    allowed by law, e.g. 第33条 of the disclosure regulations). The due date moves by that
    many days from where it was; a paused or stopped timer cannot be extended (resume it
    first). Whether an extension is allowed (how often, by whom) is the module's rule."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise TimerError(
            gettext("An extension must be a whole number of days, 1 or more; got %(days)r.")
            % {"days": days}
        )
    with transaction.atomic():
        locked = _locked(timer)
        if locked.stopped_at is not None or locked.paused_at is not None:
            raise TimerStateError(
                gettext("Timer %(timer)s is %(state)s: only a running timer can be extended.")
                % {"timer": locked.pk, "state": timer_state(locked)}
            )
        locked.due_date = _add(locked.unit, locked.due_date, days)
        locked.limit += days
        locked.save(update_fields=["due_date", "limit"])
        _changed(locked, "extended")
    return _refresh(timer, locked, ["due_date", "limit"])


def redate_after_calendar_change(before, since: datetime.date) -> int:
    """After the working-day calendar changed from ``since`` on (official days replacing
    provisional ones, or an administrator's edit), give every running timer counted in working
    days whose due date lies on or after ``since`` the due date the new calendar gives for the
    same number of working days. ``before`` is ``calendar.snapshot()`` taken before the change.

    The count runs from the latest of the timer's start, its last resume and the day before
    ``since`` (nothing before that day changed), so the days already used stay used and the
    days still owed are owed on the new calendar. Paused timers need nothing: their owed days
    are stored and counted at the resume. Stopped timers keep their history. Returns how many
    due dates moved; a timer whose new due date the calendar cannot give keeps its old one.
    """
    after = snapshot()
    floor = since.toordinal() - 1
    moved = []
    timers = (
        Timer.objects.filter(
            unit=Unit.WORKING_DAYS, stopped_at=None, paused_at=None, due_date__gte=since
        )
        .annotate(
            last_resume=Subquery(
                TimerPause.objects.filter(timer=OuterRef("pk"), resumed_on__isnull=False)
                .order_by("-resumed_on")
                .values("resumed_on")[:1]
            )
        )
        .only("id", "start_date", "due_date")
    )
    with transaction.atomic():
        for timer in timers.select_for_update(of=("self",)).iterator(chunk_size=2000):
            anchor = max(timer.start_date.toordinal(), floor)
            if timer.last_resume is not None:
                anchor = max(anchor, timer.last_resume.toordinal())
            due = timer.due_date.toordinal()
            try:
                new_due = after.add(anchor, before.between(anchor, due))
            except CalendarNotCovered:
                continue
            if new_due != due:
                timer.due_date = datetime.date.fromordinal(new_due)
                moved.append(timer)
        Timer.objects.bulk_update(moved, ["due_date"], batch_size=2000)
    return len(moved)


def stop_timer(
    timer: Timer, *, reason: str = "", at: datetime.datetime | None = None, by=None
) -> Timer:
    """Stop a timer for good (the work is done, withdrawn …). A paused timer may be stopped:
    its open pause stays open, since it never resumed."""
    _check_length(reason, Timer, "stop_reason")
    moment = at or timezone.now()
    if not isinstance(moment, datetime.datetime):
        raise TimerError(gettext("'at' must be a date and time, not %(value)r.") % {"value": at})
    with transaction.atomic():
        locked = _locked(timer)
        if locked.stopped_at is not None:
            raise TimerStateError(
                gettext("Timer %(timer)s is already stopped (at %(at)s).")
                % {"timer": locked.pk, "at": locked.stopped_at}
            )
        locked.stopped_at = moment
        locked.stop_reason = reason
        locked.stopped_by = by
        locked.save(update_fields=["stopped_at", "stop_reason", "stopped_by"])
        _changed(locked, "stopped")
    return _refresh(timer, locked, ["stopped_at", "stop_reason", "stopped_by"])


def transfer_timer(timer: Timer, *, owner_body, by=None) -> Timer:
    """Make ``owner_body`` answerable for a timer that is not stopped (a letter routed to
    another body, 转办): its due date is unchanged; e-supervision's later signals name the
    new body. The change is sent as "transferred"."""
    with transaction.atomic():
        locked = _locked(timer)
        if locked.stopped_at is not None:
            raise TimerStateError(
                gettext("Timer %(timer)s was stopped; a stopped timer cannot be transferred.")
                % {"timer": locked.pk}
            )
        locked.owner_body = owner_body
        locked.save(update_fields=["owner_body"])
        _changed(locked, "transferred")
    return _refresh(timer, locked, ["owner_body"])


# --- set-based reads --------------------------------------------------------------------


def state_expression(today: datetime.date) -> Case:
    """The SQL form of ``timer_state``, for annotations, filters and aggregates."""
    return Case(
        When(stopped_at__isnull=False, then=Value(State.STOPPED.value)),
        When(paused_at__isnull=False, then=Value(State.PAUSED.value)),
        When(due_date__lt=today, then=Value(State.OVERDUE.value)),
        default=Value(State.RUNNING.value),
        output_field=CharField(max_length=10),
    )


def with_state(queryset=None, today: datetime.date | None = None):
    """Annotate each timer with ``state`` (running/paused/stopped/overdue), in the same query."""
    queryset = Timer.objects.all() if queryset is None else queryset
    return queryset.annotate(state=state_expression(today or timezone.localdate()))


def open_timers(queryset=None):
    """Timers not stopped (running, paused or overdue)."""
    queryset = Timer.objects.all() if queryset is None else queryset
    return queryset.filter(stopped_at__isnull=True)


def overdue(queryset=None, today: datetime.date | None = None):
    """Timers running past their due date (paused and stopped ones are not overdue)."""
    today = today or timezone.localdate()
    return open_timers(queryset).filter(paused_at__isnull=True, due_date__lt=today)


def running(queryset=None, today: datetime.date | None = None):
    """Timers running and not yet past their due date."""
    today = today or timezone.localdate()
    return open_timers(queryset).filter(paused_at__isnull=True, due_date__gte=today)


def paused(queryset=None):
    return open_timers(queryset).filter(paused_at__isnull=False)


def stopped(queryset=None):
    queryset = Timer.objects.all() if queryset is None else queryset
    return queryset.filter(stopped_at__isnull=False)


def state_counts(queryset=None, today: datetime.date | None = None) -> dict[str, int]:
    """How many timers are in each state, in one aggregate query (every state present)."""
    queryset = Timer.objects.all() if queryset is None else queryset
    rows = (
        queryset.annotate(_state=state_expression(today or timezone.localdate()))
        .order_by()
        .values("_state")
        .annotate(n=Count("pk"))
        .values_list("_state", "n")
    )
    result = dict.fromkeys(State.values, 0)
    result.update(dict(rows))
    return result


def timers_for(subject, purpose: str | None = None):
    """The timers of one record (a saved model instance or a (type, id) pair)."""
    subject_type, subject_id = _subject_key(subject)
    queryset = Timer.objects.filter(subject_type=subject_type, subject_id=subject_id)
    return queryset.filter(purpose=purpose) if purpose else queryset
