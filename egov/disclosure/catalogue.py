"""The proactive disclosure catalogue (主动公开目录, 第20–21条): the policy documents that
carry a catalogue category, per body and category, with 索引号, 名称, 内容概述, 生成日期 and
发布日期 (第23条); how fast they were published (第26条: within 20 working days of being
formed); and which categories of which body have nothing, or nothing recent.

The publication limit is a ``core.Timer`` of purpose ``disclosure.publication`` on the
document page, started at the date the document was written: when a draft with a category
is saved (so e-supervision sees a draft left unpublished past its limit), and stopped when
the document is first published. A document published without a draft gets its timer at
publication, stopped at once: a late publication is still on record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from egov.core import timers
from egov.core.calendar import CalendarNotCovered
from egov.core.models import Timer
from egov.directory.models import Organisation

from .choices import ARTICLE_20, DISTRICT_ADDITIONS, TOWN_ADDITIONS, Category

PURPOSE = "disclosure.publication"
LIMIT = 20  # 第26条
RECENT_DAYS = 365


def categories_for(body: Organisation) -> list[Category]:
    """The categories a body's catalogue is expected to have: 第20条's for every body, with
    第21条's additions for the district government and for towns and subdistricts."""
    found = list(ARTICLE_20)
    if body.kind in (Organisation.Kind.DISTRICT, Organisation.Kind.GOVERNMENT):
        found += [c for c in DISTRICT_ADDITIONS if c not in found]
    if body.kind in (Organisation.Kind.TOWN, Organisation.Kind.SUBDISTRICT):
        found += [c for c in TOWN_ADDITIONS if c not in found]
    return found


def _open_timer(page):
    return timers.timers_for(page, PURPOSE).filter(stopped_at__isnull=True).first()


def _start(page):
    body = page.publishing_body()
    try:
        return timers.start_timer(
            purpose=PURPOSE,
            subject=page,
            limit=LIMIT,
            unit=timers.Unit.WORKING_DAYS,
            start_date=page.written_on,
            owner_body=body,
            category=page.disclosure_category,
        )
    except CalendarNotCovered:
        return None  # a date the working-day calendar does not hold: nothing to time


def on_document_saved(page) -> None:
    """A draft with a category and a date written: its publication limit runs."""
    if page.live or not page.disclosure_category or not page.written_on or page.pk is None:
        return
    if _open_timer(page) is None and not timers.timers_for(page, PURPOSE).exists():
        transaction.on_commit(lambda: _start_if_still_draft(page.pk), robust=True)


def _start_if_still_draft(pk: int) -> None:
    from egov.portal.models import PolicyDocumentPage

    page = PolicyDocumentPage.objects.filter(pk=pk, live=False).first()
    if page is not None and not timers.timers_for(page, PURPOSE).exists():
        _start(page)


def on_document_published(page) -> None:
    """First publication: the limit stops (started now if it never was)."""
    if not page.disclosure_category or not page.written_on:
        return
    if timers.timers_for(page, PURPOSE).filter(stopped_at__isnull=False).exists():
        return  # published before: the limit was met or missed then
    timer = _open_timer(page) or _start(page)
    if timer is not None:
        timers.stop_timer(timer, reason="published")


# --- reads ------------------------------------------------------------------------------


@dataclass
class Entry:
    index_number: str
    title: str
    summary: str
    written_on: datetime.date | None
    published_on: datetime.date | None
    url: str
    document_number: str = ""


@dataclass
class Section:
    category: Category
    entries: list[Entry] = field(default_factory=list)


def _documents(body: Organisation):
    from egov.portal.models import IndexNumber

    return (
        IndexNumber.objects.filter(body=body, page__live=True, page__disclosure_category__gt="")
        .select_related("page")
        .order_by("-page__first_published_at", "-sequence")
    )


def catalogue(body: Organisation, request=None) -> list[Section]:
    """The body's catalogue, category by category (the expected ones first, each even when
    empty, then any other category it used), newest first within a category."""
    sections = {category: Section(category) for category in categories_for(body)}
    for record in _documents(body):
        page = record.page
        category = Category(page.disclosure_category)
        section = sections.setdefault(category, Section(category))
        published = page.first_published_at
        section.entries.append(
            Entry(
                index_number=record.number,
                title=page.title,
                summary=page.summary,
                written_on=page.written_on,
                published_on=timezone.localdate(published) if published else None,
                url=page.get_url(request) or page.url_path,
                document_number=page.document_number,
            )
        )
    return list(sections.values())


@dataclass
class Gap:
    body: Organisation
    empty: list[Category]
    stale: list[tuple[Category, datetime.date]]
    late: int
    published: int


def completeness(bodies, today: datetime.date | None = None) -> list[Gap]:
    """For each body: the expected categories with nothing published, those with nothing in
    the last year (and their latest date), and how many documents were published after their
    20-working-day limit. Two grouped queries for all the bodies together."""
    from egov.portal.models import IndexNumber

    today = today or timezone.localdate()
    bodies = list(bodies)
    latest = {}
    for row in (
        IndexNumber.objects.filter(
            body__in=bodies, page__live=True, page__disclosure_category__gt=""
        )
        .values("body_id", "page__disclosure_category")
        .annotate(n=Count("pk"), last=Max("page__first_published_at"))
    ):
        latest[(row["body_id"], row["page__disclosure_category"])] = (row["n"], row["last"])
    late = dict(
        Timer.objects.filter(purpose=PURPOSE, owner_body__in=bodies, stopped_at__isnull=False)
        .filter(stopped_at__date__gt=F("due_date"))
        .values_list("owner_body_id")
        .annotate(n=Count("pk"))
    )
    since = today - datetime.timedelta(days=RECENT_DAYS)
    gaps = []
    for body in bodies:
        empty, stale, published = [], [], 0
        for category in categories_for(body):
            n, last = latest.get((body.pk, category.value), (0, None))
            published += n
            if not n:
                empty.append(category)
            elif timezone.localdate(last) < since:
                stale.append((category, timezone.localdate(last)))
        gaps.append(Gap(body, empty, stale, late.get(body.pk, 0), published))
    return gaps
