"""Pages of the annual reports (docs/disclosure.md, "Report pages and reminders").

Staff (internal zone, /staff/disclosure/reports/, two-factor by StaffSecurityMiddleware):
the reports of the bodies the user may see, for a year; a report's edit page (the text, the
figures of tables 二 and 四 that staff enter, below them a preview of the report as it is now
and what ``report.check`` finds); publication. Every page needs
``disclosure.edit_annual_report``; a body outside the user's data scope is "not found".

Public (external zone, /disclosure/reports/): the published reports, and each one's page,
PDF and DOCX, all of the figures frozen at publication. An unpublished report is "not
found".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egov.core.timers import timer_state
from egov.directory.models import Organisation
from egov.hall.views import content_disposition

from . import report, reports
from .forms_reports import AnnualReportForm
from .models import AnnualReport

DOWNLOADS = {
    "pdf": ("application/pdf", report.render_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        report.render_docx,
    ),
}
DOWNLOAD_SECONDS = 24 * 3600

# --- staff ------------------------------------------------------------------------------


def _require_permission(request) -> None:
    if not request.user.has_perm(reports.PERMISSION):
        raise PermissionDenied(_("Your roles do not include the disclosure annual reports."))


def _year(value, years: list[int]) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if year not in years:
        raise Http404
    return year


def _editable(request, year: int, code: str):
    """The body of the report (None: the whole government's), if the user may edit it."""
    _require_permission(request)
    _year(year, reports.editable_years())
    found, body = reports.find_body(code)
    if not found or not reports.may_see(request.user, body):
        raise Http404
    return body


def _name(body) -> str:
    return body.name_zh if body is not None else report.government_name()


@login_required
@require_safe
def staff_reports(request):
    _require_permission(request)
    years = reports.editable_years()
    default = timezone.localdate().year - 1
    year = _year(request.GET.get("year", default), years)
    user = request.user
    entries = []
    government = reports.government_body()
    if reports.may_see(user, None):
        entries.append((None, government.name_zh))
    bodies = reports.reporting_bodies().filter(pk__in=reports.visible_bodies(user).values("pk"))
    entries += [(body, body.name_zh) for body in bodies]
    rows_by_body = {
        row.body_id: row
        for row in AnnualReport.objects.filter(year=year).defer(
            "figures", "overview", "problems", "other", "review_rows"
        )
    }
    timers_by_code = reports.reminders_of_year(year)
    today = timezone.localdate()
    rows = []
    for body, name in entries:
        code = reports.code_of(body)
        timer = timers_by_code.get(code)
        rows.append(
            {
                "code": code,
                "name": name,
                "government": body is None,
                "report": rows_by_body.get(body.pk if body is not None else None),
                "timer": timer,
                "state": timer_state(timer, today) if timer is not None else "",
                "due": reports.due_date(year, body),
            }
        )
    return render(
        request,
        "disclosure/report_staff_list.html",
        {"title": _("Annual reports"), "year": year, "years": years, "rows": rows},
    )


def _edit_page(request, year: int, body, form=None, refused=None, status=200):
    code = reports.code_of(body)
    row = reports.report_of(year, body)
    data = report.build(year, body)
    problems = report.check(data)
    timer = reports.reminder(year, body)
    return render(
        request,
        "disclosure/report_edit.html",
        {
            "title": _("Annual report %(year)s: %(body)s") % {"year": year, "body": _name(body)},
            "year": year,
            "code": code,
            "government": body is None,
            "row": row,
            "form": form or AnnualReportForm(report_row=row),
            "data": data,
            "preview": report.render_html(data),
            "problems": problems,
            "refused": refused,
            "changed": reports.differs_from_published(row, data),
            "year_over": reports.year_is_over(year),
            "titles": report.SECTION_TITLES,
            "timer": timer,
            "state": timer_state(timer) if timer is not None else "",
            "due": reports.due_date(year, body),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_report(request, year: int, code: str):
    body = _editable(request, year, code)
    if request.method != "POST":
        return _edit_page(request, year, body)
    form = AnnualReportForm(request.POST, report_row=reports.report_of(year, body))
    if not form.is_valid():
        return _edit_page(request, year, body, form=form, status=400)
    reports.save_report(
        year,
        body,
        by=request.user,
        overview=form.cleaned_data["overview"],
        problems=form.cleaned_data["problems"],
        other=form.cleaned_data["other"],
        review_rows=form.review_rows(),
    )
    messages.success(request, _("The report is saved."))
    return redirect("disclosure_staff:report", year=year, code=code)


@login_required
@require_POST
def staff_publish(request, year: int, code: str):
    body = _editable(request, year, code)
    try:
        reports.publish(year, body, by=request.user, request=request)
    except reports.ReportNotReadyError as refused:
        return _edit_page(request, year, body, refused=refused.problems, status=400)
    messages.success(request, _("The report is published."))
    return redirect("disclosure_staff:report", year=year, code=code)


# --- public -------------------------------------------------------------------------------


@require_safe
def public_reports(request):
    years: list[dict] = []
    for row in reports.published_reports():
        if not years or years[-1]["year"] != row.year:
            years.append({"year": row.year, "reports": []})
        years[-1]["reports"].append(
            {
                "code": reports.code_of(row.body),
                "title": f"{row.frozen_name}{row.year}年政府信息公开工作年度报告",
                "published_at": row.published_at,
            }
        )
    return render(
        request,
        "disclosure/report_list.html",
        {"title": _("Annual reports on government information disclosure"), "years": years},
    )


@require_safe
def public_report(request, year: int, code: str):
    # A published report stays public, also once its body is merged away or renamed.
    body = None
    if code != reports.GOVERNMENT:
        body = get_object_or_404(Organisation, code=code)
    row = get_object_or_404(AnnualReport, year=year, body=body, published_at__isnull=False)
    data = reports.published(row)
    wanted = request.GET.get("format", "")
    if wanted:
        if wanted not in DOWNLOADS:
            raise Http404
        content_type, render_bytes = DOWNLOADS[wanted]
        # A publication's files never change: made once (the DOCX takes seconds), then kept.
        key = f"disclosure.report.{wanted}:{row.pk}:{int(row.published_at.timestamp() * 1e6)}"
        content = cache.get(key)
        if content is None:
            content = render_bytes(data)
            cache.set(key, content, DOWNLOAD_SECONDS)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition(f"{data.title}.{wanted}")
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(
        request,
        "disclosure/report_page.html",
        {
            "title": data.title,
            "row": row,
            "code": code,
            "report": data,
            "fragment": report.render_html(data),
        },
    )
