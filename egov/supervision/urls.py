from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("signals/", views.signal_list, name="signals"),
    path("signals/<int:pk>/", views.signal_detail, name="signal"),
    path("signals/<int:pk>/explain/", views.signal_explain, name="explain"),
    path("signals/<int:pk>/close/", views.signal_close, name="close"),
    path("scores/", views.score_list, name="scores"),
]
