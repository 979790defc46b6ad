"""A citizen's way through the hall in a real browser, without JavaScript: home → a life
event → an item's guide → a blank form; then the same pages in elder-friendly mode.
axe-core (WCAG 2.1 A/AA) finds nothing on any of them, and elder mode meets the enhanced
(AAA) contrast."""

import pytest

from tests.e2e.test_accessibility import WCAG_AAA_CONTRAST
from tests.portal.test_browser import check_with_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_life_event_guide_and_elder_mode_without_javascript(live_server, browser, seeded):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(live_server.url + "/hall/")
        assert page.locator("h1").inner_text() == page.locator("main h1").inner_text()
        assert page.locator("ol.hall-items > li").count() == 20  # first page of 31
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.click("a[href='?event=marriage']")
        page.wait_for_load_state()
        assert page.url == live_server.url + "/hall/?event=marriage"
        names = page.locator("ol.hall-items h3").all_inner_texts()
        assert "内地居民结婚登记" in names and "居民身份证换领" not in names
        assert check_with_axe(browser, page.url, context.cookies()) == []

        page.click("text=内地居民结婚登记")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "内地居民结婚登记"
        assert page.locator("dl.guide dt").count() >= 10
        assert page.locator("table.guide-table").count() >= 3
        assert check_with_axe(browser, page.url, context.cookies()) == []

        # A blank form: the browser downloads it under its Chinese name.
        page.goto(
            live_server.url + f"/hall/items/{seeded['个体工商户设立登记'].implementation_code}/"
        )
        with page.expect_download() as download_info:
            page.locator("a[download]").first.click()
        download = download_info.value
        assert download.suggested_filename.endswith("申请书.pdf")
        guide_url = page.url
        assert check_with_axe(browser, guide_url, context.cookies()) == []

        page.click("button[name=elder][value='1']")
        page.wait_for_load_state()
        assert page.url == guide_url
        assert "elder" in (page.get_attribute("html", "class") or "")
        cookies = context.cookies()
        for url in (
            guide_url,
            live_server.url + "/hall/",
            live_server.url + "/hall/?event=marriage",
        ):
            assert check_with_axe(browser, url, cookies) == [], url
            assert check_with_axe(browser, url, cookies, WCAG_AAA_CONTRAST) == [], url
    finally:
        context.close()
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_search_and_english_have_no_axe_violations(live_server, browser, seeded):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/hall/")
        page.click("button[name=language][value=en]")
        page.wait_for_load_state()
        page.fill("input[name=q]", "执照")
        page.click("form.hall-search button[type=submit]")
        page.wait_for_load_state()
        assert "q=" in page.url
        assert page.locator("ol.hall-items > li").count() >= 1
        assert check_with_axe(browser, page.url, context.cookies()) == []
        page.goto(live_server.url + "/hall/?event=moon")
        assert check_with_axe(browser, page.url, context.cookies()) == []
    finally:
        context.close()
