"""The site health inspector: each single-veto check raised on crafted data and silent on
clean data, the score and verdict, warnings before a limit is crossed (records and e-mail),
one report per site and day, and the nightly task."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from wagtail.documents import get_document_model
from wagtail.models import Page

from egov.portal import services
from egov.portal.inspector import rules as r
from egov.portal.inspector.checks import PROBLEM, Finding, deductions_of, vetoes_of
from egov.portal.inspector.messages import describe
from egov.portal.inspector.rules import Check, Rules
from egov.portal.inspector.services import inspect_sites
from egov.portal.inspector.services_source import PublishedServiceGuides
from egov.portal.inspector.sources import (
    Consultation,
    ServiceGuide,
    register_consultation_source,
    register_service_guide_source,
    service_guide_sources,
    unregister_consultation_source,
    unregister_service_guide_source,
)
from egov.portal.models import ColumnKind, HomePage
from egov.portal.models.health import HealthWarning, SiteHealthReport, SiteHealthRules
from egov.services import services as service_items
from egov.services.models import PublishedServiceItem
from egov.services.selectors import KEY_ELEMENTS, guide_gaps
from tests.portal.conftest import add_article, add_column, make_staff
from tests.services.conftest import complete_draft

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


# --- helpers (also used by test_health_dashboard.py) ------------------------------------


def age(page, days: float, now: datetime.datetime) -> None:
    """Make ``page`` look first and last published ``days`` before ``now``."""
    moment = now - datetime.timedelta(days=days)
    Page.objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)


def age_tree(root, days: float, now: datetime.datetime) -> None:
    moment = now - datetime.timedelta(days=days)
    Page.objects.descendant_of(root, inclusive=True).update(
        first_published_at=moment, last_published_at=moment
    )


def fill(portal) -> dict:
    """One fresh article in every column of the portal fixture: a clean site group."""
    return {
        name: add_article(portal[name], f"{portal[name].title}的第一篇")
        for name in ("news", "notices", "policies", "qingfeng_news", "jinlong_news")
    }


def report_of(run, page) -> SiteHealthReport:
    return next(report for report in run.reports if report.page_id == page.pk)


def findings(report, check, level="problem") -> list[dict]:
    items = report.findings if level == "problem" else report.warnings
    return [f for f in items if f["check"] == check]


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def clean(portal):
    fill(portal)
    return portal


class ConsultationStub:
    """A test stand-in for the interaction module's consultations (tests only)."""

    def __init__(self, items):
        self.items = items

    def consultations(self, body_ids, received_after):
        return [c for c in self.items if c.body_id in body_ids and c.received_at > received_after]


class ServiceGuideStub:
    def __init__(self, items):
        self.items = items

    def service_guides(self, body_ids):
        return [g for g in self.items if g.body_id in body_ids]


@pytest.fixture
def consultations():
    source = ConsultationStub([])
    register_consultation_source(source)
    yield source.items
    unregister_consultation_source(source)


@pytest.fixture
def no_consultation_sources(monkeypatch):
    """As before the interaction module registered its letters and consultations."""
    from egov.portal.inspector import sources

    monkeypatch.setattr(sources, "_consultation_sources", [])


@pytest.fixture
def guides():
    source = ServiceGuideStub([])
    register_service_guide_source(source)
    yield source.items
    unregister_service_guide_source(source)


COMPLETE_GUIDE = {key: "有" for key in r.SERVICE_GUIDE_ELEMENTS}


# --- clean data -------------------------------------------------------------------------


def test_a_clean_site_group_passes_with_full_marks(clean, now, consultations, guides):
    # The interaction module's own sources (letters, consultations on drafts) are registered
    # and find nothing here; the stub adds one consultation answered in time.
    body = clean["qingfeng"].body
    consultations.append(Consultation("ZX-1", "办证咨询", body.pk, now - 100 * DAY, now - 90 * DAY))
    guides.append(ServiceGuide("SX-1", "营业执照办理", body.pk, COMPLETE_GUIDE))
    run = inspect_sites(now)

    assert {report.page_id for report in run.reports} == {
        clean["home"].pk,
        clean["qingfeng"].pk,
        clean["jinlong"].pk,
    }
    for report in run.reports:
        assert report.score == 100, report.findings
        assert report.passed
        assert report.vetoes == []
        assert report.findings == []
        assert report.warnings == []
        assert report.unchecked == []
    assert report_of(run, clean["home"]).kind == SiteHealthReport.Kind.SITE
    assert report_of(run, clean["qingfeng"]).kind == SiteHealthReport.Kind.SECTION
    assert HealthWarning.objects.count() == 0
    assert mail.outbox == []


def test_without_a_consultation_source_that_check_says_it_did_not_check(
    clean, now, no_consultation_sources
):
    report = report_of(inspect_sites(now), clean["home"])
    assert report.unchecked == [Check.CONSULTATIONS]
    assert report.passed


def test_without_sources_the_interaction_and_service_checks_say_they_did_not_check(
    clean, now, settings, no_consultation_sources
):
    settings.PORTAL_INSPECTOR_SERVICE_GUIDE_SOURCES = []
    report = report_of(inspect_sites(now), clean["home"])
    assert set(report.unchecked) == {Check.CONSULTATIONS, Check.SERVICE_GUIDES}
    assert report.passed


# --- veto 3: the home page --------------------------------------------------------------


def test_a_home_page_not_updated_for_two_weeks_fails_the_site(clean, now):
    age_tree(clean["home"], 15, now)
    report = report_of(inspect_sites(now), clean["home"])

    assert Check.HOME in report.vetoes
    assert not report.passed
    (home,) = findings(report, Check.HOME)
    assert home["page_id"] == clean["home"].pk
    assert home["detail"]["days"] == 15
    assert home["since"].startswith((now - 15 * DAY).date().isoformat())


def test_a_home_page_updated_by_a_new_article_in_its_news_column_is_fresh(clean, now):
    age_tree(clean["home"], 15, now)
    add_article(clean["news"], "今天的要闻")
    report = report_of(inspect_sites(now + datetime.timedelta(minutes=1)), clean["home"])
    assert findings(report, Check.HOME) == []
    assert Check.HOME not in report.vetoes


def test_an_article_in_a_column_the_home_page_does_not_show_does_not_refresh_it(clean, now):
    age_tree(clean["home"], 15, now)
    general = add_column(clean["home"], "机构概况", ColumnKind.GENERAL, slug="about")
    add_article(general, "新的概况")
    report = report_of(inspect_sites(now + datetime.timedelta(minutes=1)), clean["home"])
    assert Check.HOME in report.vetoes


def test_the_home_page_warns_at_ten_days_and_not_before(clean, now):
    age_tree(clean["home"], 9, now)
    assert findings(report_of(inspect_sites(now), clean["home"]), Check.HOME, "warning") == []

    age_tree(clean["home"], 10, now)
    report = report_of(inspect_sites(now), clean["home"])
    (warning,) = findings(report, Check.HOME, "warning")
    assert warning["due"].startswith((now + 4 * DAY).date().isoformat())
    assert findings(report, Check.HOME) == []
    assert report.passed


# --- veto 4: columns --------------------------------------------------------------------


def _idle_news_columns(portal, count: int, now, days: float = 15):
    for n in range(count):
        column = add_column(portal["home"], f"要闻{n}", ColumnKind.NEWS, slug=f"idle-news-{n}")
        age(add_article(column, f"旧闻{n}"), days, now)


def test_idle_news_and_notice_columns_adding_up_to_five_fail_the_site(clean, now):
    _idle_news_columns(clean, 3, now)
    for n, kind in enumerate([ColumnKind.NOTICE, ColumnKind.POLICY]):
        column = add_column(clean["home"], f"栏目{n}", kind, slug=f"first-level-{n}")
        age(add_article(column, f"旧文{n}"), 181, now)
    report = report_of(inspect_sites(now), clean["home"])

    assert len(findings(report, Check.IDLE)) == 5
    assert Check.IDLE in report.vetoes
    assert not report.passed


def test_four_idle_columns_do_not_fail_but_warn(clean, now):
    _idle_news_columns(clean, 4, now)
    report = report_of(inspect_sites(now), clean["home"])

    assert len(findings(report, Check.IDLE)) == 4
    assert Check.IDLE not in report.vetoes
    (count,) = [w for w in findings(report, Check.IDLE, "warning") if "count" in w["detail"]]
    assert count["detail"] == {"count": 4, "limit": r.IDLE_COLUMNS_LIMIT}


def test_a_notice_column_below_the_first_level_is_not_held_to_the_six_month_rule(clean, now):
    parent = add_column(clean["home"], "信息公开", ColumnKind.GENERAL, slug="disclosure")
    notices = add_column(parent, "公示公告", ColumnKind.NOTICE, slug="deep-notices")
    age(add_article(notices, "旧公告"), 181, now)
    report = report_of(inspect_sites(now), clean["home"])

    assert [f["page_id"] for f in findings(report, Check.IDLE)] == []
    # It is still a column that should be updated every 180 days and is not.
    assert [f["page_id"] for f in findings(report, Check.OVERDUE)] == [notices.pk]


def test_ten_columns_not_updated_as_often_as_they_should_fail_the_site(clean, now):
    for n in range(10):
        column = add_column(
            clean["home"], f"工作{n}", ColumnKind.GENERAL, slug=f"work-{n}", update_interval_days=30
        )
        age(add_article(column, f"工作动态{n}"), 31 if n < 9 else 29, now)
    report = report_of(inspect_sites(now), clean["home"])
    assert len(findings(report, Check.OVERDUE)) == 9
    assert Check.OVERDUE not in report.vetoes

    tenth = Page.objects.get(slug="work-9").get_children().first()
    age(tenth, 31, now)
    report = report_of(inspect_sites(now), clean["home"])
    assert len(findings(report, Check.OVERDUE)) == 10
    assert Check.OVERDUE in report.vetoes


def test_five_blank_columns_fail_the_site_and_four_warn(clean, now):
    for n in range(4):
        add_column(clean["home"], f"空栏目{n}", ColumnKind.GENERAL, slug=f"blank-{n}")
    report = report_of(inspect_sites(now), clean["home"])
    assert len(findings(report, Check.BLANK)) == 4
    assert Check.BLANK not in report.vetoes
    assert [w["detail"] for w in findings(report, Check.BLANK, "warning")] == [
        {"count": 4, "limit": 5}
    ]

    add_column(clean["home"], "空栏目4", ColumnKind.GENERAL, slug="blank-4")
    report = report_of(inspect_sites(now), clean["home"])
    assert len(findings(report, Check.BLANK)) == 5
    assert Check.BLANK in report.vetoes
    assert findings(report, Check.BLANK, "warning") == []


def test_a_column_holding_only_sub_columns_is_judged_by_them(clean, now):
    parent = add_column(clean["home"], "专栏", ColumnKind.GENERAL, slug="parent")
    child = add_column(parent, "子栏目", ColumnKind.GENERAL, slug="child")
    report = report_of(inspect_sites(now), clean["home"])
    assert [f["page_id"] for f in findings(report, Check.BLANK)] == [child.pk]
    add_article(child, "内容")
    assert findings(report_of(inspect_sites(now), clean["home"]), Check.BLANK) == []


def test_a_sections_findings_are_its_own_and_its_sites(clean, now):
    age(clean["qingfeng_news"].get_children().first(), 20, now)
    run = inspect_sites(now)
    section, site, other = (report_of(run, clean[n]) for n in ("qingfeng", "home", "jinlong"))

    (idle,) = findings(section, Check.IDLE)
    assert idle["page_id"] == clean["qingfeng_news"].pk
    assert idle["body"] == "青峰镇"
    assert [f["page_id"] for f in findings(site, Check.IDLE)] == [clean["qingfeng_news"].pk]
    assert findings(other, Check.IDLE) == []


# --- veto 5 and 6: through the sources ---------------------------------------------------


def test_a_consultation_unanswered_for_over_three_months_fails_the_site(clean, now, consultations):
    body = clean["qingfeng"].body
    consultations.append(Consultation("ZX-7", "宅基地咨询", body.pk, now - 95 * DAY))
    run = inspect_sites(now)
    section, site = report_of(run, clean["qingfeng"]), report_of(run, clean["home"])

    for report in (section, site):
        (finding,) = findings(report, Check.CONSULTATIONS)
        assert finding["detail"]["reference"] == "ZX-7"
        assert Check.CONSULTATIONS in report.vetoes
    assert findings(report_of(run, clean["jinlong"]), Check.CONSULTATIONS) == []


def test_a_consultation_answered_late_counts_and_one_answered_in_time_does_not(
    clean, now, consultations
):
    body = clean["qingfeng"].body
    consultations += [
        Consultation("ZX-1", "按时答复", body.pk, now - 200 * DAY, now - 150 * DAY),
        Consultation("ZX-2", "迟复", body.pk, now - 200 * DAY, now - 50 * DAY),
        Consultation("ZX-3", "无效留言", body.pk, now - 200 * DAY, valid=False),
        Consultation("ZX-4", "一年多以前", body.pk, now - 400 * DAY),
    ]
    report = report_of(inspect_sites(now), clean["qingfeng"])
    (late,) = findings(report, Check.CONSULTATIONS)
    assert late["detail"]["reference"] == "ZX-2"
    assert late["detail"]["answered_late"] is True


def test_a_consultation_nearing_three_months_unanswered_is_a_warning(clean, now, consultations):
    body = clean["qingfeng"].body
    consultations += [
        Consultation("ZX-8", "快到期", body.pk, now - 70 * DAY),
        Consultation("ZX-9", "刚收到", body.pk, now - 10 * DAY),
    ]
    report = report_of(inspect_sites(now), clean["qingfeng"])
    assert findings(report, Check.CONSULTATIONS) == []
    assert [w["detail"]["reference"] for w in findings(report, Check.CONSULTATIONS, "warning")] == [
        "ZX-8"
    ]
    assert report.passed


def test_a_service_guide_missing_key_elements_fails_the_site(clean, now, guides):
    body = clean["jinlong"].body
    incomplete = {**COMPLETE_GUIDE, "fees": "", "phone": None}
    del incomplete["hours"]
    guides += [
        ServiceGuide("SX-1", "食品经营许可", body.pk, incomplete, url="/hall/items/SX-1/"),
        ServiceGuide("SX-2", "营业执照", body.pk, COMPLETE_GUIDE),
    ]
    report = report_of(inspect_sites(now), clean["jinlong"])
    (finding,) = findings(report, Check.SERVICE_GUIDES)
    assert finding["detail"]["missing"] == ["fees", "hours", "phone"]
    assert finding["url"] == "/hall/items/SX-1/"
    assert Check.SERVICE_GUIDES in report.vetoes


# --- broken links (scored, not a veto) --------------------------------------------------


def test_links_to_unpublished_and_deleted_pages_and_missing_documents_are_found(clean, now):
    from django.core.files.base import ContentFile

    Document = get_document_model()
    kept = Document(title="办事指南表格")
    kept.file.save("form.txt", ContentFile(b"form"), save=True)
    gone = Document(title="已删除的表格")
    gone.file.save("gone.txt", ContentFile(b"gone"), save=True)
    lost = Document(title="文件丢失的表格")
    lost.file.save("lost.txt", ContentFile(b"lost"), save=True)
    draft = add_article(clean["news"], "草稿", publish=False)
    deleted = add_article(clean["news"], "将被删除")
    live = add_article(clean["news"], "正常页面")
    content = (
        f'<p><a linktype="page" id="{draft.pk}">草稿</a>'
        f'<a linktype="page" id="{deleted.pk}">已删</a>'
        f'<a linktype="page" id="{live.pk}">正常</a>'
        f'<a linktype="document" id="{kept.pk}">表格</a>'
        f'<a linktype="document" id="{gone.pk}">旧表格</a>'
        f'<a linktype="document" id="{lost.pk}">丢失</a></p>'
    )
    linking = add_article(clean["notices"], "有链接的通知", publish=False)
    linking.content = content
    linking.save_revision().publish()
    deleted.delete()
    gone_pk = gone.pk
    gone.delete()
    lost.file.storage.delete(lost.file.name)

    report = report_of(inspect_sites(now), clean["home"])
    broken = findings(report, Check.LINKS)
    assert {(f["page_id"], f["detail"]["target_type"], f["detail"]["reason"]) for f in broken} == {
        (linking.pk, "page", "unpublished"),
        (linking.pk, "page", "deleted"),
        (linking.pk, "document", "deleted"),
        (linking.pk, "document", "file_missing"),
    }
    assert {f["detail"]["target_id"] for f in broken if f["detail"]["reason"] == "deleted"} == {
        str(deleted.pk),
        str(gone_pk),
    }
    assert Check.LINKS not in report.vetoes
    assert report.deductions[Check.LINKS] == 4
    assert report.score == 96
    assert report.passed


def test_an_entry_of_the_home_page_to_a_deleted_page_is_a_broken_link(clean, now):
    target = add_article(clean["news"], "服务指南")
    home = HomePage.objects.get(pk=clean["home"].pk)
    home.service_entries = [("entry", {"label": "办事", "page": target, "address": ""})]
    home.save_revision().publish()
    target.delete()
    report = report_of(inspect_sites(now), clean["home"])
    (broken,) = findings(report, Check.LINKS)
    assert broken["page_id"] == home.pk
    assert broken["detail"]["reason"] == "deleted"


# --- score and verdict ------------------------------------------------------------------


def test_the_score_counts_a_column_both_idle_and_overdue_once(clean, now):
    age(clean["news"].get_children().first(), 15, now)  # idle (14) and overdue (14)
    report = report_of(inspect_sites(now), clean["home"])
    assert len(findings(report, Check.IDLE)) == len(findings(report, Check.OVERDUE)) == 1
    assert report.deductions[Check.IDLE] + report.deductions[Check.OVERDUE] == 2
    assert report.score == 98


def test_the_deductions_and_pass_mark_are_the_districts_to_set(clean, now):
    for n in range(3):
        add_column(clean["home"], f"空{n}", ColumnKind.GENERAL, slug=f"empty-{n}")
    assert report_of(inspect_sites(now), clean["home"]).score == 94

    rules = SiteHealthRules.load()
    rules.blank_column_points = 15
    rules.max_points_per_check = 100
    rules.save()
    report = report_of(inspect_sites(now), clean["home"])
    assert report.score == 55
    assert report.vetoes == []
    assert not report.passed  # below the pass mark of 60, without any veto

    rules.pass_mark = 50
    rules.save()
    assert report_of(inspect_sites(now), clean["home"]).passed


def test_each_checks_deduction_is_capped(clean, now):
    for n in range(4):
        add_column(clean["home"], f"空{n}", ColumnKind.GENERAL, slug=f"empty-{n}")
    rules = SiteHealthRules.load()
    rules.blank_column_points = 10
    rules.max_points_per_check = 25
    rules.save()
    report = report_of(inspect_sites(now), clean["home"])
    assert report.deductions[Check.BLANK] == 25
    assert report.score == 75


@pytest.mark.parametrize(
    ("field", "value"), [("pass_mark", 101), ("warning_percent", 0), ("warning_percent", 100)]
)
def test_rules_that_make_no_sense_are_refused_with_the_reason(field, value):
    from django.core.exceptions import ValidationError

    rules = SiteHealthRules.load()
    setattr(rules, field, value)
    with pytest.raises(ValidationError) as refused:
        rules.full_clean()
    assert field in refused.value.message_dict


findings_strategy = st.lists(
    st.builds(
        Finding,
        check=st.sampled_from(list(Check)),
        level=st.just(PROBLEM),
        key=st.text(max_size=5),
        title=st.just("x"),
        page_id=st.integers(1, 30),
    ),
    max_size=40,
)


@given(findings_strategy)
def test_deductions_are_capped_and_vetoes_follow_the_national_counts(found):
    rules = Rules()
    deductions = deductions_of(found, rules)
    assert all(0 <= points <= rules.max_points_per_check for points in deductions.values())
    assert deductions[Check.IDLE] + deductions[Check.OVERDUE] <= rules.max_points_per_check
    counts = {str(c): sum(1 for f in found if f.check == c) for c in Check}
    vetoes = vetoes_of(counts)
    for check in r.VETO_CHECKS:
        assert (check in vetoes) == (counts[check] >= r.VETO_COUNTS[check])
    assert Check.LINKS not in vetoes


@given(
    st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2090, 1, 1)),
    st.integers(0, 36),
)
def test_months_before_lands_in_the_right_month_never_later_in_it(moment, months):
    earlier = r.months_before(moment, months)
    assert earlier.year * 12 + earlier.month == moment.year * 12 + moment.month - months
    assert earlier.day <= moment.day
    assert earlier.day == moment.day or earlier.day >= 28
    assert earlier.time() == moment.time()


# --- warnings ---------------------------------------------------------------------------


@pytest.fixture
def qingfeng_editor(clean):
    editor = make_staff("qf-editor")
    editor.email = "qf-editor@example.com"
    editor.save()
    services.grant_editor(editor, clean["qingfeng"].body)
    silent = make_staff("qf-editor-2")  # no e-mail address: sees warnings in the CMS only
    services.grant_editor(silent, clean["qingfeng"].body)
    return editor


def test_a_news_column_idle_for_ten_days_warns_its_bodys_editors_once(clean, now, qingfeng_editor):
    age(clean["qingfeng_news"].get_children().first(), 10, now)
    run = inspect_sites(now)

    (warning,) = HealthWarning.objects.all()
    assert warning.area.body == clean["qingfeng"].body
    assert warning.page_id == clean["qingfeng_news"].pk
    assert warning.check_code == Check.IDLE
    assert warning.due.date() == (now + 4 * DAY).date()
    assert warning.resolved_at is None
    assert run.warnings_opened == 1
    (message,) = mail.outbox
    assert message.to == ["qf-editor@example.com"]
    assert "青峰动态" in message.body
    assert timezone.localdate(now + 4 * DAY).isoformat() in message.body
    assert f"/cms/health/{clean['qingfeng'].pk}/" in message.body
    assert report_of(run, clean["qingfeng"]).passed

    # The next day: the same warning, still open, not mailed again.
    inspect_sites(now + DAY)
    assert HealthWarning.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_warning_closes_when_the_column_gets_something_new(clean, now, qingfeng_editor):
    age(clean["qingfeng_news"].get_children().first(), 11, now)
    inspect_sites(now)
    add_article(clean["qingfeng_news"], "新动态")
    run = inspect_sites(now + datetime.timedelta(minutes=1))
    assert run.warnings_closed == 1
    assert HealthWarning.objects.get().resolved_at is not None


def test_a_warning_closes_when_the_limit_is_crossed_and_becomes_a_finding(
    clean, now, qingfeng_editor
):
    age(clean["qingfeng_news"].get_children().first(), 11, now)
    inspect_sites(now)
    run = inspect_sites(now + 4 * DAY)
    assert HealthWarning.objects.get().resolved_at is not None
    assert findings(report_of(run, clean["qingfeng"]), Check.IDLE)


def test_warnings_go_only_to_the_responsible_bodys_editors(clean, now, qingfeng_editor):
    jinlong_editor = make_staff("jl-editor")
    jinlong_editor.email = "jl-editor@example.com"
    jinlong_editor.save()
    services.grant_editor(jinlong_editor, clean["jinlong"].body)
    age(clean["jinlong_news"].get_children().first(), 12, now)
    inspect_sites(now)
    assert [m.to for m in mail.outbox] == [["jl-editor@example.com"]]
    assert HealthWarning.objects.get().area.body == clean["jinlong"].body


def test_without_mail_the_warning_is_kept_for_the_next_run(clean, now, qingfeng_editor):
    age(clean["qingfeng_news"].get_children().first(), 10, now)
    inspect_sites(now, notify=False)
    assert mail.outbox == []
    assert HealthWarning.objects.get().notified_at is None
    inspect_sites(now)
    assert len(mail.outbox) == 1
    assert HealthWarning.objects.get().notified_at is not None


# --- one report per site per day --------------------------------------------------------


def test_inspecting_twice_the_same_day_replaces_the_days_report(clean, now):
    inspect_sites(now)
    add_column(clean["home"], "空栏目", ColumnKind.GENERAL, slug="blank")
    inspect_sites(now + datetime.timedelta(hours=1))
    assert SiteHealthReport.objects.count() == 3
    report = SiteHealthReport.objects.get(page=clean["home"])
    assert report.counts[Check.BLANK] == 1

    inspect_sites(now + DAY)
    assert SiteHealthReport.objects.filter(page=clean["home"]).count() == 2


def test_a_finding_remembers_when_it_was_first_found(clean, now):
    add_column(clean["home"], "空栏目", ColumnKind.GENERAL, slug="blank")
    first = report_of(inspect_sites(now), clean["home"])
    later = report_of(inspect_sites(now + 3 * DAY), clean["home"])
    (blank,) = findings(later, Check.BLANK)
    assert blank["first_seen"] == first.day.isoformat()
    assert later.day == first.day + 3 * DAY


# --- the nightly task and the command ---------------------------------------------------


def test_the_task_is_scheduled_at_half_past_two_beijing_time():
    from huey.contrib.djhuey import HUEY

    from egov.portal.tasks import inspect_sites as task

    assert HUEY.utc  # the worker hands schedules UTC times

    def due_at(*utc) -> bool:
        tasks = HUEY.read_periodic(datetime.datetime(*utc))
        return any(isinstance(t, task.task_class) for t in tasks)

    assert due_at(2026, 11, 30, 18, 30)  # 02:30 on 1 December in Chongqing
    assert not due_at(2026, 11, 30, 2, 30)
    assert not due_at(2026, 11, 30, 18, 31)


def test_the_task_stores_the_days_reports(clean):
    from egov.portal.tasks import inspect_sites as task

    summary = task.call_local()
    assert SiteHealthReport.objects.filter(day=timezone.localdate()).count() == 3
    assert "3 inspected, 0 failing" in summary


def test_the_command_inspects_on_demand(clean):
    import io

    from django.core.management import call_command

    for n in range(5):
        add_column(clean["qingfeng"], f"空{n}", ColumnKind.GENERAL, slug=f"qf-empty-{n}")
    out = io.StringIO()
    call_command("inspect_sites", "--no-mail", stdout=out)
    assert "3 sites and sections inspected, 2 failing" in out.getvalue()
    assert "青峰镇\t90\tFAILED\tvetoes: blank_columns" in out.getvalue()


# --- veto 6 from the services module's published catalogue -------------------------------


def published(code: str, name: str, body, **guide) -> PublishedServiceItem:
    """A published service item of ``body`` with a complete guide, changed by ``guide``."""
    complete = {
        "name": name,
        "legal_basis": "《中华人民共和国行政许可法》第二十九条",
        "conditions": "在本辖区内经营的个人和单位",
        "fee_charged": False,
        "fees": [],
        "materials": [{"name": "申请书", "form": "original", "copies": 1}],
        "place": "永川区政务服务中心2楼5号窗口",
        "hours": "工作日 9:00-17:00",
        "phone": "023-49888888",
        "process": [{"step": "accept", "name": "受理"}, {"step": "close", "name": "办结"}],
        "promised_limit": {"days": 5, "unit": "working"},
    }
    return PublishedServiceItem.objects.create(
        implementation_code=code,
        basic_code=code[:12],
        body_code=body.code,
        body_name_zh=body.name_zh,
        name=name,
        item_type="licensing",
        audience="legal",
        handling_kind="promised",
        online_depth=2,
        fee_charged=guide.get("fee_charged", False),
        has_online_form=False,
        version_number=1,
        published_at=timezone.now(),
        guide={**complete, **guide},
    )


def test_the_services_source_is_registered_by_default():
    assert any(isinstance(s, PublishedServiceGuides) for s in service_guide_sources())


def test_a_published_guide_missing_its_legal_basis_and_place_fails_its_bodys_section(clean, now):
    jinlong = clean["jinlong"].body
    published("11500118MB0000001A001", "食品经营许可", jinlong)
    published("11500118MB0000002A001", "个体工商户登记", jinlong, legal_basis=" ", place="")
    run = inspect_sites(now)

    section = report_of(run, clean["jinlong"])
    (finding,) = findings(section, Check.SERVICE_GUIDES)
    assert finding["title"] == "个体工商户登记"
    assert finding["detail"] == {
        "reference": "11500118MB0000002A001",
        "missing": ["legal_basis", "place"],
    }
    assert finding["url"] == "/hall/items/11500118MB0000002A001/"
    assert finding["body"] == "金龙镇"
    assert section.vetoes == [Check.SERVICE_GUIDES]
    assert not section.passed
    assert Check.SERVICE_GUIDES not in section.unchecked
    with translation.override("en"):
        text = describe(finding)
    assert "个体工商户登记" in text
    assert "legal basis (设定依据)" in text and "place (办理地点)" in text
    # The site holds the section: the national check sees the guide there too.
    assert [f["key"] for f in findings(report_of(run, clean["home"]), Check.SERVICE_GUIDES)] == [
        "guide:11500118MB0000002A001"
    ]
    # Another body's items do not count for this body's section.
    assert findings(report_of(run, clean["qingfeng"]), Check.SERVICE_GUIDES) == []
    assert report_of(run, clean["qingfeng"]).passed


def test_complete_published_guides_leave_the_check_clean(clean, now):
    jinlong, qingfeng = clean["jinlong"].body, clean["qingfeng"].body
    published("11500118MB0000001A001", "食品经营许可", jinlong)
    published(
        "11500118MB0000003A001",
        "占道施工许可",
        qingfeng,
        fee_charged=True,
        fees=[{"name": "占道费", "amount": "12.50", "rule": "", "legal_basis": "渝价〔2019〕"}],
    )
    for report in inspect_sites(now).reports:
        assert findings(report, Check.SERVICE_GUIDES) == []
        assert report.unchecked == []
        assert report.passed, report.findings


def test_an_item_of_a_body_under_no_site_counts_for_no_report(clean, now, bodies):
    # 区人大常委会 is not under the district government: its items are no report's concern.
    published("11500118MB0000004A001", "代表建议办理", bodies["YC-RD"], place="")
    for report in inspect_sites(now).reports:
        assert findings(report, Check.SERVICE_GUIDES) == []


def test_a_department_without_a_section_counts_for_the_district_portal(clean, now, bodies):
    published("11500118MB0000005A001", "食品生产许可", bodies["YC-SCJG"], phone="")
    run = inspect_sites(now)
    (finding,) = findings(report_of(run, clean["home"]), Check.SERVICE_GUIDES)
    assert finding["detail"]["missing"] == ["phone"]
    assert finding["body"] == "永川区人民政府"
    for town in ("qingfeng", "jinlong"):
        assert findings(report_of(run, clean[town]), Check.SERVICE_GUIDES) == []


def test_a_charged_item_without_its_fees_lacks_the_fee_standard():
    guide = {"name": "x", "fee_charged": True, "fees": [{"name": "工本费", "amount": None}]}
    gaps = guide_gaps(guide, body="")
    assert "fees" in gaps and "handling_body" in gaps
    assert guide_gaps({**guide, "fee_charged": False}, body="金龙镇").count("fees") == 0


def test_the_inspectors_key_elements_are_the_services_modules():
    assert tuple(r.SERVICE_GUIDE_ELEMENTS) == KEY_ELEMENTS


def test_a_version_the_inspector_would_flag_is_not_published(clean, tmp_path, settings):
    # One rule: a legal basis of blanks passes the form's required check, but not guide_gaps.
    settings.MEDIA_ROOT = tmp_path
    item = service_items.create_item(
        body=clean["jinlong"].body,
        basic_code="010600000001",
        implementation_code="11500118TEST000001010600000001",
        name="测试事项",
    )
    version = item.versions.get()
    complete_draft(version)
    assert service_items.version_problems(version) == []
    version.legal_basis = "  "
    version.phone = "\t"
    version.save()
    with translation.override("en"):
        problems = service_items.version_problems(version)
    assert problems == [
        "The guide lacks key elements of a government website check: 设定依据、联系电话."
    ]
