"""The proactive catalogue (第20–23条, 第26条): documents with a category are listed in
their body's catalogue with 索引号, 名称, 内容概述, 生成日期, 发布日期; their 20-working-day
publication limit is a timer that e-supervision watches; the completeness view names the
empty and stale categories and the late publications."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from egov.core.models import Timer
from egov.disclosure import catalogue
from egov.disclosure.choices import ARTICLE_20, DISTRICT_ADDITIONS, TOWN_ADDITIONS, Category
from tests.conftest import login_verified
from tests.portal.conftest import add_document, bodies, portal  # noqa: F401 - fixtures

D = datetime.date


def _timer(page):
    return Timer.objects.get(
        purpose=catalogue.PURPOSE, subject_type="portal.policydocumentpage", subject_id=str(page.pk)
    )


def test_each_kind_of_body_expects_its_categories(bodies):  # noqa: F811
    assert catalogue.categories_for(bodies["YC-SCJG"]) == ARTICLE_20
    district = catalogue.categories_for(bodies["YC-ZF"])
    assert district[:15] == ARTICLE_20 and set(DISTRICT_ADDITIONS) <= set(district)
    town = catalogue.categories_for(bodies["YC-QF"])
    assert set(TOWN_ADDITIONS) <= set(town) and Category.MUNICIPAL not in town
    assert len(ARTICLE_20) == 15


def test_a_draft_runs_its_publication_limit_and_supervision_sees_it_late(
    portal,  # noqa: F811
    django_capture_on_commit_callbacks,  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = add_document(
            portal["policies"],
            "永川区2026年财政预算",
            publish=False,
            written_on=D(2026, 9, 24),
            disclosure_category=Category.BUDGET,
        )
    timer = _timer(draft)
    assert timer.start_date == D(2026, 9, 24)
    assert timer.due_date == D(2026, 10, 29)  # 20 working days across 中秋节 and 国庆节
    assert timer.owner_body.code == "YC-ZF" and timer.stopped_at is None

    from egov.supervision import services as supervision
    from egov.supervision.models import Signal

    supervision.sweep(D(2026, 11, 9))
    assert Signal.objects.filter(timer=timer).exists()

    draft.save_revision().publish()
    timer.refresh_from_db()
    assert timer.stopped_at is not None and timer.stop_reason == "published"
    # Published again later: the record of the first publication stays.
    draft.refresh_from_db()
    draft.save_revision().publish()
    assert Timer.objects.filter(purpose=catalogue.PURPOSE).count() == 1


def test_a_document_without_category_is_not_timed_nor_catalogued(portal):  # noqa: F811
    add_document(portal["policies"], "某通知")
    assert not Timer.objects.filter(purpose=catalogue.PURPOSE).exists()
    sections = catalogue.catalogue(portal["home"].body)
    assert all(not section.entries for section in sections)


def test_the_catalogue_page_lists_what_the_regulation_asks(client, portal):  # noqa: F811
    document = add_document(
        portal["policies"],
        "永川区2026年政府集中采购目录",
        written_on=timezone.localdate() - datetime.timedelta(days=3),
        disclosure_category=Category.PROCUREMENT,
        summary="集中采购目录及限额标准",
        document_number="永川府办发〔2026〕9号",
    )
    number = document.index_record.number
    response = client.get("/disclosure/catalogue/YC-ZF/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        number,
        "永川区2026年政府集中采购目录",
        "集中采购目录及限额标准",
        "永川府办发〔2026〕9号",
        (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        timezone.localdate().isoformat(),
        "重庆市永川区人民大道",  # the guide (第12条): where to ask
        "/disclosure/apply/",
    ):
        assert text in page, text
    # every expected category has its section, an empty one says so
    assert page.count('<section id="') == len(catalogue.categories_for(portal["home"].body))
    assert "本类别暂无公开信息" in page or "Nothing published in this category yet." in page
    assert client.get("/disclosure/catalogue/NOPE/").status_code == 404
    assert "/disclosure/catalogue/YC-ZF/" in client.get("/disclosure/catalogue/").content.decode()


def test_completeness_names_empty_and_stale_categories_and_late_publications(
    client,
    portal,  # noqa: F811
    make_staff_for_portal,  # noqa: F811
):
    today = timezone.localdate()
    add_document(
        portal["policies"],
        "预算",
        written_on=today - datetime.timedelta(days=2),
        disclosure_category=Category.BUDGET,
    )
    add_document(  # written long before it was published: late
        portal["policies"],
        "统计公报",
        written_on=D(2026, 9, 24),
        disclosure_category=Category.STATISTICS,
    )
    gov = portal["home"].body
    gap = catalogue.completeness([gov], today)[0]
    assert gap.published == 2
    assert Category.BUDGET not in gap.empty and Category.STATISTICS not in gap.empty
    assert Category.PROCUREMENT in gap.empty
    assert gap.late == 1
    future = catalogue.completeness([gov], today + datetime.timedelta(days=400))[0]
    assert {category for category, _day in future.stale} == {Category.BUDGET, Category.STATISTICS}

    supervisor = make_staff_for_portal("supervisor")
    login_verified(client, supervisor)
    page = client.get("/staff/disclosure/completeness/").content.decode()
    assert gov.name_zh in page
    citizen_page = client.__class__().get("/staff/disclosure/completeness/")
    assert citizen_page.status_code in (302, 403)


@pytest.fixture
def make_staff_for_portal(bodies):  # noqa: F811
    from egov.accounts.models import User
    from egov.directory.models import Membership, Role

    def make(role: str):
        user = User.objects.create_user(
            username=role, kind=User.Kind.STAFF, is_staff=True, password="Staff-test-2026"
        )
        Membership.objects.create(
            user=user, organisation=bodies["YC"], role=Role.objects.get(code=role)
        )
        return User.objects.get(pk=user.pk)

    return make
