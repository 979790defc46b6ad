from django.urls import path

from . import views

app_name = "hall"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:code>/", views.item, name="item"),
    path("items/<str:code>/files/<str:sha256>/", views.download, name="file"),
    path("items/<str:code>/apply/", views.apply, name="apply"),
    path("publicity/", views.publicity, name="publicity"),
    path("applications/", views.my_applications, name="applications"),
    path("notifications/", views.notifications, name="notifications"),
    path("applications/<str:query_code>/", views.application, name="application"),
    path(
        "applications/<str:query_code>/correction/",
        views.answer_correction,
        name="answer_correction",
    ),
    path("applications/<str:query_code>/rating/", views.rate, name="rate"),
    path("payments/notify/", views.payment_notify, name="payment_notify"),
    path("payments/<str:number>/pay/", views.payment_start, name="payment_start"),
    path("payments/<str:number>/sandbox/", views.payment_sandbox, name="payment_sandbox"),
]
