"""Preset `rakumpit`: objective, data-driven appraisal (seed 002).

Component keys (the `komponen` of plans, imports and `explain_score`):

- `output_terukur` (50): measured output, plan indicators; a realisation counts only
  once a Verifikator has verified its evidence (unverified at the supervisor-scoring
  deadline counts 0).
- `kepuasan_masyarakat` (30): the IKM of the employee's service unit, used with at
  least 30 respondents, otherwise its weight is shared among the others.
- `penilaian_atasan` (20): supervisor judgement, the seven BerAKHLAK values rated by
  the supervisor alone. Chosen over a supervisor rubric in the plan so that the
  judgement stays on the national behaviour values and the plan stays measurable.
"""

from decimal import Decimal

from indicators.schemes.base import Component, Mode, PeriodType, Rater, Scheme, Source

SCHEME = Scheme(
    key="rakumpit",
    name="Rakumpit: Data Objektif",
    mode=Mode.NUMERIC,
    origin="Penilaian kinerja ASN berbasis objektivitas Rakumpit (dokumen sumber 002)",
    summary=(
        "Penilaian berdasarkan fakta yang dapat diukur: hasil kerja yang bukti dukungnya "
        "diverifikasi dan kepuasan masyarakat yang dilayani, dengan porsi kecil untuk "
        "penilaian atasan. Setiap koreksi verifikasi tercatat; hasilnya dipakai untuk daftar "
        "penerima insentif."
    ),
    components=(
        Component(
            key="output_terukur",
            name="Output Terukur",
            source=Source.RENCANA,
            weight=Decimal(50),
            raters=(Rater.PEGAWAI, Rater.VERIFIKATOR, Rater.ATASAN),
            data_source=(
                "Indikator output dalam rencana kinerja. Pegawai mengisi realisasi dan "
                "mengunggah bukti dukung; realisasi baru dihitung setelah diverifikasi "
                "Verifikator. Realisasi yang belum diisi atau belum diverifikasi sampai batas "
                "waktu penilaian atasan dihitung 0."
            ),
            description=(
                "Nilai indikator kuantitatif adalah capaian realisasi terhadap target dikali "
                "100 (paling tinggi 120). Nilai komponen adalah rata-rata tertimbang "
                "indikatornya."
            ),
        ),
        Component(
            key="kepuasan_masyarakat",
            name="Kepuasan Masyarakat",
            source=Source.IKM,
            weight=Decimal(30),
            raters=(Rater.DATA,),
            data_source=(
                "Indeks Kepuasan Masyarakat (IKM) unit layanan pegawai dari survei publik "
                "PermenPANRB 14/2017 pada periode penilaian."
            ),
            description=(
                "IKM (0 sampai 100) dikali 1,15 agar nilai terbaiknya setara level tertinggi "
                "(115). IKM hanya dipakai bila paling sedikit 30 responden; bila kurang, "
                "bobotnya dibagi ke komponen lain."
            ),
        ),
        Component(
            key="penilaian_atasan",
            name="Penilaian Atasan",
            source=Source.PERILAKU,
            weight=Decimal(20),
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
    verifies_realisations=True,
)
