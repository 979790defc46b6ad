"""The supervision pages: who sees what (allowed and refused), explaining and closing (the
reason required, audited), scores, Excel exports, charts with their data tables."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from egov.core.models import AuditEntry
from egov.directory.models import Organisation
from egov.supervision import sweep
from egov.supervision.models import Deduction, GradeThreshold, Signal
from egov.supervision.scores import grade_for, monthly_ranking, quarterly_ranking
from tests.conftest import login_verified
from tests.supervision.conftest import make_timer, staff

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def signals(bodies):
    """Overdue timers of two bodies swept in October 2026: yellow and red cards for each."""
    make_timer(date(2026, 9, 30), body=bodies["T-SCJG"])
    make_timer(date(2026, 9, 30), body=bodies["T-SCJG"])
    make_timer(date(2026, 9, 30), body=bodies["T-FGW"])
    sweep(today=date(2026, 10, 9))  # each: a yellow and a red card
    return {
        "scjg": list(Signal.objects.filter(body=bodies["T-SCJG"]).order_by("pk")),
        "fgw": list(Signal.objects.filter(body=bodies["T-FGW"]).order_by("pk")),
    }


@pytest.fixture
def supervisor(bodies):
    return staff("supervisor1", (bodies["T-JL"], "supervisor"))


@pytest.fixture
def scjg_head(bodies):
    return staff("scjg_head", (bodies["T-SCJG"], "office_head"))


def test_pages_need_a_two_factor_login(client, signals):
    response = client.get(reverse("supervision:signals"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_login_without_the_second_factor_is_sent_to_two_factor(client, supervisor, signals):
    client.force_login(supervisor)
    response = client.get(reverse("supervision:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:two_factor") in response["Location"]


def test_staff_without_the_role_are_refused(client, bodies, signals):
    clerk = staff("clerk", (bodies["T-SCJG"], "window_clerk"))
    login_verified(client, clerk)
    for name in ("dashboard", "signals", "scores"):
        assert client.get(reverse(f"supervision:{name}"), **EN).status_code == 403
    signal = signals["scjg"][0]
    assert client.get(reverse("supervision:signal", args=[signal.pk])).status_code == 403


def test_the_supervisor_sees_every_body(client, supervisor, signals):
    login_verified(client, supervisor)
    response = client.get(reverse("supervision:signals"), **EN)
    assert response.status_code == 200
    shown = {s.pk for s in response.context["page"].object_list}
    assert shown == {s.pk for s in signals["scjg"] + signals["fgw"]}
    for signal in signals["fgw"]:
        assert client.get(reverse("supervision:signal", args=[signal.pk])).status_code == 200


def test_a_body_sees_its_own_signals_only(client, scjg_head, signals):
    login_verified(client, scjg_head)
    response = client.get(reverse("supervision:signals"), **EN)
    assert response.status_code == 200
    shown = {s.pk for s in response.context["page"].object_list}
    assert shown == {s.pk for s in signals["scjg"]}
    other = signals["fgw"][0]
    assert client.get(reverse("supervision:signal", args=[other.pk])).status_code == 404
    # Filtering by the other body, or posting to its signal, shows and changes nothing.
    response = client.get(reverse("supervision:signals"), {"body": other.body_id}, **EN)
    assert not list(response.context["page"].object_list)
    response = client.post(reverse("supervision:explain", args=[other.pk]), {"text": "not mine"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Signal.Status.OPEN
    # The dashboard and the scores show only its own body.
    response = client.get(reverse("supervision:scores"), **EN)
    assert [item.body.code for item in response.context["monthly"]] == ["T-SCJG"]
    response = client.get(reverse("supervision:dashboard"), **EN)
    assert [row["name"] for row in response.context["body_table"]] == ["测试市场监管局"]


def test_the_filters(client, supervisor, signals, bodies):
    login_verified(client, supervisor)
    url = reverse("supervision:signals")
    response = client.get(url, {"kind": "red", "body": bodies["T-SCJG"].pk}, **EN)
    assert {s.pk for s in response.context["page"].object_list} == {
        s.pk for s in signals["scjg"] if s.kind == "red"
    }
    response = client.get(url, {"month": "2026-09"}, **EN)
    assert not list(response.context["page"].object_list)
    response = client.get(url, {"month": "2026-10", "status": "open"}, **EN)
    assert response.context["page"].paginator.count == 6


def test_the_body_explains_and_the_supervisor_closes_audited(
    client, scjg_head, supervisor, signals
):
    signal = signals["scjg"][0]
    login_verified(client, scjg_head)
    page = client.get(reverse("supervision:signal", args=[signal.pk]), **EN)
    assert page.context["explain_form"] is not None and page.context["close_form"] is None
    response = client.post(
        reverse("supervision:explain", args=[signal.pk]),
        {"text": "国庆假期前材料不全，已补正。"},
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == Signal.Status.EXPLAINED
    assert signal.explained_by == scjg_head
    # The body cannot close its own signal.
    response = client.post(reverse("supervision:close", args=[signal.pk]), {"reason": "done"})
    assert response.status_code == 403

    client.logout()
    login_verified(client, supervisor)
    url = reverse("supervision:close", args=[signal.pk])
    response = client.post(url, {"reason": "   "}, **EN)
    assert response.status_code == 400
    assert "Give the reason for closing this signal" in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == Signal.Status.EXPLAINED
    # A supervisor without the explain permission cannot explain.
    response = client.post(reverse("supervision:explain", args=[signal.pk]), {"text": "x" * 20})
    assert response.status_code == 403

    response = client.post(url, {"reason": "补正合理，核实无误。", "unfounded": "on"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.closed_by, signal.deducts) == ("closed", supervisor, False)
    actions = list(
        AuditEntry.objects.filter(object_id=str(signal.pk), object_type="supervision.signal")
        .order_by("id")
        .values_list("action", "actor_id", "body_id")
    )
    assert actions == [
        ("supervision.signal.explained", scjg_head.pk, signal.body_id),
        ("supervision.signal.closed", supervisor.pk, signal.body_id),
    ]
    # Closed is final.
    response = client.post(url, {"reason": "again, twice"})
    assert response.status_code == 400
    assert Signal.objects.filter(pk=signal.pk, status="closed").count() == 1


def test_the_detail_shows_the_timeline(client, supervisor, signals):
    login_verified(client, supervisor)
    signal = signals["scjg"][1]
    response = client.get(reverse("supervision:signal", args=[signal.pk]), **EN)
    html = response.content.decode()
    assert "Started: 10 working days" in html
    assert "2026-09-30" in html and "Signal raised: yellow card" in html
    assert "Close the signal" in html


def test_scores_and_grades(bodies, signals):
    ranking = monthly_ranking(Organisation.objects.all(), date(2026, 10, 1))
    by_code = {item.body.code: item for item in ranking}
    assert by_code["T-SCJG"].score == Decimal("95.00")  # 2 × (−1 − 1.5)
    assert by_code["T-FGW"].score == Decimal("97.50")
    assert [item.body.code for item in ranking] == ["T-FGW", "T-SCJG"]
    assert [item.rank for item in ranking] == [1, 2]
    assert "T-JL" not in by_code  # owns no timer
    september = monthly_ranking(Organisation.objects.all(), date(2026, 9, 1))
    assert {item.score for item in september} == {Decimal("100")}

    quarter = {
        item.body.code: item
        for item in quarterly_ranking(
            Organisation.objects.all(), date(2026, 10, 1), date(2026, 12, 31)
        )
    }
    assert quarter["T-SCJG"].score == Decimal("98.33")  # (95 + 100 + 100) / 3
    assert quarter["T-SCJG"].grade == "excellent"
    # Configurable: heavier deductions, a stricter grade.
    Deduction.objects.filter(code="signal:red").update(points=Decimal("10"))
    GradeThreshold.objects.filter(grade="excellent").update(min_score=Decimal("99"))
    ranking = monthly_ranking(Organisation.objects.all(), date(2026, 10, 1))
    assert {item.body.code: item.score for item in ranking}["T-SCJG"] == Decimal("78.00")
    assert grade_for(Decimal("98.33")) == "good"
    assert grade_for(Decimal("69.99")) == "fail"


def test_an_unfounded_signal_is_not_deducted(bodies, signals, supervisor):
    from egov.supervision.services import close_signal

    red = next(s for s in signals["fgw"] if s.kind == "red")
    close_signal(red, reason="时限计算错误", by=supervisor, deducts=False)
    ranking = monthly_ranking(Organisation.objects.all(), date(2026, 10, 1))
    assert {item.body.code: item.score for item in ranking}["T-FGW"] == Decimal("99.00")


def test_closing_without_a_reason_is_refused_by_the_service(signals, supervisor):
    from egov.supervision.services import SupervisionError, close_signal

    with pytest.raises(SupervisionError, match="reason"):
        close_signal(signals["fgw"][0], reason="", by=supervisor)
    assert not Signal.objects.filter(status="closed").exists()


def _workbook(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content), read_only=True).active


def test_excel_export_of_the_signal_list(client, supervisor, scjg_head, signals):
    login_verified(client, supervisor)
    sheet = _workbook(client.get(reverse("supervision:signals"), {"format": "xlsx"}, **EN))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ID", "Kind", "Code")
    assert {row[0] for row in rows[1:]} == {s.pk for s in signals["scjg"] + signals["fgw"]}
    # The export is filtered and scoped like the page.
    client.logout()
    login_verified(client, scjg_head)
    sheet = _workbook(client.get(reverse("supervision:signals"), {"format": "xlsx"}, **EN))
    assert {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]} == {
        s.pk for s in signals["scjg"]
    }


def test_excel_export_of_scores_and_dashboard(client, supervisor, signals):
    login_verified(client, supervisor)
    url = reverse("supervision:scores")
    rows = list(
        _workbook(client.get(url, {"month": "2026-10", "format": "xlsx"}, **EN)).iter_rows(
            values_only=True
        )
    )
    assert rows[0][0] == "Rank"
    assert [(row[1], row[3]) for row in rows[1:]] == [("T-FGW", 97.5), ("T-SCJG", 95)]
    rows = list(
        _workbook(
            client.get(url, {"month": "2026-10", "table": "quarter", "format": "xlsx"}, **EN)
        ).iter_rows(values_only=True)
    )
    assert rows[0][-1] == "Grade" and len(rows) == 3
    rows = list(
        _workbook(
            client.get(
                reverse("supervision:dashboard"), {"table": "bodies", "format": "xlsx"}, **EN
            )
        ).iter_rows(values_only=True)
    )
    assert rows[1:] == [("测试市场监管局", 0, 2, 2), ("测试发改委", 0, 1, 1)]


def test_the_dashboard_has_charts_and_their_tables(client, supervisor, signals):
    login_verified(client, supervisor)
    response = client.get(reverse("supervision:dashboard"), **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="/static/portal/vendor/echarts.min.js"' in html
    assert 'id="supervision-chart-data"' in html
    assert 'data-supervision-chart="trend"' in html and '<table id="trend">' in html
    assert '<table id="bodies">' in html and '<table id="ranking">' in html
    assert "<script>" not in html  # no inline script (CSP)
    data = response.context["chart_data"]
    assert data["bodies"]["names"] == ["测试市场监管局", "测试发改委"]
    assert data["bodies"]["series"] == [[0, 0], [2, 1], [2, 1]]
