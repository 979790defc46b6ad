"""Carry exchange batches across a gap directory (the spool transport).

    manage.py exchange_ferry export            # this zone's pending messages → the gap
    manage.py exchange_ferry import            # acknowledgements, then the peer's batches
    manage.py exchange_ferry both --loop       # both, again and again (a worker's job)

From cron, once a minute (each run does what there is and exits)::

    * * * * *  cd /srv/egov && .venv/bin/python manage.py exchange_ferry both -v 0

The gap directory is ``--gap`` or EGOV_EXCHANGE["SPOOL_DIR"]; its layout is in
docs/deploy/zones.md. Two ferries of one zone never work at once on one gap directory: the
second one waits (``--loop``) or stops with an error.
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from egov.exchange.transports import broker, spool

BROKERS = ("rabbitmq", "nats")  # EGOV_EXCHANGE["TRANSPORT"] values that use a broker

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Export this zone's pending exchange messages into a gap directory, import the other "
        "zone's batches and acknowledgements from it, or both; once, or in a loop."
    )

    requires_system_checks = []  # started often (cron, tests): start fast

    def add_arguments(self, parser):
        parser.add_argument("direction", choices=["export", "import", "both"])
        parser.add_argument(
            "--gap",
            help="the gap directory (default: EGOV_EXCHANGE['SPOOL_DIR'], "
            "env EGOV_EXCHANGE_SPOOL_DIR)",
        )
        parser.add_argument(
            "--loop", action="store_true", help="run again and again until stopped (SIGTERM)"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help="with --loop: seconds to wait after a run that found nothing to do",
        )
        parser.add_argument(
            "--batch-size", type=int, help="messages per batch (default: EGOV_EXCHANGE)"
        )

    def handle(self, *args, direction, gap, loop, interval, batch_size, **options):
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds")
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if settings.EGOV_EXCHANGE.get("TRANSPORT") in BROKERS:
            self.verbosity = options["verbosity"]
            return self.handle_broker(direction, loop, interval, batch_size)
        try:
            the_gap = spool.gap_for_this_zone(gap)
            the_gap.ensure()
        except spool.SpoolError as error:
            raise CommandError(str(error)) from None
        self.verbosity = options["verbosity"]
        if not loop:
            try:
                errors = self.run_once(the_gap, direction, batch_size)
            except spool.SpoolBusyError as error:
                raise CommandError(str(error)) from None
            if errors:
                raise CommandError(
                    f"{errors} batch(es) could not be imported and were left in place; "
                    "see the log above, fix the cause and run the ferry again"
                )
            return

        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        while not stopping:
            close_old_connections()  # a database restarted meanwhile: connect again
            try:
                worked = self.run_once(the_gap, direction, batch_size, count_work=True)
            except spool.SpoolBusyError:
                worked = 0
            except Exception:  # the database or the gap is unavailable: log, try again
                logger.exception("the exchange ferry failed; trying again in %s s", interval)
                worked = 0
            if stopping:
                break
            if not worked:
                time.sleep(interval)

    def run_once(self, gap, direction, batch_size, *, count_work=False) -> int:
        """One pass; returns the number of import errors (or, with count_work, whether
        anything was done)."""
        worked = 0
        errors = 0
        through_broker = isinstance(gap, broker.BrokerTransport)
        if direction in ("import", "both"):
            report = gap.import_() if through_broker else spool.import_(gap)
            errors += report.errors
            worked += report.batches + report.acks + report.rejected_files + report.errors
            if self.verbosity >= 1 and (report.batches or report.acks or report.rejected_files):
                reasons = ", ".join(f"{k}={v}" for k, v in sorted(report.reasons.items()))
                self.stdout.write(
                    f"imported {report.batches} batch(es): {report.applied} applied, "
                    f"{report.duplicates} duplicate(s), {report.waiting} waiting, "
                    f"{report.quarantined} quarantined{f' ({reasons})' if reasons else ''}, "
                    f"{report.rejected_files} file(s) rejected; {report.acks} "
                    f"acknowledgement(s) for {report.acked_messages} message(s)"
                )
        if direction in ("export", "both"):
            if through_broker:
                report = gap.export(batch_size=batch_size)
            else:
                report = spool.export(gap, batch_size=batch_size)
            worked += report.batches
            if self.verbosity >= 1 and (report.batches or report.recovered):
                self.stdout.write(
                    f"exported {report.batches} batch(es), {report.messages} message(s), "
                    f"{report.attachments} attachment(s) to "
                    f"{gap.batch_address(broker.other_zone(gap.zone)) if through_broker else gap.outgoing}"
                    + (f"; {report.recovered} batch(es) recovered" if report.recovered else "")
                )
        return worked if count_work else errors

    def handle_broker(self, direction, loop, interval, batch_size) -> None:
        """The same through RabbitMQ or NATS (docs/exchange/brokers.md), with one broker
        connection per pass: a batch held by a failed pass goes to the next one, in order."""
        stopping = []
        if loop:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.append(True))
        while not stopping:
            close_old_connections()
            try:
                with broker.transport_from_settings() as transport:
                    worked = self.run_once(transport, direction, batch_size, count_work=loop)
            except broker.BrokerError as error:  # unreachable, another receiver, refused
                if not loop:
                    raise CommandError(str(error)) from None
                logger.warning("the exchange ferry: %s; trying again in %s s", error, interval)
                worked = 0
            except Exception:
                if not loop:
                    raise
                logger.exception("the exchange ferry failed; trying again in %s s", interval)
                worked = 0
            if not loop:
                if worked:  # without --loop, run_once returns the import errors
                    raise CommandError(
                        "a batch could not be imported and stays in the broker; see the log "
                        "above, fix the cause and run the ferry again"
                    )
                return
            if not worked:
                time.sleep(interval)
