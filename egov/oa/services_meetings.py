"""The verbs of meeting rooms and meetings: ``add_room``, ``change_room``,
``schedule_meeting`` (the room's row is locked while its bookings are checked: no double
booking), ``reschedule_meeting``, ``invite``, ``respond``, ``cancel_meeting``,
``record_minutes``, ``link_minutes_document``. Conventions as in ``services_office``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.directory.models import Organisation
from egov.directory.scoping import visible_to

from .models import DocumentType, Invitation, Meeting, Room
from .services_office import (
    ADD_ROOM,
    CHANGE_ROOM,
    MIN_REASON,
    SCHEDULE_MEETING,
    OfficeError,
    OfficePermissionError,
    _is_staff,
    _reason,
    _require,
    _require_member,
    _sees_body,
    _store,
)

# --- rooms --------------------------------------------------------------------------------


def rooms_managed_by(user) -> QuerySet[Room]:
    if not _is_staff(user) or not user.has_perm(CHANGE_ROOM):
        return Room.objects.none()
    return visible_to(user, Room.objects.all(), "body")


def bookable_rooms(user) -> QuerySet[Room]:
    """The rooms ``user`` may book: in use, and shared or of a body they see."""
    if not _is_staff(user) or not user.has_perm(SCHEDULE_MEETING):
        return Room.objects.none()
    own = visible_to(user, Room.objects.all(), "body").values("pk")
    return Room.objects.filter(is_active=True).filter(Q(shared=True) | Q(pk__in=own))


def _room_values(name: str, capacity) -> tuple[str, int]:
    name = (name or "").strip()
    if not name:
        raise OfficeError(_("Give the room a name."), "name")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise OfficeError(_("A room has at least one seat."), "capacity")
    return name, capacity


def add_room(
    *,
    by,
    body: Organisation,
    name: str,
    capacity: int,
    location: str = "",
    shared: bool = False,
    request=None,
) -> Room:
    _require(by, ADD_ROOM)
    if not _sees_body(by, body):
        raise OfficePermissionError(_("You may manage only the rooms of the bodies you see."))
    name, capacity = _room_values(name, capacity)
    with transaction.atomic():
        if Room.objects.filter(body=body, name=name).exists():
            raise OfficeError(_("This body already has a room of that name."), "name")
        room = Room.objects.create(
            body=body, name=name, capacity=capacity, location=location.strip(), shared=shared
        )
        audit.record(
            "oa.room.added",
            actor=by,
            body=body,
            obj=room,
            request=request,
            detail={"name": name, "capacity": capacity, "shared": shared},
        )
    return room


def change_room(
    room: Room,
    *,
    by,
    name: str,
    capacity: int,
    location: str = "",
    shared: bool = False,
    is_active: bool = True,
    request=None,
) -> Room:
    _require(by, CHANGE_ROOM)
    if not rooms_managed_by(by).filter(pk=room.pk).exists():
        raise OfficePermissionError(_("You may manage only the rooms of the bodies you see."))
    name, capacity = _room_values(name, capacity)
    with transaction.atomic():
        locked = Room.objects.select_for_update().get(pk=room.pk)
        if Room.objects.filter(body=locked.body, name=name).exclude(pk=locked.pk).exists():
            raise OfficeError(_("This body already has a room of that name."), "name")
        before = {"name": locked.name, "capacity": locked.capacity, "active": locked.is_active}
        locked.name, locked.capacity, locked.location = name, capacity, location.strip()
        locked.shared, locked.is_active = shared, is_active
        locked.save()
        audit.record(
            "oa.room.changed",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"before": before, "name": name, "capacity": capacity, "active": is_active},
        )
    return locked


# --- meetings -----------------------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """The meetings ``user`` is invited to, and those of the bodies they see if they
    schedule meetings."""
    if not _is_staff(user):
        return Meeting.objects.none()
    invited = Meeting.objects.filter(invitations__user=user).values("pk")
    condition = Q(pk__in=invited)
    if user.has_perm(SCHEDULE_MEETING):
        condition |= Q(pk__in=visible_to(user, Meeting.objects.all(), "body").values("pk"))
    return Meeting.objects.filter(condition)


def _may_organise(user, meeting: Meeting) -> bool:
    return (
        _is_staff(user)
        and user.has_perm(SCHEDULE_MEETING)
        and visible_to(user, Meeting.objects.filter(pk=meeting.pk), "body").exists()
    )


def room_clashes(
    room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime, exclude=None
) -> QuerySet[Meeting]:
    """The meetings (not cancelled) booked in ``room`` that overlap [starts_at, ends_at):
    one ending when the next begins does not clash."""
    qs = Meeting.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=Meeting.Status.CANCELLED
    )
    return qs.exclude(pk=exclude) if exclude else qs


def _check_times(starts_at, ends_at) -> None:
    if starts_at is None or ends_at is None:
        raise OfficeError(_("Give when the meeting starts and ends."), "starts_at")
    if ends_at <= starts_at:
        raise OfficeError(_("The meeting must end after it starts."), "ends_at")
    if starts_at < timezone.now() - datetime.timedelta(minutes=5):
        raise OfficeError(_("A meeting cannot be scheduled in the past."), "starts_at")


def _lock_room(user, room: Room, starts_at, ends_at, invitees: int, exclude=None) -> Room:
    """Inside the booking transaction: lock the room's row, so that two bookings of one room
    are checked one after the other (PostgreSQL: SELECT … FOR UPDATE; SQLite: every write
    transaction is IMMEDIATE, so writers are serialised anyway)."""
    if not bookable_rooms(user).filter(pk=room.pk).exists():
        raise OfficeError(_("You may not book this room."), "room")
    locked = Room.objects.select_for_update().get(pk=room.pk)
    clash = room_clashes(locked, starts_at, ends_at, exclude=exclude).order_by("starts_at").first()
    if clash is not None:
        local = timezone.localtime
        raise OfficeError(
            _(
                "%(room)s is booked from %(start)s to %(end)s by %(body)s; choose another "
                "time or room."
            )
            % {
                "room": locked.name,
                "start": local(clash.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": local(clash.ends_at).strftime("%H:%M"),
                "body": clash.body.name_zh,
            },
            "room",
        )
    if invitees > locked.capacity:
        raise OfficeError(
            _("%(room)s has %(seats)d seats for %(n)d invitees; choose a larger room.")
            % {"room": locked.name, "seats": locked.capacity, "n": invitees},
            "room",
        )
    return locked


def _check_invitees(people) -> list:
    people = list(dict.fromkeys(people))
    for person in people:
        if not (person.is_active and getattr(person, "kind", "") == "staff"):
            raise OfficeError(
                _("%(name)s is not an active staff member.") % {"name": person.get_username()},
                "invitees",
            )
    return people


def schedule_meeting(
    *,
    by,
    body: Organisation,
    title: str,
    agenda: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    room: Room | None = None,
    place: str = "",
    invitees: Iterable = (),
    request=None,
) -> Meeting:
    """Schedule a meeting of ``body`` in ``room`` (or at ``place``) and invite people."""
    _require(by, SCHEDULE_MEETING)
    _require_member(by, body, "body")
    title, agenda, place = (title or "").strip(), (agenda or "").strip(), (place or "").strip()
    if not title:
        raise OfficeError(_("Give the meeting a title."), "title")
    if not agenda:
        raise OfficeError(_("Write the agenda."), "agenda")
    if room is None and not place:
        raise OfficeError(_("Choose a room, or say where the meeting is held."), "room")
    _check_times(starts_at, ends_at)
    people = _check_invitees(invitees)
    with transaction.atomic():
        if room is not None:
            room = _lock_room(by, room, starts_at, ends_at, len(people))
        meeting = Meeting.objects.create(
            body=body,
            organiser=by,
            title=title,
            agenda=agenda,
            room=room,
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        Invitation.objects.bulk_create([Invitation(meeting=meeting, user=p) for p in people])
        audit.record(
            "oa.meeting.scheduled",
            actor=by,
            body=body,
            obj=meeting,
            request=request,
            detail={
                "title": title,
                "room": room.pk if room else None,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "invitees": [p.pk for p in people],
            },
        )
    return meeting


def reschedule_meeting(
    meeting: Meeting,
    *,
    by,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    room: Room | None = None,
    place: str = "",
    request=None,
) -> Meeting:
    """Move a scheduled meeting to another time and/or room, checked like a new booking."""
    _require(by, SCHEDULE_MEETING)
    if not _may_organise(by, meeting):
        raise OfficePermissionError(_("Only the organising body may change this meeting."))
    place = (place or "").strip()
    if room is None and not place:
        raise OfficeError(_("Choose a room, or say where the meeting is held."), "room")
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.SCHEDULED:
            raise OfficeError(_("Only a scheduled meeting can be moved."))
        if room is not None:
            room = _lock_room(
                by, room, starts_at, ends_at, locked.invitations.count(), exclude=locked.pk
            )
        before = {
            "room": locked.room_id,
            "starts_at": locked.starts_at.isoformat(),
            "ends_at": locked.ends_at.isoformat(),
        }
        locked.room, locked.place = room, place
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.save(update_fields=["room", "place", "starts_at", "ends_at"])
        audit.record(
            "oa.meeting.rescheduled",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={
                "before": before,
                "room": room.pk if room else None,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
        )
    return locked


def invite(meeting: Meeting, *, by, people: Iterable, request=None) -> int:
    """Invite more people to a scheduled meeting; those already invited are skipped."""
    _require(by, SCHEDULE_MEETING)
    if not _may_organise(by, meeting):
        raise OfficePermissionError(_("Only the organising body may invite to this meeting."))
    people = _check_invitees(people)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.SCHEDULED:
            raise OfficeError(_("Only a scheduled meeting takes new invitees."), "invitees")
        known = set(locked.invitations.values_list("user_id", flat=True))
        new = [person for person in people if person.pk not in known]
        if locked.room_id and len(known) + len(new) > locked.room.capacity:
            raise OfficeError(
                _("%(room)s has %(seats)d seats for %(n)d invitees; choose a larger room.")
                % {
                    "room": locked.room.name,
                    "seats": locked.room.capacity,
                    "n": len(known) + len(new),
                },
                "invitees",
            )
        Invitation.objects.bulk_create([Invitation(meeting=locked, user=p) for p in new])
        audit.record(
            "oa.meeting.invited",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"invitees": [p.pk for p in new]},
        )
    return len(new)


def respond(meeting: Meeting, *, by, accept: bool, note: str = "", request=None) -> Invitation:
    """An invitee accepts or declines (a reason is asked for declining); they may change
    their answer until the meeting starts."""
    note = (note or "").strip()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("meeting")
            .filter(meeting=meeting, user=by)
            .first()
        )
        if invitation is None:
            raise OfficePermissionError(_("You are not invited to this meeting."))
        if invitation.meeting.status != Meeting.Status.SCHEDULED:
            raise OfficeError(_("This meeting is no longer open to answers."))
        if invitation.meeting.starts_at <= timezone.now():
            raise OfficeError(_("The meeting has started; answers are closed."))
        if not accept and len(note) < MIN_REASON:
            raise OfficeError(
                _("Say why you cannot attend, in at least %(n)d characters.") % {"n": MIN_REASON},
                "note",
            )
        invitation.response = (
            Invitation.Response.ACCEPTED if accept else Invitation.Response.DECLINED
        )
        invitation.note = note
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["response", "note", "responded_at"])
        audit.record(
            "oa.meeting.answered",
            actor=by,
            body=invitation.meeting.body,
            obj=invitation.meeting,
            request=request,
            detail={"response": invitation.response, "note": note},
        )
    return invitation


def cancel_meeting(meeting: Meeting, *, by, reason: str, request=None) -> Meeting:
    _require(by, SCHEDULE_MEETING)
    if not _may_organise(by, meeting):
        raise OfficePermissionError(_("Only the organising body may cancel this meeting."))
    reason = _reason(reason)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != Meeting.Status.SCHEDULED:
            raise OfficeError(_("Only a scheduled meeting can be cancelled."), "reason")
        locked.status = Meeting.Status.CANCELLED
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancel_reason"])
        audit.record(
            "oa.meeting.cancelled",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"reason": reason},
        )
    return locked


def record_minutes(
    meeting: Meeting,
    *,
    by,
    text: str = "",
    file: tuple[str, str, bytes] | None = None,
    request=None,
) -> Meeting:
    """Record (or correct) the minutes once the meeting has started: text and/or a file.
    Each recording is audited with what it replaced."""
    _require(by, SCHEDULE_MEETING)
    if not _may_organise(by, meeting):
        raise OfficePermissionError(_("Only the organising body may record the minutes."))
    text = (text or "").strip()
    if not text and file is None:
        raise OfficeError(_("Write the minutes or attach them as a file."), "text")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.CANCELLED:
            raise OfficeError(_("A cancelled meeting has no minutes."), "text")
        if locked.starts_at > timezone.now():
            raise OfficeError(_("Minutes are recorded once the meeting has started."), "text")
        if locked.minutes_document_id:
            raise OfficeError(
                _("The minutes are an official document now; change them there."), "text"
            )
        previous = {"text": locked.minutes_text, "file": locked.minutes_file_name}
        locked.minutes_text = text
        if file is not None:
            name, content_type, data = file
            _store(locked.minutes_file, name, data)
            locked.minutes_file_name, locked.minutes_content_type = name, content_type
        locked.minutes_recorded_at = timezone.now()
        locked.minutes_recorded_by = by
        locked.status = Meeting.Status.HELD
        locked.save()
        audit.record(
            "oa.meeting.minutes",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"previous": previous, "file": locked.minutes_file_name},
        )
    return locked


def link_minutes_document(meeting: Meeting, *, by, document, request=None) -> Meeting:
    """Link the official document (公文 of type 纪要) that carries the minutes: a saved
    record of the documents part. From then on the minutes change only as that document
    does. docs/oa.md says how the documents part calls this."""
    _require(by, SCHEDULE_MEETING)
    if not _may_organise(by, meeting):
        raise OfficePermissionError(_("Only the organising body may record the minutes."))
    if getattr(document, "pk", None) is None:
        raise OfficeError(_("Save the document before linking it as the minutes."))
    if document.doc_type != DocumentType.MINUTES or document.body_id != meeting.body_id:
        raise OfficeError(_("Link a document of type 纪要 of the organising body."))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.CANCELLED:
            raise OfficeError(_("A cancelled meeting has no minutes."))
        locked.minutes_document_id = document.pk
        locked.status = Meeting.Status.HELD
        locked.save(update_fields=["minutes_document_id", "status"])
        audit.record(
            "oa.meeting.minutes_document",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"document": document.pk, "type": document._meta.label_lower},
        )
    return locked
