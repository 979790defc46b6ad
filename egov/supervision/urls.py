from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("signals/", views.signal_list, name="signals"),
    path("signals/<int:pk>/", views.signal_detail, name="signal"),
    path("signals/<int:pk>/explain/", views.signal_explain, name="explain"),
    path("signals/<int:pk>/close/", views.signal_close, name="close"),
    path("signals/<int:pk>/notice/", views.notice_issue, name="notice_issue"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/<str:action>/", views.notice_act, name="notice_act"),
    path("scores/", views.score_list, name="scores"),
    path("cases/", views.case_list, name="cases"),
]
