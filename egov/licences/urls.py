from django.urls import path

from . import views

app_name = "licences"

urlpatterns = [
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/<str:number>/pdf/", views.pdf, name="pdf"),
    path("verify/<str:number>/<str:code>/", views.verify, name="verify"),
]
