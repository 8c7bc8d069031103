from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from agencies.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("pekerjaan/", include("reports.urls")),
    path("laporan/", include("reports.export_urls")),
    path("laporan/", include("reports.dashboard_urls")),
    path("", include("reports.document_urls")),
    path("", include("feedback.survey_urls")),
    path("", include("indicators.urls")),
    path("", include("appraisals.urls")),
    path("", include("feedback.peer_urls")),
    path("", include("agencies.urls")),
]

handler403 = "asn_portal.errors.permission_denied"
handler404 = "asn_portal.errors.page_not_found"
handler500 = "asn_portal.errors.server_error"
