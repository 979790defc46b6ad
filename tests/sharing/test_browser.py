"""Asking for access and deciding on it in a real browser: an office head of 区民政局 finds
a resource in the catalogue, asks for it (first without fields: the error is shown next to
the field and the purpose typed is kept), an office head of 区市场监管局 narrows and grants
it. axe-core (WCAG 2.1 A/AA) finds nothing on any of these pages, in normal and
elder-friendly mode. The pages have no script: the flow is plain forms."""

from __future__ import annotations

import pytest
from django.test import Client

from egov.sharing.models import Grant
from tests.conftest import login_verified
from tests.e2e.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, live_server, user, elder=False):
    client = Client()
    login_verified(client, user)
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value}]
    if elder:
        cookies.append({"name": "egov_elder", "value": "1"})
    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{**cookie, "url": live_server.url} for cookie in cookies])
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def _clean(page) -> None:
    found = _violations(page)
    assert found == [], (page.url, found)


def test_a_body_asks_for_a_resource_and_the_provider_narrows_and_grants(
    live_server, browser, catalogue, staff
):
    context, page = _context(browser, live_server, staff["mzj"])
    try:
        page.goto(live_server.url + "/staff/sharing/?q=食品经营")
        _clean(page)
        page.click("text=食品经营许可企业名录")
        page.wait_for_load_state()
        assert page.url.endswith("/staff/sharing/SCJG-FOOD/")
        _clean(page)
        page.click("main a.button")  # 申请使用
        page.wait_for_load_state()
        assert page.url.endswith("/SCJG-FOOD/request/")
        _clean(page)
        page.fill("textarea[name=purpose]", "低保资格复核，核对申请人名下企业")
        page.click("main form button[type=submit]")  # no field chosen: refused
        page.wait_for_load_state()
        assert page.locator("#id_wanted_error").count() == 1
        assert page.input_value("textarea[name=purpose]") == "低保资格复核，核对申请人名下企业"
        assert 'aria-invalid="true"' in page.content() or page.locator(".field-error").count()
        _clean(page)
        for name in ("name", "owner", "phone"):
            page.check(f"input[name=wanted][value={name}]")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/staff/sharing/grants/" in page.url
        _clean(page)
    finally:
        context.close()
    grant = Grant.objects.get()
    assert grant.status == "requested"

    for elder in (False, True):
        context, page = _context(browser, live_server, staff["scjg"], elder=elder)
        try:
            page.goto(live_server.url + "/staff/sharing/grants/")
            _clean(page)
            page.goto(f"{live_server.url}/staff/sharing/grants/{grant.pk}/")
            _clean(page)
        finally:
            context.close()

    context, page = _context(browser, live_server, staff["scjg"])
    try:
        page.goto(f"{live_server.url}/staff/sharing/grants/{grant.pk}/")
        page.uncheck("input[name=approve-granted][value=phone]")  # narrowed
        page.fill("input[name=approve-expires_on]", "2020-01-01")  # in the past: refused
        page.click("#approve-heading ~ form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#id_approve-expires_on_error").count() == 1
        assert not page.is_checked("input[name=approve-granted][value=phone]")
        _clean(page)
        page.fill("input[name=approve-expires_on]", "2099-12-31")
        page.click("#approve-heading ~ form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#revoke-heading").count() == 1
        _clean(page)
    finally:
        context.close()
    grant.refresh_from_db()
    assert grant.status == "granted" and grant.fields_granted == ["name", "owner"]
    assert str(grant.expires_on) == "2099-12-31"
