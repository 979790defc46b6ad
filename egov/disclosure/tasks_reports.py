"""The reminder of the annual reports (the Huey worker): early on 1 January, Beijing time,
every report due on the past year gets its timer (``reports.start_reminders``): each
reporting body's due by 31 January, the whole government's by 31 March. E-supervision warns
and raises cards before and after the date, as for every timer.

Huey's Django integration imports only the ``tasks`` modules of the apps: this module must be
imported at start-up (``DisclosureConfig.ready``) for the worker to register the task. A run
missed is caught up by calling ``reports.start_reminders(year)``: it starts only what is
missing."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import reports


# 02:05 on 1 January in Beijing is 18:05 on 31 December in UTC, the worker's clock.
@db_periodic_task(crontab(month="12", day="31", hour="18", minute="5"))
def annual_report_reminders() -> int:
    """Start the reminders of the reports on the year that has just ended."""
    return len(reports.start_reminders(timezone.localdate().year - 1))
