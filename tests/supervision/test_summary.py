"""The monthly summaries (egov.supervision.summary) against the raw rows they count: after
each sweep (a second one adds nothing), ``check_timer``, the anomaly checks, explaining and
closing, cases closed on time and late (by the local date), ratings (by the local month); the nightly rebuild
finds the same rows and heals rows written around the verbs; the dashboard's figures from
the summaries are the raw counts, for a supervisor and for a body's own staff."""

import datetime
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from egov.cases import ratings
from egov.cases import services as cases
from egov.cases.models import CaseRating
from egov.core import timers
from egov.core.models import Timer
from egov.supervision import anomalies, check_timer, summary, sweep
from egov.supervision.models import ClosedMonth, RatingMonth, Signal, SignalMonth
from egov.supervision.services import SupervisionError, close_signal, explain_signal
from egov.supervision.views import visible_signals
from tests.cases.conftest import (  # noqa: F401 - fixtures
    bodies,
    exchange_here,
    make_item,
    make_staff,
    new_case,
    pdf_bytes,
    png_bytes,
    promised_version,
    staff,
)
from tests.conftest import login_verified
from tests.supervision.conftest import make_timer

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)


def aware(day: date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


def kept(model, key=None) -> dict:
    """The summary's rows (those that count something): key → n."""
    key = key or summary.KEYS[model._meta.label]
    return {tuple(row[k] for k in key): row["n"] for row in model.objects.values(*key, "n")}


def nonzero(rows: dict) -> dict:
    return {key: n for key, n in rows.items() if n}


def raw_signals(queryset=None) -> dict:
    rows = (
        (Signal.objects.all() if queryset is None else queryset)
        .values("raised_on", "body_id", "kind", "code", "status", "deducts")
        .annotate(n=Count("*"))
        .order_by()
    )
    found = Counter()
    for r in rows:
        month = r["raised_on"].replace(day=1)
        found[(month, r["body_id"] or 0, r["kind"], r["code"], r["status"], r["deducts"])] += r["n"]
    return dict(found)


def raw_closed() -> dict:
    found = Counter()
    for timer in Timer.objects.filter(purpose="cases.promised", stop_reason="closed"):
        day = timezone.localdate(timer.stopped_at)
        found[(day.replace(day=1), timer.owner_body_id or 0, day <= timer.due_date)] += 1
    return dict(found)


def raw_ratings() -> dict:
    found = Counter()
    for rating in CaseRating.objects.select_related("case"):
        month = timezone.localdate(rating.rated_at).replace(day=1)
        found[(month, rating.case.body_id, rating.score)] += 1
    return dict(found)


def assert_exact():
    """Every summary equals the raw counts, and the nightly rebuild changes nothing."""
    assert nonzero(kept(SignalMonth)) == raw_signals()
    assert nonzero(kept(ClosedMonth)) == raw_closed()
    assert nonzero(kept(RatingMonth)) == raw_ratings()
    before = [nonzero(kept(model)) for model in (SignalMonth, ClosedMonth, RatingMonth)]
    summary.rebuild()
    assert [kept(model) for model in (SignalMonth, ClosedMonth, RatingMonth)] == before


def test_the_sweep_counts_what_it_raises_and_a_second_sweep_adds_nothing(bodies):  # noqa: F811
    scjg, mzj = bodies["YC-SCJG"], bodies["YC-MZJ"]
    make_timer(date(2026, 9, 30), body=scjg)
    make_timer(date(2026, 9, 30), body=scjg)
    make_timer(date(2026, 10, 9), body=mzj)  # due today: a warning
    make_timer(date(2026, 9, 30))  # no body
    make_timer(date(2026, 9, 30), body=mzj, paused_at=date(2026, 9, 29))  # paused: nothing
    make_timer(date(2026, 9, 30), body=mzj, stopped=True)  # stopped: nothing
    day = date(2026, 10, 9)
    assert sweep(today=day).total == 7
    rows = nonzero(kept(SignalMonth))
    assert rows == raw_signals()
    assert rows[(OCTOBER, scjg.pk, "yellow", "timer.yellow", "open", True)] == 2
    assert rows[(OCTOBER, scjg.pk, "red", "timer.red", "open", True)] == 2
    assert rows[(OCTOBER, mzj.pk, "warning", "timer.warning", "open", True)] == 1
    assert rows[(OCTOBER, 0, "red", "timer.red", "open", True)] == 1
    assert sweep(today=day).total == 0  # idempotent: the summary too
    assert nonzero(kept(SignalMonth)) == rows
    # The next working day: new signals of that day only.
    sweep(today=date(2026, 10, 12))
    assert nonzero(kept(SignalMonth)) == raw_signals() != rows
    assert_exact()


def test_check_timer_counts_its_signals(bodies):  # noqa: F811
    timer = make_timer(date(2026, 9, 30), body=bodies["YC-SCJG"])
    assert check_timer(timer, today=date(2026, 10, 9)).total == 2
    assert check_timer(timer, today=date(2026, 10, 9)).total == 0
    assert nonzero(kept(SignalMonth)) == raw_signals()
    assert sum(kept(SignalMonth).values()) == 2


def test_explaining_and_closing_move_a_signal_to_its_new_key(bodies, staff):  # noqa: F811
    scjg = bodies["YC-SCJG"]
    for _ in range(3):
        make_timer(date(2026, 9, 30), body=scjg)
    day = date(2026, 10, 9)
    sweep(today=day)
    yellow = list(Signal.objects.filter(kind="yellow").order_by("pk"))
    explain_signal(yellow[0], text="系统时限配置错误", by=staff["head"])
    close_signal(yellow[1], reason="时限计算错误", by=staff["supervisor"], deducts=False)
    close_signal(yellow[0], reason="已核实", by=staff["supervisor"])  # explained → closed
    with pytest.raises(SupervisionError):
        close_signal(yellow[0], reason="再次关闭", by=staff["supervisor"])  # nothing moves
    with pytest.raises(SupervisionError):
        close_signal(yellow[2], reason="", by=staff["supervisor"])  # refused: no reason
    rows = nonzero(kept(SignalMonth))
    assert rows == raw_signals()
    key = (OCTOBER, scjg.pk, "yellow", "timer.yellow")
    assert rows[(*key, "open", True)] == 1
    assert rows[(*key, "closed", True)] == 1
    assert rows[(*key, "closed", False)] == 1
    assert (*key, "explained", True) not in rows  # emptied (n = 0) when it moved on
    assert_exact()


def test_anomalies_are_counted_by_the_checks_and_by_the_sweep(
    promised_version,  # noqa: F811
    staff,  # noqa: F811
    new_case,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    window = new_case(promised_version, channel="window")  # an online-only item at the window
    with django_capture_on_commit_callbacks(execute=True):
        cases.accept(window, by=staff["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        ratings.receive_rating(window, score=1, comment="很差", rated_at=timezone.now())
    waiting = new_case(promised_version)
    type(waiting).objects.filter(pk=waiting.pk).update(submitted_at=aware(date(2026, 9, 30), 10))
    assert anomalies.sweep_cases(date(2026, 10, 9)) == 1
    assert anomalies.sweep_cases(date(2026, 10, 9)) == 0
    codes = {key[3]: n for key, n in nonzero(kept(SignalMonth)).items()}
    assert codes == {
        "case.offline_for_online_item": 1,
        "case.bad_rating": 1,
        "case.not_accepted_in_time": 1,
    }
    assert sum(kept(RatingMonth).values()) == 1
    assert_exact()


def test_closed_cases_are_counted_by_local_date_on_time_or_late(bodies):  # noqa: F811
    scjg, mzj = bodies["YC-SCJG"], bodies["YC-MZJ"]
    due = date(2026, 10, 9)

    def case_timer(body, due=due):
        return make_timer(due, body=body, purpose="cases.promised")

    # 23:30 on the due day in Chongqing (15:30 UTC): on time, that day.
    timers.stop_timer(case_timer(scjg), reason="closed", at=aware(due, 23, 30))
    # 00:30 the next day in Chongqing (still the 9th in UTC): late.
    timers.stop_timer(case_timer(scjg), reason="closed", at=aware(date(2026, 10, 10), 0, 30))
    timers.stop_timer(case_timer(mzj), reason="closed", at=aware(date(2026, 10, 8), 9))
    # 00:30 on 1 November in Chongqing (31 October in UTC): a late case of November.
    late = case_timer(mzj, due=date(2026, 10, 30))
    timers.stop_timer(late, reason="closed", at=aware(NOVEMBER, 0, 30))
    timers.stop_timer(case_timer(mzj), reason="withdrawn", at=aware(due, 9))  # not closed
    timers.stop_timer(make_timer(due, body=mzj), reason="closed", at=aware(due, 9))  # no case
    assert (
        nonzero(kept(ClosedMonth))
        == raw_closed()
        == {
            (OCTOBER, scjg.pk, True): 1,
            (OCTOBER, scjg.pk, False): 1,
            (OCTOBER, mzj.pk, True): 1,
            (NOVEMBER, mzj.pk, False): 1,
        }
    )
    # A full save of a timer stopped before counts nothing again.
    Timer.objects.filter(purpose="cases.promised", stop_reason="closed").first().save()
    assert_exact()


def test_ratings_are_counted_by_the_local_month(promised_version, staff, new_case):  # noqa: F811
    first, second = new_case(promised_version), new_case(promised_version)
    ratings.receive_rating(first, score=5, comment="", rated_at=aware(date(2026, 10, 31), 23, 50))
    # 00:10 on 1 November in Chongqing, still October in UTC: a rating of November.
    ratings.receive_rating(second, score=2, comment="慢", rated_at=aware(NOVEMBER, 0, 10))
    ratings.receive_rating(second, score=5, comment="again", rated_at=timezone.now())  # ignored
    body = first.body_id
    assert (
        nonzero(kept(RatingMonth))
        == raw_ratings()
        == {
            (OCTOBER, body, 5): 1,
            (NOVEMBER, body, 2): 1,
        }
    )
    assert_exact()


def test_the_nightly_rebuild_counts_rows_written_around_the_verbs(bodies):  # noqa: F811
    scjg = bodies["YC-SCJG"]
    make_timer(date(2026, 9, 30), body=scjg)
    sweep(today=date(2026, 10, 9))
    Signal.objects.create(  # e.g. imported in SQL: the verbs never saw it
        kind="anomaly",
        code="case.bad_rating",
        body=scjg,
        subject_type="cases.case",
        subject_id="999",
        raised_on=date(2026, 10, 1),
        raised_at=aware(date(2026, 10, 1), 9),
    )
    assert nonzero(kept(SignalMonth)) != raw_signals()
    written = summary.rebuild()
    assert written == {"SignalMonth": 3, "ClosedMonth": 0, "RatingMonth": 0}
    assert kept(SignalMonth) == raw_signals()
    summary.rebuild()  # twice: the same rows
    assert kept(SignalMonth) == raw_signals()


@pytest.mark.parametrize("who", ["supervisor", "head"])
def test_the_dashboard_figures_are_the_raw_counts(
    client,
    promised_version,  # noqa: F811
    staff,  # noqa: F811
    new_case,  # noqa: F811
    bodies,  # noqa: F811
    who,
):
    today = timezone.localdate()
    on_time, late = new_case(promised_version), new_case(promised_version)
    for case, accepted in ((on_time, today), (late, today - datetime.timedelta(days=60))):
        cases.accept(case, by=staff["head"], on=accepted)
        cases.review(case, by=staff["head"])
        cases.decide(case, by=staff["head"], outcome="grant")
        cases.close(case, by=staff["head"])
    ratings.receive_rating(on_time, score=5, comment="", rated_at=timezone.now())
    ratings.receive_rating(late, score=1, comment="太慢", rated_at=timezone.now())
    make_timer(today - datetime.timedelta(days=30), body=bodies["YC-SCJG"])
    make_timer(today - datetime.timedelta(days=30), body=bodies["YC-MZJ"])  # another body
    sweep(today=today)
    red = Signal.objects.filter(kind="red", body=bodies["YC-SCJG"]).first()
    explain_signal(red, text="人手不足", by=staff["head"])
    login_verified(client, staff[who])
    context = client.get(reverse("supervision:dashboard"), **EN).context
    visible = visible_signals(staff[who])
    assert context["totals"] == {
        status: visible.filter(status=status).count() for status in Signal.Status.values
    }
    this_month = next(row for row in context["trend_table"] if row["month"] == today.replace(day=1))
    assert this_month["counts"] == [
        visible.filter(kind=kind, raised_on__gte=today.replace(day=1)).count()
        for kind in ("warning", "yellow", "red")
    ]
    by_body = {row["body_id"]: row["counts"] for row in context["body_table"]}
    expected = {
        body_id: [
            visible.filter(body_id=body_id, kind=kind).exclude(status="closed").count()
            for kind in ("warning", "yellow", "red")
        ]
        for body_id in visible.exclude(status="closed").values_list("body_id", flat=True)
    }
    assert by_body == expected
    if who == "head":  # their own body only
        assert set(by_body) == {bodies["YC-SCJG"].pk}
    else:
        assert set(by_body) == {bodies["YC-SCJG"].pk, bodies["YC-MZJ"].pk}
    [row] = [r for r in context["on_time_table"] if r["month"] == today.replace(day=1)]
    assert (row["closed"], row["on_time"], row["late"]) == (2, 1, 1)
    assert {r["score"]: r["count"] for r in context["rating_table"]} == {
        5: 1,
        4: 0,
        3: 0,
        2: 0,
        1: 1,
    }
    assert_exact()


def test_a_body_without_rights_sees_no_summary_figures(client, bodies, staff):  # noqa: F811
    make_timer(date(2026, 9, 30), body=bodies["YC-MZJ"])
    sweep(today=timezone.localdate())
    login_verified(client, staff["head"])  # 市场监管局's head: another body's signals only
    context = client.get(reverse("supervision:dashboard"), **EN).context
    assert context["totals"] == {"open": 0, "explained": 0, "closed": 0}
    assert context["body_table"] == []
