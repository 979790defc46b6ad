"""Print, as JSON, what the exchange tests check in one zone: the effects of the test
handlers (total and distinct messages), the outbox and inbox by status, the quarantine by
reason and the open alerts."""

import json

from django.core.management.base import BaseCommand
from django.db.models import Count

from egov.exchange.models import ExchangeAlert, InboxMessage, OutboxMessage, QuarantinedMessage

from ...models import Effect


class Command(BaseCommand):
    help = "Report effects and exchange state as JSON (exchange tests only)."

    requires_system_checks = []  # started often (cron, tests): start fast

    def handle(self, *args, **options):
        report = {
            "effects": Effect.objects.count(),
            "distinct_effects": Effect.objects.values("message_id").distinct().count(),
            "outbox": _by(OutboxMessage.objects, "status"),
            "inbox": _by(InboxMessage.objects, "status"),
            "quarantine": _by(QuarantinedMessage.objects, "reason"),
            "alerts": sorted(
                ExchangeAlert.objects.filter(resolved_at=None).values_list("kind", flat=True)
            ),
        }
        self.stdout.write(json.dumps(report, sort_keys=True))


def _by(queryset, field: str) -> dict:
    rows = queryset.values(field).annotate(n=Count("pk")).order_by(field)
    return {row[field]: row["n"] for row in rows}
