from django.urls import path

from . import views, views_reports

app_name = "disclosure_staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("completeness/", views.staff_completeness, name="completeness"),
    # The annual reports: before "<number>/", which would take "reports/".
    path("reports/", views_reports.staff_reports, name="reports"),
    path("reports/<int:year>/<str:code>/", views_reports.staff_report, name="report"),
    path(
        "reports/<int:year>/<str:code>/publish/",
        views_reports.staff_publish,
        name="publish_report",
    ),
    path("<str:number>/", views.staff_detail, name="detail"),
    path("<str:number>/do/<str:verb>/", views.staff_act, name="act"),
    path("<str:number>/letter.<str:extension>", views.staff_letter, name="letter"),
    path("<str:number>/attach/", views.staff_attach, name="attach"),
    path("<str:number>/files/<int:pk>/", views.staff_answer_file, name="answer_file"),
]
