"""The annual report's pages: staff of a body write it (the text and the figures of tables 二
and 四 the platform does not hold), see it as it is now and what does not add up, and publish
it once it does; the portal shows the published report — its figures frozen at publication —
as a page, PDF and DOCX; each body's reminder timer starts on 1 January and stops when the
report is published; axe-core finds nothing on the public page and the edit page."""

from __future__ import annotations

import datetime
import io
import itertools
import re
from urllib.parse import quote

import pytest
from django.utils import timezone, translation

from egov.core.models import AuditEntry, Timer
from egov.directory.models import Membership, Organisation, Role
from egov.disclosure import report, reports, reports_exchange
from egov.disclosure.models import AnnualReport, DisclosureRequest, Status
from egov.disclosure.tasks_reports import annual_report_reminders
from egov.exchange.models import OutboxMessage
from egov.exchange.transports import loopback
from tests.conftest import login_verified

from .test_report import _pdftotext

pytestmark = pytest.mark.usefixtures("exchange_here")

YEAR = 2025  # a year that is over: its reports may be published
_numbers = itertools.count(1)

TEXT = {
    "overview": "2025年，区市场监管局认真贯彻落实《中华人民共和国政府信息公开条例》。\n第二段。",
    "problems": "一是主动公开的及时性有待提高。",
    "other": "本年度未收取信息处理费。",
}
FIGURES = {
    "table2__rules__issued": "0",
    "table2__rules__repealed": "0",
    "table2__rules__in_force": "0",
    "table2__normative__issued": "3",
    "table2__normative__repealed": "1",
    "table2__normative__in_force": "27",
    "table2__penalty": "154",
    "table2__enforcement": "12",
    "review__maintained": "2",
    "review__corrected": "1",
    "review__other": "0",
    "review__pending": "1",
    "review__total": "",  # left empty: computed
    "suit_direct__maintained": "1",
    "suit_direct__corrected": "0",
    "suit_direct__other": "0",
    "suit_direct__pending": "0",
    "suit_direct__total": "1",
    "suit_after_review__maintained": "0",
    "suit_after_review__corrected": "0",
    "suit_after_review__other": "0",
    "suit_after_review__pending": "0",
    "suit_after_review__total": "",
}
# What FIGURES are stored as (docs/disclosure.md, "Entered by staff").
REVIEW_ROWS = {
    "review": {"maintained": 2, "corrected": 1, "other": 0, "pending": 1},
    "suit_direct": {"maintained": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
    "suit_after_review": {"maintained": 0, "corrected": 0, "other": 0, "pending": 0},
    "table2": {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative": {"issued": 3, "repealed": 1, "in_force": 27},
        "penalty": 154,
        "enforcement": 12,
    },
}
RECEIVED_TOTAL = re.compile(r'<td headers="dr3-applicants dr3-c-total dr3-r-received">(\d+)</td>')


def make_request(body, received: str, answered: str | None = None, outcome: str = ""):
    received_on = datetime.date.fromisoformat(received)
    return DisclosureRequest.objects.create(
        number=f"YCGK-{received_on.year}-T{next(_numbers):05d}",
        year=received_on.year,
        body=body,
        applicant_type="person",
        applicant_name="张三",
        applicant_id_number="11010519491231002X",
        phone="13800000000",
        description="2025年度本单位政府采购合同",
        form="electronic",
        channel="email",
        received_on=received_on,
        status=Status.ANSWERED if answered else Status.RECEIVED,
        answered_on=datetime.date.fromisoformat(answered) if answered else None,
        outcome=outcome,
    )


def complete(year: int, body) -> AnnualReport:
    return AnnualReport.objects.create(year=year, body=body, review_rows=REVIEW_ROWS, **TEXT)


def edit_url(year: int, code: str) -> str:
    return f"/staff/disclosure/reports/{year}/{code}/"


def public_url(year: int, code: str) -> str:
    return f"/disclosure/reports/{year}/{code}/"


def received_total(html: str) -> int:
    return int(RECEIVED_TOTAL.search(html).group(1))


@pytest.fixture
def heads(make_staff, bodies):
    return {
        "other": make_staff("head-mzj", bodies["YC-MZJ"], "office_head"),
        "government": make_staff("head-zf", bodies["YC-ZF"], "office_head"),
    }


@pytest.fixture
def scjg(bodies):
    return bodies["YC-SCJG"]


# --- editing ----------------------------------------------------------------------------


def test_the_office_head_writes_the_report_and_sees_it_as_it_is_now(client, staff, scjg):
    make_request(scjg, "2025-03-01", "2025-03-20", "disclosed")
    login_verified(client, staff["head"])

    page = client.get(edit_url(YEAR, "YC-SCJG"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="table2__normative__in_force"' in html and 'name="review__total"' in html
    assert "区市场监管局2025年政府信息公开工作年度报告" in html  # the preview's title
    assert received_total(html) == 1
    assert "一、总体情况" in html and "disclosure-report-problems" in html  # not written yet

    response = client.post(edit_url(YEAR, "YC-SCJG"), {**TEXT, **FIGURES})
    assert response.status_code == 302
    row = AnnualReport.objects.get(year=YEAR, body=scjg)
    assert row.review_rows == REVIEW_ROWS
    assert row.overview == TEXT["overview"] and row.updated_by == staff["head"]
    assert row.published_at is None and row.figures == {}
    html = client.get(response.url).content.decode()
    assert "disclosure-report-problems" not in html  # everything adds up now
    assert 'value="154"' in html  # the saved figures fill the form again
    # The review total left empty is computed in the preview: 2 + 1 + 0 + 1.
    assert re.search(r'headers="dr4-g-review dr4-c-review-total">\s*4\s*</td>', html)


def test_an_empty_figure_is_taken_out_and_other_keys_are_kept(client, staff, scjg):
    AnnualReport.objects.create(
        year=YEAR, body=scjg, review_rows={**REVIEW_ROWS, "note": "kept"}, **TEXT
    )
    login_verified(client, staff["head"])
    response = client.post(edit_url(YEAR, "YC-SCJG"), {**TEXT, **FIGURES, "table2__penalty": ""})
    assert response.status_code == 302
    rows = AnnualReport.objects.get(year=YEAR, body=scjg).review_rows
    assert "penalty" not in rows["table2"] and rows["note"] == "kept"
    with translation.override("en"):  # the request left its own language active
        problems = report.check(report.build(YEAR, scjg))
    assert problems == ["Table 二, 行政处罚, 本年处理决定数量 has not been entered."]


def test_bad_input_is_named_next_to_its_field_and_nothing_typed_is_lost(client, staff, scjg):
    login_verified(client, staff["head"])
    data = {
        **TEXT,
        **FIGURES,
        "table2__rules__issued": "三",
        "table2__penalty": "-1",
        "review__pending": "1.5",
    }
    response = client.post(edit_url(YEAR, "YC-SCJG"), data)

    assert response.status_code == 400
    html = response.content.decode()
    for name in ("table2__rules__issued", "table2__penalty", "review__pending"):
        assert f'id="id_{name}_error"' in html
        assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*name="{name}"', html) or re.search(
            rf'<input[^>]*name="{name}"[^>]*aria-invalid="true"', html
        )
    assert html.count("Enter a whole number of 0 or more, such as 0 or 12.") >= 3 or (
        html.count("请输入0或更大的整数") >= 3
    )
    assert 'value="三"' in html and 'value="-1"' in html and 'value="1.5"' in html
    assert "一是主动公开的及时性有待提高。" in html and 'value="27"' in html
    assert AnnualReport.objects.count() == 0  # nothing saved


def test_messages_are_in_english_for_an_english_user(client, staff, scjg):
    login_verified(client, staff["head"])
    client.cookies["django_language"] = "en"
    response = client.post(edit_url(YEAR, "YC-SCJG"), {**FIGURES, "table2__penalty": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Enter a whole number of 0 or more, such as 0 or 12." in html
    assert "Nothing was saved." in html
    assert 'id="id_table2__penalty_error"' in html and 'value="x"' in html


# --- who may -----------------------------------------------------------------------------


def test_a_clerk_and_a_supervisor_may_not_edit_or_publish(client, staff, scjg):
    complete(YEAR, scjg)
    for user in (staff["clerk"], staff["supervisor"]):
        login_verified(client, user)
        assert client.get("/staff/disclosure/reports/").status_code == 403
        assert client.get(edit_url(YEAR, "YC-SCJG")).status_code == 403
        assert client.post(edit_url(YEAR, "YC-SCJG"), {**TEXT, **FIGURES}).status_code == 403
        assert client.post(edit_url(YEAR, "YC-SCJG") + "publish/").status_code == 403
    row = AnnualReport.objects.get()
    assert row.published_at is None and row.updated_by is None


def test_another_bodys_head_finds_nothing(client, staff, heads, scjg):
    complete(YEAR, scjg)
    login_verified(client, heads["other"])
    assert client.get(edit_url(YEAR, "YC-MZJ")).status_code == 200  # their own
    assert client.get(edit_url(YEAR, "YC-SCJG")).status_code == 404
    assert client.post(edit_url(YEAR, "YC-SCJG"), {**TEXT, **FIGURES}).status_code == 404
    assert client.post(edit_url(YEAR, "YC-SCJG") + "publish/").status_code == 404
    assert client.get(edit_url(YEAR, "government")).status_code == 404
    assert AnnualReport.objects.get().published_at is None
    listed = client.get(f"/staff/disclosure/reports/?year={YEAR}").content.decode()
    assert edit_url(YEAR, "YC-MZJ") in listed and "YC-SCJG" not in listed
    assert edit_url(YEAR, "government") not in listed


def test_the_whole_governments_report_needs_the_government_in_scope(client, staff, heads):
    login_verified(client, staff["head"])  # 区市场监管局's head: not the government's
    assert client.get(edit_url(YEAR, "government")).status_code == 404
    login_verified(client, heads["government"])
    page = client.get(edit_url(YEAR, "government"))
    assert page.status_code == 200
    assert "永川区人民政府2025年政府信息公开工作年度报告" in page.content.decode()
    # The government's head sees every body under the government, the whole report first.
    listed = client.get(f"/staff/disclosure/reports/?year={YEAR}").content.decode()
    links = re.findall(r'href="/staff/disclosure/reports/2025/([^/]+)/"', listed)
    assert links[0] == "government"
    assert len(links) == reports.reporting_bodies().count() + 1 == 56
    assert "YC-DW" not in links and "YC-JW" not in links  # party bodies do not report
    # A body that does not report has no report page, nor does an unknown code or year.
    assert client.get(edit_url(YEAR, "YC-DW")).status_code == 404
    assert client.get(edit_url(YEAR, "NOPE")).status_code == 404
    assert client.get(edit_url(timezone.localdate().year + 1, "YC-SCJG")).status_code == 404


def test_anonymous_and_citizens_stay_outside_the_staff_pages(client, scjg):
    response = client.get(edit_url(YEAR, "YC-SCJG"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(edit_url(YEAR, "YC-SCJG") + "publish/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- publishing ----------------------------------------------------------------------------


def test_publication_is_refused_while_check_finds_problems(client, staff, scjg):
    reports.start_reminders(YEAR)
    AnnualReport.objects.create(year=YEAR, body=scjg, overview="只写了总体情况。")
    login_verified(client, staff["head"])

    response = client.post(edit_url(YEAR, "YC-SCJG") + "publish/")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Not published:" in html or "未发布" in html
    # Says which: the sections and figures still missing.
    assert "五、存在的主要问题及改进情况" in html
    assert "行政规范性文件" in html
    row = AnnualReport.objects.get()
    assert row.published_at is None and row.figures == {}
    assert not AuditEntry.objects.filter(action=reports.PUBLISHED).exists()
    assert reports.reminder(YEAR, scjg).stopped_at is None
    assert client.get(public_url(YEAR, "YC-SCJG")).status_code == 404


def test_a_report_of_a_year_not_over_is_not_published(staff, scjg):
    complete(2026, scjg)
    with pytest.raises(reports.ReportNotReadyError) as refused:
        reports.publish(2026, scjg, by=staff["head"], today=datetime.date(2026, 12, 31))
    assert refused.value.problems == ["The report on 2026 can be published from 1 January 2027 on."]
    published = reports.publish(2026, scjg, by=staff["head"], today=datetime.date(2027, 1, 1))
    assert published.published_at is not None


def test_publishing_freezes_the_figures_and_the_public_page_keeps_them(client, staff, scjg):
    make_request(scjg, "2025-03-01", "2025-03-20", "disclosed")
    complete(YEAR, scjg)
    reports.start_reminders(YEAR)
    frozen = report.build(YEAR, scjg).as_dict()
    login_verified(client, staff["head"])

    response = client.post(edit_url(YEAR, "YC-SCJG") + "publish/")

    assert response.status_code == 302
    row = AnnualReport.objects.get()
    assert row.published_at is not None and row.figures == frozen
    entry = AuditEntry.objects.get(action=reports.PUBLISHED)
    assert entry.actor_id == staff["head"].pk and entry.body_id == scjg.pk
    assert entry.object_id == str(row.pk)
    assert entry.detail["year"] == YEAR and entry.detail["republished"] is False
    timer = reports.reminder(YEAR, scjg)
    assert timer.stopped_at is not None and timer.stop_reason == "published"
    assert timer.stopped_by_id == staff["head"].pk
    staff_page = client.get(edit_url(YEAR, "YC-SCJG")).content.decode()
    assert "differs from the published one" not in staff_page and "与已发布的" not in staff_page

    # A request of 2025 recorded after publication: the staff preview counts it, the public
    # page, PDF and DOCX keep the published figures.
    make_request(scjg, "2025-06-01", "2025-06-10", "disclosed")
    client.logout()
    public = client.get(public_url(YEAR, "YC-SCJG"))
    assert public.status_code == 200
    assert received_total(public.content.decode()) == 1
    login_verified(client, staff["head"])
    staff_page = client.get(edit_url(YEAR, "YC-SCJG")).content.decode()
    assert received_total(staff_page) == 2
    assert "differs from the published one" in staff_page or "与已发布的" in staff_page

    # Published again (a correction): the new figures replace the old, recorded again; the
    # timer, already stopped, stays as it was.
    assert client.post(edit_url(YEAR, "YC-SCJG") + "publish/").status_code == 302
    assert received_total(client.get(public_url(YEAR, "YC-SCJG")).content.decode()) == 2
    entries = AuditEntry.objects.filter(action=reports.PUBLISHED).order_by("pk")
    assert [e.detail["republished"] for e in entries] == [False, True]
    assert entries[0].detail["figures_sha256"] != entries[1].detail["figures_sha256"]
    assert Timer.objects.filter(purpose=reports.PURPOSE, stopped_at__isnull=False).count() == 1


def test_the_whole_governments_report_is_published_by_the_governments_head(
    client, heads, bodies, scjg
):
    make_request(scjg, "2025-03-01", "2025-03-20", "disclosed")
    make_request(bodies["YC-MZJ"], "2025-04-01", "2025-04-10", "disclosed")
    complete(YEAR, None)
    reports.start_reminders(YEAR)
    login_verified(client, heads["government"])

    assert client.post(edit_url(YEAR, "government") + "publish/").status_code == 302

    page = client.get(public_url(YEAR, "government")).content.decode()
    assert "<h1" in page and "永川区人民政府2025年政府信息公开工作年度报告</h1>" in page
    assert received_total(page) == 2  # every body's requests
    entry = AuditEntry.objects.get(action=reports.PUBLISHED)
    assert entry.body_id == bodies["YC-ZF"].pk and entry.detail["report"] == "government"
    assert reports.reminder(YEAR, None).stopped_at is not None
    assert reports.reminder(YEAR, scjg).stopped_at is None  # the body's own is still due


def test_the_published_report_reaches_the_portal_through_the_exchange(client, staff, scjg):
    complete(YEAR, scjg)
    reports.publish(YEAR, scjg, by=staff["head"])
    sent = OutboxMessage.objects.get(type=reports_exchange.PUBLISHED)
    assert sent.destination == "external" and sent.key == "disclosure-report:2025:YC-SCJG"
    frozen = AnnualReport.objects.get().figures
    # The external zone's copy has not received it yet (a split deployment).
    AnnualReport.objects.update(figures={}, published_at=None, overview="")
    assert client.get(public_url(YEAR, "YC-SCJG")).status_code == 404

    loopback.deliver()

    row = AnnualReport.objects.get()
    assert row.figures == frozen and row.published_at is not None
    assert row.overview == ""  # the draft text is the internal zone's
    page = client.get(public_url(YEAR, "YC-SCJG"))
    assert page.status_code == 200 and TEXT["problems"] in page.content.decode()


# --- the public pages ----------------------------------------------------------------------


def test_only_published_reports_are_public(client, staff, heads, bodies, scjg):
    complete(YEAR, scjg)
    complete(YEAR, bodies["YC-MZJ"])  # written, never published
    complete(YEAR, None)
    complete(2024, scjg)
    reports.publish(YEAR, scjg, by=staff["head"])
    reports.publish(YEAR, None, by=heads["government"])
    reports.publish(2024, scjg, by=staff["head"])

    listing = client.get("/disclosure/reports/")
    assert listing.status_code == 200
    html = listing.content.decode()
    links = re.findall(r'href="/disclosure/reports/(\d+/[^/]+)/"', html)
    assert links == ["2025/government", "2025/YC-SCJG", "2024/YC-SCJG"]
    assert "永川区人民政府2025年政府信息公开工作年度报告" in html
    assert client.get(public_url(YEAR, "YC-MZJ")).status_code == 404
    assert client.get(public_url(YEAR, "YC-MZJ") + "?format=pdf").status_code == 404
    assert client.get(public_url(2023, "YC-SCJG")).status_code == 404
    assert client.get(public_url(YEAR, "NOPE")).status_code == 404
    assert client.get(public_url(YEAR, "YC-SCJG") + "?format=exe").status_code == 404
    page = client.get(public_url(YEAR, "YC-SCJG"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 lang="zh-Hans">区市场监管局2025年政府信息公开工作年度报告</h1>' in html
    assert "disclosure/disclosure.css" in html and "style=" not in html
    assert "一是主动公开的及时性有待提高。" in html


def test_the_pdf_and_docx_carry_the_frozen_report(client, staff, scjg, tmp_path):
    from docx import Document

    complete(YEAR, scjg)
    reports.publish(YEAR, scjg, by=staff["head"])
    AnnualReport.objects.filter(body=scjg).update(problems="发布后改动的文字。")
    title = "区市场监管局2025年政府信息公开工作年度报告"

    pdf = client.get(public_url(YEAR, "YC-SCJG") + "?format=pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f"attachment; filename=\"2025.pdf\"; filename*=UTF-8''{quote(title + '.pdf', safe='')}"
    )
    assert pdf.content.startswith(b"%PDF-")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    text = "".join(_pdftotext(path).split())
    assert title in text and "一是主动公开的及时性有待提高。" in text
    assert "发布后改动的文字。" not in text

    docx = client.get(public_url(YEAR, "YC-SCJG") + "?format=docx")
    assert docx.status_code == 200
    assert docx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert f"filename*=UTF-8''{quote(title + '.docx', safe='')}" in docx["Content-Disposition"]
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert title in paragraphs and "一是主动公开的及时性有待提高。" in paragraphs
    assert "发布后改动的文字。" not in paragraphs
    assert client.get(public_url(YEAR, "YC-SCJG") + "?format=docx").content == docx.content

    # Published again: the files are those of the new publication, not the ones kept.
    reports.publish(YEAR, scjg, by=staff["head"])
    path.write_bytes(client.get(public_url(YEAR, "YC-SCJG") + "?format=pdf").content)
    assert "发布后改动的文字。" in "".join(_pdftotext(path).split())
    docx = client.get(public_url(YEAR, "YC-SCJG") + "?format=docx")
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "发布后改动的文字。" in paragraphs


# --- the reminder before 31 January ----------------------------------------------------------


def test_reminders_start_on_1_january_due_31_january_and_31_march(bodies, scjg):
    Organisation.objects.filter(code="YC-JL").update(is_active=False)

    started = reports.start_reminders(2026)

    expected = reports.reporting_bodies().count() + 1
    # 32 departments, 15 active towns, 7 subdistricts and the government.
    assert len(started) == expected == 55
    body = reports.reminder(2026, scjg)
    assert (body.start_date, body.due_date) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 1, 31),
    )
    assert body.unit == Timer.Unit.NATURAL_DAYS and body.limit == 30
    assert body.owner_body == scjg and body.purpose == "disclosure.annual_report"
    assert (body.subject_type, body.subject_id) == ("disclosure.annualreport", "2026:YC-SCJG")
    whole = reports.reminder(2026, None)
    assert whole.due_date == datetime.date(2027, 3, 31) and whole.limit == 89
    assert whole.owner_body == bodies["YC-ZF"] and whole.subject_id == "2026:government"
    owners = set(Timer.objects.filter(purpose=reports.PURPOSE).values_list("owner_body__kind"))
    assert owners == {("department",), ("town",), ("subdistrict",), ("government",)}
    assert not Timer.objects.filter(owner_body__code="YC-JL").exists()  # inactive
    # Natural days: no working-day calendar is needed, which may not know 2027 or 2028 yet.
    # In a leap year 31 March is one day further from 1 January.
    reports.start_reminders(2027)
    leap = reports.reminder(2027, None)
    assert leap.due_date == datetime.date(2028, 3, 31) and leap.limit == 90


def test_reminders_are_started_once_and_not_for_a_published_report(staff, bodies, scjg):
    complete(YEAR, scjg)
    reports.publish(YEAR, scjg, by=staff["head"])

    first = reports.start_reminders(YEAR)
    again = reports.start_reminders(YEAR)

    assert again == []
    assert reports.reminder(YEAR, scjg) is None  # published before the reminders started
    assert len(first) == reports.reporting_bodies().count()  # the others and the government
    subjects = Timer.objects.filter(purpose=reports.PURPOSE).values_list("subject_id", flat=True)
    assert len(subjects) == len(set(subjects))


def test_the_worker_task_starts_the_past_years_reminders_on_1_january(bodies):
    from huey.contrib.djhuey import HUEY

    def due_at(*moment) -> bool:  # the worker's clock is UTC
        names = {task.name for task in HUEY.read_periodic(datetime.datetime(*moment))}
        return annual_report_reminders.task_class.__name__ in names

    assert due_at(2026, 12, 31, 18, 5)  # 02:05 on 1 January in Beijing
    assert not due_at(2026, 12, 30, 18, 5)
    assert not due_at(2027, 1, 1, 18, 5)
    assert not due_at(2026, 12, 31, 17, 5)

    assert annual_report_reminders.call_local() == reports.reporting_bodies().count() + 1
    past = timezone.localdate().year - 1
    assert set(reports.reminders_of_year(past)) >= {"government", "YC-SCJG"}
    assert annual_report_reminders.call_local() == 0


def test_e_supervision_raises_cards_on_a_late_report(staff, scjg):
    from egov.supervision import sweep
    from egov.supervision.models import Signal

    reports.start_reminders(YEAR)  # due 2026-01-31
    complete(YEAR, scjg)

    sweep(today=datetime.date(2026, 2, 10))

    late = Signal.objects.filter(purpose=reports.PURPOSE, body=scjg)
    assert {signal.kind for signal in late} >= {"yellow"}
    assert not Signal.objects.filter(
        purpose=reports.PURPOSE, subject_id=f"{YEAR}:government"
    ).exists()  # due 31 March
    reports.publish(YEAR, scjg, by=staff["head"])
    assert reports.reminder(YEAR, scjg).stop_reason == "published"


def test_the_whole_report_needs_the_permission_and_the_government_in_scope(make_staff, bodies):
    user = make_staff("head-two", bodies["YC-SCJG"], "office_head")
    assert not reports.may_edit(user, None)
    Membership.objects.create(
        user=user, organisation=bodies["YC-ZF"], role=Role.objects.get(code="window_clerk")
    )
    user = type(user).objects.get(pk=user.pk)
    # The government in the user's scope (own body) with the permission from another role.
    assert reports.may_edit(user, None)


# --- in a real browser -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_report_and_the_edit_page_pass_axe_and_fit_a_phone(
    live_server, browser, client, staff, scjg
):
    from tests.e2e.test_accessibility import _violations
    from tests.portal.test_browser import check_with_axe

    make_request(scjg, "2025-03-01", "2025-03-20", "disclosed")
    complete(YEAR, scjg)
    reports.publish(YEAR, scjg, by=staff["head"])
    public = live_server.url + public_url(YEAR, "YC-SCJG")
    elder = [{"name": "egov_elder", "value": "1", "url": live_server.url}]
    assert check_with_axe(browser, public, []) == []
    assert check_with_axe(browser, public, elder) == []
    assert check_with_axe(browser, live_server.url + "/disclosure/reports/", []) == []

    # On a phone the page never scrolls sideways; tables 三 and 四 scroll in their region.
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(public)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        regions = page.locator(".disclosure-report-scroll")
        assert regions.count() == 2
        for index in range(2):
            region = regions.nth(index)
            assert region.evaluate("e => getComputedStyle(e).overflowX") == "auto"
            assert region.evaluate("e => e.scrollWidth > e.clientWidth")
        assert page.locator("h1").inner_text() == "区市场监管局2025年政府信息公开工作年度报告"
    finally:
        context.close()

    login_verified(client, staff["head"])
    cookies = [
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    ]
    edit = live_server.url + edit_url(YEAR, "YC-SCJG")
    assert check_with_axe(browser, edit, cookies) == []
    assert check_with_axe(browser, live_server.url + "/staff/disclosure/reports/", cookies) == []
    # With an error: named next to its field, what was typed kept, still no violation.
    context = browser.new_context(locale="zh-CN")
    context.add_cookies(cookies)
    try:
        page = context.new_page()
        page.goto(edit)
        page.fill("#id_table2__penalty", "一百五十四")
        page.click("form.disclosure-report-form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#id_table2__penalty_error").count() == 1
        assert page.input_value("#id_table2__penalty") == "一百五十四"
        assert _violations(page) == []
    finally:
        context.close()
