"""The annual reports' life: staff write them, publish them (the figures frozen), the public
reads the published ones; and the reminder before the deadline.

- **Who reports** (第49–50条 of the 2019 regulations): every district government department,
  town and subdistrict reports on its own work by 31 January (``REPORTING_KINDS`` of the
  directory); the whole government's report (``AnnualReport.body`` empty), which covers
  every body, is due by 31 March and is owned by the directory's ``government`` body. Party,
  people's congress and CPPCC bodies, municipal units stationed in the district and "other"
  bodies are not bodies of the government's disclosure and get no reminder.
- **Who edits and publishes**: a user with ``disclosure.edit_annual_report`` (the office
  head) for a body among their visible bodies (``directory.scoping``); the whole
  government's report needs the government body among them (an office head of the
  government, a superuser).
- **Publication** (``publish``): refused while ``report.check`` finds anything, and before
  the year is over; otherwise the report as built now (``report.build(...).as_dict()``) is
  frozen into ``AnnualReport.figures``, ``published_at`` is set, the audit log records it
  with a digest of the frozen figures, the frozen report goes to the external zone, where
  the portal is (``reports_exchange``), and the reminder timer stops. Publishing again (a
  correction) replaces the frozen figures and is recorded and sent the same way.
- **Reminders** (``start_reminders``, run on 1 January by ``tasks_reports``): one
  ``core.Timer`` per reporting body and year, purpose ``disclosure.annual_report``, natural
  days, started on 1 January and due on 31 January (31 March for the whole government's),
  subject ``("disclosure.annualreport", "<year>:<body code or government>")``. Never two
  for one report; none for a report already published. E-supervision watches them like
  every other timer.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit, timers
from egov.core.models import Timer
from egov.directory.models import Organisation
from egov.directory.scoping import visible_bodies

from . import report, reports_exchange
from .models import AnnualReport

PERMISSION = "disclosure.edit_annual_report"
PURPOSE = "disclosure.annual_report"
SUBJECT_TYPE = "disclosure.annualreport"
GOVERNMENT = "government"  # the code of the whole government's report in URLs and subjects
REPORTING_KINDS = (
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.TOWN,
    Organisation.Kind.SUBDISTRICT,
)
BODY_DUE = (1, 31)  # (month, day) of the year after the report's year
GOVERNMENT_DUE = (3, 31)
FIRST_YEAR = 2008  # the first reports, under the 2008 regulations
PUBLISHED = "disclosure.annual_report.published"


class ReportNotReadyError(ValueError):
    """Publication refused; ``problems`` says why, as sentences in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# --- bodies and permissions -------------------------------------------------------------


def government_body() -> Organisation | None:
    """The body that owns the whole government's report (the same one whose name titles
    it, ``report.government_name``)."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.GOVERNMENT, is_active=True)
        .order_by("path")
        .first()
    )


def reporting_bodies():
    """The active bodies that report on their own work."""
    return Organisation.objects.filter(is_active=True, kind__in=REPORTING_KINDS).order_by(
        "sort_order", "code"
    )


def code_of(body: Organisation | None) -> str:
    return body.code if body is not None else GOVERNMENT


def find_body(code: str) -> tuple[bool, Organisation | None]:
    """(found, body) for a report's code: ``government`` is the whole government's report
    (body None); any other code must name an active reporting body."""
    if code == GOVERNMENT:
        return True, None
    body = reporting_bodies().filter(code=code).first()
    return body is not None, body


def may_see(user, body: Organisation | None) -> bool:
    """Whether the report of ``body`` (None: the whole government's) is within the user's
    data scope."""
    if body is None:
        government = government_body()
        return government is not None and visible_bodies(user).filter(pk=government.pk).exists()
    return visible_bodies(user).filter(pk=body.pk).exists()


def may_edit(user, body: Organisation | None) -> bool:
    return user.has_perm(PERMISSION) and may_see(user, body)


def _require_edit(user, body: Organisation | None) -> None:
    if user is None or not may_edit(user, body):
        raise PermissionDenied(_("Your roles do not allow you to edit this annual report."))


def year_is_over(year: int, today: datetime.date | None = None) -> bool:
    return (today or timezone.localdate()) > datetime.date(year, 12, 31)


def editable_years(today: datetime.date | None = None) -> list[int]:
    """The years a report may be written for, the latest first: up to this year."""
    current = (today or timezone.localdate()).year
    oldest = AnnualReport.objects.order_by("year").values_list("year", flat=True).first()
    first = min(oldest or current - 1, current - 1)
    return list(range(current, max(first, FIRST_YEAR) - 1, -1))


# --- reading and writing ------------------------------------------------------------------


def report_of(year: int, body: Organisation | None) -> AnnualReport | None:
    return AnnualReport.objects.filter(year=year, body=body).first()


def save_report(
    year: int,
    body: Organisation | None,
    *,
    by,
    overview: str,
    problems: str,
    other: str,
    review_rows: dict,
) -> AnnualReport:
    """Save what staff wrote (the text, the figures of tables 二 and 四); the frozen figures of
    a published report do not change until it is published again."""
    _require_edit(by, body)
    with transaction.atomic():
        row, _created = AnnualReport.objects.select_for_update().get_or_create(year=year, body=body)
        row.overview = overview
        row.problems = problems
        row.other = other
        row.review_rows = review_rows
        row.updated_by = by
        row.save()
    return row


def published(report_row: AnnualReport) -> report.AnnualReportData:
    """The report as it was published (its frozen figures)."""
    return report.AnnualReportData.from_dict(report_row.figures)


def differs_from_published(report_row: AnnualReport | None, data) -> bool:
    """Whether the report as built now differs from its published version."""
    if report_row is None or report_row.published_at is None:
        return False
    return _canonical(data.as_dict()) != _canonical(report_row.figures)


def _canonical(figures: dict) -> bytes:
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def publish(
    year: int,
    body: Organisation | None,
    *,
    by,
    request=None,
    today: datetime.date | None = None,
) -> AnnualReport:
    """Freeze the report as it is now and make it public; raises ``ReportNotReadyError`` while
    the year is not over or ``report.check`` finds a problem."""
    _require_edit(by, body)
    if not year_is_over(year, today):
        raise ReportNotReadyError(
            [
                _("The report on %(year)s can be published from 1 January %(next)s on.")
                % {"year": year, "next": year + 1}
            ]
        )
    data = report.build(year, body)
    problems = report.check(data)
    if problems:
        raise ReportNotReadyError(problems)
    figures = data.as_dict()
    with transaction.atomic():
        row = AnnualReport.objects.select_for_update().get(year=year, body=body)
        republished = row.published_at is not None
        row.figures = figures
        row.published_at = timezone.now()
        row.updated_by = by
        row.save(update_fields=["figures", "published_at", "updated_by", "updated_at"])
        audit.record(
            PUBLISHED,
            actor=by,
            body=body if body is not None else government_body(),
            obj=row,
            request=request,
            detail={
                "year": year,
                "report": code_of(body),
                "republished": republished,
                "figures_sha256": hashlib.sha256(_canonical(figures)).hexdigest(),
            },
        )
        reports_exchange.send(row)  # the portal is in the external zone
        timer = reminder(year, body)
        if timer is not None and timer.stopped_at is None:
            timers.stop_timer(timer, reason="published", by=by)
    return row


def published_reports():
    """Every published report, the latest year first; in a year the whole government's
    first, then the bodies in the directory's order. ``frozen_name`` is the name it was
    published under (its title's), without loading the frozen figures."""
    rows = (
        AnnualReport.objects.filter(published_at__isnull=False)
        .select_related("body")
        .defer("figures", "overview", "problems", "other", "review_rows")
        .annotate(frozen_name=KT("figures__body_name"))
    )
    return sorted(
        rows,
        key=lambda row: (
            -row.year,
            row.body is not None,
            row.body.sort_order if row.body else 0,
            row.body.code if row.body else "",
        ),
    )


# --- the reminder before the deadline ---------------------------------------------------------


def subject(year: int, body: Organisation | None) -> tuple[str, str]:
    return SUBJECT_TYPE, f"{year}:{code_of(body)}"


def due_date(year: int, body: Organisation | None) -> datetime.date:
    month, day = GOVERNMENT_DUE if body is None else BODY_DUE
    return datetime.date(year + 1, month, day)


def reminder(year: int, body: Organisation | None) -> Timer | None:
    """The reminder timer of a report (the newest, should there be more than one)."""
    return timers.timers_for(subject(year, body), PURPOSE).order_by("-pk").first()


def reminders_of_year(year: int) -> dict[str, Timer]:
    """The year's reminder timers by report code, in one query."""
    rows = Timer.objects.filter(
        purpose=PURPOSE, subject_type=SUBJECT_TYPE, subject_id__startswith=f"{year}:"
    ).order_by("pk")
    return {row.subject_id.partition(":")[2]: row for row in rows}


def start_reminders(year: int) -> list[Timer]:
    """Start the reminder of every report due for ``year``: one timer per reporting body and
    one for the whole government's report, started on 1 January of the next year, in natural
    days (the working-day calendar need not know the next year yet). Idempotent: a report
    that has a timer already, or is published, gets none. Returns the timers started."""
    start = datetime.date(year + 1, 1, 1)
    owners: list[tuple[Organisation | None, Organisation]] = [
        (body, body) for body in reporting_bodies()
    ]
    government = government_body()
    if government is not None:
        owners.insert(0, (None, government))
    existing = reminders_of_year(year)
    published_codes = {
        code_of(row.body)
        for row in AnnualReport.objects.filter(
            year=year, published_at__isnull=False
        ).select_related("body")
    }
    started = []
    for body, owner in owners:
        code = code_of(body)
        if code in existing or code in published_codes:
            continue
        with transaction.atomic():
            # Locked, so that two runs at once cannot both start one: the body's row is the
            # lock (the whole government's report: the government body's).
            Organisation.objects.select_for_update().filter(pk=owner.pk).first()
            if timers.timers_for(subject(year, body), PURPOSE).exists():
                continue
            started.append(
                timers.start_timer(
                    purpose=PURPOSE,
                    subject=subject(year, body),
                    limit=(due_date(year, body) - start).days,
                    unit=timers.Unit.NATURAL_DAYS,
                    start_date=start,
                    owner_body=owner,
                )
            )
    return started
