"""Preset `jakarta`: indicators of the job (seed 000), numeric mode.

Component keys (the `komponen` of plans, imports and `explain_score`):

- `indikator_jabatan` (70): indicators from the position's indicator set (tupoksi),
  e.g. patients served and patient satisfaction; for teachers teaching,
  extracurricular involvement and learning innovation.
- `perilaku` (30): the seven BerAKHLAK values, rated by the supervisor alone.
"""

from decimal import Decimal

from indicators.schemes.base import Component, Mode, PeriodType, Rater, Scheme, Source

SCHEME = Scheme(
    key="jakarta",
    name="Jakarta: Indikator Jabatan",
    mode=Mode.NUMERIC,
    origin="Sistem evaluasi kinerja ASN Jakarta (dokumen sumber 000)",
    summary=(
        "Kinerja diukur dengan indikator yang melekat pada tugas pokok dan fungsi setiap "
        "jabatan, dinilai berkala dengan umpan balik dari atasan. Hasilnya dipakai untuk "
        "daftar penghargaan dan program pengembangan pegawai."
    ),
    components=(
        Component(
            key="indikator_jabatan",
            name="Indikator Jabatan",
            source=Source.RENCANA,
            weight=Decimal(70),
            raters=(Rater.PEGAWAI, Rater.ATASAN),
            data_source=(
                "Set indikator jabatan, misalnya jumlah pasien yang dilayani dan tingkat "
                "kepuasan pasien untuk tenaga kesehatan, atau pembelajaran, keterlibatan "
                "ekstrakurikuler, dan inovasi pembelajaran untuk guru. Pegawai mengisi "
                "realisasi dengan bukti dukung; atasan memberi level untuk indikator rubrik."
            ),
            description=(
                "Nilai indikator kuantitatif adalah capaian realisasi terhadap target dikali "
                "100 (paling tinggi 120); indikator rubrik memakai nilai levelnya. Nilai "
                "komponen adalah rata-rata tertimbang semua indikatornya."
            ),
        ),
        Component(
            key="perilaku",
            name="Perilaku Kerja",
            source=Source.PERILAKU,
            weight=Decimal(30),
            raters=(Rater.ATASAN,),
            data_source="Level 1 sampai 5 dari atasan untuk tujuh nilai BerAKHLAK.",
            description="Nilai komponen adalah rata-rata nilai ketujuh nilai BerAKHLAK.",
        ),
    ),
    period_types=(
        PeriodType.MONTHLY,
        PeriodType.QUARTERLY,
        PeriodType.SEMESTER,
        PeriodType.ANNUAL,
    ),
)
