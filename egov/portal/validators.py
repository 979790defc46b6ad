"""Validators for the identifiers a government website shows in its footer (国办发〔2017〕47号)
and for the format of information index numbers (索引号). Each error says what is wrong and
gives a correct example."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 网站标识码: 10 letters or digits, e.g. 5000000041 (a district site) or bm01000001 (a
# department's site), assigned by the State Council's website management system.
SITE_CODE_SHAPE = re.compile(r"[0-9A-Za-z]{10}")
# ICP备案号: a province's one-character abbreviation, "ICP备", the number, "号", and an
# optional site suffix: 渝ICP备2021005620号-2.
ICP_SHAPE = re.compile(r"[\u4e00-\u9fff]ICP备[0-9]{6,10}号(-[0-9]{1,3})?")
# 公安备案号: 渝公网安备 50011202501695号 (14 digits; the space is optional).
POLICE_FILING_SHAPE = re.compile(r"[\u4e00-\u9fff]公网安备 ?([0-9]{14})号")

# Information index numbers (索引号): the placeholders a format may use.
DEFAULT_INDEX_NUMBER_FORMAT = "{USCC}/{YYYY}-{NNNNN}"
INDEX_TOKEN = re.compile(r"\{([A-Z]+)\}")
INDEX_BODY_TOKENS = {"USCC", "CODE"}
INDEX_FIXED_TOKENS = INDEX_BODY_TOKENS | {"YYYY"}
MAX_SEQUENCE_WIDTH = 9


def normalise_text(value: str) -> str:
    """Full-width letters and digits to half-width (NFKC), surrounding spaces removed."""
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def validate_site_code(value: str) -> None:
    code = normalise_text(value)
    if not SITE_CODE_SHAPE.fullmatch(code):
        raise ValidationError(
            _(
                "A website identification code (网站标识码) has exactly 10 letters or digits, "
                "e.g. 5000000041; this one has %(count)d characters. Copy it from the "
                "registration notice of the website management system."
            ),
            code="site_code",
            params={"count": len(code)},
        )


def validate_icp_number(value: str) -> None:
    if not ICP_SHAPE.fullmatch(normalise_text(value)):
        raise ValidationError(
            _(
                "An ICP filing number looks like 渝ICP备2021005620号-2: the province's "
                "abbreviation, ICP备, the number, 号 and an optional suffix. Check it against "
                "the MIIT filing record."
            ),
            code="icp_number",
        )


def validate_police_filing_number(value: str) -> None:
    if not POLICE_FILING_SHAPE.fullmatch(normalise_text(value)):
        raise ValidationError(
            _(
                "A public security filing number looks like 渝公网安备 50011202501695号: the "
                "province's abbreviation, 公网安备, 14 digits and 号."
            ),
            code="police_filing_number",
        )


def police_filing_code(value: str) -> str:
    """The 14 digits of a public security filing number ('' if it has none)."""
    match = POLICE_FILING_SHAPE.fullmatch(normalise_text(value))
    return match.group(1) if match else ""


def index_number_format_problems(fmt: str) -> list[str]:
    """What is wrong with an index number format, as sentences (empty when it is usable).

    A format is text with placeholders: ``{USCC}`` (the publishing body's unified social
    credit code), ``{CODE}`` (its code in the directory), ``{YYYY}`` (the year) and one run
    of N's, ``{NNNNN}``, for the sequence number padded with zeros to that width."""
    problems = []
    tokens = INDEX_TOKEN.findall(fmt)
    unknown = sorted(
        {t for t in tokens if t not in INDEX_FIXED_TOKENS and set(t) != {"N"}},
    )
    if unknown:
        problems.append(
            str(_("Unknown placeholders: %(names)s; use {USCC}, {CODE}, {YYYY} and {NNNNN}."))
            % {"names": ", ".join(f"{{{t}}}" for t in unknown)}
        )
    sequences = [t for t in tokens if set(t) == {"N"}]
    if len(sequences) != 1:
        problems.append(
            str(_("The format needs exactly one sequence placeholder such as {NNNNN}."))
        )
    elif len(sequences[0]) > MAX_SEQUENCE_WIDTH:
        problems.append(
            str(_("The sequence placeholder has at most %(width)d N's."))
            % {"width": MAX_SEQUENCE_WIDTH}
        )
    if not INDEX_BODY_TOKENS & set(tokens):
        problems.append(
            str(
                _(
                    "The format needs {USCC} or {CODE}, so that numbers of different bodies "
                    "never look the same."
                )
            )
        )
    if "{" in INDEX_TOKEN.sub("", fmt) or "}" in INDEX_TOKEN.sub("", fmt):
        problems.append(
            str(_("A brace is not part of a placeholder; placeholders are {USCC}, {YYYY} …"))
        )
    return problems


def validate_index_number_format(value: str) -> None:
    problems = index_number_format_problems(value)
    if problems:
        raise ValidationError(" ".join(problems), code="index_number_format")


def format_uses_uscc(fmt: str) -> bool:
    return "USCC" in INDEX_TOKEN.findall(fmt)


def render_index_number(fmt: str, *, uscc: str, code: str, year: int, sequence: int) -> str:
    """The index number for one document; ``fmt`` must be valid."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "USCC":
            return uscc
        if name == "CODE":
            return code
        if name == "YYYY":
            return f"{year:04d}"
        return f"{sequence:0{len(name)}d}"

    return INDEX_TOKEN.sub(replace, fmt)
