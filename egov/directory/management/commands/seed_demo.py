"""manage.py seed_demo: the Yongchuan bodies and the demo accounts (safe to run again)."""

from django.core.management.base import BaseCommand

from egov.directory.demo import seed_demo

from .import_orgs import describe


class Command(BaseCommand):
    help = (
        "Load the Yongchuan demo data: the bodies, one staff member per role (with a TOTP "
        "device), citizens and an enterprise. Running it again creates nothing new."
    )

    def handle(self, *args, **options):
        report = seed_demo()
        for line in describe(report.organisations):
            self.stdout.write(line)
        if report.created_users:
            self.stdout.write(f"Demo accounts created: {', '.join(report.created_users)}.")
        else:
            self.stdout.write("Demo accounts: all present, nothing created.")
        for username in report.skipped_users:
            self.stderr.write(
                f"warning: the account {username} exists and is not a demo account; "
                "it was left untouched."
            )
