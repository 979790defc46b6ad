"""Background work of case processing (the Huey worker): every night, payment notices not
paid by their date expire (``payments.expire_notices``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import payments


@db_periodic_task(crontab(hour="17", minute="40"))  # 01:40 Beijing time (the worker runs on UTC)
def expire_payments() -> int:
    return payments.expire_notices()
