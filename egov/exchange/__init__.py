"""The data exchange centre between the external and the internal zone.

The cryptographic core is plain Python, importable without Django:

- :mod:`egov.exchange.canonical` — canonical JSON bytes (a subset of RFC 8785) and a strict
  parser for received bytes;
- :mod:`egov.exchange.ids` — UUIDv7 message ids;
- :mod:`egov.exchange.merkle` — Merkle trees for batch signatures, with proof paths;
- :mod:`egov.exchange.signing` — signers, verifiers, key files, the trust store of the other
  zone's keys, batch signing;
- :mod:`egov.exchange.envelope` — the message envelope, its wire format, sealing and
  verification.

The format is described in docs/exchange/envelope.md. Keep this module free of Django imports
at module level, so that the core stays importable by tools and benchmarks.
"""

EXTERNAL = "external"
INTERNAL = "internal"
ZONES = (EXTERNAL, INTERNAL)


def handler(name, **options):
    """Register a message type and its handler (see :mod:`egov.exchange.registry`)."""
    from .registry import handler as register_handler

    return register_handler(name, **options)


def publish(type, payload, *, key, attachments=(), **options):  # noqa: A002 - the domain's word
    """Write a message to the outbox in the caller's transaction (see services.publish)."""
    from .services import publish as publish_message

    return publish_message(type, payload, key=key, attachments=attachments, **options)


def publish_many(messages):
    """Write a list of ``services.OutgoingMessage`` to the outbox in the caller's transaction,
    all or nothing (see services.publish_many)."""
    from .services import publish_many as publish_messages

    return publish_messages(messages)
