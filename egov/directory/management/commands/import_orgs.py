"""manage.py import_orgs [path]: create or update the bodies listed in a CSV file."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from egov.directory.services import (
    DEFAULT_ORGS_CSV,
    ImportReport,
    import_organisations,
    read_organisations_csv,
)


def describe(report: ImportReport) -> list[str]:
    lines = [
        f"{report.total} bodies: {len(report.created)} created, "
        f"{len(report.updated)} updated, {len(report.unchanged)} unchanged."
    ]
    for code, kind in sorted(report.unknown_kinds.items()):
        lines.append(f'warning: {code} has the unknown kind "{kind}"; it was imported as "other".')
    return lines


class Command(BaseCommand):
    help = (
        "Create or update organisations by code from a CSV file with the columns code, "
        "name_zh, name_en, kind, parent_code. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DEFAULT_ORGS_CSV),
            help="the CSV file (default: the Yongchuan bodies shipped with egov)",
        )

    def handle(self, *args, path, **options):
        try:
            report = import_organisations(read_organisations_csv(path))
        except FileNotFoundError:
            raise CommandError(f"There is no file {path}; give the path of a CSV file.") from None
        except ValidationError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"- {m}" for m in error.messages)
            ) from None
        for line in describe(report):
            self.stdout.write(line)
