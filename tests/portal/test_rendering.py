"""The pages of the site group as a visitor gets them: the footer the 2017 guideline asks for,
publication times as YYYY-MM-DD HH:MM, paging, policy documents with their facts and
validity, interpretations linked both ways, bodies' profiles from the directory, the site
map, downloads, a second site with its own name and theme — and no inline style or script,
no page over 150 KB."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.models import Site

from egov.portal import services
from egov.portal.models import (
    BodyProfilePage,
    ColumnKind,
    DownloadItem,
    DownloadsPage,
    InterpretationPage,
    LeaderProfilePage,
    PortalSiteSettings,
    TopicPage,
    Validity,
)
from tests.portal.conftest import add_article, add_column, add_document

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "egov"
CSS = [STATIC / "static/egov/css/base.css", STATIC / "portal/static/portal/css/portal.css"]
TIME_SHAPE = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b")
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def html_of(client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def publish_at(page, when: datetime.datetime):
    """A page first published at ``when`` (as imported history would be)."""
    page.first_published_at = when
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def assert_no_inline_style_or_script(html: str):
    assert " style=" not in html
    assert "<style" not in html
    assert "<script" not in html


def test_the_footer_carries_every_item_the_guideline_requires(client, portal):
    html = html_of(client, "/")
    footer = html[html.index('<footer class="site-footer">') :]
    assert "5001180001" in footer  # 网站标识码
    assert "渝ICP备2021005620号-2" in footer
    assert 'href="https://beian.miit.gov.cn/"' in footer
    assert "渝公网安备 50011802000001号" in footer
    assert "code=50011802000001" in footer
    assert "永川区人民政府" in footer  # 主办单位
    assert "023-49800000" in footer and "webmaster@example.com" in footer
    assert "重庆市永川区人民大道" in footer
    assert 'href="/sitemap/"' in footer
    assert 'href="/report-error/?page=%2F"' in footer  # 我为政府网站找错
    assert 'src="/static/portal/img/emblem-placeholder.svg"' in footer  # 党政机关标识


def test_footer_items_left_empty_are_left_out(client, portal):
    settings = portal["settings"]
    settings.site_code = settings.icp_number = settings.police_filing_number = ""
    settings.save()
    footer = html_of(client, "/").split('<footer class="site-footer">')[1]
    assert "ICP" not in footer and "beian" not in footer


def test_home_shows_the_latest_of_each_feed_column_and_the_bodies(client, portal):
    for i in range(8):
        add_article(portal["news"], f"要闻{i}")
    add_article(portal["notices"], "关于开展安全生产检查的通知")
    html = html_of(client, "/")
    assert all(f"要闻{i}" in html for i in range(2, 8))
    assert "要闻0" not in html and "要闻1" not in html  # six per block, newest first
    assert "关于开展安全生产检查的通知" in html
    assert 'href="/towns/qingfeng/"' in html  # a body with a section links to it
    assert 'href="/bodies/YC-SCJG/"' in html  # a body without one, to its facts
    assert_no_inline_style_or_script(html)


def test_publication_times_are_shown_as_year_month_day_hours_minutes(client, portal):
    article = publish_at(
        add_article(portal["news"], "区政府召开常务会议", publish=False),
        datetime.datetime(2026, 3, 2, 9, 5, tzinfo=SHANGHAI),
    )
    for url in ("/", "/news/", article.url):
        html = html_of(client, url)
        assert "2026-03-02 09:05" in html, url
        assert 'datetime="2026-03-02T09:05+08:00"' in html, url


def test_a_column_pages_twenty_entries_at_a_time(client, portal):
    base = datetime.datetime(2026, 1, 1, 8, 0, tzinfo=SHANGHAI)
    for i in range(25):
        publish_at(
            add_article(portal["news"], f"第{i:02d}条", publish=False),
            base + datetime.timedelta(days=i),
        )
    first = html_of(client, "/news/")
    assert "第24条" in first and "第05条" in first and "第04条" not in first
    assert 'href="?page=2"' in first and 'rel="next"' in first
    second = html_of(client, "/news/?page=2")
    assert all(f"第{i:02d}条" in second for i in range(5))
    assert "第05条" not in second
    assert len(TIME_SHAPE.findall(second)) == 5
    assert 'aria-current="page">2<' in second
    assert "第04条" in html_of(client, "/news/?page=99")  # past the end: the last page
    assert "第24条" in html_of(client, "/news/?page=x")  # nonsense: the first page


def test_an_empty_column_says_so(client, portal):
    assert "Nothing published in this column yet." in html_of(
        client, "/notices/", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_a_policy_document_shows_its_facts_and_that_it_was_amended(client, portal, bodies):
    old = add_document(
        portal["policies"],
        "永川区城市绿化管理办法",
        document_number="永川府发〔2019〕12号",
        written_on=datetime.date(2019, 5, 20),
        theme="urban",
    )
    new = add_document(
        portal["policies"],
        "永川区人民政府关于修改城市绿化管理办法的决定",
        document_number="永川府发〔2026〕3号",
    )
    old.validity = Validity.AMENDED
    old.changed_by = new
    old.save_revision().publish()
    html = html_of(client, old.url)
    assert 'class="validity-notice validity-amended"' in html
    assert f'href="{new.url}"' in html.split("validity-notice")[1].split("</p>")[0]
    for fact in (old.index_number, "永川府发〔2019〕12号", "永川区人民政府", "2019-05-20"):
        assert fact in html
    assert TIME_SHAPE.search(html.split("document-facts")[1])
    assert old.index_number.startswith("11500383009338112H/")
    # The amending document lists what it amended.
    assert f'href="{old.url}"' in html_of(client, new.url)


def test_a_repealed_document_says_so_at_the_top(client, portal):
    doc = add_document(portal["policies"], "已废止的文件")
    doc.validity = Validity.REPEALED
    doc.save_revision().publish()
    html = html_of(client, doc.url, HTTP_ACCEPT_LANGUAGE="en")
    notice = html.index("validity-notice")
    assert notice < html.index("<h1>")
    assert "repealed and is no longer in force" in html


def test_an_amended_document_must_name_what_amended_it(portal):
    from django.core.exceptions import ValidationError

    doc = add_document(portal["policies"], "文件")
    doc.validity = Validity.AMENDED
    with pytest.raises(ValidationError) as caught:
        doc.full_clean()
    assert "changed_by" in caught.value.message_dict


def test_an_interpretation_and_its_policy_link_to_each_other(client, portal):
    column = add_column(portal["home"], "政策解读", ColumnKind.INTERPRETATION, slug="jd")
    policy = add_document(portal["policies"], "关于促进民营经济发展的若干措施")
    interpretation = InterpretationPage(
        title="《关于促进民营经济发展的若干措施》解读",
        slug="jd-1",
        policy=policy,
        content="<p>一图读懂。</p>",
    )
    column.add_child(instance=interpretation)
    interpretation.save_revision().publish()
    assert f'href="{policy.url}"' in html_of(client, interpretation.url)
    assert f'href="{interpretation.url}"' in html_of(client, policy.url)


def test_a_body_profile_shows_the_directorys_facts_and_bodies_lead_to_it(client, portal, bodies):
    profile = BodyProfilePage(title="机构概况", slug="profile", body=bodies["YC-ZF"])
    portal["home"].add_child(instance=profile)
    profile.save_revision().publish()
    bodies["YC-ZF"].office_hours = "工作日 9:00–12:00"
    bodies["YC-ZF"].save()
    html = html_of(client, "/profile/")
    assert "重庆市永川区人民大道" in html and "023-49800000" in html
    assert "工作日 9:00–12:00" in html  # read from the directory, as it is now
    assert "11500383009338112H" in html and "青峰镇" in html
    response = client.get("/bodies/YC-ZF/")
    assert response.status_code == 302 and response["Location"] == "/profile/"
    # A body without a profile page still shows its facts.
    assert "区市场监管局" in html_of(client, "/bodies/YC-SCJG/")


def test_the_site_map_lists_columns_and_sections_but_not_articles(client, portal):
    add_article(portal["qingfeng_news"], "一条新闻")
    html = html_of(client, "/sitemap/")
    tree = html[html.index('class="site-map"') :]
    for title in ("要闻动态", "通知公告", "镇街", "青峰镇", "金龙镇", "青峰动态"):
        assert title in tree
    assert "一条新闻" not in tree


def test_downloads_leaders_and_topics_render(client, portal):
    document = Document(title="个体工商户登记申请表")
    document.file.save("form.txt", ContentFile("申请表（演示）".encode()), save=False)
    document.save()
    downloads = DownloadsPage(title="表格下载", slug="downloads")
    portal["home"].add_child(instance=downloads)
    DownloadItem.objects.create(page=downloads, document=document, note="一式两份")
    downloads.save_revision().publish()
    html = html_of(client, "/downloads/")
    assert "个体工商户登记申请表" in html and "TXT" in html and "一式两份" in html
    assert f'href="{document.url}"' in html

    leaders = add_column(portal["home"], "区政府领导", ColumnKind.LEADERS, slug="leaders")
    leader = LeaderProfilePage(
        title="示例人物", slug="leader", position="区长", responsibilities="<p>主持全面工作。</p>"
    )
    leaders.add_child(instance=leader)
    leader.save_revision().publish()
    assert "主持全面工作" in html_of(client, leader.url)
    assert TIME_SHAPE.search(html_of(client, "/leaders/")) is None  # an undated column

    topics = add_column(portal["home"], "专题专栏", ColumnKind.TOPICS, slug="topics")
    topic = TopicPage(title="优化营商环境", slug="yshj", intro="持续优化营商环境。")
    topics.add_child(instance=topic)
    topic.save_revision().publish()
    add_article(topic, "“一件事一次办”再扩容")
    assert "“一件事一次办”再扩容" in html_of(client, topic.url)
    assert 'href="/topics/yshj/"' in html_of(client, "/")


def test_a_second_site_has_its_own_name_theme_and_footer(client, portal, bodies):
    congress = services.create_site(
        bodies["YC-RD"], hostname="127.0.0.1", title="永川人大", site_name="永川区人大常委会网"
    )
    settings = PortalSiteSettings.for_site(Site.objects.get(root_page=congress))
    settings.theme = "blue"
    settings.contact_phone = "023-49811111"
    settings.save()
    add_column(congress, "人大要闻", ColumnKind.NEWS, slug="news", show_in_menus=True)
    html = html_of(client, "/", HTTP_HOST="127.0.0.1")
    assert '<body class="theme-blue">' in html
    assert "永川区人大常委会网" in html and "023-49811111" in html
    assert "人大要闻" in html and "要闻动态" not in html
    assert '<body class="theme-red">' in html_of(client, "/")  # the portal is unchanged


def test_the_error_report_link_leads_to_the_sites_contact(client, portal):
    html = html_of(client, "/report-error/?page=/news/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'value="/news/"' in html
    assert "webmaster@example.com" in html and "023-49800000" in html


@override_settings(DEBUG=False)
def test_no_page_weighs_more_than_150_kb_without_images(client, portal):
    for i in range(20):
        add_article(portal["news"], f"一条相当长的新闻标题用来撑满首页的区块{i}" * 2)
    stylesheets = sum(path.stat().st_size for path in CSS)
    for url in ("/", "/news/", "/sitemap/"):
        html = html_of(client, url)
        assert len(html.encode()) + stylesheets < 150 * 1024, url
        assert_no_inline_style_or_script(html)
