"""The message archive: ``verify`` walks the hash chain of the daily files and names the
first break; ``close`` closes a day that has ended (yesterday by default) — run it daily
after midnight from cron or the worker."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from egov.exchange import archive


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--day must be a date like 2026-03-01, not {text!r}") from None


class Command(BaseCommand):
    help = (
        "verify: check the archive's hash chain (exit status 1 and the first broken link if "
        "broken). close [--day YYYY-MM-DD]: record the final hash of a day that has ended "
        "(default: yesterday)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "close"])
        parser.add_argument("--day", help="the day to close, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, action, day=None, **options):
        if action == "verify":
            if day:
                raise CommandError("verify checks the whole chain; leave out --day")
            self.verify()
        else:
            self.close(parse_day(day) if day else timezone.localdate() - datetime.timedelta(1))

    def verify(self):
        report = archive.verify_archive()
        if not report.intact:
            raise CommandError(
                f"archive broken at {report.broken_day} ({report.checked} files intact "
                f"before it): {report.problem}"
            )
        self.stdout.write(f"archive intact: {report.checked} daily files, chain unbroken")

    def close(self, day: datetime.date):
        try:
            row = archive.close_day(day)
        except archive.ArchiveError as error:
            raise CommandError(str(error)) from None
        if row is None:
            self.stdout.write(f"nothing was archived on {day}; nothing to close")
            return
        self.stdout.write(
            f"closed {row.day}: {row.count} messages, sha256 {row.sha256} "
            f"(linked to {row.prev_sha256})"
        )
