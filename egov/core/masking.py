"""One masking module for every public output of personal data (principle 4).

The rules are settings (``EGOV_MASKING``): for each kind, how many characters to keep at the
start and at the end. ``mask(kind, value)`` is the one entry point; the template filter
``{{ value|mask:"mobile" }}`` calls it.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KINDS = ("name", "id_number", "mobile", "email", "address", "bank_card", "plate")


def _rule(kind: str) -> tuple[int, int]:
    if kind not in KINDS:
        raise ValueError(f"unknown masking kind {kind!r}; known kinds: {', '.join(KINDS)}")
    # A kind missing from the settings hides everything; a negative count counts as 0.
    rule = settings.EGOV_MASKING.get(kind, {})
    return max(0, int(rule.get("keep_first", 0))), max(0, int(rule.get("keep_last", 0)))


def _mask_char() -> str:
    char = getattr(settings, "EGOV_MASK_CHAR", "*")
    if not isinstance(char, str) or len(char) != 1:
        raise ImproperlyConfigured(
            f"EGOV_MASK_CHAR must be exactly one character (such as '*'), not {char!r}"
        )
    return char


def _keep(text: str, first: int, last: int, char: str) -> str:
    n = len(text)
    if n == 0:
        return ""
    # Never reveal everything: if the kept parts would cover the whole value, shrink them so at
    # least one character (and at least half for short values) is hidden.
    hidden_min = max(1, n // 2) if n <= first + last + 1 else 1
    while first + last > n - hidden_min:
        if last >= first and last > 0:
            last -= 1
        elif first > 0:
            first -= 1
        else:
            break
    return text[:first] + char * (n - first - last) + (text[n - last :] if last else "")


def mask(kind: str, value) -> str:
    """Mask ``value`` as the configured rule for ``kind`` says."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    first, last = _rule(kind)
    char = _mask_char()
    if kind == "email" and "@" in text:
        local, _, domain = text.rpartition("@")
        if local:
            # The domain stays readable (it names a provider, not a person).
            return f"{_keep(local, first, last, char)}@{domain}"
    if kind in ("bank_card", "mobile", "id_number"):
        text = text.replace(" ", "")
    return _keep(text, first, last, char)
