from django.urls import path

from . import views

app_name = "disclosure_staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("completeness/", views.staff_completeness, name="completeness"),
    path("<str:number>/", views.staff_detail, name="detail"),
    path("<str:number>/do/<str:verb>/", views.staff_act, name="act"),
    path("<str:number>/letter.<str:extension>", views.staff_letter, name="letter"),
]
