"""Reading an old site's HTML: what one article page says (title, date, column, source,
body, attachments) and its body made safe for Wagtail's rich text.

Pages of Chinese government CMSs carry the 2017 guideline's metadata (``ArticleTitle``,
``PubDate``, ``ColumnName``, ``ContentSource``, ``Description``); where a page lacks them, the
title comes from ``<title>`` (without the site name) or the first ``<h1>``, and the date from
its text (``发布时间：2023-05-06 10:20``). The body is the first element matching one of
``CONTENT_SELECTORS`` (the article containers of TRS, 大汉, 开普云 and common templates), or
else the element with the most paragraph text.

Cleaning keeps what Wagtail's rich-text editor allows (paragraphs, h2–h4, bold, italic,
lists, links, images, document links) and drops the rest: scripts, styles, frames, forms,
inline styles, classes, event handlers, ``javascript:`` links. Tables become one paragraph
per row. The result goes through Wagtail's own conversion, so it is what the editor would
have saved.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Tag

from egov.portal.importer.dates import DateError, find_publication_date, parse_date
from egov.portal.importer.files import is_attachment_name

CONTENT_SELECTORS = [
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#UCAP-CONTENT",
    "#zoom",
    ".zoom",
    "#Zoom",
    ".article-content",
    ".article_content",
    ".art_con",
    ".wzy_nr",
    ".pages_content",
    ".view",
    "article",
]
TITLE_METAS = ("articletitle", "title", "og:title")
DATE_METAS = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "date")
DROP_WITH_CONTENT = {
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "input", "button", "select", "textarea", "svg", "math", "template", "link", "meta",
    "head", "title", "video", "audio", "canvas", "map",
}  # fmt: skip
HEADINGS = {"h1": "h2", "h5": "h4", "h6": "h4"}
SOURCE_IN_TEXT = re.compile(r"(?:来源|信息来源|稿源)\s*:\s*([^\s|/]{1,100})")
WHITESPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Text on one line: runs of whitespace (also ideographic spaces and no-break spaces)
    as one space. Punctuation is left as written (full-width stays full-width)."""
    return WHITESPACE.sub(" ", text or "").strip()


@dataclass
class Link:
    href: str  # as written in the page
    url: str  # resolved against the page's address
    text: str


@dataclass
class ExtractedPage:
    title: str = ""
    date_text: str = ""
    date_problem: str = ""  # "impossible" when the page's date does not exist
    column: str = ""
    source: str = ""
    summary: str = ""
    body_html: str = ""
    attachments: list[Link] = field(default_factory=list)


def decode_html(data: bytes) -> str:
    """The text of an HTML file: its declared charset (gb2312 and gbk read as their
    superset GB18030), else UTF-8, else GB18030."""
    head = data[:4096].decode("ascii", errors="ignore").lower()
    declared = re.search(r"charset\s*=\s*[\"']?\s*([a-z0-9_-]+)", head)
    tried = []
    if declared:
        name = declared.group(1)
        tried.append("gb18030" if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk"} else name)
    tried += ["utf-8-sig", "gb18030"]
    for encoding in tried:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _metas(soup: BeautifulSoup) -> dict[str, str]:
    metas = {}
    for meta in soup.find_all("meta"):
        name = meta.get("name") or meta.get("property") or meta.get("itemprop")
        content = meta.get("content")
        if name and content and content.strip():
            metas.setdefault(name.strip().lower(), content.strip())
    return metas


TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||-|—|－|――)\s*")


def _strip_site_name(title: str, site_name: str, soup: BeautifulSoup) -> str:
    """``<title>`` without the site's name: the part before the last separator when the
    meta SiteName is what follows it, or when the page shows that part on its own."""
    parts = list(TITLE_SEPARATOR.finditer(title))
    if not parts:
        return title
    last = parts[-1]
    head, tail = title[: last.start()].strip(), title[last.end() :].strip()
    if site_name and tail == site_name:
        return head
    body = soup.body or soup
    for element in body.find_all(["h1", "h2", "h3", "div", "p", "td", "span", "strong"]):
        if collapse(element.get_text()) == head:
            return head
    return title


def _container(soup: BeautifulSoup, selectors: list[str]) -> Tag | None:
    for selector in selectors:
        found = soup.select_one(selector)
        if found is not None and collapse(found.get_text()):
            return found
    # The element whose own paragraphs hold the most text.
    best, best_length = None, 0
    for candidate in soup.find_all(["div", "td", "section", "main", "article"]):
        length = sum(len(collapse(p.get_text())) for p in candidate.find_all("p", recursive=False))
        if length > best_length:
            best, best_length = candidate, length
    return best


def extract_page(
    html: str, url: str, *, selectors: list[str] | None = None, site_host: str = ""
) -> ExtractedPage:
    """What one article page of the old site says. ``url`` is its old address (links are
    resolved against it); attachments are links, anywhere on the page, to files of the same
    site whose extension is an accepted attachment type."""
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    metas = _metas(soup)
    page = ExtractedPage()

    title = next((metas[name] for name in TITLE_METAS if metas.get(name)), "")
    if not title and soup.title and soup.title.string:
        title = _strip_site_name(collapse(soup.title.string), metas.get("sitename", ""), soup)
    if not title and soup.h1:
        title = soup.h1.get_text()
    page.title = collapse(title)

    page.column = collapse(metas.get("columnname", ""))
    page.source = collapse(metas.get("contentsource", ""))[:100]
    description = collapse(metas.get("description", ""))
    if description and description != page.title:
        page.summary = description[:300]

    for name in DATE_METAS:
        if metas.get(name):
            page.date_text = metas[name]
            break
    for tag in soup.find_all(DROP_WITH_CONTENT - {"head", "title", "meta"}):
        tag.decompose()
    text = soup.body.get_text(" ") if soup.body else soup.get_text(" ")
    if not page.date_text:
        try:
            found = find_publication_date(text)
        except DateError as error:
            page.date_problem = error.code
            page.date_text = error.value
        else:
            page.date_text = found.isoformat() if found else ""
    if not page.source:
        match = SOURCE_IN_TEXT.search(unicodedata.normalize("NFKC", text))
        if match:
            page.source = match.group(1)[:100]

    container = _container(soup, selectors or CONTENT_SELECTORS)
    page.body_html = container.decode_contents() if container is not None else ""

    host = site_host or urlsplit(url).netloc
    seen = set()
    for anchor in soup.find_all("a", href=True):
        resolved = urljoin(url, anchor["href"].strip())
        parts = urlsplit(resolved)
        if parts.scheme not in ("http", "https", "") or (parts.netloc and parts.netloc != host):
            continue
        if not is_attachment_name(unquote(parts.path)) or parts.path in seen:
            continue
        seen.add(parts.path)
        page.attachments.append(Link(anchor["href"], resolved, collapse(anchor.get_text())))
    return page


def parse_page_date(extracted: ExtractedPage):
    """The page's date as an aware datetime (raises DateError; None when it has none)."""
    if extracted.date_problem:
        raise DateError(extracted.date_problem, extracted.date_text)
    if not extracted.date_text:
        return None
    return parse_date(extracted.date_text)


# --- cleaning ---------------------------------------------------------------------------


@dataclass
class Rewrites:
    """How the cleaner turns the old site's links and images into Wagtail's: ``link(href)``
    returns a document id (an attachment), a URL to keep, or None to drop the link;
    ``image(src)`` returns an image id or None (the image is dropped)."""

    link: Callable[[str], int | str | None]
    image: Callable[[str], int | None]


def _flatten_table(soup: BeautifulSoup, table: Tag) -> None:
    rows = []
    for row in table.find_all("tr"):
        cells = [collapse(cell.get_text(" ")) for cell in row.find_all(["td", "th"])]
        cells = [c for c in cells if c]
        if cells:
            paragraph = soup.new_tag("p")
            paragraph.string = " | ".join(cells)
            rows.append(paragraph)
    for paragraph in reversed(rows):
        table.insert_after(paragraph)
    table.decompose()


def _prepare(soup: BeautifulSoup, rewrites: Rewrites) -> None:
    """Rewrite the old markup into the editor's input format (data-linktype,
    data-embedtype) before Wagtail's whitelist keeps what the features allow."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(DROP_WITH_CONTENT):
        tag.decompose()
    for table in soup.find_all("table"):
        if table.parent is not None:
            _flatten_table(soup, table)
    for old, new in HEADINGS.items():
        for tag in soup.find_all(old):
            tag.name = new
    for anchor in soup.find_all("a"):
        href = (anchor.get("href") or "").strip()
        target = rewrites.link(href) if href and not href.startswith("#") else None
        anchor.attrs = {}
        if isinstance(target, int):
            anchor.attrs = {"data-linktype": "document", "data-id": str(target)}
        elif target:
            anchor.attrs = {"href": target}
        else:
            anchor.unwrap()
    for img in soup.find_all("img"):
        src = (img.get("src") or "").strip()
        image_id = rewrites.image(src) if src else None
        if image_id is None:
            img.decompose()
            continue
        alt = collapse(img.get("alt") or img.get("title") or "")
        img.attrs = {
            "data-embedtype": "image",
            "data-id": str(image_id),
            "data-format": "fullwidth",
            "data-alt": alt,
        }


def _drop_empty_blocks(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for block in soup.find_all(["p", "h2", "h3", "h4", "li"]):
        if not collapse(block.get_text()) and not block.find(["embed", "img"]):
            block.decompose()
    for listing in soup.find_all(["ul", "ol"]):
        if not listing.find("li"):
            listing.decompose()
    return str(soup).strip()


def clean_body(html: str, rewrites: Rewrites, features=None) -> str:
    """``html`` as Wagtail rich text of ``features`` (the default features when None)."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
    from wagtail.rich_text import features as feature_registry

    features = features or feature_registry.get_default_features()
    soup = BeautifulSoup(html or "", "html.parser")
    _prepare(soup, rewrites)
    whitelisted = EditorHTMLConverter(features).to_database_format(str(soup))
    converter = ContentstateConverter(features)
    flat = converter.to_database_format(converter.from_database_format(whitelisted))
    return _drop_empty_blocks(flat)


def has_content(html: str) -> bool:
    soup = BeautifulSoup(html or "", "html.parser")
    return bool(collapse(soup.get_text())) or soup.find("embed") is not None


def plain_text_to_html(text: str) -> str:
    """A body exported as plain text: one paragraph per line."""
    from django.utils.html import escape

    lines = [collapse(line) for line in (text or "").splitlines()]
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


def looks_like_html(text: str) -> bool:
    return bool(
        re.search(r"<\s*(p|div|br|span|a|img|table|h[1-6]|ul|ol|strong|b)\b", text or "", re.I)
    )


__all__ = [
    "CONTENT_SELECTORS",
    "ExtractedPage",
    "Link",
    "Rewrites",
    "clean_body",
    "collapse",
    "decode_html",
    "extract_page",
    "has_content",
    "looks_like_html",
    "parse_page_date",
    "plain_text_to_html",
]
