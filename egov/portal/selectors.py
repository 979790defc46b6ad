"""Reads of the site group: what every page's frame shows (name, theme, navigation, footer),
breadcrumbs, the site map, and a body's profile page. Other apps import these.

What the frame shows changes only with what the page cache's generation tracks, so it is
remembered per generation in each process (``cache.memo``): an uncached page costs the
queries of its own content, not those of the frame.
"""

import copy
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http.request import split_domain_port
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from egov.portal.cache import memo
from egov.portal.models import (
    BodyProfilePage,
    ColumnPage,
    DownloadsPage,
    PortalSiteSettings,
    SectionPage,
    SiteMapPage,
    TopicPage,
)

DEFAULT_SITE_NAME = "永川区人民政府网"
SITE_MAP_TYPES = (ColumnPage, SectionPage, BodyProfilePage, DownloadsPage, TopicPage, SiteMapPage)


@dataclass
class NavItem:
    page: Page
    current: bool


@dataclass
class SiteChrome:
    """The frame around every page of one site: header, navigation and footer."""

    site: Site | None
    settings: PortalSiteSettings | None
    root: Page
    home_url: str
    nav: list[NavItem] = field(default_factory=list)
    sitemap_url: str = ""
    report_error_url: str = ""

    @property
    def site_name(self) -> str:
        if self.settings is not None and self.settings.site_name:
            return self.settings.site_name
        if self.site is not None and self.site.site_name:
            return self.site.site_name
        return DEFAULT_SITE_NAME

    @property
    def theme(self) -> str:
        return self.settings.theme if self.settings is not None else "red"


# --- remembered per generation ------------------------------------------------------------


def restricted_paths() -> tuple[str, ...]:
    """The paths of the pages with a view restriction (their subtrees are not public)."""
    return memo.get(
        "restricted-paths",
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def public(queryset):
    """``queryset.public()`` without its query for the view restrictions."""
    paths = restricted_paths()
    if not paths:
        return queryset
    private = Q()
    for path in paths:
        private |= Q(path__startswith=path)
    return queryset.exclude(private)


def is_restricted(page: Page) -> bool:
    return any(page.path.startswith(path) for path in restricted_paths())


def remember_site(request) -> None:
    """Wagtail's site for the request (``Site.find_for_request``), with its home page as its
    specific type, remembered per host and port: it saves each request two queries."""
    if hasattr(request, "_wagtail_site"):
        return
    key = ("site", split_domain_port(request._get_raw_host())[0], request.get_port())

    def find():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    site = memo.get(key, find)
    if site is not None:
        site = copy.copy(site)
        site.root_page = copy.copy(site.root_page)
    request._wagtail_site = site


def route(root: Page, request, path_components: list[str]):
    """The page at ``path_components`` under the site's root, found in one query by its URL
    path (Wagtail walks the tree, two queries a level). None when there is no such page
    (Wagtail's walk then decides: a page with routes of its own may answer)."""
    if not path_components:
        return None
    url_path = root.url_path + "/".join(path_components) + "/"
    page = (
        Page.objects.filter(slug=path_components[-1], url_path=url_path, path__startswith=root.path)
        .specific()
        .first()
    )
    if page is None:
        return None
    result = page.route(request, [])
    return result if isinstance(result, RouteResult) else RouteResult(*result)


def _site_of(request, page: Page | None) -> Site | None:
    """The site answering the request (Wagtail has already found and cached it while
    routing), or the page's own site when the page lies elsewhere (a preview in the CMS)."""
    site = Site.find_for_request(request)
    if page is None or (site is not None and page.path.startswith(site.root_page.path)):
        return site
    return page.get_site()


def site_chrome(request, page: Page | None = None) -> SiteChrome:
    """The frame for ``page`` (or, without a page, for the site answering the request): the
    settings and the root's children (navigation and the site map's address), remembered per
    generation."""
    site = _site_of(request, page)
    if site is not None:
        root = site.root_page
    else:  # a page outside every site: its top-level ancestor stands in for the home page
        root = page.get_ancestors(inclusive=True).filter(depth=2).first() or page
    settings = (
        memo.get(("settings", site.pk), lambda: PortalSiteSettings.for_site(site))
        if site is not None
        else None
    )
    current_path = page.path if page is not None else ""
    children = memo.get(
        ("children", root.pk),
        lambda: list(public(Page.objects.live().child_of(root)).order_by("path")),
    )
    sitemap_type = ContentType.objects.get_for_model(SiteMapPage).pk
    sitemap = next((c for c in children if c.content_type_id == sitemap_type), None)
    error_url = reverse("portal:report_error") + "?" + urlencode({"page": request.path})
    return SiteChrome(
        site=site,
        settings=settings,
        root=root,
        home_url=root.get_url(request) or "/",
        nav=[NavItem(c, current_path.startswith(c.path)) for c in children if c.show_in_menus],
        sitemap_url=(sitemap.get_url(request) or "") if sitemap is not None else "",
        report_error_url=error_url,
    )


def breadcrumbs(page: Page, root: Page) -> list[Page]:
    """The pages from the site's home down to ``page``'s parent ([] on the home page)."""
    if page.depth <= root.depth:
        return []
    return memo.get(
        ("breadcrumbs", page.path[: -Page.steplen], root.depth),
        lambda: list(page.get_ancestors().filter(depth__gte=root.depth).order_by("depth")),
    )


@dataclass
class SiteMapNode:
    page: Page
    children: list["SiteMapNode"] = field(default_factory=list)


def site_map(root: Page, levels: int = 3) -> list[SiteMapNode]:
    """The site's columns, sections and other container pages, ``levels`` deep, as a tree
    (articles and documents are left out: they are reached through their columns)."""
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(root)
        .filter(depth__gt=root.depth, depth__lte=root.depth + levels)
        .type(*SITE_MAP_TYPES)
        .order_by("path")
    )
    nodes: dict[str, SiteMapNode] = {}
    top: list[SiteMapNode] = []
    for page in pages:
        node = SiteMapNode(page)
        nodes[page.path] = node
        parent = nodes.get(page.path[: -Page.steplen])
        if parent is not None:
            parent.children.append(node)
        elif page.depth == root.depth + 1:
            top.append(node)
    return top


def profile_page_for(body) -> BodyProfilePage | None:
    """The published profile page of a body (the one highest in the tree), if any."""
    return (
        BodyProfilePage.objects.live().public().filter(body=body).order_by("depth", "path").first()
    )
