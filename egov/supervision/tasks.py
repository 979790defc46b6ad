"""E-supervision's periodic work, run by the Huey worker (``manage.py run_huey``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services, summary
from .anomalies import sweep_cases


@db_periodic_task(crontab(minute="*"), name="supervision.sweep")
def sweep_periodically():
    """Every minute: raise the warnings and cards due today (set-based, idempotent)."""
    report = services.sweep()
    anomalies = sweep_cases(report.today)
    return f"{report.today}: {report.total} raised {dict(report.raised)}, {anomalies} anomalies"


# 02:40 Beijing time (the worker runs on UTC).
@db_periodic_task(crontab(hour="18", minute="40"), name="supervision.rebuild_summaries")
def rebuild_summaries_nightly():
    """Every night: the monthly summaries again from the raw rows (set-based; they are kept
    exact during the day by the verbs, this heals anything written around them)."""
    return f"summaries rebuilt: {summary.rebuild()}"
