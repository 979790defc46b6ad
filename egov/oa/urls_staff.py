"""/staff/oa/: official documents, notices, meetings, tasks (internal zone)."""

from django.urls import include, path

urlpatterns = [
    path("", include("egov.oa.urls_documents")),
    path("", include("egov.oa.urls_office")),
]
