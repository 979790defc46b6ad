"""A citizen files a request for government information in a real browser, without
JavaScript, and follows it to its answer; axe-core (WCAG 2.1 A/AA) finds nothing on the
catalogues, the guide, the request form (empty and with errors), the request's page, in
normal and elder-friendly mode."""

from __future__ import annotations

import pytest

from egov.disclosure import services
from egov.disclosure.models import DisclosureRequest
from egov.exchange.transports import loopback
from tests.hall.conftest import citizen
from tests.portal.test_browser import check_with_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("exchange_here"),
]


def _axe_both_modes(browser, url, cookies) -> list[str]:
    found = check_with_axe(browser, url, cookies)
    elder = [*cookies, {"name": "egov_elder", "value": "1", "url": url}]
    return found + check_with_axe(browser, url, elder)


def test_a_citizen_files_a_request_and_follows_it_to_the_answer(live_server, browser, staff):
    citizen(mobile="13800138000")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/disclosure/catalogue/")
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.click("text=区市场监管局")
        page.wait_for_load_state()
        assert page.url.endswith("/disclosure/catalogue/YC-SCJG/")
        assert page.locator("main section[id]").count() == 15  # 第20条's categories
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.goto(live_server.url + "/disclosure/")
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.click("main a.button")
        page.wait_for_load_state()
        assert "/accounts/login/" in page.url
        page.fill("input[name=username]", "13800138000")
        page.fill("input[name=password]", "Citizen-test-2026")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.url.endswith("/disclosure/apply/")
        assert "张三丰" in page.locator("main").inner_text()
        assert _axe_both_modes(browser, page.url, context.cookies()) == []

        page.select_option("select[name=body]", label="区市场监管局")
        page.fill("input[name=phone]", "13800138000")
        page.check("input[name=form][value=electronic]")
        page.check("input[name=channel][value=post]")  # without an address: refused
        page.fill("textarea[name=description]", "2025年度食品安全抽检结果")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#id_address_error").count() == 1
        assert page.input_value("textarea[name=description]") == "2025年度食品安全抽检结果"
        assert page.is_checked("input[name=form][value=electronic]")
        html = page.content()
        assert 'aria-invalid="true"' in html
        page.fill("input[name=address]", "重庆市永川区人民大道1号")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        number = page.locator("h1").inner_text().split()[-1]
        assert number.startswith("YCGK-")
        request_url = page.url

        loopback.deliver()
        inside = DisclosureRequest.objects.get(number=number)
        services.answer(
            inside,
            by=staff["clerk"],
            kind="already_public",
            text="您申请的信息已主动公开。",
            where_public="永川区人民政府网站 › 政府信息公开 › 食品安全",
        )
        loopback.deliver()
        page.goto(request_url)
        text = page.locator("main").inner_text()
        assert "您申请的信息已主动公开。" in text
        assert "永川区人民政府网站 › 政府信息公开 › 食品安全" in text
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.goto(live_server.url + "/disclosure/requests/")
        assert number in page.locator("main").inner_text()
    finally:
        context.close()
