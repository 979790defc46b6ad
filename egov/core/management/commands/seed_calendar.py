"""Load the working-day calendar from the chinese-calendar package, idempotently.

Rows an administrator entered or edited (any source that does not name the package) are never
overwritten; package rows are refreshed when a newer package corrects a day.
"""

from django.core.management.base import BaseCommand, CommandError

from egov.core.calendar import (
    CalendarSeedError,
    extend_provisionally,
    package_source,
    package_years,
    provisional_horizon,
    seed_from_package,
)
from egov.core.models import CalendarDay

FIRST_YEAR = 2020


def parse_years(value: str) -> list[int]:
    """'2020-2026', '2027' or '2025,2026' → the list of years."""
    years: list[int] = []
    try:
        for part in value.split(","):
            part = part.strip()
            if "-" in part:
                low, high = (int(x) for x in part.split("-", 1))
                if low > high:
                    raise ValueError
                years.extend(range(low, high + 1))
            else:
                years.append(int(part))
    except ValueError:
        raise CommandError(
            f"--years must look like 2020-2026, 2027 or 2025,2026; got {value!r}"
        ) from None
    return sorted(set(years))


def known_last_year() -> int:
    return package_years().stop - 1


class Command(BaseCommand):
    help = (
        "Load the official working-day calendar (holidays and make-up working days) from the "
        "chinese-calendar package. Safe to run again; rows edited by an administrator are kept."
    )

    def add_arguments(self, parser):
        known = package_years()
        parser.add_argument(
            "--years",
            default=f"{FIRST_YEAR}-{known.stop - 1}",
            help=(
                f"Years to load, e.g. 2020-2026, 2027 or 2025,2026 (default {FIRST_YEAR} to the "
                f"package's last year, {known.stop - 1})."
            ),
        )

    def handle(self, *args, **options):
        years = parse_years(options["years"])
        try:
            report = seed_from_package(years)
        except CalendarSeedError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{package_source()}: {report.created} days created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.kept} kept as edited by an administrator."
        )
        if report.redated:
            self.stdout.write(
                f"  {report.redated} running timers re-dated on the changed days "
                f"(from {report.first_updated.isoformat()})."
            )
        provisional = extend_provisionally(provisional_horizon())
        if provisional:
            self.stdout.write(
                f"  {provisional} provisional days added after {known_last_year()} "
                "(weekends and statutory holidays off; see decision 0019)."
            )
        for year in years:
            working = CalendarDay.objects.filter(date__year=year, is_working_day=True).count()
            self.stdout.write(f"  {year}: {working} working days")
