"""Periodic work of the web foundation, run by the Huey worker (`manage.py run_huey`)."""

from django.db.models import F
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import WorkerHeartbeat


def beat(name: str = "worker") -> WorkerHeartbeat:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(name=name).update(last_run_at=now, runs=F("runs") + 1)
    if not updated:
        WorkerHeartbeat.objects.get_or_create(name=name, defaults={"last_run_at": now, "runs": 1})
    return WorkerHeartbeat.objects.get(name=name)


@db_periodic_task(crontab(minute="*"), name="web.heartbeat")
def heartbeat():
    """Every minute: record that the worker and its scheduler are alive."""
    beat()
