"""Redaction (区分处理, 第37条): hiding text before an answer, its letter or its attachments leave.

Rules are data (``RedactionRule``): an exact text or a regular expression, for every body,
one body or one request, for answers, attachments or both. ``rules_for`` chooses the active
rules of a request; ``redact_text`` replaces every match with ``MASK`` (the same three
characters whatever the length of what is hidden, so the length does not leak);
``preview`` shows staff what would be hidden; ``redact_file`` redacts an attachment.

Matching:

- A text rule matches its text ignoring letter case and whatever whitespace (spaces, line
  breaks) falls between its characters, as it does in text extracted from PDFs.
- Both kinds match the text in NFKC form (full-width １２３ and ＡＢＣ are 123 and ABC), each
  match being mapped back to the characters of the original.
- Overlapping and adjacent matches are hidden as one span.

Patterns run on the ``regex`` package, which can stop a match after a time limit: every text
(or file) has ``EGOV_REDACTION_SECONDS`` (default 10) for all its rules. A limit reached, a
text longer than ``EGOV_REDACTION_MAX_CHARS`` or a rule that does not compile raises
``RedactionError``: redaction fails closed, nothing is sent half-redacted. When a rule is
saved, ``validate_rule`` also refuses the patterns that backtrack catastrophically by
construction (a repeated group that itself holds a quantifier or an alternative, as in
``(a+)+`` or ``(a|ab)*``), backreferences and recursion, and patterns that match empty text.

Attachments: DOCX is redacted in place (every paragraph's text, with matches across runs, in
the body, tables, headers, footers, notes and comments, text boxes, field codes, the
document's properties and descriptive attributes); PDF is replaced by a new PDF of its
extracted, redacted text that says it is a redacted text copy; plain text is redacted as
text. Anything else cannot be redacted automatically and is refused when the answer is a
partial disclosure (``strict``); otherwise it goes as it is, listed as not checked.
"""

from __future__ import annotations

import io
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import regex
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .choices import AnswerKind
from .models import RedactionRule

MASK = "■■■"
SCOPES = ("answers", "attachments")
MAX_VALUE_LENGTH = 500

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
TEXT_TYPE = "text/plain; charset=utf-8"
TEXT_SUFFIXES = (".txt", ".csv")


class RedactionError(ValueError):
    """Redaction could not be done safely; its message says why, for staff."""


def _seconds() -> float:
    return float(getattr(settings, "EGOV_REDACTION_SECONDS", 10.0))


def _max_chars() -> int:
    return int(getattr(settings, "EGOV_REDACTION_MAX_CHARS", 2_000_000))


def _max_file_bytes() -> int:
    return int(getattr(settings, "EGOV_REDACTION_MAX_FILE_BYTES", 100 * 1024 * 1024))


# --- choosing the rules --------------------------------------------------------------------


def rules_for(request, scope: str):
    """The active rules that apply to ``request``'s answers or attachments: those of every
    body, those of the request's body and the request's own; scope "all" counts for both."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    applies_to = (
        Q(request=request)
        | Q(request__isnull=True, body__isnull=True)
        | Q(request__isnull=True, body_id=request.body_id)
    )
    return RedactionRule.objects.filter(
        applies_to, active=True, scope__in=(scope, RedactionRule.Scope.ALL)
    ).order_by("pk")


# --- validating a rule ---------------------------------------------------------------------

_QUANTIFIER = regex.compile(r"\{(\d*)(,?)(\d*)\}")
_NAMED_GROUP = regex.compile(r"\(\?P?<(?![=!])[^>]*>")
_FLAG_GROUP = regex.compile(r"\(\?[a-zA-Z\-]*([:)])")


def _skip_class(pattern: str, i: int) -> int:
    """The index after the character class that starts at ``pattern[i] == "["``."""
    i += 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    depth = 1
    while i < len(pattern) and depth:
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[" and pattern[i + 1 : i + 2] == ":":  # [:alpha:]
            end = pattern.find(":]", i + 2)
            i = end + 2 if end != -1 else i + 1
            continue
        if char == "]":
            depth -= 1
        i += 1
    return i


def _pattern_problem(pattern: str) -> str | None:
    """What makes an already compiling pattern unsafe to run on large texts, or None.

    Returns "backreference" (backreferences, recursion and conditionals: not regular) or
    "nested" (a group that may repeat more than once and holds a quantifier that is not a
    fixed count, or an alternative: the shapes that backtrack exponentially)."""
    variable = [False]  # per open group: holds a variable quantifier or an alternative
    previous_group_variable: bool | None = None  # set right after ")"
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            following = pattern[i + 1 : i + 2]
            if (following.isdigit() and following != "0") or following in ("g", "k"):
                return "backreference"
            if following in ("p", "P", "N", "x", "u", "U") and pattern[i + 2 : i + 3] == "{":
                end = pattern.find("}", i + 3)
                i = end + 1 if end != -1 else i + 2
            else:
                i += 2
            previous_group_variable = None
            continue
        if char == "[":
            i = _skip_class(pattern, i)
            previous_group_variable = None
            continue
        if char == "(":
            rest = pattern[i : i + 4]
            if rest.startswith(("(?P=", "(?P>", "(?&", "(?R", "(?(")) or (
                rest[:2] == "(?" and rest[2:3].isdigit()
            ):
                return "backreference"
            if rest.startswith("(?#"):
                end = pattern.find(")", i)
                i = end + 1 if end != -1 else n
                continue
            flags = _FLAG_GROUP.match(pattern, i)
            if flags and flags.group(1) == ")":  # (?i): flags only, no group
                i = flags.end()
                continue
            variable.append(False)
            if rest.startswith(("(?<=", "(?<!")):
                i += 4
            elif named := _NAMED_GROUP.match(pattern, i):
                i = named.end()
            elif flags:
                i = flags.end()
            elif rest.startswith("(?"):
                i += 3  # (?: (?= (?! (?> (?|
            else:
                i += 1
            previous_group_variable = None
            continue
        if char == ")":
            inner = variable.pop() if len(variable) > 1 else False
            if inner:
                variable[-1] = True
            previous_group_variable = inner
            i += 1
            continue
        if char == "|":
            variable[-1] = True
            previous_group_variable = None
            i += 1
            continue
        counted = _QUANTIFIER.match(pattern, i) if char == "{" else None
        if char in "*+?" or counted:
            if counted:
                low_text, comma, high_text = counted.groups()
                low = int(low_text or 0)
                high = None if comma and not high_text else int(high_text or low)
                i = counted.end()
            else:
                low, high = (0 if char in "*?" else 1), (1 if char == "?" else None)
                i += 1
            repeats = high is None or high > 1
            if repeats and previous_group_variable:
                return "nested"
            if high != low:
                variable[-1] = True
            if i < n and pattern[i] in "?+":  # lazy or possessive
                i += 1
            previous_group_variable = None
            continue
        previous_group_variable = None
        i += 1
    return None


def validate_rule(kind: str, value: str) -> None:
    """Refuse a rule that could not be applied safely (call it from the rule's ``clean``)."""
    value = value or ""
    if not value.strip():
        raise ValidationError(_("Enter the text or the pattern to hide."), code="empty")
    if len(value) > MAX_VALUE_LENGTH:
        raise ValidationError(
            _("A redaction rule is at most %(limit)d characters long."),
            code="too_long",
            params={"limit": MAX_VALUE_LENGTH},
        )
    if kind == RedactionRule.Kind.TEXT:
        return
    if kind != RedactionRule.Kind.PATTERN:
        raise ValidationError(_("Unknown kind of redaction rule."), code="kind")
    try:
        compiled = regex.compile(value)
    except (regex.error, OverflowError, RecursionError) as error:
        raise ValidationError(
            _("This is not a valid regular expression: %(error)s."),
            code="invalid_pattern",
            params={"error": error},
        ) from error
    problem = _pattern_problem(value)
    if problem == "backreference":
        raise ValidationError(
            _(
                "Backreferences, recursion and conditional groups are not allowed in a "
                "redaction pattern: they can make matching take too long."
            ),
            code="backreference",
        )
    if problem == "nested":
        raise ValidationError(
            _(
                "This pattern repeats a group that itself contains a quantifier or an "
                "alternative (such as (a+)+ or (a|b)*), which can make matching take "
                "practically forever. Use a character class such as [ab]+ or a fixed count "
                "such as (\\d{3})+ instead."
            ),
            code="dangerous_pattern",
        )
    try:
        matches_empty = compiled.search("", timeout=1) is not None
    except TimeoutError:  # pragma: no cover - an empty text takes no time
        matches_empty = True
    if matches_empty:
        raise ValidationError(
            _(
                "This pattern matches empty text; a redaction pattern must match at least one "
                "character (use + rather than *, for example)."
            ),
            code="matches_empty",
        )


def clean_rule(rule: RedactionRule) -> None:
    """The checks of ``RedactionRule.clean``: a valid value, and a body or a request (or
    neither, for every body), not both."""
    errors = {}
    try:
        validate_rule(rule.kind, rule.value)
    except ValidationError as error:
        errors["value"] = error
    if rule.body_id and rule.request_id:
        errors["body"] = ValidationError(
            _("A rule is for one body or for one request, not both: leave the body empty."),
            code="body_and_request",
        )
    if errors:
        raise ValidationError(errors)


# --- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RedactedText:
    text: str  # with every hidden span replaced by MASK
    original: str = field(repr=False)
    spans: tuple[Span, ...]  # in the original text, sorted, not overlapping

    @property
    def count(self) -> int:
        return len(self.spans)


@dataclass(frozen=True)
class _Compiled:
    pattern: regex.Pattern
    reason: str
    is_text: bool


def _text_pattern(value: str) -> regex.Pattern:
    folded = _fold(value)[0].strip()
    parts = []
    for char in folded:
        if char.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
            continue
        if parts and parts[-1] != r"\s+":
            parts.append(r"\s*")
        parts.append(regex.escape(char))
    return regex.compile("".join(parts), regex.IGNORECASE)


def _fold(text: str) -> tuple[str, list[int] | None]:
    """The text in NFKC form, character by character, and for each character of it the index
    of the original character it comes from (None when the text is already in NFKC)."""
    if unicodedata.is_normalized("NFKC", text):
        return text, None
    pieces, index = [], []
    for position, char in enumerate(text):
        normal = unicodedata.normalize("NFKC", char) or char
        pieces.append(normal)
        index.extend([position] * len(normal))
    return "".join(pieces), index


class RuleSet:
    """Rules compiled once, to apply to many texts (a file's paragraphs)."""

    def __init__(self, rules: Iterable[RedactionRule]):
        self.rules = list(rules)
        self._compiled = []
        for rule in self.rules:
            try:
                if rule.kind == RedactionRule.Kind.TEXT:
                    if not rule.value.strip():
                        continue
                    pattern = _text_pattern(rule.value)
                else:
                    pattern = regex.compile(rule.value)
            except (regex.error, OverflowError, RecursionError) as error:
                raise RedactionError(
                    _("The redaction rule “%(rule)s” cannot be used: %(error)s")
                    % {"rule": rule.value, "error": error}
                ) from error
            self._compiled.append(
                _Compiled(pattern, rule.reason, rule.kind == RedactionRule.Kind.TEXT)
            )
        self.deadline: float | None = None
        self.max_chars = _max_chars()
        self._short: dict[tuple[str, bool], list[Span]] = {}  # attribute values seen

    def __bool__(self) -> bool:
        return bool(self._compiled)

    def start_clock(self) -> RuleSet:
        """Start the time allowed for one text or one file."""
        self.deadline = time.monotonic() + _seconds()
        self.max_chars = _max_chars()
        return self

    def spans(self, text: str, *, patterns: bool = True) -> list[Span]:
        """The spans to hide in ``text`` (with ``patterns=False``, of the text rules only)."""
        if len(text) <= 64:  # the same short values recur (a DOCX's attributes): once each
            key = (text, patterns)
            if key not in self._short:
                self._short[key] = self._spans(text, patterns)
            return self._short[key]
        return self._spans(text, patterns)

    def _spans(self, text: str, patterns: bool) -> list[Span]:
        if len(text) > self.max_chars:
            raise RedactionError(
                _("The text is too long to be redacted automatically (%(count)d characters).")
                % {"count": len(text)}
            )
        if not self._compiled or not text:
            return []
        if self.deadline is None:
            self.start_clock()
        folded, index = _fold(text)
        found = []
        for rule in self._compiled:
            if not (patterns or rule.is_text):
                continue
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise self._timeout()
            try:
                for match in rule.pattern.finditer(folded, timeout=remaining):
                    start, end = match.span()
                    if start == end:
                        continue
                    if index is not None:
                        start, end = index[start], index[end - 1] + 1
                    found.append((start, end, rule.reason))
            except TimeoutError as error:
                raise self._timeout() from error
        found.sort()
        merged: list[list] = []
        for start, end, reason in found:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                if reason not in merged[-1][2]:
                    merged[-1][2].append(reason)
            else:
                merged.append([start, end, [reason]])
        return [Span(start, end, tuple(reasons)) for start, end, reasons in merged]

    def _timeout(self) -> RedactionError:
        return RedactionError(
            _(
                "Redaction took longer than %(seconds)s seconds and was stopped; nothing was "
                "sent. Check the redaction patterns."
            )
            % {"seconds": _seconds()}
        )

    def redact(self, text: str) -> RedactedText:
        spans = self.spans(text)
        return RedactedText(text=_masked(text, spans), original=text, spans=tuple(spans))


def _ruleset(rules) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else RuleSet(rules)


def _masked(text: str, spans: list[Span]) -> str:
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(MASK)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def redact_text(text: str, rules) -> RedactedText:
    """``text`` with every match of ``rules`` (RedactionRule rows or a RuleSet) masked."""
    ruleset = _ruleset(rules)
    if not isinstance(rules, RuleSet):
        ruleset.start_clock()
    return ruleset.redact(text or "")


@dataclass(frozen=True)
class Preview:
    html: SafeString  # escaped; the hidden parts in <mark class="redacted">
    count: int


def preview(text: str, rules) -> Preview:
    """For staff only: the text, escaped, with what will be hidden marked (and still visible
    inside the marks, which name the reasons)."""
    redacted = redact_text(text, rules)
    original = redacted.original
    pieces, position = [], 0
    for span in redacted.spans:
        pieces.append(escape(original[position : span.start]))
        pieces.append(
            f'<mark class="redacted" title="{escape("; ".join(span.reasons))}">'
            f"{escape(original[span.start : span.end])}</mark>"
        )
        position = span.end
    pieces.append(escape(original[position:]))
    return Preview(html=mark_safe("".join(pieces)), count=redacted.count)  # noqa: S308


# --- attachments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RedactedFile:
    name: str  # the file's name, redacted too
    content_type: str
    data: bytes
    hidden: int  # spans hidden
    text_copy: bool = False  # a new PDF of the extracted text replaces the original
    unchecked: tuple[str, ...] = ()  # what could not be checked (only when not strict)


def file_kind(name: str, data: bytes) -> str | None:
    """ "docx", "pdf" or "text" from the file's bytes (and name, for text), else None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
        return None
    if name.lower().endswith(TEXT_SUFFIXES) and b"\x00" not in data[:8192]:
        return "text"
    return None


def _cannot(name: str) -> RedactionError:
    return RedactionError(
        _(
            "“%(name)s” cannot be redacted automatically: only DOCX, PDF and plain-text files "
            "can. For a partial disclosure, remove what must be hidden from the file yourself "
            "and attach it as DOCX, PDF or text."
        )
        % {"name": name}
    )


def redact_file(name: str, data: bytes, rules, *, strict: bool) -> RedactedFile:
    """An attachment with the rules applied (see the module's docstring). ``strict`` (a
    partial disclosure) refuses what cannot be redacted instead of letting it through."""
    ruleset = _ruleset(rules).start_clock()
    kind = file_kind(name, data)
    content_type = {"docx": DOCX_TYPE, "pdf": PDF_TYPE, "text": TEXT_TYPE}.get(
        kind, "application/octet-stream"
    )
    if not ruleset:
        return RedactedFile(name, content_type, data, 0)
    new_name = ruleset.redact(name)
    if kind is None:
        if strict:
            raise _cannot(name)
        return RedactedFile(new_name.text, content_type, data, new_name.count, unchecked=(name,))
    if kind == "text":
        text = _decode(data)
        redacted = ruleset.redact(text)
        return RedactedFile(
            new_name.text,
            TEXT_TYPE,
            redacted.text.encode("utf-8"),
            new_name.count + redacted.count,
        )
    if kind == "docx":
        output, hidden, unchecked = _redact_docx(name, data, ruleset, strict=strict)
        return RedactedFile(
            new_name.text, DOCX_TYPE, output, new_name.count + hidden, unchecked=unchecked
        )
    return _pdf_text_copy(name, new_name, data, ruleset, strict=strict)


def redact_request_file(request, name: str, data: bytes) -> RedactedFile:
    """An attachment of ``request``'s answer, with the request's attachment rules; strict
    when the answer is a partial disclosure or the request has rules of its own."""
    strict = (
        request.answer_kind == AnswerKind.PARTIAL or request.redactions.filter(active=True).exists()
    )
    return redact_file(name, data, rules_for(request, "attachments"), strict=strict)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RedactionError(_("The text file's encoding is neither UTF-8 nor GB18030."))


# DOCX ---------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_P = f"{{{W}}}p"
GROUPED = (f"{{{W}}}t", f"{{{W}}}instrText", f"{{{W}}}delText")
TRACKED_DELETIONS = (f"{{{W}}}delText", f"{{{W}}}moveFrom")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Base64 data: never text to redact.
BINARY_TAGS = (f"{{{W}}}binData", f"{{{W}}}fldData")
# Attributes that carry free text (alternative text, titles, field instructions, link
# targets and tips, authors of comments), and the elements whose w:val is free text (content
# controls' titles and tags, document variables, form fields' entries and help).
TEXT_ATTRIBUTES = {"descr", "title", "name", "alt", "instr", "tooltip", "author", "initials"}
TEXT_VAL_ELEMENTS = {"alias", "tag", "docVar", "listEntry", "default", "statusText", "helpText"}
_WHITESPACE = regex.compile(r"\s")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf")
HARMLESS_SUFFIXES = (".odttf", ".ttf", ".fntdata")  # fonts


def _xml_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _free_text(element: str, attribute: str, node) -> bool:
    if attribute == "Target":
        return node.get("TargetMode") == "External"
    return attribute in TEXT_ATTRIBUTES or (attribute == "val" and element in TEXT_VAL_ELEMENTS)


def _looks_like_text(value: str) -> bool:
    """Structural attributes (ids, sizes, style names) are ASCII tokens; patterns (which can
    match their digits by chance) are checked only on values that look like text."""
    return not value.isascii() or _WHITESPACE.search(value) is not None


def _nearest_paragraph(node):
    for ancestor in node.iterancestors(W_P):
        return ancestor
    return None


def _rewrite(texts: list[str], joined: str, spans: list[Span]) -> list[str]:
    """Each piece of ``joined`` (which is ``"".join(texts)``) with the spans removed, the mask
    written into the piece where each span starts."""
    result, offset = [], 0
    for text in texts:
        start, end = offset, offset + len(text)
        pieces, position = [], start
        for span in spans:
            if span.end <= start or span.start >= end:
                continue
            pieces.append(joined[position : max(span.start, start)])
            if span.start >= start:
                pieces.append(MASK)
            position = min(span.end, end)
        pieces.append(joined[position:end])
        result.append("".join(pieces))
        offset = end
    return result


def _redact_nodes(nodes, ruleset: RuleSet) -> int:
    texts = [node.text or "" for node in nodes]
    joined = "".join(texts)
    spans = ruleset.spans(joined)
    if not spans:
        return 0
    for node, text in zip(nodes, _rewrite(texts, joined, spans), strict=True):
        node.text = text
        if node.tag in GROUPED:
            node.set(XML_SPACE, "preserve")
    return len(spans)


def _redact_tree(root, ruleset: RuleSet, entry: str) -> int:
    """Redact one XML part in place; the number of spans hidden."""
    from lxml import etree

    hidden = 0
    grouped = set()
    # The text of each paragraph, across its runs (a text box's paragraphs are their own).
    for paragraph in root.iter(W_P):
        for tag in GROUPED:
            nodes = [n for n in paragraph.iter(tag) if _nearest_paragraph(n) is paragraph]
            if nodes:
                hidden += _redact_nodes(nodes, ruleset)
                grouped.update(nodes)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            if isinstance(element, etree._Comment):
                parent = element.getparent()
                if parent is not None:
                    tail = element.tail
                    previous = element.getprevious()
                    parent.remove(element)
                    if tail:  # keep the text that followed the comment
                        if previous is not None:
                            previous.tail = (previous.tail or "") + tail
                        else:
                            parent.text = (parent.text or "") + tail
            continue
        text = element.text
        if element not in grouped and element.tag not in BINARY_TAGS and text and text.strip():
            redacted = ruleset.redact(text)
            if redacted.count:
                element.text = redacted.text
                hidden += redacted.count
        if element.tail and element.tail.strip():
            redacted = ruleset.redact(element.tail)
            if redacted.count:
                element.tail = redacted.text
                hidden += redacted.count
        local_tag = etree.QName(element).localname
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname
            if _free_text(local_tag, local, element):
                redacted = ruleset.redact(value)
                if redacted.count:
                    element.set(attribute, redacted.text)
                    hidden += redacted.count
            elif ruleset.spans(value, patterns=_looks_like_text(value)):
                raise RedactionError(
                    _(
                        "Text to be hidden was found in the DOCX file's internal data "
                        "(%(entry)s), where it cannot be redacted safely. Save the document "
                        "again without it, or as PDF."
                    )
                    % {"entry": entry}
                )
    return hidden


THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def _thumbnails(source: zipfile.ZipFile, name: str) -> set[str]:
    """The package's thumbnail parts: a picture of the first page as it was, unredacted
    (Word saves one with "save preview picture"). They are left out of the copy."""
    from lxml import etree

    try:
        root = etree.fromstring(source.read("_rels/.rels"), _xml_parser())
    except KeyError:
        return set()
    except etree.XMLSyntaxError as error:
        raise RedactionError(
            _("“%(name)s” is not a readable DOCX file.") % {"name": name}
        ) from error
    return {
        relationship.get("Target", "").lstrip("/")
        for relationship in root
        if relationship.get("Type") == THUMBNAIL
    }


def _forget_parts(root, parts: set[str]) -> None:
    """Remove the relationships to ``parts`` and their content-type overrides."""
    for element in list(root):
        target = element.get("Target") if element.get("Type") == THUMBNAIL else None
        part_name = element.get("PartName")
        if (target and target.lstrip("/") in parts) or (
            part_name and part_name.lstrip("/") in parts
        ):
            root.remove(element)


def _redact_docx(
    name: str, data: bytes, ruleset: RuleSet, *, strict: bool
) -> tuple[bytes, int, tuple[str, ...]]:
    from lxml import etree

    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        entries = source.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise RedactionError(
            _("“%(name)s” is not a readable DOCX file.") % {"name": name}
        ) from error
    if sum(entry.file_size for entry in entries) > _max_file_bytes():
        raise RedactionError(
            _("“%(name)s” is too large to be redacted automatically.") % {"name": name}
        )
    thumbnails = _thumbnails(source, name)
    hidden, unchecked = 0, []
    output = io.BytesIO()
    with source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in entries:
            if entry.is_dir() or entry.filename in thumbnails:
                continue
            if ruleset.spans(entry.filename):
                raise RedactionError(
                    _("A part of the DOCX file is named with text to be hidden (%(entry)s).")
                    % {"entry": entry.filename}
                )
            content = source.read(entry)
            suffix = PurePosixPath(entry.filename).suffix.lower()
            if suffix in (".xml", ".rels", ".vml", ".svg") or content.lstrip()[:5] == b"<?xml":
                try:
                    root = etree.fromstring(content, _xml_parser())
                except etree.XMLSyntaxError as error:
                    raise RedactionError(
                        _("“%(name)s” is not a readable DOCX file.") % {"name": name}
                    ) from error
                if any(True for _node in root.iter(*TRACKED_DELETIONS)):
                    raise RedactionError(
                        _(
                            "“%(name)s” has tracked changes: deleted text would go out with "
                            "the file. Accept or reject all changes first."
                        )
                        % {"name": name}
                    )
                if thumbnails:
                    _forget_parts(root, thumbnails)
                hidden += _redact_tree(root, ruleset, entry.filename)
                content = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
            elif suffix in HARMLESS_SUFFIXES:
                pass
            elif strict:
                message = (
                    _(
                        "“%(name)s” contains an image (%(entry)s), which cannot be checked for "
                        "text to hide. Remove it, or attach the text as PDF."
                    )
                    if suffix in IMAGE_SUFFIXES
                    else _(
                        "“%(name)s” contains an embedded object (%(entry)s), which cannot be "
                        "checked for text to hide. Remove it, or attach the text as PDF."
                    )
                )
                raise RedactionError(message % {"name": name, "entry": entry.filename})
            else:
                unchecked.append(entry.filename)
            info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return output.getvalue(), hidden, tuple(unchecked)


# PDF ----------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF (pypdf's extraction; none for scanned pages)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        readable = not reader.is_encrypted or reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages] if readable else None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise RedactionError(_("The PDF file cannot be read.")) from error
    if pages is None:
        raise RedactionError(_("The PDF file is encrypted and cannot be read."))
    return pages


def _pdf_text_copy(
    name: str, new_name: RedactedText, data: bytes, ruleset: RuleSet, *, strict: bool
) -> RedactedFile:
    from .documents import Block, pdf_bytes

    pages = pdf_text(data)
    text = "\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        if strict:
            raise RedactionError(
                _(
                    "No text could be read from “%(name)s” (a scan?): it cannot be redacted "
                    "automatically. Attach its text as DOCX or PDF."
                )
                % {"name": name}
            )
        return RedactedFile(new_name.text, PDF_TYPE, data, new_name.count, unchecked=(name,))
    redacted = ruleset.redact(text)
    title = f"《{new_name.text}》删除处理文本副本"
    blocks = [
        Block("删除处理文本副本（Redacted text copy）", "title"),
        Block(
            f"本文件是《{new_name.text}》（原件共{len(pages)}页）经删除处理后的文本副本，"
            f"只含从原件中提取的文字，原件的版式、图表、图片和印章未予复制；"
            f"依法不予公开的内容已删除，以“{MASK}”标示。",
            "note",
        ),
        Block(
            "This is a redacted text copy: only the text extracted from the original, with "
            f"what may not be disclosed replaced by {MASK}.",
            "note",
        ),
    ]
    blocks += [Block(line, "plain") for line in redacted.text.split("\n") if line.strip()]
    stem = PurePosixPath(new_name.text).stem or "attachment"
    return RedactedFile(
        f"{stem}（删除处理文本副本）.pdf",
        PDF_TYPE,
        pdf_bytes(blocks, title=title, author=""),
        new_name.count + redacted.count,
        text_copy=True,
    )


def extract_text(name: str, data: bytes) -> str:
    """The text of an attachment as ``redact_file`` sees it, for the staff preview."""
    kind = file_kind(name, data)
    if kind == "text":
        return _decode(data)
    if kind == "pdf":
        return "\n".join(pdf_text(data))
    if kind == "docx":
        from lxml import etree

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = etree.fromstring(archive.read("word/document.xml"), _xml_parser())
        lines = []
        for paragraph in root.iter(W_P):
            lines.append(
                "".join(
                    node.text or ""
                    for node in paragraph.iter(f"{{{W}}}t")
                    if _nearest_paragraph(node) is paragraph
                )
            )
        return "\n".join(lines)
    raise _cannot(name)


def redact_for_answer(request, text: str) -> str:
    """``text`` of ``request``'s answer as it may leave the internal zone: every answer rule
    that applies to the request masked. Raises RedactionError rather than let text out
    unchecked (a timeout, a broken rule)."""
    if not text:
        return text or ""
    return redact_text(text, rules_for(request, "answers")).text
