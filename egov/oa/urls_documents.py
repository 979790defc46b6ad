"""/staff/oa/ — official documents."""

from django.urls import path

from . import views_documents as views

app_name = "oa_documents"
urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/new/", views.document_new, name="new"),
    path("documents/<uuid:uid>/", views.document_detail, name="detail"),
    path("documents/<uuid:uid>/edit/", views.document_edit, name="edit"),
    path("documents/<uuid:uid>/do/<str:verb>/", views.document_act, name="act"),
    path("documents/<uuid:uid>/pdf/", views.document_pdf, name="pdf"),
    path("documents/<uuid:uid>/docx/", views.document_docx, name="docx"),
    path("documents/files/<int:pk>/", views.file_download, name="file"),
    path("documents/incoming/register/", views.receipt_register, name="register_incoming"),
    path("documents/incoming/<uuid:uid>/", views.receipt_detail, name="receipt"),
    path("documents/incoming/<uuid:uid>/do/<str:verb>/", views.receipt_act, name="receipt_act"),
]
