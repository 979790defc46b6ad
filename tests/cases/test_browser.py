"""The workbench in a real browser: axe-core finds no WCAG 2.1 A/AA violation on the queue
(with its bulk actions), a case page, a case with a bad rating's rectification forms and a
refused form; without JavaScript the forms work as plain posts."""

from datetime import date

import pytest
from django.utils import timezone

from egov.cases import ratings
from egov.cases import services as cases
from tests.conftest import login_verified
from tests.e2e.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refuse_too_short(page) -> None:
    page.fill("#id_refuse_acceptance-reason", "太短")
    page.click("#verb-refuse_acceptance ~ form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 1
    assert page.locator("#id_refuse_acceptance-reason").input_value() == "太短"


def test_workbench_pages_have_no_axe_violations_and_work_without_javascript(
    live_server, browser, client, promised_version, staff, new_case
):
    late = new_case(promised_version)
    cases.accept(late, by=staff["head"], on=date(2026, 1, 5))
    cases.claim(late, by=staff["head"])
    waiting = new_case(promised_version)
    rated = new_case(promised_version)  # a bad rating: the rectification's forms on its page
    ratings.receive_rating(rated, score=1, comment="跑了三次", rated_at=timezone.now())
    login_verified(client, staff["head"])
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    detail = f"{live_server.url}/staff/cases/{waiting.query_code}/"

    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{**cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        for path in (
            "/staff/cases/",
            "/staff/cases/?view=unclaimed",
            "/staff/cases/?view=all",  # bulk claim and assign
            f"/staff/cases/{rated.query_code}/",
            detail[len(live_server.url) :],
        ):
            page.goto(live_server.url + path)
            assert _violations(page) == [], path
        _refuse_too_short(page)
        assert _violations(page) == []
    finally:
        context.close()

    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    context.add_cookies([{**cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(live_server.url + "/staff/cases/")
        assert page.locator("#queue tbody tr").count() == 1
        page.goto(live_server.url + "/staff/cases/?view=unclaimed")
        page.check(f"input[name=codes][value='{rated.query_code}']")
        page.click("button[name=action][value=claim]")  # bulk, without JavaScript
        page.wait_for_load_state()
        rated.refresh_from_db()
        assert rated.assignee == staff["head"]
        page.goto(detail)
        _refuse_too_short(page)
        page.click("#verb-accept ~ form button[type=submit]")
        page.wait_for_load_state()
        waiting.refresh_from_db()
        assert waiting.status == "accepted"
    finally:
        context.close()
