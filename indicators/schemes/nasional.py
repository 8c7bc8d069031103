"""Preset `nasional`: PermenPANRB 6/2022, the national rules, in matrix mode.

Component keys (the `komponen` of plans, imports and `explain_score`):

- `hasil_kerja`: Hasil Kerja, the results (RHK) of the plan; each result names the
  supervisor's result it supports (cascading). No weight: it is rated, not averaged.
- `perilaku`: Perilaku Kerja, the seven BerAKHLAK values (supervisor 70, peers 30).

The portal recommends both ratings and the supervisor confirms or overrides them with
a reason; the predikat comes from the matrix, and there is no numeric final value.
"""

from decimal import Decimal

from indicators.schemes.base import Component, Mode, PeriodType, Rater, Scheme, Source

SCHEME = Scheme(
    key="nasional",
    name="Nasional (PermenPANRB 6/2022)",
    mode=Mode.MATRIX,
    origin="PermenPANRB 6/2022 tentang Pengelolaan Kinerja Pegawai ASN",
    summary=(
        "Skema nasional menilai dua hal secara terpisah, Hasil Kerja dan Perilaku Kerja, "
        "masing-masing dengan rating Di Atas, Sesuai, atau Di Bawah Ekspektasi. Portal "
        "menghitung rekomendasi rating dari data; atasan menyetujui atau mengubahnya dengan "
        "alasan tertulis. Predikat diambil dari matriks kedua rating, tanpa nilai akhir."
    ),
    components=(
        Component(
            key="hasil_kerja",
            name="Hasil Kerja",
            source=Source.RENCANA,
            weight=None,
            raters=(Rater.PEGAWAI, Rater.ATASAN),
            data_source=(
                "Rencana Hasil Kerja (RHK) yang disepakati dengan atasan; setiap hasil kerja "
                "menyebut hasil kerja atasan yang didukungnya (intervensi/cascading). Pegawai "
                "mengisi realisasi dengan bukti dukung; atasan memberi level untuk indikator "
                "rubrik."
            ),
            description=(
                "Nilai indikator kuantitatif adalah capaian realisasi terhadap target dikali "
                "100 (paling tinggi 120); indikator rubrik memakai nilai levelnya. Nilai hasil "
                "kerja adalah rata-rata tertimbang indikatornya, dan nilai Hasil Kerja adalah "
                "rata-rata tertimbang semua indikator."
            ),
        ),
        Component(
            key="perilaku",
            name="Perilaku Kerja",
            source=Source.PERILAKU,
            weight=None,
            raters=(Rater.ATASAN, Rater.REKAN),
            data_source=(
                "Level 1 sampai 5 untuk tujuh nilai BerAKHLAK dari atasan dan dari rekan kerja "
                "yang menjawab formulir tanpa nama."
            ),
            description=(
                "Nilai setiap nilai BerAKHLAK adalah 70% nilai dari atasan ditambah 30% "
                "rata-rata nilai rekan kerja bila paling sedikit 3 rekan menjawab; bila kurang, "
                "dipakai nilai dari atasan saja. Nilai Perilaku adalah rata-rata ketujuh nilai."
            ),
            supervisor_share=Decimal(70),
            peer_share=Decimal(30),
        ),
    ),
    period_types=(PeriodType.QUARTERLY, PeriodType.ANNUAL),
    cascading=True,
)
