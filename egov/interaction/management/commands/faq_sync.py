"""Write the FAQ entries of every published service item (external zone; decision 0023).

New publications and withdrawals keep the entries in step by themselves; this is for the
items published before the FAQ existed, or after a change of the generated questions."""

from django.core.management.base import BaseCommand

from egov.interaction import faq


class Command(BaseCommand):
    help = "Write the FAQ entries of every published service item and drop those withdrawn."

    def handle(self, *args, **options):
        count = faq.sync_catalogue()
        self.stdout.write(f"FAQ entries written for {count} published service items.")
