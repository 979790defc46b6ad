"""E-supervision's anomalies on crafted case histories: each rule raises its signal once, a
clean case raises nothing, the time-based ones count working days across National Day, and
the monthly score loses the anomalies' deductions."""

from __future__ import annotations

import datetime
import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from egov.cases import ratings
from egov.cases import services as cases
from egov.cases.models import CaseEvent, PaymentNotice
from egov.core import timers
from egov.core.models import Timer
from egov.directory.models import Organisation
from egov.supervision import anomalies, scores, summary
from egov.supervision.models import Signal

pytestmark = pytest.mark.django_db


def codes(case) -> list[str]:
    return sorted(
        Signal.objects.filter(subject_type="cases.case", subject_id=str(case.pk)).values_list(
            "code", flat=True
        )
    )


def event(case, action, step="", reason="", **detail):
    CaseEvent.objects.create(
        case=case, action=action, step=step, to_status=case.status, reason=reason, detail=detail
    )


def test_a_clean_case_raises_nothing(promised_version, staff, new_case):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"])
    cases.review(case, by=staff["reviewer"], comment="材料齐全")
    cases.decide(case, by=staff["approver"], outcome="grant")
    cases.close(case, by=staff["clerk"])
    assert anomalies.check_case(case) == [] and codes(case) == []


def test_a_refusal_without_a_reason_is_raised_once(promised_version, new_case):
    case = new_case(promised_version)
    event(case, "refuse_acceptance", reason="不符合")  # under 10 characters
    assert anomalies.check_case(case) == ["case.refusal_without_reason"]
    assert anomalies.check_case(case) == []  # once
    signal = Signal.objects.get(code="case.refusal_without_reason")
    assert signal.kind == "anomaly" and signal.body_id == case.body_id


def test_a_skipped_step_is_a_red_card(promised_version, new_case):
    case = new_case(promised_version)
    event(case, "accept", step="accept")
    event(case, "decide", step="decide", decision="grant")  # 审查 skipped
    assert anomalies.check_case(case) == ["case.step_out_of_order"]
    assert Signal.objects.get(code="case.step_out_of_order").kind == "red"


def test_pause_without_reason_repeated_correction_and_a_fee_off_standard(
    promised_version, staff, new_case
):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"])
    event(case, "pause", reason="")
    first = timezone.localdate() + datetime.timedelta(days=10)
    cases.request_correction(case, by=staff["clerk"], items=["缺少签名"], deadline=first)
    cases.answer_correction(case, by=staff["clerk"], note="已补")
    cases.request_correction(  # the head allowed a second request: still an anomaly
        case, by=staff["head"], items=["再补一份"], deadline=first, override=True
    )
    PaymentNotice.objects.create(
        case=case,
        number="X-1",
        amount=Decimal("30.00"),  # the item's standard is 20.00
        issued_on=timezone.localdate(),
        expires_on=first,
    )
    assert anomalies.check_case(case) == [
        "case.pause_without_reason",
        "case.correction_repeated",
        "case.fee_off_standard",
    ]


def test_window_handling_of_a_fully_online_item_and_a_bad_rating(
    promised_version, staff, new_case, django_capture_on_commit_callbacks
):
    case = new_case(promised_version, channel="window")  # depth 4 in the fixture
    with django_capture_on_commit_callbacks(execute=True):  # raised at once, on commit
        cases.accept(case, by=staff["clerk"])
    assert codes(case) == ["case.offline_for_online_item"]
    with django_capture_on_commit_callbacks(execute=True):
        ratings.receive_rating(case, score=1, comment="很差", rated_at=timezone.now())
    assert codes(case) == ["case.bad_rating", "case.offline_for_online_item"]


def test_not_accepted_in_time_counts_working_days_across_national_day(promised_version, new_case):
    case = new_case(promised_version)
    submitted = timezone.make_aware(datetime.datetime(2026, 9, 30, 10))
    type(case).objects.filter(pk=case.pk).update(submitted_at=submitted)
    # 8 October is the first working day after the holiday: one working day has passed.
    assert anomalies.sweep_cases(date(2026, 10, 8)) == 0
    assert anomalies.sweep_cases(date(2026, 10, 9)) == 1  # two working days: raised
    assert anomalies.sweep_cases(date(2026, 10, 9)) == 0  # a second sweep: nothing new
    assert codes(case) == ["case.not_accepted_in_time"]


def test_a_pause_too_long_is_raised_by_the_sweep(promised_version, staff, new_case):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 6, 1))
    cases.pause(case, by=staff["head"], kind="expert", reason="专家评审", on=date(2026, 6, 2))
    assert anomalies.sweep_cases(date(2026, 7, 1)) == 0  # 21 working days
    assert anomalies.sweep_cases(date(2026, 9, 30)) == 1  # more than 60
    assert "case.pause_too_long" in codes(case)


def test_the_monthly_score_loses_the_anomalies_deductions(promised_version, new_case):
    case = new_case(promised_version)
    event(case, "refuse_acceptance", reason="不行")
    ratings.receive_rating(case, score=2, comment="不满意", rated_at=timezone.now())
    anomalies.check_case(case)
    body = Organisation.objects.filter(pk=case.body_id)
    [score] = [s for s in scores.monthly_ranking(body, timezone.localdate()) if s.body.pk]
    assert score.score == Decimal("98.50")  # 100 − 0.5 (refusal) − 1 (不满意)


def test_the_dashboard_shows_the_on_time_rate_and_the_ratings(
    client, promised_version, staff, new_case
):
    from django.urls import reverse

    from tests.conftest import login_verified

    today = timezone.localdate()
    on_time, late = new_case(promised_version), new_case(promised_version)
    for case, accepted in ((on_time, today), (late, today - datetime.timedelta(days=60))):
        cases.accept(case, by=staff["head"], on=accepted)
        cases.review(case, by=staff["head"])
        cases.decide(case, by=staff["head"], outcome="grant")
        cases.close(case, by=staff["head"])
    ratings.receive_rating(on_time, score=5, comment="", rated_at=timezone.now())
    ratings.receive_rating(late, score=1, comment="太慢", rated_at=timezone.now())
    login_verified(client, staff["supervisor"])
    page = client.get(reverse("supervision:dashboard")).content.decode()
    this_month = today.strftime("%Y-%m")
    row = page[page.index('id="on-time"') :]
    row = row[row.index(f'<th scope="row">{this_month}</th>') :].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in row.split("<td>")[1:]]
    assert cells == ["2", "1", "1", "50.0 %"]  # closed, on time, late, the rate
    ratings_table = page[page.index('id="ratings"') :].split("</table>")[0]
    assert ">1</a>" in ratings_table and "code=case.bad_rating" in ratings_table


def _dashboard(client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.conftest import login_verified

    login_verified(client, staff["supervisor"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("supervision:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def test_the_dashboard_reads_no_signal_row_for_its_figures_anomalies_included(
    client, promised_version, staff, new_case
):
    """Totals, trend, open cards by body, anomalies by type (this year) and the month's
    scores (anomalies deducted) all come from the monthly summary of the signals
    (decision 0020), none from the signals themselves."""
    today = timezone.localdate()
    this_month, last_year = today.replace(day=1), date(today.year - 1, 12, 31)
    case = new_case(promised_version)
    raised = [  # (code, day)
        ("case.bad_rating", today),
        ("case.bad_rating", date(today.year, 1, 1)),  # this year; this month only in January
        ("case.bad_rating", last_year),
        ("case.refusal_without_reason", today),
        ("case.not_accepted_in_time", last_year),
    ]
    for n, (code, day) in enumerate(raised):
        Signal.objects.create(
            kind="anomaly",
            code=code,
            body_id=case.body_id,
            subject_type="cases.case",
            subject_id=f"{case.pk}-{n}",
            raised_on=day,
            raised_at=timezone.now(),
        )
    Signal.objects.create(  # a red card of a timer this month
        kind="red",
        code="timer.red",
        body_id=case.body_id,
        subject_type="cases.case",
        subject_id=str(case.pk),
        raised_on=today,
        raised_at=timezone.now(),
    )
    summary.rebuild()  # signals made by hand, around the verbs: the nightly rebuild counts them
    response, queries = _dashboard(client, staff)

    def reads(table):
        return [sql for sql in queries if sql.split(' FROM "', 1)[-1].startswith(f'{table}"')]

    assert reads("supervision_signal") == []
    assert len(reads("supervision_signalmonth")) == 5  # one small aggregate per figure
    context = response.context
    assert context["totals"]["open"] == 6
    assert [(row["code"], row["count"]) for row in context["anomaly_table"]] == [
        ("case.bad_rating", 2),
        ("case.refusal_without_reason", 1),
    ]
    this_months_trend = context["trend_table"][-1]
    assert this_months_trend["month"] == this_month and this_months_trend["counts"] == [0, 0, 1]
    points = {"case.bad_rating": Decimal("1.00"), "case.refusal_without_reason": Decimal("0.50")}
    lost = Decimal("1.50") + sum(  # the red card, and this month's anomalies
        points.get(code, 0) for code, day in raised if day >= this_month
    )
    [item] = [item for item in context["ranking"] if item.body.pk == case.body_id]
    assert item.score == Decimal("100") - lost
    assert item.counts["anomaly:case.bad_rating"] == (2 if today.month == 1 else 1)


def test_the_dashboards_windows_start_at_local_midnight(client, promised_version, staff, new_case):
    """The on-time table's window starts at local midnight of its first month, the ratings'
    at local midnight of 1 January (Beijing time): a case closed, or rated, at 00:30 that day
    (16:30 UTC the day before) is in it; a rating at 23:30 on 31 December is not."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    closed, rated, rated_before = (
        cases.accept(new_case(promised_version), by=staff["clerk"]) for _ in range(3)
    )
    stopped = timezone.make_aware(datetime.datetime.combine(first, datetime.time(0, 30)))
    assert stopped.astimezone(datetime.UTC).date() < first
    Timer.objects.filter(pk=closed.timer_id).update(due_date=first)
    timers.stop_timer(Timer.objects.get(pk=closed.timer_id), reason="closed", at=stopped)
    new_year = datetime.datetime(today.year, 1, 1, 0, 30)
    for case, rated_at, score in (
        (rated, new_year, 4),
        (rated_before, new_year - datetime.timedelta(hours=1), 3),
    ):
        ratings.receive_rating(
            case, score=score, comment="", rated_at=timezone.make_aware(rated_at)
        )
    response, _queries = _dashboard(client, staff)
    row = response.context["on_time_table"][0]
    assert row["month"] == first
    assert (row["closed"], row["on_time"], row["late"]) == (1, 1, 0)
    counted = {row["score"]: row["count"] for row in response.context["rating_table"]}
    assert counted == {5: 0, 4: 1, 3: 0, 2: 0, 1: 0}
