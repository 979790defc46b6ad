"""Account URLs of the internet-facing zone: common ones plus citizen self-service."""

from django.urls import path

from . import views
from .urls_common import urlpatterns as common

app_name = "accounts"
urlpatterns = common + [
    path("register/", views.register, name="register"),
    path("real-name/", views.real_name, name="real_name"),
    path("enterprise/", views.enterprise, name="enterprise"),
]
