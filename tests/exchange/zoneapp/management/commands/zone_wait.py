"""Wait until this zone has N acknowledged outbox messages, or N effects of the test handlers
(the benchmark's pipelined run): ``manage.py zone_wait 100000 [--effects] --timeout 600``.
Prints the wall-clock time (time.time()) at which the count was reached.

The waiter runs beside the processes it measures, on the same CPUs, so its counting must
cost little:

- effects are counted incrementally, the rows above the highest id counted so far (the
  importers of a zone apply one at a time, so effect rows commit in id order; the benchmark
  checks the exact totals at the end);
- ``--after-stdin`` waits for a line on standard input before it starts counting (the
  benchmark sends it when every message is applied: counting acknowledged rows of a
  100,000-row outbox with three versions of every row costs up to 0.1 s a time)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Max

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
        parser.add_argument(
            "--after-stdin",
            action="store_true",
            help="start counting once a line arrives on standard input",
        )

    def handle(self, *args, count, timeout, effects, interval, after_stdin, **options):
        if after_stdin:
            sys.stdin.readline()
        deadline = time.monotonic() + timeout
        what = "effects" if effects else "acknowledged"
        counter = self._effects() if effects else self._acknowledged()
        while (done := next(counter)) < count:
            if time.monotonic() > deadline:
                raise CommandError(f"only {done} of {count} {what} after {timeout} s")
            time.sleep(interval)
        self.stdout.write(f"{what} {done} at {time.time():.3f}")

    @staticmethod
    def _effects():
        done, highest = 0, 0
        while True:
            found = Effect.objects.filter(pk__gt=highest).aggregate(rows=Count("pk"), top=Max("pk"))
            if found["rows"]:
                done += found["rows"]
                highest = found["top"]
            yield done

    @staticmethod
    def _acknowledged():
        rows = OutboxMessage.objects.filter(status=OutboxMessage.Status.ACKED)
        while True:
            yield rows.count()
