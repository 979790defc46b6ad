from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/claim/", views.claim, name="claim"),
    path("<str:code>/assign/", views.assign, name="assign"),
    path("<str:code>/materials/<int:pk>/", views.material, name="material"),
    path("<str:code>/do/<str:verb>/", views.act, name="act"),
    path("<str:code>/rectification/<str:action>/", views.rectify, name="rectify"),
]
