"""The verbs of notices, meetings and tasks (督查督办), in three modules by concern. Each verb
is one transaction, checks its actor's permission and data scope
(``directory.scoping.visible_to``), and writes an audit entry (``core.audit.record``).
Rules: docs/decisions/0025-notices-meetings-tasks.md.

- here: the shared checks, and notices: ``send_notice``, ``mark_read`` (a recipient opening
  it; recorded once), ``remind_unread``;
- ``services_meetings``: ``add_room``, ``change_room``, ``schedule_meeting`` (the room's row
  is locked while its bookings are checked: no double booking), ``reschedule_meeting``,
  ``invite``, ``respond``, ``cancel_meeting``, ``record_minutes``, ``link_minutes_document``;
- ``services_tasks``: ``assign_task`` (the deadline is a timer of the one clock that
  e-supervision watches), ``report_progress``, ``urge``, ``submit_completion``,
  ``accept_completion``, ``send_back``, ``cancel_task``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.directory.models import Membership, Organisation
from egov.directory.scoping import visible_bodies, visible_to

from .models import (
    Notice,
    NoticeFile,
    NoticeReceipt,
    NoticeReminder,
)

SEND_NOTICE = "oa.send_notice"
SCHEDULE_MEETING = "oa.schedule_meeting"
ADD_ROOM = "oa.add_room"
CHANGE_ROOM = "oa.change_room"
ASSIGN_TASK = "oa.assign_task"
SUPERVISE_TASK = "oa.supervise_task"

MIN_REASON = 4

# Attachments of notices, minutes and progress reports: office documents, PDF and images,
# judged by their content (egov.services.uploads.check_content), at most 20 MB each.
ATTACHMENT_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 5


class OfficeError(ValueError):
    """A verb cannot be done in this state or with these values; the message says why in the
    user's language, and ``field`` names the input it is about (if one)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class OfficePermissionError(PermissionDenied):
    pass


# --- helpers ------------------------------------------------------------------------------


def _is_staff(user) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "kind", "") == "staff")
    )


def _require(user, permission: str) -> None:
    if not _is_staff(user) or not user.has_perm(permission):
        raise OfficePermissionError(_("Your roles do not allow this action."))


def _sees_body(user, body: Organisation) -> bool:
    return visible_bodies(user).filter(pk=body.pk).exists()


def member_bodies(user) -> QuerySet[Organisation]:
    """The bodies ``user`` is a member of (on whose behalf they write, organise, assign)."""
    if not _is_staff(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(is_active=True, memberships__user=user).distinct()


def _require_member(user, body: Organisation, field: str) -> None:
    if not member_bodies(user).filter(pk=body.pk).exists():
        raise OfficeError(
            _("You can act only for a body you belong to; %(body)s is not one of them.")
            % {"body": body.name_zh},
            field,
        )


def _reason(text: str, field: str = "reason") -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON:
        raise OfficeError(
            _("Give the reason, in at least %(n)d characters.") % {"n": MIN_REASON}, field
        )
    return text


def _store(field_file, name: str, data: bytes) -> None:
    field_file.save(name, ContentFile(data), save=False)


def staff_users():
    return get_user_model().objects.filter(is_active=True, kind="staff")


# --- internal notices ---------------------------------------------------------------------


def notices_sent_visible_to(user) -> QuerySet[Notice]:
    """The notices of the bodies whose sending ``user`` may follow (send_notice + scope)."""
    if not _is_staff(user) or not user.has_perm(SEND_NOTICE):
        return Notice.objects.none()
    return visible_to(user, Notice.objects.all(), "from_body")


def notices_received_by(user) -> QuerySet[NoticeReceipt]:
    if not _is_staff(user):
        return NoticeReceipt.objects.none()
    return NoticeReceipt.objects.filter(user=user).select_related("notice__from_body")


def recipients_of(bodies: Iterable[Organisation], people: Iterable) -> dict[int, int | None]:
    """user id → the addressed body they receive the notice as staff of (None when addressed
    by name only): every active staff member with a membership in an addressed body, and
    every named person."""
    result: dict[int, int | None] = {}
    body_ids = [body.pk for body in bodies]
    rows = (
        Membership.objects.filter(
            organisation_id__in=body_ids, user__is_active=True, user__kind="staff"
        )
        .order_by("organisation__path", "user_id")
        .values_list("user_id", "organisation_id")
    )
    for user_id, body_id in rows:
        result.setdefault(user_id, body_id)
    for person in people:
        result.setdefault(person.pk, None)
    return result


def send_notice(
    *,
    by,
    from_body: Organisation,
    title: str,
    text: str,
    to_bodies: Iterable[Organisation] = (),
    to_people: Iterable = (),
    priority: str = Notice.Priority.NORMAL,
    files: Iterable[tuple[str, str, bytes]] = (),
    request=None,
) -> Notice:
    """Write and send a notice: a receipt for every recipient, resolved now from the
    directory (staff who join an addressed body later do not receive it). ``files`` are
    (name, content type, bytes) already checked by content (the form does it)."""
    _require(by, SEND_NOTICE)
    _require_member(by, from_body, "from_body")
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise OfficeError(_("Give the notice a title."), "title")
    if not text:
        raise OfficeError(_("Write the text of the notice."), "text")
    to_bodies, to_people = list(to_bodies), list(to_people)
    for person in to_people:
        if not (person.is_active and getattr(person, "kind", "") == "staff"):
            raise OfficeError(
                _("%(name)s is not an active staff member.") % {"name": person.get_username()},
                "to_people",
            )
    recipients = recipients_of(to_bodies, to_people)
    if not recipients:
        raise OfficeError(
            _("Nobody would receive this notice: choose bodies with staff, or people."),
            "to_bodies",
        )
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise OfficeError(
            _("At most %(n)d files may go with a notice.") % {"n": MAX_ATTACHMENTS}, "files"
        )
    with transaction.atomic():
        notice = Notice.objects.create(
            from_body=from_body, author=by, title=title, text=text, priority=priority
        )
        notice.to_bodies.set(to_bodies)
        notice.to_people.set(to_people)
        NoticeReceipt.objects.bulk_create(
            [
                NoticeReceipt(notice=notice, user_id=user_id, via_body_id=body_id)
                for user_id, body_id in recipients.items()
            ]
        )
        for name, content_type, data in files:
            stored = NoticeFile(notice=notice, name=name, content_type=content_type, size=len(data))
            _store(stored.file, name, data)
            stored.save()
        audit.record(
            "oa.notice.sent",
            actor=by,
            body=from_body,
            obj=notice,
            request=request,
            detail={
                "title": title,
                "bodies": [body.code for body in to_bodies],
                "people": [person.pk for person in to_people],
                "recipients": len(recipients),
                "files": [name for name, _type, _data in files],
            },
        )
    return notice


def mark_read(notice: Notice, user, *, request=None) -> bool:
    """Record that ``user`` opened the notice: the first time only (one conditional UPDATE,
    so two tabs opened at once record it once). Returns whether this was the first read.
    Someone who is not a recipient records nothing."""
    now = timezone.now()
    with transaction.atomic():
        updated = NoticeReceipt.objects.filter(
            notice=notice, user=user, read_at__isnull=True
        ).update(read_at=now)
        if updated:
            audit.record(
                "oa.notice.read",
                actor=user,
                body=notice.from_body,
                obj=notice,
                request=request,
            )
    return bool(updated)


def remind_unread(notice: Notice, *, by, note: str = "", request=None) -> int:
    """The sender reminds every recipient who has not opened the notice (催阅): their
    receipts show the reminder, first in their list. Returns how many were reminded."""
    _require(by, SEND_NOTICE)
    if not notices_sent_visible_to(by).filter(pk=notice.pk).exists():
        raise OfficePermissionError(_("Only the sending body's office may remind the readers."))
    now = timezone.now()
    with transaction.atomic():
        unread = NoticeReceipt.objects.select_for_update().filter(
            notice=notice, read_at__isnull=True
        )
        users = list(unread.values_list("user_id", flat=True))
        if not users:
            raise OfficeError(_("Everyone has read this notice; there is nobody to remind."))
        unread.update(reminded_at=now, reminders=F("reminders") + 1)
        NoticeReminder.objects.create(
            notice=notice,
            action="reminded",
            on=timezone.localdate(now),
            at=now,
            by=by,
            note=(note or "").strip(),
            detail={"users": users},
        )
        audit.record(
            "oa.notice.reminded",
            actor=by,
            body=notice.from_body,
            obj=notice,
            request=request,
            detail={"unread": len(users)},
        )
    return len(users)
