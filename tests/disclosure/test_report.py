"""The annual report (国办公开办函〔2021〕30号): table 三 reconciles with the requests, table 二
with the cases and payments, table 四 and the text with what staff entered; check() finds a
broken table; the PDF (read back with pdftotext), the DOCX (read back with python-docx) and
the web page carry every row label of table 三."""

from __future__ import annotations

import datetime
import io
import itertools
import os
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from egov.cases.models import Case, PaymentNotice
from egov.disclosure import report
from egov.disclosure.choices import ApplicantType, Outcome
from egov.disclosure.models import AnnualReport, DisclosureRequest, Status
from tests.services.conftest import bodies, exchange_here, make_item  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

BROWSER_REQUIRED = os.environ.get("EGOV_REQUIRE_BROWSER") == "1"
PERSON, BUSINESS, RESEARCH = ApplicantType.PERSON, ApplicantType.BUSINESS, ApplicantType.RESEARCH
PUBLIC_INTEREST, LEGAL = ApplicantType.PUBLIC_INTEREST, ApplicantType.LEGAL_SERVICE
OTHER = ApplicantType.OTHER
TOTAL = report.TOTAL
_numbers = itertools.count(1)

# Every row label of table 三 as domain-cn.md writes it (the template's fixed wording).
TABLE3_LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "(一)予以公开",
    "(二)部分公开(区分处理的，只计这一情形，不计其他情形)",
    "(三)不予公开",
    "1属于国家秘密",
    "2其他法律行政法规禁止公开",
    '3危及"三安全一稳定"',
    "4保护第三方合法权益",
    "5属于三类内部事务信息",
    "6属于四类过程性信息",
    "7属于行政执法案卷",
    "8属于行政查询事项",
    "(四)无法提供",
    "1本机关不掌握相关政府信息",
    "2没有现成信息需要另行制作",
    "3补正后申请内容仍不明确",
    "(五)不予处理",
    "1信访举报投诉类申请",
    "2重复申请",
    "3要求提供公开出版物",
    "4无正当理由大量反复申请",
    "5要求行政机关确认或重新出具已获取信息",
    "(六)其他处理",
    "1申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3其他",
    "(七)总计",
    "四、结转下年度继续办理",
]

COMPLETE_ENTRIES = {
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


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def make_request(body, applicant_type, received, answered=None, outcome=""):
    received_on = day(received)
    number = next(_numbers)
    return DisclosureRequest.objects.create(
        number=f"YCGK-{received_on.year}-{number:05d}",
        year=received_on.year,
        body=body,
        applicant_type=applicant_type,
        applicant_name="张三" if applicant_type == PERSON else "重庆某某有限公司",
        applicant_id_number="11010519491231002X"
        if applicant_type == PERSON
        else "91500118MA5U000000",
        phone="13800000000",
        description="2025年度本单位政府采购合同",
        form="electronic",
        channel="email",
        received_on=received_on,
        status=Status.ANSWERED if answered else Status.RECEIVED,
        answered_on=day(answered) if answered else None,
        outcome=outcome,
    )


@pytest.fixture
def scjg(bodies):  # noqa: F811
    return bodies["YC-SCJG"]


@pytest.fixture
def requests_2026(bodies, scjg):  # noqa: F811
    """Requests to 区市场监管局 around 2026, and one to 区民政局."""
    make_request(scjg, PERSON, "2025-03-01", "2025-12-31", Outcome.DISCLOSED)  # all done in 2025
    make_request(scjg, PERSON, "2025-12-15", "2026-01-05", Outcome.DISCLOSED)  # carried over
    make_request(scjg, BUSINESS, "2025-11-01")  # carried over, and still open at the end
    make_request(scjg, PERSON, "2026-01-01", "2026-02-01", Outcome.PARTIAL)
    make_request(scjg, RESEARCH, "2026-03-01", "2026-03-20", Outcome.SECRET)
    make_request(scjg, PUBLIC_INTEREST, "2026-05-01", "2026-06-01", Outcome.QUERY)
    make_request(scjg, LEGAL, "2026-06-01", "2026-06-10", Outcome.NOT_HELD)
    make_request(scjg, OTHER, "2026-07-01", "2026-07-08", Outcome.REPEAT)
    make_request(scjg, PERSON, "2026-08-01", "2026-08-20", Outcome.NO_CORRECTION)
    make_request(scjg, PERSON, "2026-09-01", "2026-09-30", Outcome.UNPAID_FEE)
    make_request(scjg, PERSON, "2026-12-31", "2027-01-10", Outcome.DISCLOSED)  # carried forward
    make_request(scjg, BUSINESS, "2026-12-20")  # carried forward
    make_request(scjg, PERSON, "2027-01-02")  # the next year's
    make_request(bodies["YC-MZJ"], PERSON, "2026-04-01", "2026-04-15", Outcome.DISCLOSED)


def test_table_three_counts_every_cell_from_the_requests(requests_2026, scjg):
    table = report.build(2026, scjg).applications

    assert table.row(report.RECEIVED) == [4, 1, 1, 1, 1, 1, 9]
    # 2025-12-15 (answered 2026-01-05) and 2025-11-01 (open); not the one answered in 2025.
    assert table.row(report.CARRIED_OVER) == [1, 1, 0, 0, 0, 0, 2]
    assert table.row(Outcome.DISCLOSED) == [1, 0, 0, 0, 0, 0, 1]
    assert table.row(Outcome.PARTIAL) == [1, 0, 0, 0, 0, 0, 1]
    assert table.row(Outcome.SECRET) == [0, 0, 1, 0, 0, 0, 1]
    assert table.row(Outcome.QUERY) == [0, 0, 0, 1, 0, 0, 1]
    assert table.row(Outcome.NOT_HELD) == [0, 0, 0, 0, 1, 0, 1]
    assert table.row(Outcome.REPEAT) == [0, 0, 0, 0, 0, 1, 1]
    assert table.row(Outcome.NO_CORRECTION) == [1, 0, 0, 0, 0, 0, 1]
    assert table.row(Outcome.UNPAID_FEE) == [1, 0, 0, 0, 0, 0, 1]
    for outcome in (Outcome.LAW_FORBIDS, Outcome.PETITION, Outcome.OTHER):
        assert table.row(outcome) == [0] * 7
    assert table.row(report.HANDLED) == [4, 0, 1, 1, 1, 1, 8]
    # 2025-11-01 and 2026-12-20 still open, 2026-12-31 answered only in 2027.
    assert table.row(report.CARRIED_FORWARD) == [1, 2, 0, 0, 0, 0, 3]
    for column in report.COLUMNS:  # 一 + 二 = (七) + 四
        assert table.cell(report.RECEIVED, column) + table.cell(
            report.CARRIED_OVER, column
        ) == table.cell(report.HANDLED, column) + table.cell(report.CARRIED_FORWARD, column)


def test_the_whole_government_counts_every_body(requests_2026, scjg):
    everyone = report.build(2026)
    body = report.build(2026, scjg)

    assert everyone.body_name == "永川区人民政府"
    assert everyone.title == "永川区人民政府2026年政府信息公开工作年度报告"
    assert body.title == "区市场监管局2026年政府信息公开工作年度报告"
    assert everyone.applications.row(report.RECEIVED) == [5, 1, 1, 1, 1, 1, 10]
    assert everyone.applications.cell(Outcome.DISCLOSED, PERSON) == 2
    assert everyone.applications.cell(report.HANDLED, TOTAL) == 9


def test_carried_over_and_forward_at_the_year_boundaries(scjg):
    make_request(scjg, PERSON, "2025-12-31", "2025-12-31", Outcome.DISCLOSED)  # done in 2025
    make_request(scjg, PERSON, "2025-12-31", "2026-01-01", Outcome.DISCLOSED)  # carried over
    make_request(scjg, BUSINESS, "2026-12-31", "2026-12-31", Outcome.DISCLOSED)  # done in 2026
    make_request(scjg, BUSINESS, "2026-12-31", "2027-01-01", Outcome.DISCLOSED)  # forward

    table = report.build(2026, scjg).applications

    assert table.row(report.CARRIED_OVER) == [1, 0, 0, 0, 0, 0, 1]
    assert table.row(report.RECEIVED) == [0, 2, 0, 0, 0, 0, 2]
    assert table.row(report.HANDLED) == [1, 1, 0, 0, 0, 0, 2]
    assert table.row(report.CARRIED_FORWARD) == [0, 1, 0, 0, 0, 0, 1]
    # The one carried forward out of 2026 is carried over into 2027.
    assert report.build(2027, scjg).applications.row(report.CARRIED_OVER) == [
        0, 1, 0, 0, 0, 0, 1,
    ]  # fmt: skip


def test_every_outcome_has_its_own_row(scjg):
    for outcome in Outcome.values:
        make_request(scjg, PERSON, "2026-02-02", "2026-03-03", outcome)

    table = report.build(2026, scjg).applications

    assert set(report.OUTCOME_ROWS) == set(Outcome.values)
    for outcome in Outcome.values:
        assert table.cell(outcome, PERSON) == 1, outcome
    assert table.cell(report.HANDLED, PERSON) == len(Outcome.values)
    problems = report.check(report.build(2026, scjg))
    assert [p for p in problems if p.startswith("Table 三")] == []


def test_an_answer_without_an_outcome_is_reported_not_hidden(scjg):
    make_request(scjg, PERSON, "2026-02-02", "2026-03-03", "")

    data = report.build(2026, scjg)

    assert data.applications.cell(report.HANDLED, PERSON) == 0
    problems = [p for p in report.check(data) if "Table 三" in p]
    assert (
        "Table 三: 1 request answered in 2026 has no outcome recorded, so it is counted in no row."
        in problems
    )
    assert any("自然人" in p and "一+二 = 1" in p and "(七)+四 = 0" in p for p in problems)


# --- table 二 -------------------------------------------------------------------------------


def _aware(text: str) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.fromisoformat(text), timezone.get_current_timezone()
    )


def _case(version, body, *, decision="grant", closed_at=None):
    number = next(_numbers)
    return Case.objects.create(
        query_code=f"YC-T-{number:06d}",
        year=2026,
        sequence=number,
        version=version,
        body=body,
        applicant_name="张三丰",
        channel="window",
        status="closed" if closed_at else "accepted",
        decision=decision,
        closed_at=_aware(closed_at) if closed_at else None,
    )


def _notice(case, amount, *, paid_at=None):
    return PaymentNotice.objects.create(
        case=case,
        number=f"{case.query_code}-F{next(_numbers)}",
        amount=Decimal(amount),
        issued_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2026, 1, 16),
        status=PaymentNotice.Status.PAID if paid_at else PaymentNotice.Status.ISSUED,
        paid_at=_aware(paid_at) if paid_at else None,
    )


def test_table_two_counts_licensing_decisions_and_fees_of_the_year(bodies, scjg, make_item):  # noqa: F811
    licensing = make_item("YC-SCJG", name="食品经营许可").versions.get()
    benefit = make_item("YC-SCJG", name="某项补贴").versions.get()
    benefit.item_type = "benefit"
    benefit.save()
    other_body = make_item("YC-MZJ", name="民办非企业单位成立登记").versions.get()

    granted = _case(licensing, scjg, closed_at="2026-03-01T10:00:00")
    _case(licensing, scjg, decision="refuse", closed_at="2026-12-31T23:30:00")
    _case(licensing, scjg, closed_at="2027-01-01T00:30:00")  # 2027 in Beijing time
    _case(licensing, scjg, closed_at="2025-12-31T23:59:00")
    _case(licensing, scjg, decision="")  # still open, nothing decided
    _case(benefit, scjg, closed_at="2026-05-05T09:00:00")  # not a licence
    elsewhere = _case(other_body, bodies["YC-MZJ"], closed_at="2026-06-06T09:00:00")
    _notice(granted, "20.00", paid_at="2026-03-02T09:00:00")
    _notice(granted, "150.00", paid_at="2026-12-31T23:00:00")
    _notice(granted, "30.00", paid_at="2027-01-01T00:10:00")  # paid in 2027 (Beijing time)
    _notice(granted, "999.00")  # not paid
    _notice(elsewhere, "10000.00", paid_at="2026-06-07T09:00:00")

    rows = report.build(2026, scjg).proactive.rows
    everyone = report.build(2026).proactive.rows

    assert rows["licensing"][0].value == 2
    assert rows["licensing"][0].source == report.COMPUTED
    assert rows["fees"][0].value == Decimal("0.0170")  # 170 yuan
    assert rows["fees"][0].display() == "0.017"
    assert everyone["licensing"][0].value == 3
    assert everyone["fees"][0].display() == "1.017"
    for key in ("rules", "normative", "penalty", "enforcement"):  # nothing entered yet
        assert {figure.source for figure in rows[key]} == {report.MISSING}


def test_table_two_and_four_take_what_staff_entered(scjg):
    AnnualReport.objects.create(body=scjg, year=2026, review_rows=COMPLETE_ENTRIES)

    data = report.build(2026, scjg)

    assert [f.value for f in data.proactive.rows["normative"]] == [3, 1, 27]
    assert [f.value for f in data.proactive.rows["rules"]] == [0, 0, 0]
    assert data.proactive.rows["penalty"][0].value == 154
    assert data.proactive.rows["enforcement"][0].source == report.ENTERED
    review = data.reviews.groups["review"]
    assert [f.value for f in review] == [2, 1, 0, 1, 4]
    assert review[-1].source == report.COMPUTED  # the total, computed
    assert data.reviews.groups["suit_direct"][-1].source == report.ENTERED
    assert [f.value for f in data.reviews.groups["suit_after_review"]] == [0, 0, 0, 0, 0]
    # Another body's report, and the government's, do not take this body's entries.
    assert report.build(2026).reviews.groups["review"][0].source == report.MISSING


# --- check() --------------------------------------------------------------------------------


@pytest.fixture
def complete(requests_2026, scjg):
    AnnualReport.objects.create(
        body=scjg,
        year=2026,
        overview="2026年，区市场监管局认真贯彻落实《中华人民共和国政府信息公开条例》。",
        problems="一是主动公开的及时性有待提高。\n二是政策解读形式较为单一。",
        other="本年度未收取信息处理费。",
        review_rows=COMPLETE_ENTRIES,
    )
    return report.build(2026, scjg)


def test_a_complete_report_has_no_problem(complete):
    assert report.check(complete) == []
    assert complete.overview.startswith("2026年")


def test_check_finds_a_total_that_is_not_the_sum_of_its_rows(complete):
    complete.applications.counts[report.HANDLED][PERSON] += 1

    problems = report.check(complete)

    assert "Table 三, column 自然人: (七)总计 is 5, but its rows add up to 4." in problems, problems
    assert "Table 三, row (七)总计: 总计 is 8, but its columns add up to 9." in problems
    assert any(p.startswith("Table 三, column 自然人: received and carried over") for p in problems)
    assert len(problems) == 3


def test_check_finds_a_row_whose_total_is_wrong(complete):
    complete.applications.counts[report.RECEIVED][TOTAL] = 11

    problems = report.check(complete)

    assert (
        "Table 三, row 一、本年新收政府信息公开申请数量: 总计 is 11, but its columns add up to 9."
        in problems
    )
    assert any("column 总计: received and carried over (一+二 = 13)" in p for p in problems)


def test_check_finds_figures_that_do_not_reconcile(complete):
    complete.applications.counts[report.CARRIED_FORWARD][BUSINESS] -= 1
    complete.applications.counts[report.CARRIED_FORWARD][TOTAL] -= 1

    problems = report.check(complete)

    assert problems == [
        "Table 三, column 商业企业: received and carried over (一+二 = 2) differ from handled "
        "and carried forward ((七)+四 = 1).",
        "Table 三, column 总计: received and carried over (一+二 = 11) differ from handled "
        "and carried forward ((七)+四 = 10).",
    ]


def test_check_finds_table_four_totals_and_missing_or_wrong_entries(scjg):
    entries = {
        **COMPLETE_ENTRIES,
        "review": {"maintained": 2, "corrected": 1, "other": 0, "pending": 1, "total": 5},
        "suit_after_review": {"maintained": -1, "corrected": "x", "other": 0, "pending": 0},
        "table2": {**COMPLETE_ENTRIES["table2"], "penalty": None},
    }
    AnnualReport.objects.create(body=scjg, year=2026, review_rows=entries, overview="概述")

    problems = report.check(report.build(2026, scjg))

    assert problems == [
        "Table 二, 行政处罚, 本年处理决定数量 has not been entered.",
        "Table 四, 行政复议: 总计 is 5, but 结果维持, 结果纠正, 其他结果 and 尚未审结 add up to 4.",
        "Table 四, 行政诉讼（复议后起诉）, 结果维持 is -1, not a whole number of 0 or more.",
        "Table 四, 行政诉讼（复议后起诉）, 结果纠正 is 'x', not a whole number of 0 or more.",
        "Table 四, 行政诉讼（复议后起诉）, 总计 has not been entered.",
        "Section 五、存在的主要问题及改进情况 has not been written.",
        "Section 六、其他需要报告的事项 has not been written.",
    ]


def test_check_speaks_chinese_to_a_chinese_reader(complete):
    from django.utils import translation

    complete.applications.counts[report.HANDLED][PERSON] += 1
    with translation.override("zh-hans"):
        problems = report.check(complete)
    assert len(problems) == 3  # whatever the catalogue has, the figures are there
    assert all("自然人" in p or "(七)总计" in p for p in problems)


def test_published_figures_read_back_the_same(complete):
    stored = AnnualReport.objects.get(pk=complete.report_id)
    stored.figures = complete.as_dict()
    stored.save()
    stored.refresh_from_db()

    frozen = report.AnnualReportData.from_dict(stored.figures)

    assert frozen == complete
    assert report.render_html(frozen) == report.render_html(complete)


# --- outputs --------------------------------------------------------------------------------


def test_the_row_labels_are_the_templates(complete):
    assert report.table3_labels() == TABLE3_LABELS


class _Cells(HTMLParser):
    """The text of every th and td, with their attributes, and every id."""

    def __init__(self):
        super().__init__()
        self.cells, self.ids, self._open = [], set(), None
        self.captions, self._caption = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("th", "td"):
            self._open = {"tag": tag, "attrs": attrs, "text": ""}
        if tag == "caption":
            self._caption = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._open is not None:
            self.cells.append(self._open)
            self._open = None
        if tag == "caption":
            self.captions.append(self._caption)
            self._caption = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data
        if self._caption is not None:
            self._caption += data


def test_the_web_page_is_a_table_with_headers_for_every_cell(complete):
    page = report.render_html(complete)
    cells = _Cells()
    cells.feed(page)

    for label in TABLE3_LABELS:
        assert label in page, label  # verbatim, quotation marks included
    headers = [cell for cell in cells.cells if cell["tag"] == "th"]
    assert {cell["text"] for cell in headers} >= set(TABLE3_LABELS)
    assert all(cell["attrs"].get("scope") for cell in headers)
    data_cells = [cell for cell in cells.cells if cell["tag"] == "td" and cell["text"].strip()]
    for cell in data_cells:  # each refers to headers of the same table that exist
        referred = cell["attrs"]["headers"].split()
        assert referred and set(referred) <= cells.ids, cell
    received = [c for c in data_cells if c["attrs"]["headers"].endswith("dr3-r-received")]
    assert [c["text"] for c in received] == ["4", "1", "1", "1", "1", "1", "9"]
    assert "三、收到和处理政府信息公开申请情况" in cells.captions[4]
    assert cells.captions[:4] == [item for item, _columns, _rows in report.TABLE2]
    assert 'lang="zh-Hans"' in page
    assert "2026年，区市场监管局认真贯彻落实" in page
    assert "<p>一是主动公开的及时性有待提高。</p>" in page


def test_the_web_page_escapes_what_staff_wrote(scjg):
    AnnualReport.objects.create(body=scjg, year=2026, overview='<script>alert("x")</script>')

    page = report.render_html(report.build(2026, scjg))

    assert "<script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.browser
def test_the_web_page_has_no_axe_violations(complete, page):
    from axe_playwright_python.sync_playwright import Axe

    page.set_content(
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{complete.title}</title></head><body><main><h1>{complete.title}</h1>"
        f"{report.render_html(complete)}</main></body></html>"
    )
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(page, options=options)
    violations = [
        f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]
    assert violations == []
    assert page.locator("table").count() == 6


POPPLER = (
    "the PDF test reads the report with pdftotext, which needs Adobe-GB1's encoding data for "
    "the Chinese text: install both with 'apt-get install poppler-utils poppler-data'"
)


def _required(message: str):
    if BROWSER_REQUIRED:  # CI (.ci/run) installs what the tests need: missing is a failure
        pytest.fail(message)
    pytest.skip(message)


def _pdftotext(path, *options: str) -> str:
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        _required(POPPLER)
    result = subprocess.run(
        [pdftotext, *options, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False
    )
    if b"Missing language pack" in result.stderr:
        _required(f"{POPPLER} (pdftotext said: {result.stderr.decode().strip()})")
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


def test_the_pdf_reads_back_with_every_row_label(complete, tmp_path):
    pdf = report.render_pdf(complete)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)

    text = _pdftotext(path)

    assert pdf.startswith(b"%PDF-")
    assert [label for label in TABLE3_LABELS if label not in text] == []
    for title in report.SECTION_TITLES.values():
        assert title in text
    assert complete.title in text
    assert "2026年，区市场监管局认真贯彻落实" in text
    assert "一是主动公开的及时性有待提高。" in text
    # Laid out as on the page, the numbers of a row stand after its label on its line.
    layout = _pdftotext(path, "-layout")
    line = next(line for line in layout.splitlines() if TABLE3_LABELS[0] in line)
    assert line.split(TABLE3_LABELS[0])[1].split() == ["4", "1", "1", "1", "1", "1", "9"]
    line = next(line for line in layout.splitlines() if "(七)总计" in line)
    assert line.split("(七)总计")[1].split() == ["4", "0", "1", "1", "1", "1", "8"]
    # Three pages: 一 and 二; 三 and 四 (landscape); 五 and 六.
    assert layout.count("\f") == 3


def test_the_docx_reads_back_with_every_row_label(complete):
    from docx import Document

    document = Document(io.BytesIO(report.render_docx(complete)))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    tables = document.tables

    assert complete.title in paragraphs
    for title in report.SECTION_TITLES.values():
        assert title in paragraphs
    assert "一是主动公开的及时性有待提高。" in paragraphs
    assert len(tables) == 3  # 二, 三, 四
    table3 = tables[1]
    cells = {cell.text for row in table3.rows for cell in row.cells}
    assert [label for label in TABLE3_LABELS if label not in cells] == []
    received = next(row for row in table3.rows if row.cells[0].text == TABLE3_LABELS[0])
    assert [cell.text for cell in received.cells[3:]] == ["4", "1", "1", "1", "1", "1", "9"]
    handled = next(row for row in table3.rows if row.cells[1].text == "(七)总计")
    assert handled.cells[-1].text == "8"
    table4 = tables[2]
    assert [cell.text for cell in table4.rows[3].cells[:5]] == ["2", "1", "0", "1", "4"]
    table2 = {row.cells[0].text: row.cells[1].text for row in tables[0].rows}
    assert table2["行政处罚"] == "154"
    assert table2["行政许可"] == "0"
