"""The cases behind a figure of the supervision dashboard (the drill-down).

Every figure of the dashboard is a ``figure`` with its parameters in the query string of
``/staff/supervision/cases/``; ``cases_behind`` turns it into the cases behind it, always
within what the user may see (``visible_to`` on the signals and on the cases):

=========  ==========================================  ================================
figure     the dashboard's figure                      the cases
=========  ==========================================  ================================
status     signals of a status (the totals line)       with such a signal
open       signals not yet closed, by body (and kind)  with such a signal
raised     signals raised per month (and kind)         with such a signal
anomaly    anomalies of a type, in a year              with such an anomaly signal
score      a body's score of a month or a quarter      with a signal that costs it points
           (and its yellow / red cards: ``kind``)      (with a counted card of the kind)
closed     cases closed per month (on time / late)     closed (办结) that month
rating     ratings of a level, in a year               rated so
=========  ==========================================  ================================

A signal is "about a case" when its subject is the case (a case's timers and its anomalies);
the others (e.g. an error report's timer, a supervision notice's) are counted apart and
reached through the signal list. One query for the page of cases, whatever the figure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import BigIntegerField, F, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from egov.directory.models import Organisation
from egov.directory.scoping import visible_to

from .forms import MonthField, QuarterField
from .models import Signal
from .scores import deductions, local_midnight, next_month, quarter_so_far

CASE = "cases.case"
TIMER_KINDS = [Signal.Kind.WARNING, Signal.Kind.YELLOW, Signal.Kind.RED]


class Figure:
    STATUS = "status"
    OPEN = "open"
    RAISED = "raised"
    ANOMALY = "anomaly"
    SCORE = "score"
    CLOSED = "closed"
    RATING = "rating"


FIGURES = [
    (Figure.STATUS, _("Signals of a status")),
    (Figure.OPEN, _("Signals not yet closed")),
    (Figure.RAISED, _("Signals raised in a month")),
    (Figure.ANOMALY, _("Anomalies of a type")),
    (Figure.SCORE, _("Signals that cost a body points")),
    (Figure.CLOSED, _("Cases closed in a month")),
    (Figure.RATING, _("Ratings of a level")),
]


class FigureForm(forms.Form):
    """The parameters of a figure, as the dashboard's links give them."""

    figure = forms.ChoiceField(label=_("Figure"), choices=FIGURES)
    body = forms.IntegerField(label=_("Body"), required=False, min_value=1)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all"))] + Signal.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + Signal.Status.choices
    )
    month = MonthField(label=_("Month"), required=False)
    quarter = QuarterField(label=_("Quarter"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    code = forms.CharField(label=_("Anomaly"), required=False, max_length=50)
    on_time = forms.ChoiceField(
        label=_("On time"),
        required=False,
        choices=[("", _("all")), ("yes", _("on time")), ("no", _("late"))],
    )
    score = forms.IntegerField(label=_("Rating"), required=False, min_value=1, max_value=5)

    REQUIRED = {
        Figure.STATUS: ["status"],
        Figure.RAISED: ["month"],
        Figure.ANOMALY: ["code", "year"],
        Figure.SCORE: ["body"],  # and a month or a quarter
        Figure.CLOSED: ["month"],
        Figure.RATING: ["score", "year"],
    }

    def clean(self):
        data = super().clean()
        figure = data.get("figure")
        for name in self.REQUIRED.get(figure, []):
            if data.get(name) in (None, ""):
                self.add_error(name, gettext("This figure needs this value."))
        if data.get("quarter") and figure != Figure.SCORE:
            self.add_error("quarter", gettext("Only a score has a quarter."))
        elif figure == Figure.SCORE and "month" in data and "quarter" in data:
            if data["month"] and data["quarter"]:
                self.add_error("quarter", gettext("Give a month or a quarter, not both."))
            elif not data["month"] and not data["quarter"]:
                self.add_error("month", gettext("This figure needs this value."))
        return data


@dataclass
class Selection:
    cases: QuerySet  # the cases behind the figure, scoped
    signals: QuerySet | None  # the figure's signals (scoped), if it counts signals
    description: str
    body: Organisation | None = None


def case_ids(signals: QuerySet) -> QuerySet:
    """The ids of the cases the signals are about (a subquery)."""
    return (
        signals.filter(subject_type=CASE)
        .annotate(case_pk=Cast("subject_id", BigIntegerField()))
        .values("case_pk")
    )


def _month_range(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    return first, next_month(first)


def _costing(signals: QuerySet) -> QuerySet:
    """The signals that cost points: their ``Deduction`` (signal:<kind> or anomaly:<code>)
    has points above 0, as the score counts them."""
    points = {code: value for code, value in deductions().items() if value > 0}
    kinds = [k for k in Signal.Kind.values if k != "anomaly" and f"signal:{k}" in points]
    codes = [c.removeprefix("anomaly:") for c in points if c.startswith("anomaly:")]
    return signals.filter(
        Q(kind__in=kinds) | Q(kind=Signal.Kind.ANOMALY, code__in=codes), deducts=True
    )


def cases_behind(
    user, data: dict, visible_signals: QuerySet, today: datetime.date | None = None
) -> Selection:
    """The cases behind the figure ``data`` (a valid ``FigureForm``'s cleaned data) that
    ``user`` may see. ``data["body"]`` must already be checked as visible to the user.
    ``today`` (for a quarter still running: its months so far, as the ranking counts them)
    is the local date unless given."""
    from egov.cases.models import Case
    from egov.cases.services import TIMER_PURPOSE

    figure = data["figure"]
    body = Organisation.objects.filter(pk=data["body"]).first() if data.get("body") else None
    kind = data.get("kind") or ""
    kind_label = dict(Signal.Kind.choices).get(kind, "")
    cases = visible_to(user, Case.objects.all(), body_field="body")
    parts = []
    signals = None

    if figure in (Figure.STATUS, Figure.OPEN, Figure.RAISED, Figure.ANOMALY, Figure.SCORE):
        signals = visible_signals
        if body is not None:
            signals = signals.filter(body=body)
        if figure == Figure.STATUS:
            # The totals line counts every signal of a status, of every kind.
            signals = signals.filter(status=data["status"])
            if kind:
                signals = signals.filter(kind=kind)
            parts.append(
                gettext("%(status)s signals")
                % {"status": dict(Signal.Status.choices)[data["status"]]}
            )
        elif figure == Figure.OPEN:
            signals = signals.filter(kind__in=[kind] if kind else TIMER_KINDS).exclude(
                status=Signal.Status.CLOSED
            )
            parts.append(gettext("signals not yet closed"))
        elif figure == Figure.RAISED:
            first, end = _month_range(data["month"])
            signals = signals.filter(
                kind__in=[kind] if kind else TIMER_KINDS, raised_on__gte=first, raised_on__lt=end
            )
            parts.append(gettext("signals raised in %(month)s") % {"month": f"{first:%Y-%m}"})
        elif figure == Figure.ANOMALY:
            year = data["year"]
            signals = signals.filter(
                kind=Signal.Kind.ANOMALY,
                code=data["code"],
                raised_on__gte=datetime.date(year, 1, 1),
                raised_on__lt=datetime.date(year + 1, 1, 1),
            )
            parts.append(
                gettext("anomalies %(code)s in %(year)s") % {"code": data["code"], "year": year}
            )
        else:
            if data.get("quarter"):
                months = quarter_so_far(data["quarter"], today or timezone.localdate())
                first, end = months[0], next_month(months[-1])
                period = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
            else:
                first, end = _month_range(data["month"])
                period = f"{first:%Y-%m}"
            signals = signals.filter(raised_on__gte=first, raised_on__lt=end)
            # The score: the signals whose deduction is above 0; a kind (the ranking's
            # yellow or red cards): the counted signals of that kind, as the ranking counts.
            signals = signals.filter(deducts=True, kind=kind) if kind else _costing(signals)
            parts.append(gettext("signals that cost points in %(month)s") % {"month": period})
        if kind_label and figure in (Figure.STATUS, Figure.OPEN, Figure.RAISED, Figure.SCORE):
            parts.append(str(kind_label))
        cases = cases.filter(pk__in=case_ids(signals))
    elif figure == Figure.CLOSED:
        first, end = _month_range(data["month"])
        cases = visible_to(
            user,
            cases.filter(
                timer__purpose=TIMER_PURPOSE,
                timer__stop_reason="closed",
                # Ranges of the timestamp (not of its local date) so that the index of
                # stopped_at finds the month's timers without reading every timer.
                timer__stopped_at__gte=local_midnight(first),
                timer__stopped_at__lt=local_midnight(end),
            ),
            body_field="timer__owner_body",
        )
        parts.append(gettext("cases closed in %(month)s") % {"month": f"{first:%Y-%m}"})
        if data.get("on_time") == "yes":
            cases = cases.filter(timer__stopped_at__date__lte=F("timer__due_date"))
            parts.append(gettext("on time"))
        elif data.get("on_time") == "no":
            cases = cases.filter(timer__stopped_at__date__gt=F("timer__due_date"))
            parts.append(gettext("late"))
    else:  # rating
        year = data["year"]
        cases = cases.filter(
            rating__score=data["score"],
            rating__rated_at__date__gte=datetime.date(year, 1, 1),
            rating__rated_at__date__lt=datetime.date(year + 1, 1, 1),
        )
        parts.append(
            gettext("rated %(score)s of 5 in %(year)s") % {"score": data["score"], "year": year}
        )
    if body is not None:
        cases = cases.filter(body=body)
        parts.append(body.name_zh)
    return Selection(cases=cases, signals=signals, description=", ".join(parts), body=body)
