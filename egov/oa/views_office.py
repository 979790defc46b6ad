"""Staff pages of notices and rooms (meetings: ``views_meetings``; tasks: ``views_tasks``), under /staff/oa/ (internal zone; two-factor
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
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import forms_office as forms
from . import services_meetings as meetings
from . import services_office as office
from .models import Meeting, Notice, NoticeReceipt, Room

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
