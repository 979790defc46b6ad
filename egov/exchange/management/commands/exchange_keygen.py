"""Create this zone's exchange signing key (Ed25519).

    manage.py exchange_keygen                 # at EGOV_EXCHANGE_SIGNING_KEY, if none is there
    manage.py exchange_keygen --out /etc/egov/keys    # a new key file, e.g. for a rotation

The private key is written with mode 0600 (its directory 0700) and never overwritten; its
public key is written beside it as ``<key file>.public.pem`` — the only file that leaves the
zone: carry it to the other zone and run ``exchange_trust add`` there (docs/deploy/zones.md).
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.exchange import keys, signing


class Command(BaseCommand):
    help = (
        "Create this zone's Ed25519 signing key pair: the private key (mode 0600) and the "
        "public key to give the other zone. Never overwrites a key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            help="directory for a new key file named <zone>-<UTC time>.key (default: create "
            "the key at EGOV_EXCHANGE_SIGNING_KEY)",
        )

    def handle(self, *args, out, **options):
        zone = settings.EGOV_ZONE
        if out:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            path = Path(out) / f"{zone}-{stamp}.key"
        else:
            path = Path(settings.EGOV_EXCHANGE["SIGNING_KEY"])
        if path.exists():
            raise CommandError(
                f"a signing key exists at {path}; keys are never overwritten. To rotate, run "
                "exchange_keygen --out DIR and follow docs/deploy/zones.md (key rotation)"
            )
        try:
            signer = keys.create_signing_key(path)
        except (OSError, signing.KeyFileError) as error:
            raise CommandError(f"cannot write the key to {path}: {error}") from None
        public = keys.public_key_path(path)
        self.stdout.write(f"key id:      {signer.key_id}")
        self.stdout.write(f"private key: {path} (mode 0600; never leaves this zone)")
        self.stdout.write(f"public key:  {public}")
        self.stdout.write("next steps:")
        if out:
            self.stdout.write(f"  - set EGOV_EXCHANGE_SIGNING_KEY={path} (from the time agreed)")
        if zone == keys.COMBINED:
            self.stdout.write("  - none: a combined deployment trusts its own key")
        else:
            self.stdout.write(
                f"  - carry {public.name} to the other zone and run there: manage.py "
                f"exchange_trust add {public.name} --zone {zone} --valid-from <time>"
            )
        keys.reset()
