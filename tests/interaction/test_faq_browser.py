"""The FAQ in a real browser: the list and a search without JavaScript, and the similar
questions appearing while a resident types a letter (with JavaScript, under the
Content-Security-Policy); axe-core (WCAG 2.1 A/AA) finds nothing on the list, the search
results and the letter form showing its suggestions, in normal and elder-friendly mode."""

from __future__ import annotations

import pytest

from egov.interaction import faq
from egov.portal.models import Synonym
from tests.e2e.test_accessibility import WCAG_AA, _violations
from tests.hall.conftest import citizen

from .test_browser import _axe_both_modes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_faq_and_the_suggestions_while_typing(live_server, browser, staff, bodies):
    by, body = staff["office_head"], bodies["YC-ZF"]
    Synonym.objects.create(terms="社保, 社会保险")  # 社保卡 as typed finds 社会保险卡
    card = faq.create_entry(
        by=by,
        body=body,
        question="社会保险卡丢失了怎么补办？",
        answer="携带身份证到社保经办窗口挂失补办。",
        topic="社会保障",
        publish=True,
    )
    faq.create_entry(
        by=by,
        body=body,
        question="住房公积金怎么提取？",
        answer="购房、租房可以提取。",
        publish=True,
    )
    citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")

    plain = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = plain.new_page()
    try:
        page.goto(live_server.url + "/interaction/faq/")
        assert page.locator(".faq-list li").count() == 2
        assert _axe_both_modes(browser, page.url, plain.cookies()) == []
        page.fill("input[name=q]", "补办 社会保险卡")
        page.click("main form[role=search] button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".faq-list li").count() == 1
        assert page.locator(".faq-list mark").count() >= 1
        assert _axe_both_modes(browser, page.url, plain.cookies()) == []
    finally:
        plain.close()

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )
    try:
        page.goto(live_server.url + "/accounts/login/?next=/interaction/write/")
        page.fill("input[name=username]", "13912345678")
        page.fill("input[name=password]", "Citizen-test-2026")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/interaction/write/" in page.url
        for elder in (False, True):
            if elder:
                context.add_cookies([{"name": "egov_elder", "value": "1", "url": live_server.url}])
                page.goto(live_server.url + "/interaction/write/")
                assert "elder" in (page.locator("html").get_attribute("class") or "")
            assert page.locator("[data-faq-suggest]").is_hidden()
            page.fill("input[name=subject]", "社保卡丢了")
            page.locator("textarea[name=text]").press_sequentially("请问怎么补办社保卡？")
            link = f"[data-faq-list] a[href='/interaction/faq/{card.pk}/']"
            page.wait_for_selector(link, state="attached")
            assert page.locator("[data-faq-suggest]").is_visible()
            assert "1" in page.locator("[data-faq-live]").inner_text()
            assert page.locator("[data-faq-list] li").count() == 1
            page.click("[data-faq-list] summary")
            assert page.locator("[data-faq-list] .faq-text").is_visible()
            assert _violations(page, WCAG_AA) == []
            # what was typed stays as typed
            assert page.input_value("textarea[name=text]") == "请问怎么补办社保卡？"
        assert errors == []  # nothing refused by the Content-Security-Policy
    finally:
        context.close()
