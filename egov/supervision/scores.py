"""Efficiency scores: per body and month, 100 minus the deductions of the month's counted
signals (``Deduction`` rows, code ``signal:<kind>``; counted from the monthly summary
``SignalMonth``); per quarter, the average of its months so far, graded by ``GradeThreshold`` (below every threshold: 不合格). One aggregate query per
page, whatever the number of signals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import Timer
from egov.directory.models import Organisation

from .models import Deduction, GradeThreshold, Signal, SignalMonth

FULL = Decimal("100")
FAIL = "fail"
GRADE_LABELS = {
    **dict(GradeThreshold.Grade.choices),
    FAIL: _("fail (不合格)"),
}


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of ``day`` in the current time zone: ``stopped_at >= local_midnight(d)``
    is ``stopped_at__date__gte=d`` as a range, which an index on the timestamp can serve."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def quarter_months(day: datetime.date, until: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the months of ``day``'s quarter, up to ``until``'s month."""
    first = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    months = [first]
    while len(months) < 3:
        months.append(next_month(months[-1]))
    if until is not None:
        months = [m for m in months if m <= month_start(until)] or [first]
    return months


def quarter_so_far(day: datetime.date, today: datetime.date) -> list[datetime.date]:
    """The months of ``day``'s quarter that its score averages: up to ``today``'s month when
    the quarter has begun (a quarter not yet begun: all three)."""
    return quarter_months(day, until=today if quarter_months(day)[0] <= today else None)


def deductions() -> dict[str, Decimal]:
    return dict(Deduction.objects.values_list("code", "points"))


def thresholds() -> list[tuple[str, Decimal]]:
    return list(GradeThreshold.objects.order_by("-min_score").values_list("grade", "min_score"))


def grade_for(score: Decimal, bands: list[tuple[str, Decimal]] | None = None) -> str:
    for grade, minimum in thresholds() if bands is None else bands:
        if score >= minimum:
            return grade
    return FAIL


def scored_bodies(bodies):
    """The bodies that own a timer or have a signal: the ones a ranking shows."""
    return bodies.filter(
        Exists(Timer.objects.filter(owner_body=OuterRef("pk")))
        | Exists(Signal.objects.filter(body=OuterRef("pk")))
    )


@dataclass
class BodyScore:
    body: Organisation
    score: Decimal = FULL
    counts: dict = field(default_factory=dict)
    rank: int = 0
    grade: str = ""

    @property
    def grade_label(self):
        return GRADE_LABELS.get(self.grade, "")


def _counts(bodies, first: datetime.date, end: datetime.date) -> dict:
    """(body id, month start) → {kind or "anomaly:<code>": counted signals}, from the daily
    summary of the signals (``SignalMonth``, kept exact by the verbs): one grouped query over
    a few rows per body and month instead of every signal (anomalies by their code, so that
    each kind of anomaly has its own deduction)."""
    rows = (
        SignalMonth.objects.filter(
            body_id__in=bodies.values("pk"), month__gte=first, month__lt=end, deducts=True
        )
        .values("body_id", "month", "kind", "code")
        .annotate(total=Sum("n"))
        .order_by()
    )
    result: dict = {}
    for row in rows:
        if not row["total"]:
            continue
        key = f"anomaly:{row['code']}" if row["kind"] == Signal.Kind.ANOMALY else row["kind"]
        bucket = result.setdefault((row["body_id"], row["month"]), {})
        bucket[key] = bucket.get(key, 0) + row["total"]
    return result


def _score(counts: dict, points: dict[str, Decimal]) -> Decimal:
    lost = sum(
        (
            points.get(key if key.startswith("anomaly:") else f"signal:{key}", Decimal("0")) * n
            for key, n in counts.items()
        ),
        Decimal("0"),
    )
    return max(Decimal("0"), FULL - lost)


def _ranked(scores: list[BodyScore]) -> list[BodyScore]:
    scores.sort(key=lambda s: (-s.score, s.body.code))
    rank, previous = 0, None
    for position, item in enumerate(scores, start=1):
        if item.score != previous:
            rank, previous = position, item.score
        item.rank = rank
    return scores


def monthly_ranking(bodies, month: datetime.date) -> list[BodyScore]:
    """Every body of ``bodies`` (that owns timers or signals) with its score for ``month``."""
    first = month_start(month)
    counts = _counts(bodies, first, next_month(first))
    return ranking_from_counts(
        bodies, first, {body_id: c for (body_id, _month), c in counts.items()}
    )


def ranking_from_counts(bodies, month: datetime.date, counts: dict) -> list[BodyScore]:
    """The month's ranking from counted signals already read: body id → {kind: n}."""
    points = deductions()
    result = []
    for body in scored_bodies(bodies).order_by("code"):
        body_counts = counts.get(body.pk, {})
        result.append(BodyScore(body, _score(body_counts, points), body_counts))
    return _ranked(result)


def quarterly_ranking(bodies, day: datetime.date, today: datetime.date) -> list[BodyScore]:
    """The quarter of ``day``: the average of its monthly scores (months up to ``today``)."""
    return month_and_quarter(bodies, day, today)[1]


def month_and_quarter(
    bodies, day: datetime.date, today: datetime.date
) -> tuple[list[BodyScore], list[BodyScore]]:
    """The ranking of ``day``'s month and of its quarter, from one query."""
    first = month_start(day)
    months = quarter_so_far(day, today)
    points, bands = deductions(), thresholds()
    counts = _counts(bodies, months[0], max(next_month(months[-1]), next_month(first)))
    monthly, quarterly = [], []
    for body in scored_bodies(bodies).order_by("code"):
        this_month = counts.get((body.pk, first), {})
        monthly.append(BodyScore(body, _score(this_month, points), this_month))
        scores_ = [_score(counts.get((body.pk, m), {}), points) for m in months]
        total: dict = {}
        for m in months:
            for kind, n in counts.get((body.pk, m), {}).items():
                total[kind] = total.get(kind, 0) + n
        average = (sum(scores_, Decimal("0")) / len(scores_)).quantize(Decimal("0.01"))
        quarterly.append(BodyScore(body, average, total, grade=grade_for(average, bands)))
    return _ranked(monthly), _ranked(quarterly)
