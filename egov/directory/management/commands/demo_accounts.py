"""manage.py demo_accounts --address URL: print how to log in with the demo accounts."""

import unicodedata

from django.core.management.base import BaseCommand

from egov.accounts.models import User
from egov.directory.demo import account_rows

COLUMNS = [("username", "user name"), ("role", "role"), ("body", "body"), ("password", "password")]


def display_width(text: str) -> int:
    """Columns taken in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(rows: list[dict[str, str]]) -> list[str]:
    widths = {
        key: max([display_width(title)] + [display_width(row[key]) for row in rows])
        for key, title in COLUMNS
    }
    lines = ["  ".join(pad(title, widths[key]) for key, title in COLUMNS).rstrip()]
    lines.append("  ".join("-" * widths[key] for key, _ in COLUMNS))
    for row in rows:
        lines.append("  ".join(pad(row[key], widths[key]) for key, _ in COLUMNS).rstrip())
    return lines


class Command(BaseCommand):
    help = "Print the address and the demo accounts with their password and two-factor hint."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", default="http://127.0.0.1:8000/", help="where egov is served"
        )

    def handle(self, *args, address, **options):
        address = address if address.endswith("/") else address + "/"
        present = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
        rows = [row for row in account_rows() if row["username"] in present]
        write = self.stdout.write
        write("")
        write(f"egov: {address}")
        write(f"back-office: {address}backoffice/   log in: {address}accounts/login/")
        if not rows:
            write("There are no demo accounts yet: run .venv/bin/python manage.py seed_demo")
            return
        write("")
        write("Demo accounts (fictional people; never use this password for a real account):")
        for line in format_table(rows):
            write("  " + line)
        write("")
        write("Two-factor code for staff: .venv/bin/python manage.py demo_totp <username>")
        write("")
