"""Staff pages of notices, meetings and tasks, under /staff/oa/ (internal zone; two-factor
by StaffSecurityMiddleware). Every page checks who may see it: the addressees of a notice,
the invitees of a meeting, the bodies of a task (``services_*.…_visible_to``) — anyone else
gets 404 — and every action checks its permission in the service as well as here. Pages
work without JavaScript: each action is a plain form posted to ``…/do/<verb>/``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Q, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.core.timers import timer_state

from . import forms_office as forms
from . import services_meetings as meetings
from . import services_office as office
from . import services_tasks as tasks
from .models import Invitation, Meeting, Notice, NoticeReceipt, Room, Task

PAGE_SIZE = 30


def _staff(request) -> None:
    if not office._is_staff(request.user):
        raise PermissionDenied(_("These pages are for staff."))


def _need(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Your roles do not allow this action."))


def _download(field_file, name: str, content_type: str):
    from egov.hall.views import content_disposition

    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    return response


def _service_error(form, error: office.OfficeError, default_field: str | None = None) -> None:
    field = error.field if error.field in form.fields else default_field
    form.add_error(field if field in form.fields else None, str(error))


# --- notices ------------------------------------------------------------------------------


@login_required
@require_safe
def notice_list(request):
    _staff(request)
    received = (
        office.notices_received_by(request.user)
        .annotate(is_read=Case(When(read_at__isnull=True, then=0), default=1))
        # unread first, reminded ones first among them; then the newest
        .order_by("is_read", F("reminded_at").desc(nulls_last=True), "-notice__sent_at")
    )
    page = Paginator(received, PAGE_SIZE).get_page(request.GET.get("page"))
    sent = (
        office.notices_sent_visible_to(request.user)
        .select_related("from_body")
        .annotate(
            total=Count("receipts"),
            unread=Count("receipts", filter=Q(receipts__read_at__isnull=True)),
        )[:PAGE_SIZE]
    )
    return render(
        request,
        "oa/office/notices.html",
        {
            "title": _("Internal notices"),
            "page": page,
            "sent": sent,
            "may_send": request.user.has_perm(office.SEND_NOTICE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request):
    _staff(request)
    _need(request, office.SEND_NOTICE)
    form = forms.NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                notice = office.send_notice(
                    by=request.user,
                    from_body=data["from_body"],
                    title=data["title"],
                    text=data["text"],
                    priority=data["priority"],
                    to_bodies=data["to_bodies"],
                    to_people=data["to_people"],
                    files=data["files"],
                    request=request,
                )
            except office.OfficeError as error:
                _service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The notice is sent to %(n)d people.") % {"n": notice.receipts.count()},
                )
                return redirect("oa_office:notice", pk=notice.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "oa/office/notice_form.html",
        {"title": _("Write a notice"), "form": form},
        status=status,
    )


def _visible_notice(request, pk: int) -> tuple[Notice, NoticeReceipt | None, bool]:
    """The notice if the user is a recipient or follows the sending body; else 404."""
    notice = get_object_or_404(Notice.objects.select_related("from_body", "author"), pk=pk)
    receipt = NoticeReceipt.objects.filter(notice=notice, user=request.user).first()
    is_sender = office.notices_sent_visible_to(request.user).filter(pk=pk).exists()
    if receipt is None and not is_sender:
        raise Http404
    return notice, receipt, is_sender


def _notice_page(request, notice, receipt, is_sender, remind_form=None, status=200):
    context = {
        "title": notice.title,
        "notice": notice,
        "receipt": receipt,
        "is_sender": is_sender,
        "files": notice.files.all(),
        "bodies": notice.to_bodies.all(),
    }
    if is_sender:
        receipts = notice.receipts.select_related("user", "via_body").order_by(
            "via_body__path", "user__username"
        )
        context.update(
            {
                "read": [r for r in receipts if r.read_at],
                "unread": [r for r in receipts if not r.read_at],
                "reminders": notice.reminder_events.select_related("by"),
                "remind_form": remind_form or forms.RemindForm(),
            }
        )
    return render(request, "oa/office/notice.html", context, status=status)


@login_required
@require_safe
def notice_detail(request, pk: int):
    _staff(request)
    notice, receipt, is_sender = _visible_notice(request, pk)
    if receipt is not None and office.mark_read(notice, request.user, request=request):
        receipt.refresh_from_db()
    return _notice_page(request, notice, receipt, is_sender)


@login_required
@require_POST
def notice_remind(request, pk: int):
    _staff(request)
    _need(request, office.SEND_NOTICE)
    notice, receipt, is_sender = _visible_notice(request, pk)
    if not is_sender:
        raise PermissionDenied(_("Only the sending body's office may remind the readers."))
    form = forms.RemindForm(request.POST)
    if form.is_valid():
        try:
            count = office.remind_unread(
                notice, by=request.user, note=form.cleaned_data["note"], request=request
            )
        except office.OfficeError as error:
            _service_error(form, error, "note")
        else:
            messages.success(request, _("%(n)d people were reminded.") % {"n": count})
            return redirect("oa_office:notice", pk=pk)
    return _notice_page(request, notice, receipt, is_sender, remind_form=form, status=400)


@login_required
@require_safe
def notice_file(request, pk: int, file_pk: int):
    _staff(request)
    notice, _receipt, _is_sender = _visible_notice(request, pk)
    stored = get_object_or_404(notice.files, pk=file_pk)
    return _download(stored.file, stored.name, stored.content_type)


# --- rooms --------------------------------------------------------------------------------


@login_required
@require_safe
def room_list(request):
    """Rooms the user may book or manage, each with its bookings of the next 14 days (the
    organising body and the times only: what a meeting is about is for its invitees)."""
    _staff(request)
    if not (
        request.user.has_perm(office.SCHEDULE_MEETING) or request.user.has_perm(office.CHANGE_ROOM)
    ):
        raise PermissionDenied(_("Your roles do not allow this action."))
    rooms = (
        Room.objects.filter(
            Q(pk__in=meetings.bookable_rooms(request.user).values("pk"))
            | Q(pk__in=meetings.rooms_managed_by(request.user).values("pk"))
        )
        .select_related("body")
        .order_by("body__path", "name")
    )
    now = timezone.now()
    bookings = (
        Meeting.objects.filter(
            room__in=rooms, ends_at__gte=now, starts_at__lt=now + datetime.timedelta(days=14)
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
        .order_by("starts_at")
    )
    by_room: dict[int, list] = {}
    for meeting in bookings:
        by_room.setdefault(meeting.room_id, []).append(meeting)
    managed = set(meetings.rooms_managed_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "oa/office/rooms.html",
        {
            "title": _("Meeting rooms"),
            "rows": [(room, by_room.get(room.pk, []), room.pk in managed) for room in rooms],
            "may_add": request.user.has_perm(office.ADD_ROOM),
        },
    )


def _managed_bodies(user):
    from egov.directory.scoping import visible_bodies

    return visible_bodies(user).filter(is_active=True).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def room_edit(request, pk: int | None = None):
    _staff(request)
    room = None
    if pk is None:
        _need(request, office.ADD_ROOM)
    else:
        _need(request, office.CHANGE_ROOM)
        room = get_object_or_404(meetings.rooms_managed_by(request.user), pk=pk)
    initial = None
    if room is not None:
        initial = {
            "body": room.body_id,
            "name": room.name,
            "location": room.location,
            "capacity": room.capacity,
            "shared": room.shared,
            "is_active": room.is_active,
        }
    form = forms.RoomForm(
        request.POST or None, initial=initial, bodies=_managed_bodies(request.user)
    )
    if room is not None:
        form.fields["body"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if room is None:
                meetings.add_room(
                    by=request.user,
                    body=data["body"],
                    name=data["name"],
                    capacity=data["capacity"],
                    location=data["location"],
                    shared=data["shared"],
                    request=request,
                )
            else:
                meetings.change_room(
                    room,
                    by=request.user,
                    name=data["name"],
                    capacity=data["capacity"],
                    location=data["location"],
                    shared=data["shared"],
                    is_active=data["is_active"],
                    request=request,
                )
        except office.OfficeError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The room is saved."))
            return redirect("oa_office:rooms")
    return render(
        request,
        "oa/office/room_form.html",
        {"title": _("Edit a room") if room else _("Add a room"), "form": form, "room": room},
        status=400 if request.method == "POST" else 200,
    )


# --- meetings -----------------------------------------------------------------------------


@login_required
@require_safe
def meeting_list(request):
    _staff(request)
    now = timezone.now()
    invitations = (
        Invitation.objects.filter(user=request.user, meeting__ends_at__gte=now)
        .select_related("meeting__room", "meeting__body")
        .order_by("meeting__starts_at")
    )
    organised = Meeting.objects.none()
    if request.user.has_perm(office.SCHEDULE_MEETING):
        organised = (
            meetings.meetings_visible_to(request.user)
            .filter(
                Q(ends_at__gte=now - datetime.timedelta(days=30))
                | Q(status=Meeting.Status.SCHEDULED)
            )
            .select_related("room", "body")
            .annotate(
                accepted=Count(
                    "invitations", filter=Q(invitations__response=Invitation.Response.ACCEPTED)
                ),
                invited=Count("invitations"),
            )
            .order_by("-starts_at")[:PAGE_SIZE]
        )
    return render(
        request,
        "oa/office/meetings.html",
        {
            "title": _("Meetings"),
            "invitations": invitations,
            "organised": organised,
            "may_schedule": request.user.has_perm(office.SCHEDULE_MEETING),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    _staff(request)
    _need(request, office.SCHEDULE_MEETING)
    rooms = meetings.bookable_rooms(request.user).select_related("body").order_by("body__path")
    form = forms.MeetingForm(request.POST or None, user=request.user, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meetings.schedule_meeting(
                by=request.user,
                body=data["body"],
                title=data["title"],
                agenda=data["agenda"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                room=data["room"],
                place=data["place"],
                invitees=data["invitees"],
                request=request,
            )
        except office.OfficeError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("oa_office:meeting", pk=meeting.pk)
    return render(
        request,
        "oa/office/meeting_form.html",
        {"title": _("Schedule a meeting"), "form": form},
        status=400 if request.method == "POST" else 200,
    )


MEETING_VERBS = {
    "respond": (gettext_lazy("Your answer"), forms.RespondForm),
    "invite": (gettext_lazy("Invite more people"), forms.InviteForm),
    "minutes": (gettext_lazy("Record the minutes (纪要)"), forms.MinutesForm),
    "cancel": (gettext_lazy("Cancel the meeting"), forms.ReasonForm),
}


def _meeting_verbs(user, meeting: Meeting, invitation) -> list[str]:
    verbs = []
    open_ = meeting.status == Meeting.Status.SCHEDULED
    if invitation is not None and open_ and meeting.starts_at > timezone.now():
        verbs.append("respond")
    if meetings._may_organise(user, meeting):
        if open_:
            verbs.append("invite")
        if meeting.status != Meeting.Status.CANCELLED and meeting.starts_at <= timezone.now():
            if not meeting.minutes_document_id:
                verbs.append("minutes")
        if open_:
            verbs.append("cancel")
    return verbs


def _meeting_page(request, meeting: Meeting, bound=None, status=200):
    invitation = meeting.invitations.filter(user=request.user).first()
    shown = {}
    for verb in _meeting_verbs(request.user, meeting, invitation) + list(bound or {}):
        if verb in shown:
            continue
        title, form_class = MEETING_VERBS[verb]
        shown[verb] = (str(title), (bound or {}).get(verb) or form_class(prefix=verb))
    organiser = meetings._may_organise(request.user, meeting)
    return render(
        request,
        "oa/office/meeting.html",
        {
            "title": meeting.title,
            "meeting": meeting,
            "invitation": invitation,
            "invitations": meeting.invitations.select_related("user") if organiser else [],
            "organiser": organiser,
            "forms": shown,
            "tasks": tasks.tasks_visible_to(request.user).filter(meeting=meeting),
            "may_assign": request.user.has_perm(office.ASSIGN_TASK)
            and meeting.status != Meeting.Status.CANCELLED,
        },
        status=status,
    )


def _visible_meeting(request, pk: int) -> Meeting:
    return get_object_or_404(
        meetings.meetings_visible_to(request.user).select_related("room__body", "body"), pk=pk
    )


@login_required
@require_safe
def meeting_detail(request, pk: int):
    _staff(request)
    return _meeting_page(request, _visible_meeting(request, pk))


@login_required
@require_POST
def meeting_act(request, pk: int, verb: str):
    _staff(request)
    if verb not in MEETING_VERBS:
        raise Http404
    meeting = _visible_meeting(request, pk)
    if verb != "respond":
        _need(request, office.SCHEDULE_MEETING)
    form = MEETING_VERBS[verb][1](request.POST, request.FILES or None, prefix=verb)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if verb == "respond":
                meetings.respond(
                    meeting,
                    by=request.user,
                    accept=data["answer"] == "accept",
                    note=data["note"],
                    request=request,
                )
            elif verb == "invite":
                meetings.invite(meeting, by=request.user, people=data["invitees"], request=request)
            elif verb == "minutes":
                meetings.record_minutes(
                    meeting, by=request.user, text=data["text"], file=data["file"], request=request
                )
            else:
                meetings.cancel_meeting(
                    meeting, by=request.user, reason=data["reason"], request=request
                )
        except office.OfficeError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Done."))
            return redirect("oa_office:meeting", pk=pk)
    return _meeting_page(request, meeting, bound={verb: form}, status=400)


@login_required
@require_safe
def minutes_file(request, pk: int):
    _staff(request)
    meeting = _visible_meeting(request, pk)
    if not meeting.minutes_file:
        raise Http404
    return _download(meeting.minutes_file, meeting.minutes_file_name, meeting.minutes_content_type)


# --- tasks --------------------------------------------------------------------------------

TASK_FILTERS = {
    "open": Q(status__in=[Task.Status.ASSIGNED, Task.Status.IN_PROGRESS, Task.Status.SUBMITTED]),
    "closed": Q(status__in=[Task.Status.DONE, Task.Status.CANCELLED]),
    "all": Q(),
}


@login_required
@require_safe
def task_list(request):
    _staff(request)
    shown = request.GET.get("show", "open")
    if shown not in TASK_FILTERS and shown != "overdue":
        shown = "open"
    rows = tasks.tasks_visible_to(request.user).select_related(
        "from_body", "to_body", "to_person", "timer"
    )
    if shown == "overdue":
        rows = rows.filter(
            status__in=[Task.Status.ASSIGNED, Task.Status.IN_PROGRESS],
            timer__stopped_at__isnull=True,
            timer__paused_at__isnull=True,
            timer__due_date__lt=timezone.localdate(),
        )
    else:
        rows = rows.filter(TASK_FILTERS[shown])
    page = Paginator(rows.order_by("due_date", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "oa/office/tasks.html",
        {
            "title": _("Tasks and their supervision"),
            "page": page,
            "shown": shown,
            "filters": [
                ("open", _("Open")),
                ("overdue", _("Overdue")),
                ("closed", _("Closed")),
                ("all", _("All")),
            ],
            "may_assign": request.user.has_perm(office.ASSIGN_TASK),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request):
    _staff(request)
    _need(request, office.ASSIGN_TASK)
    initial = {"meeting": request.GET.get("meeting")} if request.GET.get("meeting") else None
    form = forms.TaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_days = data["unit"] == Task.Unit.WORKING_DAYS
        try:
            task = tasks.assign_task(
                by=request.user,
                from_body=data["from_body"],
                to_body=data["to_body"],
                to_person=data["person"],
                title=data["title"],
                instructions=data["instructions"],
                source=data["source"],
                working_days=data["working_days"] if by_days else None,
                due_date=None if by_days else data["due_date"],
                meeting=data["meeting"],
                request=request,
            )
        except office.OfficeError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Task %(number)s is assigned.") % {"number": task.number})
            return redirect("oa_office:task", pk=task.pk)
    return render(
        request,
        "oa/office/task_form.html",
        {"title": _("Assign a task"), "form": form},
        status=400 if request.method == "POST" else 200,
    )


TASK_VERBS = {
    "progress": (gettext_lazy("Report progress"), forms.TextForm),
    "submit": (gettext_lazy("Report the task done"), forms.TextForm),
    "urge": (gettext_lazy("Urge (催办)"), forms.UrgeForm),
    "accept": (gettext_lazy("Accept the work as done"), forms.NoteForm),
    "send_back": (gettext_lazy("Send back: not done yet"), forms.ReasonForm),
    "cancel": (gettext_lazy("Cancel the task"), forms.ReasonForm),
}


def _task_verbs(user, task: Task) -> list[str]:
    verbs = []
    if not task.is_open:
        return verbs
    if tasks.may_responsible_act(user, task) and task.status != Task.Status.SUBMITTED:
        verbs += ["progress", "submit"]
    if tasks.may_urge(user, task) and task.status != Task.Status.SUBMITTED:
        verbs.append("urge")
    if tasks.may_assigner_act(user, task):
        if task.status == Task.Status.SUBMITTED:
            verbs += ["accept", "send_back"]
        verbs.append("cancel")
    return verbs


def _task_page(request, task: Task, bound=None, status=200):
    shown = {}
    for verb in _task_verbs(request.user, task) + list(bound or {}):
        if verb in shown:
            continue
        title, form_class = TASK_VERBS[verb]
        shown[verb] = (str(title), (bound or {}).get(verb) or form_class(prefix=verb))
    return render(
        request,
        "oa/office/task.html",
        {
            "title": task.title,
            "task": task,
            "state": timer_state(task.timer) if task.timer else "",
            "events": task.events.select_related("by", "body"),
            "forms": shown,
        },
        status=status,
    )


def _visible_task(request, pk: int) -> Task:
    return get_object_or_404(
        tasks.tasks_visible_to(request.user).select_related(
            "from_body", "to_body", "to_person", "assigned_by", "timer", "meeting"
        ),
        pk=pk,
    )


@login_required
@require_safe
def task_detail(request, pk: int):
    _staff(request)
    return _task_page(request, _visible_task(request, pk))


@login_required
@require_POST
def task_act(request, pk: int, verb: str):
    _staff(request)
    if verb not in TASK_VERBS:
        raise Http404
    task = _visible_task(request, pk)
    form = TASK_VERBS[verb][1](request.POST, request.FILES or None, prefix=verb)
    if form.is_valid():
        data = form.cleaned_data
        by = request.user
        try:
            if verb == "progress":
                tasks.report_progress(
                    task, by=by, text=data["text"], file=data["file"], request=request
                )
            elif verb == "submit":
                tasks.submit_completion(
                    task, by=by, text=data["text"], file=data["file"], request=request
                )
            elif verb == "urge":
                tasks.urge(task, by=by, note=data["note"], request=request)
            elif verb == "accept":
                tasks.accept_completion(task, by=by, note=data["note"], request=request)
            elif verb == "send_back":
                tasks.send_back(task, by=by, reason=data["reason"], request=request)
            else:
                tasks.cancel_task(task, by=by, reason=data["reason"], request=request)
        except office.OfficeError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Done."))
            return redirect("oa_office:task", pk=pk)
    return _task_page(request, task, bound={verb: form}, status=400)


@login_required
@require_safe
def task_file(request, pk: int, event_pk: int):
    _staff(request)
    task = _visible_task(request, pk)
    event = get_object_or_404(task.events.exclude(file=""), pk=event_pk)
    return _download(event.file, event.file_name, event.content_type)
