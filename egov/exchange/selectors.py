"""Set-based reads of the exchange for operators: traffic per direction and type (throughput,
backlog, oldest pending age, quarantine by reason), open alerts. The back-office page and
``manage.py exchange_status`` show these; nothing here changes state.

A direction is a pair of zones (source, destination). The outbox holds what this database
sends (its rows name the destination), the inbox what it received (its rows name the
source); with two zones either side gives the pair. In a split deployment one database sees
only the outgoing side of a direction and the other only the incoming side; in combined mode
one database sees both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import ZONES
from .models import ExchangeAlert, InboxMessage, OutboxMessage, QuarantinedMessage

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
UNKNOWN = ""  # a zone or type that could not be read from what arrived

# What each quarantine reason means, for people (the codes are services.REASONS).
REASON_LABELS = {
    "not_an_envelope": _("not an envelope at all"),
    "malformed_json": _("malformed JSON"),
    "truncated": _("truncated"),
    "bad_field": _("an envelope field missing, extra or wrong"),
    "unknown_key": _("signed with a key that is not trusted"),
    "expired_key": _("signed with a key no longer valid"),
    "bad_signature": _("signature does not match"),
    "bad_proof": _("batch proof does not match"),
    "zone_mismatch": _("key belongs to another zone"),
    "attachment_missing": _("attachment missing"),
    "attachment_hash": _("attachment bytes changed"),
    "attachment_size": _("attachment size differs"),
    "unknown_type": _("unknown message type"),
    "wrong_direction": _("type not allowed in this direction"),
    "schema_invalid": _("payload fails the type's schema"),
    "too_large": _("larger than the type allows"),
    "attachment_type": _("attachment file type not allowed"),
    "classified": _("classified material leaving the internal zone"),
    "replayed": _("already applied, arrived again"),
    "handler_error": _("the handler failed"),
    "key_not_yet_valid": _("signed with a key not valid yet"),
    "sequence_reused": _("sequence number already used for its key"),
}


def reason_label(code: str) -> str:
    """The reason in words; an unknown code is shown as itself."""
    return str(REASON_LABELS.get(code, code))


def other_zone(zone: str) -> str:
    if zone not in ZONES:
        return UNKNOWN
    return ZONES[1] if zone == ZONES[0] else ZONES[0]


@dataclass
class TrafficRow:
    """One direction and type: what this database sent, received and holds."""

    source: str
    destination: str
    type: str
    # outgoing (the outbox)
    sent_last_hour: int = 0
    sent_last_day: int = 0
    pending: int = 0
    unacked: int = 0  # sent, not yet acknowledged by the other side
    oldest_pending_at: datetime.datetime | None = None
    # incoming (the inbox)
    applied_last_hour: int = 0
    applied_last_day: int = 0
    waiting: int = 0  # held until an earlier message of the same key arrives
    oldest_waiting_at: datetime.datetime | None = None
    # held in quarantine, by reason
    quarantined: dict[str, int] = field(default_factory=dict)

    @property
    def direction(self) -> str:
        if not self.source:
            return str(_("unknown"))
        return f"{self.source} → {self.destination}"

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    def quarantined_reasons(self) -> list[tuple[str, str, int]]:
        """(code, label, count), most frequent first."""
        return [
            (code, reason_label(code), count)
            for code, count in sorted(
                self.quarantined.items(), key=lambda item: (-item[1], item[0])
            )
        ]


def traffic(now: datetime.datetime | None = None) -> list[TrafficRow]:
    """Every direction and type with traffic in the last day, a backlog or a quarantine,
    sorted by direction and type. Three grouped queries, whatever the number of messages."""
    now = now or timezone.now()
    hour_ago, day_ago = now - HOUR, now - DAY
    rows: dict[tuple[str, str, str], TrafficRow] = {}

    def row(source: str, destination: str, type_: str) -> TrafficRow:
        key = (source, destination, type_)
        if key not in rows:
            rows[key] = TrafficRow(source, destination, type_)
        return rows[key]

    pending = Q(status=OutboxMessage.Status.PENDING)
    outgoing = (
        OutboxMessage.objects.filter(
            Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENT])
            | Q(sent_at__gte=day_ago)
        )
        .values("destination", "type")
        .annotate(
            sent_hour=Count("id", filter=Q(sent_at__gte=hour_ago)),
            sent_day=Count("id", filter=Q(sent_at__gte=day_ago)),
            pending=Count("id", filter=pending),
            unacked=Count("id", filter=Q(status=OutboxMessage.Status.SENT)),
            oldest_pending=Min("created_at", filter=pending),
        )
    )
    for item in outgoing:
        target = row(other_zone(item["destination"]), item["destination"], item["type"])
        target.sent_last_hour = item["sent_hour"]
        target.sent_last_day = item["sent_day"]
        target.pending = item["pending"]
        target.unacked = item["unacked"]
        target.oldest_pending_at = item["oldest_pending"]

    waiting = Q(status=InboxMessage.Status.WAITING)
    incoming = (
        InboxMessage.objects.filter(waiting | Q(applied_at__gte=day_ago))
        .values("source_zone", "type")
        .annotate(
            applied_hour=Count("id", filter=Q(applied_at__gte=hour_ago)),
            applied_day=Count("id", filter=Q(applied_at__gte=day_ago)),
            waiting=Count("id", filter=waiting),
            oldest_waiting=Min("received_at", filter=waiting),
        )
    )
    for item in incoming:
        target = row(item["source_zone"], other_zone(item["source_zone"]), item["type"])
        target.applied_last_hour = item["applied_hour"]
        target.applied_last_day = item["applied_day"]
        target.waiting = item["waiting"]
        target.oldest_waiting_at = item["oldest_waiting"]

    held = (
        QuarantinedMessage.objects.filter(status=QuarantinedMessage.Status.HELD)
        .values("source_zone", "type", "reason")
        .annotate(count=Count("id"))
    )
    for item in held:
        source = item["source_zone"] if item["source_zone"] in ZONES else UNKNOWN
        target = row(source, other_zone(source), item["type"])
        target.quarantined[item["reason"]] = item["count"]

    return sorted(rows.values(), key=lambda r: (r.source == UNKNOWN, r.source, r.type))


def quarantine_by_reason() -> list[tuple[str, str, int]]:
    """Held messages per reason: (code, label, count), most frequent first."""
    counts = (
        QuarantinedMessage.objects.filter(status=QuarantinedMessage.Status.HELD)
        .values("reason")
        .annotate(count=Count("id"))
        .order_by("-count", "reason")
    )
    return [(item["reason"], reason_label(item["reason"]), item["count"]) for item in counts]


def open_alerts():
    """Alerts not yet resolved, oldest first."""
    return ExchangeAlert.objects.filter(resolved_at__isnull=True).order_by("raised_at", "id")


def oldest_pending_at() -> datetime.datetime | None:
    """When the oldest message still waiting to be sent was written (None: nothing pending)."""
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).aggregate(
        oldest=Min("created_at")
    )["oldest"]


def age(since: datetime.datetime | None, now: datetime.datetime | None = None):
    """How long ago ``since`` was (a timedelta, never negative), or None."""
    if since is None:
        return None
    return max((now or timezone.now()) - since, datetime.timedelta(0))


def format_age(delta: datetime.timedelta | None) -> str:
    """A short, language-neutral age: ``45s``, ``12m``, ``3h05m``, ``2d04h``; ``-`` for none."""
    if delta is None:
        return "-"
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    minutes, _seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"
