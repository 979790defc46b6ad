"""The case workbench of the internal zone, under /staff/cases/ (two-factor by
StaffSecurityMiddleware). Every page needs ``cases.view_case`` and shows only the cases of the
bodies the user's roles see (``visible_to``): another body's case is "not found" for pages and
actions alike. Each verb needs its own permission (``services.PERMISSIONS``). Every detail
page and every download is a staff view of a person's data, audited."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from egov.accounts.models import User
from egov.core import audit
from egov.core.calendar import CalendarNotCovered, add_working_days
from egov.core.timers import timer_state
from egov.services.choices import STEP_ORDER, Step
from egov.services.selectors import items_visible_to

from . import ratings, services
from .forms import FORMS, AppealDecisionForm, AssignForm, QueueFilterForm, RectificationTextForm
from .models import FINAL, Case, Status

VIEW = "cases.view_case"
PAGE_SIZE = 50
PURPOSE = "case processing"


def _require_view(request) -> None:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied(_("Your roles do not include case processing."))


def _visible_case(request, code: str) -> Case:
    return get_object_or_404(
        services.cases_visible_to(request.user).select_related(
            "version__item", "body", "timer", "assignee"
        ),
        query_code=code,
    )


def due_signal(timer, today: datetime.date) -> tuple[str, str]:
    """(css class, text) of a case's deadline: never colour alone."""
    if timer is None:
        return "due-none", _("Not started")
    state = timer_state(timer, today)
    if state == "stopped":
        return "due-done", _("Done")
    if state == "paused":
        return "due-paused", _("Paused")
    if state == "overdue":
        return "due-overdue", _("Overdue")
    try:
        soon = add_working_days(today, 1)
    except CalendarNotCovered:
        soon = today + datetime.timedelta(days=1)
    if timer.due_date <= soon:
        return "due-soon", _("Due within 1 working day")
    return "due-normal", _("On time")


@login_required
def queue(request):
    _require_view(request)
    visible = services.cases_visible_to(request.user)
    # The filter's items: those of the bodies the user sees (not a DISTINCT over every case).
    items = items_visible_to(request.user).order_by("name").values_list("pk", "name")
    form = QueueFilterForm(request.GET or None, items=list(items))
    cases = visible.exclude(status__in=FINAL)
    view = "mine"
    if form.is_valid():
        view = form.cleaned_data["view"] or "mine"
        if form.cleaned_data["status"]:
            cases = cases.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["item"]:
            cases = cases.filter(version__item_id=form.cleaned_data["item"])
    if view == "mine":
        cases = cases.filter(assignee=request.user)
    elif view == "unclaimed":
        cases = cases.filter(assignee__isnull=True)
    # Two steps: the page's ids from a narrow sorted query (sorting whole case rows, with
    # their versions, is what made a queue of 100,000 slow), then those 50 rows in full.
    ordered = cases.order_by(F("timer__due_date").asc(nulls_last=True), "submitted_at", "pk")
    page = Paginator(ordered.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = list(page.object_list)
    found = Case.objects.filter(pk__in=ids).select_related("version", "timer", "assignee")
    found = found.only(
        "query_code",
        "applicant_name",
        "status",
        "paused_for",
        "submitted_at",
        "version__name",
        "timer",
        "assignee__username",
    )
    by_id = {case.pk: case for case in found}
    today = timezone.localdate()
    rows = [(by_id[pk], *due_signal(by_id[pk].timer, today)) for pk in ids if pk in by_id]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/queue.html",
        {
            "title": _("Case workbench"),
            "form": form,
            "view": view,
            "rows": rows,
            "querystring": query.urlencode(),
            "page": page,
            "can_claim": request.user.has_perm("cases.claim_case"),
            "assignable": _assignable_staff(request.user),
        },
    )


def _assignable_staff(user):
    """Staff of the bodies the user belongs to (for bulk assignment), if the user assigns."""
    if not user.has_perm("cases.assign_case"):
        return []
    bodies = user.memberships.values_list("organisation_id", flat=True)
    return list(
        User.objects.filter(
            kind=User.Kind.STAFF, is_active=True, memberships__organisation__in=bodies
        )
        .distinct()
        .order_by("username")
    )


BULK_LIMIT = PAGE_SIZE


@login_required
@require_POST
def bulk(request):
    """Claim or assign several cases of the queue at once (each checked as if alone)."""
    _require_view(request)
    action = request.POST.get("action", "")
    codes = request.POST.getlist("codes")
    if request.POST.get("claim_one"):
        action, codes = "claim", [request.POST["claim_one"]]
    back = reverse("cases:queue") + (
        "?" + request.POST["query"] if request.POST.get("query") else ""
    )
    if action not in {"claim", "assign"} or not codes:
        messages.error(request, _("Choose cases first, then what to do with them."))
        return HttpResponseRedirect(back)
    if len(codes) > BULK_LIMIT:
        messages.error(request, _("At most %(n)d cases at once.") % {"n": BULK_LIMIT})
        return HttpResponseRedirect(back)
    to = None
    if action == "assign":
        to = next(
            (u for u in _assignable_staff(request.user) if str(u.pk) == request.POST.get("to")),
            None,
        )
        if to is None:
            messages.error(request, _("Choose whom to assign the cases to."))
            return HttpResponseRedirect(back)
    done, refused = [], []
    for case in services.cases_visible_to(request.user).filter(query_code__in=codes):
        try:
            if action == "claim":
                services.claim(case, by=request.user, request=request)
            else:
                services.assign(case, by=request.user, to=to, request=request)
        except (services.CaseError, PermissionDenied) as error:
            refused.append(f"{case.query_code}: {error}")
        else:
            done.append(case.query_code)
    unknown = len(set(codes)) - len(done) - len(refused)
    if done:
        messages.success(
            request,
            _("Done for %(n)d cases: %(codes)s.") % {"n": len(done), "codes": ", ".join(done)},
        )
    for line in refused:
        messages.error(request, line)
    if unknown:
        messages.error(request, _("%(n)d of the chosen cases were not found.") % {"n": unknown})
    return HttpResponseRedirect(back)


def _answers(case: Case) -> list[tuple[str, object]]:
    language = translation.get_language() or "zh-hans"
    rows = []
    fields = (case.version.online_form or {}).get("fields", [])
    known = set()
    for field in fields:
        name = field.get("name")
        if name in case.answers:
            label = field.get("label", {})
            text = label.get("en") if language.startswith("en") else None
            rows.append((text or label.get("zh-hans") or name, case.answers[name]))
            known.add(name)
    rows += [(name, value) for name, value in case.answers.items() if name not in known]
    return rows


def _verb_forms(case: Case, user, bound: tuple[str, object] | None = None) -> dict:
    forms = {}
    for verb in services.allowed_verbs(case, user):
        if bound and bound[0] == verb:
            forms[verb] = bound[1]
        else:
            forms[verb] = _form(verb, case, user)
    return forms


def _form(verb: str, case: Case, user, data=None, files=None):
    form_class = FORMS[verb]
    kwargs = {}
    if verb == "request_correction":
        kwargs["can_override"] = user.has_perm("cases.override_correction")
    if verb == "answer_correction":
        kwargs["materials"] = case.version.materials.all()
    return form_class(data, files, prefix=verb, **kwargs)


def _assign_form(case: Case, user, data=None):
    if not user.has_perm("cases.assign_case") or case.is_final:
        return None
    staff = (
        User.objects.filter(
            kind=User.Kind.STAFF, is_active=True, memberships__organisation=case.body
        )
        .distinct()
        .order_by("username")
    )
    return AssignForm(data, prefix="assign", staff=staff)


def _steps(case: Case) -> list[tuple[str, str]]:
    done = STEP_ORDER.get(case.last_step, -1)
    upcoming = services.next_step(case)
    rows = []
    for step in services.version_steps(case.version):
        state = "done" if STEP_ORDER[step] <= done else ("next" if step == upcoming else "")
        rows.append((Step(step).label, state))
    return rows


def _event_rows(case: Case):
    labels = dict(Status.choices)
    for event in case.events.select_related("actor").order_by("at", "pk"):
        yield {
            "at": event.at,
            "actor": event.actor.get_username() if event.actor else "—",
            "action": services.verb_label(event.action),
            "from": labels.get(event.from_status, "—"),
            "to": labels.get(event.to_status, event.to_status),
            "reason": event.reason,
        }


def _render_detail(request, case: Case, *, bound=None, status=200):
    today = timezone.localdate()
    timer = case.timer
    css, text = due_signal(timer, today)
    return render(
        request,
        "cases/detail.html",
        {
            "title": _("Case %(code)s") % {"code": case.query_code},
            "case": case,
            "answers": _answers(case),
            "materials": case.materials.all(),
            "corrections": case.corrections.all(),
            "events": list(_event_rows(case)),
            "timer": timer,
            "pauses": timer.pauses.order_by("paused_on", "pk") if timer else (),
            "due_class": css,
            "due_text": text,
            "steps": _steps(case),
            "forms": _verb_forms(case, request.user, bound),
            "verb_labels": {verb: services.verb_label(verb) for verb in services.VERBS},
            "assign_form": bound[1]
            if bound and bound[0] == "assign"
            else _assign_form(case, request.user),
            "can_claim": request.user.has_perm("cases.claim_case")
            and case.assignee_id is None
            and not case.is_final,
            "rating": getattr(case, "rating", None),
            "rectification": _rectification(case),
            "rectify_forms": _rectify_forms(case, request.user, bound),
        },
        status=status,
    )


def _rectification(case: Case):
    rating = getattr(case, "rating", None)
    return getattr(rating, "rectification", None) if rating is not None else None


RECTIFY_LABELS = {
    "callback": gettext_noop("Record the call-back (回访)"),
    "complete": gettext_noop("Record the rectification (整改)"),
    "appeal": gettext_noop("Appeal the rating (申诉)"),
    "decide_appeal": gettext_noop("Decide the appeal"),
}


def _rectify_form(action: str, data=None):
    label = _(RECTIFY_LABELS[action])
    if action == "decide_appeal":
        return AppealDecisionForm(data, prefix=action, label=_("Reason for the decision"))
    return RectificationTextForm(data, prefix=action, label=label)


def _rectify_forms(case: Case, user, bound=None) -> list:
    row = _rectification(case)
    if row is None:
        return []
    actions = []
    if row.status == row.Status.OPEN and user.has_perm("cases.rectify_case"):
        actions = ["complete", "appeal"] if row.callback_at else ["callback", "appeal"]
    if row.status == row.Status.APPEALED and user.has_perm("cases.decide_rating_appeal"):
        actions = ["decide_appeal"]
    return [
        (
            action,
            _(RECTIFY_LABELS[action]),
            bound[1] if bound and bound[0] == f"rectify:{action}" else _rectify_form(action),
        )
        for action in actions
    ]


@login_required
def detail(request, code: str):
    _require_view(request)
    case = _visible_case(request, code)
    audit.record_person_view(request, case, purpose=PURPOSE, body=case.body)
    return _render_detail(request, case)


# Which field a verb's refusal message belongs next to.
ERROR_FIELD = {
    "refuse_acceptance": "reason",
    "decide": "reason",
    "request_correction": "items",
    "pause": "reason",
}


def _call(verb: str, case: Case, form, request):
    data = form.cleaned_data
    common = {"by": request.user, "request": request}
    if verb == "refuse_acceptance":
        return services.refuse_acceptance(case, reason=data["reason"], **common)
    if verb == "request_correction":
        return services.request_correction(
            case,
            items=form.item_list(),
            deadline=data["deadline"],
            override=data.get("override", False),
            **common,
        )
    if verb == "answer_correction":
        uploads = []
        if data.get("file"):
            uploads.append((form.materials[data["material"]], data["file"]))
        return services.answer_correction(case, note=data["note"], materials=uploads, **common)
    if verb == "decide":
        return services.decide(case, outcome=data["outcome"], reason=data["reason"], **common)
    if verb == "pause":
        return services.pause(case, kind=data["kind"], reason=data["reason"], **common)
    return services.VERBS[verb](case, comment=data["comment"], **common)


@login_required
@require_POST
def act(request, code: str, verb: str):
    _require_view(request)
    case = _visible_case(request, code)
    if verb not in services.VERBS:
        raise Http404(_("No such action."))
    if not request.user.has_perm(services.PERMISSIONS[verb]):
        raise PermissionDenied(
            _("Your roles do not allow this action (%(verb)s).")
            % {"verb": services.verb_label(verb)}
        )
    form = _form(verb, case, request.user, request.POST, request.FILES)
    if form.is_valid():
        try:
            _call(verb, case, form, request)
        except services.CaseError as error:
            form.add_error(ERROR_FIELD.get(verb), str(error))
        except ValidationError as error:
            form.add_error("file" if verb == "answer_correction" else None, error)
        else:
            messages.success(
                request,
                _("Done: %(verb)s.") % {"verb": services.verb_label(verb)},
            )
            return HttpResponseRedirect(reverse("cases:detail", args=[case.query_code]))
    case.refresh_from_db()
    if verb not in services.allowed_verbs(case, request.user):
        # The verb is not possible in this state (a stale page, a skipped step): say why.
        problems = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(problems) or _("This action is not possible now."))
        return HttpResponseRedirect(reverse("cases:detail", args=[case.query_code]))
    audit.record_person_view(request, case, purpose=PURPOSE, body=case.body)
    return _render_detail(request, case, bound=(verb, form), status=400)


@login_required
@require_POST
def claim(request, code: str):
    _require_view(request)
    case = _visible_case(request, code)
    if not request.user.has_perm("cases.claim_case"):
        raise PermissionDenied(_("Your roles do not allow claiming cases."))
    try:
        services.claim(case, by=request.user, request=request)
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Case %(code)s is in your queue.") % {"code": code})
    return HttpResponseRedirect(reverse("cases:detail", args=[code]))


@login_required
@require_POST
def assign(request, code: str):
    _require_view(request)
    case = _visible_case(request, code)
    if not request.user.has_perm("cases.assign_case"):
        raise PermissionDenied(_("Your roles do not allow assigning cases."))
    form = _assign_form(case, request.user, request.POST)
    if form is not None and form.is_valid():
        try:
            services.assign(case, by=request.user, to=form.staff[form.cleaned_data["to"]])
        except services.CaseError as error:
            form.add_error("to", str(error))
        else:
            messages.success(request, _("Case %(code)s assigned.") % {"code": code})
            return HttpResponseRedirect(reverse("cases:detail", args=[code]))
    audit.record_person_view(request, case, purpose=PURPOSE, body=case.body)
    return _render_detail(request, case, bound=("assign", form), status=400)


@login_required
def material(request, code: str, pk: int):
    _require_view(request)
    case = _visible_case(request, code)
    row = get_object_or_404(case.materials, pk=pk)
    audit.record_person_view(request, case, purpose=f"{PURPOSE}: material {row.pk}", body=case.body)
    return FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.file_name,
        content_type=row.content_type,
    )


@login_required
@require_POST
def rectify(request, code: str, action: str):
    """The steps after a bad rating: call-back, rectification, appeal and its decision."""
    _require_view(request)
    case = _visible_case(request, code)
    row = _rectification(case)
    if row is None or action not in RECTIFY_LABELS:
        raise Http404(_("No such action."))
    form = _rectify_form(action, request.POST)
    if form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if action == "decide_appeal":
                ratings.decide_appeal(
                    row,
                    by=request.user,
                    upheld=form.cleaned_data["upheld"],
                    reason=text,
                    request=request,
                )
            else:
                verb, keyword = ratings.VERBS[action]
                verb(row, by=request.user, request=request, **{keyword: text})
        except services.CaseError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Done: %(verb)s.") % {"verb": _(RECTIFY_LABELS[action])})
            return HttpResponseRedirect(reverse("cases:detail", args=[case.query_code]))
    audit.record_person_view(request, case, purpose=PURPOSE, body=case.body)
    return _render_detail(request, case, bound=(f"rectify:{action}", form), status=400)
