"""Background work of the one clock (the Huey worker)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from egov.core.calendar import extend_provisionally, provisional_horizon


@db_periodic_task(crontab(hour="16", minute="5"))  # 00:05 Beijing time (the worker runs on UTC)
def extend_provisional_calendar() -> int:
    """Keep provisional working days up to the end of next year (decision 0019)."""
    return extend_provisionally(provisional_horizon())
