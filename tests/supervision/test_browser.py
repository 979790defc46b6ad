"""The supervisor's dashboard in a real browser: the charts draw under the Content-Security-
Policy, without JavaScript the tables are there and the charts stay hidden; axe-core finds
no WCAG 2.1 A/AA violation on the dashboard, the signal list, a signal, the scores, the
cases behind a figure and the supervision notices (督办)."""

from datetime import date

import pytest

from egov.supervision import sweep
from egov.supervision.models import Signal
from tests.conftest import login_verified
from tests.e2e.test_accessibility import _violations
from tests.supervision.conftest import make_timer, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session_cookie(client, bodies):
    for body in bodies.values():
        make_timer(date(2026, 9, 30), body=body)
    make_timer(date(2026, 10, 9), body=bodies["T-SCJG"])
    sweep(today=date(2026, 10, 9))
    login_verified(client, staff("supervisor-browser", (bodies["T-JL"], "supervisor")))
    return {"name": "sessionid", "value": client.cookies["sessionid"].value}


def _context(browser, live_server, cookie, javascript=True):
    context = browser.new_context(java_script_enabled=javascript, locale="zh-CN")
    context.add_cookies([{**cookie, "url": live_server.url}])
    return context


def _visit_dashboard(browser, live_server, cookie, javascript: bool) -> list[str]:
    """Open the dashboard; with JavaScript every chart is drawn, without it the charts stay
    hidden and the tables are there. Returns the errors the browser reported."""
    context = _context(browser, live_server, cookie, javascript)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    try:
        page.goto(live_server.url + "/staff/supervision/")
        assert page.locator("#trend tbody tr").count() == 12
        assert page.locator("#bodies tbody tr").count() == 3
        charts = page.locator("[data-supervision-chart]")
        assert charts.count() == 5  # signals, bodies, on-time rate, ratings, scores
        for index in range(charts.count()):
            chart = charts.nth(index)
            if javascript:
                chart.locator("canvas").wait_for()
                assert chart.bounding_box()["height"] > 100
            else:
                assert not chart.is_visible()
    finally:
        context.close()
    return problems


def test_the_dashboard_charts_draw_and_the_tables_stand_without_javascript(
    live_server, browser, session_cookie
):
    ours = ("Content Security Policy", "/static/", "/staff/supervision/", "echarts")
    for javascript in (True, False):
        problems = _visit_dashboard(browser, live_server, session_cookie, javascript)
        assert [p for p in problems if any(part in p for part in ours)] == []


def test_supervision_pages_have_no_axe_violations(live_server, browser, session_cookie):
    signal = Signal.objects.filter(kind="red").first()
    context = _context(browser, live_server, session_cookie)
    page = context.new_page()
    try:
        for path in (
            "/staff/supervision/",
            "/staff/supervision/signals/",
            f"/staff/supervision/signals/{signal.pk}/",
            "/staff/supervision/scores/?month=2026-10",
            "/staff/supervision/cases/?figure=raised&month=2026-10&kind=red",
            "/staff/supervision/cases/?figure=score",  # a link that names no figure
        ):
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            assert _violations(page) == [], path
        # A refused close (no reason) shows its error accessibly too.
        page.goto(live_server.url + f"/staff/supervision/signals/{signal.pk}/")
        page.click("#close ~ form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".field-error").count() == 1
        assert _violations(page) == []
        # A supervision notice (督办) sent from the signal's page, then its own page and list.
        page.goto(live_server.url + f"/staff/supervision/signals/{signal.pk}/")
        page.fill("#notice ~ form textarea", "请于5个工作日内说明超期原因并整改。")
        page.click("#notice ~ form button[type=submit]")
        page.wait_for_load_state()
        assert "/staff/supervision/notices/" in page.url
        assert _violations(page) == [], page.url
        page.goto(live_server.url + "/staff/supervision/notices/")
        assert page.locator("#notices tbody tr").count() == 1
        assert _violations(page) == []
    finally:
        context.close()


def test_a_click_on_a_chart_opens_the_cases_behind_the_figure(live_server, browser, session_cookie):
    """The chart follows the same link as its table: October's yellow cards of the trend."""
    context = _context(browser, live_server, session_cookie)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/staff/supervision/")
        chart = page.locator('[data-supervision-chart="trend"]')
        chart.locator("canvas").wait_for()
        row = page.locator("#trend tbody tr").filter(has_text="2026-10")
        expected = row.locator("td").nth(1).locator("a").get_attribute("href")
        assert "figure=raised" in expected and "kind=yellow" in expected
        index = page.locator("#trend tbody tr").all_inner_texts().index(row.inner_text())
        with page.expect_navigation():
            page.evaluate(
                """([index]) => {
                    const element = document.querySelector('[data-supervision-chart="trend"]');
                    window.echarts.getInstanceByDom(element).trigger(
                        "click", {componentType: "series", dataIndex: index, seriesIndex: 1}
                    );
                }""",
                [index],
            )
        assert page.url == live_server.url + expected.replace("&amp;", "&")
        assert page.locator("h1").inner_text()
    finally:
        context.close()
