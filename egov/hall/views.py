"""The hall's public pages: the home page (browse and search), an item's guide, and its blank
forms and samples. GET only, no login, no JavaScript; the external and combined zones serve
them (egov/urls)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from egov.portal.search import MAX_QUERY_LENGTH
from egov.services import selectors

from . import catalogue

ITEMS_PER_PAGE = 20
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BrowseForm(forms.Form):
    """The home page's filters, all optional; links on the page fill them in."""

    q = forms.CharField(
        label=_("Search for a service"),
        help_text=_("A word of the service's name, its body or its guide, such as 执照 or 低保."),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _("Enter at most %(limit_value)d characters; shorten the search.")
        },
    )
    event = forms.ChoiceField(
        label=_("Life event"),
        required=False,
        error_messages={"invalid_choice": _("Choose a life event from the list.")},
    )
    stage = forms.ChoiceField(
        label=_("Enterprise stage"),
        required=False,
        error_messages={"invalid_choice": _("Choose an enterprise stage from the list.")},
    )
    body = forms.ChoiceField(
        label=_("Body"),
        required=False,
        error_messages={"invalid_choice": _("Choose a body from the list.")},
    )
    audience = forms.ChoiceField(
        label=_("For whom"),
        required=False,
        error_messages={"invalid_choice": _("Choose individuals or enterprises.")},
    )

    def __init__(self, *args, events, stages, bodies, audiences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("Any life event"))] + [
            (f.code, f.label) for f in events
        ]
        self.fields["stage"].choices = [("", _("Any enterprise stage"))] + [
            (f.code, f.label) for f in stages
        ]
        self.fields["body"].choices = [("", _("Any body"))] + [(f.code, f.label) for f in bodies]
        self.fields["audience"].choices = [("", _("Anyone"))] + [
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
        # No "apply online" link yet: the application form (hall:apply, for depths 3 and 4,
        # catalogue.APPLY_ONLINE_DEPTHS) is the next slice of the hall.
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
