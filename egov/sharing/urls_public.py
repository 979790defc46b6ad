"""/open-data/: the resources open to the public (internet-facing zone)."""

from django.urls import path

from . import views

app_name = "open_data"
urlpatterns = [
    path("", views.open_data_list, name="list"),
    path("<str:code>/", views.open_data_detail, name="resource"),
    path("<str:code>/data.<str:kind>", views.open_data_download, name="download"),
]
