"""Anomalies (异常): what is wrong in a case's history even when no deadline is passed.

Each anomaly has a code and an ``AnomalyRule`` row (data: active or not, its day count where
it has one, whether it is serious — a serious anomaly is a red card). Two ways they are found:

- **from a case's history**, at once when the case changes (``cases.signals.case_changed``,
  after the transaction commits) — the history is read as data, so cases imported from other
  systems are judged the same way as egov's own:
  ``case.refusal_without_reason`` (不予受理 or a refusal whose reason is under 10 characters),
  ``case.step_out_of_order`` (a step skipped, repeated or taken out of the version's order),
  ``case.pause_without_reason``, ``case.correction_repeated`` (补正 asked more than once: the
  applicant must be told everything at once), ``case.fee_off_standard`` (a payment notice
  that differs from the item's fixed fees), ``case.offline_for_online_item`` (an item of
  online depth 4 taken at the window), ``case.bad_rating`` (不满意 or 非常不满意, unless an
  appeal was upheld);
- **by the sweep** (every minute, set-based: one ``INSERT … SELECT`` per rule of the cases
  without the signal yet): ``case.not_accepted_in_time`` (still waiting
  for acceptance N working days after submission) and ``case.pause_too_long`` (a case's clock
  paused more than N working days).

A signal per case and code, once (a partial unique index; raising twice changes nothing).
A rule row may be overridden for one service item type (``AnomalyRule.item_type``): the
cases of that type follow the override (its days, serious or not), the others the general
row — one query per row, still set-based.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Q,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from . import summary
from .models import AnomalyRule, Signal
from .services import insert_signals, working_day_back

CASE = "cases.case"
MIN_REASON = 10


def rules() -> dict[str, dict[str, AnomalyRule]]:
    """code → {item type ("" for every case) → the active rule}."""
    found: dict[str, dict[str, AnomalyRule]] = {}
    for rule in AnomalyRule.objects.filter(active=True):
        found.setdefault(rule.code, {})[rule.item_type] = rule
    return found


def rule_for(active: dict, code: str, item_type: str) -> AnomalyRule | None:
    """The rule of ``code`` for a case of ``item_type``: its active override, else the
    active general rule, else none (the anomaly is not watched for that case)."""
    by_type = active.get(code, {})
    return by_type.get(item_type) or by_type.get("")


def scopes(active: dict, code: str) -> list[tuple[AnomalyRule, Q]]:
    """Each active rule of ``code`` with the cases it governs (a ``Q`` on ``Case``): an
    override its item type, the general rule every other type. One query per rule."""
    by_type = active.get(code, {})
    overrides = sorted(t for t in by_type if t)
    result = [(by_type[t], Q(version__item_type=t)) for t in overrides]
    if "" in by_type:
        result.append((by_type[""], ~Q(version__item_type__in=overrides) if overrides else Q()))
    return result


def _raise(case, code: str, rule: AnomalyRule, detail: str, today: datetime.date) -> bool:
    if Signal.objects.filter(subject_type=CASE, subject_id=str(case.pk), code=code).exists():
        return False
    now = timezone.now()
    try:
        with transaction.atomic():
            signal = Signal.objects.create(
                kind=Signal.Kind.RED if rule.serious else Signal.Kind.ANOMALY,
                code=code,
                body_id=case.body_id,
                subject_type=CASE,
                subject_id=str(case.pk),
                purpose=detail[:100],
                raised_on=today,
                raised_at=now,
            )
            summary.add_signal(signal)  # the monthly summary, in the same transaction
    except IntegrityError:
        return False  # raised meanwhile by another process
    return True


def findings(case) -> list[tuple[str, str]]:
    """(code, detail) of every anomaly in ``case``'s history now."""
    from egov.cases.services import version_steps

    found = []
    events = list(case.events.order_by("at", "pk"))
    for event in events:
        refused = event.action == "refuse_acceptance" or (
            event.action == "decide" and event.detail.get("decision") == "refuse"
        )
        if refused and len((event.reason or "").strip()) < MIN_REASON:
            found.append(("case.refusal_without_reason", event.action))
            break
    steps = version_steps(case.version)
    done = [event.step for event in events if event.step]
    if done != steps[: len(done)]:
        found.append(("case.step_out_of_order", " → ".join(done)[:100]))
    if any(e.action == "pause" and not (e.reason or "").strip() for e in events):
        found.append(("case.pause_without_reason", "pause"))
    if sum(1 for e in events if e.action == "request_correction") > 1:
        found.append(("case.correction_repeated", "request_correction"))
    standard = sum(
        (fee.amount for fee in case.version.fees.all() if fee.amount is not None), Decimal("0")
    )
    for notice in case.payment_notices.all():
        if notice.amount != standard:
            found.append(("case.fee_off_standard", f"{notice.amount} ≠ {standard}"))
            break
    if case.channel == "window" and case.version.online_depth == 4:
        found.append(("case.offline_for_online_item", "window"))
    rating = getattr(case, "rating", None)
    if rating is not None and rating.score <= 2 and not rating.excluded:
        found.append(("case.bad_rating", str(rating.score)))
    return found


def check_case(case, today: datetime.date | None = None) -> list[str]:
    """Raise what ``case``'s history shows (by the rules of its item type); returns the
    codes raised now."""
    today = today or timezone.localdate()
    active = rules()
    item_type = case.version.item_type
    raised = []
    for code, detail in findings(case):
        rule = rule_for(active, code, item_type)
        if rule is not None and _raise(case, code, rule, detail, today):
            raised.append(code)
    return raised


def sweep_cases(today: datetime.date | None = None) -> int:
    """The time-based anomalies of every case (one query per rule, then only the new ones)."""
    from egov.cases.models import Case

    today = today or timezone.localdate()
    active = rules()
    raised = 0
    candidates = []
    for rule, scope in scopes(active, "case.not_accepted_in_time"):
        limit = working_day_back(today, rule.days)
        candidates.append(
            (rule, Case.objects.filter(scope, status="submitted", submitted_at__date__lt=limit))
        )
    for rule, scope in scopes(active, "case.pause_too_long"):
        limit = working_day_back(today, rule.days)
        candidates.append(
            (
                rule,
                Case.objects.filter(
                    scope, timer__stopped_at__isnull=True, timer__paused_at__lt=limit
                ),
            )
        )
    now = timezone.now()
    inserted: dict[tuple[str, str], dict[int, int]] = {}
    with transaction.atomic():
        for rule, cases in candidates:
            code = rule.code
            already = (
                Signal.objects.filter(subject_type=CASE, code=code)
                .annotate(case_pk=Cast("subject_id", BigIntegerField()))
                .values("case_pk")
            )
            kind = Signal.Kind.RED if rule.serious else Signal.Kind.ANOMALY
            # Set-based: one INSERT … SELECT of the new ones per rule; the unique index
            # ignores any raised meanwhile, and the insert counts what it added per body.
            rows = (
                cases.exclude(pk__in=already)
                .order_by()
                .annotate(
                    s_kind=Value(str(kind), output_field=CharField()),
                    s_code=Value(code, output_field=CharField()),
                    s_body=F("body_id"),
                    s_subject_type=Value(CASE, output_field=CharField()),
                    s_subject_id=Cast("pk", CharField()),
                    s_threshold=Value(0, output_field=IntegerField()),  # as before: no day count
                    s_raised_on=Value(today, output_field=DateField()),
                    s_raised_at=Value(now, output_field=DateTimeField()),
                    s_status=Value(Signal.Status.OPEN.value, output_field=CharField()),
                    s_blank=Value("", output_field=CharField()),
                    s_deducts=Value(True, output_field=BooleanField()),
                )
            )
            bodies = insert_signals(
                rows,
                {
                    "kind": "s_kind",
                    "code": "s_code",
                    "body_id": "s_body",
                    "subject_type": "s_subject_type",
                    "subject_id": "s_subject_id",
                    "purpose": "s_code",
                    "threshold": "s_threshold",
                    "raised_on": "s_raised_on",
                    "raised_at": "s_raised_at",
                    "status": "s_status",
                    "explanation": "s_blank",
                    "close_reason": "s_blank",
                    "deducts": "s_deducts",
                },
            )
            raised += sum(bodies.values())
            counts = inserted.setdefault((str(kind), code), {})
            for body_id, n in bodies.items():
                counts[body_id] = counts.get(body_id, 0) + n
        summary.add_inserted(today, inserted)
    return raised
