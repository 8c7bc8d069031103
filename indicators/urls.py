from django.urls import path

from . import views

urlpatterns = [
    path("skema/", views.scheme_list, name="scheme_list"),
    path("skema/<slug:key>/", views.scheme_detail, name="scheme_detail"),
    path("ekspektasi/", views.leader_expectations, name="leader_expectations"),
    path("indikator/", views.indicator_set_list, name="indicator_set_list"),
    path("indikator/<int:pk>/", views.indicator_set_detail, name="indicator_set_detail"),
    path("indikator/butir/<int:pk>/rubrik/", views.indicator_rubric, name="indicator_rubric"),
]
