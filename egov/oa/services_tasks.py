"""The verbs of tasks and their supervision (督查督办): ``assign_task``,
``report_progress``, ``urge``, ``submit_completion``, ``accept_completion``, ``send_back``,
``cancel_task``. A task's deadline is a timer of the one clock (purpose ``oa.task``), so
e-supervision sees it. Conventions as in ``services_office``."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit, timers
from egov.core.counters import next_number
from egov.directory.models import Membership, Organisation
from egov.directory.scoping import visible_to

from .models import Meeting, Task, TaskEvent
from .services_meetings import meetings_visible_to
from .services_office import (
    ASSIGN_TASK,
    SUPERVISE_TASK,
    OfficeError,
    OfficePermissionError,
    _is_staff,
    _reason,
    _require,
    _require_member,
    _store,
    member_bodies,
)

TASK_PURPOSE = "oa.task"
TASK_SERIES = "oa.task"
MAX_TASK_DAYS = 366
PAUSE_REASON = "awaiting the assigning body's acceptance"


def tasks_visible_to(user) -> QuerySet[Task]:
    """The tasks of the bodies ``user`` sees, assigning or responsible (supervisors: all),
    and the tasks naming them."""
    if not _is_staff(user):
        return Task.objects.none()
    base = Task.objects.all()
    assigning = visible_to(user, base, "from_body").values("pk")
    responsible = visible_to(user, base, "to_body").values("pk")
    return base.filter(Q(pk__in=assigning) | Q(pk__in=responsible) | Q(to_person=user))


def _visible_task(task: Task, user) -> None:
    if not tasks_visible_to(user).filter(pk=task.pk).exists():
        raise OfficePermissionError(_("This task is not among the tasks you may see."))


def may_assigner_act(user, task: Task) -> bool:
    """The assigning body's side: assign_task and sight of the assigning body."""
    return (
        _is_staff(user)
        and user.has_perm(ASSIGN_TASK)
        and visible_to(user, Task.objects.filter(pk=task.pk), "from_body").exists()
    )


def may_responsible_act(user, task: Task) -> bool:
    """The responsible side: the named person, or a staff member of the responsible body."""
    if not _is_staff(user):
        return False
    if task.to_person_id == user.pk:
        return True
    return Membership.objects.filter(user=user, organisation_id=task.to_body_id).exists()


def may_urge(user, task: Task) -> bool:
    if may_assigner_act(user, task):
        return True
    return (
        _is_staff(user)
        and user.has_perm(SUPERVISE_TASK)
        and tasks_visible_to(user).filter(pk=task.pk).exists()
    )


def _event(task: Task, action: str, by, *, body=None, note: str = "", detail=None, file=None):
    event = TaskEvent(
        task=task,
        action=action,
        on=timezone.localdate(),
        by=by,
        body=body,
        note=note,
        detail=detail or {},
    )
    if file is not None:
        name, content_type, data = file
        _store(event.file, name, data)
        event.file_name, event.content_type = name, content_type
    event.save()
    return event


def task_number(year: int) -> str:
    """督办 numbers, one series per year without gaps: DB-2026-0001."""
    return f"DB-{year}-{next_number(TASK_SERIES, year):04d}"


def assign_task(
    *,
    by,
    from_body: Organisation,
    to_body: Organisation,
    title: str,
    instructions: str,
    source: str,
    working_days: int | None = None,
    due_date: datetime.date | None = None,
    to_person=None,
    meeting: Meeting | None = None,
    request=None,
) -> Task:
    """Assign a task with a deadline of ``working_days`` working days or a ``due_date``
    (exactly one). The deadline is a timer of the one clock (purpose ``oa.task``, the
    source as its category, the responsible body answerable), so e-supervision warns,
    and gives yellow and red cards, as for any other limit."""
    _require(by, ASSIGN_TASK)
    _require_member(by, from_body, "from_body")
    title, instructions = (title or "").strip(), (instructions or "").strip()
    if not title:
        raise OfficeError(_("Give the task a title."), "title")
    if not instructions:
        raise OfficeError(_("Say what is to be done."), "instructions")
    if source not in Task.Source.values:
        raise OfficeError(_("Choose where the task comes from."), "source")
    if not to_body.is_active:
        raise OfficeError(_("%(body)s is not active.") % {"body": to_body.name_zh}, "to_body")
    if to_person is not None and not (
        to_person.is_active
        and Membership.objects.filter(user=to_person, organisation=to_body).exists()
    ):
        raise OfficeError(
            _("%(name)s is not a staff member of %(body)s.")
            % {"name": to_person.get_username(), "body": to_body.name_zh},
            "to_person",
        )
    if meeting is not None and not meetings_visible_to(by).filter(pk=meeting.pk).exists():
        raise OfficeError(_("This meeting is not among the meetings you may see."), "meeting")
    if (working_days is None) == (due_date is None):
        raise OfficeError(_("Give the deadline either in working days or as a date."), "deadline")
    today = timezone.localdate()
    if working_days is not None:
        if not 1 <= working_days <= MAX_TASK_DAYS:
            raise OfficeError(
                _("The deadline is 1 to %(n)d working days.") % {"n": MAX_TASK_DAYS},
                "working_days",
            )
        unit, limit, timer_unit = Task.Unit.WORKING_DAYS, working_days, timers.Unit.WORKING_DAYS
    else:
        limit = (due_date - today).days
        if limit < 1:
            raise OfficeError(_("The due date must be after today."), "due_date")
        if limit > MAX_TASK_DAYS:
            raise OfficeError(_("The due date is at most a year away."), "due_date")
        unit, timer_unit = Task.Unit.DATE, timers.Unit.NATURAL_DAYS
    with transaction.atomic():
        number = task_number(today.year)
        task = Task.objects.create(
            number=number,
            title=title,
            instructions=instructions,
            source=source,
            from_body=from_body,
            assigned_by=by,
            to_body=to_body,
            to_person=to_person,
            meeting=meeting,
            unit=unit,
            limit=limit,
            assigned_on=today,
            due_date=today,
        )
        task.timer = timers.start_timer(
            purpose=TASK_PURPOSE,
            subject=task,
            limit=limit,
            unit=timer_unit,
            start_date=today,
            owner_body=to_body,
            by=by,
            category=source,
        )
        task.due_date = task.timer.due_date
        task.save(update_fields=["timer", "due_date"])
        _event(
            task,
            "assigned",
            by,
            body=from_body,
            note=instructions,
            detail={"to_body": to_body.code, "to_person": to_person.pk if to_person else None},
        )
        audit.record(
            "oa.task.assigned",
            actor=by,
            body=from_body,
            obj=task,
            request=request,
            detail={
                "number": number,
                "to_body": to_body.code,
                "to_person": to_person.pk if to_person else None,
                "due": task.due_date,
                "unit": unit,
                "limit": limit,
            },
        )
    return task


def _locked_task(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


def _require_open(task: Task, field: str | None = None) -> None:
    if not task.is_open:
        raise OfficeError(
            _("This task is %(status)s; nothing more can be done on it.")
            % {"status": task.get_status_display()},
            field,
        )


def report_progress(
    task: Task, *, by, text: str, file: tuple[str, str, bytes] | None = None, request=None
) -> TaskEvent:
    """The responsible side reports how far the work is (进展)."""
    _visible_task(task, by)
    if not may_responsible_act(by, task):
        raise OfficePermissionError(_("Only the responsible body reports on this task."))
    text = (text or "").strip()
    if not text:
        raise OfficeError(_("Write what has been done."), "text")
    with transaction.atomic():
        locked = _locked_task(task)
        _require_open(locked, "text")
        if locked.status == Task.Status.SUBMITTED:
            raise OfficeError(
                _("The task is reported done and awaits acceptance; wait for the answer."),
                "text",
            )
        if locked.status == Task.Status.ASSIGNED:
            locked.status = Task.Status.IN_PROGRESS
            locked.save(update_fields=["status"])
        event = _event(locked, "progress", by, body=locked.to_body, note=text, file=file)
        audit.record("oa.task.progress", actor=by, body=locked.to_body, obj=locked, request=request)
    return event


def urge(task: Task, *, by, note: str, request=None) -> TaskEvent:
    """催办: the assigning body or a supervisor of tasks urges the responsible body. Every
    urging is recorded on the task and counted."""
    _visible_task(task, by)
    if not may_urge(by, task):
        raise OfficePermissionError(_("Your roles do not allow urging this task."))
    note = _reason(note, "note")
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_task(task)
        _require_open(locked, "note")
        locked.urge_count += 1
        locked.last_urged_at = now
        locked.save(update_fields=["urge_count", "last_urged_at"])
        body = member_bodies(by).first()
        event = _event(
            locked, "urged", by, body=body, note=note, detail={"count": locked.urge_count}
        )
        audit.record(
            "oa.task.urged",
            actor=by,
            body=locked.to_body,
            obj=locked,
            request=request,
            detail={"note": note, "count": locked.urge_count},
        )
    return event


def submit_completion(
    task: Task, *, by, text: str, file: tuple[str, str, bytes] | None = None, request=None
) -> Task:
    """The responsible side reports the task done (报结). The deadline's clock pauses while
    the assigning body checks the work: its time is not charged to the responsible body."""
    _visible_task(task, by)
    if not may_responsible_act(by, task):
        raise OfficePermissionError(_("Only the responsible body reports on this task."))
    text = (text or "").strip()
    if not text:
        raise OfficeError(_("Write what was done."), "text")
    with transaction.atomic():
        locked = _locked_task(task)
        _require_open(locked, "text")
        if locked.status == Task.Status.SUBMITTED:
            raise OfficeError(_("The task is already reported done."), "text")
        locked.status = Task.Status.SUBMITTED
        locked.save(update_fields=["status"])
        timers.pause_timer(locked.timer, reason=PAUSE_REASON, by=by)
        _event(locked, "submitted", by, body=locked.to_body, note=text, file=file)
        audit.record(
            "oa.task.submitted", actor=by, body=locked.to_body, obj=locked, request=request
        )
    return locked


def accept_completion(task: Task, *, by, note: str = "", request=None) -> Task:
    """The assigning body accepts the work (验收): the task is done, its timer stops."""
    _visible_task(task, by)
    if not may_assigner_act(by, task):
        raise OfficePermissionError(_("Only the assigning body accepts this task."))
    note = (note or "").strip()
    with transaction.atomic():
        locked = _locked_task(task)
        if locked.status != Task.Status.SUBMITTED:
            raise OfficeError(_("Only a task reported done can be accepted."), "note")
        locked.status = Task.Status.DONE
        locked.completed_on = timezone.localdate()
        locked.save(update_fields=["status", "completed_on"])
        timers.stop_timer(locked.timer, reason="accepted as done", by=by)
        _event(locked, "accepted", by, body=locked.from_body, note=note)
        audit.record(
            "oa.task.accepted", actor=by, body=locked.from_body, obj=locked, request=request
        )
    return locked


def send_back(task: Task, *, by, reason: str, request=None) -> Task:
    """The assigning body finds the work not done: back to the responsible body, with the
    reason; the clock runs again with the days that were left."""
    _visible_task(task, by)
    if not may_assigner_act(by, task):
        raise OfficePermissionError(_("Only the assigning body accepts this task."))
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked_task(task)
        if locked.status != Task.Status.SUBMITTED:
            raise OfficeError(_("Only a task reported done can be sent back."), "reason")
        locked.status = Task.Status.IN_PROGRESS
        timer = timers.resume_timer(locked.timer, by=by)
        locked.due_date = timer.due_date
        locked.save(update_fields=["status", "due_date"])
        _event(locked, "sent_back", by, body=locked.from_body, note=reason)
        audit.record(
            "oa.task.sent_back",
            actor=by,
            body=locked.from_body,
            obj=locked,
            request=request,
            detail={"reason": reason, "due": timer.due_date},
        )
    return locked


def cancel_task(task: Task, *, by, reason: str, request=None) -> Task:
    """The assigning body withdraws a task (撤销), with the reason; its timer stops."""
    _visible_task(task, by)
    if not may_assigner_act(by, task):
        raise OfficePermissionError(_("Only the assigning body may cancel this task."))
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked_task(task)
        _require_open(locked, "reason")
        locked.status = Task.Status.CANCELLED
        locked.save(update_fields=["status"])
        timers.stop_timer(locked.timer, reason="cancelled", by=by)
        _event(locked, "cancelled", by, body=locked.from_body, note=reason)
        audit.record(
            "oa.task.cancelled",
            actor=by,
            body=locked.from_body,
            obj=locked,
            request=request,
            detail={"reason": reason},
        )
    return locked
