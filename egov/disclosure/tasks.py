"""Background work of disclosure requests (the Huey worker), every night: requests whose
correction period passed end (第30条), and clocks paused for a third party that let its 15
working days pass run again (第32条)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour="17", minute="50"))  # 01:50 Beijing time (the worker runs on UTC)
def nightly_deadlines() -> dict:
    return {
        "abandoned": services.abandon_uncorrected(),
        "resumed": services.resume_consultations(),
    }
