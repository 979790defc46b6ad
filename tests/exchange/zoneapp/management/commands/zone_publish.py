"""Publish test messages: ``manage.py zone_publish test.zone.ping --count 100 --keys 10``.

Message n (from --start) goes to key ``<prefix>:<n % keys>``, so each key gets a sequence of
messages; --per-transaction messages are published in one transaction."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from egov import exchange

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


class Command(BaseCommand):
    help = "Publish numbered test messages of a test type (exchange tests only)."

    requires_system_checks = []  # started often (cron, tests): start fast

    def add_arguments(self, parser):
        parser.add_argument("type")
        parser.add_argument("--count", type=int, default=1)
        parser.add_argument("--start", type=int, default=0)
        parser.add_argument("--keys", type=int, default=1)
        parser.add_argument("--prefix", default="test")
        parser.add_argument("--per-transaction", type=int, default=500)
        parser.add_argument("--text-bytes", type=int, default=16)
        parser.add_argument("--attachment", action="store_true", help="attach a small PNG")
        parser.add_argument("--pause", type=float, default=0, help="seconds between transactions")

    def handle(self, *args, **options):
        numbers = range(options["start"], options["start"] + options["count"])
        step = options["per_transaction"]
        text = "x" * options["text_bytes"]
        attachments = [("pixel.png", "image/png", PNG)] if options["attachment"] else []
        for first in range(0, len(numbers), step):
            with transaction.atomic():
                for number in numbers[first : first + step]:
                    exchange.publish(
                        options["type"],
                        {"number": number, "text": text},
                        key=f"{options['prefix']}:{number % options['keys']}",
                        attachments=attachments,
                    )
            if options["pause"]:
                time.sleep(options["pause"])
        self.stdout.write(f"published {len(numbers)}")
