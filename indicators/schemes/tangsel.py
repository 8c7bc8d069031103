"""Preset `tangsel`: competency-based appraisal of Tangerang Selatan (seed 001).

Component keys (the `komponen` of plans, imports and `explain_score`):

- `kompetensi_teknis` (50): technical competence, plan indicators (the default for a
  result that names no component).
- `sikap` (25): attitude, plan indicators, usually rubrics levelled by the supervisor.
- `perilaku` (25): the seven BerAKHLAK values (supervisor 70, peers 30).

The employee's self-assessed levels are shown beside the supervisor's (the gap) to
name strengths, weaknesses and, per agency, training needs; they never enter the score.
"""

from decimal import Decimal

from indicators.schemes.base import Component, Mode, PeriodType, Rater, Scheme, Source

SCHEME = Scheme(
    key="tangsel",
    name="Tangerang Selatan: Kompetensi",
    mode=Mode.NUMERIC,
    origin="Penilaian kinerja ASN berbasis kompetensi Tangerang Selatan (dokumen sumber 001)",
    summary=(
        "Penilaian berbasis kompetensi: kompetensi teknis, sikap, dan perilaku. Pegawai "
        "menilai diri sendiri, atasan memberi penilaian, dan rekan kerja memberi umpan balik. "
        "Selisih antara penilaian diri dan penilaian atasan ditampilkan untuk mengenali "
        "kekuatan, kelemahan, dan kebutuhan pelatihan."
    ),
    components=(
        Component(
            key="kompetensi_teknis",
            name="Kompetensi Teknis",
            source=Source.RENCANA,
            weight=Decimal(50),
            raters=(Rater.PEGAWAI, Rater.ATASAN),
            data_source=(
                "Indikator kompetensi teknis dalam rencana kinerja. Pegawai mengisi realisasi "
                "dan penilaian diri; atasan memberi level untuk indikator rubrik."
            ),
            description=(
                "Nilai indikator kuantitatif adalah capaian realisasi terhadap target dikali "
                "100 (paling tinggi 120); indikator rubrik memakai nilai level dari atasan. "
                "Nilai komponen adalah rata-rata tertimbang indikatornya."
            ),
        ),
        Component(
            key="sikap",
            name="Sikap",
            source=Source.RENCANA,
            weight=Decimal(25),
            raters=(Rater.PEGAWAI, Rater.ATASAN),
            data_source=(
                "Indikator sikap dalam rencana kinerja, umumnya rubrik dengan uraian per level, "
                "misalnya ketepatan waktu dan cara berkomunikasi dengan masyarakat."
            ),
            description=(
                "Atasan memberi level 1 sampai 5; level diri pegawai hanya ditampilkan sebagai "
                "pembanding. Nilai komponen adalah rata-rata tertimbang indikatornya."
            ),
        ),
        Component(
            key="perilaku",
            name="Perilaku Kerja",
            source=Source.PERILAKU,
            weight=Decimal(25),
            raters=(Rater.ATASAN, Rater.REKAN),
            data_source=(
                "Level 1 sampai 5 untuk tujuh nilai BerAKHLAK dari atasan dan dari rekan kerja "
                "yang menjawab formulir tanpa nama."
            ),
            description=(
                "Setiap nilai BerAKHLAK: 70% nilai dari atasan ditambah 30% rata-rata nilai "
                "rekan kerja bila paling sedikit 3 rekan menjawab, bila kurang nilai dari "
                "atasan saja. Nilai komponen adalah rata-rata ketujuh nilai."
            ),
            supervisor_share=Decimal(70),
            peer_share=Decimal(30),
        ),
    ),
    period_types=(PeriodType.SEMESTER, PeriodType.ANNUAL),
    shows_self_assessment_gap=True,
)
