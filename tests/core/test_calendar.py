"""The working-day calendar: seeded data, arithmetic, coverage, cache, warning and back-office."""

import datetime
import io
from datetime import date

import chinese_calendar
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov.core import calendar
from egov.core.calendar import (
    CalendarNotCovered,
    CalendarSeedError,
    add_natural_days,
    add_working_days,
    is_working_day,
    known_range,
    missing_next_year_warning,
    natural_days_between,
    package_source,
    package_years,
    seed_from_package,
    working_days_between,
)
from egov.core.models import CalendarDay
from tests.conftest import login_verified

FIRST, LAST = date(2020, 1, 1), date(2026, 12, 31)
MAKEUP_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]
hypothesis_db = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    """Each test reads the calendar as its own database transaction sees it; a rolled-back
    edit sends no signal, so the in-memory cache is dropped around every test."""
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def oracle_add(start: date, n: int) -> date:
    """The n-th working day after start, counted one day at a time with the package."""
    day = start
    while n > 0:
        day += datetime.timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


# --- the seeded table -------------------------------------------------------------------


def test_every_day_from_2020_to_2026_has_one_row_from_the_package():
    published = CalendarDay.objects.filter(date__lte=LAST)
    assert published.count() == (LAST - FIRST).days + 1
    assert known_range()[0] == FIRST
    assert set(published.values_list("source", flat=True)) == {package_source()}
    assert package_source().startswith("chinese-calendar 1.")
    # After the package's last year, only provisional days (decision 0019).
    later = CalendarDay.objects.filter(date__gt=LAST).values_list("source", flat=True)
    assert set(later) <= {calendar.PROVISIONAL_SOURCE}


def test_2026_has_248_working_days_and_the_six_announced_make_up_days():
    year = CalendarDay.objects.filter(date__year=2026)
    assert year.filter(is_working_day=True).count() == 248
    makeup = year.filter(kind=CalendarDay.Kind.MAKEUP)
    assert list(makeup.values_list("date", flat=True)) == MAKEUP_2026
    assert all(makeup.values_list("is_working_day", flat=True))


def test_kinds_agree_with_the_working_day_flag():
    working_kinds = {CalendarDay.Kind.WORKDAY, CalendarDay.Kind.MAKEUP}
    for kind, working in CalendarDay.objects.values_list("kind", "is_working_day"):
        assert (kind in working_kinds) == working


def test_spring_festival_2026_is_15_to_23_february_with_names():
    holidays = CalendarDay.objects.filter(
        date__range=(date(2026, 2, 1), date(2026, 3, 31)), kind=CalendarDay.Kind.HOLIDAY
    )
    assert list(holidays.values_list("date", flat=True)) == list(
        days(date(2026, 2, 15), date(2026, 2, 23))
    )
    assert set(holidays.values_list("name", flat=True)) == {"春节 (Spring Festival)"}
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).name == "春节 (Spring Festival)"
    assert CalendarDay.objects.get(date=date(2026, 2, 21)).kind == CalendarDay.Kind.HOLIDAY
    assert CalendarDay.objects.get(date=date(2026, 3, 1)).kind == CalendarDay.Kind.WEEKEND


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday
        (date(2026, 2, 14), True),  # Saturday, make-up working day
        (date(2026, 2, 15), False),  # Spring Festival
        (date(2026, 2, 23), False),  # Monday, still Spring Festival
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, make-up working day
        (date(2026, 3, 1), False),  # Sunday
        (date(2026, 9, 19), False),  # Saturday
        (date(2026, 9, 20), True),  # Sunday, make-up working day
        (date(2026, 9, 25), False),  # Mid-Autumn Festival, a Friday
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, make-up working day
        (date(2026, 10, 11), False),
    ],
)
def test_is_working_day_around_the_2026_holidays(day, working):
    assert is_working_day(day) is working


# --- arithmetic around the Spring Festival and National Day 2026 -------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 13), 0, date(2026, 2, 13)),
        (date(2026, 2, 15), 0, date(2026, 2, 15)),  # n = 0 returns start, even on a holiday
        (date(2026, 2, 12), 1, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the make-up Saturday counts
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # the whole festival is skipped
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 18), 1, date(2026, 2, 24)),  # starting inside the festival
        (date(2026, 2, 24), 4, date(2026, 2, 28)),
        (date(2026, 2, 24), 5, date(2026, 3, 2)),
        (date(2026, 2, 13), 20, date(2026, 3, 19)),
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # the make-up Sunday counts
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-Autumn 25-27 skipped
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # National Day 1-7 skipped
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
        (date(2026, 9, 18), 10, date(2026, 10, 9)),
        (date(2026, 2, 24), -1, date(2026, 2, 14)),  # backwards over the festival
        (date(2026, 10, 8), -1, date(2026, 9, 30)),
        (date(2026, 10, 8), -2, date(2026, 9, 29)),
        # from a holiday, back from the last working day before it (30 September)
        (date(2026, 10, 4), -1, date(2026, 9, 29)),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2026, 2, 13), date(2026, 2, 13), 0),
        (date(2026, 2, 13), date(2026, 3, 2), 7),  # 14, 24, 25, 26, 27, 28, 2 March
        (date(2026, 3, 2), date(2026, 2, 13), -7),
        (date(2026, 2, 14), date(2026, 2, 23), 0),  # the festival: no working day
        (date(2026, 2, 15), date(2026, 2, 24), 1),
        (date(2026, 9, 18), date(2026, 10, 12), 12),
        (date(2026, 9, 30), date(2026, 10, 7), 0),
        (date(2026, 9, 30), date(2026, 10, 8), 1),
    ],
)
def test_working_days_between_counts_the_half_open_interval(a, b, expected):
    assert working_days_between(a, b) == expected


def test_natural_days_ignore_the_calendar():
    assert add_natural_days(date(2026, 2, 13), 15) == date(2026, 2, 28)
    assert add_natural_days(date(2026, 2, 13), 0) == date(2026, 2, 13)
    assert natural_days_between(date(2026, 2, 13), date(2026, 3, 2)) == 17
    assert natural_days_between(date(2026, 3, 2), date(2026, 2, 13)) == -17
    # natural days need no table: far past the last known year is fine
    assert add_natural_days(date(2026, 12, 20), 60) == date(2027, 2, 18)


def test_a_datetime_is_refused_rather_than_silently_truncated():
    with pytest.raises(TypeError, match="timezone.localdate"):
        add_working_days(timezone.now(), 1)
    with pytest.raises(TypeError):
        working_days_between("2026-02-13", date(2026, 2, 14))


# --- properties --------------------------------------------------------------------------

starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 6, 30))
counts = st.integers(min_value=0, max_value=60)
any_day = st.dates(min_value=FIRST, max_value=LAST)


@hypothesis_db
@given(day=any_day)
def test_is_working_day_matches_the_package(day):
    assert is_working_day(day) == chinese_calendar.is_workday(day)


@hypothesis_db
@given(start=starts, n=counts)
def test_add_working_days_matches_counting_day_by_day(start, n):
    assert add_working_days(start, n) == oracle_add(start, n)


@hypothesis_db
@given(start=starts, n=st.integers(min_value=1, max_value=60))
def test_the_result_is_a_working_day_and_counting_back_gives_n(start, n):
    result = add_working_days(start, n)
    assert result > start
    assert is_working_day(result)
    assert working_days_between(start, result) == n


@hypothesis_db
@given(start=starts, n=counts)
def test_add_working_days_is_strictly_increasing_in_n(start, n):
    assert add_working_days(start, n + 1) > add_working_days(start, n)


@hypothesis_db
@given(a=any_day, b=any_day)
def test_between_is_antisymmetric_and_inverts_add_on_working_days(a, b):
    between = working_days_between(a, b)
    assert working_days_between(b, a) == -between
    assert (between > 0) <= (b > a)
    if is_working_day(b) and between != 0:  # n = 0 returns a itself
        assert add_working_days(a, between) == b


@hypothesis_db
@given(a=any_day, b=any_day, c=any_day)
def test_between_adds_up_over_consecutive_intervals(a, b, c):
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


@hypothesis_db
@given(start=st.dates(min_value=date(2020, 6, 1), max_value=LAST), k=st.integers(1, 60))
def test_a_negative_n_counts_back(start, k):
    result = add_working_days(start, -k)
    assert result < start
    assert is_working_day(result)
    assert working_days_between(start, result) == -k
    if is_working_day(start):  # the k-th working day before start
        assert oracle_add(result, k) == start


# --- never guess past the table -----------------------------------------------------------


def test_past_2026_every_computation_raises_a_clear_error(published_calendar_only):
    with pytest.raises(CalendarNotCovered) as caught:
        add_working_days(date(2026, 12, 28), 5)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.date == date(2027, 1, 1)
    assert error.last_known == LAST
    assert "2027-01-01" in str(error)
    assert "2026" in str(error)
    assert "seed_calendar" in str(error)

    with pytest.raises(CalendarNotCovered, match="2027-01-04"):
        is_working_day(date(2027, 1, 4))
    with pytest.raises(CalendarNotCovered, match="2027-01-01"):
        working_days_between(date(2026, 12, 1), date(2027, 1, 5))
    with pytest.raises(CalendarNotCovered):
        add_working_days(date(2027, 3, 1), 1)
    with pytest.raises(CalendarNotCovered, match="2019-12-31"):
        add_working_days(date(2020, 1, 3), -5)


def test_the_last_days_of_the_table_still_compute():
    assert add_working_days(date(2026, 12, 30), 1) == date(2026, 12, 31)
    assert working_days_between(date(2026, 12, 1), LAST) == 22


def test_an_empty_calendar_says_so():
    CalendarDay.objects.all().delete()
    assert known_range() is None
    with pytest.raises(CalendarNotCovered, match="empty"):
        add_working_days(date(2026, 2, 13), 1)


def test_a_missing_day_inside_the_table_is_never_guessed():
    CalendarDay.objects.filter(date=date(2026, 2, 26)).delete()
    assert add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    with pytest.raises(CalendarNotCovered, match="2026-02-26"):
        add_working_days(date(2026, 2, 13), 4)
    with pytest.raises(CalendarNotCovered, match="2026-02-26"):
        working_days_between(date(2026, 3, 5), date(2026, 2, 1))


# --- the in-memory cache ------------------------------------------------------------------


def test_an_edit_in_this_process_is_seen_at_once():
    assert add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 6)
    day = CalendarDay.objects.get(date=date(2026, 3, 6))
    day.is_working_day, day.kind, day.source = False, CalendarDay.Kind.HOLIDAY, "test notice"
    day.save()
    assert add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 9)
    day.delete()
    with pytest.raises(CalendarNotCovered):
        add_working_days(date(2026, 3, 5), 1)


def edit_as_another_process(day: date, **values):
    """What another process's save looks like from here: new data, no signal in this one."""
    CalendarDay.objects.filter(date=day).update(updated_at=timezone.now(), **values)


def test_an_edit_by_another_process_is_seen_at_the_next_recheck():
    with override_settings(EGOV_CALENDAR_RECHECK_SECONDS=3600):
        assert is_working_day(date(2026, 3, 6))
        edit_as_another_process(date(2026, 3, 6), is_working_day=False, kind="holiday")
        assert is_working_day(date(2026, 3, 6))  # within the interval: the cached picture
    with override_settings(EGOV_CALENDAR_RECHECK_SECONDS=0):
        assert not is_working_day(date(2026, 3, 6))
        edit_as_another_process(date(2026, 3, 9), is_working_day=False, kind="holiday")
        assert not is_working_day(date(2026, 3, 9))  # the interval is over: rechecked


@override_settings(EGOV_CALENDAR_RECHECK_SECONDS=3600)
def test_once_loaded_the_arithmetic_needs_no_query(django_assert_num_queries):
    add_working_days(date(2026, 2, 13), 1)
    with django_assert_num_queries(0):
        for n in range(500):
            add_working_days(date(2024, 1, 1), n)
            working_days_between(date(2024, 1, 1), date(2025, 1, 1))


# --- seeding --------------------------------------------------------------------------------


def test_seeding_again_changes_nothing():
    report = seed_from_package(range(2020, 2027))
    assert (report.created, report.updated, report.kept) == (0, 0, 0)
    assert report.unchanged == (LAST - FIRST).days + 1


def test_seeding_keeps_administrator_rows_and_refreshes_package_rows():
    edited = CalendarDay.objects.get(date=date(2026, 3, 6))
    edited.is_working_day, edited.kind = False, CalendarDay.Kind.HOLIDAY
    edited.source = "国办发明电〔2026〕9号 (test)"
    edited.save()
    stale = CalendarDay.objects.get(date=date(2026, 3, 9))
    stale.is_working_day, stale.kind, stale.source = False, "holiday", "chinese-calendar 1.0.0"
    stale.save()
    CalendarDay.objects.filter(date__year=2025).delete()

    report = seed_from_package([2025, 2026])

    assert (report.created, report.updated, report.kept) == (365, 1, 1)
    edited.refresh_from_db()
    assert (edited.is_working_day, edited.source) == (False, "国办发明电〔2026〕9号 (test)")
    stale.refresh_from_db()
    assert (stale.is_working_day, stale.kind, stale.source) == (True, "workday", package_source())
    assert CalendarDay.objects.filter(date__year=2025, is_working_day=True).count() == 248
    assert not is_working_day(date(2026, 3, 6))


def test_seeding_a_year_the_package_does_not_know_is_refused():
    unknown = package_years().stop
    before = list(CalendarDay.objects.filter(date__year=unknown).values_list("date", "source"))
    with pytest.raises(CalendarSeedError, match=f"not {unknown}"):
        seed_from_package([unknown])
    after = list(CalendarDay.objects.filter(date__year=unknown).values_list("date", "source"))
    assert after == before
    assert {source for _, source in after} <= {calendar.PROVISIONAL_SOURCE}


def test_the_seed_command_is_idempotent_and_reports():
    CalendarDay.objects.filter(date__year=2026).delete()
    out = io.StringIO()
    call_command("seed_calendar", "--years", "2026", stdout=out)
    assert "365 days created" in out.getvalue()
    assert "2026: 248 working days" in out.getvalue()
    out = io.StringIO()
    call_command("seed_calendar", "--years", "2025,2026", stdout=out)
    assert "0 days created, 0 updated, 730 unchanged" in out.getvalue()
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


@pytest.mark.parametrize("years", ["2026-2020", "twenty", "2026-"])
def test_the_seed_command_refuses_bad_years(years):
    with pytest.raises(CommandError, match="--years must look like"):
        call_command("seed_calendar", "--years", years)


def test_the_seed_command_refuses_a_year_the_package_lacks():
    with pytest.raises(CommandError, match="Upgrade it"):
        call_command("seed_calendar", "--years", str(package_years().stop))


# --- the banner for administrators ------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", email="root@example.org", password="x-Secret-123"
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "clerk", email="clerk@example.org", password="x-Secret-123", is_staff=True, kind="staff"
    )


def make_member(user, role_code):
    from egov.directory.models import Membership, Organisation, Role

    body = Organisation.objects.get_or_create(code="YC", name_zh="永川区", kind="district")[0]
    role = Role.objects.get_or_create(
        code=role_code, defaults={"name_zh": role_code, "name_en": role_code, "scope": "all"}
    )[0]
    Membership.objects.create(user=user, organisation=body, role=role)


def test_no_warning_before_november(superuser):
    assert missing_next_year_warning(superuser, today=date(2026, 10, 31)) is None
    assert missing_next_year_warning(superuser, today=date(2026, 1, 15)) is None


def test_from_1_november_administrators_are_told_next_year_is_missing(
    superuser, published_calendar_only
):
    message = missing_next_year_warning(superuser, today=date(2026, 11, 1))
    assert isinstance(message, str)
    assert "has no complete entry for 2027" in message
    assert "seed_calendar" in message


def test_no_warning_when_next_year_is_there(superuser):
    assert missing_next_year_warning(superuser, today=date(2025, 11, 20)) is None


def test_a_missing_current_year_is_always_warned(superuser):
    assert "2027" in missing_next_year_warning(superuser, today=date(2027, 3, 1))


def test_an_incomplete_next_year_is_warned(superuser):
    CalendarDay.objects.filter(date=date(2026, 7, 1)).delete()
    assert "2026" in missing_next_year_warning(superuser, today=date(2025, 12, 1))


@override_settings(EGOV_CALENDAR_WARN_FROM_MONTH=12)
def test_the_warning_month_is_a_setting(superuser):
    assert missing_next_year_warning(superuser, today=date(2026, 11, 20)) is None
    assert missing_next_year_warning(superuser, today=date(2026, 12, 1)) is not None


def test_only_administrators_see_the_warning(staff, django_user_model):
    today = date(2026, 11, 15)
    assert missing_next_year_warning(staff, today=today) is None
    make_member(staff, "window_clerk")
    assert missing_next_year_warning(staff, today=today) is None
    admin = django_user_model.objects.create_user(
        "sysadmin", email="sysadmin@example.org", is_staff=True, kind="staff"
    )
    make_member(admin, "system_admin")
    assert "2027" in missing_next_year_warning(admin, today=today)


# --- the back-office ---------------------------------------------------------------------------

CHANGELIST = "/backoffice/core/calendarday/"


def change_url(day: date) -> str:
    return f"{CHANGELIST}{day.isoformat()}/change/"


def test_an_administrator_lists_the_make_up_days_of_a_year(client, superuser):
    login_verified(client, superuser)
    response = client.get(CHANGELIST, {"kind": "makeup", "year": "2026"})
    assert response.status_code == 200
    listed = [row.date for row in response.context["cl"].result_list]
    assert listed == MAKEUP_2026
    response = client.get(CHANGELIST, {"q": "Spring Festival", "year": "2026"})
    assert response.context["cl"].result_count == 11  # 9 holidays, 2 make-up days


def test_an_administrator_edits_a_day_with_a_source(client, superuser):
    login_verified(client, superuser)
    data = {"kind": "holiday", "name": "test", "source": "国办发明电〔2026〕9号"}
    response = client.post(change_url(date(2026, 3, 6)), data)
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2026, 3, 6))
    assert (day.is_working_day, day.kind, day.source) == (False, "holiday", data["source"])
    assert not is_working_day(date(2026, 3, 6))


def test_an_edit_that_still_names_the_package_or_contradicts_itself_is_refused(client, superuser):
    login_verified(client, superuser)
    response = client.post(
        change_url(date(2026, 3, 6)),
        {"kind": "holiday", "name": "", "source": package_source()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Say where your change comes from" in str(response.context["adminform"].form.errors)
    response = client.post(
        change_url(date(2026, 3, 6)),
        {"kind": "makeup", "name": "", "source": "test notice"},  # is_working_day unticked
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "is a working day" in str(response.context["adminform"].form.errors)
    assert CalendarDay.objects.get(date=date(2026, 3, 6)).source == package_source()


def test_staff_without_the_permission_cannot_open_the_calendar(client, staff):
    login_verified(client, staff)
    assert client.get(CHANGELIST).status_code == 403
    response = client.post(change_url(date(2026, 3, 6)), {"kind": "holiday", "source": "x"})
    assert response.status_code == 403
    assert CalendarDay.objects.get(date=date(2026, 3, 6)).is_working_day


def test_staff_granted_the_permission_can_edit(client, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="core", codename__in=["view_calendarday", "change_calendarday"]
        )
    )
    login_verified(client, staff)
    assert client.get(CHANGELIST).status_code == 200
