"""What the inspector reads from the page tree, once per inspection, for every site and
section at the same time: the subjects (sites and bodies' sections), the bodies' areas (who
is responsible for what), every live column with the time of its newest content, and every
broken internal link. Each subject's checks then look at the part of this snapshot under its
root page (checks.py).

A few set-based queries, whatever the number of sites; the link scan reads the rich text of
every live page once (a daily job: a few seconds per ten thousand pages).
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Max
from django.db.models.functions import Substr
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, Site, get_page_models
from wagtail.rich_text import extract_references_from_rich_text

from egov.portal.models import BodyArea, ColumnPage, HomePage, SectionPage
from egov.portal.models.health import SiteHealthReport
from egov.portal.models.pages import DEFAULT_UPDATE_DAYS


@dataclass(frozen=True)
class Area:
    """A body's area: whose editors answer for the pages under ``path``."""

    id: int
    page_id: int
    path: str
    body_id: int
    body_name: str


@dataclass(frozen=True)
class Subject:
    """A site of the group, or a body's section of the portal: what one report is about."""

    page_id: int
    path: str
    title: str
    kind: str  # SiteHealthReport.Kind
    body_id: int | None
    body_name: str
    area: Area | None
    last_published_at: datetime.datetime | None


@dataclass(frozen=True)
class Column:
    page_id: int
    path: str
    title: str
    kind: str
    expected_update_days: int | None
    created_at: datetime.datetime | None  # its first publication
    latest_content_at: datetime.datetime | None  # the newest live page under it, not a column
    has_child_columns: bool
    parent_path: str
    first_level: bool  # directly under a site's home or a section

    @property
    def last_update(self) -> datetime.datetime | None:
        """Since when nothing new has appeared: the newest content, or the column's own
        publication when it has none."""
        return self.latest_content_at or self.created_at

    @property
    def blank(self) -> bool:
        """Nothing published in it since it was created (a column whose only entries are
        sub-columns is judged by those)."""
        return self.latest_content_at is None and not self.has_child_columns


@dataclass(frozen=True)
class BrokenLink:
    page_id: int
    path: str
    title: str  # the page holding the link
    target_type: str  # "page", "document" or "image"
    target_id: str
    target_title: str
    reason: str  # "unpublished", "deleted" or "file_missing"


@dataclass
class Snapshot:
    now: datetime.datetime
    subjects: list[Subject]
    areas: list[Area]
    columns: list[Column]
    broken_links: list[BrokenLink]
    body_root_paths: set[str] = field(default_factory=set)

    def under(self, subject: Subject, items: Iterable):
        """The items (anything with a ``path``) in the subject's part of the tree."""
        return [item for item in items if item.path.startswith(subject.path)]

    def responsible_area(self, path: str) -> Area | None:
        """The nearest body's area above (or at) ``path``."""
        best = None
        for area in self.areas:
            if path.startswith(area.path) and (best is None or len(area.path) > len(best.path)):
                best = area
        return best

    def body_ids_under(self, subject: Subject) -> list[int]:
        return sorted({area.body_id for area in self.areas if area.path.startswith(subject.path)})

    def home_columns(self, subject: Subject) -> list[Column]:
        """The columns whose newest entries the subject's home page shows: the first column
        of each kind news, notices, policies and interpretations directly under it (as
        ``BodyRootPage.feeds``)."""
        from egov.portal.models.pages import FEED_KINDS

        first: dict[str, Column] = {}
        for column in sorted(self.columns, key=lambda c: c.path):
            if column.parent_path == subject.path and column.kind in FEED_KINDS:
                first.setdefault(column.kind, column)
        return list(first.values())


def take_snapshot(now: datetime.datetime) -> Snapshot:
    areas = _areas()
    roots = dict(Page.objects.live().type(HomePage, SectionPage).values_list("path", "pk"))
    return Snapshot(
        now=now,
        subjects=_subjects(areas),
        areas=areas,
        columns=_columns(set(roots)),
        broken_links=list(_broken_links()),
        body_root_paths=set(roots),
    )


def _areas() -> list[Area]:
    return [
        Area(a.pk, a.page_id, a.page.path, a.body_id, a.body.name_zh)
        for a in BodyArea.objects.select_related("page", "body").order_by("page__path")
    ]


def _subjects(areas: list[Area]) -> list[Subject]:
    """Every live site root (owned by a body or not) and every live body's area."""
    site_roots = set(Site.objects.values_list("root_page_id", flat=True))
    area_by_page = {area.page_id: area for area in areas}
    pages = (
        Page.objects.live()
        .filter(pk__in=site_roots | set(area_by_page))
        .order_by("path")
        .values("pk", "path", "title", "last_published_at")
    )
    subjects = []
    for page in pages:
        area = area_by_page.get(page["pk"])
        kind = SiteHealthReport.Kind.SITE if page["pk"] in site_roots else None
        subjects.append(
            Subject(
                page_id=page["pk"],
                path=page["path"],
                title=page["title"],
                kind=kind or SiteHealthReport.Kind.SECTION,
                body_id=area.body_id if area else None,
                body_name=area.body_name if area else "",
                area=area,
                last_published_at=page["last_published_at"],
            )
        )
    return subjects


def _columns(body_root_paths: set[str]) -> list[Column]:
    steplen = Page.steplen
    rows = list(
        ColumnPage.objects.live()
        .order_by("path")
        .values("pk", "path", "title", "kind", "update_interval_days", "first_published_at")
    )
    paths = {row["path"] for row in rows}
    with_child_columns = {path[:-steplen] for path in paths}
    newest = _newest_content_under(paths)
    columns = []
    for row in rows:
        interval = row["update_interval_days"]
        parent_path = row["path"][:-steplen]
        columns.append(
            Column(
                page_id=row["pk"],
                path=row["path"],
                title=row["title"],
                kind=row["kind"],
                expected_update_days=(
                    interval if interval is not None else DEFAULT_UPDATE_DAYS.get(row["kind"])
                ),
                created_at=row["first_published_at"],
                latest_content_at=newest.get(row["path"]),
                has_child_columns=row["path"] in with_child_columns,
                parent_path=parent_path,
                first_level=parent_path in body_root_paths,
            )
        )
    return columns


def _newest_content_under(paths: set[str]) -> dict[str, datetime.datetime]:
    """For each of these paths, the first publication of the newest live page under it that
    is not a column: one grouped query per depth of the paths (a handful), never one per
    column."""
    newest: dict[str, datetime.datetime] = {}
    content = (
        Page.objects.live()
        .exclude(content_type_id=_column_type_id())
        .exclude(first_published_at=None)
    )
    for length in sorted({len(path) for path in paths}):
        grouped = (
            content.filter(depth__gt=length // Page.steplen)
            .annotate(prefix=Substr("path", 1, length))
            .order_by()  # the tree's ordering by path would split every group into pages
            .values("prefix")
            .annotate(newest=Max("first_published_at"))
            .values_list("prefix", "newest")
        )
        newest.update((prefix, moment) for prefix, moment in grouped if prefix in paths)
    return newest


def _column_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(ColumnPage).pk


# --- broken links ---------------------------------------------------------------------


def _link_fields(model) -> list:
    """The model's own rich text and stream fields (inherited concrete fields are read with
    the parent model)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.model is model and isinstance(f, RichTextField | StreamField)
    ]


def _references(field, value) -> Iterator[tuple[type, str]]:
    """(model, id) of every page, document and image the field's value links to or embeds,
    read from the stored data (so that links to deleted pages are found too)."""
    if value is None:
        return
    if isinstance(field, RichTextField):
        for model, pk, _path, _content_path in extract_references_from_rich_text(str(value)):
            yield model, str(pk)
        return
    yield from _block_references(field.stream_block, list(value.raw_data))


def _block_references(block, raw) -> Iterator[tuple[type, str]]:
    if raw is None or raw == "":
        return
    if isinstance(block, blocks.StreamBlock):
        for item in raw:
            child = block.child_blocks.get(item.get("type"))
            if child is not None:
                yield from _block_references(child, item.get("value"))
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from _block_references(child, raw.get(name))
    elif isinstance(block, blocks.ListBlock):
        for item in raw:
            value = item.get("value") if isinstance(item, dict) and "type" in item else item
            yield from _block_references(block.child_block, value)
    elif isinstance(block, blocks.RichTextBlock):
        for model, pk, _path, _content_path in extract_references_from_rich_text(str(raw)):
            yield model, str(pk)
    elif isinstance(block, blocks.ChooserBlock):
        model = block.target_model
        if isinstance(raw, int | str):
            yield model, str(raw)


def _kind_of(model) -> str | None:
    if issubclass(model, Page):
        return "page"
    if issubclass(model, get_document_model()):
        return "document"
    if issubclass(model, get_image_model()):
        return "image"
    return None


def _broken_links() -> Iterator[BrokenLink]:
    links: list[tuple[int, str, str, str, str]] = []  # page id, path, title, kind, target id
    for model in get_page_models():
        fields = _link_fields(model)
        if not fields:
            continue
        rows = model.objects.live().values_list("pk", "path", "title", *[f.attname for f in fields])
        for pk, path, title, *values in rows.iterator(chunk_size=500):
            for field_, value in zip(fields, values, strict=True):
                for target_model, target_id in _references(field_, value):
                    kind = _kind_of(target_model)
                    if kind is not None:
                        links.append((pk, path, title, kind, target_id))
    if not links:
        return
    targets = _targets({kind: {t for *_, k, t in links if k == kind} for kind in _KINDS})
    seen = set()
    for pk, path, title, kind, target_id in links:
        reason, target_title = targets[kind].get(target_id, ("deleted", ""))
        if reason is None or (pk, kind, target_id) in seen:
            continue
        seen.add((pk, kind, target_id))
        yield BrokenLink(pk, path, title, kind, target_id, target_title, reason)


_KINDS = ("page", "document", "image")


def _targets(ids: dict[str, set[str]]) -> dict[str, dict[str, tuple[str | None, str]]]:
    """For each linked id: (None if it works, else why not; its title)."""
    found: dict[str, dict[str, tuple[str | None, str]]] = {kind: {} for kind in _KINDS}
    numeric = {kind: [int(i) for i in values if i.isdigit()] for kind, values in ids.items()}
    for pk, live, title in Page.objects.filter(pk__in=numeric["page"]).values_list(
        "pk", "live", "title"
    ):
        found["page"][str(pk)] = (None if live else "unpublished", title)
    for kind, model in (("document", get_document_model()), ("image", get_image_model())):
        for item in model.objects.filter(pk__in=numeric[kind]):
            exists = bool(item.file.name) and item.file.storage.exists(item.file.name)
            found[kind][str(item.pk)] = (None if exists else "file_missing", item.title)
    return found
