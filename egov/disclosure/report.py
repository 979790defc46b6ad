"""The annual report on government information disclosure (政府信息公开工作年度报告) in the
structure of 国办公开办函〔2021〕30号: six sections, tables 二, 三 and 四.

``build(year, body=None)`` gathers one body's report (all bodies' when ``body`` is None):

- table 三 (requests on application) is computed from ``DisclosureRequest``: received in the
  year (``received_on``), carried over (received before the year, not answered before it),
  the year's outcomes (``answered_on`` in the year, one row per ``outcome``), carried forward
  (received by 31 December, not answered by then); one column per applicant type;
- table 二 (proactive disclosure): 行政许可 is the licensing cases decided in the year (closed
  with a decision, as 双公示 dates them), 行政事业性收费 the payment notices paid in the year,
  in 万元; the platform holds no 规章, 行政规范性文件 register, penalties or enforcement, so
  those figures are entered by staff (``AnnualReport.review_rows["table2"]``);
- table 四 (administrative review and litigation) is entered by staff
  (``AnnualReport.review_rows``), its totals computed where staff left them out;
- sections 一, 五 and 六 are the staff's text of the ``AnnualReport`` of (body, year).

``check(data)`` cross-checks the figures; ``render_html``, ``render_pdf`` and ``render_docx``
write the report. Row and column labels are the template's fixed Chinese wording, the same
in every output and every interface language.
"""

from __future__ import annotations

import datetime
import html
import io
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import CANNOT_PROVIDE, NOT_HANDLED, OTHER_HANDLING, WITHHELD, ApplicantType, Outcome

# --- the template's wording ------------------------------------------------------------------

SECTION_TITLES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

# Table 三's columns: the applicant types, then the total.
TOTAL = "total"
APPLICANT_COLUMNS = (
    ApplicantType.PERSON,
    ApplicantType.BUSINESS,
    ApplicantType.RESEARCH,
    ApplicantType.PUBLIC_INTEREST,
    ApplicantType.LEGAL_SERVICE,
    ApplicantType.OTHER,
)
COLUMNS = (*APPLICANT_COLUMNS, TOTAL)
COLUMN_LABELS = {
    ApplicantType.PERSON: "自然人",
    ApplicantType.BUSINESS: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.PUBLIC_INTEREST: "社会公益组织",
    ApplicantType.LEGAL_SERVICE: "法律服务机构",
    ApplicantType.OTHER: "其他",
    TOTAL: "总计",
}
APPLICANTS_HEADING = "申请人情况"
ORGANISATIONS_HEADING = "法人或其他组织"
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Table 三's rows (the keys of the rows that are not an outcome).
RECEIVED = "received"
CARRIED_OVER = "carried_over"
HANDLED = "handled"  # (七)总计
CARRIED_FORWARD = "carried_forward"
RESULTS_HEADING = "三、本年度办理结果"

ROW_LABELS = {
    RECEIVED: "一、本年新收政府信息公开申请数量",
    CARRIED_OVER: "二、上年结转政府信息公开申请数量",
    Outcome.DISCLOSED: "(一)予以公开",
    Outcome.PARTIAL: "(二)部分公开(区分处理的，只计这一情形，不计其他情形)",
    Outcome.SECRET: "1属于国家秘密",
    Outcome.LAW_FORBIDS: "2其他法律行政法规禁止公开",
    Outcome.SAFETY: '3危及"三安全一稳定"',
    Outcome.THIRD_PARTY: "4保护第三方合法权益",
    Outcome.INTERNAL: "5属于三类内部事务信息",
    Outcome.PROCESS: "6属于四类过程性信息",
    Outcome.ENFORCEMENT: "7属于行政执法案卷",
    Outcome.QUERY: "8属于行政查询事项",
    Outcome.NOT_HELD: "1本机关不掌握相关政府信息",
    Outcome.NEEDS_MAKING: "2没有现成信息需要另行制作",
    Outcome.STILL_UNCLEAR: "3补正后申请内容仍不明确",
    Outcome.PETITION: "1信访举报投诉类申请",
    Outcome.REPEAT: "2重复申请",
    Outcome.PUBLICATION: "3要求提供公开出版物",
    Outcome.EXCESSIVE: "4无正当理由大量反复申请",
    Outcome.CONFIRMATION: "5要求行政机关确认或重新出具已获取信息",
    Outcome.NO_CORRECTION: "1申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    Outcome.UNPAID_FEE: "2申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    Outcome.OTHER: "3其他",
    HANDLED: "(七)总计",
    CARRIED_FORWARD: "四、结转下年度继续办理",
}

# The outcome part of table 三, in the template's order: a row on its own, or a group.
OUTCOME_GROUPS = (
    ("", "", (Outcome.DISCLOSED,)),
    ("", "", (Outcome.PARTIAL,)),
    ("withheld", "(三)不予公开", WITHHELD),
    ("cannot_provide", "(四)无法提供", CANNOT_PROVIDE),
    ("not_handled", "(五)不予处理", NOT_HANDLED),
    ("other_handling", "(六)其他处理", OTHER_HANDLING),
)
OUTCOME_ROWS = tuple(code for _key, _label, codes in OUTCOME_GROUPS for code in codes)
ROWS = (RECEIVED, CARRIED_OVER, *OUTCOME_ROWS, HANDLED, CARRIED_FORWARD)


def table3_labels() -> list[str]:
    """Every row label of table 三, as the template writes them, top to bottom."""
    labels = [ROW_LABELS[RECEIVED], ROW_LABELS[CARRIED_OVER], RESULTS_HEADING]
    for _key, group_label, codes in OUTCOME_GROUPS:
        if group_label:
            labels.append(group_label)
        labels.extend(ROW_LABELS[code] for code in codes)
    labels += [ROW_LABELS[HANDLED], ROW_LABELS[CARRIED_FORWARD]]
    return labels


# Table 二: the template's four parts (第二十条 item, column headings, rows).
DOCUMENT_COLUMNS = ("issued", "repealed", "in_force")
TABLE2 = (
    (
        "第二十条第（一）项",
        ("本年制发件数", "本年废止件数", "现行有效件数"),
        (("rules", "规章"), ("normative", "行政规范性文件")),
    ),
    ("第二十条第（五）项", ("本年处理决定数量",), (("licensing", "行政许可"),)),
    (
        "第二十条第（六）项",
        ("本年处理决定数量",),
        (("penalty", "行政处罚"), ("enforcement", "行政强制")),
    ),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("fees", "行政事业性收费"),)),
)
TABLE2_CONTENT_HEADING = "信息内容"
TABLE2_LABELS = {key: label for _item, _columns, rows in TABLE2 for key, label in rows}
# What staff enter in AnnualReport.review_rows["table2"]; the rest is computed.
TABLE2_ENTERED = ("rules", "normative", "penalty", "enforcement")

# Table 四: three groups of five columns.
REVIEW_COLUMNS = ("maintained", "corrected", "other", "pending", "total")
REVIEW_COLUMN_LABELS = dict(
    zip(REVIEW_COLUMNS, ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), strict=True)
)
REVIEW_GROUPS = ("review", "suit_direct", "suit_after_review")
REVIEW_GROUP_LABELS = {
    "review": "行政复议",
    "suit_direct": "未经复议直接起诉",
    "suit_after_review": "复议后起诉",
}
LITIGATION_HEADING = "行政诉讼"


# --- the data -------------------------------------------------------------------------------

COMPUTED = "computed"  # from the platform's records
ENTERED = "entered"  # entered by staff
MISSING = "missing"  # to be entered by staff, not entered yet
INVALID = "invalid"  # entered, but not a number of 0 or more


@dataclass
class Figure:
    """One cell of table 二 or 四: its value and where it comes from."""

    value: int | Decimal | None
    source: str
    raw: object = None  # what staff entered, kept when it is not a valid number

    def display(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, Decimal):
            return format_amount(self.value)
        return str(self.value)


@dataclass
class ApplicationsTable:
    """Table 三: ``counts[row][column]`` for every row of ``ROWS`` and column of ``COLUMNS``."""

    counts: dict[str, dict[str, int]]
    # Requests answered in the year without an outcome: in no row, so check() reports them.
    unclassified: dict[str, int] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> int:
        return self.counts[row][column]

    def row(self, row: str) -> list[int]:
        return [self.counts[row][column] for column in COLUMNS]


@dataclass
class ProactiveTable:
    """Table 二: ``rows[key]`` is the row's figures, in the order of its part's columns."""

    rows: dict[str, list[Figure]]


@dataclass
class ReviewTable:
    """Table 四: ``groups[group]`` is the five figures of ``REVIEW_COLUMNS``."""

    groups: dict[str, list[Figure]]


@dataclass
class AnnualReportData:
    year: int
    body_id: int | None
    body_name: str
    applications: ApplicationsTable
    proactive: ProactiveTable
    reviews: ReviewTable
    overview: str = ""
    problems: str = ""
    other: str = ""
    report_id: int | None = None

    @property
    def title(self) -> str:
        return f"{self.body_name}{self.year}年政府信息公开工作年度报告"

    def as_dict(self) -> dict:
        """JSON-ready (for ``AnnualReport.figures`` when a report is published)."""
        data = asdict(self)

        def plain(value):
            if isinstance(value, dict):
                return {key: plain(item) for key, item in value.items()}
            if isinstance(value, list):
                return [plain(item) for item in value]
            if isinstance(value, Decimal):
                return str(value)
            return value

        return plain(data)

    @classmethod
    def from_dict(cls, data: dict) -> AnnualReportData:
        def figure(item: dict) -> Figure:
            value = item["value"]
            if isinstance(value, str):
                value = Decimal(value)
            return Figure(value=value, source=item["source"], raw=item.get("raw"))

        return cls(
            year=data["year"],
            body_id=data["body_id"],
            body_name=data["body_name"],
            applications=ApplicationsTable(
                counts=data["applications"]["counts"],
                unclassified=data["applications"].get("unclassified", {}),
            ),
            proactive=ProactiveTable(
                rows={
                    key: [figure(item) for item in items]
                    for key, items in data["proactive"]["rows"].items()
                }
            ),
            reviews=ReviewTable(
                groups={
                    key: [figure(item) for item in items]
                    for key, items in data["reviews"]["groups"].items()
                }
            ),
            overview=data.get("overview", ""),
            problems=data.get("problems", ""),
            other=data.get("other", ""),
            report_id=data.get("report_id"),
        )


def format_amount(value: Decimal) -> str:
    """万元 with up to four decimals (one yuan), without trailing zeros: 0.012, 3, 12.5."""
    text = f"{value.quantize(Decimal('0.0001')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- building it from the data ------------------------------------------------------------


def _zeros() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


def _add(counts: dict[str, int], column: str, number: int) -> None:
    if column not in counts:  # an applicant type the template has no column for
        column = ApplicantType.OTHER
    counts[column] += number
    counts[TOTAL] += number


def applications_table(year: int, body=None) -> ApplicationsTable:
    from .models import DisclosureRequest

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    requests = DisclosureRequest.objects.all()
    if body is not None:
        requests = requests.filter(body=body)
    counts = {row: _zeros() for row in ROWS}

    def by_type(queryset, row: str) -> None:
        for entry in queryset.values("applicant_type").annotate(n=Count("pk")).order_by():
            _add(counts[row], entry["applicant_type"], entry["n"])

    by_type(requests.filter(received_on__gte=first, received_on__lte=last), RECEIVED)
    by_type(
        requests.filter(received_on__lt=first).filter(
            Q(answered_on__isnull=True) | Q(answered_on__gte=first)
        ),
        CARRIED_OVER,
    )
    by_type(
        requests.filter(received_on__lte=last).filter(
            Q(answered_on__isnull=True) | Q(answered_on__gt=last)
        ),
        CARRIED_FORWARD,
    )
    unclassified = _zeros()
    answered = requests.filter(answered_on__gte=first, answered_on__lte=last)
    for entry in answered.values("applicant_type", "outcome").annotate(n=Count("pk")).order_by():
        row = entry["outcome"]
        if row in counts and row in OUTCOME_ROWS:
            _add(counts[row], entry["applicant_type"], entry["n"])
        else:
            _add(unclassified, entry["applicant_type"], entry["n"])
    for column in COLUMNS:
        counts[HANDLED][column] = sum(counts[row][column] for row in OUTCOME_ROWS)
    unclassified = {column: n for column, n in unclassified.items() if n}
    return ApplicationsTable(counts=counts, unclassified=unclassified)


def _year_span(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The year's first instant and the next year's, in the platform's time zone."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.datetime(year, 1, 1), zone),
        timezone.make_aware(datetime.datetime(year + 1, 1, 1), zone),
    )


def licensing_decisions(year: int, body=None) -> int:
    """Licensing cases decided (granted or refused) and closed in the year; a decision is
    dated by its case's closing (办结), as the 双公示 publication dates it."""
    from egov.cases.models import Case, Decision
    from egov.services.choices import ItemType

    start, end = _year_span(year)
    cases = Case.objects.filter(
        version__item_type=ItemType.LICENSING,
        decision__in=[Decision.GRANT, Decision.REFUSE],
        closed_at__gte=start,
        closed_at__lt=end,
    )
    if body is not None:
        cases = cases.filter(body=body)
    return cases.count()


def fees_paid(year: int, body=None) -> Decimal:
    """The fees paid on the platform in the year (payment notices of cases), in 万元."""
    from egov.cases.models import PaymentNotice

    start, end = _year_span(year)
    notices = PaymentNotice.objects.filter(
        status=PaymentNotice.Status.PAID, paid_at__gte=start, paid_at__lt=end
    )
    if body is not None:
        notices = notices.filter(case__body=body)
    yuan = notices.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return (Decimal(yuan) / Decimal(10000)).quantize(Decimal("0.0001"))


def _entered(raw) -> Figure:
    if raw is None or raw == "":
        return Figure(None, MISSING)
    if isinstance(raw, bool):
        return Figure(None, INVALID, raw)
    if isinstance(raw, int):
        number = raw
    else:
        try:
            number = int(str(raw).strip())
        except ValueError:
            return Figure(None, INVALID, raw)
    if number < 0:
        return Figure(None, INVALID, raw)
    return Figure(number, ENTERED)


def _entries(value) -> dict:
    return value if isinstance(value, dict) else {}


def proactive_table(year: int, body, entries: dict) -> ProactiveTable:
    staff = _entries(entries.get("table2"))
    rows: dict[str, list[Figure]] = {}
    for key in ("rules", "normative"):
        documents = _entries(staff.get(key))
        rows[key] = [_entered(documents.get(column)) for column in DOCUMENT_COLUMNS]
    rows["licensing"] = [Figure(licensing_decisions(year, body), COMPUTED)]
    rows["penalty"] = [_entered(staff.get("penalty"))]
    rows["enforcement"] = [_entered(staff.get("enforcement"))]
    rows["fees"] = [Figure(fees_paid(year, body), COMPUTED)]
    return ProactiveTable(rows=rows)


def review_table(entries: dict) -> ReviewTable:
    groups: dict[str, list[Figure]] = {}
    for group in REVIEW_GROUPS:
        staff = _entries(entries.get(group))
        figures = [_entered(staff.get(column)) for column in REVIEW_COLUMNS]
        total = figures[-1]
        parts = figures[:-1]
        if total.source == MISSING and all(part.source == ENTERED for part in parts):
            figures[-1] = Figure(sum(part.value for part in parts), COMPUTED)
        groups[group] = figures
    return ReviewTable(groups=groups)


def government_name() -> str:
    from egov.directory.models import Organisation

    government = (
        Organisation.objects.filter(kind=Organisation.Kind.GOVERNMENT, is_active=True)
        .order_by("path")
        .first()
    )
    return government.name_zh if government is not None else ""


def build(year: int, body=None) -> AnnualReportData:
    """The report of ``body`` (an ``directory.Organisation``), or of every body (the whole
    government's) when ``body`` is None, for ``year``, from the data as it is now."""
    from .models import AnnualReport

    report = AnnualReport.objects.filter(year=year)
    report = (report.filter(body=body) if body is not None else report.filter(body=None)).first()
    entries = report.review_rows if report is not None else {}
    entries = entries if isinstance(entries, dict) else {}
    return AnnualReportData(
        year=year,
        body_id=body.pk if body is not None else None,
        body_name=body.name_zh if body is not None else government_name(),
        applications=applications_table(year, body),
        proactive=proactive_table(year, body, entries),
        reviews=review_table(entries),
        overview=report.overview if report is not None else "",
        problems=report.problems if report is not None else "",
        other=report.other if report is not None else "",
        report_id=report.pk if report is not None else None,
    )


# --- cross-checks ---------------------------------------------------------------------------


def check(data: AnnualReportData) -> list[str]:
    """What does not add up or is still missing, as readable sentences (empty: all fine)."""
    problems: list[str] = []
    table = data.applications
    counts = table.counts
    for column in COLUMNS:
        label = COLUMN_LABELS[column]
        rows_sum = sum(counts[row][column] for row in OUTCOME_ROWS)
        if counts[HANDLED][column] != rows_sum:
            problems.append(
                _(
                    "Table 三, column %(column)s: (七)总计 is %(total)s, but its rows add up "
                    "to %(sum)s."
                )
                % {"column": label, "total": counts[HANDLED][column], "sum": rows_sum}
            )
    for row in ROWS:
        columns_sum = sum(counts[row][column] for column in APPLICANT_COLUMNS)
        if counts[row][TOTAL] != columns_sum:
            problems.append(
                _("Table 三, row %(row)s: 总计 is %(total)s, but its columns add up to %(sum)s.")
                % {"row": ROW_LABELS[row], "total": counts[row][TOTAL], "sum": columns_sum}
            )
    for column in COLUMNS:
        before = counts[RECEIVED][column] + counts[CARRIED_OVER][column]
        after = counts[HANDLED][column] + counts[CARRIED_FORWARD][column]
        if before != after:
            problems.append(
                _(
                    "Table 三, column %(column)s: received and carried over (一+二 = %(before)s) "
                    "differ from handled and carried forward ((七)+四 = %(after)s)."
                )
                % {"column": COLUMN_LABELS[column], "before": before, "after": after}
            )
    if table.unclassified.get(TOTAL):
        count = table.unclassified[TOTAL]
        problems.append(
            ngettext(
                "Table 三: %(count)s request answered in %(year)s has no outcome recorded, "
                "so it is counted in no row.",
                "Table 三: %(count)s requests answered in %(year)s have no outcome recorded, "
                "so they are counted in no row.",
                count,
            )
            % {"count": count, "year": data.year}
        )
    for _item, columns, rows in TABLE2:
        for key, row_label in rows:
            for column_label, figure in zip(columns, data.proactive.rows[key], strict=True):
                problems += _figure_problem(
                    figure,
                    _("Table 二, %(row)s, %(column)s") % {"row": row_label, "column": column_label},
                )
    for group in REVIEW_GROUPS:
        figures = data.reviews.groups[group]
        group_label = _review_group_label(group)
        for column, figure in zip(REVIEW_COLUMNS, figures, strict=True):
            problems += _figure_problem(
                figure,
                _("Table 四, %(group)s, %(column)s")
                % {"group": group_label, "column": REVIEW_COLUMN_LABELS[column]},
            )
        if all(figure.value is not None for figure in figures):
            parts = sum(figure.value for figure in figures[:-1])
            if figures[-1].value != parts:
                problems.append(
                    _(
                        "Table 四, %(group)s: 总计 is %(total)s, but 结果维持, 结果纠正, 其他结果 "
                        "and 尚未审结 add up to %(sum)s."
                    )
                    % {"group": group_label, "total": figures[-1].value, "sum": parts}
                )
    for key in ("overview", "problems", "other"):
        if not getattr(data, key).strip():
            problems.append(
                _("Section %(section)s has not been written.") % {"section": SECTION_TITLES[key]}
            )
    return problems


def _review_group_label(group: str) -> str:
    if group == "review":
        return REVIEW_GROUP_LABELS[group]
    return f"{LITIGATION_HEADING}（{REVIEW_GROUP_LABELS[group]}）"


def _figure_problem(figure: Figure, where: str) -> list[str]:
    if figure.source == MISSING:
        return [_("%(cell)s has not been entered.") % {"cell": where}]
    if figure.source == INVALID:
        return [
            _("%(cell)s is %(value)s, not a whole number of 0 or more.")
            % {"cell": where, "value": repr(figure.raw)}
        ]
    return []


# --- the web page (a fragment for a page of the portal or the workbench) ---------------------


def _text_label(text: str):
    """A fixed label as HTML text: <, > and & escaped, quotation marks left as written."""
    return mark_safe(html.escape(text, quote=False))  # noqa: S308 - escaped just before


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in (text or "").splitlines() if part.strip()]


def table3_layout() -> list[dict]:
    """Table 三's body rows with their label cells as the template draws them: a label
    spans the three label columns, or 三、本年度办理结果 and a group label stand in front
    of their rows (``rowspan``)."""
    rows: list[dict] = []
    rows.append({"key": RECEIVED, "labels": [(ROW_LABELS[RECEIVED], 1, 3)]})
    rows.append({"key": CARRIED_OVER, "labels": [(ROW_LABELS[CARRIED_OVER], 1, 3)]})
    results_span = len(OUTCOME_ROWS) + 1
    first = True
    for group_key, group_label, codes in OUTCOME_GROUPS:
        for index, code in enumerate(codes):
            labels = []
            if first:
                labels.append((RESULTS_HEADING, results_span, 1))
                first = False
            if group_label:
                if index == 0:
                    labels.append((group_label, len(codes), 1))
                labels.append((ROW_LABELS[code], 1, 1))
            else:
                labels.append((ROW_LABELS[code], 1, 2))
            rows.append({"key": code, "group": group_key, "labels": labels})
    rows.append({"key": HANDLED, "labels": [(ROW_LABELS[HANDLED], 1, 2)]})
    rows.append({"key": CARRIED_FORWARD, "labels": [(ROW_LABELS[CARRIED_FORWARD], 1, 3)]})
    return rows


def _html_table3(data: AnnualReportData) -> list[dict]:
    """Table 三's rows for the template: label cells (th) and data cells (td) with the ids
    of their headers (WCAG technique H43: the headers of a two-level table)."""
    prefix = "dr3"
    column_headers = {column: f"{prefix}-applicants {prefix}-c-{column}" for column in COLUMNS}
    for column in APPLICANT_COLUMNS[1:]:
        column_headers[column] = f"{prefix}-applicants {prefix}-organisations {prefix}-c-{column}"
    rows = []
    group_ids = {key: f"{prefix}-g-{key}" for key, label, _codes in OUTCOME_GROUPS if label}
    for row in table3_layout():
        key = row["key"]
        row_id = f"{prefix}-r-{key}"
        in_results = key in OUTCOME_ROWS or key == HANDLED
        headers = [row_id]
        if row.get("group") in group_ids:
            headers.insert(0, group_ids[row["group"]])
        if in_results:
            headers.insert(0, f"{prefix}-results")
        labels = []
        for text, rowspan, colspan in row["labels"]:
            if text == RESULTS_HEADING:
                cell_id, scope = f"{prefix}-results", "rowgroup"
            elif text != ROW_LABELS.get(key) and row.get("group") in group_ids:
                cell_id, scope = group_ids[row["group"]], "rowgroup"
            else:
                cell_id, scope = row_id, "row"
            labels.append(
                {
                    "text": _text_label(text),
                    "id": cell_id,
                    "scope": scope,
                    "rowspan": rowspan,
                    "colspan": colspan,
                }
            )
        cells = [
            {
                "value": data.applications.cell(key, column),
                "headers": f"{column_headers[column]} {' '.join(headers)}",
            }
            for column in COLUMNS
        ]
        rows.append({"labels": labels, "cells": cells, "total": key == HANDLED})
    return rows


def _html_table2(data: AnnualReportData) -> list[dict]:
    parts = []
    for number, (item, columns, rows) in enumerate(TABLE2, start=1):
        prefix = f"dr2-{number}"
        parts.append(
            {
                "caption": item,
                "prefix": prefix,
                "columns": [
                    {"id": f"{prefix}-c{index}", "text": text} for index, text in enumerate(columns)
                ],
                "rows": [
                    {
                        "id": f"{prefix}-r-{key}",
                        "label": label,
                        "cells": [
                            {
                                "figure": figure,
                                "headers": f"{prefix}-c{index} {prefix}-r-{key}",
                            }
                            for index, figure in enumerate(data.proactive.rows[key])
                        ],
                    }
                    for key, label in rows
                ],
            }
        )
    return parts


def _html_table4(data: AnnualReportData) -> dict:
    prefix = "dr4"
    columns, cells = [], []
    for group in REVIEW_GROUPS:
        group_headers = f"{prefix}-g-{group}"
        if group != "review":
            group_headers = f"{prefix}-litigation {group_headers}"
        for column, figure in zip(REVIEW_COLUMNS, data.reviews.groups[group], strict=True):
            cell_id = f"{prefix}-c-{group}-{column}"
            columns.append({"id": cell_id, "text": REVIEW_COLUMN_LABELS[column]})
            cells.append({"figure": figure, "headers": f"{group_headers} {cell_id}"})
    return {
        "prefix": prefix,
        "groups": {group: REVIEW_GROUP_LABELS[group] for group in REVIEW_GROUPS},
        "litigation": LITIGATION_HEADING,
        "columns": columns,
        "cells": cells,
    }


def html_context(data: AnnualReportData) -> dict:
    return {
        "report": data,
        "titles": SECTION_TITLES,
        "overview": _paragraphs(data.overview),
        "problems": _paragraphs(data.problems),
        "other": _paragraphs(data.other),
        "table2": _html_table2(data),
        "table2_content_heading": TABLE2_CONTENT_HEADING,
        "table3": _html_table3(data),
        "table3_columns": {
            "applicants": APPLICANTS_HEADING,
            "organisations": ORGANISATIONS_HEADING,
            "note": TABLE3_NOTE,
            "labels": COLUMN_LABELS,
            "person": ApplicantType.PERSON,
            "organisation_columns": [
                (column, COLUMN_LABELS[column]) for column in APPLICANT_COLUMNS[1:]
            ],
            "total": TOTAL,
        },
        "table4": _html_table4(data),
    }


def render_html(data: AnnualReportData) -> str:
    """The report as an HTML fragment (an ``<article>``, its sections at ``<h2>``); the page
    around it gives ``data.title`` as its ``<h1>``."""
    return render_to_string("disclosure/report/annual_report.html", html_context(data))


# --- PDF ------------------------------------------------------------------------------------

PDF_FONT = "STSong-Light"  # as egov.licences.issue: an Adobe CJK font, not embedded
PDF_MARGIN = 40


def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    return PDF_FONT


def _pdf_styles():
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    font = _pdf_font()
    return {
        "title": ParagraphStyle(
            "title", fontName=font, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=14
        ),
        "heading": ParagraphStyle(
            "heading", fontName=font, fontSize=13, leading=20, spaceBefore=10, spaceAfter=6
        ),
        "body": ParagraphStyle(
            "body",
            fontName=font,
            fontSize=11,
            leading=18,
            firstLineIndent=22,
            wordWrap="CJK",
            spaceAfter=4,
        ),
        "caption": ParagraphStyle(
            "caption", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK"),
    }


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _text_flowables(text: str, styles) -> list:
    from reportlab.platypus import Paragraph

    paragraphs = _paragraphs(text)
    if not paragraphs:
        return [Paragraph("无。", styles["body"])]
    return [Paragraph(_escape(part), styles["body"]) for part in paragraphs]


def _grid_style(font: str, size: float = 8):
    from reportlab.lib import colors

    return [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]


def _width(texts, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max(stringWidth(text, font, size) for text in texts) + 8


def _pdf_table2(data: AnnualReportData):
    from reportlab.platypus import Table

    font = _pdf_font()
    grid: list[list[str]] = []
    style = _grid_style(font, 9)
    for item, columns, rows in TABLE2:
        start = len(grid)
        grid.append([item, "", "", ""])
        style.append(("SPAN", (0, start), (-1, start)))
        heading = [TABLE2_CONTENT_HEADING, *columns]
        grid.append(heading + [""] * (4 - len(heading)))
        for key, label in rows:
            values = [figure.display() for figure in data.proactive.rows[key]]
            grid.append([label, *values] + [""] * (3 - len(values)))
        if len(columns) == 1:
            for row in range(start + 1, len(grid)):
                style.append(("SPAN", (1, row), (-1, row)))
        style.append(("ALIGN", (0, start), (-1, start + 1), "CENTER"))
        style.append(("ALIGN", (1, start + 2), (-1, len(grid) - 1), "CENTER"))
    return Table(grid, colWidths=[110, 120, 120, 120], style=style, repeatRows=0)


def _pdf_table3(data: AnnualReportData, width: float):
    from reportlab.platypus import Paragraph, Table

    font = _pdf_font()
    styles = _pdf_styles()
    size = 8
    layout = table3_layout()
    # Label columns as wide as their longest label, so that no label breaks across lines.
    single: list[list[str]] = [[], [], []]  # the labels of one column, by column
    for row in layout:
        position = 3 - sum(colspan for _text, _rowspan, colspan in row["labels"])
        for text, _rowspan, colspan in row["labels"]:
            if colspan == 1:
                single[position].append(text)
            position += colspan
    label_widths = [_width(texts, font, size) for texts in single]
    two = [text for row in layout for text, _rowspan, colspan in row["labels"] if colspan == 2]
    label_widths[2] = max(label_widths[2], _width(two, font, size) - label_widths[1])
    rest = width - sum(label_widths)
    number_width = max(rest / len(COLUMNS), _width(COLUMN_LABELS.values(), font, size))
    widths = [*label_widths, *[number_width] * len(COLUMNS)]

    note = Paragraph(_escape(TABLE3_NOTE), styles["cell"])
    grid: list[list] = [
        [note, "", "", APPLICANTS_HEADING, *[""] * (len(COLUMNS) - 1)],
        ["", "", "", COLUMN_LABELS[ApplicantType.PERSON], ORGANISATIONS_HEADING, "", "", "", ""]
        + [COLUMN_LABELS[TOTAL]],
        ["", "", "", "", *[COLUMN_LABELS[c] for c in APPLICANT_COLUMNS[1:]], ""],
    ]
    style = _grid_style(font, size)
    style += [
        ("SPAN", (0, 0), (2, 2)),
        ("SPAN", (3, 0), (-1, 0)),
        ("SPAN", (3, 1), (3, 2)),
        ("SPAN", (4, 1), (8, 1)),
        ("SPAN", (9, 1), (9, 2)),
        ("ALIGN", (3, 0), (-1, -1), "CENTER"),
    ]
    for row in layout:
        index = len(grid)
        line = [""] * 3
        position = 3 - sum(span for _text, _rows, span in row["labels"])
        for text, rowspan, colspan in row["labels"]:
            line[position] = text
            if rowspan > 1 or colspan > 1:
                style.append(
                    ("SPAN", (position, index), (position + colspan - 1, index + rowspan - 1))
                )
            position += colspan
        grid.append(line + [str(value) for value in data.applications.row(row["key"])])
    return Table(grid, colWidths=widths, style=style, repeatRows=3)


def _pdf_table4(data: AnnualReportData, width: float):
    from reportlab.platypus import Table

    font = _pdf_font()
    size = 8
    labels = [REVIEW_COLUMN_LABELS[column] for column in REVIEW_COLUMNS] * 3
    values = [figure.display() for group in REVIEW_GROUPS for figure in data.reviews.groups[group]]
    grid = [
        [REVIEW_GROUP_LABELS["review"], *[""] * 4, LITIGATION_HEADING, *[""] * 9],
        [
            "",
            "",
            "",
            "",
            "",
            REVIEW_GROUP_LABELS["suit_direct"],
            *[""] * 4,
            REVIEW_GROUP_LABELS["suit_after_review"],
            *[""] * 4,
        ],
        labels,
        values,
    ]
    style = _grid_style(font, size) + [
        ("SPAN", (0, 0), (4, 1)),
        ("SPAN", (5, 0), (14, 0)),
        ("SPAN", (5, 1), (9, 1)),
        ("SPAN", (10, 1), (14, 1)),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]
    return Table(grid, colWidths=[width / 15] * 15, style=style)


def render_pdf(data: AnnualReportData) -> bytes:
    """The report as A4 PDF: text sections upright, tables 三 and 四 on landscape pages."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
    )

    font = _pdf_font()
    styles = _pdf_styles()

    def page_number(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 10)
        width = canvas._pagesize[0]
        canvas.drawCentredString(width / 2, PDF_MARGIN * 3 / 8, f"— {document.page} —")
        canvas.restoreState()

    def template(name: str, size, margin: float = PDF_MARGIN) -> PageTemplate:
        frame = Frame(
            margin,
            margin,
            size[0] - 2 * margin,
            size[1] - 2 * margin,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        return PageTemplate(id=name, frames=[frame], pagesize=size, onPage=page_number)

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=data.title,
        author=data.body_name,
        subject="政府信息公开工作年度报告",
        lang="zh-CN",
        invariant=1,
        pageTemplates=[
            template("portrait", A4),
            template("landscape", landscape(A4), PDF_MARGIN * 3 / 4),
        ],
    )
    wide = landscape(A4)[0] - 2 * PDF_MARGIN * 3 / 4
    story = [
        Paragraph(_escape(data.title), styles["title"]),
        Paragraph(SECTION_TITLES["overview"], styles["heading"]),
        *_text_flowables(data.overview, styles),
        Paragraph(SECTION_TITLES["proactive"], styles["heading"]),
        _pdf_table2(data),
        NextPageTemplate("landscape"),
        PageBreak(),
        Paragraph(SECTION_TITLES["applications"], styles["heading"]),
        _pdf_table3(data, wide),
        Spacer(1, 12),
        KeepTogether(
            [Paragraph(SECTION_TITLES["reviews"], styles["heading"]), _pdf_table4(data, wide)]
        ),
        NextPageTemplate("portrait"),
        PageBreak(),
        Paragraph(SECTION_TITLES["problems"], styles["heading"]),
        *_text_flowables(data.problems, styles),
        Paragraph(SECTION_TITLES["other"], styles["heading"]),
        *_text_flowables(data.other, styles),
    ]
    document.build(story)
    return buffer.getvalue()


# --- DOCX -----------------------------------------------------------------------------------

DOCX_FONT = "宋体"


def _docx_font(run_or_style, size: float | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run_or_style.font.name = "SimSun"
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), DOCX_FONT)
    if size is not None:
        run_or_style.font.size = Pt(size)


def _docx_cell(cell, text: str, *, size: float = 9, center: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    _docx_font(run, size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _docx_header_rows(table, count: int) -> None:
    """Mark the first rows as header rows (repeated on each page, read as headers)."""
    from docx.oxml.ns import qn

    for row in table.rows[:count]:
        properties = row._tr.get_or_add_trPr()
        header = properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
        properties.append(header)


def _docx_table(document, rows: int, columns: int):
    table = document.add_table(rows=rows, cols=columns)
    table.style = "Table Grid"
    return table


def _docx_caption(document, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_font(paragraph.add_run(text), 10.5)


def _docx_heading(document, text: str) -> None:
    heading = document.add_heading(level=1)
    _docx_font(heading.add_run(text), 14)


def _docx_text(document, text: str) -> None:
    from docx.shared import Pt

    for part in _paragraphs(text) or ["无。"]:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        _docx_font(paragraph.add_run(part), 12)


def _docx_table2(document, data: AnnualReportData) -> None:
    count = sum(2 + len(rows) for _item, _columns, rows in TABLE2)
    table = _docx_table(document, count, 4)
    index = 0
    for item, columns, rows in TABLE2:
        _docx_cell(table.cell(index, 0).merge(table.cell(index, 3)), item, center=True)
        heading = [TABLE2_CONTENT_HEADING, *columns]
        if len(columns) == 1:
            table.cell(index + 1, 1).merge(table.cell(index + 1, 3))
        for column, text in enumerate(heading):
            _docx_cell(table.cell(index + 1, column), text, center=True)
        index += 2
        for key, label in rows:
            _docx_cell(table.cell(index, 0), label)
            figures = data.proactive.rows[key]
            if len(figures) == 1:
                table.cell(index, 1).merge(table.cell(index, 3))
            for column, figure in enumerate(figures, start=1):
                _docx_cell(table.cell(index, column), figure.display(), center=True)
            index += 1


def _docx_table3(document, data: AnnualReportData) -> None:
    layout = table3_layout()
    table = _docx_table(document, 3 + len(layout), 3 + len(COLUMNS))
    _docx_cell(table.cell(0, 0).merge(table.cell(2, 2)), TABLE3_NOTE, size=8)
    _docx_cell(table.cell(0, 3).merge(table.cell(0, 9)), APPLICANTS_HEADING, center=True)
    _docx_cell(
        table.cell(1, 3).merge(table.cell(2, 3)),
        COLUMN_LABELS[ApplicantType.PERSON],
        center=True,
    )
    _docx_cell(table.cell(1, 4).merge(table.cell(1, 8)), ORGANISATIONS_HEADING, center=True)
    _docx_cell(table.cell(1, 9).merge(table.cell(2, 9)), COLUMN_LABELS[TOTAL], center=True)
    for column, code in enumerate(APPLICANT_COLUMNS[1:], start=4):
        _docx_cell(table.cell(2, column), COLUMN_LABELS[code], center=True)
    _docx_header_rows(table, 3)
    for offset, row in enumerate(layout):
        index = 3 + offset
        position = 3 - sum(span for _text, _rows, span in row["labels"])
        for text, rowspan, colspan in row["labels"]:
            cell = table.cell(index, position)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(index + rowspan - 1, position + colspan - 1))
            _docx_cell(cell, text)
            position += colspan
        for column, value in enumerate(data.applications.row(row["key"]), start=3):
            _docx_cell(table.cell(index, column), str(value), center=True)


def _docx_table4(document, data: AnnualReportData) -> None:
    table = _docx_table(document, 4, 15)
    _docx_cell(table.cell(0, 0).merge(table.cell(1, 4)), REVIEW_GROUP_LABELS["review"], center=True)
    _docx_cell(table.cell(0, 5).merge(table.cell(0, 14)), LITIGATION_HEADING, center=True)
    _docx_cell(
        table.cell(1, 5).merge(table.cell(1, 9)), REVIEW_GROUP_LABELS["suit_direct"], center=True
    )
    _docx_cell(
        table.cell(1, 10).merge(table.cell(1, 14)),
        REVIEW_GROUP_LABELS["suit_after_review"],
        center=True,
    )
    column = 0
    for group in REVIEW_GROUPS:
        for code, figure in zip(REVIEW_COLUMNS, data.reviews.groups[group], strict=True):
            _docx_cell(table.cell(2, column), REVIEW_COLUMN_LABELS[code], size=8, center=True)
            _docx_cell(table.cell(3, column), figure.display(), center=True)
            column += 1
    _docx_header_rows(table, 3)


def _docx_orientation(document, wide: bool) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    if wide != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT


def render_docx(data: AnnualReportData) -> bytes:
    """The report as a Word document: tables 三 and 四 in a landscape section."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    _docx_font(document.styles["Normal"], 12)
    properties = document.core_properties
    properties.title = data.title
    properties.author = data.body_name
    properties.language = "zh-CN"

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_font(title.add_run(data.title), 18)
    _docx_heading(document, SECTION_TITLES["overview"])
    _docx_text(document, data.overview)
    _docx_heading(document, SECTION_TITLES["proactive"])
    _docx_table2(document, data)
    _docx_orientation(document, wide=True)
    _docx_heading(document, SECTION_TITLES["applications"])
    _docx_table3(document, data)
    _docx_heading(document, SECTION_TITLES["reviews"])
    _docx_table4(document, data)
    _docx_orientation(document, wide=False)
    _docx_heading(document, SECTION_TITLES["problems"])
    _docx_text(document, data.problems)
    _docx_heading(document, SECTION_TITLES["other"])
    _docx_text(document, data.other)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


__all__ = [
    "AnnualReportData",
    "ApplicationsTable",
    "Figure",
    "ProactiveTable",
    "ReviewTable",
    "build",
    "check",
    "render_docx",
    "render_html",
    "render_pdf",
    "table3_labels",
]
