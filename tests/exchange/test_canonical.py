"""Canonical JSON (a subset of RFC 8785) and its strict parser."""

import collections
import datetime
import decimal
import enum
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov.exchange import canonical
from egov.exchange.canonical import CanonicalError, canonical_bytes, parse

SAFE = canonical.MAX_SAFE_INTEGER

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-SAFE, max_value=SAFE)
    | st.text()  # hypothesis text has no lone surrogates
)


def json_values(keys=None):
    keys = st.text() if keys is None else keys
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=5)
        ),
        max_leaves=25,
    )


json_objects = st.dictionaries(st.text(), json_values(), max_size=6)


def reordered(value, data):
    """The same value with every object's members inserted in another order."""
    if isinstance(value, dict):
        keys = data.draw(st.permutations(list(value)))
        return {key: reordered(value[key], data) for key in keys}
    if isinstance(value, list):
        return [reordered(item, data) for item in value]
    return value


def reason_of(call, *args) -> str:
    with pytest.raises(CanonicalError) as caught:
        call(*args)
    return caught.value.reason


# --- serialisation -------------------------------------------------------------------------


@given(json_values())
def test_round_trip(value):
    assert parse(canonical_bytes(value)) == value


@given(json_values())
def test_canonical_bytes_are_idempotent(value):
    once = canonical_bytes(value)
    assert canonical_bytes(parse(once)) == once


@given(st.data(), json_values())
def test_member_order_does_not_matter(data, value):
    assert canonical_bytes(reordered(value, data)) == canonical_bytes(value)


@given(json_values())
def test_equal_values_give_equal_bytes(value):
    copy = json.loads(json.dumps(value))
    assert copy == value
    assert canonical_bytes(copy) == canonical_bytes(value)


@given(json_values(), json_values())
def test_equal_bytes_mean_equal_values(first, second):
    if canonical_bytes(first) == canonical_bytes(second):
        assert first == second


BMP_TEXT = st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]))


@given(json_values(keys=BMP_TEXT))
def test_matches_a_plain_sorted_json_dump_when_keys_are_in_the_bmp(value):
    # Within the Basic Multilingual Plane, UTF-16 order is code point order, so the standard
    # library's sorted, compact, non-ASCII dump is an independent reference.
    reference = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert canonical_bytes(value) == reference.encode("utf-8")


def test_keys_sort_by_utf16_code_units_as_rfc_8785_requires():
    # The sorting example of RFC 8785, section 3.2.3.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(parse(canonical_bytes(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    # Python's own order would put the emoji (U+1F600) last.
    assert sorted(value)[-1] == "\U0001f600"


def test_strings_are_escaped_as_rfc_8785_requires():
    # The string example of RFC 8785, section 3.2.2.2.
    value = {"string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/"}
    assert canonical_bytes(value) == '{"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'.encode()


def test_the_form_is_compact_utf8_with_integers_booleans_and_null():
    value = {"b": [1, -2, 0, True, False, None], "a": "永川 é", "c": {}, "d": []}
    assert canonical_bytes(value) == (
        '{"a":"永川 é","b":[1,-2,0,true,false,null],"c":{},"d":[]}'.encode()
    )


def test_the_safe_integer_range_is_accepted_at_its_edges():
    assert canonical_bytes([SAFE, -SAFE]) == b"[9007199254740991,-9007199254740991]"


def test_tuples_and_subclasses_of_json_types_count_as_those_types():
    class Colour(enum.StrEnum):
        RED = "red"

    class Size(enum.IntEnum):
        BIG = 3

    value = collections.OrderedDict([("z", (Colour.RED, Size.BIG)), ("a", 1)])
    assert canonical_bytes(value) == b'{"a":1,"z":["red",3]}'


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1.5, canonical.FLOAT_NOT_ALLOWED),
        (1.0, canonical.FLOAT_NOT_ALLOWED),
        (float("nan"), canonical.FLOAT_NOT_ALLOWED),
        (float("inf"), canonical.FLOAT_NOT_ALLOWED),
        (decimal.Decimal("12.50"), canonical.UNSUPPORTED_TYPE),
        (datetime.date(2026, 1, 1), canonical.UNSUPPORTED_TYPE),
        ({1, 2}, canonical.UNSUPPORTED_TYPE),
        (b"bytes", canonical.UNSUPPORTED_TYPE),
        ({1: "x"}, canonical.KEY_NOT_STRING),
        ({None: "x"}, canonical.KEY_NOT_STRING),
        (SAFE + 1, canonical.INTEGER_OUT_OF_RANGE),
        (-SAFE - 1, canonical.INTEGER_OUT_OF_RANGE),
        ("lone \ud800 surrogate", canonical.INVALID_UNICODE),
        ({"\udfff": 1}, canonical.INVALID_UNICODE),
    ],
)
def test_values_without_a_canonical_form_are_refused(value, reason):
    assert reason_of(canonical_bytes, value) == reason
    assert reason_of(canonical_bytes, {"outer": [value]}) == reason


def test_the_error_names_where_the_bad_value_is_and_what_to_do():
    with pytest.raises(CanonicalError) as caught:
        canonical_bytes({"payload": {"items": [{"amount": 12.5}], "ok": 1}})
    error = caught.value
    assert error.path == "$.payload.items[0].amount"
    assert "12.50" in str(error) and str(error).startswith("$.payload.items[0].amount: ")


def test_nesting_deeper_than_the_limit_is_refused():
    deep_enough = []
    for _ in range(canonical.MAX_DEPTH - 1):
        deep_enough = [deep_enough]
    assert parse(canonical_bytes(deep_enough)) == deep_enough
    assert reason_of(canonical_bytes, [deep_enough]) == canonical.TOO_DEEP


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"a":1,"a":2}', canonical.DUPLICATE_KEY),
        (b'{"x":{"a":1,"b":2,"a":1}}', canonical.DUPLICATE_KEY),
        (b'{"a":1.0}', canonical.FLOAT_NOT_ALLOWED),
        (b"[1e3]", canonical.FLOAT_NOT_ALLOWED),
        (b"[-0.0]", canonical.FLOAT_NOT_ALLOWED),
        (b"[NaN]", canonical.MALFORMED_JSON),
        (b"[Infinity]", canonical.MALFORMED_JSON),
        (b"[-Infinity]", canonical.MALFORMED_JSON),
        (b"[9007199254740992]", canonical.INTEGER_OUT_OF_RANGE),
        (b"[" + b"9" * 5000 + b"]", canonical.INTEGER_OUT_OF_RANGE),
        (b'["\xff"]', canonical.INVALID_UTF8),
        (b'["\xed\xa0\x80"]', canonical.INVALID_UTF8),  # a surrogate encoded in UTF-8
        (b'["\xc0\xaf"]', canonical.INVALID_UTF8),  # an overlong encoding of "/"
        (b'["\\ud800"]', canonical.INVALID_UNICODE),
        (b'{"\\udc00":1}', canonical.INVALID_UNICODE),
        (b"{} x", canonical.TRAILING_DATA),
        (b"{}{}", canonical.TRAILING_DATA),
        (b"[1] \x00", canonical.TRAILING_DATA),
        (b"\xef\xbb\xbf{}", canonical.MALFORMED_JSON),  # a byte order mark
        (b"{'a': 1}", canonical.MALFORMED_JSON),
        (b'{"a":1,}', canonical.MALFORMED_JSON),
        (b"[01]", canonical.MALFORMED_JSON),
        (b'["tab\there"]', canonical.MALFORMED_JSON),
        (b"[tru]", canonical.MALFORMED_JSON),
        (b"", canonical.TRUNCATED),
        (b"  \n", canonical.TRUNCATED),
        (b'{"a":', canonical.TRUNCATED),
        (b'{"a":"\xe6\xb0', canonical.TRUNCATED),  # cut inside a UTF-8 character
        (b"[" * 70 + b"]" * 70, canonical.TOO_DEEP),
        (b"[" * 100_000 + b"]" * 100_000, canonical.TOO_DEEP),
    ],
)
def test_parse_refuses_with_a_specific_reason(data, reason):
    assert reason_of(parse, data) == reason


@given(st.dictionaries(st.text(), json_values(), min_size=1, max_size=4), st.data())
def test_every_cut_short_object_is_reported_as_truncated(value, data):
    whole = canonical_bytes(value)
    cut = data.draw(st.integers(min_value=0, max_value=len(whole) - 1))
    assert reason_of(parse, whole[:cut]) == canonical.TRUNCATED


def test_every_prefix_of_an_object_with_escapes_and_wide_characters_is_truncated():
    whole = canonical_bytes({"a": 'x\x01\\"y', "b": [1, -23, True, None, "é😀"], "c": {"d": 0}})
    whole = whole[:-1] + b',"e":"\\ud83d\\ude00"}'  # a pair written as ASCII escapes
    assert parse(whole)["e"] == "\U0001f600"
    for cut in range(len(whole)):
        assert reason_of(parse, whole[:cut]) == canonical.TRUNCATED, whole[:cut]


def test_parse_accepts_valid_non_canonical_json():
    data = b' \n{ "b" : [ 1 , "\\u00e9\\ud83d\\ude00" ] ,\t"a" : null }\r\n'
    assert parse(data) == {"a": None, "b": [1, "é😀"]}
    assert canonical_bytes(parse(data)) == '{"a":null,"b":[1,"é😀"]}'.encode()


def test_parse_accepts_many_containers_that_are_not_deep():
    value = {"rows": [{"n": n, "tags": []} for n in range(200)]}
    assert parse(canonical_bytes(value)) == value


def test_parse_accepts_any_top_level_value_and_bytes_like_input():
    assert parse(b"7") == 7
    assert parse(bytearray(b'"x"')) == "x"
    assert parse(memoryview(b"[true]")) == [True]


def test_parse_takes_bytes_not_text():
    with pytest.raises(TypeError):
        parse("{}")


def test_parse_errors_say_where():
    with pytest.raises(CanonicalError) as caught:
        parse(b'{"a": 1} garbage')
    assert caught.value.position == 9
    assert "position 9" in str(caught.value)
