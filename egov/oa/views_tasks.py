"""Staff pages of tasks (督查督办), under /staff/oa/tasks/: the list, assigning, and the
forms of the verbs each side may use. Conventions as in ``views_office``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.core.timers import timer_state

from . import forms_office as forms
from . import services_office as office
from . import services_tasks as tasks
from .models import Task
from .views_office import PAGE_SIZE, _download, _need, _service_error, _staff

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
