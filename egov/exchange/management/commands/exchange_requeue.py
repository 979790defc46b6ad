"""Process quarantined messages again, after the cause was fixed (a key trusted, a handler
corrected, a type registered): ``manage.py exchange_requeue 12 13``."""

from django.core.management.base import BaseCommand, CommandError

from egov.core import audit
from egov.exchange import selectors, services
from egov.exchange.models import QuarantinedMessage


def outcome_text(report) -> str:
    if report.applied:
        return "applied"
    if report.duplicates:
        return "already applied before"
    if report.waiting:
        return "waiting for an earlier message"
    if report.quarantined:
        return "quarantined again: " + (", ".join(report.reasons) or "?")
    return "nothing to do"


class Command(BaseCommand):
    help = (
        "Re-process quarantined messages (ids from the back-office quarantine list or "
        "exchange_status) and print what became of each."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="+", type=int, metavar="id", help="quarantine id")

    def handle(self, *args, ids, **options):
        rows = QuarantinedMessage.objects.in_bulk(ids)
        unknown = [str(pk) for pk in ids if pk not in rows]
        if unknown:
            raise CommandError(
                f"no quarantined message with id {', '.join(unknown)}; the ids are in the "
                "first column of the back-office quarantine list (/backoffice/exchange/"
                "quarantinedmessage/). Nothing was re-processed."
            )
        resolved = [
            f"{pk} ({rows[pk].get_status_display()})"
            for pk in ids
            if rows[pk].status != QuarantinedMessage.Status.HELD
        ]
        if resolved:
            raise CommandError(
                f"only held messages can be re-processed; already resolved: "
                f"{', '.join(resolved)}. Nothing was re-processed."
            )
        failed = 0
        for pk in dict.fromkeys(ids):  # each once, in the order given
            row = rows[pk]
            try:
                report = services.requeue(pk)
            except ValueError as error:  # re-processed meanwhile by someone else
                failed += 1
                self.stderr.write(f"{pk}: {error}")
                continue
            outcome = outcome_text(report)
            audit.record(
                "exchange.quarantine.requeued",
                obj=row,
                purpose="manage.py exchange_requeue",
                detail={"reason": row.reason, "sha256": row.sha256, "outcome": outcome},
            )
            label = selectors.reason_label(row.reason)
            line = f"{pk}: {outcome} (was {row.reason}: {label})"
            if report.applied or report.duplicates or report.waiting:
                self.stdout.write(line)
            else:
                failed += 1
                self.stderr.write(line)
        if failed:
            raise CommandError(f"{failed} of {len(set(ids))} messages are still not applied")
