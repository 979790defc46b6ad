"""Wait until this zone has N acknowledged outbox messages, or N effects of the test handlers
(the benchmark's pipelined run): ``manage.py zone_wait 100000 [--effects] --timeout 600``.
Prints the wall-clock time (time.time()) at which the count was reached."""

import time

from django.core.management.base import BaseCommand, CommandError

from egov.exchange.models import OutboxMessage

from ...models import Effect


class Command(BaseCommand):
    help = "Wait for N acknowledged outbox messages or N effects (exchange tests and benchmark)."

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--timeout", type=float, default=600)
        parser.add_argument(
            "--effects", action="store_true", help="count the test handlers' effects instead"
        )
        parser.add_argument("--interval", type=float, default=0.1, help="seconds between counts")

    def handle(self, *args, count, timeout, effects, interval, **options):
        deadline = time.monotonic() + timeout
        rows = Effect.objects if effects else OutboxMessage.objects.filter(status="acked")
        what = "effects" if effects else "acknowledged"
        while (done := rows.count()) < count:
            if time.monotonic() > deadline:
                raise CommandError(f"only {done} of {count} {what} after {timeout} s")
            time.sleep(interval)
        self.stdout.write(f"{what} {done} at {time.time():.3f}")
