"""The printable documents: the employee's evaluation document and an agency's recap."""

from django.urls import path

from . import views

urlpatterns = [
    path("penilaian/<int:pk>/dokumen.pdf", views.appraisal_document, name="appraisal_pdf"),
    path(
        "siklus/<int:pk>/rekap/<int:agency_pk>.pdf",
        views.agency_recap_document,
        name="agency_recap_pdf",
    ),
    path(
        "siklus/<int:pk>/dokumen/<int:agency_pk>/zip/",
        views.agency_documents_zip_start,
        name="agency_documents_zip",
    ),
]
