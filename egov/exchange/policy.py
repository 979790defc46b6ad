"""What may cross between the zones: the policy checked when sending and on arrival.

On arrival, after the envelope's signature and attachment hashes have been checked, in this
order (each failure a :class:`PolicyError` whose ``reason`` is a quarantine reason):

1. ``unknown_type`` — the type is not registered here, or has no handler on this side;
2. ``wrong_direction`` — the type does not travel from the envelope's source zone to this
   zone (in combined mode: to the type's own destination);
3. ``classified`` — classified material (any marking in ``classification``) bound for the
   external zone: it must never leave the internal zone. Checked before the content, so that
   it is reported as what it is;
4. ``too_large`` — the envelope (its signed bytes, i.e. without the seal, the same bytes the
   sender measured) is larger than the type's ``max_bytes``, or an attachment is larger than
   its ``max_attachment_bytes``;
5. ``schema_invalid`` — another schema version than this side's, or a payload that fails the
   type's JSON Schema (Draft 2020-12); the detail names the first error's place;
6. ``attachment_type`` — an attachment whose declared content type is not in the type's
   allowed list, or whose real type, judged by its content, is not the declared one.

Real file types are judged with the ``filetype`` package (magic bytes). Plain text and CSV
have no magic bytes: content that ``filetype`` does not recognise counts as ``text/plain``
when it is valid UTF-8 without NUL bytes, and is then accepted for a declared ``text/*``
type in the allowed list (``text/plain``, ``text/csv``). Anything else unrecognised is
refused. Declare the MIME type ``filetype`` reports (``application/pdf``, ``image/jpeg``,
``image/png``, ``application/zip`` …).
"""

from __future__ import annotations

import operator
import re
import threading
from collections.abc import Callable

import filetype
from django.conf import settings
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from . import EXTERNAL, registry
from .registry import MessageType

COMBINED = "combined"
TEXT_PLAIN = "text/plain"
# Room for the seal on top of a type's size limit, for the cheap check before parsing.
SEAL_ALLOWANCE = 16 * 1024


class PolicyError(ValueError):
    """A message the policy refuses; ``reason`` is its quarantine reason code."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


def this_zone() -> str:
    return settings.EGOV_ZONE


def receiving_zone(message_type: MessageType) -> str:
    """The zone that receives ``message_type`` here: this deployment's zone, or in combined
    mode (both zones in one deployment) the type's destination."""
    zone = this_zone()
    return message_type.destination if zone == COMBINED else zone


def max_envelope_bytes() -> int:
    """No envelope of any registered type is larger than this (with its seal): bigger input
    is refused before it is even parsed."""
    largest = max(
        (message_type.max_bytes for message_type in registry.all_types()),
        default=registry.DEFAULT_MAX_BYTES,
    )
    return max(largest, registry.DEFAULT_MAX_BYTES) + SEAL_ALLOWANCE


# --- sending -------------------------------------------------------------------------------


def outgoing_type(name: str, *, classification: str = "") -> MessageType:
    """The registered type ``name`` if this zone may send it (with this classification)."""
    message_type = registry.get(name)
    if message_type is None:
        raise PolicyError(
            "unknown_type",
            f"message type {name!r} is not registered; declare it with "
            "@exchange.handler(...) in the receiving module's handlers.py",
        )
    zone = this_zone()
    if zone != COMBINED and message_type.source != zone:
        raise PolicyError(
            "wrong_direction",
            f"{name} travels from the {message_type.source} zone to the "
            f"{message_type.destination} zone; this deployment is the {zone} zone and cannot "
            "send it",
        )
    if classification and message_type.destination == EXTERNAL:
        raise PolicyError(
            "classified",
            f"{name} goes to the external zone, and classified material "
            f"({classification!r}) must never leave the internal zone: send it without the "
            "classified content, or do not send it",
        )
    return message_type


# Refusers: other modules' checks of what must never be given to the exchange (the office
# system refuses any message that carries a classified official document, docs/oa.md). A
# refuser takes (type name, payload, attachments) and returns why it refuses, or "".
_refusers: list[Callable[[str, dict, list], str]] = []


def register_refuser(refuser: Callable[[str, dict, list], str]) -> None:
    """Add a refuser (once; registering the same function again does nothing)."""
    if refuser not in _refusers:
        _refusers.append(refuser)


def check_refusers(name: str, payload: dict, attachments) -> None:
    """Raise ``PolicyError("classified", ...)`` if a registered refuser refuses the message,
    whatever its direction and whatever ``classification`` the caller gave."""
    files = list(attachments)
    for refuser in _refusers:
        why = refuser(name, payload, files)
        if why:
            raise PolicyError("classified", f"{name}: {why}")


# --- on arrival ----------------------------------------------------------------------------


def incoming_type(envelope) -> MessageType:
    """The type of a received envelope if it may arrive here from its source zone."""
    message_type = registry.get(envelope.type)
    if message_type is None or message_type.handler is None:
        missing = "is not registered" if message_type is None else "has no handler"
        raise PolicyError(
            "unknown_type",
            f"message type {envelope.type!r} {missing} on this side; if it is new, update "
            "egov on this side, then re-process the message",
        )
    zone = receiving_zone(message_type)
    if message_type.source != envelope.source_zone or message_type.destination != zone:
        raise PolicyError(
            "wrong_direction",
            f"{envelope.type} may travel only from the {message_type.source} zone to the "
            f"{message_type.destination} zone; this one came from the "
            f"{envelope.source_zone} zone to the {zone} zone",
        )
    return message_type


def check_classification(message_type: MessageType, envelope) -> None:
    if envelope.classification and receiving_zone(message_type) == EXTERNAL:
        raise PolicyError(
            "classified",
            f"the message is marked classified ({envelope.classification!r}) but arrived "
            "in the external zone: classified material must never leave the internal zone; "
            "report it to the security officer",
        )


def check_size(message_type: MessageType, size: int, *, reserve: int = 0) -> None:
    """``size`` bytes (plus ``reserve`` that may still be added) within the type's limit."""
    if size + reserve > message_type.max_bytes:
        extra = f" (and up to {reserve} more for its sequence number)" if reserve else ""
        raise PolicyError(
            "too_large",
            f"the {message_type.name} message has {size} bytes{extra}; its limit is "
            f"{message_type.max_bytes}: send large content as attachments",
        )


def check_schema_version(message_type: MessageType, version: int) -> None:
    if version != message_type.schema_version:
        raise PolicyError(
            "schema_invalid",
            f"{message_type.name} has schema version {version}; this side reads version "
            f"{message_type.schema_version}: update egov on the older side",
        )


_validators: dict[str, tuple[int, Draft202012Validator, Callable | None]] = {}
_validators_lock = threading.Lock()


def _validator(message_type: MessageType) -> tuple[Draft202012Validator, Callable | None]:
    """The type's JSON Schema validator and its quick check (compile_schema), made once."""
    cached = _validators.get(message_type.name)
    if cached is not None and cached[0] == id(message_type.schema):
        return cached[1], cached[2]
    Draft202012Validator.check_schema(message_type.schema)
    validator = Draft202012Validator(
        message_type.schema, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    quick = compile_schema(message_type.schema)
    with _validators_lock:
        _validators[message_type.name] = (id(message_type.schema), validator, quick)
    return validator, quick


def _json_path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def check_payload(message_type: MessageType, payload) -> None:
    """The payload against the type's JSON Schema (Draft 2020-12).

    A payload the quick check accepts is valid; anything else goes through jsonschema,
    which decides, and names the error."""
    validator, quick = _validator(message_type)
    if quick is not None and quick(payload):
        return
    error = best_match(validator.iter_errors(payload))
    if error is not None:
        raise PolicyError(
            "schema_invalid",
            f"the payload of {message_type.name} does not match its schema at "
            f"{_json_path(error.absolute_path)}: {error.message[:300]}",
        )


# --- the quick schema check ----------------------------------------------------------------
#
# jsonschema walks a schema keyword by keyword for every payload (about 20 µs for a small
# object). compile_schema turns a schema that uses only the keywords below into nested
# Python closures (1–2 µs). It is a filter, not a second validator: it must never accept
# what jsonschema refuses, so each check implements the keyword's Draft 2020-12 meaning for
# the payloads the exchange carries (canonical JSON values: no floats, only dict, list, str,
# int, bool, None) and may be stricter (then jsonschema decides). A schema with any other
# keyword is not compiled. tests/exchange/test_publish.py compares both on random schemas.

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples"}
    | {"deprecated", "readOnly", "writeOnly"}
)
_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda value: type(value) is dict,
    "array": lambda value: type(value) is list,
    "string": lambda value: type(value) is str,
    "integer": lambda value: type(value) is int,
    "number": lambda value: type(value) is int,  # floats never reach the policy
    "boolean": lambda value: type(value) is bool,
    "null": lambda value: value is None,
}
_SCALARS = (str, int, bool, type(None))


class _NotCompiledError(Exception):
    pass


def compile_schema(schema) -> Callable[[object], bool] | None:
    """A quick check for ``schema``: a function that returns True only for values the
    schema accepts (False may also mean "ask jsonschema"), or None if the schema uses a
    keyword it does not know."""
    try:
        return _compile(schema)
    except _NotCompiledError:
        return None


def _compile(schema) -> Callable[[object], bool]:
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    if type(schema) is not dict:
        raise _NotCompiledError
    checks = []
    for keyword, argument in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        make = _KEYWORDS.get(keyword)
        if make is None:
            raise _NotCompiledError
        checks.append(make(argument, schema))
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    checks = tuple(checks)

    def check(value) -> bool:
        for each in checks:
            if not each(value):
                return False
        return True

    return check


def _type(argument, schema):
    names = [argument] if type(argument) is str else list(argument)
    tests = tuple(_TYPES[name] for name in names)
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def _properties(argument, schema):
    subschemas = tuple((name, _compile(subschema)) for name, subschema in argument.items())

    def check(value) -> bool:
        if type(value) is not dict:
            return True
        for name, subcheck in subschemas:
            if name in value and not subcheck(value[name]):
                return False
        return True

    return check


def _required(argument, schema):
    names = tuple(argument)
    return lambda value: type(value) is not dict or all(name in value for name in names)


def _additional_properties(argument, schema):
    if "patternProperties" in schema:
        raise _NotCompiledError
    known = frozenset(schema.get("properties", {}))
    if argument is True:
        return lambda value: True
    if argument is False:
        return lambda value: type(value) is not dict or value.keys() <= known
    subcheck = _compile(argument)
    return lambda value: (
        type(value) is not dict
        or all(subcheck(item) for name, item in value.items() if name not in known)
    )


def _items(argument, schema):
    if "prefixItems" in schema:
        raise _NotCompiledError
    subcheck = _compile(argument)
    return lambda value: type(value) is not list or all(subcheck(item) for item in value)


def _equal_scalar(argument):
    if type(argument) not in _SCALARS:
        raise _NotCompiledError
    kind = type(argument)
    return lambda value: type(value) is kind and value == argument


def _enum(argument, schema):
    tests = tuple(_equal_scalar(each) for each in argument)
    return lambda value: any(test(value) for test in tests)


def _const(argument, schema):
    return _equal_scalar(argument)


def _bound(kind, compare):
    def make(argument, schema):
        if type(argument) is not int:
            raise _NotCompiledError
        return lambda value: type(value) is not kind or compare(value, argument)

    return make


def _size(kind, compare):
    def make(argument, schema):
        if type(argument) is not int:
            raise _NotCompiledError
        return lambda value: type(value) is not kind or compare(len(value), argument)

    return make


def _pattern(argument, schema):
    search = re.compile(argument).search
    return lambda value: type(value) is not str or search(value) is not None


def _format(argument, schema):
    checker = Draft202012Validator.FORMAT_CHECKER
    return lambda value: checker.conforms(value, argument)


def _all_of(argument, schema):
    subchecks = tuple(_compile(subschema) for subschema in argument)
    return lambda value: all(subcheck(value) for subcheck in subchecks)


def _any_of(argument, schema):
    subchecks = tuple(_compile(subschema) for subschema in argument)
    return lambda value: any(subcheck(value) for subcheck in subchecks)


_KEYWORDS = {
    "type": _type,
    "properties": _properties,
    "required": _required,
    "additionalProperties": _additional_properties,
    "items": _items,
    "enum": _enum,
    "const": _const,
    "minimum": _bound(int, operator.ge),
    "maximum": _bound(int, operator.le),
    "exclusiveMinimum": _bound(int, operator.gt),
    "exclusiveMaximum": _bound(int, operator.lt),
    "minLength": _size(str, operator.ge),
    "maxLength": _size(str, operator.le),
    "minItems": _size(list, operator.ge),
    "maxItems": _size(list, operator.le),
    "minProperties": _size(dict, operator.ge),
    "maxProperties": _size(dict, operator.le),
    "pattern": _pattern,
    "format": _format,
    "allOf": _all_of,
    "anyOf": _any_of,
}


def real_content_type(data: bytes) -> str | None:
    """The type of ``data`` judged by its content (see the module docstring), or None."""
    kind = filetype.guess_mime(data)
    if kind:
        return kind
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return TEXT_PLAIN
    return None


def check_attachment(message_type: MessageType, meta, data: bytes) -> None:
    """One attachment (its envelope record ``meta`` and its bytes) against the type."""
    if meta.size > message_type.max_attachment_bytes:
        raise PolicyError(
            "too_large",
            f"attachment {meta.name!r} has {meta.size} bytes; {message_type.name} allows at "
            f"most {message_type.max_attachment_bytes} per file",
        )
    allowed = message_type.attachment_types
    if meta.content_type not in allowed:
        accepted = ", ".join(sorted(allowed)) if allowed else "none"
        raise PolicyError(
            "attachment_type",
            f"attachment {meta.name!r} is declared as {meta.content_type}, which "
            f"{message_type.name} does not accept (accepted: {accepted})",
        )
    real = real_content_type(data)
    if real == meta.content_type or (real == TEXT_PLAIN and meta.content_type.startswith("text/")):
        return
    raise PolicyError(
        "attachment_type",
        f"attachment {meta.name!r} is declared as {meta.content_type} but its content is "
        f"{real or 'of an unknown type'}: a file renamed to pass as another type is refused",
    )


def check_incoming(envelope, *, size: int, attachments: dict[str, bytes]) -> MessageType:
    """Everything the policy says about a received envelope whose signature and attachment
    hashes were checked already; ``size`` is the length of its signed bytes. Returns its
    type; raises PolicyError."""
    message_type = incoming_type(envelope)
    check_classification(message_type, envelope)
    check_size(message_type, size)
    for meta in envelope.attachments:
        if meta.size > message_type.max_attachment_bytes:
            check_attachment(message_type, meta, b"")  # raises too_large
    check_schema_version(message_type, envelope.schema_version)
    check_payload(message_type, envelope.payload)
    for meta in envelope.attachments:
        check_attachment(message_type, meta, attachments[meta.sha256])
    return message_type
