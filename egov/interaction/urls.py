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

# Consultations on drafts and surveys (views_participation; docs/interaction.md). Their staff
# pages are here, not in urls_staff: consultations and surveys live in the external zone.
from . import views_participation as vp  # noqa: E402

urlpatterns += [
    path("consultations/", vp.consultations, name="consultations"),
    path("consultations/<int:pk>/", vp.consultation, name="consultation"),
    path("consultations/<int:pk>/draft/", vp.consultation_draft, name="consultation_draft"),
    path("surveys/", vp.surveys, name="surveys"),
    path("surveys/<int:pk>/", vp.survey, name="survey"),
    path("surveys/<int:pk>/results/", vp.survey_results, name="survey_results"),
    path("manage/", vp.manage, name="manage"),
    path("manage/consultations/new/", vp.manage_new_consultation, name="manage_new_consultation"),
    path("manage/consultations/<int:pk>/", vp.manage_consultation, name="manage_consultation"),
    path(
        "manage/consultations/<int:pk>/comments/<int:comment>/",
        vp.manage_moderate,
        name="manage_moderate",
    ),
    path("manage/consultations/<int:pk>/feedback/", vp.manage_feedback, name="manage_feedback"),
    path("manage/surveys/new/", vp.manage_new_survey, name="manage_new_survey"),
]

# The FAQ / knowledge base (views_faq; decision 0023): public, and curated here by staff.
from . import views_faq as vf  # noqa: E402

urlpatterns += [
    path("faq/", vf.faq_list, name="faq"),
    path("faq/suggest/", vf.faq_suggest, name="faq_suggest"),
    path("faq/<int:pk>/", vf.faq_entry, name="faq_entry"),
    path("faq/manage/", vf.manage, name="faq_manage"),
    path("faq/manage/new/", vf.manage_new, name="faq_manage_new"),
    path("faq/manage/<int:pk>/", vf.manage_entry, name="faq_manage_entry"),
    path("faq/manage/<int:pk>/publish/", vf.manage_publish, name="faq_manage_publish"),
]
