"""Register a consuming system of a body: prints its client id and secret (once)."""

from django.core.management.base import BaseCommand, CommandError

from egov.directory.models import Organisation
from egov.sharing.services import register_consumer


class Command(BaseCommand):
    help = "Register a body's system as a consumer of the sharing API (client credentials)."

    def add_arguments(self, parser):
        parser.add_argument("body", help="the body's code")
        parser.add_argument("name", help="the system's name")

    def handle(self, *args, body, name, **options):
        owner = Organisation.objects.filter(code=body).first()
        if owner is None:
            raise CommandError(f"no body with the code {body!r}")
        _consumer, client_id, secret = register_consumer(body=owner, name=name)
        self.stdout.write(f"client_id={client_id}\nclient_secret={secret}")
        self.stdout.write("The secret is shown once; the platform keeps only its hash.")
