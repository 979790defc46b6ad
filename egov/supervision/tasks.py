"""E-supervision's periodic work, run by the Huey worker (``manage.py run_huey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services
from .anomalies import sweep_cases


@db_periodic_task(crontab(minute="*"), name="supervision.sweep")
def sweep_periodically():
    """Every minute: raise the warnings and cards due today (set-based, idempotent)."""
    report = services.sweep()
    anomalies = sweep_cases(report.today)
    return f"{report.today}: {report.total} raised {dict(report.raised)}, {anomalies} anomalies"
