from django.urls import path

from . import survey_views as views

urlpatterns = [
    path("survei/<str:token>/", views.survey_form, name="survey_form"),
    path("survei-hasil/", views.survey_overview, name="survey_overview"),
    path("survei-hasil/unit/<int:pk>/", views.survey_results, name="survey_results"),
    path(
        "survei-hasil/unit/<int:pk>/layanan/", views.survey_unit_toggle, name="survey_unit_toggle"
    ),
    path(
        "survei-hasil/unit/<int:pk>/jawaban.xlsx",
        views.survey_responses_export,
        name="survey_responses_export",
    ),
    path(
        "survei-hasil/unit/<int:pk>/poster.pdf", views.survey_poster_pdf, name="survey_poster_pdf"
    ),
    path(
        "survei-hasil/unit/<int:pk>/poster.png", views.survey_poster_png, name="survey_poster_png"
    ),
    path(
        "survei-hasil/instansi/<int:pk>/ikm.xlsx", views.survey_ikm_export, name="survey_ikm_export"
    ),
    path(
        "survei-hasil/instansi/<int:pk>/poster.zip",
        views.survey_posters_zip,
        name="survey_posters_zip",
    ),
]
