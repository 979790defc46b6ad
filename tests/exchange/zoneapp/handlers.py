"""Test message types, one per direction. Each application writes one ``Effect`` row (what
the two-zone and crash tests count, and what the benchmark's handler writes)."""

from egov import exchange

PING = "test.zone.ping"  # external → internal
PONG = "test.zone.pong"  # internal → external

SCHEMA = {
    "type": "object",
    "required": ["number", "text"],
    "properties": {"number": {"type": "integer"}, "text": {"type": "string"}},
}


def apply(message) -> None:
    from .models import Effect

    envelope = message.envelope
    Effect.objects.create(
        message_id=envelope.id,
        type=envelope.type,
        key=envelope.key,
        seq=envelope.seq,
        number=message.payload["number"],
        attachments=len(message.attachments),
    )


for name, direction in ((PING, ("external", "internal")), (PONG, ("internal", "external"))):
    exchange.handler(
        name,
        direction=direction,
        schema=SCHEMA,
        attachment_types={"image/png", "application/pdf"},
    )(apply)
