"""Pages of disclosure requests.

Public (external zone, /disclosure/): the guide to asking, the online request (an account
with verified real-name data: it is the applicant's identity), the applicant's own requests
and their progress, the correction. Another person's request is "not found".

Staff (internal zone, /staff/disclosure/, two-factor by StaffSecurityMiddleware): the
requests of the bodies the user's roles see, each detail page an audited view of a person's
data, and the verbs of ``services``, each checked there for permission and scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.core import audit
from egov.core.timers import timer_state
from egov.hall.applications import identities

from . import online, services
from .forms import STAFF_FORMS, AnswerFileForm, CorrectionForm, RequestForm
from .models import DisclosureRequest, OnlineRequest, Status

PAGE_SIZE = 50
PURPOSE = "disclosure request"

# --- public -------------------------------------------------------------------------------


@require_safe
def guide(request):
    return render(request, "disclosure/guide.html", {"title": _("Ask for government information")})


def _identity(user, wanted: str):
    found = {identity.kind: identity for identity in identities(user)}
    if wanted == "legal":
        return found.get("legal"), found
    return found.get("natural") or found.get("legal"), found


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    identity, found = _identity(request.user, request.GET.get("as", ""))
    if identity is None:
        return render(
            request,
            "disclosure/identity_needed.html",
            {"title": _("Real-name data needed")},
            status=403,
        )
    legal = identity.kind == "legal"
    form = RequestForm(request.POST or None, legal=legal)
    if request.method == "POST" and form.is_valid():
        row = online.submit(request.user, identity, form.cleaned_data)
        messages.success(
            request,
            _("Your request is filed. Keep its number: %(number)s.") % {"number": row.number},
        )
        return redirect("disclosure:request", number=row.number)
    return render(
        request,
        "disclosure/apply.html",
        {
            "title": _("Request government information"),
            "form": form,
            "identity": identity,
            "other_identity": "natural" if legal else ("legal" if "legal" in found else ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def my_requests(request):
    rows = OnlineRequest.objects.filter(applicant=request.user).select_related("body")
    return render(
        request,
        "disclosure/my_requests.html",
        {"title": _("My information requests"), "rows": rows},
    )


def _own(request, number: str) -> OnlineRequest:
    return get_object_or_404(
        OnlineRequest.objects.select_related("body"), applicant=request.user, number=number
    )


def _request_page(request, row, correction_form=None, status=200):
    return render(
        request,
        "disclosure/request.html",
        {
            "title": _("Information request %(number)s") % {"number": row.number},
            "row": row,
            "correction_form": correction_form
            or (
                CorrectionForm(initial={"description": row.description})
                if row.correction_due
                else None
            ),
        },
        status=status,
    )


@login_required
@require_safe
def request_detail(request, number: str):
    return _request_page(request, _own(request, number))


@login_required
@require_POST
def correct(request, number: str):
    row = _own(request, number)
    if row.status != Status.CORRECTION or row.correction_due is None:
        messages.info(request, _("This request does not wait for a correction."))
        return redirect("disclosure:request", number=number)
    if timezone.localdate() > row.correction_due:
        messages.error(
            request,
            _("The correction was due by %(day)s; it can no longer be sent.")
            % {"day": row.correction_due},
        )
        return redirect("disclosure:request", number=number)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _request_page(request, row, correction_form=form, status=400)
    online.correct(row, form.cleaned_data["description"])
    messages.success(request, _("Your corrected request is sent."))
    return redirect("disclosure:request", number=number)


# --- staff ------------------------------------------------------------------------------


def _require_view(request) -> None:
    if not request.user.has_perm("disclosure.view_disclosurerequest"):
        raise PermissionDenied(_("Your roles do not include disclosure requests."))


@login_required
@require_safe
def staff_list(request):
    _require_view(request)
    requests = services.requests_visible_to(request.user).select_related("body", "timer")
    status = request.GET.get("status", "open")
    if status == "open":
        requests = requests.exclude(status=Status.ANSWERED)
    elif status in Status.values:
        requests = requests.filter(status=status)
    page = Paginator(requests.order_by("timer__due_date", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [(row, timer_state(row.timer, today) if row.timer else "") for row in page.object_list]
    if rows:
        audit.record_person_list_view(
            request, DisclosureRequest, [row.pk for row, _state in rows], purpose=PURPOSE
        )
    return render(
        request,
        "disclosure/staff_list.html",
        {
            "title": _("Disclosure requests"),
            "rows": rows,
            "page": page,
            "status": status,
            "statuses": Status.choices,
        },
    )


def _visible(request, number: str) -> DisclosureRequest:
    return get_object_or_404(
        services.requests_visible_to(request.user).select_related("body", "timer"), number=number
    )


def _staff_page(request, row, forms=None, status=200):
    user = request.user
    may_handle = user.has_perm(services.HANDLE)
    shown = {}
    if may_handle and row.status == Status.RECEIVED:
        shown = {"answer": None, "redact": None, "consult": None}
        if row.correction_asked_on is None:
            shown["ask_correction"] = None
        if not row.extension_days and user.has_perm(services.APPROVE):
            shown["extend"] = None
    elif may_handle and row.status == Status.CORRECTION:
        shown = {"record_correction": None}
    elif may_handle and row.status == Status.CONSULTATION:
        shown = {"end_consultation": None, "answer": None, "redact": None}
    for verb in shown:
        shown[verb] = (forms or {}).get(verb) or STAFF_FORMS[verb]()
    return render(
        request,
        "disclosure/staff_detail.html",
        {
            "title": _("Disclosure request %(number)s") % {"number": row.number},
            "row": row,
            "events": row.events.select_related("by"),
            "forms": shown,
            "due": services.answer_due(row),
            "state": timer_state(row.timer) if row.timer else "",
            "rules": row.redactions.filter(active=True),
            "answer_files": row.files.filter(kind="answer").order_by("pk"),
            "file_form": (
                (forms or {}).get("attach") or AnswerFileForm()
                if may_handle and row.status in (Status.RECEIVED, Status.CONSULTATION)
                else None
            ),
            "preview": _answer_preview(row),
        },
        status=status,
    )


def _answer_preview(row):
    """What the answer hides, for staff only: the answer text with the hidden parts marked."""
    if not row.answer_text:
        return None
    from .redaction import RedactionError, preview, rules_for

    try:
        return preview(row.answer_text, rules_for(row, "answers"))
    except RedactionError as error:
        return str(error)


@login_required
@require_safe
def staff_detail(request, number: str):
    _require_view(request)
    row = _visible(request, number)
    audit.record_person_view(request, row, purpose=PURPOSE, body=row.body)
    return _staff_page(request, row)


VERBS = {
    "ask_correction": lambda row, by, data, req: services.ask_correction(
        row, by=by, text=data["text"], days=data["days"], http_request=req
    ),
    "record_correction": lambda row, by, data, req: services.receive_correction(
        row, by=by, description=data["description"], http_request=req
    ),
    "consult": lambda row, by, data, req: services.consult_third_party(
        row, by=by, third_party=data["third_party"], http_request=req
    ),
    "end_consultation": lambda row, by, data, req: services.end_consultation(
        row, by=by, note=data["note"], http_request=req
    ),
    "extend": lambda row, by, data, req: services.extend(
        row, by=by, days=data["days"], reason=data["reason"], http_request=req
    ),
    "redact": lambda row, by, data, req: services.add_redaction(
        row,
        by=by,
        kind=data["kind"],
        value=data["value"],
        scope=data["scope"],
        reason=data["reason"],
        http_request=req,
    ),
    "answer": lambda row, by, data, req: services.answer(
        row,
        by=by,
        kind=data["kind"],
        outcome=data["outcome"],
        text=data["text"],
        legal_basis=data["legal_basis"],
        where_public=data["where_public"],
        right_body=data["right_body"],
        fee_method=data["fee_method"],
        pages=data["pages"],
        http_request=req,
    ),
}


@login_required
@require_POST
def staff_act(request, number: str, verb: str):
    _require_view(request)
    if verb not in VERBS:
        raise Http404
    row = _visible(request, number)
    form = STAFF_FORMS[verb](request.POST)
    if not form.is_valid():
        return _staff_page(request, row, forms={verb: form}, status=400)
    try:
        VERBS[verb](row, request.user, form.cleaned_data, request)
    except services.DisclosureError as error:
        form.add_error(None, str(error))
        return _staff_page(request, row, forms={verb: form}, status=400)
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("Done."))
    return redirect("disclosure_staff:detail", number=number)


# --- the proactive catalogue ------------------------------------------------------------


@require_safe
def catalogue_index(request):
    from egov.directory.models import Organisation

    bodies = Organisation.objects.filter(is_active=True).order_by("sort_order", "code")
    return render(
        request,
        "disclosure/catalogue_index.html",
        {"title": _("Proactive disclosure catalogues"), "bodies": bodies},
    )


@require_safe
def catalogue_body(request, code: str):
    from egov.directory.models import Organisation

    from . import catalogue

    body = get_object_or_404(Organisation, code=code, is_active=True)
    return render(
        request,
        "disclosure/catalogue.html",
        {
            "title": _("Disclosure catalogue of %(body)s") % {"body": body.name_zh},
            "body": body,
            "sections": catalogue.catalogue(body, request),
        },
    )


@login_required
@require_safe
def staff_completeness(request):
    _require_view(request)
    from egov.directory.scoping import visible_bodies

    from . import catalogue

    bodies = visible_bodies(request.user).filter(is_active=True).order_by("sort_order", "code")
    return render(
        request,
        "disclosure/staff_completeness.html",
        {
            "title": _("Completeness of the disclosure catalogues"),
            "gaps": catalogue.completeness(bodies),
            "recent_days": catalogue.RECENT_DAYS,
        },
    )


# --- answer letters ---------------------------------------------------------------------


def _download(field_file, name: str, content_type: str):
    """A stored file as a download under its (Chinese) name."""
    from django.http import FileResponse

    from egov.hall.views import content_disposition

    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    return response


def _letter_response(request_row, extension: str):
    from django.http import HttpResponse

    from egov.hall.views import content_disposition

    from . import letters

    try:
        data = (letters.letter_pdf if extension == "pdf" else letters.letter_docx)(request_row)
    except ValueError as error:
        raise Http404(str(error)) from error
    kinds = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = HttpResponse(data, content_type=kinds[extension])
    response["Content-Disposition"] = content_disposition(letters.file_name(request_row, extension))
    return response


@login_required
@require_safe
def staff_letter(request, number: str, extension: str):
    """The answer letter (redacted, as the applicant gets it), for printing or posting."""
    _require_view(request)
    row = _visible(request, number)
    if extension not in ("pdf", "docx") or not row.answered_on:
        raise Http404
    audit.record_person_view(request, row, purpose=PURPOSE, body=row.body)
    return _letter_response(row, extension)


@login_required
@require_safe
def my_letter(request, number: str):
    row = _own(request, number)
    if not row.letter:
        raise Http404
    return _download(row.letter, row.letter.name.rsplit("/", 1)[-1], "application/pdf")


@login_required
@require_POST
def staff_attach(request, number: str):
    """Add a file to the answer (kept inside as it is; its redacted copy goes out)."""
    _require_view(request)
    row = _visible(request, number)
    form = AnswerFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_answer_file(
                row, by=request.user, name=upload.name, data=upload.read(), http_request=request
            )
        except services.DisclosureError as error:
            form.add_error("file", str(error))
    if not form.is_valid() or form.errors:
        return _staff_page(request, row, forms={"attach": form}, status=400)
    messages.success(request, _("The file is added to the answer."))
    return redirect("disclosure_staff:detail", number=number)


@login_required
@require_safe
def staff_answer_file(request, number: str, pk: int):
    """The file as it was added (not redacted): staff only, audited."""
    _require_view(request)
    row = _visible(request, number)
    stored = get_object_or_404(row.files, pk=pk)
    audit.record_person_view(request, row, purpose=PURPOSE, body=row.body)
    return _download(stored.file, stored.name, stored.content_type)


@login_required
@require_safe
def my_answer_file(request, number: str, pk: int):
    """A file of the answer, as the applicant got it (redacted)."""
    row = _own(request, number)
    stored = get_object_or_404(row.answer_files, pk=pk)
    return _download(stored.file, stored.name, stored.content_type)
