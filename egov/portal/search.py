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
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import rjieba
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, PlainText

from egov.portal.models import SearchDocument, SearchEntry, Synonym

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
# The windows of recent publication in which a search looks for its newest matches, in
# days (None: all the rest); see BoundedResults.ids.
WINDOWS_DAYS = (30, 365, None)
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
    text = page_text(page)
    if connection.vendor != "postgresql":
        entry, _created = SearchEntry.objects.update_or_create(
            page_id=page.pk, defaults={"title": page.title, "text": text}
        )
        return entry
    # PostgreSQL searches its own table (SearchDocument, decision 0015), not Wagtail's index:
    # the entry is written without ``save()``, so Wagtail does not index it (its index of
    # SearchEntry, with its title norms refreshed on every write, was work nobody read).
    entry = SearchEntry(page_id=page.pk, title=page.title, text=text, indexed_at=timezone.now())
    updated = SearchEntry.objects.filter(page_id=page.pk).update(
        title=entry.title, text=entry.text, indexed_at=entry.indexed_at
    )
    if not updated:
        SearchEntry.objects.bulk_create([entry])
    _write_document(page, page.title, text)
    return entry


def _search_config():
    return get_search_backend().config


# Matching reads ``document``: the words of the title and the text (positions stripped:
# smaller, and GIN needs no recheck) and the page's facets — a lexeme for each of its
# ancestors' paths and one for its type, so that the site, column and type filters are
# answered by the same GIN index as the words. Ranking adds ``title_document``. A facet
# starts with "§", which the text parser never puts in a lexeme (decision 0015).
FACET = "§"
DOCUMENT_SQL = """
INSERT INTO portal_searchdocument
    (entry_id, path, content_type_id, published_at, document, title_document)
SELECT %(page)s, %(path)s, %(type)s, %(published)s,
       strip(to_tsvector({config}%(title)s) || to_tsvector({config}%(text)s))
           || array_to_tsvector(%(facets)s::text[]),
       to_tsvector({config}%(title)s)
ON CONFLICT (entry_id) DO UPDATE SET
    path = EXCLUDED.path, content_type_id = EXCLUDED.content_type_id,
    published_at = EXCLUDED.published_at, document = EXCLUDED.document,
    title_document = EXCLUDED.title_document
"""
DOCUMENT_SQL_DEFAULT = DOCUMENT_SQL.format(config="")
DOCUMENT_SQL_CONFIG = DOCUMENT_SQL.format(config="%(config)s::regconfig, ")


def path_facet(path: str) -> str:
    return f"{FACET}p{path}"


def type_facet(content_type_id: int) -> str:
    return f"{FACET}t{content_type_id}"


def facets(path: str, content_type_id: int) -> list[str]:
    """The facet lexemes of a page: its own and every ancestor's path, and its type."""
    steps = range(Page.steplen, len(path) + 1, Page.steplen)
    return [path_facet(path[:end]) for end in steps] + [type_facet(content_type_id)]


def _write_document(page: Page, title: str, text: str) -> None:
    """The page's ``SearchDocument`` (PostgreSQL), in the search backend's text search
    configuration (as Wagtail's index, so that its query compiler's queries match)."""
    config = _search_config()
    values = {
        "page": page.pk,
        "path": page.path,
        "type": page.content_type_id,
        "published": page.first_published_at,
        "title": index_text(title),
        "text": index_text(text),
        "config": config,
        "facets": facets(page.path, page.content_type_id),
    }
    with connection.cursor() as cursor:
        cursor.execute(DOCUMENT_SQL_CONFIG if config else DOCUMENT_SQL_DEFAULT, values)


# A moved page's (and its descendants') path and path facets are the page's again.
FOLLOW_SQL = """
UPDATE portal_searchdocument SET path = p.path, published_at = p.first_published_at,
    document = ts_delete(
        portal_searchdocument.document,
        ARRAY(SELECT lexeme FROM unnest(portal_searchdocument.document)
              WHERE lexeme LIKE '§p%%')
    ) || array_to_tsvector(ARRAY(
        SELECT '§p' || substr(p.path, 1, n * 4)
        FROM generate_series(1, length(p.path) / 4) AS n
    ))
FROM wagtailcore_page p WHERE p.id = portal_searchdocument.entry_id AND
"""


def follow_pages(*, under: Page | None = None, ids: Sequence[int] = ()) -> int:
    """The search documents of the pages ``under`` a page (itself included) or with these
    ``ids`` take the pages' path and first publication time again, in one statement: after
    a move, or after an import that dates its pages. Returns the rows changed. (SQLite's
    search reads the pages themselves: nothing to follow.)"""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        if under is not None:
            cursor.execute(FOLLOW_SQL + "p.path LIKE %s", [under.path + "%"])
            return cursor.rowcount
        changed = 0
        for start in range(0, len(ids), 500):
            chunk = [int(pk) for pk in ids[start : start + 500]]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(FOLLOW_SQL + f"p.id IN ({marks})", chunk)  # noqa: S608 - only marks
            changed += cursor.rowcount
        return changed


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
    from egov.portal.cache import invalidate

    invalidate()  # searches remembered in any process are forgotten
    return count


# --- reading a query --------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query and what it may also be written as (its synonyms)."""

    text: str
    variants: tuple[str, ...]


def synonym_groups() -> list[list[str]]:
    """The synonym groups; read once per page cache generation (a snippet's change starts a
    new one)."""
    from egov.portal.cache import memo

    return memo.get(
        ("portal.search.synonyms",),
        lambda: [group.term_list() for group in Synonym.objects.all()],
    )


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
    return _filtered(
        entries, filters, "page__path", "page__content_type_id", "page__first_published_at"
    )


def documents_for(filters: SearchFilters):
    """``entries_for`` on PostgreSQL: the search documents the filters allow (decision
    0015). A site, column or type that few pages have is a facet of the document, looked up
    in the same GIN index as the words; one that most pages have (the portal in a site
    search, articles) is checked on the row's own copy instead — intersecting the words
    with a posting list of most pages costs more than it saves. The dates read the row's
    copy of the publication time."""
    documents = SearchDocument.objects.all()
    common = common_facets()
    for page in (filters.within, filters.column):
        if page is None:
            continue
        if path_facet(page.path) in common:
            documents = documents.filter(path__startswith=page.path)
        else:
            documents = documents.filter(_has_facets(_lexeme(path_facet(page.path))))
    if filters.types:
        kinds = [kind.pk for kind in ContentType.objects.get_for_models(*filters.types).values()]
        if any(type_facet(kind) in common for kind in kinds):
            documents = documents.filter(content_type_id__in=kinds)
        else:
            either = " | ".join(_lexeme(type_facet(kind)) for kind in kinds)
            documents = documents.filter(_has_facets(either))
    plain = SearchFilters(date_from=filters.date_from, date_to=filters.date_to)
    return _filtered(documents, plain, "path", "content_type_id", "published_at")


# A facet in more than this share of the documents is checked on the row, not in the index.
COMMON_FACET_SHARE = 0.1


def common_facets() -> frozenset[str]:
    """The facets in more than ``COMMON_FACET_SHARE`` of the documents, from PostgreSQL's
    statistics of the column (``ANALYZE``; autovacuum keeps them), read once per page cache
    generation in each process."""
    from egov.portal.cache import memo

    def read() -> frozenset[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'portal_searchdocument' AND attname = 'document'"
            )
            row = cursor.fetchone()
        if row is None or row[0] is None:
            return frozenset()
        return frozenset(
            lexeme
            for lexeme, share in zip(row[0], row[1], strict=False)
            if lexeme.startswith(FACET) and share > COMMON_FACET_SHARE
        )

    return memo.get(("portal.search", "common_facets"), read)


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _has_facets(tsquery: str):
    return RawSQL("portal_searchdocument.document @@ %s::tsquery", [tsquery], BooleanField())


def _filtered(rows, filters: SearchFilters, path: str, kind: str, published: str):
    if filters.within is not None:
        rows = rows.filter(**{f"{path}__startswith": filters.within.path})
    if filters.column is not None:
        rows = rows.filter(**{f"{path}__startswith": filters.column.path})
    if filters.types:
        kinds = ContentType.objects.get_for_models(*filters.types).values()
        rows = rows.filter(**{f"{kind}__in": [each.pk for each in kinds]})
    if filters.date_from is not None:
        rows = rows.filter(**{f"{published}__gte": _local_midnight(filters.date_from)})
    if filters.date_to is not None:
        end = _local_midnight(filters.date_to + datetime.timedelta(days=1))
        rows = rows.filter(**{f"{published}__lt": end})
    for restricted in PageViewRestriction.objects.values_list("page__path", flat=True):
        rows = rows.exclude(**{f"{path}__startswith": restricted})
    return rows


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
    newest = filters.order == Order.NEWEST
    backend = get_search_backend()
    single = all(len(term.text) == 1 for term in terms)
    if connection.vendor == "postgresql":
        results = BoundedResults(
            backend, terms, documents_for(filters), newest=newest, filters=filters
        )
        return SearchOutcome(terms, results, single_characters=single)
    entries = entries_for(filters)
    if newest:
        # Expressions: the database backends order by them without a FilterField.
        entries = entries.order_by(
            F("page__first_published_at").desc(nulls_last=True), F("pk").desc()
        )
    results = backend.search(build_query(terms), entries, order_by_relevance=not newest)
    return SearchOutcome(terms, results, single_characters=single)


@functools.cache
def _results():
    """The newest matches of the searches made in this generation, in this process (their
    own bounded store, apart from the pages' ``memo``)."""
    from egov.portal.cache import Memo

    return Memo(size=2000)


class BoundedResults:
    """The results of a search on PostgreSQL, as the paginator wants them (countable,
    sliceable): the newest ``MAX_RESULTS`` matches, newest first or — "best match" — ranked
    (words in the title count more).

    Why bounded: a common word (工作, 政府) is in most pages; ranking, or even counting, every
    match reads the words of most pages, seconds for a district's 200,000 pages. One query
    takes the identifiers of the newest ``MAX_RESULTS + 1`` matches from the search's own
    narrow table (``SearchDocument``, decision 0015): PostgreSQL walks the publication times
    newest first (``portal_searchdocument_newest``) and stops early for a common word, or
    finds a rarer word in the GIN index of the words; they give the count, and a second
    query ranks them or fetches the page of results shown."""

    def __init__(
        self,
        backend,
        terms: Sequence[Term],
        documents,
        *,
        newest: bool,
        filters: SearchFilters | None = None,
    ):
        query = build_query(terms)
        # Wagtail's compiler writes the tsquery and the rank (for an indexed model's queryset).
        compiler = backend.query_compiler_class(SearchEntry.objects.none(), query)
        config = compiler.get_config(backend)
        match = Q()
        for term in terms:
            match &= Q(document=compiler.build_tsquery(term_query(term), config=config))
        self.matched = documents.filter(match)
        # Best match: by the title's words (small, kept in the row); the text's words carry
        # no positions, so their rank would be about the same for every match — ties go
        # to the newest.
        self.rank = compiler.build_tsrank(F("title_document"), query, config=config)
        self.newest = newest
        # The windows end at the newest time a match can have: now, or the end of the
        # date filter; a window that reaches before the date filter's start is the last.
        filters = filters or SearchFilters()
        self.until = timezone.now()
        self._fixed_until = None
        if filters.date_to is not None:
            end = _local_midnight(filters.date_to + datetime.timedelta(days=1))
            self.until = min(self.until, end)
            self._fixed_until = end
        self.since = _local_midnight(filters.date_from) if filters.date_from is not None else None
        self._ids: list[int] | None = None

    @property
    def ids(self) -> list[int]:
        """The newest matches (at most ``MAX_RESULTS + 1``), newest first.

        Looked for in widening windows of recent publication (``WINDOWS_DAYS``): all the
        matches of the last month, else of the last year, else all — each found through the
        GIN index of the words and the B-tree of the publication times together, and sorted
        here — until a window holds more than ``MAX_RESULTS``; then those are the newest of
        all. A common word stops in the first window, a rare one is cheap to look up in
        every window; walking the pages newest first and checking each one's words, as a
        single ``ORDER BY … LIMIT`` would, costs a read of the words of every page passed
        (decision 0015)."""
        if self._ids is None:
            # The same search again in this generation (no publication since): remembered.
            key = (str(self.matched.query), MAX_RESULTS, self.since, self._fixed_until)
            self._ids = _results().get(key, self._newest_ids)
        return self._ids

    def _newest_ids(self) -> list[int]:
        now = self.until
        for days in WINDOWS_DAYS:
            start = now - datetime.timedelta(days=days) if days is not None else None
            if start is None or (self.since is not None and start <= self.since):
                # the rest: PostgreSQL chooses how to find the newest
                newest_first = self.matched.order_by(
                    F("published_at").desc(nulls_last=True), F("pk").desc()
                )
                rows = list(newest_first.values_list("published_at", "pk")[: MAX_RESULTS + 1])
                break
            window = self.matched.filter(published_at__gte=start)
            rows = list(window.values_list("published_at", "pk"))
            if len(rows) > MAX_RESULTS:
                break
        rows.sort(key=lambda row: (row[0] is not None, row[0] or now, row[1]), reverse=True)
        return [pk for _published, pk in rows[: MAX_RESULTS + 1]]

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
        if self.newest:
            shown = ids[key]
        else:
            ranked = (
                SearchDocument.objects.filter(pk__in=ids)
                .annotate(_rank=self.rank)
                .order_by("-_rank", F("published_at").desc(nulls_last=True), "-pk")
                .values_list("pk", flat=True)
            )
            shown = list(ranked[key])
        found = SearchEntry.objects.select_related("page").in_bulk(shown)
        return [found[pk] for pk in shown if pk in found]


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
