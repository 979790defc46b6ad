"""``manage.py audit_verify``: check the audit log's hash chain from the first entry to the
head; exit 0 when intact, 1 naming the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from egov.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken entry, if any."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=5000,
            help="How many entries to read from the database at a time (default 5000).",
        )

    def handle(self, *args, chunk_size, **options):
        report = verify_chain(chunk_size=chunk_size)
        if not report:
            raise CommandError(
                f"audit chain broken at entry #{report.broken_id}: {report.reason} "
                f"({report.checked} entries before it are intact)",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {report.checked} entries")
