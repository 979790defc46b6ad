"""Gap-free yearly numbers (e.g. 依申请公开 request numbers): ``next_number("disclosure", 2026)``
returns 1, 2, 3 … within the caller's transaction. The counter row is locked until that
transaction ends, so concurrent callers wait rather than share a number, and a rollback hands
the number back (no gap)."""

from __future__ import annotations

from django.db import transaction

from egov.core.models import YearlyCounter


def next_number(series: str, year: int) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must be called inside a transaction (atomic block)")
    YearlyCounter.objects.get_or_create(series=series, year=year)
    counter = YearlyCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
