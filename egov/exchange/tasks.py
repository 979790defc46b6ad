"""The exchange's background work, run by the Huey worker (``manage.py run_huey``).

- ``exchange.deliver`` — combined mode: deliver on loopback now (queued by ``publish`` when
  its transaction commits, so a combined deployment feels instant);
- ``exchange.loopback`` — combined mode: the same every minute, in case a queued delivery
  was lost (the worker was down when it was queued);
- ``exchange.archive_close`` — every night: close yesterday's archive file (its hash is
  fixed and chained to the day before);
- ``exchange.ferry`` — split zones on the spool transport: import, then export, every
  minute (a ferry run from cron or a service works the same; a lock keeps them apart);
- ``exchange.gaps`` — every five minutes: alert on keys whose messages wait too long for a
  missing predecessor (``services.check_gaps``).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import archive, services


def _loopback_enabled() -> bool:
    return (
        settings.EGOV_ZONE == "combined"
        and settings.EGOV_EXCHANGE.get("TRANSPORT", "loopback") == "loopback"
    )


def _deliver() -> None:
    if not _loopback_enabled():
        return
    from .transports import loopback

    loopback.deliver()


@db_task(name="exchange.deliver")
def deliver_now():
    """Deliver pending messages on loopback (combined mode)."""
    _deliver()


@db_periodic_task(crontab(minute="*"), name="exchange.loopback")
def deliver_periodically():
    """Every minute: deliver anything pending on loopback (combined mode)."""
    _deliver()


@db_periodic_task(crontab(minute="*/5"), name="exchange.gaps")
def check_gaps():
    """Every five minutes: raise alerts for sequence gaps open too long."""
    services.check_gaps()


# The worker's schedule is in UTC (HUEY "utc": True): 16:15 UTC is 00:15 in Beijing.
@db_periodic_task(crontab(hour="16", minute="15"), name="exchange.archive_close")
def close_archive_day():
    """Every night: close yesterday's archive file (its hash is fixed and chained)."""
    archive.close_day(timezone.localdate() - datetime.timedelta(days=1))


@db_periodic_task(crontab(minute="*"), name="exchange.ferry")
def ferry_periodically():
    """Split zones on the spool transport: import, then export, every minute."""
    if settings.EGOV_ZONE == "combined" or settings.EGOV_EXCHANGE.get("TRANSPORT") != "spool":
        return
    from .transports import spool

    gap = spool.gap_for_this_zone()
    try:
        spool.import_(gap)
        spool.export(gap)
    except spool.SpoolBusyError:
        pass  # a ferry started from cron or a service is running
