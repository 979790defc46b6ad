"""Speed of e-supervision's sweep and dashboard on PostgreSQL, beside a baseline measured in
the same run (a plain ``SELECT count(*)`` over the timers).

    .venv/bin/python benchmarks/supervision.py [--quick] [--timers N] [--closed N]
        [--ratings N] [--postgres URL] [--database NAME] [--keep]

A fresh database (``--database``, default ``egov_bench_supervision``, on the server of
``--postgres``, default ``postgres://postgres@127.0.0.1:5432``) is created and migrated (and
dropped at the end unless ``--keep``), then filled in SQL with
``--timers`` open timers (default 1,000,000; ``--quick``: 100,000) of 100 bodies: 90 % due in
the next 1–60 days, 10 % overdue by 1–40 days, 5 % of all paused; ``--closed`` closed cases
(default 500,000; ``--quick``: 50,000) with their stopped promised limits, one a day to a
year back from today, a seventh of them late; and ``--ratings`` ratings (default 250,000;
``--quick``: 25,000) of those closed cases, every score; and ``--history`` signals of the
past year (default 100,000; ``--quick``: 10,000; every body and kind, mostly closed). "Today" is Monday 12 October 2026,
after National Day (so the thresholds cross the holiday). The rows written in SQL are
counted into the monthly summaries by ``summary.rebuild`` (what the nightly task does; timed).
Figures:

1. baseline: ``SELECT count(*)`` over the timers;
2. first sweep: every signal of the backlog raised at once (the worst case: a new
   installation, or the worker down for weeks);
3. steady sweep: the same day again, nothing new to raise — what the worker does every
   minute;
4. next day's sweep: the signals of one more day; then the anomaly sweep of the cases (a
   case behind every ``cases.promised`` timer, a twentieth not yet accepted): first and
   steady;
5. ``check_timer`` of one timer (what a module calls after a transition);
6. the raw grouped queries the dashboard ran before the monthly summaries (every visible
   signal, the closed timers of 12 months, this year's ratings), for comparison;
7. the dashboard (``/staff/supervision/``) as a supervisor, through Django's test client
   (the whole request: middleware, queries, template), median of 15 after 2 warm-ups; and
   the signal list, the same way. Before the pages, ``VACUUM ANALYZE`` of the signals, as
   autovacuum would do after the sweeps' inserts (a server may run with autovacuum off).

Goals (issue 6): the sweep ≤ 2 s over 1,000,000 open timers, the dashboard ≤ 200 ms. The
load average is printed: on a shared machine expect tens of percent of noise.
Not part of the test suite.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "egov_bench_supervision"  # --database
TODAY = datetime.date(2026, 10, 12)
SWEEP_GOAL = 2.0
DASHBOARD_GOAL = 0.200


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def line(label: str, seconds: float, baseline: float | None = None, goal: float | None = None):
    parts = [f"{label:<44} {seconds * 1000:9.1f} ms"]
    if baseline:
        parts.append(f"×{seconds / baseline:6.1f} the baseline")
    if goal is not None:
        parts.append(f"goal ≤ {goal * 1000:.0f} ms: {'met' if seconds <= goal else 'NOT met'}")
    parts.append(load())
    print("   ".join(parts), flush=True)


def recreate_database(server: str, keep: bool) -> str:
    """A fresh database ``DATABASE`` (kept with ``keep``), its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if exists and not keep:
            connection.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    return f"{server}/{DATABASE}"


def drop_database(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def fill(count: int, closed: int, ratings: int) -> None:
    """Bodies, a supervisor, ``count`` open timers, ``closed`` closed cases and ``ratings``
    ratings, all in SQL."""
    from django.db import connection

    from egov.accounts.models import User
    from egov.core.models import Timer
    from egov.directory.models import Membership, Organisation, Role

    if Timer.objects.exists():
        print(f"reusing {Timer.objects.count():,} timers (--keep)")
        return
    bodies = Organisation.objects.bulk_create(
        Organisation(code=f"B-{n:03d}", name_zh=f"测试单位{n:03d}", kind="department")
        for n in range(100)
    )
    user = User(username="bench-supervisor", email=None, kind=User.Kind.STAFF, is_staff=True)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(
        user=user, organisation=bodies[0], role=Role.objects.get(code="supervisor")
    )
    first_body = min(b.pk for b in bodies)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_timer (purpose, subject_type, subject_id, owner_body_id, start_date,
                "limit", unit, due_date, paused_at, stopped_at, stop_reason, created_at)
            SELECT CASE WHEN g %% 4 = 0 THEN 'portal.error_report' ELSE 'cases.promised' END,
                   'bench.thing', g::text, %(first)s + g %% 100, %(today)s::date - 20, 20,
                   'working',
                   CASE WHEN g %% 10 = 0 THEN %(today)s::date - 1 - (g / 10) %% 40
                        ELSE %(today)s::date + 1 + g %% 60 END,
                   CASE WHEN g %% 20 = 7 THEN %(today)s::date - 3 END,
                   NULL, '', now()
            FROM generate_series(1, %(count)s) AS g
            """,
            {"first": first_body, "today": TODAY, "count": count},
        )
        cursor.execute("ANALYZE core_timer")
    print(f"filled {count:,} open timers in {time.perf_counter() - start:.1f} s")
    version = fill_cases(bodies[0])
    fill_closed(first_body, version, closed, ratings)


def fill_closed(first_body: int, version: int, count: int, ratings: int) -> None:
    """``count`` closed cases with their promised limits stopped as closed, spread over the
    year before today (10:00 local time), a seventh of them late by 1–5 days; ``ratings``
    of them rated the next day (scores 1–5, more good than bad)."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM core_timer")
        offset = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO core_timer (id, purpose, subject_type, subject_id, owner_body_id,
                start_date, "limit", unit, due_date, paused_at, stopped_at, stop_reason,
                created_at, category)
            SELECT %(offset)s + g, 'cases.promised', 'bench.closed', g::text,
                   %(first)s + (g / 365) %% 100,
                   %(today)s::date - g %% 365 - 28, 20, 'working',
                   CASE WHEN g %% 7 = 0 THEN %(today)s::date - g %% 365 - 1 - (g / 7) %% 5
                        ELSE %(today)s::date - g %% 365 + (g / 7) %% 10 END,
                   NULL,
                   ((%(today)s::date - g %% 365) + time '10:00') AT TIME ZONE 'Asia/Shanghai',
                   'closed', now(), ''
            FROM generate_series(1, %(count)s) AS g
            """,
            {"offset": offset, "first": first_body, "today": TODAY, "count": count},
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('core_timer', 'id'), "
            "(SELECT max(id) FROM core_timer))"
        )
        cursor.execute(
            """
            INSERT INTO cases_case (query_code, year, sequence, version_id, body_id,
                applicant_name, applicant_id_number, answers, channel, status, last_step,
                paused_for, decision, decision_reason, submitted_at, closed_at, timer_id)
            SELECT 'YC-2026-C' || lpad(t.id::text, 8, '0'), 2026, t.id, %(version)s,
                   t.owner_body_id, '申请人', '', '{}', 'window', 'closed', 'close', '',
                   'grant', '', t.stopped_at - interval '30 days', t.stopped_at, t.id
            FROM core_timer t WHERE t.subject_type = 'bench.closed'
            """,
            {"version": version},
        )
        cursor.execute(
            """
            INSERT INTO cases_caserating (case_id, score, comment, rated_at, excluded)
            SELECT c.id, CASE WHEN (c.id / 2) %% 10 < 5 THEN 5
                              WHEN (c.id / 2) %% 10 < 7 THEN 4
                              WHEN (c.id / 2) %% 10 < 8 THEN 3
                              WHEN (c.id / 2) %% 10 < 9 THEN 2 ELSE 1 END,
                   '', c.closed_at + interval '1 day', false
            FROM cases_case c WHERE c.status = 'closed' AND c.id %% 2 = 0
            ORDER BY c.id LIMIT %(ratings)s
            """,
            {"ratings": ratings},
        )
        cursor.execute("ANALYZE core_timer")
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_caserating")
        cursor.execute("SELECT count(*) FROM cases_caserating")
        rated = cursor.fetchone()[0]
    print(
        f"filled {count:,} closed cases and {rated:,} ratings "
        f"in {time.perf_counter() - start:.1f} s"
    )


def fill_cases(body) -> None:
    """A case behind every timer of purpose cases.promised (three in four timers), in SQL:
    a twentieth still waiting for acceptance, submitted 1–10 working days ago."""
    from django.db import connection

    from egov.services import services

    start = time.perf_counter()
    item = services.create_item(
        body=body,
        basic_code="010600000001",
        implementation_code="11500118BENCH00001010600000001",
        name="性能测试事项",
        by=None,
    )
    version = item.versions.get()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_case (query_code, year, sequence, version_id, body_id,
                applicant_name, applicant_id_number, answers, channel, status, last_step,
                paused_for, decision, decision_reason, submitted_at, timer_id)
            SELECT 'YC-2026-W' || lpad(t.id::text, 7, '0'), 2026, t.id, %(version)s,
                   t.owner_body_id, '申请人', '', '{}', 'window',
                   CASE WHEN t.id %% 20 = 1 THEN 'submitted' ELSE 'accepted' END,
                   CASE WHEN t.id %% 20 = 1 THEN '' ELSE 'accept' END, '', '', '',
                   (%(today)s::date - (t.id %% 14)::int)::timestamptz, t.id
            FROM core_timer t WHERE t.purpose = 'cases.promised' AND t.stopped_at IS NULL
            """,
            {"version": version.pk, "today": TODAY},
        )
        cursor.execute("ANALYZE cases_case")
        cursor.execute("SELECT count(*) FROM cases_case")
        cases = cursor.fetchone()[0]
    print(f"filled {cases:,} cases in {time.perf_counter() - start:.1f} s")
    return version.pk


def timed(work, repeat: int = 1) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best.append(time.perf_counter() - start)
    return min(best)


def page_time(client, url: str, runs: int = 15) -> float:
    for _ in range(2):
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times)


def _summary_rows(model) -> dict:
    """A summary's rows that count something: key → n."""
    from egov.supervision import summary

    key = summary.KEYS[model._meta.label]
    return {
        tuple(row[k] for k in key): row["n"]
        for row in model.objects.filter(n__gt=0).values(*key, "n").iterator()
    }


def fill_history(count: int) -> None:
    """``count`` signals of the year before today, in SQL: every body, every kind (the
    anomalies 不满意), nine in ten closed, one in twenty unfounded — a district's past,
    about ``count / 365`` signals a day, so that the monthly summary has a year of rows."""
    from django.db import connection

    if not count:
        return
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM directory_organisation WHERE code LIKE 'B-%%'")
        first = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO supervision_signal (kind, code, body_id, subject_type, subject_id,
                purpose, threshold, raised_on, raised_at, status, explanation, close_reason,
                deducts)
            SELECT k.kind, k.code, %(first)s + g %% 100, 'bench.history', g::text, '', 0,
                   %(today)s::date - 1 - (g / 400) %% 365,
                   (%(today)s::date - 1 - (g / 400) %% 365) + time '09:00',
                   CASE WHEN g %% 10 = 0 THEN 'explained' ELSE 'closed' END, '', '',
                   g %% 20 <> 3
            FROM generate_series(1, %(count)s) AS g
            JOIN (VALUES (0, 'warning', 'timer.warning'), (1, 'yellow', 'timer.yellow'),
                         (2, 'red', 'timer.red'), (3, 'anomaly', 'case.bad_rating'))
                 AS k(n, kind, code) ON k.n = (g / 100) %% 4
            """,
            {"first": first, "today": TODAY, "count": count},
        )
    print(f"filled {count:,} past signals in {time.perf_counter() - start:.1f} s")


def raw_queries(user, baseline: float) -> None:
    """The three grouped queries over raw rows that the dashboard ran before the daily
    summaries, as they were (for comparison; each the median of 5)."""
    from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
    from django.db.models.functions import TruncDate

    from egov.cases.models import CaseRating
    from egov.core.models import Timer
    from egov.directory.scoping import visible_to
    from egov.supervision.models import Signal
    from egov.supervision.scores import local_midnight
    from egov.supervision.views import _months_back

    months = _months_back(TODAY, 12)

    def signals():
        list(
            visible_to(user, Signal.objects.all(), body_field="body")
            .values("raised_on", "kind", "code", "status", "body_id", "deducts")
            .annotate(n=Count("*"))
            .order_by()
        )

    def on_time():
        timers = visible_to(
            user,
            Timer.objects.filter(
                purpose="cases.promised",
                stop_reason="closed",
                stopped_at__gte=local_midnight(months[0]),
            ),
            body_field="owner_body",
        )
        list(
            timers.annotate(
                day=TruncDate("stopped_at"),
                on_time=ExpressionWrapper(
                    Q(stopped_at__date__lte=F("due_date")), output_field=BooleanField()
                ),
            )
            .values("day", "on_time")
            .annotate(n=Count("*"))
            .order_by()
        )

    def ratings():
        rows = visible_to(
            user,
            CaseRating.objects.filter(rated_at__gte=local_midnight(TODAY.replace(month=1, day=1))),
            body_field="case__body",
        )
        list(rows.values_list("score").annotate(n=Count("*")).order_by())

    for label, work in (
        ("before: signals grouped, raw", signals),
        ("before: on-time table, raw closed timers", on_time),
        ("before: ratings this year, raw", ratings),
    ):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        line(label, statistics.median(times), baseline)


def main() -> None:
    global DATABASE  # --database
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 timers")
    parser.add_argument("--timers", type=int, default=None)
    parser.add_argument("--closed", type=int, default=None, help="closed cases")
    parser.add_argument("--ratings", type=int, default=None, help="ratings of closed cases")
    parser.add_argument("--history", type=int, default=None, help="signals of the past year")
    parser.add_argument("--postgres", default=DEFAULT_SERVER, help="server URL, no database")
    parser.add_argument("--database", default=DATABASE, help="database name (created)")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database if it exists; keep it after"
    )
    args = parser.parse_args()
    count = args.timers or (100_000 if args.quick else 1_000_000)
    closed = args.closed if args.closed is not None else (50_000 if args.quick else 500_000)
    ratings = args.ratings if args.ratings is not None else (25_000 if args.quick else 250_000)
    history = args.history if args.history is not None else (10_000 if args.quick else 100_000)
    DATABASE = args.database

    os.environ["DATABASE_URL"] = recreate_database(args.postgres.rstrip("/"), args.keep)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    fill(count, closed, ratings)

    from egov.accounts.models import User
    from egov.core.models import Timer
    from egov.supervision import summary
    from egov.supervision.models import Signal
    from egov.supervision.services import check_timer, sweep
    from tests.conftest import login_verified

    print(
        f"\nPostgreSQL {connection.pg_version}, {count:,} open timers, {closed:,} closed "
        f"cases, {ratings:,} ratings, {history:,} past signals, today {TODAY}\n"
    )

    def count_timers():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_timer")
            cursor.fetchone()

    baseline = timed(count_timers, repeat=3)
    line("baseline: SELECT count(*) FROM core_timer", baseline)

    with connection.cursor() as cursor:
        # Emptied, not deleted: with --keep, a DELETE left the old rows' pages to be scanned
        # beside the new ones (no VACUUM between), about twice the signal table's size.
        cursor.execute("TRUNCATE supervision_signal CASCADE")
    fill_history(history)
    # The closed cases and ratings were written in SQL, around the verbs: counted into the
    # monthly summaries as the nightly task does (the signals' summary is emptied with them).
    start = time.perf_counter()
    written = summary.rebuild()
    line(f"rebuild of the monthly summaries {written}", time.perf_counter() - start, baseline)
    first = time.perf_counter()
    report = sweep(today=TODAY)
    first = time.perf_counter() - first
    line(f"first sweep ({report.total:,} signals raised)", first, baseline)
    with connection.cursor() as cursor:
        # What autovacuum does after a large insert: statistics, and the visibility map
        # that lets the dashboard's counts read the covering index only.
        cursor.execute("VACUUM ANALYZE supervision_signal")

    steady_report = []
    steady = timed(lambda: steady_report.append(sweep(today=TODAY)), repeat=3)
    assert all(r.total == 0 for r in steady_report)
    line("steady sweep (nothing new, every minute)", steady, baseline, SWEEP_GOAL)

    next_day = TODAY + datetime.timedelta(days=1)
    start = time.perf_counter()
    report = sweep(today=next_day)
    line(
        f"next day's sweep ({report.total:,} raised)",
        time.perf_counter() - start,
        baseline,
        SWEEP_GOAL,
    )

    from egov.supervision.anomalies import sweep_cases

    start = time.perf_counter()
    raised = sweep_cases(TODAY)
    line(
        f"first anomaly sweep of the cases ({raised:,} raised)",
        time.perf_counter() - start,
        baseline,
    )
    line(
        "steady anomaly sweep of the cases (nothing new)",
        timed(lambda: sweep_cases(TODAY), repeat=3),
        baseline,
        SWEEP_GOAL,
    )

    timer = Timer.objects.filter(stopped_at__isnull=True).order_by("pk").first()
    line("check_timer of one timer", timed(lambda: check_timer(timer, today=next_day), 5), baseline)

    with connection.cursor() as cursor:
        # The next day's sweep and the anomaly sweep added a quarter of the signals since the
        # last VACUUM ANALYZE: autovacuum would analyze them within a minute, but a server
        # may run with it off (this machine's does), and a page planned on statistics that
        # know no anomaly sorts them on disk (the scores page). Measured as with autovacuum on.
        cursor.execute("SHOW autovacuum")
        print(
            f"(autovacuum {cursor.fetchone()[0]}: VACUUM ANALYZE of the signals before the pages)"
        )
        cursor.execute("VACUUM ANALYZE supervision_signal")

    supervisor = User.objects.get(username="bench-supervisor")
    raw_queries(supervisor, baseline)
    from egov.supervision.models import ClosedMonth, RatingMonth, SignalMonth

    # What the sweeps, the anomaly sweep and check_timer kept, against the nightly rebuild.
    models_ = (SignalMonth, ClosedMonth, RatingMonth)
    kept = [_summary_rows(model) for model in models_]
    start = time.perf_counter()
    summary.rebuild()
    line("nightly rebuild of the monthly summaries", time.perf_counter() - start, baseline)
    rebuilt = [_summary_rows(model) for model in models_]
    same = all(a == b for a, b in zip(kept, rebuilt, strict=True))
    print(
        f"monthly summaries: {len(rebuilt[0]):,} signal rows, {len(rebuilt[1]):,} closed-case "
        f"rows, {len(rebuilt[2]):,} rating rows; kept by the verbs "
        f"{'= the rebuild' if same else '≠ THE REBUILD'}",
        flush=True,
    )
    assert same
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE supervision_signalmonth")
        cursor.execute("VACUUM ANALYZE supervision_closedmonth")
        cursor.execute("VACUUM ANALYZE supervision_ratingmonth")

    client = Client()
    login_verified(client, supervisor)
    line(
        f"dashboard /staff/supervision/ ({Signal.objects.count():,} signals)",
        page_time(client, "/staff/supervision/"),
        baseline,
        DASHBOARD_GOAL,
    )
    line(
        "signal list /staff/supervision/signals/",
        page_time(client, "/staff/supervision/signals/"),
        baseline,
    )
    line(
        "scores /staff/supervision/scores/",
        page_time(client, "/staff/supervision/scores/"),
        baseline,
    )
    connection.close()
    if not args.keep:
        drop_database(args.postgres.rstrip("/"))


if __name__ == "__main__":
    main()
