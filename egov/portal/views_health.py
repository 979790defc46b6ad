"""The site health dashboard in the CMS (``/cms/health/``) and the CMS home page's panel.

Who may see what is decided by ``inspector.selectors.health_scope``: the district's site
administrators (superusers, holders of ``portal.view_sitehealthreport``) every site and
section; a body's editors their own body's only; anyone else is refused (Wagtail sends them
back to the CMS home with a message). Every figure of a chart is also in a table: the charts
(ECharts, portal/js/health-charts.js) only enhance the page.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from egov.portal.inspector import rules as r
from egov.portal.inspector.messages import check_label, day_of, describe
from egov.portal.inspector.rules import Check, Rules
from egov.portal.inspector.selectors import (
    Scope,
    health_scope,
    latest_reports,
    open_warnings,
    report_for,
    score_history,
)
from egov.portal.models.health import SiteHealthReport

DASHBOARD_TREND_DAYS = 30
REPORT_TREND_DAYS = 90
TREND_SUBJECTS = 12


def _vetoes(report: SiteHealthReport) -> list[str]:
    return [check_label(code) for code in report.vetoes]


def _finding_rows(findings: list[dict], existing_pages: set[int]) -> list[dict]:
    rows = []
    for finding in findings:
        page_id = finding.get("page_id")
        if finding.get("url"):
            fix_url = finding["url"]
        elif page_id in existing_pages:
            fix_url = reverse("wagtailadmin_pages:edit", args=[page_id])
        else:
            fix_url = ""
        rows.append(
            {
                "check": check_label(finding["check"]),
                "text": describe(finding),
                "body": finding.get("body", ""),
                "since": day_of(finding.get("since")),
                "due": day_of(finding.get("due")),
                "first_seen": finding.get("first_seen") or "",
                "fix_url": fix_url,
            }
        )
    return rows


def _pages_that_exist(*finding_lists) -> set[int]:
    ids = {f.get("page_id") for findings in finding_lists for f in findings if f.get("page_id")}
    return set(Page.objects.filter(pk__in=ids).values_list("pk", flat=True))


def _trend(reports: list[SiteHealthReport], until: datetime.date, days: int) -> dict:
    span, history = score_history([rep.page_id for rep in reports], until, days)
    return {
        "days": [d.isoformat() for d in span],
        "series": [{"name": rep.title, "values": history[rep.page_id]} for rep in reports],
    }


def _trend_table(trend: dict) -> list[dict]:
    """The trend as rows (one per day, newest first), for the table beside the chart; days
    without any report are left out."""
    rows = []
    for index, day in reversed(list(enumerate(trend["days"]))):
        scores = [series["values"][index] for series in trend["series"]]
        if any(score is not None for score in scores):
            rows.append({"day": day, "scores": scores})
    return rows


class HealthView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "pick"
    scope: Scope

    def dispatch(self, request, *args, **kwargs):
        self.scope = health_scope(request.user)
        if not self.scope:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def chart_labels(self) -> dict:
        return {
            "score": _("Score"),
            "passMark": _("Pass mark"),
            "passed": _("Passed"),
            "failed": _("Failed"),
        }


class DashboardView(HealthView):
    template_name = "portal/health/dashboard.html"
    page_title = gettext_lazy("Site health")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rules = Rules.load()
        reports = latest_reports(self.scope)
        until = max((rep.day for rep in reports), default=timezone.localdate())
        sites = [rep for rep in reports if rep.kind == SiteHealthReport.Kind.SITE]
        trend_reports = (sites if self.scope.everything and sites else reports)[:TREND_SUBJECTS]
        trend = _trend(trend_reports, until, DASHBOARD_TREND_DAYS)
        rows = [
            {
                "report": rep,
                "vetoes": _vetoes(rep),
                "problems": len(rep.findings),
                "warnings": len(rep.warnings),
                "url": reverse("portal_health:report", args=[rep.page_id]),
            }
            for rep in reports
        ]
        context.update(
            {
                "rows": rows,
                "failing": sum(1 for rep in reports if not rep.passed),
                "pass_mark": rules.pass_mark,
                "trend_reports": trend_reports,
                "trend_rows": _trend_table(trend),
                "trend_days": DASHBOARD_TREND_DAYS,
                "open_warning_count": open_warnings(self.scope).count(),
                "chart_data": {
                    "labels": self.chart_labels(),
                    "scores": {
                        "names": [rep.title for rep in reports],
                        "values": [rep.score for rep in reports],
                        "passed": [rep.passed for rep in reports],
                        "passMark": rules.pass_mark,
                    },
                    "trend": {**trend, "passMark": rules.pass_mark},
                },
            }
        )
        return context


class ReportView(HealthView):
    template_name = "portal/health/report.html"

    def get(self, request, *args, **kwargs):
        page_id = kwargs["page_id"]
        if not self.scope.allows(page_id):
            raise PermissionDenied
        day = None
        if request.GET.get("day"):
            try:
                day = datetime.date.fromisoformat(request.GET["day"])
            except ValueError as error:
                raise Http404(_("No such day; use YYYY-MM-DD.")) from error
        self.report = report_for(page_id, day)
        if self.report is None:
            raise Http404(_("No site health report for this page and day."))
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Site health: %(title)s") % {"title": self.report.title}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("portal_health:dashboard"), "label": _("Site health")},
            {"url": "", "label": self.report.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        rules = Rules.load()
        existing = _pages_that_exist(report.findings, report.warnings)
        checks = []
        for check in Check:
            limit = r.VETO_COUNTS[check]
            checks.append(
                {
                    "label": check.label,
                    "count": report.counts.get(check, 0),
                    "limit": limit,
                    "veto": limit is not None,
                    "failed": check in report.vetoes,
                    "unchecked": check in report.unchecked,
                    "points": report.deductions.get(check, 0),
                }
            )
        trend = _trend([report], report.day, REPORT_TREND_DAYS)
        warnings = [w for w in open_warnings(self.scope) if w.area.page_id == report.page_id]
        context.update(
            {
                "report": report,
                "vetoes": _vetoes(report),
                "checks": checks,
                "deducted": sum(report.deductions.values()),
                "findings": _finding_rows(report.findings, existing),
                "warnings": _finding_rows(report.warnings, existing),
                "open_warnings": warnings,
                "trend_rows": _trend_table(trend),
                "trend_days": REPORT_TREND_DAYS,
                "pass_mark": rules.pass_mark,
                "chart_data": {
                    "labels": self.chart_labels(),
                    "trend": {**trend, "passMark": rules.pass_mark},
                },
            }
        )
        return context


class HealthPanel(Component):
    """On the CMS home page: a body's editors see their open warnings and their latest
    verdict; site administrators see how many sites and sections fail."""

    name = "site_health"
    template_name = "portal/health/panel.html"
    order = 90

    def __init__(self, scope: Scope):
        self.scope = scope

    def get_context_data(self, parent_context=None):
        reports = latest_reports(self.scope)
        warnings = open_warnings(self.scope)
        rows = [
            {
                "text": describe(w.finding),
                "due": day_of(w.finding.get("due")),
                "body": w.area.body.name_zh,
            }
            for w in warnings[:10]
        ]
        return {
            "everything": self.scope.everything,
            "reports": reports if not self.scope.everything else [],
            "failing": sum(1 for rep in reports if not rep.passed),
            "total": len(reports),
            "warnings": rows,
            "more_warnings": max(0, warnings.count() - len(rows)),
            "dashboard_url": reverse("portal_health:dashboard"),
        }


def homepage_panel(request) -> HealthPanel | None:
    scope = health_scope(request.user)
    return HealthPanel(scope) if scope else None
