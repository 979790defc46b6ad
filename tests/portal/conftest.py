"""Factories of the portal's tests: a small directory, the district portal with two town
sections, staff accounts, pages."""

import datetime

import pytest

from egov.accounts.models import User
from egov.directory.models import Organisation
from egov.portal import services
from egov.portal.models import (
    ArticlePage,
    ColumnKind,
    ColumnPage,
    HomePage,
    PolicyDocumentPage,
    PortalSiteSettings,
    SiteMapPage,
)

GOV_USCC = "11500383009338112H"


def make_staff(username: str) -> User:
    user = User(username=username, email=None, kind=User.Kind.STAFF)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def empty_cache():
    """The anonymous page cache of this process, empty before and after the test."""
    from egov.portal import cache

    cache.store.clear()
    yield
    cache.store.clear()


def make_citizen(username: str) -> User:
    user = User(username=username, email=None, kind=User.Kind.CITIZEN)
    user.set_unusable_password()
    user.save()
    return user


def add_column(parent, title: str, kind: str = ColumnKind.NEWS, slug: str = "", **fields):
    column = ColumnPage(title=title, slug=slug or f"c{ColumnPage.objects.count() + 1}", kind=kind)
    for name, value in fields.items():
        setattr(column, name, value)
    parent.add_child(instance=column)
    column.save_revision().publish()
    return column


def add_article(column, title: str, *, publish: bool = True, slug: str = "", **fields):
    article = ArticlePage(
        title=title,
        slug=slug or f"a{ArticlePage.objects.count() + 1}",
        content="<p>正文。</p>",
        live=False,
        **fields,
    )
    column.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
        article.refresh_from_db()
    return article


def add_document(column, title: str, *, publish: bool = True, **fields):
    fields.setdefault("written_on", datetime.date(2026, 3, 2))
    document = PolicyDocumentPage(
        title=title,
        slug=f"d{PolicyDocumentPage.objects.count() + 1}",
        content="<p>正文。</p>",
        live=False,
        **fields,
    )
    column.add_child(instance=document)
    revision = document.save_revision()
    if publish:
        revision.publish()
        document.refresh_from_db()
    return document


@pytest.fixture
def bodies(db):
    district = Organisation.objects.create(
        code="YC", name_zh="永川区", name_en="Yongchuan District", kind="district"
    )
    gov = Organisation.objects.create(
        code="YC-ZF",
        name_zh="永川区人民政府",
        name_en="Yongchuan District People's Government",
        kind="government",
        parent=district,
        uscc=GOV_USCC,
        address="重庆市永川区人民大道",
        phone="023-49800000",
    )
    made = {"YC": district, "YC-ZF": gov}
    for code, name_zh, name_en, kind in [
        ("YC-QF", "青峰镇", "Qingfeng Town", "town"),
        ("YC-JL", "金龙镇", "Jinlong Town", "town"),
        ("YC-SCJG", "区市场监管局", "Market Supervision Administration", "department"),
    ]:
        made[code] = Organisation.objects.create(
            code=code, name_zh=name_zh, name_en=name_en, kind=kind, parent=gov
        )
    made["YC-RD"] = Organisation.objects.create(
        code="YC-RD", name_zh="永川区人大常委会", kind="npc", parent=district
    )
    return made


def portal_home(body) -> HomePage:
    """The district portal: the default site's home page, given to ``body``."""
    site = services.ensure_portal_home().get_site()
    return services.adopt_site(site, body, site_name="永川区人民政府网")


@pytest.fixture
def portal(bodies):
    """The portal with news, notice and policy columns, a "towns" column with the sections
    of two towns (each with a news column) and a site map."""
    home = portal_home(bodies["YC-ZF"])
    settings = PortalSiteSettings.for_site(home.get_site())
    settings.site_code = "5001180001"
    settings.icp_number = "渝ICP备2021005620号-2"
    settings.police_filing_number = "渝公网安备 50011802000001号"
    settings.contact_phone = "023-49800000"
    settings.contact_email = "webmaster@example.com"
    settings.contact_address = "重庆市永川区人民大道"
    settings.save()
    news = add_column(home, "要闻动态", ColumnKind.NEWS, slug="news", show_in_menus=True)
    notices = add_column(home, "通知公告", ColumnKind.NOTICE, slug="notices", show_in_menus=True)
    policies = add_column(home, "政策文件", ColumnKind.POLICY, slug="policies")
    towns = add_column(home, "镇街", ColumnKind.SECTIONS, slug="towns")
    qingfeng = services.create_section(towns, bodies["YC-QF"], title="青峰镇", slug="qingfeng")
    jinlong = services.create_section(towns, bodies["YC-JL"], title="金龙镇", slug="jinlong")
    sitemap = SiteMapPage(title="网站地图", slug="sitemap")
    home.add_child(instance=sitemap)
    sitemap.save_revision().publish()
    return {
        "home": home,
        "news": news,
        "notices": notices,
        "policies": policies,
        "towns": towns,
        "qingfeng": qingfeng,
        "qingfeng_news": add_column(qingfeng, "青峰动态", ColumnKind.NEWS, slug="qf-news"),
        "jinlong": jinlong,
        "jinlong_news": add_column(jinlong, "金龙动态", ColumnKind.NEWS, slug="jl-news"),
        "sitemap": sitemap,
        "settings": settings,
    }
