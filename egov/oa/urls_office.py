"""/staff/oa/ — notices, meetings, tasks (docs/oa.md)."""

from django.urls import path

from . import views_meetings, views_tasks
from . import views_office as views

app_name = "oa_office"
urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("notices/<int:pk>/files/<int:file_pk>/", views.notice_file, name="notice_file"),
    path("rooms/", views.room_list, name="rooms"),
    path("rooms/new/", views.room_edit, name="room_new"),
    path("rooms/<int:pk>/", views.room_edit, name="room_edit"),
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/new/", views_meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/do/<str:verb>/", views_meetings.meeting_act, name="meeting_act"),
    path("meetings/<int:pk>/minutes/", views_meetings.minutes_file, name="minutes_file"),
    path("tasks/", views_tasks.task_list, name="tasks"),
    path("tasks/new/", views_tasks.task_new, name="task_new"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task"),
    path("tasks/<int:pk>/do/<str:verb>/", views_tasks.task_act, name="task_act"),
    path("tasks/<int:pk>/files/<int:event_pk>/", views_tasks.task_file, name="task_file"),
]
