"""Test message types, one per direction. Each application writes one ``Effect`` row (what
the two-zone and crash tests count, and what the benchmark's handler writes).

``test.zone.ping`` has a batch handler (one ``bulk_create`` for the messages it is given, as
a module that receives many messages would write it); ``test.zone.pong`` has a handler per
message. Both kinds are exercised by the two-zone test."""

from egov import exchange

PING = "test.zone.ping"  # external → internal
PONG = "test.zone.pong"  # internal → external

SCHEMA = {
    "type": "object",
    "required": ["number", "text"],
    "properties": {"number": {"type": "integer"}, "text": {"type": "string"}},
}
ATTACHMENT_TYPES = {"image/png", "application/pdf"}


def _effect(message):
    from .models import Effect

    envelope = message.envelope
    return Effect(
        message_id=envelope.id,
        type=envelope.type,
        key=envelope.key,
        seq=envelope.seq,
        number=message.payload["number"],
        attachments=len(message.attachments),
    )


@exchange.handler(
    PING,
    direction=("external", "internal"),
    schema=SCHEMA,
    attachment_types=ATTACHMENT_TYPES,
    batch=True,
)
def apply_pings(messages) -> None:
    from .models import Effect

    Effect.objects.bulk_create([_effect(message) for message in messages])


@exchange.handler(
    PONG, direction=("internal", "external"), schema=SCHEMA, attachment_types=ATTACHMENT_TYPES
)
def apply_pong(message) -> None:
    _effect(message).save(force_insert=True)
