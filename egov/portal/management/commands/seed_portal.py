"""manage.py seed_portal: the site group's demo (safe to run again)."""

from django.core.management.base import BaseCommand, CommandError

from egov.portal.demo import seed_portal
from egov.portal.services import PortalError


class Command(BaseCommand):
    help = (
        "Load the site group's demo: the district portal on the default site with hundreds "
        "of articles, policy documents and interpretations, sections of departments, towns "
        "and a subdistrict (fresh, stale and blank columns for the site health inspector), "
        "the congress's own site, and the search's synonyms. Needs the directory's demo "
        "bodies (manage.py seed_demo). Running it again creates nothing new and keeps what "
        "editors changed."
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
        if report.synonyms:
            self.stdout.write(f"Search synonym groups added: {report.synonyms}.")
        for grant in report.grants:
            self.stdout.write(f"Demo account {grant}.")
