"""Drafting, signing and receiving an official document across two bodies in a real
browser (without JavaScript); axe-core (WCAG 2.1 A/AA) finds nothing on those pages."""

from __future__ import annotations

import pytest

from egov.oa import services_documents as docs
from egov.oa.models import Document, Receipt
from tests.conftest import login_verified
from tests.portal.test_browser import check_with_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, client, user):
    client.cookies.clear()
    login_verified(client, user)
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def _submit(page, section: str) -> None:
    page.click(f"section[aria-labelledby=verb-{section}] button[type=submit]")
    page.wait_for_load_state()


def test_draft_sign_and_receive_across_two_bodies(live_server, browser, client, oa_bodies, people):
    problems: list[str] = []

    def axe(page, context):
        problems.extend(check_with_axe(browser, page.url, context.cookies()))

    # the district government's clerk drafts
    context, page = _page(browser, live_server, client, people["drafter"])
    page.goto(live_server.url + "/staff/oa/documents/new/")
    axe(page, context)
    page.select_option("select[name=body]", str(oa_bodies["zf"].pk))
    page.select_option("select[name=doc_type]", "notice")
    page.fill("input[name=title]", "重庆市永川区人民政府关于做好冬季安全生产工作的通知")
    page.fill("textarea[name=text]", "请各单位认真落实安全生产责任。")
    page.click("main form button[type=submit]")  # no main recipient: refused, text kept
    page.wait_for_load_state()
    assert page.input_value("textarea[name=text]") == "请各单位认真落实安全生产责任。"
    axe(page, context)
    page.select_option("select[name=main_to]", str(oa_bodies["edu"].pk))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    document = Document.objects.get()
    assert page.url.endswith(f"/documents/{document.uid}/")
    axe(page, context)
    _submit(page, "submit")
    context.close()

    # two reviews (not the subject here: by the services), then the signer signs
    for who in ("reviewer", "reviewer2"):
        document = docs.review(Document.objects.get(), by=people[who], approve=True)
    context, page = _page(browser, live_server, client, people["signer"])
    page.goto(live_server.url + "/staff/oa/documents/")
    page.click(f"a[href$='/documents/{document.uid}/']")
    page.wait_for_load_state()
    axe(page, context)
    page.fill("section[aria-labelledby=verb-sign] textarea[name=note]", "同意印发")
    _submit(page, "sign")
    context.close()

    # the office checks, numbers, prints and sends
    context, page = _page(browser, live_server, client, people["clerk"])
    page.goto(live_server.url + f"/staff/oa/documents/{document.uid}/")
    for verb in ("check", "register", "print", "dispatch"):
        _submit(page, verb)
    document.refresh_from_db()
    assert document.status == Document.Status.SENT and document.number.endswith("1号")
    context.close()

    # the education commission's clerk receives it
    receipt = Receipt.objects.get(body=oa_bodies["edu"])
    context, page = _page(browser, live_server, client, people["edu_clerk"])
    page.goto(live_server.url + "/staff/oa/documents/")
    page.click(f"a[href$='/incoming/{receipt.uid}/']")
    page.wait_for_load_state()
    axe(page, context)
    _submit(page, "sign_for")
    _submit(page, "register")
    assert document.number in page.content()
    context.close()
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.REGISTERED and receipt.incoming_seq == 1
    assert problems == []
