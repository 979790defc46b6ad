"""Put the base registries (people, legal entities, e-licences) in the resource catalogue."""

from django.core.management.base import BaseCommand, CommandError

from egov.directory.models import Organisation
from egov.sharing.registries import install_base_registries


class Command(BaseCommand):
    help = "Put the base registries in the resource catalogue, provided by the given body."

    def add_arguments(self, parser):
        parser.add_argument("--body", default="YC-DSJ", help="the providing body's code")

    def handle(self, *args, body, **options):
        provider = Organisation.objects.filter(code=body).first()
        if provider is None:
            raise CommandError(f"no body with the code {body!r}")
        for resource in install_base_registries(provider):
            self.stdout.write(f"{resource.code} {resource.name}")
