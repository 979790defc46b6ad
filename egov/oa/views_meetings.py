"""Staff pages of meetings, under /staff/oa/meetings/: the invitee's answer, the organiser's
forms (invite, minutes, cancel). Conventions as in ``views_office``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import forms_office as forms
from . import services_meetings as meetings
from . import services_office as office
from . import services_tasks as tasks
from .models import Invitation, Meeting
from .views_office import PAGE_SIZE, _download, _need, _service_error, _staff

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
