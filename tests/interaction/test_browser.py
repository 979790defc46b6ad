"""A resident writes a letter in a real browser, without JavaScript, follows it to its reply
and reads the published reply; axe-core (WCAG 2.1 A/AA) finds nothing on the mailboxes, the
letter form (empty and with errors), the letter's page, the reply list and a reply, in
normal and elder-friendly mode."""

from __future__ import annotations

import re

import pytest

from egov.exchange.transports import loopback
from egov.interaction import services
from egov.interaction.models import Letter
from tests.hall.conftest import citizen
from tests.portal.test_browser import check_with_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("exchange_here"),
]


def _answer(label: str) -> str:
    """Answer the question as a person reads it (in Chinese or English)."""
    words = "零一二三四五六七八九"
    english = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    found = [words.index(c) for c in label if c in words]
    if len(found) < 2:
        found = [english.index(w) for w in re.findall(r"[a-z]+", label) if w in english]
    return str(sum(found[:2]))


def _axe_both_modes(browser, url, cookies) -> list[str]:
    found = check_with_axe(browser, url, cookies)
    elder = [*cookies, {"name": "egov_elder", "value": "1", "url": url}]
    return found + check_with_axe(browser, url, elder)


def test_a_resident_writes_a_letter_and_reads_the_published_reply(live_server, browser, staff):
    citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/interaction/")
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.goto(live_server.url + "/interaction/write/?mailbox=head")
        assert "/accounts/login/" in page.url
        page.fill("input[name=username]", "13912345678")
        page.fill("input[name=password]", "Citizen-test-2026")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/interaction/write/" in page.url
        assert page.input_value("input[name=writer_name]") == "李四光"
        assert _axe_both_modes(browser, page.url, context.cookies()) == []

        page.check("input[name=category][value=consultation]")
        page.fill("input[name=answer]", _answer(page.inner_text("label[for=id_answer]")))
        page.fill("textarea[name=text]", "请问老年人公交优惠卡在哪里办理？我住红旗路88号。")
        page.click("main form button[type=submit]:not([name=similar])")  # no subject: refused
        page.wait_for_load_state()
        assert page.locator("#id_subject_error").count() == 1
        assert page.input_value("textarea[name=text]").startswith("请问老年人公交优惠卡")
        assert 'aria-invalid="true"' in page.content()
        page.fill("input[name=subject]", "老年人公交优惠卡")
        page.fill("input[name=address]", "重庆市永川区中山路街道红旗路88号")
        page.check("input[name=consent]")
        page.click("main form button[type=submit]:not([name=similar])")
        page.wait_for_load_state()
        assert "/interaction/letters/" in page.url
        letter_url = page.url

        loopback.deliver()
        letter = Letter.objects.get()
        letter = services.accept(letter, by=staff["office"])
        letter = services.draft_reply(
            letter, by=staff["office"], text="李四光同志：请携带身份证到所在街道便民服务中心办理。"
        )
        letter = services.review_reply(letter, by=staff["office_head"], approve=True)
        letter = services.sign_off(letter, by=staff["office_head"])
        letter = services.reply(letter, by=staff["office"])
        services.publish_reply(letter, by=staff["office"])
        loopback.deliver()

        page.goto(letter_url)
        assert "便民服务中心办理" in page.locator("main").inner_text()
        assert _axe_both_modes(browser, page.url, context.cookies()) == []

        page.goto(live_server.url + "/interaction/replies/")
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.click("text=老年人公交优惠卡")
        page.wait_for_load_state()
        text = page.locator("main").inner_text()
        assert "便民服务中心办理" in text
        for value in ("李四光", "红旗路88号", "13912345678"):
            assert value not in page.content()
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
    finally:
        context.close()
