"""An item's limits on the one clock: working days skip weekends and public holidays and
count make-up working days; natural days count every day."""

import datetime
from datetime import date

import pytest
from django.utils import timezone

from egov.core.calendar import CalendarNotCovered, add_working_days
from egov.services.models import ServiceItemVersion

pytestmark = pytest.mark.django_db


def version(**limits) -> ServiceItemVersion:
    """An unsaved version with the given limits: due dates need no database row of it."""
    values = {
        "statutory_limit": 20,
        "statutory_unit": "working",
        "promised_limit": 3,
        "promised_unit": "working",
    }
    values.update(limits)
    return ServiceItemVersion(name="x", **values)


def test_spring_festival_working_days_count_the_make_up_saturday():
    # Friday 13 February 2026; Saturday the 14th is a make-up working day; 15–23 February
    # are the Spring Festival holiday. Three working days: the 14th, the 24th, the 25th.
    start = date(2026, 2, 13)
    assert version(promised_limit=3).due_date(start) == date(2026, 2, 25)
    assert version(promised_limit=1).due_date(start) == date(2026, 2, 14)
    assert version(promised_limit=3).due_date(start) == add_working_days(start, 3)


def test_the_same_limit_in_natural_days_runs_through_the_holiday():
    start = date(2026, 2, 13)
    assert version(promised_limit=3, promised_unit="natural").due_date(start) == date(2026, 2, 16)
    assert version(statutory_limit=10, statutory_unit="natural").due_date(
        start, kind="statutory"
    ) == date(2026, 2, 23)


def test_national_day_across_the_holiday_with_both_units():
    # Wednesday 30 September 2026; 1–7 October holiday; Saturday 10 October a make-up day.
    start = date(2026, 9, 30)
    promised_working = version(promised_limit=5)
    statutory_natural = version(statutory_limit=5, statutory_unit="natural")
    assert promised_working.due_date(start) == date(2026, 10, 13)  # 8, 9, 10, 12, 13
    assert statutory_natural.due_date(start, kind="statutory") == date(2026, 10, 5)


def test_the_statutory_and_the_promised_limit_are_told_apart():
    item = version(statutory_limit=20, promised_limit=5)
    start = date(2026, 3, 2)  # a Monday, no holiday for weeks
    assert item.due_date(start, kind="promised") == date(2026, 3, 9)
    assert item.due_date(start, kind="statutory") == date(2026, 3, 30)
    with pytest.raises(ValueError, match="promised' or 'statutory"):
        item.due_date(start, kind="soon")


def test_a_start_time_counts_from_its_day_in_beijing():
    # 20:00 UTC on 13 February is 04:00 on the 14th in Beijing: the start day is the 14th.
    start = datetime.datetime(2026, 2, 13, 20, 0, tzinfo=datetime.UTC)
    assert timezone.localdate(start) == date(2026, 2, 14)
    assert version(promised_limit=1).due_date(start) == date(2026, 2, 24)


def test_an_on_the_spot_item_is_due_the_same_day_and_no_law_means_no_statutory_date():
    item = version(handling_kind="immediate", promised_limit=0, statutory_limit=0)
    assert item.due_date(date(2026, 2, 13)) == date(2026, 2, 13)
    assert item.due_date(date(2026, 2, 13), kind="statutory") is None


def test_a_due_date_past_the_calendar_is_refused_loudly(published_calendar_only):
    with pytest.raises(CalendarNotCovered, match="2027"):
        version(promised_limit=10).due_date(date(2026, 12, 28))
    # In natural days no calendar is needed.
    assert version(promised_limit=10, promised_unit="natural").due_date(date(2026, 12, 28)) == (
        date(2027, 1, 7)
    )
