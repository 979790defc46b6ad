"""Validators for Chinese identifiers: 身份证号 (GB 11643), 统一社会信用代码 (GB 32100),
mobile numbers. Each raises ValidationError with a translated message saying what is wrong."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# GB/T 2260 province-level codes (first two digits of the area code).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    }
)  # fmt: skip

# ASCII only: str.isdigit() also accepts Arabic-Indic, Devanagari ... digits, which NFKC
# leaves alone.
ID_NUMBER_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
MOBILE_SHAPE = re.compile(r"1[3-9][0-9]{9}")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise_code(value: str) -> str:
    """Full-width to half-width (NFKC), surrounding spaces removed, letters upper-cased."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def validate_id_number(value: str) -> str:
    """Validate a resident identity card number; return it normalised."""
    number = normalise_code(value)
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(number)},
        )
    if not ID_NUMBER_SHAPE.fullmatch(number):
        raise ValidationError(
            _(
                "An ID number is 17 digits (0-9) followed by a digit or X; check for other characters."
            ),
            code="characters",
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The ID number starts with %(code)s, which is not a known province code."),
            code="province",
            params={"code": number[:2]},
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _(
                "The birth date in the ID number (%(date)s) does not exist: check the digits 7 to 14."
            ),
            code="birth_date",
            params={"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}"},
        ) from None
    if birth > timezone.localdate():
        raise ValidationError(
            _(
                "The birth date in the ID number (%(date)s) is in the future: check the digits 7 to 14."
            ),
            code="birth_date",
            params={"date": birth.isoformat()},
        )
    if birth.year < 1880:
        raise ValidationError(
            _(
                "The birth date in the ID number (%(date)s) is too long ago: check the digits 7 to 14."
            ),
            code="birth_date",
            params={"date": birth.isoformat()},
        )
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The last character of the ID number is wrong: check it was typed correctly."),
            code="check_char",
        )
    return number


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Validate a unified social credit code; return it normalised."""
    code = normalise_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and the capital letters other "
                "than I, O, S, V and Z; this one contains %(chars)s."
            ),
            code="characters",
            params={"chars": ", ".join(bad)},
        )
    if code[17] != uscc_check_char(code[:17]):
        raise ValidationError(
            _(
                "The last character of the unified social credit code is wrong: check it was typed correctly."
            ),
            code="check_char",
        )
    return code


def validate_mobile(value: str) -> str:
    """A mainland mobile number: 11 digits starting with 1 and a digit 3-9."""
    number = normalise_code(value).replace(" ", "").replace("-", "")
    if number.startswith("+86"):
        number = number[3:]
    if not MOBILE_SHAPE.fullmatch(number):
        raise ValidationError(
            _("Enter an 11-digit mobile number starting with 1, such as 13800138000."),
            code="mobile",
        )
    return number
