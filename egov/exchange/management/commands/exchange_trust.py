"""Manage the other zone's trusted public keys (EGOV_EXCHANGE_TRUSTED_KEYS/trusted.json).

    manage.py exchange_trust add internal-20260101T000000Z.key.public.pem --zone internal \\
        --valid-from 2026-01-01T00:00:00Z [--valid-until 2027-01-31T00:00:00Z]
    manage.py exchange_trust list
    manage.py exchange_trust retire <key id> --valid-until 2027-01-31T00:00:00Z
    manage.py exchange_trust remove <key id>

``add`` copies the public key into the directory as ``<zone>-<key id>.pem`` and lists it in
trusted.json (the format is in egov/exchange/keys.py); the file is replaced atomically and
the change takes effect at the next batch. Rotation with an overlap: ``add`` the new key,
``retire`` the old one with a ``--valid-until`` after the overlap (docs/deploy/zones.md).
"""

import datetime
import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov.exchange import ZONES, keys, signing
from egov.exchange.transports.spool import write_bytes_durably

TIME_HELP = "an ISO 8601 time with its zone, e.g. 2026-01-01T00:00:00Z or 2026-01-01T08:00+08:00"


def parse_time(text: str, option: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"{option}: {text!r} is not {TIME_HELP}") from None
    if moment.utcoffset() is None:
        raise CommandError(f"{option}: {text!r} has no time zone; write it as {TIME_HELP}")
    return moment


def format_time(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Command(BaseCommand):
    help = (
        "Trust, list, retire (end the validity of) or remove the other zone's public keys "
        "in EGOV_EXCHANGE_TRUSTED_KEYS/trusted.json."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="trust a public key file of the other zone")
        add.add_argument("public_key", help="the .public.pem file made by exchange_keygen")
        add.add_argument("--zone", required=True, choices=ZONES, help="the zone it signs for")
        add.add_argument("--valid-from", help=f"from when (default: now); {TIME_HELP}")
        add.add_argument("--valid-until", help=f"until when (default: no end); {TIME_HELP}")
        actions.add_parser("list", help="show the trusted keys and whether each is valid now")
        retire = actions.add_parser("retire", help="end a key's validity (after an overlap)")
        retire.add_argument("key_id")
        retire.add_argument("--valid-until", required=True, help=TIME_HELP)
        remove = actions.add_parser("remove", help="stop trusting a key at once")
        remove.add_argument("key_id")

    def handle(self, *args, action, **options):
        self.directory = Path(settings.EGOV_EXCHANGE["TRUSTED_KEYS_DIR"])
        getattr(self, f"handle_{action}")(**options)
        keys.reset()

    # --- trusted.json ----------------------------------------------------------------------

    def read_entries(self) -> list[dict]:
        try:
            keys.load_trusted_keys(self.directory)  # refuses a broken listing clearly
        except signing.KeyFileError as error:
            raise CommandError(f"{error}; fix or remove the file, then try again") from None
        listing = self.directory / keys.TRUSTED_FILE
        if not listing.exists():
            return []
        data = json.loads(listing.read_text(encoding="utf-8"))
        return list(data["keys"] if isinstance(data, dict) else data)

    def write_entries(self, entries: list[dict]) -> None:
        content = json.dumps({"keys": entries}, indent=2, ensure_ascii=False) + "\n"
        write_bytes_durably(self.directory, keys.TRUSTED_FILE, content.encode("utf-8"))

    def entry_key_ids(self, entries: list[dict]) -> list[str]:
        return [key.key_id for key in keys.load_trusted_keys(self.directory)][: len(entries)]

    def find(self, entries: list[dict], key_id: str) -> int:
        for index, found in enumerate(self.entry_key_ids(entries)):
            if found == key_id:
                return index
        raise CommandError(
            f"key {key_id} is not in {self.directory / keys.TRUSTED_FILE}; "
            "'exchange_trust list' shows the trusted keys"
        )

    # --- actions ---------------------------------------------------------------------------

    def handle_add(self, *, public_key, zone, valid_from, valid_until, **options):
        this_zone = settings.EGOV_ZONE
        if this_zone == zone:
            raise CommandError(
                f"this deployment is the {zone} zone; it trusts the other zone's keys. Run "
                "this command in the zone that receives the messages this key signs"
            )
        start = parse_time(valid_from, "--valid-from") if valid_from else None
        start = start or datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        end = parse_time(valid_until, "--valid-until") if valid_until else None
        try:
            pem = Path(public_key).read_bytes()
            key = signing.TrustedKey.from_pem(pem, zone=zone, valid_from=start, valid_until=end)
        except FileNotFoundError:
            raise CommandError(f"no file {public_key}") from None
        except (signing.KeyFileError, ValueError) as error:
            raise CommandError(f"{public_key}: {error}") from None
        entries = self.read_entries()
        if key.key_id in self.entry_key_ids(entries):
            raise CommandError(
                f"key {key.key_id} is trusted already; 'exchange_trust retire' changes its validity"
            )
        self.directory.mkdir(mode=0o755, parents=True, exist_ok=True)
        name = f"{zone}-{key.key_id}.pem"
        write_bytes_durably(self.directory, name, pem)
        os.chmod(self.directory / name, 0o644)
        entry = {"file": name, "zone": zone, "valid_from": format_time(start)}
        if end is not None:
            entry["valid_until"] = format_time(end)
        self.write_entries([*entries, entry])
        self.stdout.write(
            f"trusted key {key.key_id} of the {zone} zone from {format_time(start)}"
            + (f" until {format_time(end)}" if end else "")
        )

    def handle_list(self, **options):
        self.read_entries()
        now = datetime.datetime.now(datetime.UTC)
        trusted = keys.load_trusted_keys(self.directory)
        if not trusted:
            self.stdout.write(f"no trusted keys in {self.directory / keys.TRUSTED_FILE}")
        for key in trusted:
            try:
                key.check_valid(now)
                state = "valid now"
            except signing.SignatureError as error:
                state = error.reason
            self.stdout.write(
                f"{key.key_id}  {key.zone:<8}  from {format_time(key.valid_from)}  "
                f"until {format_time(key.valid_until) or '(no end)':<20}  {state}"
            )

    def handle_retire(self, *, key_id, valid_until, **options):
        entries = self.read_entries()
        index = self.find(entries, key_id)
        end = parse_time(valid_until, "--valid-until")
        start = parse_time(entries[index]["valid_from"], "valid_from")
        if end <= start:
            raise CommandError(
                f"--valid-until must be later than the key's valid_from ({format_time(start)})"
            )
        entries[index] = {**entries[index], "valid_until": format_time(end)}
        self.write_entries(entries)
        self.stdout.write(f"key {key_id} is trusted until {format_time(end)}")

    def handle_remove(self, *, key_id, **options):
        entries = self.read_entries()
        index = self.find(entries, key_id)
        removed = entries.pop(index)
        self.write_entries(entries)
        self.stdout.write(
            f"key {key_id} is no longer trusted ({removed['file']} is kept in "
            f"{self.directory}; messages it signed are now quarantined as unknown_key)"
        )
