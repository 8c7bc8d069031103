"""What each preset's results are used for, as the dashboards that list them: the scheme page
and the dashboard index link each promise to its list (URL names only: the dashboards live in
``reports``, above this app; see docs/dashboards.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCHEME_OUTPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "jakarta": (
        ("dashboard_top", _("Daftar penghargaan (pegawai berprestasi)")),
        ("dashboard_coaching", _("Daftar pengembangan (perlu pembinaan)")),
        ("dashboard_gaps", _("Kebutuhan pelatihan per Perangkat Daerah")),
    ),
    "tangsel": (
        ("dashboard_strengths", _("Kekuatan dan kelemahan per pegawai")),
        ("dashboard_gaps", _("Rencana pelatihan per Perangkat Daerah (kesenjangan kompetensi)")),
    ),
    "rakumpit": (("dashboard_top", _("Daftar penerima insentif")),),
    "tebingtinggi": (
        ("dashboard_promotion", _("Daftar kelayakan promosi")),
        ("dashboard_top", _("Daftar pelatihan bagi yang berkinerja tinggi")),
        ("dashboard_coaching", _("Daftar pembinaan bagi yang berkinerja rendah")),
    ),
    "kotalama": (("dashboard_on_time", _("Persentase target selesai tepat waktu")),),
    "nasional": (
        ("dashboard_distribution", _("Distribusi predikat terhadap pola organisasi")),
        ("dashboard_coaching", _("Daftar pegawai yang perlu pembinaan")),
    ),
}

# Dashboards of whole agencies, for Admin HR and the Admin Daerah only (an atasan sees the
# others for their own team).
AGENCY_WIDE = frozenset({"dashboard_distribution", "dashboard_outliers"})


def outputs_for(scope, key: str) -> list[tuple[str, str]]:
    """The outputs of a preset this user's dashboards show (none without dashboards)."""
    if not scope.has_dashboards:
        return []
    return [
        (name, label)
        for name, label in SCHEME_OUTPUTS.get(key, ())
        if scope.sees_agency_dashboards or name not in AGENCY_WIDE
    ]
