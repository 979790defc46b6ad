"""The one working-day clock (architecture principle 7, docs/decisions/0002-working-day-clock.md).

Every deadline of the platform is computed here, from the ``CalendarDay`` table: one row per
day, seeded from the ``chinese-calendar`` package and editable by an administrator.

Semantics, in one place:

- ``add_working_days(start, n)``: the start day is not counted; the result is the n-th working
  day after ``start``; ``n = 0`` returns ``start``. A negative ``n`` counts back from the last
  working day on or before ``start`` (``start`` itself when it is a working day).
- ``working_days_between(a, b)``: the working days d with ``a < d <= b``; signed, so
  ``working_days_between(b, a) == -working_days_between(a, b)``. The two are inverse:
  ``working_days_between(s, add_working_days(s, n)) == n`` for every n, and
  ``add_working_days(a, working_days_between(a, b)) == b`` for every working day b at least
  one working day away from a.
- Natural days are plain date arithmetic and need no calendar.
- A computation that needs a day the table does not hold raises ``CalendarNotCovered``: the
  clock never guesses.
- Past the last year the State Council has published (the ``chinese-calendar`` package's last
  year), the table holds **provisional** days: weekends and the statutory holidays of the
  national holiday rules (全国年节及纪念日放假办法) are not working days, the rest are; the
  make-up working days are not known yet. They are replaced by the official days when the
  package is upgraded and seeded or an administrator enters them, and the running timers are
  re-dated then (docs/decisions/0019-provisional-working-days.md).

The sorted working days are cached in memory per process (an array of ordinals searched with
``bisect``). The cache is dropped when a ``CalendarDay`` is saved or deleted in this process,
and re-checked against the table every ``EGOV_CALENDAR_RECHECK_SECONDS`` (default 60) so that
edits made by another process (the web server vs. the worker) are seen too.
"""

from __future__ import annotations

import datetime
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Count, Max, Min
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext

from egov.core.models import CalendarDay

__all__ = [
    "CalendarNotCovered",
    "CalendarSeedError",
    "SeedReport",
    "add_natural_days",
    "add_working_days",
    "extend_provisionally",
    "invalidate_cache",
    "is_package_source",
    "is_provisional",
    "is_provisional_source",
    "is_working_day",
    "known_range",
    "missing_next_year_warning",
    "natural_days_between",
    "package_source",
    "package_years",
    "provisional_horizon",
    "provisional_years",
    "seed_from_package",
    "snapshot",
    "statutory_holidays",
    "working_days_between",
]

#: Every row whose source starts with this belongs to the package and may be refreshed by
#: seeding; any other source is an administrator's and is never overwritten.
PACKAGE_SOURCE_PREFIX = "chinese-calendar "
#: Every row whose source starts with this was made by the provisional rule: it is replaced by
#: seeding from the package and by any administrator's edit.
PROVISIONAL_SOURCE_PREFIX = "provisional "
PROVISIONAL_SOURCE = (
    "provisional (weekends and the statutory holidays of 全国年节及纪念日放假办法; "
    "make-up working days not yet published)"
)
DEFAULT_RECHECK_SECONDS = 60


class CalendarNotCovered(ValueError):  # noqa: N818 - the name the brief and callers use
    """A computation needs a day that the working-day calendar table does not hold."""

    def __init__(self, day: datetime.date, first: datetime.date | None, last: datetime.date | None):
        self.date = day
        self.first_known = first
        self.last_known = last
        if last is None:
            message = gettext(
                "The working-day calendar is empty, so no deadline can be computed for "
                "%(date)s. An administrator must load it: run 'manage.py seed_calendar'."
            ) % {"date": day.isoformat()}
        else:
            message = gettext(
                "The working-day calendar does not cover %(date)s: it knows the days from "
                "%(first)s to %(last)s (up to the year %(last_year)s). An administrator must add "
                "the official holidays and make-up working days of %(year)s (upgrade the "
                "chinese-calendar package and run 'manage.py seed_calendar', or enter the days "
                "in the back-office) before this deadline can be computed."
            ) % {
                "date": day.isoformat(),
                "first": first.isoformat(),
                "last": last.isoformat(),
                "last_year": last.year,
                "year": day.year,
            }
        super().__init__(message)


class CalendarSeedError(ValueError):
    """Seeding was asked for something the package cannot give."""


# --- the in-memory calendar -------------------------------------------------------------


@dataclass(frozen=True)
class _Calendar:
    """An immutable snapshot of the table, as ordinals, for fast arithmetic."""

    first: int  # ordinal of the first known day (0 if the table is empty)
    last: int  # ordinal of the last known day (-1 if the table is empty)
    working: array  # sorted ordinals of the working days
    missing: array  # sorted ordinals in [first, last] that have no row (normally none)
    fingerprint: tuple
    provisional: array  # sorted ordinals of the days made by the provisional rule

    @classmethod
    def load(cls) -> _Calendar:
        fingerprint = _fingerprint()
        days = CalendarDay.objects.order_by("date").values_list("date", "is_working_day", "source")
        ordinals = array("l")
        working = array("l")
        provisional = array("l")
        for day, is_working, source in days.iterator(chunk_size=4000):
            ordinal = day.toordinal()
            ordinals.append(ordinal)
            if is_working:
                working.append(ordinal)
            if source.startswith(PROVISIONAL_SOURCE_PREFIX):
                provisional.append(ordinal)
        if not ordinals:
            return cls(0, -1, working, array("l"), fingerprint, provisional)
        first, last = ordinals[0], ordinals[-1]
        missing = array("l")
        if len(ordinals) != last - first + 1:
            present = set(ordinals)
            missing.extend(o for o in range(first, last + 1) if o not in present)
        return cls(first, last, working, missing, fingerprint, provisional)

    def _not_covered(self, ordinal: int) -> CalendarNotCovered:
        day = datetime.date.fromordinal(ordinal)
        if self.last < self.first:
            return CalendarNotCovered(day, None, None)
        return CalendarNotCovered(
            day, datetime.date.fromordinal(self.first), datetime.date.fromordinal(self.last)
        )

    def require(self, low: int, high: int) -> None:
        """Raise unless every day from ``low`` to ``high`` (ordinals, inclusive) has a row."""
        if low > high:
            return
        if low < self.first or self.last < self.first:
            raise self._not_covered(low)
        if high > self.last:
            raise self._not_covered(max(low, self.last + 1))
        index = bisect_left(self.missing, low)
        if index < len(self.missing) and self.missing[index] <= high:
            raise self._not_covered(self.missing[index])

    def is_working(self, ordinal: int) -> bool:
        self.require(ordinal, ordinal)
        index = bisect_left(self.working, ordinal)
        return index < len(self.working) and self.working[index] == ordinal

    def add(self, start: int, n: int) -> int:
        if n == 0:
            return start
        if n > 0:
            target = bisect_right(self.working, start) + n - 1
            if target >= len(self.working):
                self.require(start + 1, self.last)  # a day before the table or a gap first
                raise self._not_covered(max(start + 1, self.last + 1))
            result = self.working[target]
            self.require(start + 1, result)
            return result
        # Backwards from the last working day on or before start (start itself if working).
        target = bisect_right(self.working, start) - 1 + n
        if target < 0:
            self.require(self.first, start)  # a day after the table or a gap first
            raise self._not_covered(min(start, self.first - 1))
        result = self.working[target]
        self.require(result, start)
        return result

    def first_provisional(self, low: int, high: int) -> int | None:
        """The first provisional day from ``low`` to ``high`` (ordinals, inclusive), if any."""
        index = bisect_left(self.provisional, low)
        if index < len(self.provisional) and self.provisional[index] <= high:
            return self.provisional[index]
        return None

    def between(self, a: int, b: int) -> int:
        if a == b:
            return 0
        if a > b:
            return -self.between(b, a)
        self.require(a + 1, b)
        return bisect_right(self.working, b) - bisect_right(self.working, a)


_lock = threading.Lock()
_cached: _Calendar | None = None
_valid_until = 0.0  # time.monotonic() until which the cached calendar is used unchecked


def _fingerprint() -> tuple:
    """What changes whenever a row is added, deleted or saved: count, range, last update."""
    stats = CalendarDay.objects.aggregate(
        n=Count("date"), first=Min("date"), last=Max("date"), updated=Max("updated_at")
    )
    return (stats["n"], stats["first"], stats["last"], stats["updated"])


def _recheck_seconds() -> float:
    return float(getattr(settings, "EGOV_CALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))


def _calendar() -> _Calendar:
    global _cached, _valid_until
    cached = _cached
    if cached is not None and time.monotonic() < _valid_until:
        return cached
    with _lock:
        if _cached is not None and time.monotonic() < _valid_until:
            return _cached
        if _cached is None or _fingerprint() != _cached.fingerprint:
            _cached = _Calendar.load()
        _valid_until = time.monotonic() + _recheck_seconds()
        return _cached


def snapshot() -> _Calendar:
    """The calendar as this process sees it now: an immutable copy whose ``add`` and
    ``between`` (on ordinals) keep counting as it did, e.g. to re-date timers after an edit."""
    return _calendar()


def invalidate_cache() -> None:
    """Forget the in-memory calendar; the next computation reloads it from the table."""
    global _cached
    _cached = None


def _on_setting_changed(setting, **kwargs) -> None:
    global _valid_until
    if setting == "EGOV_CALENDAR_RECHECK_SECONDS":
        _valid_until = 0.0  # recheck at the next computation, with the new interval


def _on_calendar_change(**kwargs) -> None:
    invalidate_cache()
    # Rows read inside the writing transaction are visible to it; drop them again once the
    # change is committed so that no reader keeps a half-written picture.
    transaction.on_commit(invalidate_cache)


post_save.connect(_on_calendar_change, sender=CalendarDay, dispatch_uid="egov.calendar.save")
post_delete.connect(_on_calendar_change, sender=CalendarDay, dispatch_uid="egov.calendar.delete")
setting_changed.connect(_on_setting_changed, dispatch_uid="egov.calendar.setting")


def _ordinal(day: datetime.date) -> int:
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(
            f"expected a datetime.date, got {type(day).__name__}; "
            "for a datetime pass timezone.localdate(value)"
        )
    return day.toordinal()


# --- the public arithmetic --------------------------------------------------------------


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is an official working day (make-up working days included)."""
    return _calendar().is_working(_ordinal(day))


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after ``start``; ``start`` itself is not counted.

    ``n = 0`` returns ``start`` unchanged. A negative ``n`` counts back from the last working
    day on or before ``start``: from a working day, ``-1`` is the working day before it; from a
    Sunday, ``-1`` is the working day before Friday (so that the count back is always ``n``).
    The result of a non-zero ``n`` is always a working day.
    """
    return datetime.date.fromordinal(_calendar().add(_ordinal(start), int(n)))


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """The number of working days d with ``a < d <= b``; negative when ``b`` is before ``a``.

    ``working_days_between(a, b) == -working_days_between(b, a)``, and for every working day
    ``b`` whose count is not 0: ``add_working_days(a, working_days_between(a, b)) == b``.
    """
    return _calendar().between(_ordinal(a), _ordinal(b))


def add_natural_days(start: datetime.date, n: int) -> datetime.date:
    """``start`` plus ``n`` calendar days (the start day is not counted); no calendar needed."""
    _ordinal(start)
    return start + datetime.timedelta(days=int(n))


def natural_days_between(a: datetime.date, b: datetime.date) -> int:
    """The number of days d with ``a < d <= b`` (negative when ``b`` is before ``a``)."""
    return _ordinal(b) - _ordinal(a)


def is_provisional(day: datetime.date) -> bool:
    """Whether ``day`` comes from the provisional rule (a year not yet published)."""
    ordinal = _ordinal(day)
    return _calendar().first_provisional(ordinal, ordinal) is not None


def provisional_years() -> list[int]:
    """The years that hold at least one provisional day, in order."""
    return sorted({datetime.date.fromordinal(o).year for o in _calendar().provisional})


def known_range() -> tuple[datetime.date, datetime.date] | None:
    """The first and the last day the table holds, or None when it is empty."""
    cal = _calendar()
    if cal.last < cal.first:
        return None
    return datetime.date.fromordinal(cal.first), datetime.date.fromordinal(cal.last)


def covers_year(year: int) -> bool:
    """Whether every day of ``year`` has a row."""
    try:
        _calendar().require(
            datetime.date(year, 1, 1).toordinal(), datetime.date(year, 12, 31).toordinal()
        )
    except CalendarNotCovered:
        return False
    return True


# --- the warning for administrators -----------------------------------------------------


def _is_calendar_administrator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    memberships = getattr(user, "memberships", None)
    return memberships is not None and memberships.filter(role__code="system_admin").exists()


def missing_next_year_warning(user, today: datetime.date | None = None) -> str | None:
    """The banner text for an administrator when the calendar misses a year it soon needs.

    The current year is always needed; the next one from the first day of the month
    ``settings.EGOV_CALENDAR_WARN_FROM_MONTH`` (11 = 1 November). Returns None when nothing is
    missing or when ``user`` is not an administrator (superuser or role ``system_admin``).
    """
    today = today or timezone.localdate()
    needed = [today.year]
    if today.month >= settings.EGOV_CALENDAR_WARN_FROM_MONTH:
        needed.append(today.year + 1)
    if not _is_calendar_administrator(user):
        return None
    missing = [year for year in needed if not covers_year(year)]
    if missing:
        return gettext(
            "The working-day calendar has no complete entry for %(year)s, so deadlines that run "
            "into %(year)s cannot be computed. Once the State Council has published the holidays "
            "of %(year)s, upgrade the chinese-calendar package and run 'manage.py seed_calendar "
            "--years %(year)s', or enter the days under Working-day calendar in the back-office."
        ) % {"year": missing[0]}
    provisional = [year for year in needed if year in provisional_years()]
    if provisional:
        return gettext(
            "The working-day calendar of %(year)s is provisional: it knows the weekends and the "
            "statutory holidays, not yet the make-up working days and days off of the State "
            "Council's notice. Deadlines that run into %(year)s are counted on it and move when "
            "the official days are entered. Once the notice is out, upgrade the chinese-calendar "
            "package and run 'manage.py seed_calendar --years %(year)s', or enter the holidays "
            "and make-up days under Working-day calendar in the back-office and confirm the rest."
        ) % {"year": provisional[0]}
    return None


# --- seeding from the chinese-calendar package ------------------------------------------


def package_source() -> str:
    import chinese_calendar

    return f"{PACKAGE_SOURCE_PREFIX}{chinese_calendar.__version__} (State Council notices)"


def is_package_source(source: str) -> bool:
    return source.startswith(PACKAGE_SOURCE_PREFIX)


def is_provisional_source(source: str) -> bool:
    return source.startswith(PROVISIONAL_SOURCE_PREFIX)


def _replaceable(source: str) -> bool:
    """Rows that seeding may overwrite: the package's own and the provisional ones."""
    return is_package_source(source) or is_provisional_source(source)


def package_years() -> range:
    """The years the installed chinese-calendar package knows."""
    from chinese_calendar.constants import holidays

    years = {day.year for day in holidays}
    return range(min(years), max(years) + 1)


def _package_day(day: datetime.date) -> dict:
    """The row the package gives for ``day``: is_working_day, kind and name."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    chinese = {holiday.value: holiday.chinese for holiday in Holiday}

    def label(english: str) -> str:
        return f"{chinese[english]} ({english})" if english in chinese else english

    weekend = day.weekday() >= 5
    if day in workdays:
        kind = CalendarDay.Kind.MAKEUP if weekend else CalendarDay.Kind.WORKDAY
        return {"is_working_day": True, "kind": kind, "name": label(workdays[day])}
    if day in holidays:
        return {
            "is_working_day": False,
            "kind": CalendarDay.Kind.HOLIDAY,
            "name": label(holidays[day]),
        }
    if weekend:
        return {"is_working_day": False, "kind": CalendarDay.Kind.WEEKEND, "name": ""}
    return {"is_working_day": True, "kind": CalendarDay.Kind.WORKDAY, "name": ""}


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # rows an administrator entered or edited: never overwritten
    first_updated: datetime.date | None = None  # the first day whose row changed
    redated: int = 0  # running timers whose due date moved with the change


def seed_from_package(years: Iterable[int], apps=None) -> SeedReport:
    """Write one row per day of ``years`` from the chinese-calendar package.

    Idempotent. A row whose source names the package is created or refreshed (a newer package
    may correct a day); a row with any other source was entered or edited by an administrator
    and is left exactly as it is. ``apps`` is the migration state's registry when called from
    a data migration.
    """
    model = apps.get_model("core", "CalendarDay") if apps is not None else CalendarDay
    years = sorted(set(years))
    before = snapshot() if apps is None else None
    known = package_years()
    unknown = [year for year in years if year not in known]
    if unknown:
        raise CalendarSeedError(
            gettext(
                "The chinese-calendar package installed here knows the years %(first)s to "
                "%(last)s, not %(years)s. Upgrade it once the State Council notice is out, or "
                "enter those days in the back-office."
            )
            % {
                "first": known.start,
                "last": known.stop - 1,
                "years": ", ".join(str(y) for y in unknown),
            }
        )
    source = package_source()
    report = SeedReport()
    fields = ("is_working_day", "kind", "name", "source")
    with transaction.atomic():
        for year in years:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            existing = {row.date: row for row in model.objects.filter(date__range=(first, last))}
            to_create, to_update = [], []
            now = timezone.now()
            day = first
            while day <= last:
                wanted = {**_package_day(day), "source": source}
                row = existing.get(day)
                if row is None:
                    to_create.append(model(date=day, **wanted))
                elif not _replaceable(row.source):
                    report.kept += 1
                elif any(getattr(row, field) != wanted[field] for field in fields):
                    for field in fields:
                        setattr(row, field, wanted[field])
                    row.updated_at = now
                    to_update.append(row)
                else:
                    report.unchanged += 1
                day += datetime.timedelta(days=1)
            model.objects.bulk_create(to_create)
            model.objects.bulk_update(to_update, [*fields, "updated_at"])
            report.created += len(to_create)
            report.updated += len(to_update)
            if to_update and report.first_updated is None:
                report.first_updated = min(row.date for row in to_update)
        transaction.on_commit(invalidate_cache)
        invalidate_cache()
        if before is not None and report.first_updated is not None:
            from egov.core.timers import redate_after_calendar_change

            report.redated = redate_after_calendar_change(before, report.first_updated)
    invalidate_cache()
    return report


# --- the provisional rule past the last published year -----------------------------------

#: The statutory holidays of 全国年节及纪念日放假办法 (as amended in 2024, in force from 2025):
#: their names as the package spells them.
_NEW_YEAR, _SPRING, _TOMB, _LABOUR, _DRAGON, _MID_AUTUMN, _NATIONAL = (
    "New Year's Day",
    "Spring Festival",
    "Tomb-sweeping Day",
    "Labour Day",
    "Dragon Boat Festival",
    "Mid-autumn Festival",
    "National Day",
)


def _holiday_label(english: str) -> str:
    from chinese_calendar.constants import Holiday

    chinese = {holiday.value: holiday.chinese for holiday in Holiday}
    return f"{chinese[english]} ({english})" if english in chinese else english


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The days off that the national holiday rules fix by date for every year, without the
    State Council's yearly arrangement: 元旦 1 January; 春节 from the lunar New Year's Eve to
    the third day of the first lunar month (4 days); 清明 (the solar term); 劳动节 1–2 May;
    端午 (5th of the 5th lunar month); 中秋 (15th of the 8th lunar month); 国庆节 1–3 October.
    Values are the holiday's label, e.g. ``春节 (Spring Festival)``."""
    from chinese_calendar import get_solar_terms
    from lunardate import LunarDate

    day = datetime.date
    one = datetime.timedelta(days=1)
    days: dict[datetime.date, str] = {day(year, 1, 1): _NEW_YEAR}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 3):
        days[new_year + offset * one] = _SPRING
    tomb = [d for d, name in get_solar_terms(day(year, 4, 1), day(year, 4, 30)) if name == "清明"]
    days[tomb[0]] = _TOMB
    days[day(year, 5, 1)] = days[day(year, 5, 2)] = _LABOUR
    days[LunarDate(year, 5, 5).to_solar_date()] = _DRAGON
    days[LunarDate(year, 8, 15).to_solar_date()] = _MID_AUTUMN
    for offset in range(3):
        days.setdefault(day(year, 10, 1) + offset * one, _NATIONAL)
    return {d: _holiday_label(name) for d, name in sorted(days.items())}


def _provisional_day(day: datetime.date, holidays: dict[datetime.date, str]) -> dict:
    if day in holidays:
        return {"is_working_day": False, "kind": CalendarDay.Kind.HOLIDAY, "name": holidays[day]}
    if day.weekday() >= 5:
        return {"is_working_day": False, "kind": CalendarDay.Kind.WEEKEND, "name": ""}
    return {"is_working_day": True, "kind": CalendarDay.Kind.WORKDAY, "name": ""}


def extend_provisionally(through_year: int, apps=None) -> int:
    """Give every day without a row, from the year after the package's last year to
    ``through_year``, a provisional row (weekends and statutory holidays off). Never touches a
    day that has a row. Returns the number of days created. Idempotent."""
    model = apps.get_model("core", "CalendarDay") if apps is not None else CalendarDay
    first_year = package_years().stop
    if through_year < first_year:
        return 0
    first, last = datetime.date(first_year, 1, 1), datetime.date(through_year, 12, 31)
    with transaction.atomic():
        present = set(
            model.objects.filter(date__range=(first, last)).values_list("date", flat=True)
        )
        rows = []
        for year in range(first_year, through_year + 1):
            holidays = statutory_holidays(year)
            day = datetime.date(year, 1, 1)
            while day.year == year:
                if day not in present:
                    rows.append(
                        model(
                            date=day, source=PROVISIONAL_SOURCE, **_provisional_day(day, holidays)
                        )
                    )
                day += datetime.timedelta(days=1)
        model.objects.bulk_create(rows)
        transaction.on_commit(invalidate_cache)
    invalidate_cache()
    return len(rows)


def provisional_horizon(today: datetime.date | None = None) -> int:
    """The last year the provisional rule fills: the year after this one (a deadline of 60
    working days started in November runs into February)."""
    return (today or timezone.localdate()).year + 1
