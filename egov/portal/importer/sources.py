"""The sources an import reads: an old site's HTML files with their sitemap.xml, or an
export as CSV or JSON.

An export has one record per article with the fields ``title``, ``date``, ``column``,
``body`` and, optionally, ``attachments``, ``old_url``, ``summary`` and ``source`` (the
Chinese names old CMSs use — 标题, 发布时间, 栏目, 正文, 附件, 原地址, 摘要, 来源 — are
read too). CSV files may be UTF-8 (with or without BOM) or GB18030/GBK, as old Chinese CMSs
export them. Attachments are file paths or old addresses, separated by ``;`` or new lines
in CSV, a list in JSON; ``label|path`` gives a file its link text.
"""

import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET  # noqa: N817 - the usual name
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext as _

from egov.portal.importer import html as html_pages
from egov.portal.importer.files import is_attachment_name
from egov.portal.importer.records import FileRef, ImportConfigError, Record, Where

FIELD_ALIASES = {
    "title": ("title", "标题", "文章标题", "题目", "名称"),
    "date": (
        "date",
        "pubdate",
        "published",
        "publish_date",
        "发布时间",
        "发布日期",
        "日期",
        "时间",
    ),
    "column": ("column", "channel", "栏目", "栏目名称", "所属栏目"),
    "body": ("body", "content", "正文", "内容"),
    "attachments": ("attachments", "attachment", "附件"),
    "old_url": ("old_url", "url", "link", "原地址", "原链接", "链接", "网址"),
    "summary": ("summary", "description", "摘要"),
    "source": ("source", "来源", "信息来源"),
}
REQUIRED_FIELDS = ("title", "date", "column", "body")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
INDEX_FILES = ("index.html", "index.htm", "index.shtml", "default.html", "default.htm")
ATTACHMENT_SEPARATORS = re.compile(r"[;\n；]+")
MAX_FIELD = 64 * 1024 * 1024


def _key(name) -> str:
    return html_pages.collapse(str(name or "")).lower().replace(" ", "_")


ALIAS_TO_FIELD = {_key(alias): name for name, aliases in FIELD_ALIASES.items() for alias in aliases}


def decode_export(data: bytes, encoding: str | None = None) -> str:
    """An export's text: ``encoding`` if given, else UTF-8 (BOM or not), else GB18030."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as error:
            raise ImportConfigError(
                _("The export cannot be read as %(encoding)s: %(error)s")
                % {"encoding": encoding, "error": error}
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ImportConfigError(
            _(
                "The export is neither UTF-8 nor GB18030 (a byte at position %(position)d "
                "reads as neither); pass its encoding with --encoding."
            )
            % {"position": error.start}
        ) from None


def parse_attachments(value) -> list[FileRef]:
    """``a.pdf; 附件二|b.doc`` or a JSON list of paths or {"title", "path"} objects."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else ATTACHMENT_SEPARATORS.split(str(value))
    refs = []
    for item in items:
        if isinstance(item, dict):
            href = str(item.get("path") or item.get("url") or item.get("href") or "").strip()
            label = str(item.get("title") or item.get("name") or "").strip()
        else:
            text = str(item).strip()
            label, _sep, href = text.rpartition("|")
            label, href = label.strip(), href.strip()
        if href:
            refs.append(FileRef(href=href, label=label))
    return refs


def _record_from_fields(where: Where, fields: dict, files_root: Path) -> Record:
    def text(name: str) -> str:
        value = fields.get(name)
        return "" if value is None else str(value)

    old_url = text("old_url").strip()
    parts = urlsplit(old_url)
    body = text("body")
    if body.strip() and not html_pages.looks_like_html(body):
        body = html_pages.plain_text_to_html(body)
    return Record(
        where=where,
        title=html_pages.collapse(text("title")),
        date_text=text("date").strip(),
        column=html_pages.collapse(text("column")),
        body=body,
        old_url=old_url,
        summary=html_pages.collapse(text("summary"))[:300],
        source=html_pages.collapse(text("source"))[:100],
        attachments=parse_attachments(fields.get("attachments")),
        base_url=old_url,
        site_host=parts.netloc,
        files_root=files_root,
    )


def _known_fields(names) -> dict:
    """Which field each of ``names`` (a header or an object's keys) is."""
    return {name: ALIAS_TO_FIELD[_key(name)] for name in names if _key(name) in ALIAS_TO_FIELD}


class CsvSource:
    """A CSV export: a header line naming the fields, one article a record."""

    def __init__(self, path: Path, *, files_root: Path | None = None, encoding: str | None = None):
        self.path = Path(path)
        self.files_root = Path(files_root or self.path.parent)
        text = decode_export(self.path.read_bytes(), encoding)
        csv.field_size_limit(min(sys.maxsize, MAX_FIELD))
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(reader)
        except StopIteration:
            raise ImportConfigError(_("%(file)s is empty.") % {"file": self.path.name}) from None
        self.fields = _known_fields(header)
        missing = [name for name in REQUIRED_FIELDS if name not in self.fields.values()]
        if missing:
            raise ImportConfigError(
                _(
                    "%(file)s has no column for %(fields)s. Its header names %(header)s; "
                    "name the columns title, date, column, body (or 标题, 发布时间, 栏目, 正文)."
                )
                % {
                    "file": self.path.name,
                    "fields": ", ".join(missing),
                    "header": ", ".join(header),
                }
            )
        self.header = header
        self.rows = []
        line = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                self.rows.append((line, row))
            line = reader.line_num + 1

    def __len__(self) -> int:
        return len(self.rows)

    def __str__(self) -> str:
        return str(self.path)

    def records(self) -> Iterator[Record]:
        for line, row in self.rows:
            where = Where("line", line)
            if len(row) != len(self.header):
                yield Record(
                    where=where,
                    title=html_pages.collapse(row[0]) if row else "",
                    problem=_(
                        "The line has %(found)d fields where the header has %(expected)d "
                        "(a comma or quote out of place?)."
                    )
                    % {"found": len(row), "expected": len(self.header)},
                )
                continue
            fields = {
                self.fields[name]: value
                for name, value in zip(self.header, row, strict=True)
                if name in self.fields
            }
            yield _record_from_fields(where, fields, self.files_root)


class JsonSource:
    """A JSON export: a list of objects (or an object whose ``items``, ``data``, ``rows`` or
    ``articles`` is that list)."""

    def __init__(self, path: Path, *, files_root: Path | None = None, encoding: str | None = None):
        self.path = Path(path)
        self.files_root = Path(files_root or self.path.parent)
        try:
            data = json.loads(decode_export(self.path.read_bytes(), encoding))
        except json.JSONDecodeError as error:
            raise ImportConfigError(
                _("%(file)s is not valid JSON (line %(line)d: %(message)s).")
                % {"file": self.path.name, "line": error.lineno, "message": error.msg}
            ) from None
        if isinstance(data, dict):
            data = next((data[k] for k in ("items", "data", "rows", "articles") if k in data), None)
        if not isinstance(data, list):
            raise ImportConfigError(
                _(
                    "%(file)s holds no list of articles: give a list of objects, or an "
                    "object with an 'items' list."
                )
                % {"file": self.path.name}
            )
        self.items = data

    def __len__(self) -> int:
        return len(self.items)

    def __str__(self) -> str:
        return str(self.path)

    def records(self) -> Iterator[Record]:
        for number, item in enumerate(self.items, start=1):
            where = Where("item", number)
            if not isinstance(item, dict):
                yield Record(
                    where=where,
                    problem=_("The item is not an object with fields (title, date …)."),
                )
                continue
            fields = {field: item[key] for key, field in _known_fields(item.keys()).items()}
            yield _record_from_fields(where, fields, self.files_root)


class HtmlSiteSource:
    """A saved copy of an old site: its HTML files in a folder laid out as its addresses,
    and a sitemap.xml (or a sitemap index) listing the pages to import."""

    def __init__(
        self, folder: Path, *, sitemap: Path | None = None, selectors: list[str] | None = None
    ):
        self.folder = Path(folder)
        self.sitemap = Path(sitemap) if sitemap else self.folder / "sitemap.xml"
        if not self.sitemap.is_file():
            raise ImportConfigError(
                _("There is no sitemap at %(path)s; pass the sitemap with --sitemap.")
                % {"path": self.sitemap}
            )
        self.selectors = selectors
        self.urls = self._read_sitemap(self.sitemap, seen=set())

    def _read_sitemap(self, path: Path, seen: set) -> list[str]:
        if path in seen:
            return []
        seen.add(path)
        try:
            root = ET.parse(path).getroot()  # noqa: S314 - a local file the operator gives
        except ET.ParseError as error:
            raise ImportConfigError(
                _("%(file)s is not a readable sitemap: %(error)s")
                % {"file": path.name, "error": error}
            ) from None
        urls = []
        if root.tag == f"{SITEMAP_NS}sitemapindex" or root.tag == "sitemapindex":
            for loc in root.iter():
                if loc.tag in (f"{SITEMAP_NS}loc", "loc") and loc.text:
                    nested = self.folder / unquote(urlsplit(loc.text.strip()).path).lstrip("/")
                    urls += self._read_sitemap(nested, seen)
            return urls
        for loc in root.iter():
            if loc.tag in (f"{SITEMAP_NS}loc", "loc") and loc.text and loc.text.strip():
                urls.append(loc.text.strip())
        return urls

    def __len__(self) -> int:
        return len(self.urls)

    def __str__(self) -> str:
        return str(self.folder)

    def local_file(self, url: str) -> Path | None:
        """The saved file of ``url``: the folder laid out as the addresses (a directory's
        index file; ``page.jsp?id=5`` saved under that name, as wget saves it)."""
        parts = urlsplit(url)
        path = unquote(parts.path).lstrip("/")
        if parts.query:
            saved = (self.folder / f"{path}?{unquote(parts.query)}").resolve()
            inside = saved.is_relative_to(self.folder.resolve())
            return saved if inside and saved.is_file() else None
        candidate = (self.folder / path).resolve()
        if not candidate.is_relative_to(self.folder.resolve()):
            return None
        if candidate.is_dir() or not path or path.endswith("/"):
            return next(
                (candidate / name for name in INDEX_FILES if (candidate / name).is_file()), None
            )
        return candidate if candidate.is_file() else None

    def records(self) -> Iterator[Record]:
        for url in self.urls:
            parts = urlsplit(url)
            local = self.local_file(url)
            shown = local.relative_to(self.folder.resolve()) if local else parts.path or url
            where = Where("file", str(shown))
            if is_attachment_name(unquote(parts.path)):
                yield Record(
                    where=where,
                    old_url=url,
                    problem=_(
                        "%(url)s is a file, not a page; files are imported with the pages "
                        "that link to them."
                    )
                    % {"url": url},
                )
                continue
            if local is None:
                yield Record(
                    where=where,
                    old_url=url,
                    problem=_("No file in the folder for %(url)s.") % {"url": url},
                    sitemap_entry=True,
                )
                continue
            page = html_pages.extract_page(
                html_pages.decode_html(local.read_bytes()), url, selectors=self.selectors
            )
            yield Record(
                where=where,
                title=page.title,
                date_text=page.date_text,
                date_problem=page.date_problem,
                column=page.column,
                body=page.body_html,
                old_url=url,
                summary=page.summary,
                source=page.source,
                attachments=[FileRef(href=a.url, label=a.text) for a in page.attachments],
                base_url=url,
                site_host=parts.netloc,
                files_root=self.folder,
                sitemap_entry=True,
            )


def open_source(
    path: Path,
    *,
    sitemap: Path | None = None,
    files_root: Path | None = None,
    encoding: str | None = None,
    selectors: list[str] | None = None,
):
    """The source at ``path``: a folder (an HTML site), a .csv or a .json file."""
    path = Path(path)
    if path.is_dir():
        return HtmlSiteSource(path, sitemap=sitemap, selectors=selectors)
    if not path.is_file():
        raise ImportConfigError(_("%(path)s does not exist.") % {"path": path})
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return CsvSource(path, files_root=files_root, encoding=encoding)
    if suffix == ".json":
        return JsonSource(path, files_root=files_root, encoding=encoding)
    raise ImportConfigError(
        _(
            "%(path)s is neither a folder of HTML pages with a sitemap.xml nor a .csv or "
            ".json export."
        )
        % {"path": path}
    )
