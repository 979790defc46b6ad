"""Reading the publication dates old sites and their exports carry.

Chinese government CMSs (TRS, 大汉, 开普云 …) write dates as ``2023-05-06 10:20``,
``2023/5/6``, ``2023.05.06``, ``2023年5月6日 10时20分`` or ``20230506``, in meta tags
(``<meta name="PubDate">``, the 2017 guideline's page metadata) or in the text
(``发布时间：2023-05-06 10:20``). They mean Beijing time: a date without a time zone is read
in Asia/Shanghai, whatever the server's time zone. A date without a time is midnight.
"""

import datetime
import re
import unicodedata
from zoneinfo import ZoneInfo

SOURCE_TIMEZONE = ZoneInfo("Asia/Shanghai")

_DATE = (
    r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:\s*T?\s*(?P<hour>\d{1,2})\s*[:时]\s*(?P<minute>\d{1,2})\s*分?"
    r"(?:\s*[:]?\s*(?P<second>\d{1,2})(?:\.\d+)?\s*秒?)?)?"
)
DATE_SHAPE = re.compile(_DATE)
COMPACT_SHAPE = re.compile(r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})")
# Labels that introduce a publication date in a page's text, most specific first. The
# generic 日期 and 时间 must not be the end of 成文日期 (date written), 更新时间 (updated) …
_NOT_PUBLICATION = r"(?<!成文)(?<!更新)(?<!修改)(?<!截止)(?<!生效)(?<!印发)(?<!有效)"
DATE_LABELS = [
    re.compile(
        r"(?:发布时间|发布日期|发表时间|发文日期|发布于|公开日期|公开时间)\s*[:]?\s*" + _DATE
    ),
    re.compile(_NOT_PUBLICATION + r"(?:时间|日期)\s*[:]\s*" + _DATE),
]


class DateError(ValueError):
    """A date that cannot be read; ``code`` says why (``shape`` or ``impossible``)."""

    def __init__(self, code: str, value: str):
        super().__init__(f"{code}: {value!r}")
        self.code = code
        self.value = value


def normalise(value: str) -> str:
    """Full-width digits, colons and spaces to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", str(value or "")).strip()


def _from_match(match: re.Match, value: str) -> datetime.datetime:
    parts = match.groupdict()
    try:
        naive = datetime.datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts.get("hour") or 0),
            int(parts.get("minute") or 0),
            int(parts.get("second") or 0),
        )
    except ValueError:
        raise DateError("impossible", value) from None
    return naive.replace(tzinfo=SOURCE_TIMEZONE)


def parse_date(value: str) -> datetime.datetime:
    """The moment ``value`` names (the whole value must be a date); aware, in Asia/Shanghai
    unless the value carries its own offset. Raises DateError."""
    text = normalise(value)
    if not text:
        raise DateError("empty", value)
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=SOURCE_TIMEZONE)
        return parsed.astimezone(SOURCE_TIMEZONE)
    match = DATE_SHAPE.fullmatch(text) or COMPACT_SHAPE.fullmatch(text)
    if match is None:
        raise DateError("shape", value)
    return _from_match(match, value)


def find_publication_date(text: str) -> datetime.datetime | None:
    """The publication date a page's text announces (发布时间：…), or None. Raises DateError
    when the label is there but its date is impossible (2023-02-30)."""
    text = normalise(text)
    for label in DATE_LABELS:
        match = label.search(text)
        if match is not None:
            return _from_match(match, match.group(0))
    return None
