"""Masking of personal data (egov.core.masking): the defaults of settings.EGOV_MASKING, rules
changed through settings, and the promise never to reveal a whole value."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from egov.core.masking import KINDS, mask


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("name", "张三", "张*"),
        ("name", "欧阳娜娜", "欧***"),
        ("name", "张", "*"),
        ("id_number", "500383199001011235", "500383********1235"),
        ("id_number", " 500383 19900101 1235 ", "500383********1235"),
        ("mobile", "13812341234", "138****1234"),
        ("mobile", "138 1234 1234", "138****1234"),
        ("email", "zhangsan@example.com", "z*******@example.com"),
        ("email", "a@example.com", "*@example.com"),
        ("address", "重庆市永川区人民大道100号", "重庆市永川区********"),
        ("bank_card", "6222 0212 3456 7890", "6222********7890"),
        ("plate", "渝A12345", "渝A****5"),
    ],
)
def test_default_rules(kind, value, expected):
    assert mask(kind, value) == expected


def test_nothing_to_mask_gives_an_empty_string():
    assert mask("name", None) == ""
    assert mask("mobile", "   ") == ""


def test_an_unknown_kind_is_an_error_that_lists_the_known_ones():
    with pytest.raises(ValueError, match="mobile"):
        mask("passport", "E12345678")


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("mobile", "138"),
        ("id_number", "5003"),
        ("plate", "渝A"),
        ("bank_card", "62"),
        ("email", "@example.com"),  # no local part: the whole value would have shown
        ("address", "永川"),
    ],
)
def test_short_values_are_never_revealed_whole(kind, value):
    masked = mask(kind, value)
    assert masked != value
    assert "*" in masked
    assert len(masked) == len(value)


def test_a_short_value_keeps_at_most_half_visible():
    # 5 characters against a rule keeping 6 + 4: at least half is hidden.
    assert mask("id_number", "50038").count("*") >= 2


@override_settings(
    EGOV_MASKING={
        "name": {"keep_first": 1, "keep_last": 0},
        "id_number": {"keep_first": 1, "keep_last": 1},
        "mobile": {"keep_first": 3, "keep_last": 4},
    }
)
def test_rules_come_from_settings():
    # The "first 1 and last 1" variant of ID masking.
    assert mask("id_number", "500383199001011235") == "5****************5"
    # A kind the settings leave out hides everything.
    assert mask("plate", "渝A12345") == "*******"


@override_settings(EGOV_MASKING={"mobile": {"keep_first": -2, "keep_last": 4}})
def test_a_negative_count_in_the_settings_counts_as_zero():
    assert mask("mobile", "13812341234") == "*******1234"


@override_settings(EGOV_MASK_CHAR="#")
def test_the_mask_character_is_a_setting():
    assert mask("mobile", "13812341234") == "138####1234"


@override_settings(EGOV_MASK_CHAR="**")
def test_a_mask_character_longer_than_one_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="EGOV_MASK_CHAR"):
        mask("mobile", "13812341234")


def test_the_template_filter_uses_the_same_rules():
    html = Template('{% load egov %}{{ phone|mask:"mobile" }}').render(
        Context({"phone": "13812341234"})
    )
    assert html == "138****1234"


# --- properties ----------------------------------------------------------------------------

SPACE_FREE_KINDS = ("bank_card", "mobile", "id_number")

values = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


def visible_input(kind: str, value: str) -> str:
    text = value.strip()
    return text.replace(" ", "") if kind in SPACE_FREE_KINDS else text


@given(st.sampled_from(KINDS), values)
def test_masked_output_has_the_length_of_the_input(kind, value):
    assert len(mask(kind, value)) == len(visible_input(kind, value))


@given(st.sampled_from(KINDS), values.filter(lambda v: "*" not in v))
def test_masked_output_never_equals_a_non_empty_input(kind, value):
    visible = visible_input(kind, value)
    masked = mask(kind, value)
    if visible:
        assert masked != visible
        assert "*" in masked


@given(
    st.sampled_from(KINDS),
    values.filter(lambda v: "*" not in v),
    st.integers(-3, 30),
    st.integers(-3, 30),
)
def test_no_rule_reveals_a_whole_value(kind, value, first, last):
    with override_settings(EGOV_MASKING={kind: {"keep_first": first, "keep_last": last}}):
        masked = mask(kind, value)
    visible = visible_input(kind, value)
    assert len(masked) == len(visible)
    if visible:
        assert masked != visible
