"""E-supervision's verbs: the sweep, ``check_timer``, explaining and closing a signal.

The sweep is set-based: the calendar arithmetic runs in Python once per rule (a threshold
date), then one ``INSERT … SELECT … WHERE NOT EXISTS … ON CONFLICT DO NOTHING`` per rule
and kind raises every signal due, whatever the number of timers. Semantics (day counts are
working days, whatever the timer's own unit; docs/decisions/0010-supervision.md):

- warning: the timer runs, is not overdue, and at most ``warning_days`` working days are
  left (``working_days_between(today, due) <= warning_days``);
- yellow card: ``working_days_between(due, today) >= yellow_days``;
- red card: ``working_days_between(due, today) >= red_days``;
- stopped and paused timers raise nothing (a paused timer's clock is stopped);
- a signal is raised once per timer and kind (unique), never deleted; a timer already two
  working days late on its first sweep gets its yellow and its red card together.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext

from egov.core.audit import record
from egov.core.calendar import CalendarNotCovered, add_working_days
from egov.core.models import Timer

from . import summary
from .models import Signal, SupervisionRule

logger = logging.getLogger(__name__)

Kind = Signal.Kind
TIMER_KINDS = (Kind.WARNING, Kind.YELLOW, Kind.RED)
MIN_REASON_LENGTH = 2


class SupervisionError(ValueError):
    """A verb was asked for something it cannot do; the message says what to do instead."""


def timer_code(kind: str) -> str:
    """The ``code`` of the signals the timer sweep raises, e.g. ``timer.yellow``."""
    return f"timer.{kind}"


# --- thresholds -------------------------------------------------------------------------


def working_day_back(today: datetime.date, n: int) -> datetime.date:
    """The n-th working day counting back from ``today`` (``today`` itself is the first when
    it is a working day): ``working_days_between(due, today) >= n`` ⇔ ``due < result``."""
    if n < 1:
        raise ValueError("n must be 1 or more")
    return add_working_days(add_working_days(today, -n), 1)


def due_condition(kind: str, days: int, today: datetime.date) -> Q:
    """The condition on ``due_date`` for ``kind`` with the rule's day count ``days``."""
    if kind == Kind.WARNING:
        # working_days_between(today, due) <= days ⇔ due < the (days + 1)-th working day
        return Q(due_date__gte=today, due_date__lt=add_working_days(today, days + 1))
    return Q(due_date__lt=working_day_back(today, days))


def rule_days(rule: SupervisionRule, kind: str) -> int:
    return {
        Kind.WARNING: rule.warning_days,
        Kind.YELLOW: rule.yellow_days,
        Kind.RED: rule.red_days,
    }[kind]


# --- which timers a rule governs ---------------------------------------------------------

# A rule's dimensions, most weighty first: (rule attribute, timer field). A timer matches a
# rule when it equals every dimension the rule names; an empty dimension matches anything.
DIMENSIONS = (("purpose", "purpose"), ("item_type", "category"), ("body_id", "owner_body_id"))


def active_rules() -> list[SupervisionRule]:
    return list(SupervisionRule.objects.filter(active=True).order_by("pk"))


def specificity(rule: SupervisionRule) -> int:
    """The rank of a rule: purpose 4, item type 2, body 1, summed. Lexicographic, so
    purpose + type + body (7) > purpose + type (6) > purpose + body (5) > purpose (4) >
    type + body (3) > type (2) > body (1) > the default (0). Two active rules of the same
    rank that could both match a timer name the same values (the unique constraints forbid
    that), so the winner is always one rule."""
    return sum(
        weight
        for weight, (attribute, _field) in zip((4, 2, 1), DIMENSIONS, strict=True)
        if getattr(rule, attribute)
    )


def _named(rule: SupervisionRule) -> dict:
    """{timer field: value} of the dimensions ``rule`` names."""
    return {
        field: getattr(rule, attribute)
        for attribute, field in DIMENSIONS
        if getattr(rule, attribute)
    }


def governed_by(rule: SupervisionRule, rules: list[SupervisionRule]) -> Q:
    """The timers for which ``rule`` is the most specific of ``rules`` (see ``specificity``).

    One Q object: the timers ``rule`` matches, minus those a more specific rule that could
    match the same timers matches. Of such a rule only the dimensions ``rule`` leaves open
    are left to test (the others are equal); exclusions on one dimension are merged into
    one ``NOT IN``. The rules are few, the timers many: a loop over rules, never timers."""
    own = _named(rule)
    condition = Q(**own)
    rank = specificity(rule)
    single: dict[str, list] = {}
    combined: list[Q] = []
    for other in rules:
        if other.pk == rule.pk or specificity(other) <= rank:
            continue
        theirs = _named(other)
        if any(field in own and own[field] != value for field, value in theirs.items()):
            continue  # they never match the same timer
        extra = {field: value for field, value in theirs.items() if field not in own}
        if len(extra) == 1:
            [(field, value)] = extra.items()
            single.setdefault(field, []).append(value)
        else:
            combined.append(Q(**extra))
    for field, values in single.items():
        condition &= ~Q(**{f"{field}__in": sorted(set(values), key=str)})
    if combined:
        condition &= ~reduce(or_, combined)
    return condition


def rule_matches(rule: SupervisionRule, timer: Timer) -> bool:
    return all(getattr(timer, field) == value for field, value in _named(rule).items())


def rule_for(timer: Timer, rules: list[SupervisionRule] | None = None) -> SupervisionRule | None:
    """The rule that governs one timer (for display and tests; the sweep decides in SQL
    with ``governed_by``, which must agree with this)."""
    rules = active_rules() if rules is None else rules
    matching = [rule for rule in rules if rule_matches(rule, timer)]
    return max(matching, key=lambda rule: (specificity(rule), -rule.pk), default=None)


# --- the sweep ---------------------------------------------------------------------------


@dataclass
class SweepReport:
    today: datetime.date
    raised: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIMER_KINDS, 0))
    statements: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.raised.values())


def _insert_select(
    queryset, kind: str, rule: SupervisionRule, days: int, today, now
) -> dict[int, int]:
    """One INSERT … SELECT of every timer of ``queryset`` as a ``kind`` signal; returns how
    many were inserted per body id (for the monthly summary)."""
    code = timer_code(kind)
    rows = (
        queryset.filter(~Exists(Signal.objects.filter(timer=OuterRef("pk"), kind=kind, code=code)))
        .order_by()
        .annotate(
            s_kind=Value(str(kind), output_field=models.CharField()),
            s_code=Value(code, output_field=models.CharField()),
            s_timer=F("pk"),
            s_body=F("owner_body_id"),
            s_subject_type=F("subject_type"),
            s_subject_id=F("subject_id"),
            s_purpose=F("purpose"),
            s_due=F("due_date"),
            s_threshold=Value(days, output_field=models.IntegerField()),
            s_rule=Value(rule.pk, output_field=models.BigIntegerField()),
            s_raised_on=Value(today, output_field=models.DateField()),
            s_raised_at=Value(now, output_field=models.DateTimeField()),
            s_status=Value(Signal.Status.OPEN.value, output_field=models.CharField()),
            s_blank=Value("", output_field=models.CharField()),
            s_deducts=Value(True, output_field=models.BooleanField()),
        )
    )
    columns = {
        "kind": "s_kind",
        "code": "s_code",
        "timer_id": "s_timer",
        "body_id": "s_body",
        "subject_type": "s_subject_type",
        "subject_id": "s_subject_id",
        "purpose": "s_purpose",
        "due_date": "s_due",
        "threshold": "s_threshold",
        "rule_id": "s_rule",
        "raised_on": "s_raised_on",
        "raised_at": "s_raised_at",
        "status": "s_status",
        "explanation": "s_blank",
        "close_reason": "s_blank",
        "deducts": "s_deducts",
    }
    return insert_signals(rows, columns)


def insert_signals(rows, columns: dict[str, str]) -> dict[int, int]:
    """``INSERT INTO supervision_signal (<columns>) SELECT … FROM (rows) … ON CONFLICT DO
    NOTHING``: ``columns`` maps each signal column to the annotation of ``rows`` that gives
    it. Returns how many rows were inserted per body id (``summary.insert_counting``)."""
    select = rows.values(*sorted(set(columns.values())))
    inner, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    # Identifiers only (quoted), and Django's own compiled SELECT with its parameters.
    sql = (
        f"INSERT INTO {quote(Signal._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c) for c in columns)}) "
        f"SELECT {', '.join('sub.' + quote(a) for a in columns.values())} "
        f"FROM ({inner}) sub WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    return summary.insert_counting(sql, params)


def sweep(today: datetime.date | None = None, timers=None) -> SweepReport:
    """Raise every signal due on ``today`` (default: the local date) for the open timers of
    ``timers`` (default: all). Idempotent: a second run raises nothing new."""
    today = today or timezone.localdate()
    now = timezone.now()
    report = SweepReport(today=today)
    base = Timer.objects.all() if timers is None else timers
    base = base.filter(stopped_at__isnull=True, paused_at__isnull=True)
    rules = active_rules()
    inserted: dict[tuple[str, str], dict[int, int]] = {}
    with transaction.atomic():
        for rule in rules:
            scope = base.filter(governed_by(rule, rules))
            for kind in TIMER_KINDS:
                days = rule_days(rule, kind)
                try:
                    condition = due_condition(kind, days, today)
                except CalendarNotCovered as error:
                    report.skipped.append(f"{rule.pk}:{kind}")
                    logger.error("supervision sweep: rule %s, %s skipped: %s", rule.pk, kind, error)
                    continue
                bodies = _insert_select(scope.filter(condition), kind, rule, days, today, now)
                report.raised[kind] += sum(bodies.values())
                report.statements += 1
                counts = inserted.setdefault((str(kind), timer_code(kind)), {})
                for body_id, n in bodies.items():
                    counts[body_id] = counts.get(body_id, 0) + n
        # The monthly summary, in the same transaction: once, every key in sorted order.
        summary.add_inserted(today, inserted)
    return report


def check_timer(timer: Timer, today: datetime.date | None = None) -> SweepReport:
    """Raise at once what one timer has earned; modules call it right after changing a
    timer (the periodic sweep catches anything else within a minute)."""
    return sweep(today=today, timers=Timer.objects.filter(pk=timer.pk))


# --- explaining and closing --------------------------------------------------------------


def explain_signal(signal: Signal, *, text: str, by, request=None) -> Signal:
    """The responsible body's explanation (反馈). Allowed until a supervisor closes it."""
    text = (text or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise SupervisionError(gettext("Write the explanation; it cannot be empty."))
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        if locked.status == Signal.Status.CLOSED:
            raise SupervisionError(
                gettext("This signal was closed on %(date)s; it can no longer be explained.")
                % {"date": timezone.localdate(locked.closed_at)}
            )
        before = summary.signal_key(locked)
        locked.explanation = text
        locked.explained_at = timezone.now()
        locked.explained_by = by
        locked.status = Signal.Status.EXPLAINED
        locked.save(update_fields=["explanation", "explained_at", "explained_by", "status"])
        summary.move_signal(before, locked)
        record(
            "supervision.signal.explained",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={"kind": locked.kind, "code": locked.code, "text": text},
        )
    return locked


def close_signal(signal: Signal, *, reason: str, by, deducts: bool = True, request=None) -> Signal:
    """A supervisor closes a signal; the reason is required. ``deducts=False`` closes it as
    unfounded: it no longer counts in the body's score."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise SupervisionError(
            gettext(
                "Give the reason for closing this signal; a signal is never closed without one."
            )
        )
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        if locked.status == Signal.Status.CLOSED:
            raise SupervisionError(gettext("This signal is already closed."))
        before = summary.signal_key(locked)
        locked.close_reason = reason
        locked.closed_at = timezone.now()
        locked.closed_by = by
        locked.status = Signal.Status.CLOSED
        locked.deducts = bool(deducts)
        locked.save(update_fields=["close_reason", "closed_at", "closed_by", "status", "deducts"])
        summary.move_signal(before, locked)
        record(
            "supervision.signal.closed",
            actor=by,
            body=locked.body,
            obj=locked,
            request=request,
            detail={
                "kind": locked.kind,
                "code": locked.code,
                "reason": reason,
                "deducts": locked.deducts,
            },
        )
    return locked
