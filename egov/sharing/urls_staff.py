"""/staff/sharing/: the resource catalogue and access grants (internal zone)."""

from django.urls import path

from . import views

app_name = "sharing_staff"
urlpatterns = [
    path("", views.catalogue_list, name="catalogue"),
    path("new/", views.resource_edit, name="new"),
    path("grants/", views.grant_list, name="grants"),
    path("calls/", views.call_log, name="calls"),
    path("grants/<int:pk>/", views.grant_detail, name="grant"),
    path("grants/<int:pk>/<str:verb>/", views.grant_act, name="grant_act"),
    path("<str:code>/", views.resource_detail, name="resource"),
    path("<str:code>/edit/", views.resource_edit, name="edit"),
    path("<str:code>/request/", views.request_access, name="request"),
]
