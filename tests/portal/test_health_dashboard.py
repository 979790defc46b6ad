"""The site health dashboard in the CMS (/cms/health/): who may see it (the district's site
administrators everything, a body's editors their own body's site or section, others
nothing), that its tables hold the figures without JavaScript, the chart data, and the panel
on the CMS home page."""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from egov.portal import services
from egov.portal.inspector.services import inspect_sites
from egov.portal.models import ColumnKind
from egov.portal.models.health import SiteHealthReport
from tests.conftest import login_verified
from tests.portal.conftest import add_column, make_citizen, make_staff
from tests.portal.test_inspector import DAY, age, fill


@pytest.fixture
def client():
    """These tests read the interface's messages in English (the interface is zh-hans first;
    tests/web/test_translations.py proves the Chinese)."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


pytestmark = pytest.mark.django_db

DASHBOARD = "/cms/health/"


@pytest.fixture
def inspected(portal):
    """The portal inspected on two days: a clean first day; then the Qingfeng section with
    five blank columns (it fails, and the portal with it) and Jinlong's news column idle for
    ten days (a warning)."""
    fill(portal)
    now = timezone.now()
    inspect_sites(now - DAY)
    for n in range(5):
        add_column(portal["qingfeng"], f"空栏目{n}", ColumnKind.GENERAL, slug=f"qf-blank-{n}")
    age(portal["jinlong_news"].get_children().first(), 10, now)
    inspect_sites(now)
    return portal


def _editor(username: str, body):
    user = make_staff(username)
    services.grant_editor(user, body)
    return user


def _admin_with_permission():
    user = make_staff("district-webmaster")
    group = Group.objects.create(name="district site administrators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="portal", codename="view_sitehealthreport"),
    )
    user.groups.add(group)
    return user


def _superuser():
    user = make_staff("root")
    user.is_superuser = True
    user.save()
    return user


def _report_url(page) -> str:
    return reverse("portal_health:report", args=[page.pk])


def _rows(html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table is not None, f"no table {table_id}"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.S).group(1)
    return [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _chart_data(html: str) -> dict:
    match = re.search(
        r'<script id="health-chart-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match is not None
    return json.loads(match.group(1))


# --- who may see it ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "permission"])
def test_site_administrators_see_every_site_and_section(client, inspected, who):
    user = _superuser() if who == "superuser" else _admin_with_permission()
    login_verified(client, user)
    response = client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    rows = _rows(html, "health-scores")
    assert len(rows) == 3
    titles = [re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1) for row in rows]
    assert titles == [inspected["home"].title, "青峰镇", "金龙镇"]
    for page in ("home", "qingfeng", "jinlong"):
        assert client.get(_report_url(inspected[page])).status_code == 200


def test_an_editor_sees_only_their_own_bodys_section(client, inspected):
    login_verified(client, _editor("qf-editor", inspected["qingfeng"].body))
    response = client.get(DASHBOARD)

    assert response.status_code == 200
    rows = _rows(response.content.decode(), "health-scores")
    assert len(rows) == 1
    assert "青峰镇" in rows[0]
    assert client.get(_report_url(inspected["qingfeng"])).status_code == 200


@pytest.mark.parametrize("page", ["jinlong", "home"])
def test_an_editor_is_refused_another_bodys_report(client, inspected, page):
    login_verified(client, _editor("qf-editor", inspected["qingfeng"].body))
    response = client.get(_report_url(inspected[page]))
    # Wagtail answers a refused CMS page by sending the user to the CMS home with a message.
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_staff_without_the_permission_or_a_body_are_refused(client, inspected):
    user = make_staff("someone")
    user.groups.add(Group.objects.get(name="Editors"))  # Wagtail's: admin access only
    login_verified(client, user)
    for url in (DASHBOARD, _report_url(inspected["home"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")


def test_visitors_are_sent_to_log_in(client, inspected):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    login_verified(client, make_citizen("citizen"))
    response = client.get(DASHBOARD)
    assert response.status_code in (302, 403)
    assert "Site health" not in response.content.decode()


def test_the_menu_shows_the_dashboard_to_those_who_may_see_it(client, inspected):
    login_verified(client, _editor("qf-editor", inspected["qingfeng"].body))
    assert DASHBOARD in client.get(reverse("wagtailadmin_home")).content.decode()

    client.logout()
    user = make_staff("someone")
    user.groups.add(Group.objects.get(name="Editors"))
    login_verified(client, user)
    assert DASHBOARD not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- the figures ------------------------------------------------------------------------


def test_the_tables_hold_each_score_and_verdict(client, inspected):
    login_verified(client, _superuser())
    html = client.get(DASHBOARD).content.decode()
    reports = {r.page_id: r for r in SiteHealthReport.objects.filter(day=timezone.localdate())}
    rows = _rows(html, "health-scores")
    for row, page in zip(rows, ("home", "qingfeng", "jinlong"), strict=True):
        report = reports[inspected[page].pk]
        assert f'<td class="health-score">{report.score}</td>' in row
        assert ("Failed" in row) == (not report.passed)
    assert not reports[inspected["qingfeng"].pk].passed
    assert reports[inspected["jinlong"].pk].passed
    assert "No blank columns" in rows[1]  # the failed veto, by name

    # The administrator's trend follows the sites (here the portal); sections' trends are on
    # their own reports.
    trend = _rows(html, "health-trend")
    assert len(trend) == 2  # two days inspected, newest first
    assert re.findall(r"<td>(\d+)</td>", trend[0]) == [str(reports[inspected["home"].pk].score)]
    assert re.findall(r"<td>(\d+)</td>", trend[1]) == ["100"]


def test_the_chart_data_matches_the_tables(client, inspected):
    login_verified(client, _superuser())
    html = client.get(DASHBOARD).content.decode()
    data = _chart_data(html)
    reports = {r.title: r for r in SiteHealthReport.objects.filter(day=timezone.localdate())}

    assert data["scores"]["names"] == [inspected["home"].title, "青峰镇", "金龙镇"]
    assert data["scores"]["values"] == [reports[n].score for n in data["scores"]["names"]]
    assert data["scores"]["passed"] == [reports[n].passed for n in data["scores"]["names"]]
    assert data["scores"]["passMark"] == 60
    # The administrator's trend follows the sites (here: the portal).
    assert [s["name"] for s in data["trend"]["series"]] == [inspected["home"].title]
    assert len(data["trend"]["days"]) == 30
    assert data["trend"]["days"][-1] == timezone.localdate().isoformat()
    assert data["trend"]["series"][0]["values"][-2:] == [
        100,
        reports[inspected["home"].title].score,
    ]


def test_the_report_says_what_to_fix_where_and_since_when(client, inspected):
    login_verified(client, _superuser())
    html = client.get(_report_url(inspected["qingfeng"])).content.decode()

    report = SiteHealthReport.objects.get(page=inspected["qingfeng"], day=timezone.localdate())
    assert f'<dd id="health-score">{report.score} ' in html
    assert "Failed" in re.search(r'<dd id="health-verdict">(.*?)</dd>', html, re.S).group(1)
    fixes = _rows(html, "health-findings")
    assert len(fixes) == 5
    blank = inspected["qingfeng"].get_children().get(slug="qf-blank-0")
    edit_url = reverse("wagtailadmin_pages:edit", args=[blank.pk])
    assert any("空栏目0" in row and edit_url in row for row in fixes)
    assert all(timezone.localdate().isoformat() in row for row in fixes)  # since, first found
    checks = _rows(html, "health-checks")
    blank_row = next(row for row in checks if "No blank columns" in row)
    assert "<td>5</td>" in blank_row and "Failed" in blank_row
    consultations = next(row for row in checks if "Consultations" in row)
    assert "Passed" in consultations  # checked: interaction's letters and consultations


def test_an_editor_sees_their_warning_in_the_report_and_on_the_cms_home(client, inspected):
    login_verified(client, _editor("jl-editor", inspected["jinlong"].body))
    report = client.get(_report_url(inspected["jinlong"])).content.decode()
    (warning,) = _rows(report, "health-warnings")
    assert "金龙动态" in warning

    home = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = re.search(r'id="site-health-section".*?</section>', home, re.S)
    assert panel is not None
    assert "金龙动态" in panel.group(0)
    assert "青峰镇" not in panel.group(0)


def test_the_cms_home_of_someone_without_access_has_no_health_panel(client, inspected):
    user = make_staff("someone")
    user.groups.add(Group.objects.get(name="Editors"))
    login_verified(client, user)
    assert (
        'id="site-health-section"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_an_earlier_day_can_be_shown(client, inspected):
    login_verified(client, _superuser())
    yesterday = (timezone.localdate() - DAY).isoformat()
    html = client.get(_report_url(inspected["qingfeng"]) + f"?day={yesterday}").content.decode()
    assert '<dd id="health-score">100 ' in html
    assert client.get(_report_url(inspected["qingfeng"]) + "?day=2001-01-01").status_code == 404
    assert client.get(_report_url(inspected["qingfeng"]) + "?day=nonsense").status_code == 404


def test_before_any_inspection_the_dashboard_says_how_to_run_one(client, portal):
    login_verified(client, _superuser())
    html = client.get(DASHBOARD).content.decode()
    assert "manage.py inspect_sites" in html


# --- no inline script or style, charts served locally -------------------------------------


def test_the_dashboard_has_no_inline_script_and_loads_echarts_locally(client, inspected):
    login_verified(client, _superuser())
    for url in (DASHBOARD, _report_url(inspected["home"])):
        html = client.get(url).content.decode()
        ours = html[html.index('id="health-') :]
        for tag in re.findall(r"<script\b[^>]*>", ours):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert " style=" not in ours
        assert '<script src="/static/portal/vendor/echarts.min.js" defer>' in html
        assert '<script src="/static/portal/js/health-charts.js" defer>' in html
        assert "cdn" not in ours.lower()
        assert 'data-health-chart="trend"' in html


# --- in a real browser ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_charts_draw_under_the_content_security_policy(live_server, browser, client, portal):
    fill(portal)
    for n in range(5):
        add_column(portal["qingfeng"], f"空栏目{n}", ColumnKind.GENERAL, slug=f"qf-blank-{n}")
    inspect_sites(timezone.now() - DAY)
    inspect_sites()
    login_verified(client, _superuser())
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}

    urls = (DASHBOARD, _report_url(portal["qingfeng"]))
    for javascript in (True, False):
        problems = _visit(browser, live_server.url, cookie, urls, javascript)
        ours = ("Content Security Policy", "/static/portal/", "/cms/health/", "echarts")
        assert [p for p in problems if any(part in p for part in ours)] == []


def _visit(browser, base_url: str, cookie: dict, urls, javascript: bool) -> list[str]:
    """Open each page; with JavaScript every chart is drawn, without it the charts stay
    hidden and the tables are there. Returns the errors the browser reported."""
    context = browser.new_context(java_script_enabled=javascript, locale="zh-CN")
    context.add_cookies([{**cookie, "url": base_url}])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    try:
        for url in urls:
            page.goto(base_url + url)
            assert page.locator("#health-trend tbody tr").count() == 2
            charts = page.locator("[data-health-chart]")
            assert charts.count() >= 1
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
