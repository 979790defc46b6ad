"""A resident comments on a draft and answers a survey in a real browser without JavaScript;
axe-core (WCAG 2.1 A/AA) finds nothing on the consultation (with the comment form, and with
its errors), the survey form and the results page (where the charts are drawn), in normal
and elder-friendly mode."""

from __future__ import annotations

import datetime

import pytest

from egov.interaction import participation
from egov.interaction.models import Comment, SurveyResponse
from tests.hall.conftest import citizen

from .test_browser import _axe_both_modes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


def test_a_resident_comments_and_answers_a_survey(live_server, browser, staff, bodies, clock):
    clock(D(2026, 4, 10))
    manager = staff["office_head"]
    draft = participation.publish_consultation(
        body=bodies["YC-ZF"],
        by=manager,
        title="永川区公共交通发展规划（征求意见稿）",
        text="第一条 为促进公共交通优先发展，制定本规划。",
        opens_on=D(2026, 4, 1),
        closes_on=D(2026, 4, 30),
    )
    survey = participation.publish_survey(
        body=bodies["YC-ZF"],
        by=manager,
        title="公交出行满意度调查",
        description="请花一分钟回答。",
        opens_on=D(2026, 4, 1),
        closes_on=D(2026, 4, 30),
        questions=[
            {"kind": "single", "text": "您多久乘坐一次公交？", "choices": ["每天", "每周", "很少"]},
            {"kind": "multiple", "text": "您希望增加哪些线路？", "choices": ["城区", "乡镇"]},
            {"kind": "text", "text": "其他建议", "required": False},
        ],
    )
    citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/accounts/login/?next=/interaction/consultations/{draft.pk}/")
        page.fill("input[name=username]", "13912345678")
        page.fill("input[name=password]", "Citizen-test-2026")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert f"/interaction/consultations/{draft.pk}/" in page.url
        assert _axe_both_modes(browser, page.url, context.cookies()) == []

        page.fill("textarea[name=text]", "好")  # too short: refused, kept
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#id_text_error").count() == 1
        assert page.input_value("textarea[name=text]") == "好"
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.fill("textarea[name=text]", "建议增加夜班公交线路。")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert Comment.objects.get().status == Comment.Status.HELD

        page.goto(live_server.url + "/interaction/consultations/")
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.goto(live_server.url + f"/interaction/surveys/{survey.pk}/")
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.click("main form button[type=submit]")  # nothing chosen: refused
        page.wait_for_load_state()
        assert page.locator(".errors").count() >= 2
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.check("text=每周")
        page.check("text=城区")
        page.check("text=乡镇")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert f"/interaction/surveys/{survey.pk}/results/" in page.url
        assert SurveyResponse.objects.count() == 1
        table = page.locator("main table").first.inner_text()
        assert "每周" in table and "100.0%" in table
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
        page.goto(live_server.url + "/interaction/surveys/")
        assert _axe_both_modes(browser, page.url, context.cookies()) == []
    finally:
        context.close()


def test_the_results_chart_is_drawn_with_javascript(live_server, browser, staff, bodies, clock):
    clock(D(2026, 4, 10))
    survey = participation.publish_survey(
        body=bodies["YC-ZF"],
        by=staff["office_head"],
        title="公交出行满意度调查",
        description="",
        opens_on=D(2026, 4, 1),
        closes_on=D(2026, 4, 30),
        questions=[{"kind": "single", "text": "您多久乘坐一次公交？", "choices": ["每天", "很少"]}],
    )
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(live_server.url + f"/interaction/surveys/{survey.pk}/results/")
        page.wait_for_selector("[data-survey-chart] canvas")
        assert errors == []  # nothing refused by the Content-Security-Policy
    finally:
        context.close()
