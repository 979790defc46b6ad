"""Provisional working days past the last published year (decision 0019): the statutory
holidays by rule, the official days replacing them, and running timers re-dated then."""

from datetime import date

import chinese_calendar
import pytest
from django.utils import timezone

from egov.core import calendar
from egov.core.calendar import (
    PROVISIONAL_SOURCE,
    add_working_days,
    extend_provisionally,
    is_provisional,
    is_working_day,
    known_range,
    missing_next_year_warning,
    package_years,
    provisional_horizon,
    provisional_years,
    seed_from_package,
    statutory_holidays,
)
from egov.core.models import AuditEntry, CalendarDay, Timer
from egov.core.timers import pause_timer, start_timer, stop_timer
from tests.conftest import login_verified

WORKING = Timer.Unit.WORKING_DAYS
CHANGELIST = "/backoffice/core/calendarday/"


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", email="root@example.org", password="x-Secret-123"
    )


def timer(start: date, limit: int = 20, unit: str = WORKING, subject: int = 1) -> Timer:
    return start_timer(
        purpose="test", subject=("test.case", subject), limit=limit, unit=unit, start_date=start
    )


# --- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_rule_gives_days_off_the_state_council_also_gave(year):
    """The holiday rules of 2024 hold from 2025: every statutory day the rule computes was a
    day off in the published arrangement (which adds bridges and days in lieu)."""
    for day, name in statutory_holidays(year).items():
        assert chinese_calendar.is_holiday(day), (day, name)
    assert len(statutory_holidays(year)) == 13


def test_the_rule_knows_the_lunar_and_solar_term_holidays_of_2027():
    days = statutory_holidays(2027)
    spring = [day for day, name in days.items() if name.startswith("春节")]
    assert spring == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]
    assert days[date(2027, 4, 5)] == "清明 (Tomb-sweeping Day)"
    assert days[date(2027, 6, 9)] == "端午 (Dragon Boat Festival)"
    assert days[date(2027, 9, 15)] == "中秋 (Mid-autumn Festival)"
    assert days[date(2027, 1, 1)] == "元旦 (New Year's Day)"


# --- the table ----------------------------------------------------------------------------


def test_the_years_after_the_published_ones_are_provisional_up_to_next_year():
    first_provisional = package_years().stop
    horizon = provisional_horizon()
    assert horizon == timezone.localdate().year + 1
    assert known_range()[1] == date(max(horizon, first_provisional - 1), 12, 31)
    assert provisional_years() == list(range(first_provisional, horizon + 1))
    assert not is_provisional(date(2026, 12, 31))
    if first_provisional == 2027:
        assert is_provisional(date(2027, 1, 13))
        row = CalendarDay.objects.get(date=date(2027, 2, 8))
        assert (row.is_working_day, row.kind, row.source) == (False, "holiday", PROVISIONAL_SOURCE)
        assert is_working_day(date(2027, 2, 9))
        assert not is_working_day(date(2027, 2, 13))  # a Saturday: no make-up day is guessed


def test_a_deadline_runs_into_the_provisional_year():
    # 12 working days in December 2026, New Year's Day off, then 8 more in January.
    assert add_working_days(date(2026, 12, 15), 20) == date(2027, 1, 13)
    started = timer(date(2026, 12, 15))
    assert started.due_date == date(2027, 1, 13)


def test_extending_fills_only_the_days_without_a_row():
    CalendarDay.objects.filter(date__year__gte=2027).delete()
    CalendarDay.objects.create(
        date=date(2027, 2, 9), is_working_day=False, kind="holiday", name="春节", source="通知"
    )
    assert extend_provisionally(2027) == 364
    assert extend_provisionally(2027) == 0
    kept = CalendarDay.objects.get(date=date(2027, 2, 9))
    assert (kept.is_working_day, kept.source) == (False, "通知")
    assert not is_working_day(date(2027, 2, 9))
    assert CalendarDay.objects.filter(date__year=2027).count() == 365


def test_the_nightly_task_keeps_the_horizon():
    from egov.core import tasks

    CalendarDay.objects.filter(date__year__gte=2027).delete()
    created = tasks.extend_provisional_calendar.call_local()
    assert created == sum(
        366 if year % 4 == 0 else 365 for year in range(2027, provisional_horizon() + 1)
    )
    assert known_range()[1] == date(provisional_horizon(), 12, 31)


def test_an_administrator_is_told_next_year_is_provisional(superuser):
    message = missing_next_year_warning(superuser, today=date(2026, 11, 15))
    assert "calendar of 2027 is provisional" in message
    assert "seed_calendar --years 2027" in message
    assert missing_next_year_warning(superuser, today=date(2026, 10, 15)) is None


# --- official days replace provisional ones; running timers move with them ----------------


def test_an_official_day_entered_in_the_back_office_re_dates_the_running_timers(client, superuser):
    running = timer(date(2026, 12, 15), subject=1)
    paused = timer(date(2026, 12, 15), subject=2)
    pause_timer(paused, reason="waiting for the applicant", on=date(2026, 12, 20))
    stopped = timer(date(2026, 12, 15), subject=3)
    stop_timer(stopped, reason="done")
    natural = timer(date(2026, 12, 15), limit=30, unit=Timer.Unit.NATURAL_DAYS, subject=4)
    early = timer(date(2026, 12, 1), limit=5, subject=5)  # due before the changed day
    dates = {t.pk: t.due_date for t in (paused, stopped, natural, early)}
    assert running.due_date == date(2027, 1, 13)

    login_verified(client, superuser)
    response = client.post(
        f"{CHANGELIST}2027-01-04/change/",
        {"kind": "holiday", "name": "元旦 (New Year's Day)", "source": "国办发明电〔2026〕9号"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    assert "1 running timer moved" in response.content.decode()

    running.refresh_from_db()
    assert running.due_date == date(2027, 1, 14)
    for other in (paused, stopped, natural, early):
        other.refresh_from_db()
        assert other.due_date == dates[other.pk]
    row = CalendarDay.objects.get(date=date(2027, 1, 4))
    assert (row.is_working_day, row.source) == (False, "国办发明电〔2026〕9号")
    assert not is_provisional(date(2027, 1, 4))
    entry = AuditEntry.objects.get(action="calendar.day.change")
    assert entry.detail["timers_redated"] == 1
    assert entry.actor_label == "root"


def test_a_resumed_timer_is_re_dated_from_its_resume():
    resumed = timer(date(2026, 12, 1), subject=1)
    pause_timer(resumed, reason="third party", on=date(2026, 12, 10))
    from egov.core.timers import resume_timer

    resume_timer(resumed, on=date(2026, 12, 28))
    before_due = resumed.due_date
    assert before_due > date(2027, 1, 1)
    snapshot = calendar.snapshot()
    day = CalendarDay.objects.get(date=date(2027, 1, 4))
    day.is_working_day, day.kind, day.source = False, "holiday", "notice"
    day.save()
    from egov.core.timers import redate_after_calendar_change

    assert redate_after_calendar_change(snapshot, date(2027, 1, 4)) == 1
    resumed.refresh_from_db()
    assert resumed.due_date == add_working_days(date(2026, 12, 28), 13)
    assert (before_due, resumed.due_date) == (date(2027, 1, 15), date(2027, 1, 18))  # Fri → Mon


def test_a_provisional_row_cannot_be_saved_as_it_is(client, superuser):
    login_verified(client, superuser)
    response = client.post(
        f"{CHANGELIST}2027-01-04/change/",
        {"kind": "holiday", "name": "", "source": PROVISIONAL_SOURCE},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "still says provisional" in str(response.context["adminform"].form.errors)
    assert CalendarDay.objects.get(date=date(2027, 1, 4)).is_working_day


def test_confirming_provisional_days_makes_them_official(client, superuser, django_user_model):
    login_verified(client, superuser)
    selected = ["2027-01-05", "2027-01-06"]
    response = client.post(
        CHANGELIST,
        {"action": "confirm_provisional", "_selected_action": selected, "index": 0},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    assert "2 provisional days confirmed" in response.content.decode()
    for day in selected:
        row = CalendarDay.objects.get(date=date.fromisoformat(day))
        assert row.source.startswith("confirmed by root on ")
        assert not is_provisional(row.date)
    assert is_provisional(date(2027, 1, 7))
    assert AuditEntry.objects.filter(action="calendar.days.confirm").count() == 1

    clerk = django_user_model.objects.create_user(
        "clerk", password="x-Secret-123", is_staff=True, kind="staff"
    )
    client.logout()
    login_verified(client, clerk)
    response = client.post(
        CHANGELIST, {"action": "confirm_provisional", "_selected_action": ["2027-01-07"]}
    )
    assert response.status_code == 403
    assert is_provisional(date(2027, 1, 7))


def test_seeding_replaces_provisional_days_and_re_dates_the_timers():
    """What upgrading the package does to a provisional year, played on December 2026: the
    rows are made provisional with one day off the package does not have, a timer counts
    over it, and seeding puts the published days back and moves the timer."""
    december = CalendarDay.objects.filter(date__range=(date(2026, 12, 1), date(2026, 12, 31)))
    december.update(source=PROVISIONAL_SOURCE, updated_at=timezone.now())
    CalendarDay.objects.filter(date=date(2026, 12, 21)).update(
        is_working_day=False, kind="holiday", name="guess", updated_at=timezone.now()
    )
    calendar.invalidate_cache()
    counted = timer(date(2026, 12, 15), limit=10)
    assert counted.due_date == date(2026, 12, 30)

    report = seed_from_package([2026])

    assert report.updated == 31
    assert report.first_updated == date(2026, 12, 1)
    assert report.redated == 1
    counted.refresh_from_db()
    assert counted.due_date == date(2026, 12, 29)
    assert not is_provisional(date(2026, 12, 21))
    assert is_working_day(date(2026, 12, 21))
