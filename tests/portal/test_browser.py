"""A visitor's way through the portal in a real browser, without JavaScript: home → column →
article → elder mode. axe-core (WCAG 2.1 A/AA) finds nothing on any of those pages, and the
elder-friendly mode meets the enhanced (AAA) contrast."""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.test_accessibility import WCAG_AA, WCAG_AAA_CONTRAST, _violations
from tests.portal.conftest import add_article, add_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def content(portal):
    for i in range(23):
        article = add_article(portal["news"], f"永川区新闻第{i + 1}条", publish=False)
        article.first_published_at = timezone.now() - datetime.timedelta(days=i, hours=1)
        article.content = "<p>区政府召开会议，研究部署有关工作。</p><p>会议要求各部门抓好落实。</p>"
        article.source = "区政府办公室"
        article.save_revision().publish()
    add_article(portal["notices"], "关于做好清明节假期安全工作的通知")
    add_document(portal["policies"], "永川区人民政府关于印发优化营商环境若干措施的通知")
    return portal


def check_with_axe(browser, url, cookies, options=WCAG_AA) -> list[str]:
    """axe needs JavaScript: run it on the same page, with the same cookies, in a JS
    context."""
    context = browser.new_context(locale="zh-CN")
    context.add_cookies(cookies)
    page = context.new_page()
    try:
        page.goto(url)
        return _violations(page, options)
    finally:
        context.close()


def test_home_column_article_and_elder_mode_without_javascript(live_server, browser, content):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(live_server.url + "/")
        assert page.locator("footer").inner_text().count("5001180001") == 1
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.click("nav.portal-nav >> text=要闻动态")
        page.wait_for_load_state()
        assert page.url == live_server.url + "/news/"
        assert page.locator(".entry-list li").count() == 20
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.click("a[rel=next]")
        page.wait_for_load_state()
        assert page.locator(".entry-list li").count() == 3
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.click("text=永川区新闻第22条")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "永川区新闻第22条"
        assert "区政府办公室" in page.locator(".meta").inner_text()
        assert check_with_axe(browser, page.url, context.cookies()) == []

        article_url = page.url
        page.click("button[name=elder][value='1']")
        page.wait_for_load_state()
        assert page.url == article_url
        assert "elder" in (page.get_attribute("html", "class") or "")
        cookies = context.cookies()
        assert check_with_axe(browser, page.url, cookies) == []
        assert check_with_axe(browser, page.url, cookies, WCAG_AAA_CONTRAST) == []
        for url in ("/", "/news/", "/sitemap/"):
            assert check_with_axe(browser, live_server.url + url, cookies, WCAG_AAA_CONTRAST) == []
    finally:
        context.close()
    assert all(url.startswith(live_server.url) for url in requested), requested


@pytest.mark.parametrize("path", ["/policies/", "/towns/qingfeng/", "/sitemap/", "/report-error/"])
def test_more_portal_pages_have_no_axe_violations(live_server, page, content, path):
    page.goto(live_server.url + path)
    assert _violations(page) == []


def test_a_policy_document_has_no_axe_violations(live_server, page, content):
    page.goto(live_server.url + "/policies/")
    page.click(".entry-list a")
    assert "/policies/" in page.url and page.locator("table.document-facts").count() == 1
    assert _violations(page) == []
