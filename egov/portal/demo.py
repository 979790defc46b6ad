"""Loading the site group's demo (``manage.py seed_portal``): the district portal on the
default site, sections for some departments and towns, the congress's own site, and the
content of demo_content.py.

Idempotent: a page is made only if its parent has no child with its slug, settings are
filled only where empty, so running it again creates nothing new and never undoes what an
editor changed. Needs the directory's demo bodies (``manage.py seed_demo``) first.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents.models import Document
from wagtail.models import Page, Site

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
    SiteMapPage,
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


@dataclass
class SeedReport:
    sites: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    pages: int = 0
    grants: list[str] = field(default_factory=list)


class Seeder:
    def __init__(self, now: datetime.datetime):
        self.now = now
        self.report = SeedReport()
        self.order = 0

    # --- pages ------------------------------------------------------------------------

    def when(self, days_ago: float) -> datetime.datetime:
        self.order += 1
        return self.now - datetime.timedelta(days=days_ago, minutes=(self.order * 37) % 240)

    def child(self, parent: Page, slug: str) -> Page | None:
        found = parent.get_children().filter(slug=slug).first()
        return found.specific if found is not None else None

    def publish(self, parent: Page, page: Page, days_ago: float | None = None) -> Page:
        """Add ``page`` under ``parent`` and publish it (dated ``days_ago`` if given)."""
        page.live = False
        when = self.when(days_ago) if days_ago is not None else None
        if when is not None:
            page.first_published_at = when
        parent.add_child(instance=page)
        page.save_revision().publish()
        if when is not None:
            Page.objects.filter(pk=page.pk).update(
                last_published_at=when, latest_revision_created_at=when
            )
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
        if self.child(parent, slug) is None:
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
            if self.child(leaders, leader.slug) is None:
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

    def policies(self, policies: ColumnPage, interpretations: ColumnPage) -> None:
        made: dict[str, PolicyDocumentPage] = {}
        for spec in content.POLICIES:
            document = self.child(policies, spec.key)
            if document is None:
                document = PolicyDocumentPage(
                    title=spec.title,
                    slug=spec.key,
                    document_number=spec.number,
                    written_on=(self.now - datetime.timedelta(days=spec.written_days_ago)).date(),
                    theme=spec.theme,
                    validity=spec.validity,
                    changed_by=made.get(spec.changed_by),
                    content=_paragraphs(spec.paragraphs),
                )
                self.publish(policies, document, spec.days_ago)
            made[spec.key] = document
        for number, spec in enumerate(content.INTERPRETATIONS, start=1):
            slug = f"interpretation-{number}"
            if self.child(interpretations, slug) is None:
                page = InterpretationPage(
                    title=spec.title,
                    slug=slug,
                    policy=made[spec.policy],
                    content=_paragraphs(spec.paragraphs),
                )
                self.publish(interpretations, page, spec.days_ago)

    def downloads(self, home: HomePage, body: Organisation) -> None:
        if self.child(home, "downloads") is not None:
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
    seeder.grants(bodies[PORTAL_BODY])
    return seeder.report
