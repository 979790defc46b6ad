"""Reads of the inspector's results, and who may see which.

- The district's site administrators — superusers and holders of ``portal.view_sitehealthreport``
  (Settings → Groups in the CMS: "Can view site health report") — see every site and section.
- A body's editors see the reports of their own body's site or section only.
- Anyone else sees none.
"""

import datetime

from django.db.models import OuterRef, Subquery

from egov.portal.models import BodyArea
from egov.portal.models.health import HealthWarning, SiteHealthReport

VIEW_PERMISSION = "portal.view_sitehealthreport"


class Scope:
    """Which subjects (root pages) a user may see: all, or a set of page ids."""

    def __init__(self, page_ids: set[int] | None):
        self.page_ids = page_ids

    @property
    def everything(self) -> bool:
        return self.page_ids is None

    def __bool__(self) -> bool:
        return self.everything or bool(self.page_ids)

    def allows(self, page_id: int) -> bool:
        return self.everything or page_id in self.page_ids

    def filter_reports(self, queryset):
        return queryset if self.everything else queryset.filter(page_id__in=self.page_ids)


def health_scope(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope(set())
    if user.is_superuser or user.has_perm(VIEW_PERMISSION):
        return Scope(None)
    pages = BodyArea.objects.filter(editors__in=user.groups.all()).values_list("page_id", flat=True)
    return Scope(set(pages))


def latest_reports(scope: Scope) -> list[SiteHealthReport]:
    """Each visible subject's most recent report: sites first, then sections, in tree order."""
    newest = SiteHealthReport.objects.filter(page_id=OuterRef("page_id")).order_by("-day")
    reports = scope.filter_reports(
        SiteHealthReport.objects.filter(day=Subquery(newest.values("day")[:1]))
    ).select_related("body", "page")
    return sorted(reports, key=lambda r: (r.kind != SiteHealthReport.Kind.SITE, r.page.path))


def report_for(page_id: int, day: datetime.date | None = None) -> SiteHealthReport | None:
    reports = SiteHealthReport.objects.filter(page_id=page_id).select_related("body", "page")
    if day is not None:
        reports = reports.filter(day=day)
    return reports.order_by("-day").first()


def score_history(page_ids: list[int], until: datetime.date, days: int):
    """The days from ``until - days + 1`` to ``until`` and, per page, its score on each day
    (None where there is no report)."""
    first = until - datetime.timedelta(days=days - 1)
    span = [first + datetime.timedelta(days=n) for n in range(days)]
    scores: dict[int, dict[datetime.date, int]] = {pk: {} for pk in page_ids}
    for page_id, day, score in SiteHealthReport.objects.filter(
        page_id__in=page_ids, day__gte=first, day__lte=until
    ).values_list("page_id", "day", "score"):
        scores[page_id][day] = score
    return span, {pk: [by_day.get(d) for d in span] for pk, by_day in scores.items()}


def open_warnings(scope: Scope):
    warnings = HealthWarning.objects.filter(resolved_at=None).select_related("area__body", "page")
    if not scope.everything:
        warnings = warnings.filter(area__page_id__in=scope.page_ids)
    return warnings.order_by("due", "pk")
