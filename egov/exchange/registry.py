"""Message types and their handlers.

A module declares each type it sends or receives, with its direction, payload schema (JSON
Schema), size limit and allowed attachment types, and registers the handler that applies it
on the receiving side::

    from egov import exchange

    @exchange.handler(
        "hall.application.submitted",
        direction=("external", "internal"),
        schema={"type": "object", "required": ["application"], ...},
        max_bytes=256 * 1024,
        attachment_types={"application/pdf", "image/jpeg", "image/png"},
    )
    def apply_application(message):  # message: ReceivedMessage (services.py)
        ...

The handler runs inside the transaction that records the message in the inbox: if it
raises, neither happens and the message goes to quarantine with reason ``handler_error``.
Each app's ``handlers.py`` is imported when Django starts (``autodiscover``).

A **batch handler** (``batch=True``) receives a list of messages of its type instead of one,
so that it can write their effects with one ``bulk_create``::

    @exchange.handler("hall.application.submitted", ..., batch=True)
    def apply_applications(messages):  # list[ReceivedMessage]
        Application.objects.bulk_create(Application(...) for message in messages)

The list holds at most one message per key, so it never has to order them; the messages of
one key come in later calls, in their order. Handlers run without a savepoint each; if one
raises, the importer rolls back the whole chunk (up to 1,000 messages) and applies it again
one message at a time, each handler in its own savepoint (a batch handler then receives
lists of one), so that only the failing message goes to quarantine. Either kind of handler
must therefore keep its effects in the database, in the transaction it runs in: it may run
again after a rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from . import ZONES

DEFAULT_MAX_BYTES = 256 * 1024
DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class MessageType:
    name: str
    direction: tuple[str, str]  # (source zone, destination zone)
    schema: dict
    handler: Callable | None = None
    schema_version: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    attachment_types: frozenset[str] = field(default_factory=frozenset)
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES
    batch: bool = False  # the handler takes a list of ReceivedMessage (see the docstring)

    @property
    def source(self) -> str:
        return self.direction[0]

    @property
    def destination(self) -> str:
        return self.direction[1]


_types: dict[str, MessageType] = {}


def register(message_type: MessageType) -> MessageType:
    if message_type.direction[0] not in ZONES or message_type.direction[1] not in ZONES:
        raise ValueError(f"{message_type.name}: direction must be two of {ZONES}")
    if message_type.direction[0] == message_type.direction[1]:
        raise ValueError(f"{message_type.name}: a message crosses from one zone to the other")
    existing = _types.get(message_type.name)
    if existing is not None and existing.handler is not None and message_type.handler is not None:
        if existing.handler is not message_type.handler:
            raise ValueError(f"{message_type.name} already has a handler")
    _types[message_type.name] = message_type
    return message_type


def handler(
    name: str,
    *,
    direction: tuple[str, str],
    schema: dict,
    schema_version: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    attachment_types: set[str] | frozenset[str] = frozenset(),
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
    batch: bool = False,
):
    """Register ``name`` and the decorated function as its handler on the receiving side.
    With ``batch=True`` the function receives a list of messages (see the module docstring)."""

    def decorate(func: Callable) -> Callable:
        register(
            MessageType(
                name=name,
                direction=tuple(direction),
                schema=schema,
                handler=func,
                schema_version=schema_version,
                max_bytes=max_bytes,
                attachment_types=frozenset(attachment_types),
                max_attachment_bytes=max_attachment_bytes,
                batch=batch,
            )
        )
        return func

    return decorate


def get(name: str) -> MessageType | None:
    return _types.get(name)


def all_types() -> list[MessageType]:
    return sorted(_types.values(), key=lambda t: t.name)


def unregister(name: str) -> None:
    """For tests: forget a type."""
    _types.pop(name, None)


def autodiscover() -> None:
    """Import ``handlers`` of every installed egov app, so their types are registered."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("egov."):
            continue
        try:
            import_module(f"{config.name}.handlers")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.handlers":
                raise
