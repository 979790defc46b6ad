"""Notices, meetings and tasks in a real browser: the general office writes a notice without
JavaScript, a recipient opens it (the read is recorded) and the sender sees it in the
receipts; axe-core (WCAG 2.1 A/AA) finds nothing on the notice pages, a meeting page and a
task page with their forms, nor on a form sent back with an error. (The lists and the other
forms share these pages' templates; the view tests cover them.)"""

from __future__ import annotations

import pytest
from django.test import Client

from egov.oa import services_meetings as meetings
from egov.oa import services_tasks as tasks
from egov.oa.models import NoticeReceipt, Task
from tests.conftest import login_verified
from tests.e2e.test_accessibility import _violations
from tests.oa import office_fixtures
from tests.oa.office_fixtures import later

# The shared fixtures (tests/oa/office_fixtures.py), made visible to pytest here.
office_bodies = office_fixtures.office_bodies
office_staff = office_fixtures.office_staff
room = office_fixtures.room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session(live_server, user) -> dict:
    client = Client()
    login_verified(client, user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def _context(browser, cookie, javascript=True):
    context = browser.new_context(java_script_enabled=javascript, locale="zh-CN")
    context.add_cookies([cookie])
    return context


def test_notice_meeting_and_task_pages_in_a_browser(
    live_server, browser, office_staff, office_bodies, room
):
    head, clerk = office_staff["office"], office_staff["scjg_clerk"]
    meeting = meetings.schedule_meeting(
        by=head,
        body=office_bodies["YC-ZF-BGS"],
        title="国庆假期安全工作部署会",
        agenda="一、通报安全形势\n二、部署节前检查",
        starts_at=later(1, 9),
        ends_at=later(1, 10),
        room=room,
        invitees=[clerk, office_staff["leader"]],
    )
    task = tasks.assign_task(
        by=head,
        from_body=office_bodies["YC-ZF-BGS"],
        to_body=office_bodies["YC-SCJG"],
        to_person=clerk,
        title="开展节前食品安全专项检查",
        instructions="对全区大型商超开展检查。",
        source=Task.Source.LEADER,
        working_days=5,
        meeting=meeting,
    )
    sender_cookie, clerk_cookie = _session(live_server, head), _session(live_server, clerk)

    # The general office writes the notice without JavaScript.
    context = _context(browser, sender_cookie, javascript=False)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(live_server.url + "/staff/oa/notices/new/")
        page.fill("input[name=title]", "关于做好国庆假期值班工作的通知")
        page.check(f"input[name=to_bodies][value='{office_bodies['YC-SCJG'].pk}']")
        page.click("main form button[type=submit]")  # no text: refused, the rest kept
        page.wait_for_load_state()
        assert page.locator("#id_text_error").count() == 1
        assert page.input_value("input[name=title]") == "关于做好国庆假期值班工作的通知"
        page.fill("textarea[name=text]", "各单位：请于9月26日前报送值班表。")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/staff/oa/notices/" in page.url and "/new/" not in page.url
        notice_url = page.url
    finally:
        context.close()

    # The recipient opens it: the read is recorded; axe on the recipient's pages.
    context = _context(browser, clerk_cookie)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(live_server.url + "/staff/oa/notices/")
        page.click("text=关于做好国庆假期值班工作的通知")
        page.wait_for_load_state()
        assert "9月26日前报送值班表" in page.locator("main").inner_text()
        assert _violations(page) == []
        assert NoticeReceipt.objects.get(user=clerk).read_at is not None
        page.goto(live_server.url + f"/staff/oa/meetings/{meeting.pk}/")  # the answer form
        assert _violations(page) == []
        page.goto(live_server.url + f"/staff/oa/tasks/{task.pk}/")  # the responsible's forms
        page.click("#verb-submit ~ form button[type=submit]")  # empty: refused
        page.wait_for_load_state()
        assert page.locator("#id_submit-text_error").count() == 1
        assert _violations(page) == []
    finally:
        context.close()

    # The sender sees the receipts; axe on the organiser's and assigner's pages.
    context = _context(browser, sender_cookie)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(notice_url)
        assert "钱科员" in page.locator("#read").inner_text()
        assert "赵局长" in page.locator("#unread").inner_text()
        assert "钱科员" not in page.locator("#unread").inner_text()
        assert _violations(page) == []
        for path in (
            "/staff/oa/notices/new/",
            f"/staff/oa/meetings/{meeting.pk}/",  # the invitees' answers, the organiser's forms
            f"/staff/oa/tasks/{task.pk}/",  # the assigner's forms
        ):
            page.goto(live_server.url + path)
            assert _violations(page) == [], path
    finally:
        context.close()
