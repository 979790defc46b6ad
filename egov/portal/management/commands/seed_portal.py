"""manage.py seed_portal: the site group's demo (safe to run again)."""

from django.core.management.base import BaseCommand, CommandError

from egov.portal.demo import seed_portal
from egov.portal.services import PortalError


class Command(BaseCommand):
    help = (
        "Load the site group's demo: the district portal on the default site with its "
        "columns and content, sections of departments and towns, and the congress's own site. "
        "Needs the directory's demo bodies (manage.py seed_demo). Running it again creates "
        "nothing new and keeps what editors changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--congress-host",
            default="rd.localhost",
            help="host name of the congress's site (default rd.localhost; add it to "
            "ALLOWED_HOSTS to visit it)",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="port of the congress's site (default 8000)"
        )

    def handle(self, *args, **options):
        try:
            report = seed_portal(congress_host=options["congress_host"], port=options["port"])
        except PortalError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Sites: " + "; ".join(report.sites) + ".")
        self.stdout.write("Sections: " + ", ".join(report.sections) + ".")
        if report.pages:
            self.stdout.write(f"Pages created and published: {report.pages}.")
        else:
            self.stdout.write("Pages: all present, nothing created.")
        for grant in report.grants:
            self.stdout.write(f"Demo account {grant}.")
