"""Publish test messages: ``manage.py zone_publish test.zone.ping --count 100 --keys 10``.

Message n (from --start) goes to key ``<prefix>:<n % keys>``, so each key gets a sequence of
messages; --per-transaction messages are published in one transaction, each with
``exchange.publish``, or with one ``services.publish_many`` call per transaction (--many)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from egov import exchange
from egov.exchange.services import OutgoingMessage, publish_many

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
        parser.add_argument(
            "--many", action="store_true", help="one publish_many call per transaction"
        )

    def handle(self, *args, **options):
        numbers = range(options["start"], options["start"] + options["count"])
        step = options["per_transaction"]
        text = "x" * options["text_bytes"]
        attachments = [("pixel.png", "image/png", PNG)] if options["attachment"] else []
        self.stdout.write(f"first publish at {time.time():.3f}")  # for the benchmark
        self.stdout.flush()
        for first in range(0, len(numbers), step):
            messages = [
                OutgoingMessage(
                    options["type"],
                    {"number": number, "text": text},
                    f"{options['prefix']}:{number % options['keys']}",
                    attachments,
                )
                for number in numbers[first : first + step]
            ]
            with transaction.atomic():
                if options["many"]:
                    publish_many(messages)
                else:
                    for message in messages:
                        exchange.publish(
                            message.type,
                            message.payload,
                            key=message.key,
                            attachments=message.attachments,
                        )
            if options["pause"]:
                time.sleep(options["pause"])
        self.stdout.write(f"published {len(numbers)}")
