"""Loading the site group's demo (``manage.py seed_portal``): the district portal on the
default site, sections for some departments and towns, the congress's own site, and the
content of demo_content.py.

Idempotent: a page is made only if its parent has no child with its slug, settings are
filled only where empty, synonym groups are added only when none of their terms is in a
group yet, so running it again creates nothing new and never undoes what an editor changed.
Needs the directory's demo bodies (``manage.py seed_demo``) first.

Every page is a proper Wagtail page, added to the tree, saved as a revision and published —
so it gets its audit entry, its index number (policy documents) and its search entry
(``egov.portal.search``) as any page does. Wagtail's own indexes, which would be written
again on each of the three saves of a new page, are written once at the end instead: its
page search index in bulk, and the reference index page by page (``_deferred_indexing``).
"""

import datetime
import itertools
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.documents.models import Document
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from egov.accounts.models import User
from egov.directory.models import Organisation
from egov.portal import demo_content as content
from egov.portal import services
from egov.portal.models import (
    ArticlePage,
    BodyArea,
    BodyProfilePage,
    ColumnKind,
    ColumnPage,
    DownloadItem,
    DownloadsPage,
    HomePage,
    InterpretationPage,
    LeaderProfilePage,
    PolicyDocumentPage,
    PortalSiteSettings,
    SearchEntry,
    SiteMapPage,
    Synonym,
    TopicPage,
)

PORTAL_BODY = "YC-ZF"
CONGRESS_BODY = "YC-RD"
PORTAL_TITLE = "永川区人民政府网"
CONGRESS_TITLE = "永川区人大常委会"

PORTAL_SETTINGS = {
    "site_name": PORTAL_TITLE,
    "site_code": "5001180001",
    "icp_number": "渝ICP备00000000号-1",
    "police_filing_number": "渝公网安备 50011802000000号",
    "contact_phone": "023-49800000（演示号码）",
    "contact_email": "webmaster@example.com",
    "contact_address": "重庆市永川区人民大道",
}
CONGRESS_SETTINGS = {
    "site_name": "永川人大网",
    "theme": "blue",
    "site_code": "5001180002",
    "icp_number": "渝ICP备00000000号-2",
    "contact_phone": "023-49811111（演示号码）",
    "contact_email": "rd@example.com",
    "contact_address": "重庆市永川区人民大道",
}


# Search synonyms (社保 finds 社会保险 …): (terms, why they belong together).
SYNONYMS = (
    ("社保, 社会保险", "常用简称"),
    ("医保, 医疗保险", "常用简称"),
    ("公积金, 住房公积金", "常用简称"),
    ("营业执照, 执照", "群众常只说“执照”"),
    ("社保卡, 社会保障卡", "卡的正式名称"),
    ("户口, 户籍", "同一事项的两种说法"),
    ("身份证, 居民身份证", "证件的正式名称"),
    ("驾照, 驾驶证", "常用简称"),
    ("低保, 最低生活保障", "常用简称"),
    ("个体户, 个体工商户", "常用简称"),
    ("房产证, 不动产权证书, 不动产证", "不动产统一登记后的名称"),
    ("发改委, 发展改革委, 发展和改革委员会", "部门简称"),
    ("人社局, 人力社保局, 人力资源和社会保障局", "部门简称"),
    ("市场监管局, 市场监督管理局, 工商局", "部门简称和旧称"),
    ("卫健委, 卫生健康委, 卫生健康委员会", "部门简称"),
    ("公租房, 公共租赁住房", "常用简称"),
    ("网办, 网上办理, 网上办", "常用说法"),
)


@dataclass
class SeedReport:
    sites: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    pages: int = 0
    synonyms: int = 0
    grants: list[str] = field(default_factory=list)


@contextmanager
def _deferred_indexing():
    """Seed without writing Wagtail's page search index and reference index on every save
    (a new page is saved three times: added, revision, publication); afterwards, index the
    pages made meanwhile once — the search index in bulk, with the portal's search entries
    (``SearchEntry``, written on publication as always; the backend gets their words here).
    Meant for a seeding process: the signal handlers are disconnected for the process while
    it runs."""
    before = Page.objects.aggregate(last=Max("pk"))["last"] or 0
    started = timezone.now()
    models = [
        model
        for model in search_index.get_indexed_models()
        if issubclass(model, Page) or model is SearchEntry
    ]
    disconnected = [
        model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
    changed = Q(pk__gt=before) | Q(latest_revision_created_at__gte=started)
    made = list(Page.objects.filter(changed).specific().order_by("pk"))
    if not made:
        return
    backends = list(get_search_backends(with_auto_update=True))
    by_model = itertools.groupby(sorted(made, key=lambda p: p._meta.label), type)
    for model, pages in by_model:
        pages = list(pages)
        for backend in backends:
            backend.add_bulk(model, pages)
    entries = list(SearchEntry.objects.filter(page__in=made))
    for backend in backends:
        backend.add_bulk(SearchEntry, entries)
    for page in made:
        ReferenceIndex.create_or_update_for_object(page)


class Seeder:
    def __init__(self, now: datetime.datetime):
        self.now = now
        self.report = SeedReport()
        self.order = 0
        self.slugs: dict[int, set[str]] = {}  # the children's slugs of a parent, once read

    # --- pages ------------------------------------------------------------------------

    def when(self, days_ago: float) -> datetime.datetime:
        self.order += 1
        return self.now - datetime.timedelta(days=days_ago, minutes=(self.order * 37) % 240)

    def has_child(self, parent: Page, slug: str) -> bool:
        if parent.pk not in self.slugs:
            self.slugs[parent.pk] = set(parent.get_children().values_list("slug", flat=True))
        return slug in self.slugs[parent.pk]

    def child(self, parent: Page, slug: str) -> Page | None:
        if not self.has_child(parent, slug):
            return None
        found = parent.get_children().filter(slug=slug).first()
        return found.specific if found is not None else None

    def publish(self, parent: Page, page: Page, days_ago: float | None = None) -> Page:
        """Add ``page`` under ``parent`` and publish it (dated ``days_ago`` if given)."""
        page.live = False
        when = self.when(days_ago) if days_ago is not None else None
        if when is not None:
            page.first_published_at = when
        parent.add_child(instance=page)  # validates the page
        page.save_revision(clean=False).publish()
        if when is not None:
            Page.objects.filter(pk=page.pk).update(
                last_published_at=when, latest_revision_created_at=when
            )
        self.slugs.setdefault(parent.pk, set()).add(page.slug)
        self.report.pages += 1
        return page

    def column(self, parent: Page, spec: content.Column) -> ColumnPage:
        column = self.child(parent, spec.slug)
        if column is None:
            column = self.publish(
                parent,
                ColumnPage(
                    title=spec.title,
                    slug=spec.slug,
                    kind=spec.kind,
                    show_in_menus=spec.in_menu,
                    update_interval_days=spec.update_interval_days,
                ),
            )
        for number, item in enumerate(spec.items, start=1):
            self.article(column, item, f"{spec.slug}-{number}")
        return column

    def article(self, parent: Page, item: content.Item, slug: str) -> None:
        if not self.has_child(parent, slug):
            page = ArticlePage(
                title=item.title,
                slug=slug,
                summary=item.summary,
                source=item.source,
                content=_paragraphs(item.paragraphs),
            )
            self.publish(parent, page, item.days_ago)

    def container(self, parent: Page, page: Page) -> Page:
        return self.child(parent, page.slug) or self.publish(parent, page)

    # --- the portal -------------------------------------------------------------------

    def portal(self, body: Organisation) -> HomePage:
        site = Site.objects.filter(is_default_site=True).first()
        if site is not None and isinstance(site.root_page.specific, HomePage):
            home = services.adopt_site(site, body, site_name=PORTAL_TITLE)
        else:
            home = services.create_site(
                body, hostname="localhost", title=PORTAL_TITLE, slug="home", is_default=True
            )
            site = home.get_site()
        self.report.sites.append(f"{PORTAL_TITLE} (default site)")
        _fill_settings(site, PORTAL_SETTINGS)
        if not home.intro and not home.service_entries and not home.interaction_entries:
            home.intro = content.PORTAL_INTRO
            home.service_entries = _entries(content.SERVICE_ENTRIES)
            home.interaction_entries = _entries(content.INTERACTION_ENTRIES)
            home.save_revision().publish()
        return home

    def portal_columns(self, home: HomePage, body: Organisation) -> None:
        self.column(home, content.Column("news", "要闻动态", ColumnKind.NEWS, content.NEWS, True))
        self.column(
            home, content.Column("notices", "通知公告", ColumnKind.NOTICE, content.NOTICES, True)
        )
        policies = self.column(
            home, content.Column("policies", "政策文件", ColumnKind.POLICY, (), True)
        )
        interpretations = self.column(
            home, content.Column("interpretations", "政策解读", ColumnKind.INTERPRETATION, (), True)
        )
        self.policies(policies, interpretations)
        leaders = self.column(
            home, content.Column("leaders", "区政府领导", ColumnKind.LEADERS, (), True)
        )
        for leader in content.LEADERS:
            if not self.has_child(leaders, leader.slug):
                self.publish(
                    leaders,
                    LeaderProfilePage(
                        title=leader.name,
                        slug=leader.slug,
                        position=leader.position,
                        responsibilities=_paragraphs((leader.responsibilities,)),
                        resume=_paragraphs((leader.resume,)),
                    ),
                )
        self.container(
            home,
            BodyProfilePage(title="机构概况", slug="profile", body=body, show_in_menus=True),
        )
        topics = self.column(home, content.Column("topics", "专题专栏", ColumnKind.TOPICS))
        for slug, title, intro, items in content.TOPICS:
            topic = self.container(topics, TopicPage(title=title, slug=slug, intro=intro))
            for number, item in enumerate(items, start=1):
                self.article(topic, item, f"{slug}-{number}")
        self.downloads(home, body)
        for spec in content.BLANK_PORTAL_COLUMNS:
            self.column(home, spec)

    def written_on(self, spec: content.Policy) -> datetime.date:
        return timezone.localdate(self.now - datetime.timedelta(days=spec.written_days_ago))

    def document_numbers(self) -> dict[str, str]:
        """发文字号 of the demo's documents: an issuer's numbers run through each year in the
        order the documents were written (``{year}``, ``{seq}`` in a number)."""
        numbers, counters = {}, {}
        dated = sorted(content.POLICIES, key=lambda spec: -spec.written_days_ago)
        for spec in dated:
            if "{seq}" not in spec.number:
                numbers[spec.key] = spec.number
                continue
            year = self.written_on(spec).year
            issuer = spec.number.split("〔", 1)[0]
            counters[issuer, year] = counters.get((issuer, year), 0) + 1
            numbers[spec.key] = spec.number.format(year=year, seq=counters[issuer, year])
        return numbers

    def policies(self, policies: ColumnPage, interpretations: ColumnPage) -> None:
        made: dict[str, PolicyDocumentPage] = {}
        numbers = self.document_numbers()
        existing = {page.slug: page for page in PolicyDocumentPage.objects.child_of(policies)}
        # Oldest first, so that index numbers follow the dates; a document amended or
        # repealed by another comes after that one, which it links to.
        waiting = sorted(content.POLICIES, key=lambda spec: -spec.days_ago)
        ordered = []
        while waiting:
            ready = [
                spec
                for spec in waiting
                if not spec.changed_by or spec.changed_by in {s.key for s in ordered}
            ]
            ordered.extend(ready or waiting)  # (a link to no document: it stays empty)
            waiting = [spec for spec in waiting if spec not in ordered]
        for spec in ordered:
            document = existing.get(spec.key)
            if document is None:
                document = PolicyDocumentPage(
                    title=spec.title,
                    slug=spec.key,
                    document_number=numbers[spec.key],
                    written_on=self.written_on(spec),
                    theme=spec.theme,
                    validity=spec.validity,
                    changed_by=made.get(spec.changed_by),
                    content=_paragraphs(spec.paragraphs),
                )
                self.publish(policies, document, spec.days_ago)
            made[spec.key] = document
        for number, spec in enumerate(content.INTERPRETATIONS, start=1):
            slug = f"interpretation-{number}"
            if not self.has_child(interpretations, slug):
                page = InterpretationPage(
                    title=spec.title,
                    slug=slug,
                    policy=made[spec.policy],
                    content=_paragraphs(spec.paragraphs),
                )
                self.publish(interpretations, page, spec.days_ago)

    def downloads(self, home: HomePage, body: Organisation) -> None:
        if self.has_child(home, "downloads"):
            return
        page = DownloadsPage(
            title="表格下载",
            slug="downloads",
            show_in_menus=True,
            intro=_paragraphs(("常用申请表格，下载后填写，可到窗口或网上提交。",)),
        )
        collection = BodyArea.objects.get(body=body).collection
        for order, (title, filename, note) in enumerate(content.DOWNLOADS):
            document = Document(title=title, collection=collection)
            text = f"{title}\n（演示文件：正式表格由主管部门提供）\n"
            document.file.save(filename, ContentFile(text.encode("utf-8")), save=False)
            document.save()
            page.downloads.add(DownloadItem(document=document, note=note, sort_order=order))
        self.publish(home, page)

    def sections(self, parent: Page, specs) -> None:
        for spec in specs:
            body = Organisation.objects.filter(code=spec.body).first()
            if body is None:
                continue
            section = self.child(parent, spec.slug)
            if section is None:
                section = services.create_section(
                    parent, body, title=spec.title, slug=spec.slug, intro=spec.intro
                )
                self.slugs.setdefault(parent.pk, set()).add(spec.slug)
                self.report.pages += 1
            self.report.sections.append(spec.title)
            for column in spec.columns:
                self.column(section, column)
            self.container(section, BodyProfilePage(title="机构职能", slug="profile", body=body))

    def congress(self, body: Organisation, hostname: str, port: int) -> None:
        site = Site.objects.filter(root_page__body_area__body=body).first()
        if site is None:
            home = services.create_site(
                body, hostname=hostname, port=port, title=CONGRESS_TITLE, slug="yc-rd"
            )
            site = home.get_site()
        home = site.root_page.specific
        self.report.sites.append(f"{CONGRESS_TITLE} ({site.hostname}:{site.port})")
        _fill_settings(site, CONGRESS_SETTINGS)
        for spec in content.CONGRESS_COLUMNS:
            self.column(home, spec)
        self.container(home, BodyProfilePage(title="机构概况", slug="profile", body=body))
        self.container(home, SiteMapPage(title="网站地图", slug="sitemap"))

    # --- search -----------------------------------------------------------------------

    def synonyms(self) -> None:
        """The demo's synonym groups, each only if none of its terms is in a group yet (an
        editor's groups stay as they are)."""
        taken = {term for group in Synonym.objects.all() for term in group.term_list()}
        for terms, note in SYNONYMS:
            group = Synonym(terms=terms, note=note)
            if taken.isdisjoint(group.term_list()):
                group.full_clean()
                group.save()
                taken.update(group.term_list())
                self.report.synonyms += 1

    # --- people -----------------------------------------------------------------------

    def grants(self, body: Organisation) -> None:
        """The demo's editor edits the portal; its site administrator holds all three
        review levels, so that one person can walk a page through the whole review."""
        editor = User.objects.filter(username="editor", is_demo=True).first()
        if editor is not None:
            services.grant_editor(editor, body)
            self.report.grants.append("editor: editor of the portal")
        siteadmin = User.objects.filter(username="siteadmin", is_demo=True).first()
        if siteadmin is not None:
            for level in services.ReviewLevel:
                services.grant_reviewer(siteadmin, body, level)
            self.report.grants.append("siteadmin: 初审, 复审 and 终审 of the portal")


def _paragraphs(paragraphs) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _entries(rows) -> list:
    return [
        ("entry", {"label": label, "page": None, "address": address, "description": note})
        for label, address, note in rows
    ]


def _fill_settings(site: Site, values: dict) -> None:
    settings = PortalSiteSettings.for_site(site)
    changed = False
    for name, value in values.items():
        if not getattr(settings, name) or (name == "theme" and settings.theme == "red"):
            setattr(settings, name, value)
            changed = True
    if changed:
        settings.full_clean()
        settings.save()


@transaction.atomic
def seed_portal(*, congress_host: str = "rd.localhost", port: int = 8000) -> SeedReport:
    bodies = {o.code: o for o in Organisation.objects.filter(code__in=[PORTAL_BODY, CONGRESS_BODY])}
    missing = {PORTAL_BODY, CONGRESS_BODY} - set(bodies)
    if missing:
        raise services.PortalError(
            _("The directory lacks %(codes)s; load the bodies first (manage.py seed_demo).")
            % {"codes": ", ".join(sorted(missing))}
        )
    seeder = Seeder(timezone.now())
    with _deferred_indexing():
        home = seeder.portal(bodies[PORTAL_BODY])
        seeder.portal_columns(home, bodies[PORTAL_BODY])
        departments = seeder.column(
            home, content.Column("departments", "部门", ColumnKind.SECTIONS, (), True)
        )
        seeder.sections(departments, content.SECTIONS_DEPARTMENTS)
        towns = seeder.column(home, content.Column("towns", "镇街", ColumnKind.SECTIONS, (), True))
        seeder.sections(towns, content.SECTIONS_TOWNS)
        seeder.container(home, SiteMapPage(title="网站地图", slug="sitemap"))
        seeder.congress(bodies[CONGRESS_BODY], congress_host, port)
    seeder.synonyms()
    seeder.grants(bodies[PORTAL_BODY])
    return seeder.report
