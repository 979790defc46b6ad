"""Staff pages of official documents (/staff/oa/documents/ …): the lists of work, the
draft form, a document's and an incoming record's page with their history and the verbs the
user may take, the PDF and DOCX, files. Every view checks the permission and the scope and
secrecy (a document the user may not see is "not found"); the verbs are services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.accounts.models import User
from egov.core import audit
from egov.directory.scoping import visible_bodies

from . import rendering
from . import services_documents as docs
from .forms_documents import (
    CirculateForm,
    DocumentForm,
    ExternalForm,
    InstructForm,
    NoteForm,
    RequiredNoteForm,
    ReviewForm,
    ScreenForm,
    SearchForm,
)
from .models import Document, DocumentFile, Receipt

S, R = Document.Status, Receipt.Status


def _require(request, permission: str = docs.VIEW) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Your roles do not include official documents."))


def _document(request, uid) -> Document:
    found = docs.documents_visible_to(request.user).filter(uid=uid).first()
    if found is None:
        raise Http404(_("No such document, or not one you may see."))
    return Document.objects.select_related("body", "drafted_by", "signed_by").get(pk=found.pk)


def _receipt(request, uid) -> Receipt:
    found = docs.receipts_visible_to(request.user).filter(uid=uid).first()
    if found is None:
        raise Http404(_("No such document, or not one you may see."))
    return Receipt.objects.select_related("body", "document", "handler", "holder").get(pk=found.pk)


def _drafting_bodies(user):
    return visible_bodies(user).filter(memberships__user=user).distinct()


@login_required
@require_safe
def document_list(request):
    _require(request)
    user = request.user
    visible = docs.documents_visible_to(user).select_related("body")
    incoming = docs.receipts_visible_to(user).select_related("body", "document")
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        found_docs, found_receipts = docs.search(user, form.cleaned_data["q"])
        results = {
            "documents": found_docs.select_related("body")[:50],
            "receipts": found_receipts.select_related("body")[:50],
        }
    sections = [
        (_("My drafts"), visible.filter(drafted_by=user, status=S.DRAFT)),
    ]
    if user.has_perm(docs.REVIEW):
        sections.append((_("To review"), visible.filter(status=S.REVIEWING)))
    if user.has_perm(docs.SIGN):
        sections.append((_("To sign"), visible.filter(status=S.TO_SIGN)))
    if user.has_perm(docs.REGISTER):
        sections.append(
            (
                _("To check, number, print and send"),
                visible.filter(status__in=[S.SIGNED, S.CHECKED, S.REGISTERED, S.PRINTED]),
            )
        )
    sections.append(
        (_("Sent"), visible.filter(status=S.SENT, body__in=_drafting_bodies(user))[:20])
    )
    return render(
        request,
        "oa/documents/list.html",
        {
            "title": _("Official documents"),
            "sections": sections,
            "incoming": incoming.exclude(status=R.ARCHIVED)[:100],
            "form": form,
            "results": results,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request):
    _require(request, docs.DRAFT)
    bodies = _drafting_bodies(request.user)
    form = DocumentForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            document = docs.draft(
                by=request.user,
                body=form.cleaned_data["body"],
                main_to=form.cleaned_data["main_to"],
                copy_to=form.cleaned_data["copy_to"],
                **form.draft_fields(),
            )
        except (ValueError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("oa_documents:detail", uid=document.uid)
    return render(
        request,
        "oa/documents/form.html",
        {"title": _("Draft a document"), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, uid):
    _require(request, docs.DRAFT)
    document = _document(request, uid)
    if document.status != S.DRAFT:
        messages.error(request, _("Only a draft is edited; a signed document is re-issued."))
        return redirect("oa_documents:detail", uid=document.uid)
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            docs.update_draft(
                Document.objects.get(pk=document.pk),
                by=request.user,
                main_to=form.cleaned_data["main_to"],
                copy_to=form.cleaned_data["copy_to"],
                **form.draft_fields(),
            )
        except (ValueError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("oa_documents:detail", uid=document.uid)
    return render(
        request,
        "oa/documents/form.html",
        {"title": _("Edit the draft"), "form": form, "document": document},
        status=400 if form.errors else 200,
    )


# --- verbs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verb:
    title: str
    permission: str
    statuses: tuple
    form: type
    act: Callable  # (row, user, cleaned_data) -> None


def _note(data) -> str:
    return data.get("note", "") or ""


DOCUMENT_VERBS = {
    "submit": Verb(
        gettext_lazy("Submit for review"),
        docs.DRAFT,
        (S.DRAFT,),
        NoteForm,
        lambda d, u, c: docs.submit(d, by=u, note=_note(c)),
    ),
    "review": Verb(
        gettext_lazy("Review (审核)"),
        docs.REVIEW,
        (S.REVIEWING,),
        ReviewForm,
        lambda d, u, c: docs.review(d, by=u, approve=c["decision"] == "approve", note=_note(c)),
    ),
    "sign": Verb(
        gettext_lazy("Sign (签发)"),
        docs.SIGN,
        (S.TO_SIGN,),
        NoteForm,
        lambda d, u, c: docs.sign(d, by=u, note=_note(c)),
    ),
    "refuse": Verb(
        gettext_lazy("Do not sign: send back"),
        docs.SIGN,
        (S.TO_SIGN,),
        RequiredNoteForm,
        lambda d, u, c: docs.send_back_unsigned(d, by=u, note=_note(c)),
    ),
    "check": Verb(
        gettext_lazy("Check (复核)"),
        docs.REGISTER,
        (S.SIGNED,),
        NoteForm,
        lambda d, u, c: docs.check(d, by=u, note=_note(c)),
    ),
    "register": Verb(
        gettext_lazy("Register and number (登记)"),
        docs.REGISTER,
        (S.CHECKED,),
        NoteForm,
        lambda d, u, c: docs.register(d, by=u),
    ),
    "print": Verb(
        gettext_lazy("Print (印制)"),
        docs.REGISTER,
        (S.REGISTERED,),
        NoteForm,
        lambda d, u, c: docs.print_document(d, by=u),
    ),
    "dispatch": Verb(
        gettext_lazy("Send to the recipients (核发)"),
        docs.REGISTER,
        (S.PRINTED,),
        NoteForm,
        lambda d, u, c: docs.dispatch(d, by=u),
    ),
    "reissue": Verb(
        gettext_lazy("Re-issue (a new draft replaces this document)"),
        docs.DRAFT,
        (S.SIGNED, S.CHECKED, S.REGISTERED, S.PRINTED, S.SENT),
        RequiredNoteForm,
        lambda d, u, c: docs.reissue(d, by=u, reason=_note(c)),
    ),
    "comment": Verb(
        gettext_lazy("Add a comment"),
        docs.VIEW,
        tuple(S.values),
        RequiredNoteForm,
        lambda d, u, c: docs.comment(by=u, document=d, note=_note(c)),
    ),
}


def _people(receipt):
    return User.objects.filter(memberships__organisation=receipt.body, is_active=True).distinct()


OPEN = (R.REGISTERED, R.SCREENED, R.PROPOSED, R.INSTRUCTED, R.HANDLING)
RECEIPT_VERBS = {
    "sign_for": Verb(
        gettext_lazy("Sign for it (签收)"),
        docs.RECEIVE,
        (R.WAITING,),
        NoteForm,
        lambda r, u, c: docs.sign_for(r, by=u),
    ),
    "register": Verb(
        gettext_lazy("Register (登记)"),
        docs.RECEIVE,
        (R.SIGNED_FOR,),
        NoteForm,
        lambda r, u, c: docs.register_incoming(r, by=u),
    ),
    "screen": Verb(
        gettext_lazy("Screen (初审)"),
        docs.SCREEN,
        (R.REGISTERED,),
        ScreenForm,
        lambda r, u, c: docs.screen(r, by=u, accept=c["decision"] == "accept", reason=_note(c)),
    ),
    "propose": Verb(
        gettext_lazy("Propose the handling (拟办)"),
        docs.SCREEN,
        (R.SCREENED,),
        RequiredNoteForm,
        lambda r, u, c: docs.propose(r, by=u, proposal=_note(c)),
    ),
    "instruct": Verb(
        gettext_lazy("Instruct (批办)"),
        docs.INSTRUCT,
        (R.PROPOSED,),
        InstructForm,
        lambda r, u, c: docs.instruct(r, by=u, instruction=_note(c), handler=c["handler"]),
    ),
    "take_on": Verb(
        gettext_lazy("Take it on (承办)"),
        docs.HANDLE,
        (R.INSTRUCTED,),
        NoteForm,
        lambda r, u, c: docs.take_on(r, by=u),
    ),
    "circulate": Verb(
        gettext_lazy("Circulate (传阅)"),
        docs.HANDLE,
        (R.SCREENED, R.PROPOSED, R.INSTRUCTED, R.HANDLING),
        CirculateForm,
        lambda r, u, c: docs.circulate(r, by=u, readers=c["readers"], note=_note(c)),
    ),
    "urge": Verb(
        gettext_lazy("Urge (催办)"),
        docs.URGE,
        OPEN,
        RequiredNoteForm,
        lambda r, u, c: docs.urge(r, by=u, note=_note(c)),
    ),
    "finish": Verb(
        gettext_lazy("Answer and close (答复/办结)"),
        docs.HANDLE,
        (R.HANDLING, R.SCREENED),
        RequiredNoteForm,
        lambda r, u, c: docs.finish(r, by=u, answer=_note(c)),
    ),
    "archive": Verb(
        gettext_lazy("File (归档)"),
        docs.RECEIVE,
        (R.DONE, R.RETURNED),
        NoteForm,
        lambda r, u, c: docs.archive(r, by=u),
    ),
    "instruction": Verb(
        gettext_lazy("Write an instruction (批示)"),
        docs.INSTRUCT,
        OPEN,
        RequiredNoteForm,
        lambda r, u, c: docs.comment(by=u, receipt=r, note=_note(c), instruction=True),
    ),
    "comment": Verb(
        gettext_lazy("Add a comment"),
        docs.VIEW,
        tuple(R.values),
        RequiredNoteForm,
        lambda r, u, c: docs.comment(by=u, receipt=r, note=_note(c)),
    ),
}


def _form(verb: Verb, row, data=None):
    if verb.form in (InstructForm, CirculateForm):
        return verb.form(data, people=_people(row), prefix=None)
    return verb.form(data)


def _forms(request, verbs: dict, row, bound: tuple[str, object] | None = None) -> dict:
    forms = {}
    for name, verb in verbs.items():
        if row.status in verb.statuses and request.user.has_perm(verb.permission):
            form = bound[1] if bound and bound[0] == name else _form(verb, row)
            forms[name] = (verb.title, form)
    return forms


def _document_page(request, document, bound=None, status=200):
    return render(
        request,
        "oa/documents/detail.html",
        {
            "title": document.title,
            "document": document,
            "events": document.events.select_related("by", "body", "holder"),
            "receipts": document.receipts.select_related("body"),
            "files": document.files.all(),
            # the verbs of the outgoing side are for the issuing body's staff only
            "forms": _forms(request, DOCUMENT_VERBS, document, bound)
            if visible_bodies(request.user).filter(pk=document.body_id).exists()
            else {},
            "may_edit": document.status == S.DRAFT and request.user.has_perm(docs.DRAFT),
        },
        status=status,
    )


@login_required
@require_safe
def document_detail(request, uid):
    _require(request)
    document = _document(request, uid)
    audit.record("oa.document.view", request=request, obj=document, body=document.body)
    return _document_page(request, document)


def _act(request, row, verbs, name, page, redirect_to):
    verb = verbs.get(name)
    if verb is None:
        raise Http404
    if not request.user.has_perm(verb.permission):
        raise PermissionDenied(_("Your roles do not allow this step."))
    form = _form(verb, row, request.POST)
    if not form.is_valid():
        return page(request, row, (name, form), 400)
    try:
        verb.act(row, request.user, form.cleaned_data)
    except docs.DocumentStateError as error:
        messages.error(request, str(error))
    except (ValueError, ValidationError) as error:
        form.add_error(
            None, error.messages[0] if isinstance(error, ValidationError) else str(error)
        )
        return page(request, row, (name, form), 400)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": verb.title})
    return redirect_to


@login_required
@require_POST
def document_act(request, uid, verb):
    _require(request)
    document = _document(request, uid)
    target = redirect("oa_documents:detail", uid=document.uid)
    response = _act(request, document, DOCUMENT_VERBS, verb, _document_page, target)
    if verb == "reissue" and response.status_code == 302:
        newest = document.reissues.order_by("-pk").first()
        if newest is not None:
            return redirect("oa_documents:detail", uid=newest.uid)
    return response


def _receipt_page(request, receipt, bound=None, status=200):
    return render(
        request,
        "oa/documents/receipt.html",
        {
            "title": receipt.title,
            "receipt": receipt,
            "events": receipt.events.select_related("by", "body", "holder"),
            "files": receipt.files.all(),
            "forms": _forms(request, RECEIPT_VERBS, receipt, bound),
        },
        status=status,
    )


@login_required
@require_safe
def receipt_detail(request, uid):
    _require(request)
    receipt = _receipt(request, uid)
    audit.record("oa.receipt.view", request=request, obj=receipt, body=receipt.body)
    return _receipt_page(request, receipt)


@login_required
@require_POST
def receipt_act(request, uid, verb):
    _require(request)
    receipt = _receipt(request, uid)
    target = redirect("oa_documents:receipt", uid=receipt.uid)
    return _act(request, receipt, RECEIPT_VERBS, verb, _receipt_page, target)


@login_required
@require_http_methods(["GET", "POST"])
def receipt_register(request):
    _require(request, docs.RECEIVE)
    form = ExternalForm(
        request.POST or None, request.FILES or None, bodies=_drafting_bodies(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = docs.register_external(
                by=request.user,
                body=data["body"],
                sender=data["sender"],
                sender_number=data["sender_number"],
                title=data["title"],
                secrecy=data["secrecy"],
                urgency=data["urgency"] or "",
                due_on=data["due_on"],
                scan=data["scan"],
            )
        except ValidationError as error:
            form.add_error("scan", error)
        except (ValueError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The document is registered."))
            return redirect("oa_documents:receipt", uid=receipt.uid)
    return render(
        request,
        "oa/documents/register.html",
        {"title": _("Register a document received on paper"), "form": form},
        status=400 if form.errors else 200,
    )


# --- downloads ------------------------------------------------------------------------------


def _download(request, document, kind: str):
    if kind == "pdf":
        data, content_type = rendering.pdf_bytes(document), "application/pdf"
    else:
        data = rendering.docx_bytes(document)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    audit.record(f"oa.document.download_{kind}", request=request, obj=document, body=document.body)
    name = (document.number or f"draft-{document.pk}").replace("〔", "(").replace("〕", ")")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"document.{kind}\"; filename*=UTF-8''{_quote(name)}.{kind}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
@require_safe
def document_pdf(request, uid):
    _require(request)
    return _download(request, _document(request, uid), "pdf")


@login_required
@require_safe
def document_docx(request, uid):
    _require(request)
    return _download(request, _document(request, uid), "docx")


@login_required
@require_safe
def file_download(request, pk: int):
    _require(request)
    row = get_object_or_404(DocumentFile, pk=pk)
    visible = Q()
    if row.document_id:
        visible = docs.documents_visible_to(request.user).filter(pk=row.document_id).exists()
    else:
        visible = docs.receipts_visible_to(request.user).filter(pk=row.receipt_id).exists()
    if not visible:
        raise Http404(_("No such document, or not one you may see."))
    audit.record("oa.file.download", request=request, obj=row)
    response = FileResponse(
        row.data.open("rb"), as_attachment=True, filename=row.name, content_type=row.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
