"""Canonical JSON: one byte sequence for one value, so that a signature over it is deterministic.

The form is the subset of RFC 8785 (JSON Canonicalization Scheme, JCS) that carries no
floating-point numbers. For every value accepted here the output is byte-for-byte what a JCS
implementation produces, so another implementation can check our signatures.

Values (Python type -> JSON):

- ``dict`` with ``str`` keys -> object. Members are sorted by their keys compared as
  sequences of UTF-16 code units, as JCS requires. (This differs from Python's code-point
  order only when a key holds characters above U+FFFF together with characters in
  U+E000..U+FFFF; we follow JCS so that other implementations agree with us.)
- ``list`` or ``tuple`` -> array (a tuple comes back from :func:`parse` as a list).
- ``str`` -> string, written as UTF-8. Only what JSON requires is escaped: ``"`` and ``\\``
  as ``\\"`` and ``\\\\``; U+0008, U+0009, U+000A, U+000C, U+000D as ``\\b \\t \\n \\f \\r``;
  other characters below U+0020 as ``\\u00xx`` (lower-case hex). Lone surrogates are refused.
- ``int`` -> number, only within the I-JSON safe range ±(2**53 - 1).
- ``True`` / ``False`` / ``None`` -> ``true`` / ``false`` / ``null``.

No insignificant whitespace is written. Floats (and NaN, infinities), ``Decimal``, dates and
every other type are refused with a :class:`CanonicalError` naming the offending location:
exchange payloads carry decimal amounts and dates as strings (``"12.50"``, ISO 8601).
Nesting deeper than :data:`MAX_DEPTH` containers is refused.

:func:`parse` is the strict reader used on received bytes: it refuses invalid UTF-8, a byte
order mark, malformed or truncated JSON, duplicate keys, numbers with a fraction or exponent,
NaN and infinities, integers outside the safe range, escaped lone surrogates, too deep
nesting and anything after the value except JSON whitespace. Each refusal carries a
``reason`` code, so the importer can quarantine the input with a specific reason. It accepts
any valid JSON within those rules, canonical or not, and returns objects with their members
in the order of the input; ``parse(canonical_bytes(v)) == v`` holds for every accepted value
``v`` (tuples aside), and ``canonical_bytes(parse(data))`` is defined for every accepted input.
"""

import json
import re

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 64

# Reason codes of CanonicalError.
INVALID_UTF8 = "invalid_utf8"
MALFORMED_JSON = "malformed_json"
TRUNCATED = "truncated"
TRAILING_DATA = "trailing_data"
DUPLICATE_KEY = "duplicate_key"
FLOAT_NOT_ALLOWED = "float_not_allowed"
INTEGER_OUT_OF_RANGE = "integer_out_of_range"
INVALID_UNICODE = "invalid_unicode"
TOO_DEEP = "too_deep"
KEY_NOT_STRING = "key_not_string"
UNSUPPORTED_TYPE = "unsupported_type"

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_JSON_WHITESPACE = " \t\n\r"
# What may follow the position of a JSON syntax error when the input was merely cut short.
_LITERAL_PREFIXES = frozenset(
    word[:n] for word in ("true", "false", "null") for n in range(1, len(word))
)
_CUT_NUMBER = re.compile(r"-|[.eE][+-]?[0-9]*")
_CUT_ESCAPE = re.compile(r"u[0-9a-fA-F]{0,4}")

_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, check_circular=False, separators=(",", ":")
)


class CanonicalError(ValueError):
    """A value that has no canonical form, or bytes that :func:`parse` refuses.

    ``reason`` is one of the reason codes above; ``path`` locates the offending part of a
    value (``$`` is the value itself, e.g. ``$.payload.items[2]``). A syntax error found by
    :func:`parse` has ``position`` instead: the byte offset of invalid UTF-8, otherwise the
    character offset in the decoded text.
    """

    def __init__(self, reason: str, message: str, position: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.position = position
        self._path: list[str | int] = []

    @property
    def path(self) -> str:
        text = "$"
        for part in self._path:
            if isinstance(part, int):
                text += f"[{part}]"
            elif part.isascii() and part.isidentifier():
                text += f".{part}"
            else:
                text += f"[{json.dumps(part)}]"
        return text

    def __str__(self) -> str:
        if self._path:
            return f"{self.path}: {self.message}"
        if self.position is not None:
            return f"{self.message} (at position {self.position})"
        return self.message


def canonical_bytes(value) -> bytes:
    """The canonical UTF-8 JSON bytes of ``value``; raise :class:`CanonicalError` if it has none."""
    return _ENCODER.encode(normalise(value)).encode("utf-8")


def encode_normalised(value) -> bytes:
    """The canonical bytes of a value that is already normalised: objects in canonical member
    order and nothing without a canonical form, as :func:`normalise` returns. Skips the checks
    of :func:`canonical_bytes`; for callers that build such values themselves."""
    return _ENCODER.encode(value).encode("utf-8")


def normalise(value):
    """A checked copy of ``value`` whose objects have their members in canonical order.

    Serialising the copy with ``json.dumps(copy, ensure_ascii=False, separators=(",", ":"))``
    gives the canonical form. Raise :class:`CanonicalError` for anything without one.
    """
    return _normalise(value, 0)


def _first(item: tuple[str, object]) -> str:
    return item[0]


def _utf16_order(item: tuple[str, object]) -> bytes:
    return item[0].encode("utf-16-be", "surrogatepass")


def _normalise(value, depth: int):
    kind = type(value)
    if kind is str:
        if not value.isascii() and _SURROGATE.search(value):
            raise CanonicalError(
                INVALID_UNICODE,
                "the string contains a lone UTF-16 surrogate, which is not valid Unicode; "
                "remove it or decode the text it came from correctly",
            )
        return value
    if kind is int:
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return value
        raise CanonicalError(
            INTEGER_OUT_OF_RANGE,
            f"the integer {value} is outside ±(2**53 - 1); send large numbers as strings",
        )
    if kind is dict:
        if depth >= MAX_DEPTH:
            raise _too_deep()
        items = []
        ascii_keys = True
        for key, item in value.items():
            if type(key) is not str:
                key = _string_key(key)
            try:
                if not key.isascii():
                    ascii_keys = False
                    _normalise(key, depth)  # lone surrogates
                items.append((key, _normalise(item, depth + 1)))
            except CanonicalError as error:
                error._path.insert(0, key)
                raise
        items.sort(key=_first if ascii_keys else _utf16_order)
        return dict(items)
    if kind is list or kind is tuple:
        if depth >= MAX_DEPTH:
            raise _too_deep()
        result = []
        for index, item in enumerate(value):
            try:
                result.append(_normalise(item, depth + 1))
            except CanonicalError as error:
                error._path.insert(0, index)
                raise
        return result
    if value is None or kind is bool:
        return value
    # Subclasses of the JSON types (a StrEnum, an IntEnum, an OrderedDict ...) count as the
    # type they extend.
    if isinstance(value, str):
        return _normalise(str.__str__(value), depth)
    if isinstance(value, int):
        return _normalise(int(value), depth)
    if isinstance(value, dict):
        return _normalise(dict(value), depth)
    if isinstance(value, list | tuple):
        return _normalise(list(value), depth)
    if isinstance(value, float):
        raise CanonicalError(
            FLOAT_NOT_ALLOWED,
            f"floating-point numbers are not allowed ({value!r}); send a decimal amount as a "
            'string such as "12.50", or a whole number as an int',
        )
    raise CanonicalError(
        UNSUPPORTED_TYPE,
        f"{kind.__name__} is not a JSON type; convert it to str, int, bool, None, list or dict "
        "first (dates as ISO 8601 strings, decimals as strings)",
    )


def _string_key(key) -> str:
    if isinstance(key, str) and not isinstance(key, bool):
        return str.__str__(key)
    raise CanonicalError(
        KEY_NOT_STRING,
        f"object keys must be strings, not {type(key).__name__} ({key!r}); "
        "convert the key with str()",
    )


def _too_deep() -> CanonicalError:
    return CanonicalError(
        TOO_DEEP, f"containers are nested more than {MAX_DEPTH} deep; flatten the data"
    )


# --- parsing -------------------------------------------------------------------------------


def _refuse_float(text: str):
    raise CanonicalError(
        FLOAT_NOT_ALLOWED,
        f"the number {text} has a fraction or an exponent; only integers are allowed "
        "(decimals travel as strings)",
    )


def _refuse_constant(text: str):
    raise CanonicalError(MALFORMED_JSON, f"{text} is not valid JSON")


def _parse_int(text: str) -> int:
    # Length first: int() of thousands of digits is slow and refused by Python itself.
    if len(text) > 17 or not -MAX_SAFE_INTEGER <= (number := int(text)) <= MAX_SAFE_INTEGER:
        raise CanonicalError(
            INTEGER_OUT_OF_RANGE,
            f"the integer {text[:30]}{'…' if len(text) > 30 else ''} is outside ±(2**53 - 1)",
        )
    return number


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise CanonicalError(DUPLICATE_KEY, f"the key {key!r} appears twice in an object")
            seen.add(key)
    return result


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object_without_duplicates,
    parse_float=_refuse_float,
    parse_int=_parse_int,
    parse_constant=_refuse_constant,
)


# json's decoder with only the hooks that cost nothing on ordinary input: duplicate keys,
# fractions, exponents, NaN and infinities are refused. Unlike parse() it does not check the
# range of integers, escaped lone surrogates or the depth: for a reader that checks every
# value of a known structure itself and falls back to parse() on any refusal (envelope.py).
QUICK_DECODER = json.JSONDecoder(
    object_pairs_hook=_object_without_duplicates,
    parse_float=_refuse_float,
    parse_constant=_refuse_constant,
)


def parse(data: bytes):
    """Parse JSON ``data`` strictly; raise :class:`CanonicalError` with a reason code if refused."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"parse() takes bytes, not {type(data).__name__}")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):
            raise CanonicalError(
                TRUNCATED, "the data ends inside a UTF-8 character", error.start
            ) from None
        raise CanonicalError(INVALID_UTF8, "the data is not valid UTF-8", error.start) from None
    if text.startswith("\ufeff"):
        raise CanonicalError(MALFORMED_JSON, "the data starts with a byte order mark; remove it", 0)
    start = len(text) - len(text.lstrip(_JSON_WHITESPACE))
    if start == len(text):
        raise CanonicalError(TRUNCATED, "the data is empty", start)
    try:
        value, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as error:
        reason = TRUNCATED if _cut_short(error) else MALFORMED_JSON
        message = "the data ends before the JSON value does" if reason == TRUNCATED else error.msg
        raise CanonicalError(reason, message, error.pos) from None
    except RecursionError:
        raise CanonicalError(TOO_DEEP, "the JSON is nested too deeply") from None
    rest = text[end:].lstrip(_JSON_WHITESPACE)
    if rest:
        raise CanonicalError(
            TRAILING_DATA, "something follows the JSON value", len(text) - len(rest)
        )
    # The decoder has checked everything but lone surrogates (only escapes can make them) and
    # the depth (only as many brackets can make it); walk the value only if either is possible.
    if (
        text.count("[") + text.count("{") >= MAX_DEPTH
        or "\\u" in text
        and _ESCAPED_SURROGATE.search(text)
    ):
        normalise(value)
    return value


def _cut_short(error: json.JSONDecodeError) -> bool:
    """Whether a JSON syntax error is explained by the input ending too early."""
    rest = error.doc[error.pos :]
    if not rest.strip(_JSON_WHITESPACE) or error.msg.startswith("Unterminated string"):
        return True
    if error.msg.startswith("Invalid \\uXXXX escape"):
        return bool(_CUT_ESCAPE.fullmatch(rest))
    return rest in _LITERAL_PREFIXES or bool(_CUT_NUMBER.fullmatch(rest))
