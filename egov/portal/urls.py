from django.urls import path

from . import views_reports, views_search

app_name = "portal"
urlpatterns = [
    # 我为政府网站找错: the form, and the status of one report (the token is its key).
    path("report-error/", views_reports.report_error, name="report_error"),
    path(
        "report-error/status/<str:token>/",
        views_reports.report_status,
        name="report_status",
    ),
    # Search of this site (?scope=group: of every site of the group).
    path("search/", views_search.search_view, name="search"),
]
