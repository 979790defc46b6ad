"""The one browser journey of the portal (the acceptance test of issue 4), on the demo site
group as ``./run`` loads it: a visitor without JavaScript goes home → a column → an article →
searches → turns on the elder-friendly mode → reports an error on a department's page, all
by clicking. axe-core (WCAG 2.1 A/AA) finds nothing on any page of the way; once the elder
mode is on it stays on from page to page and meets the enhanced (AAA) contrast; the report
reaches the department that owns the page, and the visitor sees where to read the reply."""

import re

import pytest

from egov.directory.demo import seed_demo
from egov.portal.demo import seed_portal
from egov.portal.forms_reports import MIN_SECONDS
from egov.portal.models import ArticlePage, ErrorKind, ErrorReport
from tests.e2e.test_accessibility import WCAG_AAA_CONTRAST
from tests.portal.test_browser import check_with_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH = "个体工商户 全程网办"  # 网办 is a synonym of 网上办理 in the demo's synonym list


def is_elder(page) -> bool:
    return "elder" in (page.get_attribute("html", "class") or "").split()


def test_home_column_article_search_elder_mode_and_error_report(live_server, browser):
    seed_demo()
    seed_portal()
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    def axe(*options) -> list[str]:
        """Violations of WCAG 2.1 A/AA (and ``options``) on the page the visitor is on."""
        cookies = context.cookies()
        found = check_with_axe(browser, page.url, cookies)
        for more in options:
            found += check_with_axe(browser, page.url, cookies, more)
        return found

    def follow(selector: str) -> None:
        page.locator(selector).first.click()
        page.wait_for_load_state()

    try:
        # Home: the portal with its latest news.
        page.goto(live_server.url + "/")
        assert page.locator(".site-name").inner_text().strip() == "永川区人民政府网"
        assert page.locator("main a[href='/news/']").count() >= 1
        assert axe() == []

        # A column: the newest news first, twenty to a page.
        follow("nav.portal-nav >> text=要闻动态")
        assert page.url == live_server.url + "/news/"
        assert page.locator("h1").inner_text() == "要闻动态"
        assert page.locator(".entry-list li").count() == 20
        assert page.locator("a[rel=next]").count() == 1
        assert axe() == []

        # An article.
        newest = page.locator(".entry-list a").first
        title = newest.inner_text()
        follow(".entry-list a")
        assert page.locator("h1").inner_text() == title
        assert "演示数据" in page.locator("main").inner_text()
        assert axe() == []

        # Search from the box every page has; words inside sentences and synonyms are found.
        page.fill("#site-search-q", SEARCH)
        follow("form.site-search button[type=submit]")
        assert "/search/?" in page.url and "q=" in page.url
        results = page.locator(".search-results li")
        assert results.count() >= 1
        assert page.locator(".search-results mark").count() >= 2
        department = page.locator(".search-results a[href*='/departments/scjg/']")
        assert department.count() >= 1
        assert axe() == []

        # The elder-friendly mode, turned on where the visitor is: the same results, bigger.
        results_url = page.url
        follow("button[name=elder][value='1']")
        assert page.url == results_url
        assert is_elder(page)
        assert page.locator(".search-results li").count() == results.count()
        assert axe(WCAG_AAA_CONTRAST) == []

        # A department's page found by the search: the mode stays on.
        follow(".search-results a[href*='/departments/scjg/']")
        article_path = page.url.removeprefix(live_server.url)
        article = ArticlePage.objects.get(url_path="/home" + article_path)
        assert page.locator("h1").inner_text() == article.title
        assert is_elder(page)
        assert axe(WCAG_AAA_CONTRAST) == []

        # Report an error on it: the footer's link opens the form with the page filled in.
        follow("footer a[href^='/report-error/']")
        assert page.input_value("#id_address") == article_path
        assert is_elder(page)
        assert axe(WCAG_AAA_CONTRAST) == []
        page.select_option("#id_kind", ErrorKind.TYPO.value)
        page.fill("#id_description", "第二段“登记”一词后多了一个句号。")
        page.fill("#id_contact", "visitor@example.com")
        page.wait_for_timeout((MIN_SECONDS + 0.5) * 1000)  # a person takes a moment
        follow("main form button[type=submit].primary")

        # The confirmation, with the address to come back to (the report's reference).
        assert "/report-error/status/" in page.url
        assert is_elder(page)
        assert page.locator(".message-success").count() == 1
        assert page.locator(f"main a[href='{page.url}']").count() == 1
        assert "v******@example.com" in page.locator("main").inner_text()
        report = ErrorReport.objects.get()
        assert (report.address, report.kind) == (article_path, ErrorKind.TYPO)
        assert report.body.code == "YC-SCJG"  # the department owning the page answers
        assert report.page_id == article.pk
        assert report.contact_email == "visitor@example.com"
        assert report.timer is not None
        assert report.timer.due_date.isoformat() in page.locator("main").inner_text()
        assert axe(WCAG_AAA_CONTRAST) == []
    finally:
        context.close()
    local = re.compile(re.escape(live_server.url) + r"/")
    assert all(local.match(url) for url in requested), requested
