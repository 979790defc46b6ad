from django.urls import path

from . import views

app_name = "interaction_staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("register/", views.staff_register, name="register"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("statistics/", views.statistics, name="statistics"),
    path("<str:number>/", views.staff_detail, name="detail"),
    path("<str:number>/do/<str:verb>/", views.staff_act, name="act"),
    path("<str:number>/files/<int:pk>/", views.staff_file, name="file"),
]
