"""Run the site health inspection now (the worker runs it every night at 02:30)."""

from django.core.management.base import BaseCommand

from egov.portal.inspector.services import inspect_sites


class Command(BaseCommand):
    help = (
        "Inspect every site and body's section of the portal against the State Council's "
        "website checks, store today's reports (replacing today's earlier ones) and warn "
        "editors of limits about to be crossed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-mail",
            action="store_true",
            help="Store reports and warnings but e-mail nobody (warnings stay unsent).",
        )

    def handle(self, *args, no_mail=False, **options):
        run = inspect_sites(notify=not no_mail)
        for report in run.reports:
            verdict = "passed" if report.passed else "FAILED"
            vetoes = ", ".join(report.vetoes) or "-"
            self.stdout.write(
                f"{report.title}\t{report.score}\t{verdict}\tvetoes: {vetoes}\t"
                f"problems: {len(report.findings)}\twarnings: {len(report.warnings)}"
            )
        failing = sum(1 for report in run.reports if not report.passed)
        self.stdout.write(
            f"{run.day}: {len(run.reports)} sites and sections inspected, {failing} failing; "
            f"warnings opened {run.warnings_opened}, closed {run.warnings_closed}; "
            f"{run.mails_sent} e-mails sent."
        )
