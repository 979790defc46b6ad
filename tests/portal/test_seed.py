"""manage.py seed_portal: the demo site group, loaded once and safe to load again."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page, Site

from egov.core.models import AuditEntry
from egov.directory.demo import seed_demo
from egov.portal.models import (
    ArticlePage,
    BodyArea,
    ColumnKind,
    ColumnPage,
    HomePage,
    PolicyDocumentPage,
    SectionPage,
    Validity,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("seed_portal", *args, stdout=out)
    return out.getvalue()


def latest(column: ColumnPage):
    return column.entries().first()


def test_seed_portal_needs_the_directorys_bodies():
    with pytest.raises(CommandError, match="seed_demo"):
        run()


def test_seed_portal_builds_the_demo_site_group_and_runs_again_without_change():
    seed_demo()
    output = run("--congress-host", "rd.example.test", "--port", "8000")
    assert "Pages created and published:" in output

    portal = Site.objects.get(is_default_site=True)
    home = portal.root_page.specific
    assert isinstance(home, HomePage) and home.body.code == "YC-ZF"
    congress = Site.objects.get(hostname="rd.example.test", port=8000)
    assert congress.root_page.specific.body.code == "YC-RD"
    assert set(SectionPage.objects.values_list("body__code", flat=True)) == {
        "YC-SCJG", "YC-RSJ", "YC-JYW", "YC-QF", "YC-JL", "YC-LJ",
    }  # fmt: skip
    assert BodyArea.objects.count() == 8
    assert ArticlePage.objects.live().count() >= 40
    assert PolicyDocumentPage.objects.filter(validity=Validity.AMENDED).get().changed_by

    documents = PolicyDocumentPage.objects.order_by("pk")
    assert all(d.index_number.startswith("11500383009338112H/") for d in documents)

    # Fresh, stale and blank columns, as the site health inspector will see them.
    now = timezone.now()
    columns = ColumnPage.objects.live()
    news = [c for c in columns if c.kind == ColumnKind.NEWS]
    idle = {c.get_parent().title: now - latest(c).first_published_at for c in news if latest(c)}
    assert idle["永川区人民政府网"] < datetime.timedelta(days=2)
    assert idle["区教委"] > datetime.timedelta(days=14)
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

    pages, entries = Page.objects.count(), AuditEntry.objects.count()
    again = run("--congress-host", "rd.example.test")
    assert "nothing created" in again
    assert Page.objects.count() == pages
    assert AuditEntry.objects.count() == entries
