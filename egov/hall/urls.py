from django.urls import path

from . import views

app_name = "hall"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:code>/", views.item, name="item"),
    path("items/<str:code>/files/<str:sha256>/", views.download, name="file"),
]
