"""Importing an old website into the site group (``manage.py portal_import``).

- ``sources``: what is read — a folder of HTML pages with its sitemap.xml (``html`` reads
  one page), or a CSV/JSON export;
- ``mapping``: where it goes — the target site or section, and the old columns' map;
- ``files``: attachments and images, checked by their content;
- ``service``: the import, one transaction per record, with the report of every record.

docs/portal.md ("Migrating an old site") and docs/decisions/0008 explain it.
"""

from egov.portal.importer.mapping import ColumnMap, Target, read_map_file, resolve_target
from egov.portal.importer.records import (
    EXISTS,
    FAILED,
    IMPORTED,
    REDIRECTED,
    WOULD_IMPORT,
    WOULD_REDIRECT,
    ImportConfigError,
    ImportReport,
    Record,
    RowResult,
)
from egov.portal.importer.service import ImportOptions, import_source
from egov.portal.importer.sources import CsvSource, HtmlSiteSource, JsonSource, open_source

__all__ = [
    "EXISTS",
    "FAILED",
    "IMPORTED",
    "REDIRECTED",
    "WOULD_IMPORT",
    "WOULD_REDIRECT",
    "ColumnMap",
    "CsvSource",
    "HtmlSiteSource",
    "ImportConfigError",
    "ImportOptions",
    "ImportReport",
    "JsonSource",
    "Record",
    "RowResult",
    "Target",
    "import_source",
    "open_source",
    "read_map_file",
    "resolve_target",
]
