"""manage.py seed_services: the demo catalogue of service items (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.services.seed import seed_services


class Command(BaseCommand):
    help = (
        "Load the demo catalogue: about thirty service items of Yongchuan bodies, published "
        "to the external zone. Items that exist already (same body and basic code) are left "
        "as they are, so running it again creates nothing new."
    )

    def handle(self, *args, **options):
        if settings.EGOV_ZONE == "external":
            raise CommandError(
                "Service items are managed in the internal zone: run seed_services there; "
                "the external zone receives them through the exchange."
            )
        report = seed_services()
        if report.missing_bodies:
            self.stderr.write(
                "Bodies missing from the directory (their items were skipped): "
                + ", ".join(sorted(set(report.missing_bodies)))
            )
        if report.created:
            self.stdout.write(f"Service items created and published: {len(report.created)}.")
        else:
            self.stdout.write("Service items: all present, nothing created.")
        if (
            report.created
            and settings.EGOV_ZONE == "combined"
            and settings.EGOV_EXCHANGE.get("TRANSPORT") == "loopback"
        ):
            # Combined mode: deliver now, so that the hall shows them before the worker runs.
            from egov.exchange.transports import loopback

            delivered = loopback.deliver()
            if delivered is not None:
                self.stdout.write(f"Delivered to the published catalogue: {delivered.applied}.")
