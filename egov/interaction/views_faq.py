"""Pages of the FAQ / knowledge base (常见问题), external zone: decision 0023.

Public: /interaction/faq/ (the published entries by topic, searched with the portal's Chinese
search), /interaction/faq/<pk>/ (one entry), /interaction/faq/suggest/?q= (the entries like
what a writer is typing: an HTML fragment for the letter form's script). Staff who work
outside with ``interaction.manage_participation`` curate the entries of the bodies they see
under /interaction/faq/manage/.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.portal.search import excerpt, highlight, needles_of

from . import faq, participation
from .forms_faq import FaqEntryForm, FaqSearchForm
from .models_faq import FaqEntry

PAGE_SIZE = 20

# --- public -------------------------------------------------------------------------------


def _topics():
    return list(
        faq.published_entries()
        .exclude(topic="")
        .order_by("topic")
        .values_list("topic", flat=True)
        .distinct()
    )


@require_safe
def faq_list(request):
    form = FaqSearchForm(request.GET or None, topics=_topics())
    query, topic = "", ""
    if form.is_valid():
        query, topic = form.cleaned_data["q"].strip(), form.cleaned_data["topic"]
    terms = []
    if query:
        terms, results = faq.search(query, topic=topic)
    else:
        results = faq.published_entries().select_related("body")
        if topic:
            results = results.filter(topic=topic)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    needles = needles_of(terms)
    rows = [
        {
            "entry": entry,
            "question": highlight(entry.question, needles),
            "excerpt": excerpt(entry.answer, needles, length=120),
        }
        for entry in page.object_list
    ]
    return render(
        request,
        "interaction/faq/list.html",
        {
            "title": _("Frequently asked questions"),
            "form": form,
            "query": query,
            "topic": topic,
            "page": page,
            "rows": rows,
            "may_manage": request.user.has_perm(faq.MANAGE),
        },
    )


@require_safe
def faq_entry(request, pk: int):
    entry = get_object_or_404(faq.published_entries().select_related("body", "public_reply"), pk=pk)
    return render(
        request,
        "interaction/faq/entry.html",
        {"title": entry.question, "entry": entry},
    )


def similar_context(text: str) -> dict:
    terms, entries = faq.suggest(text)
    needles = needles_of(terms)
    rows = [{"entry": entry, "question": highlight(entry.question, needles)} for entry in entries]
    return {"similar": rows, "similar_asked": bool(terms)}


@require_safe
def faq_suggest(request):
    """The entries like ``q`` (what a writer typed), as an HTML fragment (no page around it)."""
    response = render(
        request,
        "interaction/faq/suggestions.html",
        similar_context(request.GET.get("q", "")),
    )
    response["Cache-Control"] = "no-store"
    return response


# --- staff (external zone) ----------------------------------------------------------------


def _require_manage(request):
    if not request.user.has_perm(faq.MANAGE):
        raise PermissionDenied(_("Your roles do not include the FAQ."))


@login_required
@require_safe
def manage(request):
    _require_manage(request)
    entries = faq.entries_managed_by(request.user).select_related("body")
    proposed = entries.filter(source=FaqEntry.Source.REPLY, is_published=False, curated=False)
    return render(
        request,
        "interaction/faq/manage.html",
        {
            "title": _("Manage the FAQ"),
            "proposed": proposed,
            "entries": entries.exclude(pk__in=proposed.values("pk")).order_by(
                "-is_published", "topic", "pk"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_new(request):
    _require_manage(request)
    bodies = participation.managed_bodies(request.user)
    form = FaqEntryForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = faq.create_entry(
            by=request.user,
            body=data["body"],
            question=data["question"],
            answer=data["answer"],
            topic=data["topic"],
            publish=data["publish"],
            http_request=request,
        )
        messages.success(request, _("The question is saved."))
        return redirect("interaction:faq_manage_entry", pk=entry.pk)
    return render(
        request,
        "interaction/faq/manage_form.html",
        {"title": _("Add a question"), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _managed(request, pk):
    return get_object_or_404(
        faq.entries_managed_by(request.user).select_related("body", "public_reply"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_entry(request, pk: int):
    _require_manage(request)
    entry = _managed(request, pk)
    editable = entry.source != FaqEntry.Source.SERVICE
    initial = {"question": entry.question, "answer": entry.answer, "topic": entry.topic}
    form = FaqEntryForm(request.POST or None, initial=initial) if editable else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("The words of this entry are the service guide's: change the guide instead.")
            )
        if form.is_valid():
            data = form.cleaned_data
            faq.update_entry(
                entry,
                by=request.user,
                question=data["question"],
                answer=data["answer"],
                topic=data["topic"],
                http_request=request,
            )
            messages.success(request, _("The question is saved."))
            return redirect("interaction:faq_manage_entry", pk=entry.pk)
        status = 400
    return render(
        request,
        "interaction/faq/manage_entry.html",
        {"title": entry.question, "entry": entry, "form": form},
        status=status,
    )


@login_required
@require_POST
def manage_publish(request, pk: int):
    _require_manage(request)
    entry = _managed(request, pk)
    publish = request.POST.get("publish") == "1"
    try:
        faq.set_published(entry, by=request.user, published=publish, http_request=request)
    except faq.FaqError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The question is published.") if publish else _("The question is hidden.")
        )
    return redirect("interaction:faq_manage_entry", pk=entry.pk)
