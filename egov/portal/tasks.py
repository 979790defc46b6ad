"""Periodic work of the site group, run by the Huey worker (`manage.py run_huey`)."""

import datetime
import io

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"), name="portal.publish_scheduled")
def publish_scheduled():
    """Every minute: publish the approved revisions whose go-live time has come and take
    down the pages whose expiry time has passed (Wagtail's ``publish_scheduled``). Each
    publication is audited and numbered like any other (signals.py)."""
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue()


@db_periodic_task(crontab(minute="*/10"), name="portal.prune_pages")
def prune_pages():
    """Every ten minutes: the page files in front of Python (``EGOV_PAGE_CACHE_DIR``) of old
    generations, and those older than ``EGOV_PAGE_CACHE_SECONDS`` (egov/portal/cache.py)."""
    from egov.portal.cache import front

    directories, files = front.prune()
    return f"{directories} old generations and {files} old pages removed"


def at_local_time(hour: int, minute: int):
    """A Huey schedule for a time of day on the platform's clock (``TIME_ZONE``, Beijing
    time): the worker runs with ``utc=True`` and hands schedules UTC times, so a plain
    ``crontab(hour=2)`` would fire at 10:00 in Chongqing."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from huey.contrib.djhuey import HUEY

    matches = crontab(minute=str(minute), hour=str(hour))

    def validate(timestamp: datetime.datetime) -> bool:
        if HUEY.utc:
            local = timestamp.replace(tzinfo=datetime.UTC).astimezone(ZoneInfo(settings.TIME_ZONE))
            timestamp = local.replace(tzinfo=None)
        return matches(timestamp)

    return validate


@db_periodic_task(at_local_time(2, 30), name="portal.inspect_sites")
def inspect_sites():
    """Every night at 02:30: the site health inspection of every site and section (one report
    each per day), the editors' warnings and their e-mail (egov/portal/inspector/)."""
    from egov.portal.inspector.services import inspect_sites as inspect

    run = inspect()
    failing = sum(1 for report in run.reports if not report.passed)
    return f"{run.day}: {len(run.reports)} inspected, {failing} failing"
