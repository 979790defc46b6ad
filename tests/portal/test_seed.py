"""manage.py seed_portal: the demo site group — hundreds of articles across the portal, its
sections and the congress's site, fresh, stale and blank columns — loaded once and safe to
load again; the search and the site health inspector see it as they see any content."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex, Revision, Site
from wagtail.search.models import IndexEntry

from egov.core.models import AuditEntry
from egov.directory.demo import seed_demo
from egov.portal import search
from egov.portal.inspector.checks import PROBLEM
from egov.portal.inspector.rules import Check
from egov.portal.inspector.services import inspect_sites
from egov.portal.models import (
    ArticlePage,
    BodyArea,
    ColumnKind,
    ColumnPage,
    HomePage,
    InterpretationPage,
    PolicyDocumentPage,
    SearchEntry,
    SectionPage,
    Synonym,
    Validity,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("seed_portal", *args, stdout=out)
    return out.getvalue()


def latest(column: ColumnPage):
    return column.entries().first()


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "audit": AuditEntry.objects.count(),
        "search entries": SearchEntry.objects.count(),
        "synonyms": Synonym.objects.count(),
        "index entries": IndexEntry.objects.count(),
        "references": ReferenceIndex.objects.count(),
    }


def test_seed_portal_needs_the_directorys_bodies():
    with pytest.raises(CommandError, match="seed_demo"):
        run()


def test_seed_portal_builds_the_demo_site_group_and_runs_again_without_change():
    """One seeding for every check of the demo (it takes tens of seconds): what it builds,
    that a second run changes nothing, the search, the inspector, and an editor's changes
    surviving a third run."""
    seed_demo()
    output = run("--congress-host", "rd.example.test", "--port", "8000")
    assert "Pages created and published:" in output

    portal = Site.objects.get(is_default_site=True)
    home = portal.root_page.specific
    assert isinstance(home, HomePage) and home.body.code == "YC-ZF"
    congress = Site.objects.get(hostname="rd.example.test", port=8000)
    assert congress.root_page.specific.body.code == "YC-RD"
    assert set(SectionPage.objects.values_list("body__code", flat=True)) == {
        "YC-SCJG", "YC-RSJ", "YC-JYW", "YC-FGW", "YC-QF", "YC-JL", "YC-LJ", "YC-ZSL",
    }  # fmt: skip
    assert BodyArea.objects.count() == 10
    assert PolicyDocumentPage.objects.filter(validity=Validity.AMENDED).get().changed_by

    # Hundreds of articles, in the portal's columns and topics, in sections and on the
    # congress's site; every page published with a revision.
    articles = ArticlePage.objects.live()
    assert articles.count() >= 400
    assert articles.descendant_of(congress.root_page).count() >= 20
    for section in SectionPage.objects.exclude(body__code="YC-LJ"):
        assert articles.descendant_of(section).count() >= 10, section.title
    assert PolicyDocumentPage.objects.live().count() >= 25
    assert InterpretationPage.objects.live().count() >= 15
    assert not Page.objects.filter(depth__gt=1, live_revision=None).exists()

    # Varied: the portal's news do not repeat a title, and they go back months.
    now = timezone.now()
    news = ColumnPage.objects.get(
        kind=ColumnKind.NEWS, depth=home.depth + 1, path__startswith=home.path
    )
    items = list(news.entries().specific())
    assert len(items) >= 100
    assert len({item.title for item in items}) == len(items)
    assert len({item.content for item in items}) > len(items) * 0.9
    ages = [now - item.first_published_at for item in items]
    assert min(ages) < datetime.timedelta(days=1)
    assert max(ages) > datetime.timedelta(days=300)
    assert all(age > datetime.timedelta(0) for age in ages)

    # Document numbers run through each year without repeating, and index numbers follow
    # the dates of publication.
    documents = list(PolicyDocumentPage.objects.order_by("first_published_at"))
    assert all(d.index_number.startswith("11500383009338112H/") for d in documents)
    numbers = [d.document_number for d in documents]
    assert len(set(numbers)) == len(numbers)
    assert all(f"〔{d.written_on.year}〕" in d.document_number for d in documents)
    this_year = [
        d.index_number for d in documents if d.index_number.split("/")[1][:4] == str(now.year)
    ]
    assert this_year == sorted(this_year)

    # Fresh, stale and blank columns, as the site health inspector will see them.
    columns = ColumnPage.objects.live()
    news_columns = [c for c in columns if c.kind == ColumnKind.NEWS]
    idle = {
        c.get_parent().title: now - latest(c).first_published_at for c in news_columns if latest(c)
    }
    assert idle["永川区人民政府网"] < datetime.timedelta(days=2)
    assert idle["中山路街道"] < datetime.timedelta(days=2)
    assert idle["区教委"] > datetime.timedelta(days=14)
    assert idle["青峰镇"] > datetime.timedelta(days=14)
    notice_idle = [
        now - latest(c).first_published_at
        for c in columns.filter(kind=ColumnKind.NOTICE)
        if latest(c)
    ]
    assert any(age > datetime.timedelta(days=180) for age in notice_idle)
    blank = [c for c in columns if not c.entries().exists() and c.is_dated]
    assert len(blank) >= 5

    editor_groups = set(
        BodyArea.objects.filter(body__code="YC-ZF").values_list(
            "editors__user__username", flat=True
        )
    )
    assert editor_groups == {"editor"}

    before = counts()
    again = run("--congress-host", "rd.example.test")
    assert "nothing created" in again
    assert counts() == before

    check_the_demo_is_in_the_search_with_its_synonyms()
    check_the_inspector_finds_the_demos_stale_and_blank_columns()
    check_running_again_keeps_what_editors_changed(home)


def check_running_again_keeps_what_editors_changed(demo):
    article = ArticlePage.objects.get(url_path=demo.url_path + "news/news-20/")
    article.title = "编辑改过的标题"
    article.save_revision().publish()
    Synonym.objects.filter(terms__contains="公租房").delete()
    Synonym.objects.create(terms="公租房, 廉租房")

    before = counts()
    output = run("--congress-host", "rd.example.test")
    assert "nothing created" in output
    article.refresh_from_db()
    assert article.title == "编辑改过的标题"
    assert Synonym.objects.get(terms__contains="公租房").term_list() == ["公租房", "廉租房"]
    assert counts() == before


def check_the_demo_is_in_the_search_with_its_synonyms():
    article_type = ContentType.objects.get_for_model(ArticlePage)
    # Every live page has its entry, and Wagtail's own index (the CMS's page search) has
    # every article, once.
    assert SearchEntry.objects.count() == Page.objects.live().filter(depth__gt=1).count()
    assert (
        IndexEntry.objects.filter(content_type=article_type).count() == ArticlePage.objects.count()
    )
    assert (
        IndexEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(SearchEntry)
        ).count()
        == SearchEntry.objects.count()
    )
    # The reference index knows which document an interpretation interprets.
    interpretation = InterpretationPage.objects.filter(policy__isnull=False).first()
    assert (
        ReferenceIndex.get_references_for_object(interpretation)
        .filter(to_object_id=str(interpretation.policy_id))
        .exists()
    )

    assert Synonym.objects.count() >= 10
    found = [entry.title for entry in search.search("社保").results]
    assert any("社会保险" in title and "社保" not in title for title in found)
    assert any("社保" in title for title in found)

    document = PolicyDocumentPage.objects.get(slug="business")
    by_number = [entry.page_id for entry in search.search(document.document_number).results]
    assert document.pk in by_number and len(by_number) <= 2  # 永川府发 and 永川府办发 N号
    by_index = [entry.page_id for entry in search.search(document.index_number).results]
    assert by_index == [document.pk]
    town = SectionPage.objects.get(body__code="YC-ZSL")
    within = search.search("老旧小区", search.SearchFilters(within=town)).results
    assert within.count() >= 1
    assert all(entry.page.path.startswith(town.path) for entry in within)


def check_the_inspector_finds_the_demos_stale_and_blank_columns():
    inspection = inspect_sites(notify=False)
    reports = {report.title: report for report in inspection.reports}
    assert {"永川区人民政府网", "永川区人大常委会", "区教委", "临江镇", "中山路街道"} <= set(
        reports
    )

    portal = reports["永川区人民政府网"]
    problems = {
        (f["check"], f["body"], f["title"]) for f in portal.findings if f["level"] == PROBLEM
    }
    idle, blank = Check.IDLE.value, Check.BLANK.value
    assert (idle, "区教委", "工作动态") in problems
    assert (idle, "青峰镇", "镇街动态") in problems
    assert (idle, "青峰镇", "通知公告") in problems
    assert (blank, "永川区人民政府", "人事信息") in problems
    assert (blank, "临江镇", "镇街动态") in problems
    assert (blank, "区教委", "通知公告") in problems
    # Fresh columns are not reported.
    assert (idle, "永川区人民政府", "要闻动态") not in problems
    assert (idle, "中山路街道", "镇街动态") not in problems
    assert portal.counts[blank] >= 5 and not portal.passed

    assert reports["中山路街道"].passed and not reports["中山路街道"].findings
    assert reports["区教委"].counts[idle] == 1
    # A news column idle for 11 of its 14 days: its body's editors are warned.
    warned = {(w["body"], w["title"]) for w in reports["区发展改革委"].warnings}
    assert ("区发展改革委", "工作动态") in warned
