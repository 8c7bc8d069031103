from django.urls import path

from . import dashboard_views as views

urlpatterns = [
    path("", views.dashboard_index, name="dashboard_index"),
    path("kelengkapan/", views.dashboard_completion, name="dashboard_completion"),
    path("distribusi/", views.dashboard_distribution, name="dashboard_distribution"),
    path("kesenjangan/", views.dashboard_gaps, name="dashboard_gaps"),
    path("kekuatan-kelemahan/", views.dashboard_strengths, name="dashboard_strengths"),
    path("berprestasi/", views.dashboard_top, name="dashboard_top"),
    path("pembinaan/", views.dashboard_coaching, name="dashboard_coaching"),
    path("promosi/", views.dashboard_promotion, name="dashboard_promotion"),
    path("ketepatan-waktu/", views.dashboard_on_time, name="dashboard_on_time"),
    path("sebaran-penilai/", views.dashboard_outliers, name="dashboard_outliers"),
    path("pegawai/<int:pk>/riwayat/", views.employee_history, name="employee_history"),
]
