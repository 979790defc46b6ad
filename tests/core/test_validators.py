"""Validators of 身份证号 (GB 11643), 统一社会信用代码 (GB 32100) and mobile numbers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from egov.core.validators import (
    ID_CHECK_CHARS,
    PROVINCE_CODES,
    USCC_ALPHABET,
    id_check_char,
    normalise_code,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

# 500383 = 永川区; born 1990-01-01; sequence 123; check character computed by hand:
# weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 give 227, 227 mod 11 = 7, "10X98765432"[7] = 5.
VALID_ID = "500383199001011235"
VALID_USCC = "11500383009338112H"

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def rejection(validator, value, language="en") -> ValidationError:
    with translation.override(language), pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


def message(error: ValidationError) -> str:
    (text,) = error.messages
    return str(text)


# --- ID numbers: examples -------------------------------------------------------------------


def test_the_worked_example_is_valid():
    assert id_check_char(VALID_ID[:17]) == "5"
    assert validate_id_number(VALID_ID) == VALID_ID


def test_full_width_digits_and_surrounding_spaces_are_normalised():
    typed = "  " + VALID_ID.translate(FULL_WIDTH) + "\u3000"
    assert typed != VALID_ID
    assert validate_id_number(typed) == VALID_ID


def test_a_lower_case_x_is_read_as_x():
    first17 = "11010519491231002"
    assert id_check_char(first17) == "X"
    assert validate_id_number(first17 + "x") == first17 + "X"


def test_a_wrong_check_character_is_refused():
    wrong = VALID_ID[:17] + "9"
    error = rejection(validate_id_number, wrong)
    assert error.code == "check_char"
    assert "last character" in message(error)


def test_30_february_is_refused_with_the_date_in_the_message():
    first17 = "50038319900230123"
    error = rejection(validate_id_number, first17 + id_check_char(first17))
    assert error.code == "birth_date"
    assert "1990-02-30" in message(error)
    assert "does not exist" in message(error)


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    first17 = f"500383{tomorrow:%Y%m%d}123"
    error = rejection(validate_id_number, first17 + id_check_char(first17))
    assert error.code == "birth_date"
    assert tomorrow.isoformat() in message(error)
    assert "future" in message(error)


def test_a_birth_date_before_1880_is_refused():
    first17 = "50038318791231123"
    error = rejection(validate_id_number, first17 + id_check_char(first17))
    assert error.code == "birth_date"
    assert "1879-12-31" in message(error)


def test_17_characters_are_refused_and_the_message_counts_them():
    error = rejection(validate_id_number, VALID_ID[:17])
    assert error.code == "length"
    assert "18" in message(error) and "17" in message(error)


def test_an_unknown_province_code_is_refused():
    first17 = "99" + VALID_ID[2:17]
    error = rejection(validate_id_number, first17 + id_check_char(first17))
    assert error.code == "province"
    assert "99" in message(error)


@pytest.mark.parametrize(
    "value",
    [
        "50038319900101123A",  # a letter other than X at the end
        "5003831990O1011235",  # the letter O in the middle
        "500383-99001011235",
        # Arabic-Indic digits: str.isdigit() accepts them and NFKC keeps them.
        "50" + "".join(chr(0x660 + int(d)) for d in VALID_ID[2:]),
    ],
)
def test_characters_other_than_ascii_digits_and_a_final_x_are_refused(value):
    error = rejection(validate_id_number, value)
    assert error.code == "characters"


def test_nothing_typed_is_refused_as_too_short():
    assert rejection(validate_id_number, None).code == "length"
    assert rejection(validate_id_number, "   ").code == "length"


@pytest.mark.parametrize(
    ("value", "fact"),
    [
        (VALID_ID[:17], "17"),
        ("99" + VALID_ID[2:], "99"),
        ("500383199002301235", "1990-02-30"),
    ],
)
def test_messages_in_chinese_are_sentences_that_name_the_fact(value, fact):
    # No zh-hans .po file yet: the message must still be a complete, non-empty string that
    # carries the fact (count, code or date) in any language.
    error = rejection(validate_id_number, value, language="zh-hans")
    text = message(error)
    assert text.strip()
    assert fact in text
    assert "%(" not in text


# --- ID numbers: properties -----------------------------------------------------------------


@st.composite
def valid_id_numbers(draw):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = draw(st.text("0123456789", min_size=4, max_size=4))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=timezone.localdate()))
    sequence = draw(st.text("0123456789", min_size=3, max_size=3))
    first17 = f"{province}{area}{birth:%Y%m%d}{sequence}"
    return first17 + id_check_char(first17)


@given(valid_id_numbers())
def test_generated_valid_id_numbers_pass(number):
    assert validate_id_number(number) == number


@given(valid_id_numbers(), st.data())
def test_any_single_character_change_of_a_valid_id_number_fails(number, data):
    position = data.draw(st.integers(0, 17), label="position")
    replacement = data.draw(
        st.sampled_from([c for c in "0123456789X" if c != number[position]]), label="new"
    )
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(changed)


@given(valid_id_numbers(), st.sampled_from([" ", "  ", "\u3000", "\t"]))
def test_full_width_and_padded_valid_numbers_pass(number, padding):
    assert validate_id_number(padding + number.translate(FULL_WIDTH) + padding) == number


def test_check_characters_cover_the_whole_table():
    assert set(ID_CHECK_CHARS) == set("0123456789X")


# --- unified social credit codes -----------------------------------------------------------


def test_the_official_uscc_example_is_valid():
    assert uscc_check_char(VALID_USCC[:17]) == "H"
    assert validate_uscc(VALID_USCC) == VALID_USCC


def test_a_uscc_in_full_width_lower_case_with_spaces_is_normalised():
    typed = " " + "１１５００３８３００９３３８１１２ｈ" + " "
    assert validate_uscc(typed) == VALID_USCC


def test_a_wrong_uscc_check_character_is_refused():
    error = rejection(validate_uscc, VALID_USCC[:17] + "J")
    assert error.code == "check_char"
    assert "last character" in message(error)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_outside_the_uscc_alphabet_are_refused_by_name(letter):
    value = VALID_USCC[:5] + letter + VALID_USCC[6:]
    error = rejection(validate_uscc, value)
    assert error.code == "characters"
    assert letter in message(error)
    assert "I, O, S, V" in message(error)


def test_a_uscc_of_17_characters_is_refused_and_counted():
    error = rejection(validate_uscc, VALID_USCC[:17])
    assert error.code == "length"
    assert "17" in message(error)
    zh = rejection(validate_uscc, VALID_USCC[:17], language="zh-hans")
    assert "17" in message(zh)


@st.composite
def valid_usccs(draw):
    first17 = draw(st.text(USCC_ALPHABET, min_size=17, max_size=17))
    return first17 + uscc_check_char(first17)


@given(valid_usccs())
def test_generated_valid_usccs_pass(code):
    assert validate_uscc(code) == code


@given(valid_usccs(), st.data())
def test_any_single_character_change_of_a_valid_uscc_fails(code, data):
    position = data.draw(st.integers(0, 17), label="position")
    replacement = data.draw(
        st.sampled_from([c for c in USCC_ALPHABET + "IOSVZ" if c != code[position]]),
        label="new",
    )
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_uscc(changed)


# --- mobile numbers and normalisation ------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["13812341234", " 138 1234 1234 ", "+86 138-1234-1234", "１３８１２３４１２３４"]
)
def test_mobile_numbers_in_common_spellings_are_accepted(typed):
    assert validate_mobile(typed) == "13812341234"


@pytest.mark.parametrize(
    "typed",
    [
        "1381234123",  # 10 digits
        "23812341234",  # does not start with 1
        "12812341234",  # second digit 2
        "13" + "".join(chr(0x660 + int(d)) for d in "812341234"),  # Arabic-Indic digits
        "",
    ],
)
def test_wrong_mobile_numbers_are_refused_with_an_example(typed):
    error = rejection(validate_mobile, typed)
    assert error.code == "mobile"
    assert "13800138000" in message(error)


def test_normalise_code():
    assert normalise_code(None) == ""
    assert normalise_code(" ａｂ１ ") == "AB1"
