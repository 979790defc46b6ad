"""The verbs of the exchange. Transports (loopback, spool, broker) and commands call these;
modules call only ``publish`` (via ``egov.exchange.publish``) and register handlers.

Sending:   publish → (ferry) take_batch → transport writes it durably → mark_sent
           … the other side acknowledges → mark_acked
Receiving: transport reads raw items → receive_batch → for each item, in this order:
           envelope format, signature and trusted key, attachment hashes, policy (type
           known, direction, schema, size, real attachment types, classification), then
           the idempotent apply (inbox unique on (source, id), handler in the same
           transaction, per-key order by seq). Any failure → quarantine with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

# Quarantine reasons (stable codes; the back-office translates them).
REASONS = (
    "not_an_envelope",  # bytes that are not an envelope at all (incl. malformed JSON)
    "malformed_json",
    "truncated",
    "bad_field",  # an envelope member missing, extra or of the wrong type
    "unknown_key",
    "expired_key",
    "bad_signature",
    "bad_proof",
    "zone_mismatch",
    "attachment_missing",
    "attachment_hash",
    "attachment_size",
    "unknown_type",
    "wrong_direction",
    "schema_invalid",
    "too_large",
    "attachment_type",  # the real file type is not allowed for this message type
    "classified",  # classified material must never leave the internal zone
    "replayed",  # an id already applied, arriving again in another batch
    "handler_error",
)


@dataclass
class Batch:
    """Messages taken from the outbox for one transfer."""

    id: str  # a UUIDv7 hex
    destination: str
    outbox_ids: list  # OutboxMessage primary keys, in send order
    envelopes: list[bytes]  # sealed envelope bytes, in send order
    attachments: dict[str, str] = field(default_factory=dict)  # sha256 → file path


@dataclass
class ReceiveReport:
    applied: int = 0
    duplicates: int = 0  # already applied from this same batch (a re-import after a crash)
    waiting: int = 0  # held until an earlier message of the same key arrives
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class ReceivedMessage:
    """What a handler receives."""

    envelope: object  # egov.exchange.envelope.Envelope
    attachments: dict[str, bytes]  # sha256 → bytes

    @property
    def payload(self) -> dict:
        return self.envelope.payload


def publish(
    type: str,  # noqa: A002
    payload: dict,
    *,
    key: str,
    attachments: Sequence[tuple[str, str, bytes]] = (),  # (name, content_type, bytes)
    source_body: str = "",
    classification: str = "",
):
    """Write one message to the outbox inside the caller's transaction (rolled back with
    it). Allocates the next sequence number of ``key``; stores attachment bytes in the
    content-addressed store; refuses (ValueError with a clear message) an unknown type, a
    type that does not leave this zone, a payload that fails the type's schema or size
    limit, and classified material leaving the internal zone. Returns the OutboxMessage."""
    raise NotImplementedError


def take_batch(destination: str, *, limit: int = 1000) -> Batch | None:
    """Seal up to ``limit`` pending outbox messages for ``destination`` (oldest first) with
    one batch signature, and return them; None when nothing is pending. Does not change
    their status: a batch that was never written durably is simply taken again."""
    raise NotImplementedError


def mark_sent(batch: Batch) -> None:
    """The batch is durably handed to the transport."""
    raise NotImplementedError


def mark_acked(batch_id: str) -> int:
    """The other side acknowledged the batch: its messages are done. Returns the count."""
    raise NotImplementedError


def receive_batch(
    items: Iterable[bytes],
    *,
    batch_id: str,
    attachment: Callable[[str], bytes | None],
    source: str = "",
) -> ReceiveReport:
    """Check and apply received items (each the bytes of one envelope, or of anything that
    arrived). ``attachment(sha256)`` returns the bytes that travelled alongside, or None.
    Idempotent: importing the same batch again applies nothing twice."""
    raise NotImplementedError


def quarantine(raw: bytes, *, reason: str, detail: str = "", batch_id: str = "", envelope=None):
    """Hold ``raw`` with its reason (visible in the back-office, re-processable)."""
    raise NotImplementedError


def requeue(quarantined_id: int) -> ReceiveReport:
    """Process a quarantined message again (after a fix: a key trusted, a handler fixed)."""
    raise NotImplementedError
