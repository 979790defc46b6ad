from django.urls import path

from . import views, views_reports

app_name = "disclosure"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("apply/", views.apply, name="apply"),
    path("catalogue/", views.catalogue_index, name="catalogue_index"),
    path("catalogue/<str:code>/", views.catalogue_body, name="catalogue"),
    path("requests/", views.my_requests, name="requests"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("requests/<str:number>/correction/", views.correct, name="correct"),
    path("requests/<str:number>/letter/", views.my_letter, name="letter"),
    path("requests/<str:number>/files/<int:pk>/", views.my_answer_file, name="answer_file"),
    path("reports/", views_reports.public_reports, name="reports"),
    path("reports/<int:year>/<str:code>/", views_reports.public_report, name="report"),
]
