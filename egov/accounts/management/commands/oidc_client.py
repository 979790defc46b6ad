"""Register or update a client system of this zone's OpenID Connect provider from the command
line — for the external zone, which has no back-office, and for deployment scripts. The same
fields as the back-office page (docs/identity.md); audited like it."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from egov.accounts.models import ClientPolicy
from egov.core.audit import record

CLAIM_FLAGS = {
    "name": "allow_name",
    "body": "allow_body",
    "roles": "allow_roles",
    "phone": "allow_phone",
}


class Command(BaseCommand):
    help = "Register (or update, by --client-id) a client system that logs people in through egov."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the system's name, shown on the consent page")
        parser.add_argument("--client-id", help="update this system instead of adding one")
        parser.add_argument(
            "--redirect-uri", action="append", required=True, help="an exact redirect address"
        )
        parser.add_argument("--post-logout-uri", action="append", default=[])
        parser.add_argument("--trusted", action="store_true", help="no consent question")
        parser.add_argument(
            "--audience",
            choices=[c for c, _label in ClientPolicy.Audience.choices],
            default="staff",
        )
        parser.add_argument(
            "--claims", default="", help=f"comma-separated, of: {', '.join(CLAIM_FLAGS)}"
        )
        parser.add_argument("--purpose", default="")
        parser.add_argument("--backchannel-logout-uri", default="")

    def handle(self, *args, **options):
        claims = [c.strip() for c in options["claims"].split(",") if c.strip()]
        unknown = sorted(set(claims) - set(CLAIM_FLAGS))
        if unknown:
            raise CommandError(f"unknown claims: {', '.join(unknown)}")
        secret = None
        with transaction.atomic():
            if options["client_id"]:
                application = Application.objects.filter(client_id=options["client_id"]).first()
                if application is None:
                    raise CommandError(f"no client system {options['client_id']!r}")
            else:
                secret = generate_client_secret()
                application = Application(
                    client_type=Application.CLIENT_CONFIDENTIAL,
                    authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                    algorithm=Application.RS256_ALGORITHM,
                    client_secret=secret,
                )
            application.name = options["name"]
            application.redirect_uris = " ".join(options["redirect_uri"])
            application.post_logout_redirect_uris = " ".join(options["post_logout_uri"])
            application.skip_authorization = options["trusted"]
            application.full_clean(exclude=["client_secret", "user"])
            application.save()
            policy, _created = ClientPolicy.objects.get_or_create(application=application)
            policy.audience = options["audience"]
            policy.purpose = options["purpose"]
            policy.backchannel_logout_uri = options["backchannel_logout_uri"]
            for claim, flag in CLAIM_FLAGS.items():
                setattr(policy, flag, claim in claims)
            policy.full_clean()
            policy.save()
            record(
                "oidc.client_registered" if secret else "oidc.client_changed",
                obj=application,
                detail={
                    "client_id": application.client_id,
                    "redirect_uris": options["redirect_uri"],
                    "trusted": application.skip_authorization,
                    "claims": sorted(policy.allowed_scopes() - {"openid"}),
                    "audience": policy.audience,
                    "by": "command",
                },
            )
        self.stdout.write(f"client_id: {application.client_id}")
        if secret:
            self.stdout.write(f"client_secret: {secret}  (shown once; stored hashed)")
