"""The import itself: each record of a source checked, then written in a transaction of its
own — its attachments as Wagtail documents, its images, an article page under its column with
the original publication date, and a permanent redirect from its old address. A record that
fails a check, or whose writing fails, is reported with the reason and the import goes on.

Running the same import again creates nothing twice: a record is already imported when its
old address redirects to an article of the same title in the same column, or (without an
old address) when that column has an article of the same title first published at the same
moment.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import LogContext, log
from wagtail.models import Page

from egov.core.audit import record as audit
from egov.portal.importer import html as html_pages
from egov.portal.importer.dates import DateError, parse_date
from egov.portal.importer.files import (
    IMAGE_TYPES,
    CheckedFile,
    FileRefusedError,
    check_file,
    is_attachment_name,
    resolve_local,
)
from egov.portal.importer.mapping import ColumnMap, Target
from egov.portal.importer.records import (
    EXISTS,
    FAILED,
    IMPORTED,
    REDIRECTED,
    WOULD_IMPORT,
    WOULD_REDIRECT,
    ImportReport,
    Record,
    RowResult,
)
from egov.portal.models import ArticlePage, ColumnPage
from egov.portal.search import follow_pages

logger = logging.getLogger(__name__)

TITLE_LIMIT = 255
SLUG_LIMIT = 60
DEFAULT_ATTACHMENTS_HEADING = "附件："
IMPORTED_ACTION = "portal.import.finished"


@dataclass
class ImportOptions:
    dry_run: bool = False
    draft: bool = False  # save pages as drafts for the review instead of publishing them
    user: object = None  # who runs the import: the actor of the audit entries
    attachments_heading: str = DEFAULT_ATTACHMENTS_HEADING
    limit: int | None = None


class RowFailedError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class CheckedRecord:
    """A record that passed every check, ready to be written."""

    record: Record
    title: str
    published: object  # aware datetime
    column: ColumnPage
    body: str  # the source's HTML
    documents: dict  # local path → (CheckedFile, label)
    unlinked: list  # (href, label) of attachments the body does not link to
    images: dict  # local path → CheckedFile
    notes: list
    old_path: str


def _is_local(url: str, record: Record) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return False
    return not parts.netloc or parts.netloc == record.site_host


def _local_path(href: str, record: Record, *, relative_to_page: bool) -> Path:
    """The file under the record's files root that ``href`` (a link of the body, or an
    attachment entry) names. Raises FileRefusedError when it lies outside the folder."""
    href = href.strip()
    parts = urlsplit(href)
    if parts.netloc or href.startswith("/"):
        return resolve_local(record.files_root, unquote(parts.path))
    if relative_to_page and record.base_url:
        return resolve_local(
            record.files_root, unquote(urlsplit(urljoin(record.base_url, href)).path)
        )
    return resolve_local(record.files_root, unquote(parts.path))


def _label(ref_label: str, path: Path) -> str:
    return (html_pages.collapse(ref_label) or path.stem)[:TITLE_LIMIT]


class Importer:
    def __init__(self, target: Target, columns: ColumnMap, options: ImportOptions):
        self.target = target
        self.columns = columns
        self.options = options
        self.seen_keys: set = set()  # dry run: what this run would already have made
        self.seen_paths: set = set()

    # --- checks (no writing) -----------------------------------------------------------

    def _published(self, record: Record):
        if record.date_problem:
            raise RowFailedError(
                _("The date '%(date)s' does not exist.") % {"date": record.date_text}
            )
        if not record.date_text.strip():
            raise RowFailedError(_("No publication date found."))
        try:
            published = parse_date(record.date_text)
        except DateError as error:
            if error.code == "impossible":
                raise RowFailedError(
                    _("The date '%(date)s' does not exist.") % {"date": record.date_text}
                ) from None
            raise RowFailedError(
                _("The date '%(date)s' cannot be read; write it as 2023-05-06 or 2023-05-06 10:20.")
                % {"date": record.date_text}
            ) from None
        if published > timezone.now():
            raise RowFailedError(
                _("The date %(date)s is in the future.")
                % {"date": published.strftime("%Y-%m-%d %H:%M")}
            )
        return published

    def _attachments(self, record: Record, body_links: list[tuple[str, str]]):
        """Every file the record attaches (its attachment list, and the body's links to
        files of the old site), checked; and those the body does not link to."""
        documents: dict[Path, tuple[CheckedFile, str]] = {}
        linked: set[Path] = set()
        for href, label in body_links:
            path = _local_path(href, record, relative_to_page=True)
            documents[path] = (check_file(path, label=href), label)
            linked.add(path)
        unlinked = []
        for ref in record.attachments:
            if not _is_local(ref.href, record):
                unlinked.append((ref.href, ref.label))
                continue
            path = _local_path(ref.href, record, relative_to_page=False)
            if path not in documents:
                documents[path] = (check_file(path, label=ref.href), ref.label)
            if path not in linked:
                linked.add(path)
                unlinked.append((ref.href, ref.label))
        return documents, unlinked

    def check(self, record: Record) -> CheckedRecord:
        if record.problem:
            raise RowFailedError(record.problem)
        title = html_pages.collapse(record.title)
        if not title:
            raise RowFailedError(_("The record has no title."))
        if len(title) > TITLE_LIMIT:
            raise RowFailedError(
                _("The title has %(count)d characters; at most %(limit)d fit.")
                % {"count": len(title), "limit": TITLE_LIMIT}
            )
        published = self._published(record)
        column, problem = self.columns.column_for(record.column, record.old_url)
        if column is None:
            raise RowFailedError(problem)

        soup = BeautifulSoup(record.body or "", "html.parser")
        for tag in soup.find_all(html_pages.DROP_WITH_CONTENT):
            tag.decompose()
        body_links = []
        for anchor in soup.find_all("a", href=True):
            href = anchor["href"].strip()
            if _is_local(href, record) and is_attachment_name(unquote(urlsplit(href).path)):
                body_links.append((href, html_pages.collapse(anchor.get_text())))
        try:
            documents, unlinked = self._attachments(record, body_links)
        except FileRefusedError as refused:
            raise RowFailedError(
                _("Attachment refused: %(reason)s") % {"reason": refused.message}
            ) from None

        notes, images = [], {}
        for img in soup.find_all("img"):
            src = (img.get("src") or "").strip()
            if not src or src.startswith("data:"):
                continue
            if not _is_local(src, record):
                notes.append(_("Image %(src)s is on another site and was left out.") % {"src": src})
                continue
            try:
                path = _local_path(src, record, relative_to_page=True)
                images[path] = check_file(path, kinds=IMAGE_TYPES, label=src)
            except FileRefusedError as refused:
                notes.append(_("Image left out: %(reason)s") % {"reason": refused.message})
        has_text = bool(html_pages.collapse(soup.get_text()))
        if not has_text and not images and not documents and not unlinked:
            raise RowFailedError(_("The body is empty and there are no attachments."))
        old = Redirect.normalise_path(record.old_url) if record.old_url else ""
        return CheckedRecord(
            record=record,
            title=title,
            published=published,
            column=column,
            body=record.body or "",
            documents=documents,
            unlinked=unlinked,
            images=images,
            notes=notes,
            old_path=old,
        )

    def existing(self, checked: CheckedRecord) -> Page | None:
        """The page an earlier run made of this record, or None. Raises RowFailedError when the
        old address already leads somewhere else."""
        if checked.old_path:
            redirect = (
                Redirect.objects.filter(site=self.target.site, old_path=checked.old_path)
                .select_related("redirect_page")
                .first()
            )
            if redirect is not None:
                page = redirect.redirect_page
                if (
                    page is not None
                    and page.title == checked.title
                    and page.get_parent().pk == checked.column.pk
                ):
                    return page
                raise RowFailedError(
                    _(
                        "The old address %(path)s already leads to %(link)s; delete that "
                        "redirect (CMS → Settings → Redirects) to import this record."
                    )
                    % {"path": checked.old_path, "link": redirect.link or "-"}
                )
        return (
            ArticlePage.objects.child_of(checked.column)
            .filter(title=checked.title, first_published_at=checked.published)
            .first()
        )

    # --- writing -----------------------------------------------------------------------

    def _slug(self, checked: CheckedRecord) -> str:
        stem = Path(unquote(urlsplit(checked.record.old_url).path)).stem
        base = slugify(stem)[:SLUG_LIMIT].strip("-")
        if not base or base in {"index", "default", "content"}:
            base = "a-" + checked.published.strftime("%Y%m%d")
        taken = set(
            checked.column.get_children()
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    def _store(self, model, checked_file: CheckedFile, title: str, stored: list):
        existing = model.objects.filter(
            file_hash=checked_file.sha1, collection=self.target.collection
        ).first()
        if existing is not None:
            return existing
        from django.core.files.base import ContentFile

        if model is get_image_model():
            from django.core.files.images import ImageFile

            content = ImageFile(ContentFile(checked_file.data), name=checked_file.name)
        else:
            content = ContentFile(checked_file.data, name=checked_file.name)
        obj = model(
            title=title,
            file=content,
            collection=self.target.collection,
            uploaded_by_user=self.options.user,
        )
        obj.file_size = len(checked_file.data)
        obj.file_hash = checked_file.sha1
        obj.save()
        stored.append((obj.file.storage, obj.file.name))
        return obj

    def _body(self, checked: CheckedRecord, documents: dict, images: dict) -> str:
        record = checked.record
        html = checked.body
        if checked.unlinked:
            items = "".join(
                f'<li><a href="{escape(href)}">{escape(label or Path(urlsplit(href).path).name)}</a></li>'
                for href, label in checked.unlinked
            )
            html += f"<p>{escape(self.options.attachments_heading)}</p><ul>{items}</ul>"

        def link(href: str):
            if _is_local(href, record):
                path_part = unquote(urlsplit(href).path)
                if is_attachment_name(path_part):
                    for relative in (True, False):
                        try:
                            path = _local_path(href, record, relative_to_page=relative)
                        except FileRefusedError:
                            continue
                        if path in documents:
                            return documents[path].pk
                    return None
                # A link to another page of the old site: its old address, which redirects.
                return urljoin(record.base_url, href) if record.base_url else href
            return href

        def image(src: str):
            if not _is_local(src, record):
                return None
            try:
                path = _local_path(src, record, relative_to_page=True)
            except FileRefusedError:
                return None
            found = images.get(path)
            return found.pk if found else None

        cleaned = html_pages.clean_body(html, html_pages.Rewrites(link=link, image=image))
        # Links back to the old site's own host become paths on this one.
        if record.site_host:
            cleaned = re.sub(
                r'href="https?://' + re.escape(record.site_host) + r'(/[^"]*)?"',
                lambda m: f'href="{m.group(1) or "/"}"',
                cleaned,
            )
        return cleaned

    def write(self, checked: CheckedRecord) -> Page:
        user = self.options.user
        stored: list[str] = []
        try:
            with transaction.atomic(), LogContext(user=user):
                documents = {
                    path: self._store(
                        get_document_model(), checked_file, _label(label, path), stored
                    )
                    for path, (checked_file, label) in checked.documents.items()
                }
                images = {
                    path: self._store(get_image_model(), checked_file, path.stem, stored)
                    for path, checked_file in checked.images.items()
                }
                record = checked.record
                page = ArticlePage(
                    title=checked.title,
                    slug=self._slug(checked),
                    content=self._body(checked, documents, images),
                    summary=record.summary,
                    source=record.source,
                    live=False,
                    owner=user,
                    first_published_at=checked.published,
                )
                checked.column.add_child(instance=page)
                log(instance=page, action="wagtail.create", user=user)
                revision = page.save_revision(user=user, log_action=True)
                if not self.options.draft:
                    revision.publish(user=user, skip_permission_checks=True)
                    Page.objects.filter(pk=page.pk).update(
                        first_published_at=checked.published,
                        last_published_at=checked.published,
                    )
                    follow_pages(ids=[page.pk])  # the search entry takes the original date
                if checked.old_path:
                    Redirect.objects.create(
                        old_path=checked.old_path,
                        site=self.target.site,
                        redirect_page=page,
                        is_permanent=True,
                    )
        except Exception:
            for storage, name in stored:
                storage.delete(name)
            raise
        page.refresh_from_db()
        return page

    def _ensure_redirect(self, old_path: str, page: Page) -> None:
        if self.options.dry_run or not old_path:
            return
        Redirect.objects.get_or_create(
            old_path=old_path,
            site=self.target.site,
            defaults={"redirect_page": page, "is_permanent": True},
        )

    # --- one record --------------------------------------------------------------------

    def listing(self, record: Record) -> RowResult | None:
        """An old list page (a column's index, the old home): its address leads to the
        column now. None when the record is not one."""
        if not record.sitemap_entry or not record.old_url or urlsplit(record.old_url).query:
            return None
        page = self.columns.listing_target(record.old_url)
        if page is None:
            return None
        old = Redirect.normalise_path(record.old_url)
        last = old.rsplit("/", 1)[-1].lower()
        paths = [old]
        if last.startswith(("index.", "default.")):
            # The column's directory itself (/xwzx/gzdt/) was its address too.
            paths.append(Redirect.normalise_path(old[: -len(last)]))
        result = RowResult(
            where=record.where,
            outcome=WOULD_REDIRECT if self.options.dry_run else REDIRECTED,
            title=page.title,
            old_url=record.old_url,
            page_id=page.pk,
            new_url=page.url or "",
        )
        for path in paths:
            if path == "/":
                continue  # the new home answers the old home's address itself
            existing = Redirect.objects.filter(site=self.target.site, old_path=path).first()
            if existing is None and not self.options.dry_run:
                Redirect.objects.create(
                    old_path=path, site=self.target.site, redirect_page=page, is_permanent=True
                )
            elif existing is not None and existing.redirect_page_id != page.pk:
                result.outcome = FAILED
                result.reason = _("The old address %(path)s already leads to %(link)s.") % {
                    "path": path,
                    "link": existing.link or "-",
                }
        return result

    def import_record(self, record: Record) -> RowResult:
        result = self.listing(record)
        if result is not None:
            return result
        result = RowResult(
            where=record.where, outcome=FAILED, title=record.title, old_url=record.old_url
        )
        try:
            checked = self.check(record)
            result.title = checked.title
            result.notes = checked.notes
            page = self.existing(checked)
            key = (checked.column.pk, checked.title, checked.published)
            if (
                page is None
                and self.options.dry_run
                and (
                    key in self.seen_keys
                    or (checked.old_path and checked.old_path in self.seen_paths)
                )
            ):
                result.outcome = EXISTS
                return result
            if page is not None:
                self._ensure_redirect(checked.old_path, page)
                result.outcome, result.page_id, result.new_url = EXISTS, page.pk, page.url or ""
                return result
            if self.options.dry_run:
                self.seen_keys.add(key)
                self.seen_paths.add(checked.old_path)
                result.outcome = WOULD_IMPORT
                return result
            page = self.write(checked)
            result.outcome, result.page_id = IMPORTED, page.pk
            result.new_url = page.url or ""
        except RowFailedError as failure:
            result.reason = failure.reason
        except Exception as error:  # a bug or a database error: report it, go on
            logger.exception("importing %s failed", record.where)
            result.reason = _("Unexpected error: %(error)s") % {
                "error": f"{type(error).__name__}: {error}"
            }
        return result


def import_source(
    source,
    target: Target,
    columns: ColumnMap,
    options: ImportOptions,
    progress: Callable[[int, int, RowResult], None] | None = None,
) -> ImportReport:
    """Import every record of ``source`` into ``target``; never stops at a bad record.
    ``progress(done, total, result)`` is called after each record."""
    importer = Importer(target, columns, options)
    report = ImportReport(source=str(source), dry_run=options.dry_run)
    total = len(source)
    if options.limit is not None:
        total = min(total, options.limit)
    for number, record in enumerate(source.records(), start=1):
        if options.limit is not None and number > options.limit:
            break
        result = importer.import_record(record)
        report.results.append(result)
        if progress is not None:
            progress(number, total, result)
    if not options.dry_run:
        audit(
            IMPORTED_ACTION,
            actor=options.user,
            body=target.body,
            obj=target.root,
            detail={
                "source": str(source),
                "draft": options.draft,
                "counts": report.counts(),
            },
        )
    return report
