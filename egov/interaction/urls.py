from django.urls import path

from . import views

app_name = "interaction"
urlpatterns = [
    path("", views.index, name="index"),
    path("write/", views.write, name="write"),
    path("letters/", views.my_letters, name="letters"),
    path("query/", views.query, name="query"),
    path("letters/<str:code>/", views.letter_detail, name="letter"),
    path("letters/<str:code>/rating/", views.rate, name="rate"),
    path("replies/", views.replies, name="replies"),
    path("replies/<str:number>/", views.reply_detail, name="reply"),
]
