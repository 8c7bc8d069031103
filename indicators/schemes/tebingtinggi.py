"""Preset `tebingtinggi`: the annual appraisal of Tebingtinggi (seed 003).

Component keys (the `komponen` of plans, imports and `explain_score`):

- `kehadiran` (20): attendance, from the monthly attendance import.
- `disiplin` (20): discipline, from the imported disciplinary sanctions.
- `kualitas_kerja` (40): work quality, plan indicators.
- `kontribusi_tim` (20): team contribution, the seven BerAKHLAK values rated by the
  supervisor (50) and peers (50).

Results feed promotion eligibility, training for high performers and a coaching
programme for low ones.
"""

from decimal import Decimal

from indicators.schemes.base import Component, Mode, PeriodType, Rater, Scheme, Source

SCHEME = Scheme(
    key="tebingtinggi",
    name="Tebingtinggi: Evaluasi Tahunan",
    mode=Mode.NUMERIC,
    origin="Sistem evaluasi kinerja ASN Kota Tebingtinggi (dokumen sumber 003)",
    summary=(
        "Evaluasi tahunan atas kehadiran, disiplin, kualitas pekerjaan, dan kontribusi "
        "terhadap tim, dengan umpan balik dari atasan dan rekan kerja. Hasilnya menentukan "
        "kelayakan promosi, pelatihan bagi yang berkinerja tinggi, dan pembinaan bagi yang "
        "berkinerja rendah."
    ),
    components=(
        Component(
            key="kehadiran",
            name="Kehadiran",
            source=Source.KEHADIRAN,
            weight=Decimal(20),
            raters=(Rater.DATA,),
            data_source=(
                "Impor kehadiran bulanan: hari kerja, hari hadir (termasuk cuti, sakit, dan "
                "dinas luar yang sah), terlambat, dan pulang cepat."
            ),
            description=(
                "Skor = 100 × hari hadir / hari kerja, dikurangi 0,5 untuk setiap kali "
                "terlambat atau pulang cepat, paling rendah 0; skor dikali 1,15 agar nilai "
                "terbaiknya setara level tertinggi (115). Bila data kehadiran tidak ada, "
                "bobotnya dibagi ke komponen lain."
            ),
        ),
        Component(
            key="disiplin",
            name="Disiplin",
            source=Source.DISIPLIN,
            weight=Decimal(20),
            raters=(Rater.DATA,),
            data_source="Impor hukuman disiplin yang tanggal SK-nya berada dalam periode.",
            description=(
                "Skor = 100 dikurangi 10, 25, atau 50 untuk setiap hukuman disiplin ringan, "
                "sedang, atau berat, paling rendah 0; skor dikali 1,15. Tanpa hukuman, skornya "
                "100."
            ),
        ),
        Component(
            key="kualitas_kerja",
            name="Kualitas Kerja",
            source=Source.RENCANA,
            weight=Decimal(40),
            raters=(Rater.PEGAWAI, Rater.ATASAN),
            data_source=(
                "Indikator kualitas pekerjaan dalam rencana kinerja, misalnya pengelolaan "
                "program dan pelayanan kepada masyarakat. Pegawai mengisi realisasi; atasan "
                "memberi level untuk indikator rubrik."
            ),
            description=(
                "Nilai indikator kuantitatif adalah capaian realisasi terhadap target dikali "
                "100 (paling tinggi 120); indikator rubrik memakai nilai levelnya. Nilai "
                "komponen adalah rata-rata tertimbang indikatornya."
            ),
        ),
        Component(
            key="kontribusi_tim",
            name="Kontribusi Tim",
            source=Source.PERILAKU,
            weight=Decimal(20),
            raters=(Rater.ATASAN, Rater.REKAN),
            data_source=(
                "Level 1 sampai 5 untuk tujuh nilai BerAKHLAK (antara lain Harmonis dan "
                "Kolaboratif) dari atasan dan rekan kerja yang menjawab tanpa nama."
            ),
            description=(
                "Setiap nilai BerAKHLAK: 50% nilai dari atasan ditambah 50% rata-rata nilai "
                "rekan kerja bila paling sedikit 3 rekan menjawab, bila kurang nilai dari "
                "atasan saja. Nilai komponen adalah rata-rata ketujuh nilai."
            ),
            supervisor_share=Decimal(50),
            peer_share=Decimal(50),
        ),
    ),
    period_types=(PeriodType.ANNUAL,),
)
