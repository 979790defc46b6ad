"""Wait until this zone's outbox holds at least N acknowledged messages (the benchmark's
pipelined run): ``manage.py zone_wait 100000 --timeout 600``."""

import time

from django.core.management.base import BaseCommand, CommandError

from egov.exchange.models import OutboxMessage


class Command(BaseCommand):
    help = "Wait for N acknowledged outbox messages (exchange tests and benchmark only)."

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--timeout", type=float, default=600)

    def handle(self, *args, count, timeout, **options):
        deadline = time.monotonic() + timeout
        acked = OutboxMessage.objects.filter(status=OutboxMessage.Status.ACKED)
        while (done := acked.count()) < count:
            if time.monotonic() > deadline:
                raise CommandError(f"only {done} of {count} acknowledged after {timeout} s")
            time.sleep(0.1)
        self.stdout.write(f"acknowledged {done}")
