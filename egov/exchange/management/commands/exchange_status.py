"""Print the state of the exchange per direction and type: what waits to be sent, what was
sent and not acknowledged, what was applied in the last hour, what waits for an earlier
message, what is held in quarantine (by reason), the oldest pending age and the open alerts.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from egov.exchange import selectors

COLUMNS = (
    ("direction", 20),
    ("type", 34),
    ("pending", 8),
    ("unacked", 8),
    ("oldest", 8),
    ("applied/h", 10),
    ("waiting", 8),
    ("quarantined", 0),
)


class Command(BaseCommand):
    help = (
        "Show the exchange per direction and type: pending, sent not acknowledged, oldest "
        "pending age, applied in the last hour, waiting, quarantined by reason; open alerts."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        rows = selectors.traffic(now)
        self.stdout.write(f"exchange status at {timezone.localtime(now):%Y-%m-%d %H:%M:%S %Z}")
        self.stdout.write(self._line([name for name, _width in COLUMNS]))
        for row in rows:
            held = ", ".join(f"{code}={count}" for code, _label, count in row.quarantined_reasons())
            self.stdout.write(
                self._line(
                    [
                        row.direction,
                        row.type or "(unreadable)",
                        row.pending,
                        row.unacked,
                        selectors.format_age(selectors.age(row.oldest_pending_at, now)),
                        row.applied_last_hour,
                        row.waiting,
                        held or "0",
                    ]
                )
            )
        if not rows:
            self.stdout.write("no traffic in the last day, nothing pending, nothing held")

        oldest = selectors.format_age(selectors.age(selectors.oldest_pending_at(), now))
        self.stdout.write(f"oldest pending message: {oldest}")
        by_reason = selectors.quarantine_by_reason()
        total = sum(count for _code, _label, count in by_reason)
        self.stdout.write(f"quarantined (held): {total}")
        for code, label, count in by_reason:
            self.stdout.write(f"  {code}: {count} ({label})")
        alerts = list(selectors.open_alerts())
        self.stdout.write(f"open alerts: {len(alerts)}")
        for alert in alerts:
            raised = timezone.localtime(alert.raised_at)
            self.stdout.write(f"  {raised:%Y-%m-%d %H:%M} {alert.kind}: {alert.subject}")

    @staticmethod
    def _line(values) -> str:
        cells = [
            str(value).ljust(width) if width else str(value)
            for value, (_name, width) in zip(values, COLUMNS, strict=True)
        ]
        return " ".join(cells).rstrip()
