"""The page types of the site group, except policy documents and their interpretations
(models/documents.py).

The tree of one site::

    HomePage (the site's root; owned by a body)
      ColumnPage 栏目 (kind: news, notice, policy, interpretation, leaders, topics, sections …)
        ArticlePage, PolicyDocumentPage, InterpretationPage, LeaderProfilePage, TopicPage …
        SectionPage (a department's or a town's part of the portal; owned by that body)
          ColumnPage …
      BodyProfilePage, DownloadsPage, SiteMapPage

Every page type derives from ``PortalPage``: one set of templates (portal/base.html with the
site's name, theme, navigation and the footer the 2017 guideline requires) and one rule for
publishing (permissions.py: pages are published by their review).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from egov.directory.models import Organisation
from egov.portal.blocks import EntriesBlock
from egov.portal.forms import PortalPageForm
from egov.portal.permissions import ReviewedPublishingPermissionTester

ENTRIES_PER_PAGE = 20
FEED_LENGTH = 6


class ColumnKind(models.TextChoices):
    NEWS = "news", _("News")  # 要闻, 工作动态
    NOTICE = "notice", _("Notices")  # 通知公告
    POLICY = "policy", _("Policy documents")  # 政策文件
    INTERPRETATION = "interpretation", _("Policy interpretations")  # 政策解读
    LEADERS = "leaders", _("Leaders")  # 领导信息
    TOPICS = "topics", _("Special topics")  # 专题专栏
    SECTIONS = "sections", _("Sections of bodies")  # 部门, 镇街
    GENERAL = "general", _("General")


# The home page's four blocks, in this order.
FEED_KINDS = [ColumnKind.NEWS, ColumnKind.NOTICE, ColumnKind.POLICY, ColumnKind.INTERPRETATION]
# Columns listed in the page tree's order rather than newest first, without dates.
UNDATED_KINDS = {ColumnKind.LEADERS, ColumnKind.TOPICS, ColumnKind.SECTIONS}
# How often a column of each kind is expected to get something new, in days, when its own
# field is empty (the website checks: news columns 2 weeks, notices and policies 6 months).
DEFAULT_UPDATE_DAYS = {
    ColumnKind.NEWS: 14,
    ColumnKind.NOTICE: 180,
    ColumnKind.POLICY: 180,
    ColumnKind.INTERPRETATION: 180,
}


def paginate(request, queryset, per_page: int = ENTRIES_PER_PAGE, count: int | None = None):
    """One page of ``queryset`` for ``?page=N``; a bad or too large N gives the last page.
    ``count``: the number of entries when already known (saves the COUNT query)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    return paginator.get_page(request.GET.get("page"))


class PortalPage(Page):
    """The base of every page type of the site group."""

    base_form_class = PortalPageForm

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return ReviewedPublishingPermissionTester(user, self)

    def get_view_restrictions(self):
        """Wagtail's check before serving, without its two queries when no page above this
        one is restricted (the restricted paths are remembered per generation)."""
        from wagtail.models import PageViewRestriction

        from egov.portal.selectors import is_restricted

        if not is_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_context(self, request, *args, **kwargs):
        from egov.portal.selectors import breadcrumbs, site_chrome

        context = super().get_context(request, *args, **kwargs)
        context["portal"] = site_chrome(request, self)
        context["breadcrumbs"] = breadcrumbs(self, context["portal"].root)
        return context


@dataclass
class Feed:
    """A block of the home page: a column and its latest entries."""

    kind: str
    column: "ColumnPage"
    entries: list


class BodyRootPage(PortalPage):
    """A page at the top of a body's area: a site's home or a section of the portal. Shows the
    latest entries of its news, notice, policy and interpretation columns."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True

    def feeds(self, limit: int = FEED_LENGTH) -> list[Feed]:
        columns: dict[str, ColumnPage] = {}
        for column in self.columns():
            if column.kind in FEED_KINDS:
                columns.setdefault(column.kind, column)
        feeds = []
        for kind in FEED_KINDS:
            column = columns.get(kind)
            if column is not None:
                feeds.append(Feed(kind, column, list(column.entries()[:limit])))
        return feeds

    def columns(self):
        from egov.portal.selectors import public

        return public(ColumnPage.objects.live().child_of(self)).order_by("path")

    def clean(self):
        """A body owns one area (a site or a section), and an area keeps its body."""
        super().clean()
        from egov.portal.models.sites import BodyArea

        if not self.body_id:
            return
        here = BodyArea.objects.filter(page_id=self.pk).first() if self.pk else None
        if here is not None and here.body_id != self.body_id:
            raise ValidationError(
                {
                    "body": _(
                        "This page belongs to %(body)s, whose editors and reviewers work on "
                        "it; to give another body its part, create a new section for it."
                    )
                    % {"body": here.body}
                }
            )
        elsewhere = (
            BodyArea.objects.filter(body_id=self.body_id)
            .exclude(page_id=self.pk)
            .select_related("page")
            .first()
        )
        if elsewhere is not None:
            raise ValidationError(
                {
                    "body": _(
                        "%(body)s already has its own part of the site group (%(page)s); a "
                        "body owns one site or section. Add columns there instead."
                    )
                    % {"body": elsewhere.body, "page": elsewhere.page.title}
                }
            )


class HomePage(BodyRootPage):
    """The root page of one site of the group (the district portal, the congress's site …)."""

    body = models.ForeignKey(
        Organisation,
        verbose_name=_("owning body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The body whose site this is; its editors and reviewers work on the whole site."
        ),
    )
    service_entries = StreamField(
        EntriesBlock(),
        verbose_name=_("entries to services"),
        blank=True,
        help_text=_("Links to the online service hall and its most asked-for services."),
    )
    interaction_entries = StreamField(
        EntriesBlock(),
        verbose_name=_("entries to interaction"),
        blank=True,
        help_text=_("Links to the mailbox, consultations and surveys."),
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "portal.ColumnPage",
        "portal.SectionPage",
        "portal.BodyProfilePage",
        "portal.DownloadsPage",
        "portal.SiteMapPage",
    ]
    content_panels = Page.content_panels + [
        FieldPanel("body"),
        FieldPanel("intro"),
        FieldPanel("service_entries"),
        FieldPanel("interaction_entries"),
    ]

    class Meta:
        verbose_name = _("site home page")
        verbose_name_plural = _("site home pages")

    def route(self, request, path_components):
        """A page of the site found by its address in one query (selectors.route)."""
        from egov.portal.selectors import route

        found = route(self, request, path_components)
        return found if found is not None else super().route(request, path_components)

    def topics(self, limit: int = 6):
        """The special topics of the site's first topics column."""
        column = self.columns().filter(kind=ColumnKind.TOPICS).first()
        if column is None:
            return TopicPage.objects.none()
        return TopicPage.objects.live().public().child_of(column).order_by("path")[:limit]

    def bodies(self):
        """The bodies under the site's owner (every body, when the site has no owner yet),
        grouped by kind, each with its area of the site group if it has one."""
        bodies = Organisation.objects.filter(is_active=True).select_related("portal_area__page")
        if self.body_id:
            bodies = bodies.filter(path__startswith=self.body.path).exclude(pk=self.body_id)
        else:
            bodies = bodies.exclude(parent=None)
        groups: dict[str, list[Organisation]] = {}
        for body in bodies.order_by("sort_order", "path"):
            groups.setdefault(body.kind, []).append(body)
        labels = dict(Organisation.Kind.choices)
        return [(labels[k], groups[k]) for k, _label in Organisation.Kind.choices if k in groups]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["feeds"] = self.feeds()
        context["topics"] = self.topics()
        context["body_groups"] = self.bodies()
        return context


class SectionPage(BodyRootPage):
    """A department's, town's or subdistrict's part of the portal (the 2017 guideline has
    county departments publish through the portal rather than run sites of their own)."""

    body = models.ForeignKey(
        Organisation,
        verbose_name=_("owning body"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The body this section belongs to; its editors and reviewers work on it."),
    )

    parent_page_types = ["portal.HomePage", "portal.ColumnPage"]
    subpage_types = [
        "portal.ColumnPage",
        "portal.BodyProfilePage",
        "portal.DownloadsPage",
    ]
    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("intro")]

    class Meta:
        verbose_name = _("section of a body")
        verbose_name_plural = _("sections of bodies")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["feeds"] = self.feeds()
        context["other_columns"] = [c for c in self.columns() if c.kind not in FEED_KINDS]
        return context


class ColumnPage(PortalPage):
    """A column (栏目): a list of entries, newest first, 20 to a page."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=ColumnKind, default=ColumnKind.GENERAL
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    update_interval_days = models.PositiveSmallIntegerField(
        _("expected update interval (days)"),
        null=True,
        blank=True,
        help_text=_(
            "How often this column should get something new. Empty: the rule for its kind "
            "(news 14 days; notices, policy documents and interpretations 180 days; others "
            "none). The site health inspector warns before the interval runs out."
        ),
    )

    parent_page_types = ["portal.HomePage", "portal.SectionPage", "portal.ColumnPage"]
    subpage_types = [
        "portal.ArticlePage",
        "portal.PolicyDocumentPage",
        "portal.InterpretationPage",
        "portal.LeaderProfilePage",
        "portal.TopicPage",
        "portal.SectionPage",
        "portal.BodyProfilePage",
        "portal.DownloadsPage",
        "portal.ColumnPage",
    ]
    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("update_interval_days"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")

    @property
    def is_dated(self) -> bool:
        return self.kind not in UNDATED_KINDS

    @property
    def expected_update_days(self) -> int | None:
        if self.update_interval_days is not None:
            return self.update_interval_days
        return DEFAULT_UPDATE_DAYS.get(self.kind)

    def entries(self):
        """The column's published entries: newest first, or in the tree's order for
        columns of leaders, topics and sections."""
        from egov.portal.selectors import public

        entries = public(Page.objects.live().child_of(self))
        if self.is_dated:
            return entries.order_by("-first_published_at", "-pk")
        return entries.order_by("path")

    def get_context(self, request, *args, **kwargs):
        from egov.portal.cache import memo

        context = super().get_context(request, *args, **kwargs)
        entries = self.entries()
        # Counting a column of tens of thousands of entries is most of its page's queries'
        # time; the count changes only with a publication (remembered per generation).
        count = memo.get(("column-count", self.pk), entries.count)
        context["entries"] = paginate(request, entries.specific(), count=count)
        return context


class ArticlePage(PortalPage):
    """A news item, notice or any other article of a column or a special topic."""

    summary = models.TextField(_("summary"), blank=True, max_length=300)
    content = RichTextField(_("content"))
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("信息来源, e.g. 区政府办公室.")
    )

    parent_page_types = ["portal.ColumnPage", "portal.TopicPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("content"),
        FieldPanel("source"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("content"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")


class LeaderProfilePage(PortalPage):
    """A leader's profile (负责人信息): the page title is the leader's name."""

    position = models.CharField(_("position"), max_length=100)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsibilities = RichTextField(_("responsibilities"), blank=True)
    resume = RichTextField(_("résumé"), blank=True)

    parent_page_types = ["portal.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("position"),
        FieldPanel("photo"),
        FieldPanel("responsibilities"),
        FieldPanel("resume"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("position"),
        index.SearchField("responsibilities"),
        index.SearchField("resume"),
    ]

    class Meta:
        verbose_name = _("leader profile")
        verbose_name_plural = _("leader profiles")


class BodyProfilePage(PortalPage):
    """A body's profile (机构概况 / 机构职能): the facts come from the directory as they are
    today (functions, head, address, office hours, phone, USCC, the bodies under it)."""

    body = models.ForeignKey(
        Organisation,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    intro = RichTextField(_("introduction"), blank=True)

    parent_page_types = ["portal.HomePage", "portal.SectionPage", "portal.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("intro")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("directory_text"),
    ]

    class Meta:
        verbose_name = _("body profile")
        verbose_name_plural = _("body profiles")

    def directory_text(self) -> str:
        """What the page shows from the directory, for the search (as of publication)."""
        body = Organisation.objects.filter(pk=self.body_id).first()
        if body is None:
            return ""
        return "\n".join([body.name_zh, body.functions, body.head, body.address, body.office_hours])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        body = Organisation.objects.select_related("parent").get(pk=self.body_id)
        context["body"] = body
        context["sub_bodies"] = body.children.filter(is_active=True).order_by("sort_order", "path")
        return context


class TopicPage(PortalPage):
    """A special topic (专题): an introduction and its own articles."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content = RichTextField(_("content"), blank=True)

    parent_page_types = ["portal.ColumnPage"]
    subpage_types = ["portal.ArticlePage"]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("banner"),
        FieldPanel("content"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("content"),
    ]

    class Meta:
        verbose_name = _("special topic")
        verbose_name_plural = _("special topics")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        entries = Page.objects.live().public().child_of(self).order_by("-first_published_at")
        context["entries"] = paginate(request, entries)
        return context


class DownloadsPage(PortalPage):
    """Forms to download (表格下载): Wagtail documents, in the order the editor puts them."""

    intro = RichTextField(_("introduction"), blank=True)

    parent_page_types = ["portal.HomePage", "portal.SectionPage", "portal.ColumnPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("downloads", heading=_("Files"), label=_("file")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("files_text"),
    ]

    class Meta:
        verbose_name = _("downloads")
        verbose_name_plural = _("downloads pages")

    def files_text(self) -> str:
        """The names and notes of the files, for the search."""
        items = self.downloads.select_related("document")
        return "\n".join(f"{item.label} {item.note}".strip() for item in items)


class DownloadItem(Orderable):
    page = ParentalKey(DownloadsPage, on_delete=models.CASCADE, related_name="downloads")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Empty: the document's title.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("file to download")
        verbose_name_plural = _("files to download")

    @property
    def label(self) -> str:
        return self.title or self.document.title


class SiteMapPage(PortalPage):
    """The site map: the site's columns and sections, three levels deep."""

    depth_shown = 3

    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("site map")
        verbose_name_plural = _("site maps")

    def get_context(self, request, *args, **kwargs):
        from egov.portal.selectors import site_map

        context = super().get_context(request, *args, **kwargs)
        context["tree"] = site_map(context["portal"].root, levels=self.depth_shown)
        return context
