"""The hall's public pages: the home page (browse and search), an item's guide, and its blank
forms and samples. GET only, no login, no JavaScript; the external and combined zones serve
them (egov/urls)."""

from __future__ import annotations

import re
import uuid
from pathlib import PurePosixPath
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.licences.selectors import wallet_of
from egov.portal.search import MAX_QUERY_LENGTH
from egov.services import selectors

from . import applications, catalogue, notify, payments
from .forms import AnswersForm, CorrectionForm, MaterialsForm, RatingForm
from .models import Application, Notification, Payment, Progress, PublicDecision

ITEMS_PER_PAGE = 20
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BrowseForm(forms.Form):
    """The home page's filters, all optional; links on the page fill them in."""

    q = forms.CharField(
        label=gettext_lazy("Search for a service"),
        help_text=gettext_lazy(
            "A word of the service's name, its body or its guide, such as 执照 or 低保."
        ),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": gettext_lazy(
                "Enter at most %(limit_value)d characters; shorten the search."
            )
        },
    )
    event = forms.ChoiceField(
        label=gettext_lazy("Life event"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a life event from the list.")},
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Enterprise stage"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose an enterprise stage from the list.")
        },
    )
    body = forms.ChoiceField(
        label=gettext_lazy("Body"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose a body from the list.")},
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("For whom"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose individuals or enterprises.")},
    )

    def __init__(self, *args, events, stages, bodies, audiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", gettext_lazy("Any life event"))] + [
            (f.code, f.label) for f in events
        ]
        self.fields["stage"].choices = [("", gettext_lazy("Any enterprise stage"))] + [
            (f.code, f.label) for f in stages
        ]
        self.fields["body"].choices = [("", gettext_lazy("Any body"))] + [
            (f.code, f.label) for f in bodies
        ]
        self.fields["audience"].choices = [("", gettext_lazy("Anyone"))] + [
            (f.code, f.label) for f in audiences
        ]


def _filter_description(cleaned: dict, form: BrowseForm) -> list[str]:
    """What the list is filtered by, in words (the results' heading)."""
    described = []
    for name in ("event", "stage", "body", "audience"):
        value = cleaned.get(name)
        if value:
            choices = dict(form.fields[name].choices)
            described.append(f"{form.fields[name].label}: {choices.get(value, value)}")
    if cleaned.get("q"):
        described.append(f"{form.fields['q'].label}: {cleaned['q']}")
    return described


@require_safe
def home(request):
    events = catalogue.life_events()
    stages = catalogue.enterprise_stages()
    bodies = catalogue.bodies()
    audiences = catalogue.audiences()
    form = BrowseForm(
        request.GET or None, events=events, stages=stages, bodies=bodies, audiences=audiences
    )
    cleaned: dict = {}
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
    items = selectors.published_items(
        life_event=cleaned.get("event") or None,
        enterprise_stage=cleaned.get("stage") or None,
        body_code=cleaned.get("body") or None,
        audience=cleaned.get("audience") or None,
    )
    query = cleaned.get("q", "").strip()
    if query:
        results = catalogue.search(items, query)
    else:
        results = items.defer("guide")
    paginator = Paginator(results, ITEMS_PER_PAGE, allow_empty_first_page=True)
    results_page = paginator.get_page(request.GET.get("page"))
    filtered = any(cleaned.get(name) for name in ("event", "stage", "body", "audience", "q"))
    context = {
        "form": form,
        "events": events,
        "stages": stages,
        "bodies": bodies,
        "audiences": audiences,
        "results_page": results_page,
        "page_range": paginator.get_elided_page_range(results_page.number),
        "filtered": filtered,
        "filters": _filter_description(cleaned, form),
        "current": {
            "event": cleaned.get("event", ""),
            "stage": cleaned.get("stage", ""),
            "body": cleaned.get("body", ""),
            "audience": cleaned.get("audience", ""),
        },
        "hall_home": True,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "hall/home.html", context, status=status)


def _published_or_404(code: str):
    item = selectors.published_item(code)
    if item is None:
        raise Http404("No service item with this code is offered.")
    return item


@require_safe
def item(request, code: str):
    published = _published_or_404(code)
    guide = catalogue.guide_for_page(published)
    context = {
        "item": published,
        "guide": guide,
        "applies_online": catalogue.applies_online(published),
    }
    return render(request, "hall/item.html", context)


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the real name in UTF-8 (RFC 6266 and
    RFC 5987), so that every browser saves 申请书.pdf under its Chinese name."""
    path = PurePosixPath(name)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", path.stem).strip("_") or "download"
    suffix = re.sub(r"[^A-Za-z0-9.]+", "", path.suffix)
    fallback = f"{stem}{suffix}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_safe
def download(request, code: str, sha256: str):
    """A blank form or sample named by the item's guide (and only such a file: a withdrawn
    item's files are no longer reachable through the hall)."""
    published = _published_or_404(code)
    ref = catalogue.file_refs(published).get(sha256) if SHA256.match(sha256) else None
    stored = selectors.published_file(sha256) if ref else None
    if stored is None or not stored.file:
        raise Http404("This item has no such file.")
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition(ref["name"])
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- online applications -------------------------------------------------------------------


def _applicable_or_404(code: str):
    published = _published_or_404(code)
    if not catalogue.applies_online(published):
        raise Http404("This item cannot be applied for online.")
    return published


def _stored_files(application, correction_round: int = 0) -> dict:
    return {
        row.material_name: row
        for row in application.files.filter(correction_round=correction_round)
    }


def _apply_page(request, published, application, answers_form, materials_form, **extra):
    status = extra.pop("status", 200)
    context = {
        "item": published,
        "application": application,
        "answers_form": answers_form,
        "materials_form": materials_form,
        "guide": catalogue.guide_for_page(published),
        **extra,
    }
    return render(request, "hall/apply.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, code: str):
    """The online form of an item: fill in, upload, save as a draft, submit."""
    published = _applicable_or_404(code)
    identity = applications.identity_for(request.user, published)
    if identity is None:
        return render(
            request,
            "hall/identity_needed.html",
            {"item": published, "legal": published.audience == "legal"},
            status=403,
        )
    definition = published.guide["online_form"]
    materials = published.guide["materials"]
    wallet = applications.wallet_by_type(request.user, identity)
    if request.method == "GET":
        application, _created = applications.draft_for(request.user, published, identity)
        answers_form = AnswersForm(definition, initial=application.answers)
        materials_form = MaterialsForm(
            materials, _stored_files(application), wallet=wallet, chosen=application.licences
        )
        return _apply_page(request, published, application, answers_form, materials_form)

    application = Application.objects.filter(
        applicant=request.user,
        implementation_code=published.implementation_code,
        token=_uuid_or_none(request.POST.get("token")),
    ).first()
    if application is None:
        messages.error(request, _("This page is out of date: your application is shown again."))
        return redirect("hall:apply", code=code)
    if not application.is_draft:
        messages.info(
            request,
            _(
                "This application was submitted already (query code %(code)s); it was not sent twice."
            )
            % {"code": application.query_code},
        )
        return redirect("hall:application", query_code=application.query_code)

    answers_form = AnswersForm(definition, request.POST)
    materials_form = MaterialsForm(
        materials, _stored_files(application), request.POST, request.FILES, wallet=wallet
    )
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        refused = applications.save_draft(
            application,
            answers=answers_form.raw_answers(),
            revision=revision,
            uploads=materials_form.uploads(),
            licences=materials_form.chosen_licences(),
            wallet=wallet,
        )
    except applications.StaleDraftError as stale:
        current = stale.application
        if not current.is_draft:
            return redirect("hall:application", query_code=current.query_code)
        return _apply_page(
            request,
            published,
            current,
            answers_form,
            MaterialsForm(materials, _stored_files(current), request.POST, wallet=wallet),
            stale=current,
            status=409,
        )
    materials_form = MaterialsForm(
        materials,
        _stored_files(application),
        request.POST,
        wallet=wallet,
        chosen=application.licences,
    )
    if refused:
        materials_form.show_errors(refused)
        return _apply_page(
            request, published, application, answers_form, materials_form, status=400
        )
    if request.POST.get("action") != "submit":
        messages.success(
            request,
            _(
                "Your draft is saved. You can come back to it from any device under “My applications”."
            ),
        )
        return redirect("hall:apply", code=code)
    try:
        application, _created = applications.submit(
            application, token=request.POST.get("token"), identity=identity
        )
    except applications.ApplicationError as problems:
        answers_form.show_errors(problems.fields)
        materials_form.show_errors(problems.materials)
        return _apply_page(
            request,
            published,
            application,
            answers_form,
            materials_form,
            problems=problems,
            status=400,
        )
    messages.success(
        request,
        _("Your application is submitted. Keep your query code: %(code)s.")
        % {"code": application.query_code},
    )
    return redirect("hall:application", query_code=application.query_code)


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@login_required
@require_safe
def my_applications(request):
    rows = Application.objects.filter(applicant=request.user)
    progress = {
        row.query_code: row
        for row in Progress.objects.filter(
            query_code__in=[r.query_code for r in rows if r.query_code]
        )
    }
    listed = [(row, progress.get(row.query_code)) for row in rows]
    return render(request, "hall/my_applications.html", {"listed": listed})


def _own_application_or_404(request, query_code: str) -> Application:
    application = Application.objects.filter(applicant=request.user, query_code=query_code).first()
    if application is None:
        raise Http404("You have no application with this query code.")
    return application


def _application_page(
    request, application, correction_form=None, materials_form=None, rating_form=None, **extra
):
    status = extra.pop("status", 200)
    progress = applications.progress_of(application)
    published = selectors.published_item(application.implementation_code)
    open_correction = None
    if progress is not None and progress.correction:
        answered = applications.correction_answered(application, progress)
        open_correction = {**progress.correction, "answered": answered}
        if not answered and materials_form is None and published is not None:
            materials_form = MaterialsForm(
                published.guide["materials"], {}, prefix="correction", optional=True
            )
    context = {
        "application": application,
        "progress": progress,
        "steps": catalogue.progress_steps(progress),
        "files": application.files.all(),
        "licences": wallet_of(request.user).filter(query_code=application.query_code),
        "open_correction": open_correction,
        "correction_form": correction_form or CorrectionForm(),
        "materials_form": materials_form,
        "payments": Payment.objects.filter(query_code=application.query_code),
        "today": timezone.localdate(),
        "rating": getattr(application, "rating", None),
        "rating_form": rating_form
        or (RatingForm() if applications.may_rate(application, progress) else None),
        **extra,
    }
    return render(request, "hall/application.html", context, status=status)


@login_required
@require_safe
def application(request, query_code: str):
    """The receipt and the progress of one of the applicant's own applications."""
    return _application_page(request, _own_application_or_404(request, query_code))


@login_required
@require_POST
def answer_correction(request, query_code: str):
    application = _own_application_or_404(request, query_code)
    progress = applications.progress_of(application)
    published = selectors.published_item(application.implementation_code)
    if progress is None or published is None:
        raise Http404("Nothing to answer.")
    correction_form = CorrectionForm(request.POST)
    materials_form = MaterialsForm(
        published.guide["materials"],
        {},
        request.POST,
        request.FILES,
        prefix="correction",
        optional=True,
    )
    if not correction_form.is_valid():
        return _application_page(request, application, correction_form, materials_form, status=400)
    try:
        refused = applications.answer_correction(
            application,
            progress,
            note=correction_form.cleaned_data["note"],
            uploads=materials_form.uploads(),
        )
    except applications.ApplicationError as problems:
        return _application_page(
            request,
            application,
            correction_form,
            materials_form,
            problems=problems,
            status=400,
        )
    if refused:
        materials_form.show_errors(refused)
        return _application_page(request, application, correction_form, materials_form, status=400)
    messages.success(request, _("Your answer is sent to the department."))
    return redirect("hall:application", query_code=query_code)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The applicant's notifications, newest first; POST marks them all read."""
    rows = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        rows.filter(read_at=None).update(read_at=timezone.now())
        return redirect("hall:notifications")
    listed = [(row, notify.text(row)) for row in rows[:200]]
    unread = any(row.read_at is None for row, _text in listed)
    return render(request, "hall/notifications.html", {"listed": listed, "unread": unread})


@login_required
@require_POST
def rate(request, query_code: str):
    """好差评: the applicant rates a finished application, once."""
    application = _own_application_or_404(request, query_code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            applications.rate(
                application, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
            )
        except applications.ApplicationError as problems:
            return _application_page(
                request, application, rating_form=form, problems=problems, status=400
            )
        messages.success(request, _("Thank you for your rating."))
        return redirect("hall:application", query_code=query_code)
    return _application_page(request, application, rating_form=form, status=400)


def _own_payment_or_404(request, number: str) -> Payment:
    payment = Payment.objects.filter(number=number).first()
    if (
        payment is None
        or not Application.objects.filter(
            applicant=request.user, query_code=payment.query_code
        ).exists()
    ):
        raise Http404("No such payment notice of yours.")
    return payment


@login_required
@require_POST
def payment_start(request, number: str):
    """Go to the payment provider's page for a notice of one's own."""
    payment = _own_payment_or_404(request, number)
    back = reverse("hall:application", args=[payment.query_code])
    if payment.status != Payment.Status.ISSUED or payment.expires_on < timezone.localdate():
        messages.error(request, _("This notice can no longer be paid online."))
        return redirect(back)
    return redirect(payments.provider().start(payment, request.build_absolute_uri(back)))


@login_required
@require_http_methods(["GET", "POST"])
def payment_sandbox(request, number: str):
    """The sandbox provider's page (a test: no money moves). Paying sends the signed
    notification to the same entry point as a real provider's call-back."""
    payment = _own_payment_or_404(request, number)
    sandbox = payments.SandboxProvider()
    if request.method == "POST":
        if request.POST.get("action") == "pay":
            body, signature = sandbox.notification(payment)
            try:
                payments.receive(body, signature, source=sandbox)
            except payments.PaymentError:
                messages.error(
                    request, _("The payment was not accepted: the notice cannot be paid now.")
                )
            else:
                messages.success(request, _("Paid. The department has been told."))
        return redirect("hall:application", query_code=payment.query_code)
    return render(request, "hall/payment_sandbox.html", {"payment": payment})


@csrf_exempt
@require_POST
def payment_notify(request):
    """A payment provider's call-back (server to server; signed, so no CSRF token)."""
    try:
        payments.receive(request.body, request.headers.get("X-Egov-Signature", ""))
    except payments.PaymentError as error:
        return HttpResponseBadRequest(f"refused: {error}", content_type="text/plain")
    return HttpResponse("success", content_type="text/plain")


class PublicityForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Holder or item"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": gettext_lazy("Enter at most %(limit_value)d characters.")},
    )


@require_safe
def publicity(request):
    """双公示: licensing decisions made public, newest first; search by holder or item."""
    form = PublicityForm(request.GET or None)
    rows = PublicDecision.objects.all()
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        rows = rows.filter(Q(holder_name__icontains=query) | Q(item_name__icontains=query))
    page = Paginator(rows, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "hall/publicity.html", {"form": form, "page": page}, status=status)
