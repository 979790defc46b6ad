"""What a source yields (one ``Record`` per article or page of the old site) and what the
import makes of it (one ``RowResult``)."""

from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

# Outcomes of a row.
IMPORTED = "imported"  # a new page (published, or a draft with --draft)
EXISTS = "exists"  # imported by an earlier run: nothing done
REDIRECTED = "redirected"  # an old list page: its address now leads to the column
FAILED = "failed"  # not imported; ``reason`` says why
# In a dry run, what would have happened.
WOULD_IMPORT = "would_import"
WOULD_REDIRECT = "would_redirect"

OUTCOMES = (IMPORTED, WOULD_IMPORT, EXISTS, REDIRECTED, WOULD_REDIRECT, FAILED)


@dataclass(frozen=True)
class Where:
    """Where a record is in its source: a line of a CSV file, an item of a JSON list, an
    HTML file of a site."""

    kind: str  # "line", "item" or "file"
    value: int | str

    def __str__(self) -> str:
        if self.kind == "line":
            return _("line %(number)s") % {"number": self.value}
        if self.kind == "item":
            return _("item %(number)s") % {"number": self.value}
        return str(self.value)


@dataclass
class FileRef:
    """A file a record links to: ``href`` as the source wrote it, ``label`` its link text."""

    href: str
    label: str = ""


@dataclass
class Record:
    where: Where
    title: str = ""
    date_text: str = ""
    date_problem: str = ""  # set by the source when the date it found is impossible
    column: str = ""
    body: str = ""  # HTML (or plain text, turned into paragraphs)
    old_url: str = ""
    summary: str = ""
    source: str = ""
    attachments: list[FileRef] = field(default_factory=list)
    # Resolving links: relative links of the body are resolved against ``base_url`` (the old
    # address), and a link to the old site (relative, or on ``site_host``) is a file under
    # ``files_root``.
    base_url: str = ""
    site_host: str = ""
    files_root: Path | None = None
    problem: str = ""  # the source could not read this record at all
    # A page listed in a sitemap: may be an old column's list page rather than an article.
    sitemap_entry: bool = False


@dataclass
class RowResult:
    where: Where
    outcome: str
    title: str = ""
    old_url: str = ""
    page_id: int | None = None
    new_url: str = ""
    reason: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    results: list[RowResult] = field(default_factory=list)

    def count(self, *outcomes: str) -> int:
        return sum(1 for r in self.results if r.outcome in outcomes)

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.results if r.outcome == FAILED]

    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in OUTCOMES}


class ImportConfigError(ValueError):
    """A problem with the import as a whole (a source that cannot be read, a column map
    naming no column): nothing is imported; the message says what to fix."""
