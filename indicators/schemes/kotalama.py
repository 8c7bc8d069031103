"""Preset `kotalama`: position management by performance (seed 004).

Component keys (the `komponen` of plans, imports and `explain_score`):

- `target_jabatan` (60): position targets with due dates (service time, share of work
  done on time), plan indicators.
- `kualitas_layanan` (40): service quality, levels given by the agency's Tim Penilai;
  the value is the mean over the members who scored. An agency without Tim Penilai
  members has its weight shared with the targets.

The export carries each employee's incentive (TPP) factor.
"""

from decimal import Decimal

from indicators.schemes.base import Component, Mode, PeriodType, Rater, Scheme, Source

SCHEME = Scheme(
    key="kotalama",
    name="Kotalama: Target Jabatan",
    mode=Mode.NUMERIC,
    origin="Pengelolaan jabatan ASN berbasis kinerja Kotalama (dokumen sumber 004)",
    summary=(
        "Setiap jabatan memiliki target yang spesifik dengan batas waktu, misalnya waktu "
        "penyelesaian pelayanan administrasi. Tim Penilai menilai kualitas layanan. Predikat "
        "menentukan faktor insentif (TPP) yang tercantum di ekspor."
    ),
    components=(
        Component(
            key="target_jabatan",
            name="Target Jabatan",
            source=Source.RENCANA,
            weight=Decimal(60),
            raters=(Rater.PEGAWAI, Rater.ATASAN),
            data_source=(
                "Target per jabatan dalam rencana kinerja, masing-masing dengan tenggat, "
                "misalnya rata-rata waktu layanan (semakin rendah semakin baik) dan persentase "
                "pekerjaan yang selesai tepat waktu. Pegawai mengisi realisasi dengan bukti."
            ),
            description=(
                "Nilai indikator adalah capaian terhadap target dikali 100 (paling tinggi 120); "
                "untuk indikator yang semakin rendah semakin baik, capaian = (2 × target − "
                "realisasi) / target. Nilai komponen adalah rata-rata tertimbang indikatornya."
            ),
        ),
        Component(
            key="kualitas_layanan",
            name="Kualitas Layanan",
            source=Source.TIM,
            weight=Decimal(40),
            raters=(Rater.TIM_PENILAI,),
            data_source="Level 1 sampai 5 dari setiap anggota Tim Penilai perangkat daerah.",
            description=(
                "Nilai komponen adalah rata-rata nilai level dari anggota Tim Penilai yang "
                "menilai. Bila perangkat daerah tidak memiliki anggota Tim Penilai, bobotnya "
                "dibagi ke Target Jabatan."
            ),
        ),
    ),
    period_types=(
        PeriodType.MONTHLY,
        PeriodType.QUARTERLY,
        PeriodType.SEMESTER,
        PeriodType.ANNUAL,
    ),
    has_due_dates=True,
    incentive_in_export=True,
)
