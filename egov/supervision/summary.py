"""Monthly summaries of e-supervision: what the dashboard and the scores count, kept per
month (``month``: its first day; every figure they show is per month, quarter or year).

Three tables (egov.supervision.models), each a count ``n`` per key:

- ``SignalMonth``: signals per month raised, body, kind, code, status and ``deducts``;
- ``ClosedMonth``: cases' promised limits stopped as closed, per month (of the local date),
  body, on time (that local date not after the due date);
- ``RatingMonth``: ratings (好差评) per month rated (local date), body of the case, score.

They are kept exact two ways (docs/decisions/0020-supervision-monthly-summaries.md):

- **incrementally, in the same transaction as the change**: every writer adds its change
  with ``add`` (an upsert ``n = n + excluded.n``): the sweep and the anomaly sweep the
  signals they inserted (counted per body by the INSERT itself, ``insert_counting``), an
  anomaly found in a case's history its one signal, explaining and closing a signal −1 on
  its old key and +1 on its new one, a stopped promised limit and a new rating their row
  (``post_save``, egov.supervision.apps). Additions commute, so concurrent writers need no
  lock beyond the rows' own; each adds its keys in sorted order (no deadlock between two);
- **rebuilt set-based** from the raw rows (``rebuild``): by the data migration that
  created the tables and every night (egov.supervision.tasks), which also heals anything
  written around the verbs (rows imported in SQL, a full ``save()`` of a stopped timer).
  The rebuild is a DELETE and an INSERT … SELECT … GROUP BY in one transaction that holds
  the summaries against writers (PostgreSQL: ``LOCK … IN EXCLUSIVE MODE``; readers go on):
  a change committed before it is in the recount, one not yet committed waits and is added
  onto the rebuilt rows.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection, transaction
from django.db.models import BooleanField, Count, DateField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

# The case's promised limit (egov.cases.services.TIMER_PURPOSE) and its stop reason when the
# case is closed (办结): the timers the on-time figures count.
CASE_TIMER = "cases.promised"
CLOSED = "closed"

KEYS = {
    "supervision.SignalMonth": ("month", "body_id", "kind", "code", "status", "deducts"),
    "supervision.ClosedMonth": ("month", "body_id", "on_time"),
    "supervision.RatingMonth": ("month", "body_id", "score"),
}


def month_of(day):
    """The first day of ``day``'s month: the ``month`` of a summary row."""
    return day.replace(day=1)


def _key_of(model) -> tuple[str, ...]:
    return KEYS[model._meta.label]


def add(model, deltas: dict[tuple, int]) -> None:
    """Add ``n`` to the summary rows of ``model`` keyed by each tuple (in the order of
    ``KEYS``; a body id of None is 0), creating the rows that do not exist yet. Keys are
    added in sorted order, so that two writers lock shared rows in the same order."""
    rows = sorted((key[0], key[1] or 0, *key[2:], n) for key, n in deltas.items() if n)
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = [quote(column) for column in _key_of(model)]
    n = quote("n")
    # Identifiers only (quoted); the values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(key)}, {n}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * (len(key) + 1))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {n} = {table}.{n} + excluded.{n}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def signal_key(signal) -> tuple:
    """The ``SignalMonth`` key of one signal as it is now."""
    return (
        month_of(signal.raised_on),
        signal.body_id or 0,
        signal.kind,
        signal.code,
        signal.status,
        bool(signal.deducts),
    )


def add_signal(signal) -> None:
    """One new signal."""
    from .models import SignalMonth

    add(SignalMonth, {signal_key(signal): 1})


def move_signal(before: tuple, signal) -> None:
    """A signal changed (its status, whether it deducts): from key ``before`` to its own."""
    from .models import SignalMonth

    after = signal_key(signal)
    if after != before:
        add(SignalMonth, {before: -1, after: 1})


def add_inserted(today, counts: dict[tuple[str, str], dict[int, int]]) -> None:
    """Signals just inserted by a sweep: (kind, code) → {body id: n}, all open, counted,
    raised ``today``."""
    from .models import Signal, SignalMonth

    deltas: dict[tuple, int] = {}
    for (kind, code), bodies in counts.items():
        for body_id, n in bodies.items():
            key = (month_of(today), body_id or 0, str(kind), code, Signal.Status.OPEN.value, True)
            deltas[key] = deltas.get(key, 0) + n
    add(SignalMonth, deltas)


def insert_counting(sql: str, params) -> dict[int, int]:
    """Run ``sql`` (an ``INSERT INTO supervision_signal … SELECT …`` without RETURNING) and
    return how many rows it inserted per body id (0: none). On PostgreSQL the statement
    groups them itself (a data-modifying WITH: one round trip, a row per body); elsewhere
    (SQLite, a small district's database) the inserted rows' bodies are counted here."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH inserted AS ({sql} RETURNING body_id) "  # noqa: S608 (see the caller)
                "SELECT body_id, count(*) FROM inserted GROUP BY body_id",
                params,
            )
            return {body_id or 0: n for body_id, n in cursor.fetchall()}
        cursor.execute(f"{sql} RETURNING body_id", params)
        return dict(Counter(body_id or 0 for (body_id,) in cursor.fetchall()))


def timer_closed(timer) -> None:
    """A case's promised limit was stopped as closed: one more case closed that month, on
    time when the local date it stopped is not after its due date."""
    from .models import ClosedMonth

    day = timezone.localdate(timer.stopped_at)
    add(ClosedMonth, {(month_of(day), timer.owner_body_id or 0, day <= timer.due_date): 1})


def is_closed_case_timer(timer) -> bool:
    return (
        timer.purpose == CASE_TIMER and timer.stop_reason == CLOSED and timer.stopped_at is not None
    )


def rating_received(rating) -> None:
    """A new rating of a case."""
    from .models import RatingMonth

    month = month_of(timezone.localdate(rating.rated_at))
    add(RatingMonth, {(month, rating.case.body_id, rating.score): 1})


# --- the set-based rebuild ---------------------------------------------------------------


def _sources(get_model) -> list:
    """(summary model, the grouped queryset of its raw rows, with ``s_<column>`` for each
    key column and ``s_n``). ``get_model`` is ``apps.get_model`` (a migration's historical
    models) or the live registry's."""
    Signal = get_model("supervision", "Signal")
    Timer = get_model("core", "Timer")
    CaseRating = get_model("cases", "CaseRating")
    signals = (
        Signal.objects.order_by()
        .annotate(
            s_month=TruncMonth("raised_on", output_field=DateField()),
            s_body_id=Coalesce(F("body_id"), Value(0)),
            s_kind=F("kind"),
            s_code=F("code"),
            s_status=F("status"),
            s_deducts=F("deducts"),
        )
        .values("s_month", "s_body_id", "s_kind", "s_code", "s_status", "s_deducts")
        .annotate(s_n=Count("*"))
    )
    closed = (
        Timer.objects.filter(purpose=CASE_TIMER, stop_reason=CLOSED, stopped_at__isnull=False)
        .order_by()
        .annotate(
            s_month=TruncMonth(TruncDate("stopped_at"), output_field=DateField()),
            s_body_id=Coalesce(F("owner_body_id"), Value(0)),
            s_on_time=ExpressionWrapper(
                Q(stopped_at__date__lte=F("due_date")), output_field=BooleanField()
            ),
        )
        .values("s_month", "s_body_id", "s_on_time")
        .annotate(s_n=Count("*"))
    )
    ratings = (
        CaseRating.objects.order_by()
        .annotate(
            s_month=TruncMonth(TruncDate("rated_at"), output_field=DateField()),
            s_body_id=Coalesce(F("case__body_id"), Value(0)),
            s_score=F("score"),
        )
        .values("s_month", "s_body_id", "s_score")
        .annotate(s_n=Count("*"))
    )
    return [
        (get_model("supervision", "SignalMonth"), signals),
        (get_model("supervision", "ClosedMonth"), closed),
        (get_model("supervision", "RatingMonth"), ratings),
    ]


def rebuild(get_model=None) -> dict[str, int]:
    """Every summary row again from the raw rows, set-based (one DELETE and one
    INSERT … SELECT … GROUP BY per table, one transaction). Returns rows per table."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    quote = connection.ops.quote_name
    written = {}
    sources = _sources(get_model)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers wait (their upserts need ROW EXCLUSIVE) while readers go on: a change
            # not committed when the recount reads is added after it, onto the new rows; one
            # committed before is in the recount. (SQLite runs one writer at a time.)
            with connection.cursor() as cursor:
                for model, _grouped in sources:
                    table = quote(model._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # noqa: S608
        for model, grouped in sources:
            table = quote(model._meta.db_table)
            columns = _key_of(model)
            inner, params = grouped.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a quoted identifier)
                # Identifiers only (quoted), and Django's own compiled SELECT.
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}, n) "  # noqa: S608
                    f"SELECT {', '.join('sub.' + quote('s_' + c) for c in columns)}, sub.s_n "
                    f"FROM ({inner}) sub",
                    params,
                )
                written[model.__name__] = max(cursor.rowcount, 0)
    return written
