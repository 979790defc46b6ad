"""Periodic work of the site group, run by the Huey worker (`manage.py run_huey`)."""

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
