from django.urls import path

from . import views

app_name = "prefs"
urlpatterns = [
    path("elder/", views.toggle_elder_mode, name="elder"),
    path("language/", views.set_language, name="language"),
]
