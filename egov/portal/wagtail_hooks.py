"""Wagtail admin hooks: a site's home or a section created in the CMS becomes its body's
area at once (groups, permissions, review workflow), as if made by the services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from egov.portal.models import HomePage, SectionPage, Synonym
from egov.portal.services import open_body_area


def _open_area(page) -> None:
    page = page.specific
    if isinstance(page, HomePage | SectionPage) and page.body_id:
        open_body_area(page.body, page)


@hooks.register("after_create_page")
def open_area_of_new_site_or_section(request, page):
    _open_area(page)


@hooks.register("after_edit_page")
def open_area_when_a_body_is_chosen(request, page):
    _open_area(page)


# --- the anonymous page cache (cache.py) ------------------------------------------------


@hooks.register("before_serve_page")
def note_page_for_the_cache(page, request, serve_args, serve_kwargs):
    """Only pages Wagtail serves are stored by the page cache's middleware."""
    from egov.portal.cache import note_page_served

    note_page_served(request, page)


# --- the site health dashboard (views_health.py) ----------------------------------------


@hooks.register("register_admin_urls")
def register_health_urls():
    from django.urls import include, path

    from egov.portal import views_health

    patterns = [
        path("", views_health.DashboardView.as_view(), name="dashboard"),
        path("<int:page_id>/", views_health.ReportView.as_view(), name="report"),
    ]
    return [path("health/", include((patterns, "portal_health"), namespace="portal_health"))]


class HealthMenuItem(MenuItem):
    def is_shown(self, request):
        from egov.portal.inspector.selectors import health_scope

        return bool(health_scope(request.user))


@hooks.register("register_admin_menu_item")
def register_health_menu_item():
    return HealthMenuItem(
        _("Site health"), reverse("portal_health:dashboard"), icon_name="pick", order=250
    )


@hooks.register("construct_homepage_panels")
def add_health_panel(request, panels):
    from egov.portal.views_health import homepage_panel

    panel = homepage_panel(request)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_permissions")
def register_health_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="portal", codename="view_sitehealthreport"
    )


# --- error reports (views_reports.py) and search synonyms (models/search.py) -----------


@hooks.register("register_admin_urls")
def register_error_report_urls():
    from django.urls import include, path

    from egov.portal import views_reports

    patterns = [
        path("", views_reports.ReportInboxView.as_view(), name="inbox"),
        path("<int:pk>/", views_reports.ReportDetailView.as_view(), name="detail"),
    ]
    return [
        path("error-reports/", include((patterns, "portal_reports"), namespace="portal_reports"))
    ]


class ErrorReportsMenuItem(MenuItem):
    def is_shown(self, request):
        from egov.portal.views_reports import may_handle_reports

        return may_handle_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_error_reports_menu_item():
    return ErrorReportsMenuItem(
        _("Error reports"), reverse("portal_reports:inbox"), icon_name="warning", order=260
    )


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["terms", "note", "updated_at"]
    ordering = ["terms"]


register_snippet(SynonymViewSet)
