from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("profil/", views.profile, name="profile"),
    path("instansi/", views.agency_list, name="agency_list"),
    path("instansi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("pegawai/", views.employee_list, name="employee_list"),
    path("pegawai/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("pegawai/<int:pk>/ubah/", views.employee_edit, name="employee_edit"),
    path("akun/konfirmasi-nip/<str:token>/", views.nip_change_confirm, name="nip_change_confirm"),
    path("audit-organisasi/", views.org_audit, name="org_audit"),
    path("jabatan/", views.position_list, name="position_list"),
    path("impor/<slug:kind>/", views.import_upload, name="import_upload"),
    path("impor/<slug:kind>/templat/", views.import_template, name="import_template"),
    path("impor/<slug:kind>/contoh/", views.import_example, name="import_example"),
    path("impor/hasil/<int:pk>/", views.import_preview, name="import_preview"),
    path("impor/hasil/<int:pk>/konfirmasi/", views.import_confirm, name="import_confirm"),
    path("ekspor/<slug:kind>/", views.export, name="export"),
]
