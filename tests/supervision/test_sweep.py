"""The sweep: each rule on crafted timers across National Day 2026 (1–7 October holidays,
Saturday 10 October a make-up working day) and the make-up Sunday 20 September; pauses,
stopped and clean timers; idempotence; the most specific rule wins; check_timer."""

import datetime
from datetime import date

import pytest

from egov.core.calendar import is_working_day, working_days_between
from egov.core.timers import pause_timer, resume_timer, start_timer, stop_timer
from egov.supervision import check_timer, sweep
from egov.supervision.models import Signal, SupervisionRule
from egov.supervision.services import working_day_back
from tests.supervision.conftest import make_timer

pytestmark = pytest.mark.django_db


def kinds(timer) -> set[str]:
    return set(Signal.objects.filter(timer=timer).values_list("kind", flat=True))


def test_the_seeded_calendar_is_what_these_tests_assume():
    assert not any(is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2026, 10, 10))  # Saturday, make-up working day
    assert is_working_day(date(2026, 9, 20))  # Sunday, make-up working day
    assert not is_working_day(date(2026, 9, 26))  # Saturday, Mid-Autumn


@pytest.mark.parametrize(
    "today,n",
    [
        (date(2026, 10, 8), 1),
        (date(2026, 10, 3), 1),
        (date(2026, 10, 12), 3),
        (date(2026, 9, 21), 2),
    ],
)
def test_working_day_back_is_the_threshold_of_working_days_between(today, n):
    threshold = working_day_back(today, n)
    for offset in range(1, 30):
        due = today - datetime.timedelta(days=offset)
        assert (working_days_between(due, today) >= n) == (due < threshold), due


def test_no_yellow_card_during_the_holiday_yellow_then_red_after_it():
    timer = make_timer(date(2026, 9, 30))  # due the Wednesday before National Day
    for day in range(1, 8):  # 1-7 October: overdue by the clock, but no working day passed
        sweep(today=date(2026, 10, day))
    assert kinds(timer) == set()
    sweep(today=date(2026, 10, 8))  # first working day after the due date
    assert kinds(timer) == {"yellow"}
    sweep(today=date(2026, 10, 9))
    assert kinds(timer) == {"yellow", "red"}
    red = Signal.objects.get(timer=timer, kind="red")
    assert (red.raised_on, red.due_date, red.threshold, red.code) == (
        date(2026, 10, 9),
        date(2026, 9, 30),
        2,
        "timer.red",
    )


def test_a_make_up_working_day_counts_as_overdue_day():
    timer = make_timer(date(2026, 9, 18))  # Friday; Sunday 20 September is a working day
    sweep(today=date(2026, 9, 19))  # Saturday: no working day has passed
    assert kinds(timer) == set()
    sweep(today=date(2026, 9, 20))
    assert kinds(timer) == {"yellow"}
    sweep(today=date(2026, 9, 21))
    assert kinds(timer) == {"yellow", "red"}


def test_a_make_up_saturday_makes_the_red_card_come_on_saturday():
    timer = make_timer(date(2026, 10, 8))
    sweep(today=date(2026, 10, 9))
    assert kinds(timer) == {"yellow"}
    sweep(today=date(2026, 10, 10))  # Saturday, make-up working day
    assert kinds(timer) == {"yellow", "red"}


def test_the_warning_counts_working_days_across_the_holiday():
    timer = make_timer(date(2026, 10, 8))  # due the first working day after the holiday
    sweep(today=date(2026, 9, 29))  # two working days left (30 Sep, 8 Oct)
    assert kinds(timer) == set()
    sweep(today=date(2026, 9, 30))  # one working day left, eight calendar days
    assert kinds(timer) == {"warning"}
    sweep(today=date(2026, 10, 8))  # the due day itself: still a warning only
    assert kinds(timer) == {"warning"}


def test_a_timer_found_late_gets_yellow_and_red_but_no_warning():
    timer = make_timer(date(2026, 9, 1))
    sweep(today=date(2026, 9, 15))
    assert kinds(timer) == {"yellow", "red"}


def test_clean_timers_raise_nothing():
    far = make_timer(date(2026, 12, 20))
    done = make_timer(date(2026, 9, 1), stopped=True)
    report = sweep(today=date(2026, 10, 12))
    assert report.total == 0
    assert kinds(far) == kinds(done) == set()


def test_no_signal_while_paused_and_the_clock_resumes_after(bodies):
    timer = start_timer(
        purpose="test.reply",
        subject=("tests.thing", "1"),
        limit=5,
        unit="working",
        start_date=date(2026, 9, 21),
        owner_body=bodies["T-SCJG"],
    )
    assert timer.due_date == date(2026, 9, 29)  # 25 September is a holiday
    pause_timer(timer, reason="expert opinion", on=date(2026, 9, 24))  # 2 working days owed
    for day in (date(2026, 9, 29), date(2026, 10, 8), date(2026, 10, 20)):
        assert sweep(today=day).total == 0
    assert kinds(timer) == set()
    resume_timer(timer, on=date(2026, 10, 20))
    assert timer.due_date == date(2026, 10, 22)
    check_timer(timer, today=date(2026, 10, 21))
    assert kinds(timer) == {"warning"}
    check_timer(timer, today=date(2026, 10, 23))
    assert kinds(timer) == {"warning", "yellow"}
    stop_timer(timer, reason="answered")
    assert sweep(today=date(2026, 11, 30)).total == 0
    assert kinds(timer) == {"warning", "yellow"}


def test_a_sweep_run_twice_raises_nothing_new(bodies):
    for offset in range(10):
        make_timer(date(2026, 9, 1) + datetime.timedelta(days=offset * 3), body=bodies["T-FGW"])
    first = sweep(today=date(2026, 9, 30))
    assert first.total > 0
    count = Signal.objects.count()
    second = sweep(today=date(2026, 9, 30))
    assert second.total == 0
    assert Signal.objects.count() == count
    assert first.total == count


def test_signals_carry_the_body_and_subject(bodies):
    timer = make_timer(date(2026, 9, 1), body=bodies["T-JL"], purpose="portal.error_report")
    sweep(today=date(2026, 9, 10))
    signal = Signal.objects.get(timer=timer, kind="yellow")
    assert signal.body == bodies["T-JL"]
    assert (signal.subject_type, signal.subject_id, signal.purpose) == (
        "tests.thing",
        timer.subject_id,
        "portal.error_report",
    )
    assert signal.status == Signal.Status.OPEN


def test_the_most_specific_rule_wins(bodies):
    scjg, fgw = bodies["T-SCJG"], bodies["T-FGW"]
    SupervisionRule.objects.create(purpose="slow.purpose", yellow_days=3, red_days=5)
    SupervisionRule.objects.create(body=scjg, yellow_days=2, red_days=4)
    SupervisionRule.objects.create(purpose="slow.purpose", body=scjg, yellow_days=4, red_days=6)
    due = date(2026, 9, 14)  # Monday; 17 Sep is 3 working days later
    default = make_timer(due, body=fgw)
    by_purpose = make_timer(due, body=fgw, purpose="slow.purpose")
    by_body = make_timer(due, body=scjg)
    by_both = make_timer(due, body=scjg, purpose="slow.purpose")
    sweep(today=date(2026, 9, 16))  # 2 working days overdue
    assert kinds(default) == {"warning", "yellow", "red"} - {"warning"}
    assert kinds(by_body) == {"yellow"}
    assert kinds(by_purpose) == set()
    assert kinds(by_both) == set()
    sweep(today=date(2026, 9, 17))  # 3
    assert kinds(by_purpose) == {"yellow"}
    assert kinds(by_both) == set()
    sweep(today=date(2026, 9, 18))  # 4
    assert kinds(by_body) == {"yellow", "red"}
    assert kinds(by_both) == {"yellow"}
    assert Signal.objects.get(timer=by_both, kind="yellow").threshold == 4


def test_an_inactive_rule_falls_back_to_the_next(bodies):
    SupervisionRule.objects.create(purpose="lenient", yellow_days=10, red_days=20, active=False)
    timer = make_timer(date(2026, 9, 14), purpose="lenient")
    sweep(today=date(2026, 9, 15))
    assert kinds(timer) == {"yellow"}


def test_no_rule_means_not_watched():
    SupervisionRule.objects.update(active=False)
    timer = make_timer(date(2026, 9, 1))
    assert sweep(today=date(2026, 10, 12)).total == 0
    assert kinds(timer) == set()


def test_a_red_card_cannot_come_before_the_yellow():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SupervisionRule(purpose="x", yellow_days=3, red_days=2).full_clean()


def test_signals_are_never_deleted():
    timer = make_timer(date(2026, 9, 1))
    sweep(today=date(2026, 9, 10))
    with pytest.raises(PermissionError):
        Signal.objects.filter(timer=timer).first().delete()


def test_the_periodic_task_sweeps():
    from egov.supervision import tasks

    timer = make_timer(datetime.date.today() - datetime.timedelta(days=30))
    tasks.sweep_periodically.call_local()
    assert {"yellow", "red"} <= kinds(timer)


def test_a_year_the_calendar_does_not_cover_skips_only_the_warning(caplog, published_calendar_only):
    """On 31 December 2026 the warning needs a working day of 2027; without the provisional
    days the calendar does not hold one: warnings are skipped (logged), the cards are still
    raised."""
    late = make_timer(date(2026, 12, 1))
    soon = make_timer(date(2026, 12, 31))
    report = sweep(today=date(2026, 12, 31))
    assert report.skipped == [f"{SupervisionRule.objects.get(purpose='', body=None).pk}:warning"]
    assert kinds(late) == {"yellow", "red"}
    assert kinds(soon) == set()
    assert "does not cover" in caplog.text


def test_the_roles_get_their_permissions_by_default():
    from egov.directory.models import Role

    def names(code):
        return set(Role.objects.get(code=code).permissions.values_list("codename", flat=True))

    assert {"view_signal", "close_signal", "change_supervisionrule"} <= names("supervisor")
    assert {"view_signal", "explain_signal"} <= names("office_head")
    assert "close_signal" not in names("office_head")
    assert "view_signal" not in names("window_clerk")


def test_a_timer_changed_through_the_verbs_is_checked_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    from django.utils import timezone

    long_ago = timezone.localdate() - datetime.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        timer = start_timer(
            purpose="test.reply",
            subject=("tests.thing", "1"),
            limit=5,
            unit="working",
            start_date=long_ago,
        )
    assert kinds(timer) == set()  # nothing before the commit
    for callback in pending:
        callback()
    assert kinds(timer) == {"yellow", "red"}  # at once, without waiting for the sweep

    with django_capture_on_commit_callbacks(execute=True):
        stop_timer(timer, reason="done")
    assert Signal.objects.filter(timer=timer).count() == 2  # stopping raises nothing new
