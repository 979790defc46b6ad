from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    # Reserved for 我为政府网站找错 (error reports); the form arrives with a later slice.
    path("report-error/", views.report_error, name="report_error"),
]
