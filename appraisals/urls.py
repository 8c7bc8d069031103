from django.urls import path

from . import review_views, views

urlpatterns = [
    path("penilaian/", views.my_appraisals, name="my_appraisals"),
    path("penilaian/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path("penilaian/<int:pk>/rencana/", views.plan_save, name="plan_save"),
    path("penilaian/<int:pk>/rencana/salin/", views.plan_create, name="plan_create"),
    path("penilaian/<int:pk>/nilai/", views.scores_save, name="scores_save"),
    path(
        "penilaian/<int:pk>/aksi/<slug:action>/",
        views.appraisal_transition,
        name="appraisal_transition",
    ),
    path(
        "penilaian/<int:pk>/realisasi/<int:indicator_pk>/",
        views.realisation_save,
        name="realisation_save",
    ),
    path(
        "penilaian/<int:pk>/bukti/<int:indicator_pk>/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path("penilaian/<int:pk>/keberatan/", views.objection_create, name="objection_create"),
    path("keberatan/", views.objection_queue, name="objection_queue"),
    path("keberatan/<int:pk>/", views.objection_detail, name="objection_detail"),
    path(
        "keberatan/berkas/<int:pk>/", views.objection_file_download, name="objection_file_download"
    ),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence_remove"),
    path("bukti/<int:pk>/lihat/", review_views.evidence_view, name="evidence_view"),
    path("verifikasi/", review_views.verification, name="verification"),
    path("verifikasi/massal/", review_views.verification_bulk, name="verification_bulk"),
    path("verifikasi/<int:pk>/", review_views.verification_decide, name="verification_decide"),
    path("tim-penilai/", review_views.team_scores, name="team_scores"),
    path("tim-penilai/<int:pk>/", review_views.team_score_save, name="team_score_save"),
    path("tim/", views.team, name="team"),
    path("tim/setujui/", views.team_bulk_approve, name="team_bulk_approve"),
    path("audit-penilaian/", views.appraisal_audit, name="appraisal_audit"),
    path("siklus/", views.cycle_list, name="cycle_list"),
    path("siklus/baru/", views.cycle_create, name="cycle_create"),
    path("siklus/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("siklus/<int:pk>/buka/", views.cycle_open, name="cycle_open"),
    path("siklus/<int:pk>/perpanjang/", views.cycle_extend, name="cycle_extend"),
    path("siklus/<int:pk>/pengingat/", views.cycle_remind, name="cycle_remind"),
    path("siklus/<int:pk>/finalkan/", views.cycle_finalise, name="cycle_finalise"),
    path("siklus/<int:pk>/rilis/", views.cycle_release, name="cycle_release"),
    path("siklus/<int:pk>/hitung-ulang/", views.cycle_recompute, name="cycle_recompute"),
    path(
        "siklus/<int:pk>/predikat-organisasi/",
        views.cycle_org_predikat,
        name="cycle_org_predikat",
    ),
    path("siklus/<int:pk>/keberatan/", views.cycle_objection_list, name="cycle_objection_list"),
    path("siklus/<int:pk>/tutup/", views.cycle_close, name="cycle_close"),
    path("siklus/<int:pk>/buka-kembali/", views.cycle_reopen, name="cycle_reopen"),
]
