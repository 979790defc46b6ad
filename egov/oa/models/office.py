"""Internal notices, meetings and tasks (督查督办).

- A ``Notice`` (内部通知) is written by a body's office staff and sent at once to bodies
  (all their staff, resolved from the directory's memberships when it is sent) and/or named
  people; each recipient has one ``NoticeReceipt`` that records when they first opened it
  and when they were reminded (``NoticeReminder``, kept as written).
- A ``Meeting`` is organised by a body, in a ``Room`` (never two meetings in one room at the
  same time) or elsewhere; each invitee has an ``Invitation`` they accept or decline; its
  minutes (纪要) are text and/or a file, and may be linked to the official document of type
  纪要 that carries them (``minutes_document``).
- A ``Task`` (督办事项) is assigned by a body to a body (and optionally one of its staff)
  with a deadline that is a ``core.Timer`` of purpose ``oa.task`` (e-supervision watches
  it); every step is a ``TaskEvent``, kept as written.

docs/decisions/0025-notices-meetings-tasks.md gives the rules.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import RecordKeptError, StepEvent

__all__ = [
    "OfficeRecordError",
    "Notice",
    "NoticeFile",
    "NoticeReceipt",
    "NoticeReminder",
    "Room",
    "Meeting",
    "Invitation",
    "Task",
    "TaskEvent",
]


class OfficeRecordError(RecordKeptError):
    """A record of notices, meetings or tasks that is kept as written was to be changed."""


def _file_path(folder: str, filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name
    return f"oa/{folder}/{uuid.uuid4().hex}/{name}"


def notice_file_path(instance, filename: str) -> str:
    return _file_path("notices", filename)


def minutes_file_path(instance, filename: str) -> str:
    return _file_path("minutes", filename)


def task_file_path(instance, filename: str) -> str:
    return _file_path("tasks", filename)


# --- internal notices ---------------------------------------------------------------------


class Notice(models.Model):
    class Priority(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    from_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("sending body"),
        on_delete=models.PROTECT,
        related_name="oa_notices_sent",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    to_bodies = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("addressed bodies"),
        blank=True,
        related_name="+",
    )
    to_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("addressed people"),
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("internal notice")
        verbose_name_plural = _("internal notices")
        ordering = ["-sent_at", "-pk"]
        permissions = [("send_notice", _("Can write and send internal notices"))]

    def __str__(self) -> str:
        return self.title


class NoticeFile(models.Model):
    """An attachment of a notice, judged by its content when it was uploaded."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=notice_file_path, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("attachment of a notice")
        verbose_name_plural = _("attachments of notices")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class NoticeReceipt(models.Model):
    """One recipient of a notice: who (and through which addressed body), when first read."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="oa_notice_receipts",
    )
    via_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("as staff of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the person was addressed by name."),
    )
    read_at = models.DateTimeField(_("first read at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "user"], name="oa_notice_receipt_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="oa_receipt_user_read")]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.user_id}"


class NoticeReminder(StepEvent):
    """A sender's reminder to the recipients who had not read the notice yet (催阅)."""

    kept_error = OfficeRecordError

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="reminder_events")

    class Meta(StepEvent.Meta):
        verbose_name = _("reminder to read a notice")
        verbose_name_plural = _("reminders to read notices")


# --- meetings -----------------------------------------------------------------------------


class Room(models.Model):
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("managing body"),
        on_delete=models.PROTECT,
        related_name="oa_rooms",
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("where"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    shared = models.BooleanField(
        _("shared with every body"),
        default=False,
        help_text=_(
            "A shared room may be booked by the meeting organisers of every body; otherwise "
            "only by those of the bodies that see the managing body."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")
        ordering = ["body__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="oa_room_name_per_body")
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held, minutes recorded")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organising body"),
        on_delete=models.PROTECT,
        related_name="oa_meetings",
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    place = models.CharField(
        _("place (when not in a room)"),
        max_length=200,
        blank=True,
        help_text=_("For a meeting outside the rooms booked here, e.g. on site."),
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    minutes_text = models.TextField(_("minutes (纪要)"), blank=True)
    minutes_file = models.FileField(
        _("minutes file"), upload_to=minutes_file_path, max_length=300, blank=True
    )
    minutes_file_name = models.CharField(_("minutes file name"), max_length=200, blank=True)
    minutes_content_type = models.CharField(_("minutes content type"), max_length=100, blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    minutes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The official document of type 纪要 that carries the minutes, once it exists.
    minutes_document = models.ForeignKey(
        "oa.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_of",
        verbose_name=_("minutes as an official document"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        permissions = [("schedule_meeting", _("Can schedule meetings and record their minutes"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="oa_meeting_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["room", "starts_at"], name="oa_meeting_room_start")]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Will attend")
        DECLINED = "declined", _("Will not attend")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitee"),
        on_delete=models.PROTECT,
        related_name="oa_invitations",
    )
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="oa_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.user_id}"


# --- tasks (督查督办) -----------------------------------------------------------------------


class Task(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Reported done, awaiting acceptance")
        DONE = "done", _("Done and accepted")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        """Where a task comes from; kept on its timer as the category, so supervision may
        count and (later) rule on them apart."""

        LEADER = "oa.leader", _("A leader's instruction (领导批示)")
        MEETING = "oa.meeting", _("A meeting's decision (会议议定)")
        DOCUMENT = "oa.document", _("An official document to carry out (文件落实)")
        KEY_WORK = "oa.key_work", _("Key work of the year (重点工作)")
        OTHER = "oa.other", _("Other")

    class Unit(models.TextChoices):
        WORKING_DAYS = "working", _("working days")
        DATE = "date", _("by a date")

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("what is to be done"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    from_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("assigning body"),
        on_delete=models.PROTECT,
        related_name="oa_tasks_assigned",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        related_name="oa_tasks",
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="oa_tasks",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("decided at the meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    unit = models.CharField(_("deadline given in"), max_length=10, choices=Unit.choices)
    limit = models.PositiveSmallIntegerField(_("limit (days)"))
    assigned_on = models.DateField(_("assigned on"))
    due_date = models.DateField(_("due date"))
    timer = models.OneToOneField(
        "core.Timer",
        verbose_name=_("deadline timer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="oa_task",
        help_text=_("Started in the same transaction as the task; never empty after it."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ASSIGNED
    )
    urge_count = models.PositiveSmallIntegerField(_("times urged"), default=0)
    last_urged_at = models.DateTimeField(_("last urged at"), null=True, blank=True)
    completed_on = models.DateField(_("accepted as done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervised task")
        verbose_name_plural = _("supervised tasks")
        ordering = ["-assigned_on", "-pk"]
        permissions = [
            ("assign_task", _("Can assign tasks, urge them and accept their completion")),
            ("supervise_task", _("Can follow and urge every task of the bodies in scope")),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ASSIGNED, self.Status.IN_PROGRESS, self.Status.SUBMITTED)


class TaskEvent(StepEvent):
    """One step of a task as it happened (assigned, progress, urged, reported done, sent
    back, accepted, cancelled); never changed or deleted."""

    kept_error = OfficeRecordError

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    body = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=task_file_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta(StepEvent.Meta):
        verbose_name = _("task event")
        verbose_name_plural = _("task events")

    def __str__(self) -> str:
        return f"{self.task_id} {self.action} {self.on}"
