"""The search page of the site group: /search/ on any site of the group (that site's pages),
``?scope=group`` for every site. A GET form, no JavaScript; results 10 to a page."""

from django import forms
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from egov.portal import search
from egov.portal.cache import memo
from egov.portal.models import (
    ArticlePage,
    BodyProfilePage,
    ColumnPage,
    DownloadsPage,
    InterpretationPage,
    LeaderProfilePage,
    PolicyDocumentPage,
    PortalSiteSettings,
    SectionPage,
    TopicPage,
)
from egov.portal.selectors import site_chrome

RESULTS_PER_PAGE = 10
SCOPE_SITE = "site"
SCOPE_GROUP = "group"
# The page types a visitor may filter by: key in the address → (label, models).
PAGE_TYPES = {
    "article": (_("Articles"), (ArticlePage,)),
    "policy": (_("Policy documents"), (PolicyDocumentPage,)),
    "interpretation": (_("Policy interpretations"), (InterpretationPage,)),
    "leader": (_("Leaders"), (LeaderProfilePage,)),
    "topic": (_("Special topics"), (TopicPage,)),
    "downloads": (_("Forms to download"), (DownloadsPage,)),
    "profile": (_("Profiles of bodies"), (BodyProfilePage,)),
    "column": (_("Columns and sections"), (ColumnPage, SectionPage)),
}


class PlainSelect(forms.Select):
    """A select whose options are joined in Python instead of one template include per
    option: the same HTML as Django's ``select.html`` (name, attributes, ``selected``),
    without optgroups, at a fraction of the cost on a page that is never cached (search)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=search.MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _("Enter at most %(limit_value)d characters; shorten the search.")
        },
    )
    scope = forms.ChoiceField(
        label=_("Where"),
        required=False,
        widget=PlainSelect,
        choices=[(SCOPE_SITE, _("This site")), (SCOPE_GROUP, _("All sites of the group"))],
    )
    site = forms.TypedChoiceField(
        label=_("Site"),
        required=False,
        widget=PlainSelect,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a site from the list.")},
    )
    column = forms.TypedChoiceField(
        label=_("Column"),
        required=False,
        widget=PlainSelect,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "That column is not on the site searched; choose one from the list."
            )
        },
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        widget=PlainSelect,
        choices=[("", _("Any type"))] + [(key, label) for key, (label, _m) in PAGE_TYPES.items()],
        error_messages={"invalid_choice": _("Choose a type from the list.")},
    )
    date_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A date such as 2026-03-01."),
        error_messages={"invalid": _("Enter the date as year-month-day, such as 2026-03-01.")},
    )
    date_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A date such as 2026-03-31."),
        error_messages={"invalid": _("Enter the date as year-month-day, such as 2026-03-31.")},
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        widget=PlainSelect,
        choices=[
            (search.Order.RELEVANCE, _("Best match first")),
            (search.Order.NEWEST, _("Newest first")),
        ],
    )

    def __init__(self, data, *, current_site: Site, sites: list[tuple[Site, str]]):
        super().__init__(data)
        self.current_site = current_site
        self.sites = {site.pk: (site, name) for site, name in sites}
        self.fields["site"].choices = [("", _("Any site"))] + [
            (site.pk, name) for site, name in sites
        ]
        self.fields["column"].choices = [("", _("Any column"))] + [
            (column.pk, column.title) for column in self._columns_of(self._site_chosen())
        ]

    def _raw(self, name: str) -> str:
        return (self.data.get(name) or "").strip()

    @property
    def in_group(self) -> bool:
        return self._raw("scope") == SCOPE_GROUP

    def _site_chosen(self) -> Site | None:
        """The site whose columns the column filter offers: the current site, or in a group
        search the site chosen (none: no column filter)."""
        if not self.in_group:
            return self.current_site
        try:
            return self.sites.get(int(self._raw("site")), (None, ""))[0]
        except ValueError:
            return None

    @staticmethod
    def _columns_of(site: Site | None) -> list[ColumnPage]:
        """The site's top columns, read once per page cache generation (read-only)."""
        if site is None:
            return []

        def read():
            columns = ColumnPage.objects.live().public().child_of(site.root_page)
            return list(columns.order_by("path"))

        return memo.get(("portal.search.columns", site.pk), read)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to",
                _("This date is before the start date; swap the two dates or change one."),
            )
        return cleaned

    def filters(self) -> search.SearchFilters:
        data = self.cleaned_data
        if self.in_group:
            site = self.sites.get(data.get("site"), (None, ""))[0]
            within = site.root_page if site is not None else None
        else:
            within = self.current_site.root_page
        column = None
        if data.get("column"):
            column = ColumnPage.objects.get(pk=data["column"])
        types = PAGE_TYPES[data["type"]][1] if data.get("type") else ()
        return search.SearchFilters(
            within=within,
            column=column,
            types=types,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            order=data.get("order") or search.Order.RELEVANCE,
        )

    @property
    def has_filters(self) -> bool:
        return any(self._raw(name) for name in ("site", "column", "type", "date_from", "date_to"))


def _group_sites() -> list[tuple[Site, str]]:
    """Every site of the group with the name it shows, in the order of their names; read
    once per page cache generation (read-only)."""

    def read():
        names = dict(PortalSiteSettings.objects.values_list("site_id", "site_name"))
        sites = Site.objects.select_related("root_page")
        return sorted(
            ((site, names.get(site.pk) or site.site_name or site.hostname) for site in sites),
            key=lambda pair: (not pair[0].is_default_site, pair[1]),
        )

    return memo.get(("portal.search.sites",), read)


@require_safe
def search_view(request):
    """Public: search the pages of this site, or of the whole group."""
    current = Site.find_for_request(request)
    if current is None:
        raise Http404("no site of the group answers for this host")
    sites = _group_sites()
    form = SearchForm(request.GET, current_site=current, sites=sites)
    context = {"portal": site_chrome(request), "form": form, "query": "", "searched": False}
    if form.is_valid() and form.cleaned_data["q"].strip():
        outcome = search.search(form.cleaned_data["q"], form.filters())
        results_page = Paginator(outcome.results, RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context.update(
            searched=True,
            query=form.cleaned_data["q"].strip(),
            outcome=outcome,
            results_page=results_page,
            page_range=results_page.paginator.get_elided_page_range(results_page.number),
            hits=search.hits(
                results_page.object_list, outcome.needles, request, sites if form.in_group else None
            ),
        )
    return render(request, "portal/search.html", context)
