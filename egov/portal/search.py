"""Chinese search of the site group: what goes into the index, how a query is read, and the
search itself with its filters and highlighted matches.

Wagtail's database backend hands text to the database's full-text engine (SQLite FTS5,
PostgreSQL ``to_tsvector``), which splits words at spaces and punctuation only: a Chinese
sentence is one long "word" and 执照 is never found in 营业执照办理指南. So the text of every
live page is segmented before it is indexed (``models.SearchEntry``), and queries are
segmented the same way; both engines then see ordinary space-separated words.

**Indexed text** (``index_text``): NFKC (full-width letters and digits made half-width) and
lower case; then jieba's search-engine segmentation (rjieba, the Rust port; its dictionary is
inside the wheel), which gives the words and the shorter words inside them (营业执照 → 营业,
执照, 营业执照); then the overlapping character bigrams of every run of Chinese characters
(营业 业执 执照 照办 …). The words give ranking and single-character words; the bigrams make
every Chinese string of two or more characters findable, whatever the segmenter did with the
sentence around it (docs/portal.md, "Search", has the recall measured).

**A query** (``parse_query``): cut into words with jieba's precise mode; adjacent words that
together form a synonym are joined (社会 + 保险 → 社会保险); question words (怎么, 如何 …) and,
when longer words remain, single Chinese characters are dropped; each word expands to its
synonyms, also inside longer words (社保卡 → 社会保险卡). Every remaining term must match
(AND); a term matches as a word token or as all of its bigrams.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import rjieba
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, PlainText

from egov.portal.models import SearchEntry, Synonym

# Chinese characters: CJK unified ideographs, extension A, compatibility ideographs and the
# supplementary planes' extensions.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RUN = re.compile(f"[{CJK}]+")
# A word: letters and digits of any script (CJK included), no punctuation, no underscore.
WORD = re.compile(r"[^\W_]+")
# A word split where it changes between Chinese and other letters or digits (icp备案 → icp, 备案).
SCRIPT_RUN = re.compile(f"[{CJK}]+|[^{CJK}]+")

MAX_QUERY_LENGTH = 100
MAX_INDEXED_CHARACTERS = 50_000
MAX_TERMS = 8
# The most results a search shows (and, for "best match", ranks): see BoundedResults.
MAX_RESULTS = 200
MAX_VARIANTS = 8
# Question words and particles that say nothing about what a page is about.
QUERY_STOP_WORDS = frozenset(
    {
        "怎么", "怎样", "怎么样", "怎么办", "如何", "什么", "为什么", "哪里", "哪儿", "哪些",
        "哪个", "多少", "请问", "是否", "能否", "可以", "可否", "需要", "有关", "关于",
    }
)  # fmt: skip


def normalise(text: str) -> str:
    """Full-width letters and digits made half-width (NFKC), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def bigrams(text: str) -> list[str]:
    """The overlapping character pairs of each run of Chinese characters in ``text``, in
    order; a run of one character gives that character."""
    grams: list[str] = []
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def words(text: str) -> list[str]:
    """jieba's search-engine segmentation of ``text``: words and the words inside them,
    without punctuation or spaces. A token with punctuation inside (2026-00001, 12.5%) gives
    its parts, as a query is read."""
    return [part for word in rjieba.cut_for_search(text) for part in WORD.findall(word)]


def index_text(text: str) -> str:
    """``text`` as it is stored in the search index: its words, then its character bigrams,
    separated by spaces. Only the first ``MAX_INDEXED_CHARACTERS`` are indexed (PostgreSQL
    refuses a text search vector over 1 MB)."""
    text = normalise(text[:MAX_INDEXED_CHARACTERS])
    return " ".join(words(text) + bigrams(text))


# --- what is indexed --------------------------------------------------------------------


def _flatten(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = value.values()
    if isinstance(value, Iterable):
        return [text for item in value for text in _flatten(item)]
    return [str(value)]


def page_text(page: Page) -> str:
    """The searchable text of a page: the values of its page type's ``search_fields``
    other than the title (rich text without its markup), one per line."""
    page = page.specific
    parts: list[str] = []
    for search_field in page.get_search_fields():
        if isinstance(search_field, index.SearchField) and search_field.field_name != "title":
            parts.extend(_flatten(search_field.get_value(page)))
    return "\n".join(part.strip() for part in parts if part and part.strip())


@transaction.atomic
def index_page(page: Page) -> SearchEntry | None:
    """Write the search entry of a live page (and remove that of a page no longer live)."""
    if page.depth <= 1 or not page.live:
        unindex_page(page)
        return None
    entry, _created = SearchEntry.objects.update_or_create(
        page_id=page.pk, defaults={"title": page.title, "text": page_text(page)}
    )
    return entry


@transaction.atomic
def unindex_page(page: Page) -> None:
    for entry in SearchEntry.objects.filter(page_id=page.pk):
        entry.delete()


def rebuild_index() -> int:
    """Index every live page again and drop the entries of pages no longer live (after an
    import that bypassed publishing, or a change of segmentation). Returns the pages
    indexed."""
    count = 0
    for entry in SearchEntry.objects.exclude(page__live=True).select_related("page"):
        entry.delete()
    for page in Page.objects.live().filter(depth__gt=1).specific().iterator(chunk_size=500):
        index_page(page)
        count += 1
    return count


# --- reading a query --------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query and what it may also be written as (its synonyms)."""

    text: str
    variants: tuple[str, ...]


def synonym_groups() -> list[list[str]]:
    return [group.term_list() for group in Synonym.objects.all()]


def _synonym_map(groups: Iterable[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    mapping: dict[str, tuple[str, ...]] = {}
    for group in groups:
        terms = tuple(dict.fromkeys(normalise(term) for term in group if term))
        for term in terms:
            mapping[term] = terms
    return mapping


def _join_synonyms(cut: list[str], synonyms: dict[str, tuple[str, ...]]) -> list[str]:
    """Join adjacent words that together spell a synonym (社会 + 保险 → 社会保险)."""
    joined, i = [], 0
    while i < len(cut):
        for j in range(len(cut), i + 1, -1):
            if "".join(cut[i:j]) in synonyms:
                joined.append("".join(cut[i:j]))
                i = j
                break
        else:
            joined.append(cut[i])
            i += 1
    return joined


def _variants(word: str, synonyms: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The word and what its synonyms make of it, also inside it (社保卡 → 社会保险卡)."""
    variants = [word]
    for term in sorted(synonyms, key=len, reverse=True):
        if term in word:
            variants.extend(word.replace(term, other) for other in synonyms[term])
    return tuple(dict.fromkeys(variants))[:MAX_VARIANTS]


def parse_query(query: str, groups: Iterable[Sequence[str]] | None = None) -> list[Term]:
    """The terms a query must match (see the module's docstring). ``groups`` are the synonym
    groups (read from the database when not given)."""
    synonyms = _synonym_map(synonym_groups() if groups is None else groups)
    pieces = WORD.findall(normalise(query)[:MAX_QUERY_LENGTH])
    cut: list[str] = []
    for piece in pieces:
        cut.extend(word for word in rjieba.cut(piece) if WORD.fullmatch(word))
    found = list(dict.fromkeys(_join_synonyms(cut, synonyms)))
    found = [word for word in found if word not in QUERY_STOP_WORDS] or found
    if any(len(word) > 1 for word in found):
        # Single Chinese characters say little; a single digit or letter (the 7 of
        # 永川府发〔2026〕7号) does, and stays.
        found = [word for word in found if len(word) > 1 or not CJK_RUN.fullmatch(word)]
    elif found:
        # Only single characters: jieba found no word in them (区政, 永川区政 …), so each
        # piece of the query is looked for as it was typed.
        found = list(dict.fromkeys(pieces))
    return [Term(word, _variants(word, synonyms)) for word in found[:MAX_TERMS]]


def _match_part(part: str):
    """A word as a token, or (three Chinese characters or more) as all of its bigrams. All,
    not the phrase: PostgreSQL keeps word positions only up to 16383, so phrases fail deep
    inside long documents; a word's bigrams almost never occur apart from the word."""
    if CJK_RUN.fullmatch(part) and len(part) > 2:
        return Or([PlainText(part), PlainText(" ".join(bigrams(part)), operator="and")])
    return PlainText(part)


def _match_word(word: str):
    parts = [part for part in SCRIPT_RUN.findall(word) if part]
    if len(parts) == 1:
        return _match_part(parts[0])
    return And([_match_part(part) for part in parts])


def term_query(term: Term):
    """The backend query of one term: it matches in one of its variants."""
    options = [_match_word(variant) for variant in term.variants]
    return options[0] if len(options) == 1 else Or(options)


def build_query(terms: Sequence[Term]):
    """The backend query: every term must match, in one of its variants."""
    clauses = [term_query(term) for term in terms]
    return clauses[0] if len(clauses) == 1 else And(clauses)


# --- searching --------------------------------------------------------------------------


class Order:
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass
class SearchFilters:
    """Where and what to search: ``within`` a page's subtree (a site's root, or None for the
    whole group), ``column`` (a column page; its subtree), page ``types`` (models), and the
    first publication's local date between ``date_from`` and ``date_to`` (inclusive)."""

    within: Page | None = None
    column: Page | None = None
    types: Sequence[type] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    order: str = Order.RELEVANCE


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries_for(filters: SearchFilters):
    """The entries the filters allow (live, public pages only), before the text query."""
    entries = SearchEntry.objects.filter(page__live=True).select_related("page")
    if filters.within is not None:
        entries = entries.filter(page__path__startswith=filters.within.path)
    if filters.column is not None:
        entries = entries.filter(page__path__startswith=filters.column.path)
    if filters.types:
        kinds = ContentType.objects.get_for_models(*filters.types).values()
        entries = entries.filter(page__content_type__in=[kind.pk for kind in kinds])
    if filters.date_from is not None:
        entries = entries.filter(page__first_published_at__gte=_local_midnight(filters.date_from))
    if filters.date_to is not None:
        end = _local_midnight(filters.date_to + datetime.timedelta(days=1))
        entries = entries.filter(page__first_published_at__lt=end)
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        entries = entries.exclude(page__path__startswith=path)
    return entries


@dataclass
class SearchOutcome:
    terms: list[Term]
    results: object  # sliceable and countable: BoundedResults, Wagtail's results, a queryset
    single_characters: bool = False  # the query had only single characters

    @property
    def capped(self) -> bool:
        """More pages match than can be shown (PostgreSQL: ``MAX_RESULTS``)."""
        return getattr(self.results, "capped", False)

    @property
    def needles(self) -> list[str]:
        return needles_of(self.terms)


def search(query: str, filters: SearchFilters | None = None) -> SearchOutcome:
    """Search the site group. An empty query (or one without a word) finds nothing."""
    filters = filters or SearchFilters()
    terms = parse_query(query)
    if not terms:
        return SearchOutcome(terms, SearchEntry.objects.none())
    entries = entries_for(filters)
    newest = filters.order == Order.NEWEST
    backend = get_search_backend()
    single = all(len(term.text) == 1 for term in terms)
    if connection.vendor == "postgresql":
        results = BoundedResults(backend, terms, entries, newest=newest)
        return SearchOutcome(terms, results, single_characters=single)
    if newest:
        # Expressions: the database backends order by them without a FilterField.
        entries = entries.order_by(
            F("page__first_published_at").desc(nulls_last=True), F("pk").desc()
        )
    results = backend.search(build_query(terms), entries, order_by_relevance=not newest)
    return SearchOutcome(terms, results, single_characters=single)


class BoundedResults:
    """The results of a search on PostgreSQL, as the paginator wants them (countable,
    sliceable): the newest ``MAX_RESULTS`` matches, newest first or — "best match" — ranked
    as Wagtail ranks them (title and text, the title's weight normalised by its length).

    Why bounded: a common word (工作, 政府) is in most pages; ranking, or even counting, every
    match reads the index entry of most pages, seconds for a district's 200,000 pages. One
    query takes the identifiers of the newest ``MAX_RESULTS + 1`` matches (PostgreSQL walks
    the publication dates, index ``portal_page_newest`` of migration 0005, and stops; a rare
    word is looked up in the indexes of the title and the text instead); they give the
    count, and a second query ranks them or fetches the page of results shown."""

    def __init__(self, backend, terms: Sequence[Term], entries, *, newest: bool):
        query = build_query(terms)
        compiler = backend.query_compiler_class(entries, query)
        config = compiler.get_config(backend)
        # Each term in the title or in the text (as Wagtail's ``title || body`` does, but
        # without joining the two vectors for every row: six times cheaper, and served by
        # the title's and the text's own indexes).
        match = Q()
        for term in terms:
            tsquery = compiler.build_tsquery(term_query(term), config=config)
            match &= Q(index_entries__title=tsquery) | Q(index_entries__body=tsquery)
        self.matched = entries.filter(match)
        title, body = F("index_entries__title"), F("index_entries__body")
        self.rank = compiler.build_tsrank(title, query, config=config) * F(
            "index_entries__title_norm"
        ) + compiler.build_tsrank(body, query, config=config)
        self.newest = newest
        self._ids: list[int] | None = None

    @property
    def ids(self) -> list[int]:
        """The newest matches (at most ``MAX_RESULTS + 1``), newest first."""
        if self._ids is None:
            newest_first = self.matched.order_by(
                F("page__first_published_at").desc(nulls_last=True), F("pk").desc()
            )
            self._ids = list(newest_first.values_list("pk", flat=True)[: MAX_RESULTS + 1])
        return self._ids

    def count(self) -> int:
        return min(len(self.ids), MAX_RESULTS)

    def __len__(self) -> int:
        return self.count()

    @property
    def capped(self) -> bool:
        """More pages match than are shown."""
        return len(self.ids) > MAX_RESULTS

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        ids = self.ids[:MAX_RESULTS]
        entries = SearchEntry.objects.select_related("page")
        if self.newest:
            shown = ids[key]
            found = entries.in_bulk(shown)
            return [found[pk] for pk in shown if pk in found]
        ranked = entries.filter(pk__in=ids).annotate(_rank=self.rank).order_by("-_rank", "-pk")
        return list(ranked[key])


# --- showing results --------------------------------------------------------------------


def needles_of(terms: Iterable[Term]) -> list[str]:
    """The strings to highlight: every variant of every term, longest first."""
    needles = {variant for term in terms for variant in term.variants if variant}
    return sorted(needles, key=lambda needle: (-len(needle), needle))


def _pattern(needles: Sequence[str]) -> re.Pattern | None:
    if not needles:
        return None
    return re.compile("|".join(re.escape(needle) for needle in needles), re.IGNORECASE)


def highlight(text: str, needles: Sequence[str]) -> SafeString:
    """``text`` as HTML with every match of ``needles`` wrapped in ``<mark>``.

    Every piece of ``text`` is escaped before it is joined with the marks, so the only markup
    in the result is ``<mark>``: matches are found in the text, never inside an escaped
    entity (a search for "amp" cannot split ``&amp;``)."""
    pattern = _pattern(needles)
    if pattern is None:
        return escape(text)
    html, last = [], 0
    for match in pattern.finditer(text):
        html.append(escape(text[last : match.start()]))
        html.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    html.append(escape(text[last:]))
    return mark_safe("".join(html))  # noqa: S308 - every piece above is escaped


def excerpt(text: str, needles: Sequence[str], length: int = 160) -> SafeString:
    """About ``length`` characters of ``text`` around its first match, highlighted."""
    text = " ".join(text.split())
    pattern = _pattern(needles)
    match = pattern.search(text) if pattern is not None else None
    start = 0 if match is None else max(0, match.start() - length // 4)
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    piece = ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(piece, needles)


@dataclass
class Hit:
    """One result as the results page shows it."""

    url: str
    title: SafeString
    excerpt: SafeString
    published_at: datetime.datetime | None
    type_label: str
    parent_title: str = ""
    site_name: str = ""


def hits(entries: Sequence[SearchEntry], needles: Sequence[str], request, sites=None) -> list:
    """The results of one page of entries, with their addresses, the title of the column
    (or topic) they are in, and — given the group's ``sites`` as (site, name) pairs, for a
    search of the whole group — the name of their site."""
    parents = dict(
        Page.objects.filter(
            path__in=[entry.page.path[: -Page.steplen] for entry in entries]
        ).values_list("path", "title")
    )
    roots = sorted(sites or [], key=lambda pair: -len(pair[0].root_page.path))
    shown = []
    for entry in entries:
        page = entry.page
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        site_name = next(
            (name for site, name in roots if page.path.startswith(site.root_page.path)), ""
        )
        shown.append(
            Hit(
                url=page.get_url(request) or "",
                title=highlight(entry.title, needles),
                excerpt=excerpt(entry.text, needles),
                published_at=page.first_published_at,
                type_label=str(model._meta.verbose_name) if model is not None else "",
                parent_title=parents.get(page.path[: -Page.steplen], ""),
                site_name=site_name,
            )
        )
    return shown
