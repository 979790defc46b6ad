"""The timer service: start, pause, resume, stop across the 2026 holidays; the set-based state."""

import datetime
from datetime import date

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core import calendar
from egov.core.calendar import CalendarNotCovered, add_working_days, working_days_between
from egov.core.models import Timer, TimerPause
from egov.core.timers import (
    TimerError,
    TimerStateError,
    open_timers,
    overdue,
    pause_timer,
    paused,
    resume_timer,
    running,
    start_timer,
    state_counts,
    stop_timer,
    stopped,
    timer_state,
    timers_for,
    with_state,
)

WORKING, NATURAL = Timer.Unit.WORKING_DAYS, Timer.Unit.NATURAL_DAYS


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


def start(limit, start_date, unit=WORKING, subject=("cases.case", 1), **extra):
    return start_timer(
        purpose="cases.promised",
        subject=subject,
        limit=limit,
        unit=unit,
        start_date=start_date,
        **extra,
    )


# --- start -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_date", "limit", "due"),
    [
        (date(2026, 2, 13), 0, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # make-up Saturday
        (date(2026, 2, 13), 3, date(2026, 2, 25)),  # over the Spring Festival
        (date(2026, 2, 13), 20, date(2026, 3, 19)),  # a disclosure request's 20 working days
        (date(2026, 9, 18), 10, date(2026, 10, 9)),  # over Mid-Autumn and National Day
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # make-up Saturday
    ],
)
def test_the_due_date_counts_working_days_after_the_start_day(start_date, limit, due):
    timer = start(limit, start_date)
    assert timer.due_date == due
    assert Timer.objects.get(pk=timer.pk).due_date == due


def test_a_natural_day_timer_counts_every_day():
    timer = start(15, date(2026, 2, 13), unit=NATURAL)
    assert timer.due_date == date(2026, 2, 28)


def test_start_records_subject_owner_and_author(django_user_model):
    from egov.directory.models import Organisation

    body = Organisation.objects.create(code="YC-SJJ", name_zh="永川区审批局", kind="department")
    clerk = django_user_model.objects.create_user("clerk", email="clerk@example.org")
    timer = start(5, date(2026, 2, 13), subject=body, owner_body=body, by=clerk)
    assert (timer.subject_type, timer.subject_id) == ("directory.organisation", str(body.pk))
    assert (timer.owner_body, timer.created_by) == (body, clerk)
    assert list(timers_for(body)) == [timer]
    assert list(timers_for(("directory.organisation", body.pk), purpose="other")) == []


def test_start_defaults_to_today():
    timer = start_timer(purpose="p", subject=("x.y", 1), limit=0, unit=NATURAL, start_date=None)
    assert timer.start_date == timezone.localdate() == timer.due_date


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "hours"}, "Unknown unit"),
        ({"limit": -1}, "0 or more"),
        ({"limit": 2.5}, "whole number"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "x" * 101}, "shorten it to 100"),
        ({"subject": "cases.case:1"}, "pair"),
        ({"subject": ("cases.case", "")}, "must both be given"),
        ({"start_date": timezone.now()}, "must be a date"),
    ],
)
def test_bad_start_is_refused_with_a_clear_message(changes, message):
    arguments = {
        "purpose": "cases.promised",
        "subject": ("cases.case", 1),
        "limit": 5,
        "unit": WORKING,
        "start_date": date(2026, 2, 13),
        **changes,
    }
    with pytest.raises(TimerError, match=message):
        start_timer(**arguments)
    assert not Timer.objects.exists()


def test_a_due_date_past_the_calendar_is_refused_and_nothing_is_saved(published_calendar_only):
    with pytest.raises(CalendarNotCovered, match="2027"):
        start(10, date(2026, 12, 24))
    assert not Timer.objects.exists()


# --- pause and resume across the holidays ---------------------------------------------------


def test_a_pause_before_the_spring_festival_moves_the_due_date():
    timer = start(5, date(2026, 2, 10))  # 11, 12, 13, 14, 24
    assert timer.due_date == date(2026, 2, 24)
    pause = pause_timer(timer, reason="awaiting correction (补正)", on=date(2026, 2, 13))
    assert (pause.paused_on, pause.remaining) == (date(2026, 2, 13), 2)  # 14 and 24 owed
    assert timer.paused_at == date(2026, 2, 13)
    assert timer_state(timer, today=date(2026, 3, 30)) == Timer.State.PAUSED

    resume_timer(timer, on=date(2026, 2, 25))

    assert timer.due_date == date(2026, 2, 27)  # 26, 27
    assert timer.paused_at is None
    pause.refresh_from_db()
    assert pause.resumed_on == date(2026, 2, 25)
    assert Timer.objects.get(pk=timer.pk).due_date == date(2026, 2, 27)


def test_a_pause_from_make_up_day_to_make_up_day():
    timer = start(4, date(2026, 2, 12))  # 13, 14, 24, 25
    assert timer.due_date == date(2026, 2, 25)
    assert pause_timer(timer, reason="expert review", on=date(2026, 2, 14)).remaining == 2
    resume_timer(timer, on=date(2026, 2, 28))  # a make-up Saturday, not counted as start
    assert timer.due_date == date(2026, 3, 3)  # 2 and 3 March


def test_a_pause_wholly_inside_the_festival_changes_nothing():
    timer = start(4, date(2026, 2, 12))
    pause_timer(timer, reason="site visit", on=date(2026, 2, 16))
    resume_timer(timer, on=date(2026, 2, 20))
    assert timer.due_date == date(2026, 2, 25)


def test_two_pauses_around_national_day():
    timer = start(10, date(2026, 9, 18))
    assert timer.due_date == date(2026, 10, 9)
    first = pause_timer(timer, reason="third-party opinion", on=date(2026, 9, 24))
    assert first.remaining == 5  # 28, 29, 30 September, 8, 9 October
    resume_timer(timer, on=date(2026, 10, 10))  # make-up Saturday
    assert timer.due_date == date(2026, 10, 16)  # 12, 13, 14, 15, 16
    second = pause_timer(timer, reason="hearing", on=date(2026, 10, 12))
    assert second.remaining == 4
    resume_timer(timer, on=date(2026, 10, 12))  # resumed the same day: nothing moves
    assert timer.due_date == date(2026, 10, 16)
    assert list(timer.pauses.values_list("paused_on", "resumed_on", "remaining")) == [
        (date(2026, 9, 24), date(2026, 10, 10), 5),
        (date(2026, 10, 12), date(2026, 10, 12), 4),
    ]


def test_a_pause_on_the_due_day_owes_nothing_more():
    timer = start(2, date(2026, 2, 12))  # 13, 14
    assert pause_timer(timer, reason="r", on=date(2026, 2, 14)).remaining == 0
    resume_timer(timer, on=date(2026, 2, 26))
    assert timer.due_date == date(2026, 2, 26)
    assert timer_state(timer, today=date(2026, 2, 26)) == Timer.State.RUNNING
    assert timer_state(timer, today=date(2026, 2, 27)) == Timer.State.OVERDUE


def test_an_overdue_timer_stays_as_late_after_a_pause():
    timer = start(1, date(2026, 9, 18))
    assert timer.due_date == date(2026, 9, 20)
    pause = pause_timer(timer, reason="r", on=date(2026, 9, 22))
    assert pause.remaining == -2  # two working days late: 21 and 22
    resume_timer(timer, on=date(2026, 10, 8))
    assert timer.due_date == date(2026, 9, 29)
    assert working_days_between(timer.due_date, date(2026, 10, 8)) == 2  # still two days late
    assert timer_state(timer, today=date(2026, 10, 8)) == Timer.State.OVERDUE


def test_a_natural_day_pause_owes_calendar_days():
    timer = start(15, date(2026, 2, 13), unit=NATURAL)  # due 28 February
    assert pause_timer(timer, reason="r", on=date(2026, 2, 20)).remaining == 8
    resume_timer(timer, on=date(2026, 2, 25))
    assert timer.due_date == date(2026, 3, 5)


def test_a_resume_whose_due_date_falls_past_the_calendar_leaves_the_timer_paused(
    published_calendar_only,
):
    timer = start(5, date(2026, 12, 1))
    pause = pause_timer(timer, reason="r", on=date(2026, 12, 2))
    with pytest.raises(CalendarNotCovered, match="2027-01-01"):
        resume_timer(timer, on=date(2026, 12, 30))
    timer.refresh_from_db()
    pause.refresh_from_db()
    assert timer.paused_at == date(2026, 12, 2)
    assert pause.resumed_on is None


def test_pause_and_resume_record_who_and_why(django_user_model):
    clerk = django_user_model.objects.create_user("clerk", email="clerk@example.org")
    timer = start(5, date(2026, 2, 10))
    pause_timer(timer, reason="  awaiting correction  ", on=date(2026, 2, 11), by=clerk)
    pause = TimerPause.objects.get(timer=timer)
    assert (pause.reason, pause.by) == ("awaiting correction", clerk)


@given(
    start_date=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 6, 30)),
    limit=st.integers(min_value=1, max_value=40),
    pause_offset=st.integers(min_value=0, max_value=80),
    pause_length=st.integers(min_value=0, max_value=40),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_days_counted_before_and_after_a_pause_add_up_to_the_limit(
    start_date, limit, pause_offset, pause_length
):
    timer = start(limit, start_date)
    pause_day = start_date + datetime.timedelta(days=pause_offset)
    resume_day = pause_day + datetime.timedelta(days=pause_length)
    pause = pause_timer(timer, reason="r", on=pause_day)
    resume_timer(timer, on=resume_day)
    assert timer.due_date >= resume_day or pause.remaining < 0
    if pause.remaining > 0:
        counted = working_days_between(start_date, pause_day) + working_days_between(
            resume_day, timer.due_date
        )
        assert counted == limit
        assert calendar.is_working_day(timer.due_date)
    if pause_length == 0 and pause.remaining != 0:
        assert timer.due_date == add_working_days(start_date, limit)  # nothing moved


# --- refused transitions ------------------------------------------------------------------------


def test_pausing_a_paused_timer_is_refused():
    timer = start(5, date(2026, 2, 10))
    pause_timer(timer, reason="r", on=date(2026, 2, 11))
    with pytest.raises(TimerStateError, match="already paused since 2026-02-11"):
        pause_timer(timer, reason="again", on=date(2026, 2, 12))
    assert timer.pauses.count() == 1


def test_resuming_a_running_timer_is_refused():
    timer = start(5, date(2026, 2, 10))
    with pytest.raises(TimerStateError, match="is not paused"):
        resume_timer(timer, on=date(2026, 2, 11))
    assert Timer.objects.get(pk=timer.pk).due_date == date(2026, 2, 24)


def test_a_stopped_timer_cannot_be_paused_resumed_or_stopped_again():
    timer = start(5, date(2026, 2, 10))
    stop_timer(timer, reason="decided (办结)")
    with pytest.raises(TimerStateError, match="stopped"):
        pause_timer(timer, reason="r", on=date(2026, 2, 11))
    with pytest.raises(TimerStateError, match="stopped"):
        resume_timer(timer, on=date(2026, 2, 11))
    with pytest.raises(TimerStateError, match="already stopped"):
        stop_timer(timer)


def test_a_stale_instance_cannot_bypass_the_state_check():
    timer = start(5, date(2026, 2, 10))
    stale = Timer.objects.get(pk=timer.pk)
    pause_timer(timer, reason="r", on=date(2026, 2, 11))
    assert stale.paused_at is None  # this copy does not know
    with pytest.raises(TimerStateError, match="already paused"):
        pause_timer(stale, reason="r", on=date(2026, 2, 12))


def test_bad_dates_and_reasons_are_refused():
    timer = start(5, date(2026, 2, 10))
    with pytest.raises(TimerError, match="reason"):
        pause_timer(timer, reason=" ", on=date(2026, 2, 11))
    with pytest.raises(TimerError, match="before 2026-02-10"):
        pause_timer(timer, reason="r", on=date(2026, 2, 9))
    pause_timer(timer, reason="r", on=date(2026, 2, 12))
    with pytest.raises(TimerError, match="cannot resume earlier"):
        resume_timer(timer, on=date(2026, 2, 11))
    resume_timer(timer, on=date(2026, 2, 24))
    with pytest.raises(TimerError, match="last resumed"):
        pause_timer(timer, reason="r", on=date(2026, 2, 13))
    with pytest.raises(TimerError, match="shorten it to 200"):
        pause_timer(timer, reason="x" * 201, on=date(2026, 2, 25))
    with pytest.raises(TimerError, match="date and time"):
        stop_timer(timer, at=date(2026, 2, 25))
    with pytest.raises(TimerError, match="shorten it to 200"):
        stop_timer(timer, reason="x" * 201)
    assert timer_state(Timer.objects.get(pk=timer.pk), today=date(2026, 2, 25)) == "running"


def test_stopping_a_paused_timer_leaves_its_pause_open():
    timer = start(5, date(2026, 2, 10))
    pause = pause_timer(timer, reason="awaiting correction", on=date(2026, 2, 11))
    stop_timer(timer, reason="correction not supplied in time")
    pause.refresh_from_db()
    assert pause.resumed_on is None
    assert timer.stop_reason == "correction not supplied in time"
    assert timer_state(timer) == Timer.State.STOPPED


# --- the set-based state ---------------------------------------------------------------------

TODAY = date(2026, 3, 2)


@pytest.fixture
def timers_in_every_state():
    """Four timers of each state on TODAY, keyed by their expected state."""
    expected = {}
    for i in range(4):
        due_today = start(7, date(2026, 2, 13), subject=("cases.case", f"r{i}"))  # due 2 March
        later = start(20, date(2026, 2, 24), subject=("cases.case", f"l{i}"))
        late = start(2, date(2026, 2, 13), subject=("cases.case", f"o{i}"))  # due 24 February
        held = start(1, date(2026, 2, 13), subject=("cases.case", f"p{i}"))  # due 14 February
        pause_timer(held, reason="r", on=date(2026, 2, 14))  # paused, though its date passed
        done = start(1, date(2026, 2, 13), subject=("cases.case", f"s{i}"))
        stop_timer(done, at=timezone.make_aware(datetime.datetime(2026, 2, 14, 10)))
        done_paused = start(3, date(2026, 2, 13), subject=("cases.case", f"sp{i}"))
        pause_timer(done_paused, reason="r", on=date(2026, 2, 14))
        stop_timer(done_paused, reason="withdrawn")
        expected.update(
            {
                due_today.pk: "running",
                later.pk: "running",
                late.pk: "overdue",
                held.pk: "paused",
                done.pk: "stopped",
                done_paused.pk: "stopped",
            }
        )
    return expected


def test_the_state_of_many_timers_comes_from_one_query(
    timers_in_every_state, django_assert_num_queries
):
    with django_assert_num_queries(1):
        states = dict(with_state(Timer.objects.all(), today=TODAY).values_list("pk", "state"))
    assert states == timers_in_every_state
    assert set(states.values()) == {"running", "paused", "stopped", "overdue"}


def test_the_python_rule_and_the_sql_rule_agree(timers_in_every_state):
    for timer in with_state(Timer.objects.all(), today=TODAY):
        assert timer_state(timer, today=TODAY) == timer.state


def test_state_counts_in_one_query(timers_in_every_state, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = state_counts(Timer.objects.all(), today=TODAY)
    assert counts == {"running": 8, "paused": 4, "stopped": 8, "overdue": 4}
    assert state_counts(Timer.objects.none(), today=TODAY) == dict.fromkeys(counts, 0)


def test_the_filters_agree_with_the_annotation(timers_in_every_state):
    def pks(queryset):
        return set(queryset.values_list("pk", flat=True))

    def expected(*states):
        return {pk for pk, state in timers_in_every_state.items() if state in states}

    assert pks(overdue(Timer.objects.all(), today=TODAY)) == expected("overdue")
    assert pks(running(Timer.objects.all(), today=TODAY)) == expected("running")
    assert pks(paused()) == expected("paused")
    assert pks(stopped()) == expected("stopped")
    assert pks(open_timers()) == expected("running", "paused", "overdue")
    # a day later the timers due today are overdue too
    assert len(overdue(today=TODAY + datetime.timedelta(days=1))) == 8


def test_with_state_filters_by_state_on_any_queryset(timers_in_every_state):
    mine = Timer.objects.filter(subject_id__startswith="o")
    assert with_state(mine, today=TODAY).filter(state="overdue").count() == 4
    assert with_state(mine, today=date(2026, 2, 24)).filter(state="running").count() == 4


# --- the back-office (read-only) --------------------------------------------------------------


def test_an_administrator_reads_timers_but_cannot_add_or_change_them(
    client, django_user_model, timers_in_every_state
):
    from tests.conftest import login_verified

    admin = django_user_model.objects.create_superuser(
        "root", email="root@example.org", password="x-Secret-123"
    )
    login_verified(client, admin)
    response = client.get("/backoffice/core/timer/", {"state": "paused"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 4
    assert client.get("/backoffice/core/timer/add/").status_code == 403
    pk = next(iter(timers_in_every_state))
    page = client.get(f"/backoffice/core/timer/{pk}/change/")
    assert page.status_code == 200
    assert client.post(f"/backoffice/core/timer/{pk}/change/", {"limit": 1}).status_code == 403
