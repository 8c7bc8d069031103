"""Demo indicator sets, attendance and discipline for the demo region (``seed_demo``).

Every position of ``agencies.demo.POSITIONS`` has an indicator set, so every demo employee
can plan targets. The sets follow the source documents: health (patients served, patient
satisfaction, immunisation coverage), teachers (teaching, extracurricular involvement,
learning innovation), civil registration (KTP-el and KK documents, days to complete),
sub-district services (letters within the service standard), public works (road maintenance
on schedule), and leaders (policy documents, programme realisation, budget absorption).

Sets are region-wide, one per position, reused by every agency, while schemes are per
agency: a result names no component (the scheme's main results component), except the
attitude results (``RHK-4``), routed to ``sikap``. Every position held in the demo's Dinas
Pendidikan (the ``tangsel`` preset) has one, so that no one there has the 25% of ``sikap``
redistributed for want of a planned indicator; an agency on another preset has no ``sikap``
and the result falls back to its scheme's main results component. Every guidance text says
how the indicator is measured and what evidence counts: the source documents name
indicators people do not understand as a cause of resistance.

Attendance and discipline records cover every employee of the agencies on the
``tebingtinggi`` preset, for 2025 and January to November 2026. All random draws come from
``random.Random`` seeded with fixed strings, so the data are the same on every run.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass
from decimal import Decimal

SEED = 20261124
ATTENDANCE_SCHEME = "tebingtinggi"

RUBRIC_UNIT = "level 1-5"
_RUBRIC_NOTE = (
    " Atasan memberi level 1 sampai 5 menurut uraian level; level 4 berarti sesuai "
    "ekspektasi, level 5 melampaui ekspektasi."
)
_ANNUAL_NOTE = (
    " Target berlaku untuk satu tahun; untuk periode penilaian yang lebih pendek target "
    "disepakati dengan atasan secara proporsional."
)
_LOWER_NOTE = (
    " Semakin rendah semakin baik: realisasi sama dengan target bernilai 100, realisasi di "
    "bawah target bernilai lebih tinggi (paling tinggi 120)."
)


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    kind: str  # kuantitatif | rubrik
    unit: str
    aspect: str  # kuantitas | kualitas | waktu | biaya
    weight: int
    guidance: str
    direction: str = ""  # naik | turun; blank for a rubric
    target: Decimal | None = None
    levels: tuple[str, str, str, str, str] | None = None  # rubric level texts 1..5

    @property
    def rubric(self) -> dict[str, str]:
        return {str(i): text for i, text in enumerate(self.levels or (), start=1)}


@dataclass(frozen=True)
class DemoResult:
    code: str
    name: str
    indicators: tuple[DemoIndicator, ...]
    kind: str = "utama"
    component: str = ""  # blank: the scheme's main results component


def _q(code, name, unit, target, weight, aspect, guidance, *, turun=False, annual=False):
    """A quantitative indicator; ``annual`` marks a yearly count (adds the pro-rata note)."""
    text = guidance + (_ANNUAL_NOTE if annual else "") + (_LOWER_NOTE if turun else "")
    return DemoIndicator(
        code=code, name=name, kind="kuantitatif", unit=unit, aspect=aspect, weight=weight,
        guidance=text, direction="turun" if turun else "naik", target=Decimal(target),
    )  # fmt: skip


def _r(code, name, weight, aspect, guidance, levels):
    """A rubric indicator: five level descriptions, level 4 = as expected."""
    return DemoIndicator(
        code=code, name=name, kind="rubrik", unit=RUBRIC_UNIT, aspect=aspect, weight=weight,
        guidance=guidance + _RUBRIC_NOTE, levels=tuple(levels),
    )  # fmt: skip


def _res(code, name, *indicators, kind="utama", component=""):
    return DemoResult(code=code, name=name, indicators=indicators, kind=kind, component=component)


# --- reusable rubrics -------------------------------------------------------------------------

_STAFF_COACHING = (
    "Tidak ada pembagian tugas maupun umpan balik kepada bawahan selama periode.",
    "Pembagian tugas dan umpan balik hanya sesekali, tanpa catatan, dan bawahan tidak "
    "mengetahui target mereka.",
    "Tugas dibagi, tetapi umpan balik tidak rutin; sebagian bawahan belum mempunyai target "
    "yang disepakati.",
    "Setiap bawahan mempunyai target yang disepakati, menerima umpan balik paling sedikit "
    "sekali setiap triwulan, dan catatannya terdokumentasi.",
    "Seperti level 4, ditambah pendampingan bagi bawahan yang berkinerja rendah dan usulan "
    "pengembangan kompetensi yang sudah dijalankan.",
)

_AUDIT_FOLLOW_UP = (
    "Rekomendasi hasil pemeriksaan tidak ditindaklanjuti.",
    "Kurang dari separuh rekomendasi ditindaklanjuti sampai batas waktu.",
    "Sebagian besar rekomendasi ditindaklanjuti, tetapi ada yang melewati batas waktu 60 hari.",
    "Semua rekomendasi ditindaklanjuti dalam 60 hari dan dinyatakan selesai oleh Inspektorat "
    "atau BPK.",
    "Seperti level 4, dan tidak ada temuan berulang dari pemeriksaan sebelumnya.",
)

# Work attitude (`sikap` in the `tangsel` preset): every position held in the demo's Dinas
# Pendidikan plans one, so that no tangsel employee has the 25% redistributed for want of an
# indicator. Elsewhere the result falls back to the scheme's main results component.

_WORK_ATTITUDE = (
    "Sering tidak hadir atau terlambat tanpa alasan, meninggalkan tugas tanpa kabar, dan "
    "menolak membantu rekan.",
    "Beberapa kali terlambat atau meninggalkan kantor tanpa izin; tugas harus diingatkan "
    "berulang kali dan jarang membantu rekan.",
    "Hadir tertib, tetapi sesekali tugas harus diingatkan atau selesai melewati waktu yang "
    "disepakati; membantu rekan hanya bila diminta atasan.",
    "Hadir dan bekerja tertib sesuai jam kerja, menyelesaikan tugas tanpa perlu diingatkan, "
    "melapor bila ada kendala, dan membantu rekan yang memerlukan.",
    "Seperti level 4, dan atas prakarsa sendiri membantu atau menggantikan rekan yang "
    "berhalangan sehingga layanan unit tidak terhenti.",
)

_LEADER_ATTITUDE = (
    "Sering tidak hadir pada jam kerja atau agenda yang dijadwalkan tanpa pemberitahuan, dan "
    "menyalahkan bawahan atas masalah unit.",
    "Kerap terlambat atau membatalkan agenda mendadak; arahan dan keputusan sering tertunda "
    "tanpa penjelasan.",
    "Hadir tertib, tetapi arahan dan keputusan sesekali tertunda; masukan bawahan dan rekan "
    "belum ditanggapi.",
    "Hadir tertib dan tepat waktu, memberi arahan dan keputusan dalam waktu yang disepakati, "
    "bertanggung jawab atas hasil unit, dan menanggapi masukan bawahan maupun rekan.",
    "Seperti level 4, dan masukan bawahan ditindaklanjuti menjadi perbaikan cara kerja unit; "
    "sikapnya dirujuk sebagai teladan oleh unit lain.",
)


def _work_attitude(code, weight):
    return _r(
        code, "Sikap kerja: disiplin, tanggung jawab, dan kesediaan membantu rekan", weight,
        "kualitas",
        "Dinilai atasan dari pengamatan sehari-hari: ketaatan pada jam kerja dan aturan kantor, "
        "penyelesaian tugas tanpa perlu diingatkan, dan kesediaan membantu rekan. Bukti dukung: "
        "rekap kehadiran, catatan atasan, dan umpan balik rekan kerja.",
        _WORK_ATTITUDE,
    )  # fmt: skip


def _leader_attitude(code, weight):
    return _r(
        code, "Sikap kerja dan keteladanan: disiplin, tanggung jawab, dan keterbukaan terhadap "
        "masukan", weight, "kualitas",
        "Dinilai atasan dari ketaatan pada jam kerja dan agenda, ketepatan waktu arahan dan "
        "keputusan, tanggung jawab atas hasil unit, dan tanggapan terhadap masukan bawahan dan "
        "rekan. Bukti dukung: rekap kehadiran, lembar disposisi, dan catatan atasan.",
        _LEADER_ATTITUDE,
    )  # fmt: skip


def _attitude(*indicators, leader=False):
    """The ``RHK-4`` attitude result, routed to ``sikap``; ``tambahan`` so that, where it falls
    back to the main results component, it never counts as a main result below expectation."""
    name = (
        "Terwujudnya keteladanan sikap kerja dalam memimpin unit"
        if leader
        else "Terwujudnya sikap kerja yang disiplin dan bertanggung jawab"
    )
    return _res("RHK-4", name, *indicators, kind="tambahan", component="sikap")


# --- the sets, one per position code ------------------------------------------------------------

# fmt: off
INDICATOR_SETS: dict[str, tuple[DemoResult, ...]] = {
    "JPT-SEKDA": (
        _res(
            "RHK-1", "Terkoordinasinya perumusan dan pelaksanaan kebijakan pemerintah daerah",
            _q("IKI-1.1", "Persentase realisasi program prioritas daerah", "%", 95, 30,
               "kuantitas",
               "Jumlah program prioritas RKPD yang terealisasi dibagi seluruh program prioritas "
               "tahun berjalan, dikali 100. Bukti dukung: laporan evaluasi RKPD dari Bappeda."),
            _q("IKI-1.2", "Jumlah rancangan Perda dan Perkada yang diselesaikan", "dokumen", 12,
               20, "kuantitas",
               "Dihitung rancangan Perda dan Perkada yang selesai diharmonisasi dan diajukan "
               "untuk ditetapkan. Bukti dukung: berita acara harmonisasi atau nomor register.",
               annual=True),
        ),
        _res(
            "RHK-2", "Terkendalinya pengelolaan keuangan dan akuntabilitas kinerja daerah",
            _q("IKI-2.1", "Persentase penyerapan anggaran belanja daerah", "%", 95, 25, "biaya",
               "Realisasi belanja APBD dibagi pagu belanja setelah perubahan, dikali 100, pada "
               "akhir periode. Bukti dukung: laporan realisasi anggaran dari BPKAD."),
            _r("IKI-2.2", "Opini BPK atas laporan keuangan pemerintah daerah", 15, "kualitas",
               "Dinilai dari opini BPK atas laporan keuangan tahun anggaran terakhir. Bukti "
               "dukung: Laporan Hasil Pemeriksaan BPK.",
               ("Tidak menyatakan pendapat (disclaimer).",
                "Tidak wajar.",
                "Wajar dengan pengecualian (WDP).",
                "Wajar tanpa pengecualian (WTP) dengan temuan yang harus ditindaklanjuti.",
                "WTP tanpa temuan signifikan atas sistem pengendalian intern.")),
        ),
        _res(
            "RHK-3", "Meningkatnya akuntabilitas kinerja instansi pemerintah daerah",
            _r("IKI-3.1", "Predikat SAKIP pemerintah daerah", 10, "kualitas",
               "Dinilai dari predikat evaluasi SAKIP oleh Kementerian PANRB tahun terakhir. "
               "Bukti dukung: surat hasil evaluasi SAKIP.",
               ("Predikat D atau C.", "Predikat CC.", "Predikat B.", "Predikat BB.",
                "Predikat A atau AA.")),
            kind="tambahan",
        ),
    ),
    "JPT-KEPALA": (
        _res(
            "RHK-1", "Tercapainya sasaran strategis Perangkat Daerah sesuai Renstra",
            _q("IKI-1.1", "Persentase capaian indikator kinerja utama (IKU) Perangkat Daerah",
               "%", 100, 25, "kuantitas",
               "Rata-rata capaian seluruh IKU Perangkat Daerah pada Perjanjian Kinerja tahun "
               "berjalan (capaian tiap IKU paling tinggi 100%). Bukti dukung: LKjIP atau "
               "laporan kinerja triwulanan."),
            _q("IKI-1.2", "Persentase kegiatan Renja yang terlaksana", "%", 95, 20, "kuantitas",
               "Jumlah subkegiatan Renja yang terlaksana dibagi seluruh subkegiatan, dikali "
               "100. Bukti dukung: laporan evaluasi Renja."),
        ),
        _res(
            "RHK-2", "Terwujudnya pengelolaan anggaran yang akuntabel",
            _q("IKI-2.1", "Persentase penyerapan anggaran Perangkat Daerah", "%", 95, 15,
               "biaya",
               "Realisasi belanja Perangkat Daerah dibagi pagu setelah perubahan, dikali 100. "
               "Bukti dukung: laporan realisasi anggaran dari aplikasi keuangan daerah."),
            _r("IKI-2.2", "Tindak lanjut rekomendasi hasil pemeriksaan", 15, "kualitas",
               "Dinilai dari status tindak lanjut rekomendasi Inspektorat dan BPK untuk "
               "Perangkat Daerah. Bukti dukung: rekap status tindak lanjut dari Inspektorat.",
               _AUDIT_FOLLOW_UP),
        ),
        _res(
            "RHK-3", "Meningkatnya kualitas pelayanan publik Perangkat Daerah",
            _q("IKI-3.1", "Indeks Kepuasan Masyarakat (IKM) Perangkat Daerah", "indeks", 82, 15,
               "kualitas",
               "Nilai IKM hasil survei kepuasan masyarakat (PermenPANRB 14/2017) atas unit "
               "layanan Perangkat Daerah pada periode penilaian. Bukti dukung: laporan survei "
               "dari portal."),
            kind="tambahan",
        ),
        _attitude(_leader_attitude("IKI-4.1", 10), leader=True),
    ),
    "ADM-SEKRETARIS": (
        _res(
            "RHK-1", "Tersusunnya dokumen perencanaan dan pelaporan Perangkat Daerah tepat waktu",
            _q("IKI-1.1", "Jumlah dokumen perencanaan dan pelaporan yang diselesaikan",
               "dokumen", 8, 20, "kuantitas",
               "Dihitung Renja, RKA, DPA, Perjanjian Kinerja, LKjIP, laporan keuangan, dan "
               "laporan kinerja triwulanan yang sudah ditandatangani pimpinan. Bukti dukung: "
               "dokumen final dan tanda terima penyampaian.", annual=True),
            _q("IKI-1.2", "Persentase dokumen yang disampaikan sebelum batas waktu", "%", 100,
               20, "waktu",
               "Jumlah dokumen yang diterima Bappeda, BPKAD, atau Inspektorat sebelum batas "
               "waktunya dibagi seluruh dokumen wajib, dikali 100. Bukti dukung: tanda terima "
               "bertanggal atau tangkapan layar aplikasi."),
        ),
        _res(
            "RHK-2", "Tertibnya administrasi umum, kepegawaian, dan keuangan",
            _q("IKI-2.1", "Persentase penyerapan anggaran kesekretariatan", "%", 95, 20, "biaya",
               "Realisasi belanja program penunjang urusan dibagi pagunya, dikali 100. Bukti "
               "dukung: laporan realisasi anggaran."),
            _r("IKI-2.2", "Kualitas pengelolaan administrasi kepegawaian dan kearsipan", 15,
               "kualitas",
               "Dinilai dari kelengkapan berkas pegawai, kemutakhiran data di SIASN, dan "
               "tertibnya arsip. Bukti dukung: hasil pemeriksaan kearsipan dan rekap data SIASN.",
               ("Berkas pegawai dan arsip tidak terkelola; data SIASN banyak yang tidak sesuai.",
                "Sebagian kecil berkas tertata; ada usulan layanan pegawai yang tertunda karena "
                "berkas hilang.",
                "Sebagian besar berkas tertata, tetapi data SIASN belum dimutakhirkan rutin.",
                "Berkas pegawai lengkap, data SIASN mutakhir, dan arsip dapat ditemukan dalam "
                "satu hari kerja.",
                "Seperti level 4, dan arsip sudah dikelola secara elektronik (SRIKANDI) untuk "
                "seluruh unit.")),
        ),
        _res(
            "RHK-3", "Terlaksananya pengelolaan kinerja pegawai",
            _q("IKI-3.1", "Persentase pegawai yang menyelesaikan SKP tepat waktu", "%", 100, 15,
               "waktu",
               "Jumlah pegawai Perangkat Daerah yang rencana dan penilaian SKP-nya selesai "
               "sebelum batas waktu siklus dibagi seluruh pegawai, dikali 100. Bukti dukung: "
               "rekap kelengkapan dari portal ini."),
            kind="tambahan",
        ),
        _attitude(_leader_attitude("IKI-4.1", 10), leader=True),
    ),
    "ADM-KABID": (
        _res(
            "RHK-1", "Terlaksananya program bidang sesuai rencana kerja",
            _q("IKI-1.1", "Persentase realisasi kegiatan bidang", "%", 95, 25, "kuantitas",
               "Jumlah subkegiatan bidang yang terlaksana dibagi seluruh subkegiatan bidang "
               "dalam Renja, dikali 100. Bukti dukung: laporan bulanan dan dokumentasi "
               "kegiatan."),
            _q("IKI-1.2", "Persentase realisasi anggaran bidang", "%", 95, 20, "biaya",
               "Realisasi belanja bidang dibagi pagu bidang, dikali 100. Bukti dukung: laporan "
               "realisasi anggaran per subkegiatan."),
        ),
        _res(
            "RHK-2", "Tersusunnya rumusan kebijakan teknis bidang",
            _q("IKI-2.1", "Jumlah rumusan kebijakan teknis atau kajian yang disampaikan kepada "
               "pimpinan", "dokumen", 4, 15, "kuantitas",
               "Dihitung telaahan, kajian, atau rancangan kebijakan teknis yang disampaikan "
               "kepada Kepala Perangkat Daerah. Bukti dukung: dokumen dan lembar disposisi.",
               annual=True),
            _r("IKI-2.2", "Kualitas rumusan kebijakan teknis", 15, "kualitas",
               "Dinilai dari dasar data, analisis pilihan kebijakan, dan dapat tidaknya rumusan "
               "langsung dipakai. Bukti dukung: dokumen rumusan dan catatan pimpinan.",
               ("Rumusan tidak disertai data dan tidak dapat dipakai.",
                "Rumusan memerlukan perbaikan besar sebelum dapat dipakai.",
                "Rumusan dapat dipakai setelah perbaikan data atau analisis.",
                "Rumusan didukung data yang mutakhir, menimbang pilihan, dan dipakai pimpinan "
                "dengan perbaikan kecil.",
                "Seperti level 4, dan rumusan diadopsi menjadi kebijakan atau dirujuk "
                "Perangkat Daerah lain.")),
        ),
        _res(
            "RHK-3", "Terbinanya pegawai di lingkungan bidang",
            _r("IKI-3.1", "Pembinaan dan umpan balik berkelanjutan kepada bawahan", 15,
               "kualitas",
               "Dinilai dari target yang disepakati dengan setiap bawahan dan catatan umpan "
               "balik di portal. Bukti dukung: catatan umpan balik dan notula pembinaan.",
               _STAFF_COACHING),
            kind="tambahan",
        ),
        _attitude(_leader_attitude("IKI-4.1", 10), leader=True),
    ),
    "PGW-KASUBBAG": (
        _res(
            "RHK-1", "Terselenggaranya layanan administrasi subbagian",
            _q("IKI-1.1", "Jumlah dokumen administrasi subbagian yang diselesaikan", "dokumen",
               120, 25, "kuantitas",
               "Dihitung dokumen yang selesai diproses subbagian (usulan kepegawaian, SPJ, "
               "dokumen perencanaan, surat dinas). Bukti dukung: buku register atau rekap "
               "aplikasi.", annual=True),
            _q("IKI-1.2", "Rata-rata waktu penyelesaian permohonan layanan administrasi",
               "hari kerja", 3, 20, "waktu",
               "Rata-rata hari kerja sejak permohonan lengkap diterima sampai selesai. Bukti "
               "dukung: register dengan tanggal terima dan tanggal selesai.", turun=True),
        ),
        _res(
            "RHK-2", "Tersampaikannya laporan subbagian tepat waktu",
            _q("IKI-2.1", "Jumlah laporan bulanan subbagian yang disampaikan tepat waktu",
               "laporan", 12, 25, "waktu",
               "Dihitung laporan bulanan yang diterima Sekretaris paling lambat tanggal 5 bulan "
               "berikutnya. Bukti dukung: tanda terima atau surel bertanggal.", annual=True),
        ),
        _res(
            "RHK-3", "Terbinanya staf subbagian",
            _r("IKI-3.1", "Kualitas supervisi dan pembagian tugas kepada staf", 20, "kualitas",
               "Dinilai dari pembagian tugas yang jelas, pemantauan penyelesaiannya, dan umpan "
               "balik kepada staf. Bukti dukung: catatan pembagian tugas dan umpan balik.",
               _STAFF_COACHING),
            kind="tambahan",
        ),
        _attitude(_leader_attitude("IKI-4.1", 10), leader=True),
    ),
    "PGW-KASI": (
        _res(
            "RHK-1", "Terlaksananya kegiatan seksi sesuai rencana kerja",
            _q("IKI-1.1", "Persentase kegiatan seksi yang terlaksana sesuai jadwal", "%", 95, 25,
               "waktu",
               "Jumlah kegiatan seksi yang selesai pada bulan yang dijadwalkan dibagi seluruh "
               "kegiatan terjadwal, dikali 100. Bukti dukung: jadwal kegiatan dan laporan "
               "pelaksanaan."),
            _q("IKI-1.2", "Persentase realisasi anggaran kegiatan seksi", "%", 95, 20, "biaya",
               "Realisasi belanja kegiatan seksi dibagi pagunya, dikali 100. Bukti dukung: "
               "laporan realisasi anggaran."),
        ),
        _res(
            "RHK-2", "Tertanganinya permasalahan layanan seksi",
            _q("IKI-2.1", "Persentase pengaduan layanan yang ditindaklanjuti dalam 5 hari kerja",
               "%", 100, 15, "kualitas",
               "Jumlah pengaduan atau permasalahan layanan yang dijawab atau diselesaikan dalam "
               "5 hari kerja dibagi seluruh pengaduan, dikali 100. Bukti dukung: rekap SP4N-"
               "LAPOR! atau buku pengaduan."),
            _q("IKI-2.2", "Jumlah laporan monitoring dan evaluasi kegiatan", "laporan", 12, 15,
               "kuantitas",
               "Dihitung laporan monev bulanan yang disampaikan kepada kepala bidang. Bukti "
               "dukung: laporan dan tanda terima.", annual=True),
        ),
        _res(
            "RHK-3", "Terbinanya staf seksi",
            _r("IKI-3.1", "Pembinaan, pembagian tugas, dan umpan balik kepada staf", 15,
               "kualitas",
               "Dinilai dari target yang disepakati dengan setiap staf dan catatan umpan balik "
               "di portal. Bukti dukung: catatan umpan balik.", _STAFF_COACHING),
            kind="tambahan",
        ),
        _attitude(_leader_attitude("IKI-4.1", 10), leader=True),
    ),
    "PLK-PENGADMINISTRASI": (
        _res(
            "RHK-1", "Terkelolanya surat masuk dan surat keluar unit kerja",
            _q("IKI-1.1", "Jumlah surat masuk dan keluar yang diagendakan dan didistribusikan",
               "surat", 1200, 25, "kuantitas",
               "Dihitung surat yang tercatat di agenda surat atau aplikasi persuratan "
               "(SRIKANDI) atas nama pegawai. Bukti dukung: rekap agenda surat.", annual=True),
            _q("IKI-1.2", "Rata-rata waktu distribusi surat masuk kepada pejabat yang dituju",
               "hari kerja", 1, 15, "waktu",
               "Rata-rata hari kerja sejak surat diterima sampai diteruskan kepada pejabat "
               "yang dituju. Bukti dukung: tanggal terima dan tanggal disposisi di agenda.",
               turun=True),
        ),
        _res(
            "RHK-2", "Tertatanya arsip dinamis unit kerja",
            _q("IKI-2.1", "Jumlah berkas arsip yang ditata dan didaftar", "berkas", 300, 15,
               "kuantitas",
               "Dihitung berkas yang diberi kode klasifikasi dan tercatat di daftar arsip "
               "aktif. Bukti dukung: daftar arsip aktif.", annual=True),
            _r("IKI-2.2", "Ketertiban dan kemudahan penemuan kembali arsip", 15, "kualitas",
               "Dinilai dari uji temu kembali arsip secara acak oleh atasan. Bukti dukung: "
               "daftar arsip dan catatan uji temu kembali.",
               ("Arsip tidak tertata dan tidak dapat ditemukan.",
                "Sebagian arsip tertata; pencarian sering memerlukan lebih dari satu hari.",
                "Arsip tertata, tetapi daftar arsip belum lengkap.",
                "Arsip tertata sesuai klasifikasi, daftar lengkap, dan arsip yang diminta "
                "ditemukan dalam 15 menit.",
                "Seperti level 4, dan arsip sudah dialihmediakan dan dapat dicari secara "
                "elektronik.")),
        ),
        _res(
            "RHK-3", "Terlayaninya administrasi rapat dan kegiatan kantor",
            _q("IKI-3.1", "Jumlah rapat atau kegiatan yang administrasinya disiapkan",
               "kegiatan", 48, 15, "kuantitas",
               "Dihitung rapat atau kegiatan yang undangan, daftar hadir, dan notulanya "
               "disiapkan pegawai. Bukti dukung: undangan, daftar hadir, dan notula.",
               annual=True),
            kind="tambahan",
        ),
        _attitude(
            _work_attitude("IKI-4.1", 10),
            _r("IKI-4.2", "Kesantunan dan kesigapan melayani tamu, rekan, dan pimpinan", 5,
               "kualitas",
               "Dinilai atasan dari cara pegawai menerima tamu kantor dan menanggapi permintaan "
               "surat, arsip, atau bahan rapat dari rekan dan pimpinan. Bukti dukung: buku "
               "tamu, catatan atasan, dan keluhan atau apresiasi yang diterima.",
               ("Ada keluhan yang terbukti tentang sikap pegawai kepada tamu atau rekan, "
                "berulang.",
                "Ada keluhan yang terbukti tentang sikap pegawai; permintaan sering diabaikan "
                "sampai ditanyakan ulang.",
                "Tidak ada keluhan terbukti, tetapi permintaan rekan dan pimpinan sering baru "
                "ditanggapi keesokan harinya.",
                "Tamu diterima dengan santun dan diarahkan ke pejabat yang tepat; permintaan "
                "surat, arsip, atau bahan rapat ditanggapi pada hari yang sama.",
                "Seperti level 4, dan pegawai mendapat apresiasi tertulis dari tamu, rekan, "
                "atau pimpinan.")),
        ),
    ),
    "PLK-PENGELOLA-KEPEGAWAIAN": (
        _res(
            "RHK-1", "Terprosesnya usulan layanan kepegawaian",
            _q("IKI-1.1", "Jumlah usulan layanan kepegawaian yang diproses", "usulan", 150, 25,
               "kuantitas",
               "Dihitung usulan kenaikan pangkat, kenaikan gaji berkala, cuti, dan pensiun yang "
               "diverifikasi dan dikirim ke BKPSDM. Bukti dukung: rekap usulan di SIASN.",
               annual=True),
            _q("IKI-1.2", "Rata-rata waktu pemrosesan usulan layanan kepegawaian", "hari kerja",
               5, 20, "waktu",
               "Rata-rata hari kerja sejak berkas usulan lengkap diterima sampai dikirim ke "
               "BKPSDM. Bukti dukung: register usulan bertanggal.", turun=True),
        ),
        _res(
            "RHK-2", "Mutakhirnya data pegawai",
            _q("IKI-2.1", "Persentase data pegawai yang mutakhir di SIASN", "%", 100, 20,
               "kualitas",
               "Jumlah pegawai yang data jabatan, golongan, dan pendidikannya sesuai SK "
               "terakhir dibagi seluruh pegawai, dikali 100. Bukti dukung: hasil pencocokan "
               "data SIASN."),
        ),
        _res(
            "RHK-3", "Tersusunnya rekap kehadiran dan kinerja pegawai",
            _r("IKI-3.1", "Ketepatan rekapitulasi kehadiran dan penilaian kinerja pegawai", 20,
               "kualitas",
               "Dinilai dari ketepatan dan ketepatan waktu rekap kehadiran bulanan yang "
               "diimpor ke portal. Bukti dukung: berkas impor kehadiran dan catatan koreksi.",
               ("Rekap tidak dibuat.",
                "Rekap dibuat terlambat lebih dari satu bulan dan banyak kesalahan.",
                "Rekap dibuat, tetapi sering terlambat atau memerlukan koreksi.",
                "Rekap bulanan diimpor paling lambat tanggal 10 bulan berikutnya tanpa "
                "koreksi.",
                "Seperti level 4, dan pegawai dengan kehadiran rendah dilaporkan kepada atasan "
                "setiap bulan.")),
            kind="tambahan",
        ),
        _attitude(
            _work_attitude("IKI-4.1", 10),
            _r("IKI-4.2", "Menjaga kerahasiaan data dan berkas pegawai", 5, "kualitas",
               "Dinilai atasan dari penanganan data pribadi pegawai (berkas, NIK, data keluarga, "
               "hasil penilaian kinerja) dan laporan insiden. Bukti dukung: buku peminjaman "
               "berkas dan laporan insiden data.",
               ("Data atau berkas pegawai disebarkan kepada pihak yang tidak berhak.",
                "Berkas pegawai dibiarkan terbuka atau dipinjamkan tanpa izin; ada keluhan yang "
                "terbukti.",
                "Berkas disimpan dengan baik, tetapi peminjaman belum selalu dicatat.",
                "Data dan berkas pegawai hanya diberikan kepada yang berhak, setiap peminjaman "
                "dicatat, dan tidak ada keluhan yang terbukti.",
                "Seperti level 4, dan pegawai mengusulkan pengamanan data yang kemudian "
                "dijalankan unit.")),
        ),
    ),
    "PLK-OPERATOR-LAYANAN": (
        _res(
            "RHK-1", "Terlayaninya permohonan layanan masyarakat di loket",
            _q("IKI-1.1", "Jumlah permohonan layanan yang diterima dan diproses", "permohonan",
               2000, 25, "kuantitas",
               "Dihitung permohonan yang dicatat pegawai di aplikasi antrean atau buku register "
               "loket. Bukti dukung: rekap aplikasi antrean.", annual=True),
            _q("IKI-1.2", "Rata-rata waktu tunggu pemohon di loket", "menit", 15, 20, "waktu",
               "Rata-rata menit sejak nomor antrean diambil sampai pemohon dilayani, dari "
               "aplikasi antrean. Bukti dukung: laporan aplikasi antrean.", turun=True),
        ),
        _res(
            "RHK-2", "Terlayaninya pemohon dengan informasi yang jelas",
            _r("IKI-2.1", "Keramahan dan kejelasan informasi kepada pemohon", 25, "kualitas",
               "Dinilai dari pengamatan atasan, pengaduan, dan saran pemohon. Bukti dukung: "
               "rekap pengaduan dan kotak saran.",
               ("Ada pengaduan yang terbukti tentang sikap atau informasi yang salah, berulang.",
                "Ada pengaduan yang terbukti tentang sikap atau informasi yang salah.",
                "Tidak ada pengaduan terbukti, tetapi pemohon sering kembali karena informasi "
                "persyaratan tidak lengkap.",
                "Tidak ada pengaduan terbukti; pemohon menerima informasi persyaratan yang "
                "lengkap pada kunjungan pertama.",
                "Seperti level 4, dan pegawai mendapat apresiasi tertulis dari pemohon atau "
                "pimpinan.")),
        ),
        _res(
            "RHK-3", "Tersedianya rekap layanan harian",
            _q("IKI-3.1", "Persentase rekap layanan harian yang dikirim tepat waktu", "%", 100,
               20, "waktu",
               "Jumlah hari kerja dengan rekap layanan terkirim sebelum pukul 16.00 dibagi "
               "jumlah hari kerja, dikali 100. Bukti dukung: rekap di aplikasi atau surel."),
            kind="tambahan",
        ),
        _attitude(_work_attitude("IKI-4.1", 10)),
    ),
    "PLK-ANALIS-KEBIJAKAN": (
        _res(
            "RHK-1", "Tersusunnya telaahan staf dan bahan kebijakan",
            _q("IKI-1.1", "Jumlah telaahan staf atau naskah kebijakan yang diselesaikan",
               "dokumen", 24, 30, "kuantitas",
               "Dihitung telaahan staf, bahan rapat, dan naskah kebijakan yang diterima atasan. "
               "Bukti dukung: dokumen dan lembar disposisi.", annual=True),
            _r("IKI-1.2", "Kualitas telaahan (data, analisis, dan rekomendasi)", 25, "kualitas",
               "Dinilai dari kelengkapan data, ketepatan dasar hukum, dan kejelasan "
               "rekomendasi. Bukti dukung: telaahan dan catatan perbaikan atasan.",
               ("Telaahan tidak memuat data maupun dasar hukum.",
                "Telaahan memerlukan penulisan ulang.",
                "Telaahan dapat dipakai setelah perbaikan data atau dasar hukum.",
                "Telaahan lengkap, dasar hukumnya tepat, rekomendasinya jelas, dan dipakai "
                "dengan perbaikan kecil.",
                "Seperti level 4, dan telaahan langsung menjadi dasar keputusan pimpinan.")),
        ),
        _res(
            "RHK-2", "Terselesaikannya telaahan tepat waktu",
            _q("IKI-2.1", "Rata-rata waktu penyelesaian telaahan sejak disposisi", "hari kerja",
               5, 25, "waktu",
               "Rata-rata hari kerja sejak disposisi diterima sampai telaahan diserahkan. Bukti "
               "dukung: tanggal disposisi dan tanggal penyerahan.", turun=True),
        ),
        _res(
            "RHK-3", "Terpantaunya pelaksanaan kebijakan daerah",
            _q("IKI-3.1", "Jumlah laporan pemantauan pelaksanaan kebijakan", "laporan", 4, 20,
               "kuantitas",
               "Dihitung laporan pemantauan triwulanan yang disampaikan kepada kepala bagian. "
               "Bukti dukung: laporan dan tanda terima.", annual=True),
            kind="tambahan",
        ),
    ),
    "PLK-TEKNISI-JALAN": (
        _res(
            "RHK-1", "Terlaksananya pemeliharaan rutin jalan kabupaten",
            _q("IKI-1.1", "Panjang jalan yang dipelihara rutin", "km", 40, 35, "kuantitas",
               "Panjang ruas jalan kabupaten yang selesai dipelihara rutin (penambalan, "
               "pembersihan saluran, pemotongan rumput bahu jalan). Bukti dukung: laporan "
               "harian dan foto sebelum-sesudah berkoordinat.", annual=True),
            _q("IKI-1.2", "Persentase pekerjaan pemeliharaan yang selesai sesuai jadwal", "%",
               100, 25, "waktu",
               "Jumlah pekerjaan pemeliharaan yang selesai pada minggu yang dijadwalkan dibagi "
               "seluruh pekerjaan terjadwal, dikali 100. Bukti dukung: jadwal pemeliharaan dan "
               "laporan mingguan."),
        ),
        _res(
            "RHK-2", "Tertanganinya kerusakan jalan yang dilaporkan",
            _q("IKI-2.1", "Rata-rata waktu penanganan lubang jalan sejak laporan diterima",
               "hari", 3, 20, "waktu",
               "Rata-rata hari kalender sejak laporan kerusakan diterima sampai lubang "
               "ditambal. Bukti dukung: register laporan dan foto hasil penanganan.",
               turun=True),
        ),
        _res(
            "RHK-3", "Tersedianya data kondisi jalan",
            _q("IKI-3.1", "Jumlah laporan survei kondisi jalan yang disampaikan", "laporan", 48,
               20, "kuantitas",
               "Dihitung laporan survei mingguan kondisi ruas jalan binaan. Bukti dukung: "
               "formulir survei dan foto.", annual=True),
            kind="tambahan",
        ),
    ),
    "PLK-OPERATOR-ADMINDUK": (
        _res(
            "RHK-1", "Terbitnya dokumen kependudukan bagi masyarakat",
            _q("IKI-1.1", "Jumlah KTP-el yang diproses (perekaman dan pencetakan)", "keping",
               6000, 25, "kuantitas",
               "Dihitung KTP-el yang direkam atau dicetak dengan akun operator pegawai di SIAK. "
               "Bukti dukung: laporan harian SIAK per operator.", annual=True),
            _q("IKI-1.2", "Jumlah Kartu Keluarga (KK) yang diterbitkan", "dokumen", 3600, 25,
               "kuantitas",
               "Dihitung KK baru dan perubahan yang diterbitkan dengan akun operator pegawai. "
               "Bukti dukung: laporan penerbitan dokumen SIAK.", annual=True),
            _q("IKI-1.3", "Rata-rata hari penyelesaian dokumen sejak berkas lengkap", "hari kerja",
               3, 20, "waktu",
               "Rata-rata hari kerja sejak berkas permohonan lengkap sampai dokumen siap "
               "diambil atau terkirim. Bukti dukung: tanggal permohonan dan tanggal terbit di "
               "SIAK.", turun=True),
        ),
        _res(
            "RHK-2", "Akuratnya data dalam dokumen kependudukan",
            _q("IKI-2.1", "Persentase dokumen terbit tanpa perbaikan data", "%", 98, 15,
               "kualitas",
               "Jumlah dokumen yang tidak dikembalikan untuk perbaikan karena kesalahan input "
               "dibagi seluruh dokumen yang diterbitkan, dikali 100. Bukti dukung: register "
               "perbaikan dokumen."),
        ),
        _res(
            "RHK-3", "Terlayaninya penduduk rentan melalui layanan jemput bola",
            _q("IKI-3.1", "Jumlah penduduk yang dilayani pada layanan jemput bola", "orang", 300,
               15, "kuantitas",
               "Dihitung penduduk yang direkam atau menerima dokumen di sekolah, panti, rumah "
               "sakit, atau rumah penduduk lanjut usia. Bukti dukung: berita acara dan daftar "
               "hadir layanan.", annual=True),
            kind="tambahan",
        ),
    ),
    "PLK-PELAYANAN-SURAT": (
        _res(
            "RHK-1", "Terbitnya surat pelayanan kecamatan dalam standar pelayanan",
            _q("IKI-1.1", "Jumlah surat pelayanan yang diterbitkan", "surat", 1500, 25,
               "kuantitas",
               "Dihitung surat keterangan, rekomendasi, dan legalisasi yang diterbitkan "
               "melalui loket PATEN. Bukti dukung: register surat keluar loket.", annual=True),
            _q("IKI-1.2", "Persentase surat yang selesai dalam standar pelayanan (1 hari kerja)",
               "%", 95, 30, "waktu",
               "Jumlah surat yang selesai paling lama 1 hari kerja sejak berkas lengkap dibagi "
               "seluruh surat yang diterbitkan, dikali 100. Bukti dukung: register dengan "
               "tanggal terima dan tanggal terbit."),
        ),
        _res(
            "RHK-2", "Terjaganya kualitas pelayanan di loket kecamatan",
            _q("IKI-2.1", "Rata-rata waktu tunggu pemohon di loket", "menit", 20, 20, "waktu",
               "Rata-rata menit sejak pemohon mengambil nomor antrean sampai dilayani. Bukti "
               "dukung: laporan aplikasi antrean.", turun=True),
            _r("IKI-2.2", "Kelengkapan informasi persyaratan dan penanganan pengaduan", 10,
               "kualitas",
               "Dinilai dari papan informasi standar pelayanan, berkas yang dikembalikan karena "
               "informasi keliru, dan tindak lanjut pengaduan. Bukti dukung: foto papan "
               "informasi dan rekap pengaduan.",
               ("Informasi persyaratan tidak tersedia dan pengaduan tidak ditanggapi.",
                "Informasi tersedia tetapi keliru; pengaduan ditanggapi lebih dari 5 hari.",
                "Informasi tersedia; sebagian pengaduan ditanggapi lebih dari 5 hari kerja.",
                "Informasi persyaratan lengkap dan mutakhir; setiap pengaduan ditanggapi "
                "dalam 5 hari kerja.",
                "Seperti level 4, dan persyaratan juga diumumkan daring sehingga berkas "
                "jarang dikembalikan.")),
        ),
        _res(
            "RHK-3", "Tersusunnya laporan pelayanan kecamatan",
            _q("IKI-3.1", "Jumlah laporan rekapitulasi layanan PATEN bulanan", "laporan", 12, 15,
               "kuantitas",
               "Dihitung laporan bulanan layanan PATEN yang disampaikan kepada Camat paling "
               "lambat tanggal 5. Bukti dukung: laporan dan tanda terima.", annual=True),
            kind="tambahan",
        ),
    ),
    "JF-ANALIS-SDM-AP": (
        _res(
            "RHK-1", "Tersusunnya analisis kebutuhan SDM aparatur",
            _q("IKI-1.1", "Jumlah dokumen analisis jabatan dan beban kerja yang disusun",
               "dokumen", 6, 25, "kuantitas",
               "Dihitung dokumen anjab dan ABK unit kerja yang diverifikasi bagian organisasi. "
               "Bukti dukung: dokumen anjab/ABK dan berita acara verifikasi.", annual=True),
            _r("IKI-1.2", "Kualitas rekomendasi analisis kebutuhan pelatihan", 20, "kualitas",
               "Dinilai dari dasar data (kesenjangan kompetensi hasil penilaian kinerja) dan "
               "kelayakan rekomendasi. Bukti dukung: dokumen analisis kebutuhan pelatihan.",
               ("Tidak ada analisis kebutuhan pelatihan.",
                "Analisis hanya daftar usulan tanpa data kesenjangan.",
                "Analisis memakai data kesenjangan, tetapi rekomendasinya belum berprioritas.",
                "Analisis memakai data kesenjangan kompetensi, rekomendasinya berprioritas dan "
                "masuk rencana pengembangan kompetensi.",
                "Seperti level 4, dan pelatihan yang direkomendasikan sudah terlaksana serta "
                "dievaluasi.")),
        ),
        _res(
            "RHK-2", "Terfasilitasinya pengembangan kompetensi pegawai",
            _q("IKI-2.1", "Persentase pegawai yang memperoleh pengembangan kompetensi minimal "
               "20 JP", "%", 80, 25, "kuantitas",
               "Jumlah pegawai dengan paling sedikit 20 jam pelajaran pengembangan kompetensi "
               "pada tahun berjalan dibagi seluruh pegawai, dikali 100. Bukti dukung: rekap "
               "sertifikat atau data SIASN."),
        ),
        _res(
            "RHK-3", "Terverifikasinya usulan pengembangan kompetensi tepat waktu",
            _q("IKI-3.1", "Rata-rata waktu verifikasi usulan pengembangan kompetensi",
               "hari kerja", 5, 20, "waktu",
               "Rata-rata hari kerja sejak usulan diterima sampai hasil verifikasi dikirim. "
               "Bukti dukung: register usulan bertanggal.", turun=True),
            kind="tambahan",
        ),
        _attitude(_work_attitude("IKI-4.1", 10)),
    ),
    "JF-DOKTER-AP": (
        _res(
            "RHK-1", "Terlayaninya pasien sesuai standar pelayanan medis",
            _q("IKI-1.1", "Jumlah pasien yang dilayani", "pasien", 3600, 30, "kuantitas",
               "Dihitung kunjungan pasien yang diperiksa dan ditatalaksana dokter, dari rekam "
               "medis elektronik atau register poli. Bukti dukung: rekap kunjungan per dokter.",
               annual=True),
            _q("IKI-1.2", "Persentase rekam medis yang lengkap sesuai standar", "%", 95, 15,
               "kualitas",
               "Jumlah rekam medis sampel yang lengkap (anamnesis, pemeriksaan, diagnosis ICD-10, "
               "terapi) dibagi jumlah sampel audit rekam medis, dikali 100. Bukti dukung: hasil "
               "audit rekam medis."),
        ),
        _res(
            "RHK-2", "Meningkatnya kepuasan pasien",
            _q("IKI-2.1", "Tingkat kepuasan pasien", "%", 85, 25, "kualitas",
               "Persentase pasien yang menjawab puas atau sangat puas pada survei kepuasan "
               "pasien poli pada periode penilaian. Bukti dukung: rekap survei kepuasan pasien."),
            _q("IKI-2.2", "Rata-rata waktu tunggu pasien sampai diperiksa dokter", "menit", 30,
               10, "waktu",
               "Rata-rata menit sejak pendaftaran sampai pasien diperiksa, dari aplikasi "
               "antrean. Bukti dukung: laporan aplikasi antrean.", turun=True),
        ),
        _res(
            "RHK-3", "Terlaksananya program imunisasi di wilayah kerja",
            _q("IKI-3.1", "Cakupan imunisasi dasar lengkap di wilayah kerja", "%", 95, 20,
               "kuantitas",
               "Jumlah bayi yang mendapat imunisasi dasar lengkap dibagi sasaran bayi wilayah "
               "kerja, dikali 100. Bukti dukung: laporan imunisasi (ASIK) Puskesmas."),
            kind="tambahan",
        ),
    ),
    "JF-PERAWAT-TRP": (
        _res(
            "RHK-1", "Terlaksananya asuhan keperawatan",
            _q("IKI-1.1", "Jumlah pasien yang dilayani asuhan keperawatan", "pasien", 2400, 30,
               "kuantitas",
               "Dihitung pasien yang menerima asuhan keperawatan dari pegawai, dari register "
               "atau rekam medis elektronik. Bukti dukung: rekap per perawat.", annual=True),
            _q("IKI-1.2", "Persentase dokumentasi asuhan keperawatan yang lengkap", "%", 95, 20,
               "kualitas",
               "Jumlah dokumentasi asuhan sampel yang lengkap (pengkajian, diagnosis, "
               "intervensi, evaluasi) dibagi jumlah sampel audit, dikali 100. Bukti dukung: "
               "hasil audit dokumentasi keperawatan."),
        ),
        _res(
            "RHK-2", "Meningkatnya kepuasan pasien terhadap pelayanan keperawatan",
            _q("IKI-2.1", "Tingkat kepuasan pasien", "%", 85, 25, "kualitas",
               "Persentase pasien yang menjawab puas atau sangat puas pada survei kepuasan "
               "pasien unit layanan. Bukti dukung: rekap survei kepuasan pasien."),
        ),
        _res(
            "RHK-3", "Terlaksananya perawatan kesehatan masyarakat",
            _q("IKI-3.1", "Jumlah kunjungan rumah keluarga rawan kesehatan", "kunjungan", 60, 15,
               "kuantitas",
               "Dihitung kunjungan rumah perkesmas kepada keluarga rawan (lansia, penderita "
               "penyakit kronis, ibu dan balita berisiko). Bukti dukung: formulir kunjungan "
               "dan foto.", annual=True),
            _r("IKI-3.2", "Penerapan keselamatan pasien", 10, "kualitas",
               "Dinilai dari identifikasi pasien, kebersihan tangan, dan pencegahan infeksi "
               "pada pengamatan atasan dan laporan insiden. Bukti dukung: hasil audit "
               "kepatuhan dan laporan insiden.",
               ("Terjadi insiden keselamatan pasien karena kelalaian pegawai.",
                "Kepatuhan kebersihan tangan di bawah 60% dan ada kejadian nyaris cedera.",
                "Kepatuhan kebersihan tangan 60 sampai 84%, tanpa insiden.",
                "Kepatuhan kebersihan tangan dan identifikasi pasien paling sedikit 85%, tanpa "
                "insiden.",
                "Seperti level 4, dan pegawai melaporkan risiko yang kemudian dicegah.")),
            kind="tambahan",
        ),
    ),
    "JF-BIDAN-TRP": (
        _res(
            "RHK-1", "Terlayaninya kesehatan ibu hamil dan bersalin",
            _q("IKI-1.1", "Jumlah ibu hamil yang mendapat pemeriksaan kehamilan lengkap",
               "orang", 120, 25, "kuantitas",
               "Dihitung ibu hamil di wilayah binaan yang mendapat paling sedikit enam kali "
               "pemeriksaan kehamilan (K6). Bukti dukung: kohort ibu dan buku KIA.",
               annual=True),
            _q("IKI-1.2", "Persentase persalinan di fasilitas kesehatan", "%", 95, 15,
               "kualitas",
               "Jumlah persalinan ditolong tenaga kesehatan di fasilitas kesehatan dibagi "
               "seluruh persalinan di wilayah binaan, dikali 100. Bukti dukung: kohort ibu."),
        ),
        _res(
            "RHK-2", "Meningkatnya cakupan imunisasi bayi",
            _q("IKI-2.1", "Cakupan imunisasi dasar lengkap bayi di wilayah binaan", "%", 95, 30,
               "kuantitas",
               "Jumlah bayi di wilayah binaan yang mendapat imunisasi dasar lengkap dibagi "
               "sasaran bayi, dikali 100. Bukti dukung: kohort bayi dan laporan ASIK."),
        ),
        _res(
            "RHK-3", "Meningkatnya kepuasan dan pengetahuan ibu",
            _q("IKI-3.1", "Tingkat kepuasan pasien layanan KIA", "%", 85, 20, "kualitas",
               "Persentase pasien layanan KIA yang menjawab puas atau sangat puas pada survei "
               "kepuasan pasien. Bukti dukung: rekap survei kepuasan pasien."),
            _q("IKI-3.2", "Jumlah kelas ibu hamil yang dilaksanakan", "kegiatan", 12, 10,
               "kuantitas",
               "Dihitung pertemuan kelas ibu hamil yang dipandu pegawai. Bukti dukung: daftar "
               "hadir dan foto kegiatan.", annual=True),
            kind="tambahan",
        ),
    ),
    "JF-GURU-AP": (
        _res(
            "RHK-1", "Terlaksananya pembelajaran yang berkualitas",
            _q("IKI-1.1", "Jumlah jam pelajaran tatap muka yang dilaksanakan", "JP", 864, 20,
               "kuantitas",
               "Dihitung jam pelajaran yang dilaksanakan sesuai jadwal (24 JP per minggu "
               "selama 36 minggu efektif). Bukti dukung: jurnal mengajar dan presensi kelas.",
               annual=True),
            _q("IKI-1.2", "Jumlah modul ajar yang disusun", "modul", 12, 10, "kuantitas",
               "Dihitung modul ajar (RPP) yang disusun dan disahkan kepala sekolah. Bukti "
               "dukung: modul ajar dengan lembar pengesahan.", annual=True),
            _q("IKI-1.3", "Persentase peserta didik yang mencapai kriteria ketercapaian tujuan "
               "pembelajaran", "%", 80, 15, "kualitas",
               "Jumlah peserta didik yang mencapai KKTP pada asesmen sumatif dibagi seluruh "
               "peserta didik yang diajar, dikali 100. Bukti dukung: daftar nilai."),
        ),
        _res(
            "RHK-2", "Terbinanya peserta didik melalui kegiatan ekstrakurikuler",
            _q("IKI-2.1", "Jumlah pertemuan ekstrakurikuler yang dibina", "pertemuan", 32, 10,
               "kuantitas",
               "Dihitung pertemuan ekstrakurikuler yang dibina pegawai sesuai SK pembina. "
               "Bukti dukung: SK pembina, daftar hadir, dan jurnal ekstrakurikuler.",
               annual=True),
        ),
        _res(
            "RHK-3", "Terwujudnya inovasi pembelajaran",
            _r("IKI-3.1", "Inovasi dalam pembelajaran", 15, "kualitas",
               "Dinilai dari metode, media, atau pemanfaatan teknologi baru yang diterapkan di "
               "kelas dan dampaknya pada peserta didik. Bukti dukung: modul ajar, media, foto "
               "atau video kelas, dan hasil refleksi.",
               ("Tidak ada perubahan cara mengajar selama periode.",
                "Ada rencana inovasi, tetapi belum diterapkan di kelas.",
                "Inovasi diterapkan sesekali tanpa evaluasi dampaknya.",
                "Paling sedikit satu inovasi diterapkan di kelas secara rutin dan dampaknya "
                "pada peserta didik dievaluasi.",
                "Seperti level 4, dan inovasi dibagikan kepada rekan sejawat atau dipakai "
                "sekolah lain.")),
            kind="tambahan",
        ),
        _res(
            "RHK-4", "Sikap profesional dalam melaksanakan tugas",
            _r("IKI-4.1", "Ketepatan waktu hadir dan memulai pembelajaran", 15, "waktu",
               "Dinilai atasan dari jurnal kelas, supervisi, dan catatan piket. Bukti dukung: "
               "jurnal mengajar dan catatan piket.",
               ("Sering tidak hadir di kelas tanpa pemberitahuan.",
                "Sering terlambat lebih dari 10 menit atau meninggalkan kelas lebih awal.",
                "Sesekali terlambat memulai pembelajaran.",
                "Hadir dan memulai pembelajaran tepat waktu; ketidakhadiran selalu disertai "
                "tugas pengganti.",
                "Seperti level 4, dan bersedia menggantikan rekan yang berhalangan.")),
            _r("IKI-4.2", "Komunikasi dengan peserta didik dan orang tua", 15, "kualitas",
               "Dinilai atasan dari pengamatan, umpan balik orang tua, dan tindak lanjut "
               "masalah peserta didik. Bukti dukung: catatan komunikasi dan notula pertemuan "
               "orang tua.",
               ("Ada keluhan orang tua yang terbukti tentang sikap pegawai.",
                "Komunikasi hanya satu arah; masalah peserta didik tidak ditindaklanjuti.",
                "Komunikasi berjalan, tetapi tindak lanjut masalah peserta didik lambat.",
                "Berkomunikasi santun dengan peserta didik dan orang tua; masalah peserta "
                "didik ditindaklanjuti dalam satu minggu.",
                "Seperti level 4, dan aktif melibatkan orang tua dalam kegiatan belajar.")),
            component="sikap",
        ),
    ),
    "JF-GURU-AM": (
        _res(
            "RHK-1", "Terlaksananya pembelajaran yang berkualitas",
            _q("IKI-1.1", "Jumlah jam pelajaran tatap muka yang dilaksanakan", "JP", 864, 20,
               "kuantitas",
               "Dihitung jam pelajaran yang dilaksanakan sesuai jadwal (24 JP per minggu "
               "selama 36 minggu efektif). Bukti dukung: jurnal mengajar dan presensi kelas.",
               annual=True),
            _q("IKI-1.2", "Persentase peserta didik yang mencapai kriteria ketercapaian tujuan "
               "pembelajaran", "%", 85, 15, "kualitas",
               "Jumlah peserta didik yang mencapai KKTP pada asesmen sumatif dibagi seluruh "
               "peserta didik yang diajar, dikali 100. Bukti dukung: daftar nilai."),
        ),
        _res(
            "RHK-2", "Berprestasinya peserta didik binaan ekstrakurikuler",
            _q("IKI-2.1", "Jumlah peserta didik binaan ekstrakurikuler yang mengikuti lomba "
               "atau pentas", "orang", 10, 10, "kuantitas",
               "Dihitung peserta didik binaan pegawai yang mengikuti lomba, festival, atau "
               "pentas tingkat kecamatan ke atas. Bukti dukung: surat tugas dan sertifikat.",
               annual=True),
        ),
        _res(
            "RHK-3", "Terwujudnya inovasi pembelajaran dan pengembangan keprofesian",
            _r("IKI-3.1", "Inovasi pembelajaran yang didiseminasikan", 15, "kualitas",
               "Dinilai dari inovasi metode atau media yang diterapkan dan dibagikan kepada "
               "rekan sejawat (KKG/MGMP). Bukti dukung: bahan diseminasi, daftar hadir, foto.",
               ("Tidak ada inovasi pembelajaran.",
                "Inovasi direncanakan tetapi belum diterapkan.",
                "Inovasi diterapkan di kelas sendiri tanpa dibagikan.",
                "Inovasi diterapkan, dievaluasi, dan dibagikan kepada rekan sejawat di KKG "
                "atau MGMP.",
                "Seperti level 4, dan inovasi diadopsi sekolah lain atau menjadi praktik baik "
                "tingkat daerah.")),
            _q("IKI-3.2", "Jumlah karya pengembangan keprofesian berkelanjutan", "karya", 2, 10,
               "kuantitas",
               "Dihitung penelitian tindakan kelas, artikel praktik baik, atau modul yang "
               "dipublikasikan. Bukti dukung: karya dan bukti publikasi.", annual=True),
            kind="tambahan",
        ),
        _res(
            "RHK-4", "Sikap profesional dan keteladanan",
            _r("IKI-4.1", "Keteladanan dan ketepatan waktu", 15, "waktu",
               "Dinilai atasan dari jurnal kelas, supervisi, dan catatan piket. Bukti dukung: "
               "jurnal mengajar dan catatan piket.",
               ("Sering tidak hadir di kelas tanpa pemberitahuan.",
                "Sering terlambat atau meninggalkan kelas lebih awal.",
                "Sesekali terlambat; belum menjadi contoh bagi rekan.",
                "Selalu tepat waktu dan menjadi contoh kedisiplinan bagi rekan dan peserta "
                "didik.",
                "Seperti level 4, dan membimbing guru pemula tentang pengelolaan kelas.")),
            _r("IKI-4.2", "Komunikasi dengan peserta didik, orang tua, dan rekan sejawat", 15,
               "kualitas",
               "Dinilai atasan dari pengamatan, umpan balik orang tua, dan kerja sama dengan "
               "rekan. Bukti dukung: catatan komunikasi dan notula rapat.",
               ("Ada keluhan yang terbukti tentang sikap pegawai.",
                "Komunikasi satu arah dan sering menimbulkan salah paham.",
                "Komunikasi berjalan, tetapi tindak lanjut masalah lambat.",
                "Berkomunikasi santun dan jelas; masalah ditindaklanjuti dalam satu minggu.",
                "Seperti level 4, dan menjadi rujukan rekan dalam menangani masalah peserta "
                "didik.")),
            component="sikap",
        ),
    ),
    "JF-ADMINDUK-TRP": (
        _res(
            "RHK-1", "Terekamnya dan tercetaknya dokumen kependudukan",
            _q("IKI-1.1", "Jumlah KTP-el yang direkam dan dicetak", "keping", 4000, 25,
               "kuantitas",
               "Dihitung KTP-el yang direkam atau dicetak dengan akun pegawai di SIAK. Bukti "
               "dukung: laporan harian SIAK per petugas.", annual=True),
            _q("IKI-1.2", "Jumlah Kartu Keluarga (KK) yang diterbitkan", "dokumen", 3000, 20,
               "kuantitas",
               "Dihitung KK baru dan perubahan yang diterbitkan dengan akun pegawai. Bukti "
               "dukung: laporan penerbitan dokumen SIAK.", annual=True),
        ),
        _res(
            "RHK-2", "Terjaganya kualitas database kependudukan",
            _q("IKI-2.1", "Persentase data anomali yang diperbaiki", "%", 95, 20, "kualitas",
               "Jumlah data ganda atau anomali hasil konsolidasi Ditjen Dukcapil yang "
               "diperbaiki dibagi seluruh data anomali yang diterima, dikali 100. Bukti "
               "dukung: laporan konsolidasi dan perbaikan data."),
            _q("IKI-2.2", "Rata-rata waktu pemulihan gangguan layanan SIAK", "jam", 4, 15,
               "waktu",
               "Rata-rata jam sejak gangguan aplikasi atau jaringan layanan dilaporkan sampai "
               "layanan pulih. Bukti dukung: log gangguan.", turun=True),
        ),
        _res(
            "RHK-3", "Tersedianya data agregat kependudukan",
            _q("IKI-3.1", "Jumlah laporan data agregat kependudukan", "laporan", 2, 20,
               "kuantitas",
               "Dihitung laporan data agregat kependudukan semesteran yang disampaikan kepada "
               "pimpinan dan Perangkat Daerah pengguna. Bukti dukung: laporan dan surat "
               "pengantar.", annual=True),
            kind="tambahan",
        ),
    ),
    "JF-TEKNIK-JALAN-AP": (
        _res(
            "RHK-1", "Terlaksananya pemeliharaan jalan dan jembatan sesuai jadwal",
            _q("IKI-1.1", "Persentase paket pemeliharaan jalan yang selesai sesuai jadwal "
               "kontrak", "%", 100, 30, "waktu",
               "Jumlah paket pemeliharaan yang diserahterimakan (PHO) paling lambat tanggal "
               "akhir kontrak dibagi seluruh paket yang diawasi, dikali 100. Bukti dukung: "
               "berita acara serah terima dan kontrak."),
            _q("IKI-1.2", "Panjang jalan kabupaten yang dipelihara", "km", 60, 20, "kuantitas",
               "Panjang ruas jalan yang selesai dipelihara dari paket yang diawasi pegawai. "
               "Bukti dukung: laporan akhir pekerjaan dan peta ruas.", annual=True),
        ),
        _res(
            "RHK-2", "Terkendalinya mutu dan biaya pekerjaan jalan",
            _r("IKI-2.1", "Kesesuaian hasil pekerjaan dengan spesifikasi teknis", 20, "kualitas",
               "Dinilai dari hasil uji mutu (tebal, kepadatan) dan temuan pemeriksaan. Bukti "
               "dukung: hasil uji laboratorium dan laporan pemeriksaan.",
               ("Pekerjaan ditolak karena tidak memenuhi spesifikasi.",
                "Ada temuan kekurangan volume atau mutu yang harus dikembalikan ke kas daerah.",
                "Ada temuan mutu yang diperbaiki penyedia sebelum serah terima.",
                "Semua pekerjaan memenuhi spesifikasi teknis tanpa temuan pemeriksaan.",
                "Seperti level 4, dan usulan teknis pegawai menghemat biaya tanpa menurunkan "
                "mutu.")),
            _q("IKI-2.2", "Persentase penyerapan anggaran pemeliharaan jalan", "%", 95, 15,
               "biaya",
               "Realisasi pembayaran paket pemeliharaan yang diawasi dibagi nilai kontraknya, "
               "dikali 100. Bukti dukung: SP2D dan laporan realisasi."),
        ),
        _res(
            "RHK-3", "Tersedianya data kondisi jalan",
            _q("IKI-3.1", "Jumlah ruas jalan yang disurvei kondisinya", "ruas", 40, 15,
               "kuantitas",
               "Dihitung ruas jalan kabupaten yang disurvei kondisinya (IRI atau RCI) dan "
               "dimutakhirkan di basis data jalan. Bukti dukung: formulir survei dan data "
               "terunggah.", annual=True),
            kind="tambahan",
        ),
    ),
}
# fmt: on


# --- writers ------------------------------------------------------------------------------------


def seed_indicator_sets(region) -> int:
    """Create the demo indicator set of every catalogue position that has none yet.

    A set that already has indicators is left alone (the Admin Daerah may have edited it),
    so running twice changes nothing. Returns the number of sets filled.
    """
    from agencies.models import JobPosition

    from .models import Indicator, IndicatorSet, ResultTemplate

    positions = {
        p.code: p for p in JobPosition.objects.filter(region=region, code__in=INDICATOR_SETS)
    }
    sets = {s.position_id: s for s in IndicatorSet.objects.filter(position__in=positions.values())}
    filled = set(
        Indicator.objects.filter(indicator_set__in=sets.values()).values_list(
            "indicator_set__position_id", flat=True
        )
    )
    todo = [
        code for code in INDICATOR_SETS if code in positions and positions[code].pk not in filled
    ]
    if not todo:
        return 0
    IndicatorSet.objects.bulk_create(
        IndicatorSet(region=region, position=positions[code])
        for code in todo
        if positions[code].pk not in sets
    )
    sets = {s.position_id: s for s in IndicatorSet.objects.filter(position__in=positions.values())}
    todo_sets = {code: sets[positions[code].pk] for code in todo}
    # Results left without indicators would clash on their codes: they measured nothing.
    ResultTemplate.objects.filter(indicator_set__in=todo_sets.values()).delete()
    ResultTemplate.objects.bulk_create(
        ResultTemplate(
            indicator_set=todo_sets[code],
            code=result.code,
            name=result.name,
            kind=result.kind,
            component=result.component,
            order=order,
        )
        for code in todo
        for order, result in enumerate(INDICATOR_SETS[code])
    )
    templates = {
        (t.indicator_set_id, t.code): t
        for t in ResultTemplate.objects.filter(indicator_set__in=todo_sets.values())
    }
    indicators = []
    for code in todo:
        indicator_set = todo_sets[code]
        order = 0
        for result in INDICATOR_SETS[code]:
            for spec in result.indicators:
                indicators.append(
                    Indicator(
                        indicator_set=indicator_set,
                        result=templates[(indicator_set.pk, result.code)],
                        code=spec.code,
                        name=spec.name,
                        kind=spec.kind,
                        unit=spec.unit,
                        direction=spec.direction,
                        aspect=spec.aspect,
                        target=spec.target,
                        weight=Decimal(spec.weight),
                        guidance=spec.guidance,
                        rubric=spec.rubric,
                        order=order,
                    )
                )
                order += 1
    Indicator.objects.bulk_create(indicators)
    return len(todo)


# National holidays (libur nasional; cuti bersama excluded) on which nobody is expected at work.
HOLIDAYS = frozenset(
    dt.date.fromisoformat(day)
    for day in (
        # 2025
        "2025-01-01", "2025-01-27", "2025-01-29", "2025-03-31", "2025-04-01", "2025-04-18",
        "2025-05-01", "2025-05-12", "2025-05-29", "2025-06-06", "2025-06-27", "2025-09-05",
        "2025-12-25",
        # 2026
        "2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-20", "2026-04-03",
        "2026-05-01", "2026-05-14", "2026-05-27", "2026-06-01", "2026-06-16", "2026-08-17",
        "2026-08-25", "2026-12-25",
    )
)  # fmt: skip

MONTHS: tuple[dt.date, ...] = tuple(dt.date(2025, m, 1) for m in range(1, 13)) + tuple(
    dt.date(2026, m, 1) for m in range(1, 12)
)
SANCTION_FROM = dt.date(2025, 2, 1)
SANCTION_UNTIL = dt.date(2026, 10, 31)


@functools.cache
def working_days(month: dt.date) -> int:
    """Monday to Friday of the month, less national holidays."""
    day, count = month, 0
    while day.month == month.month:
        if day.weekday() < 5 and day not in HOLIDAYS:
            count += 1
        day += dt.timedelta(days=1)
    return count


def attendance_rows(nip: str, profile: str) -> list[tuple[dt.date, int, int, int, int]]:
    """(month, working, present, late, early) for one employee: pure and deterministic.

    ``profile``: ``baik`` (most people), ``terlambat`` (often late) or ``kurang`` (poor
    attendance). ``present`` already includes approved leave, sick leave and official travel,
    so only unexcused absences lower it.
    """
    rng = random.Random(f"{SEED}:kehadiran:{nip}")
    rows = []
    for month in MONTHS:
        working = working_days(month)
        if profile == "kurang":
            absent = rng.randint(1, 4)
            late, early = rng.randint(2, 5), rng.randint(0, 2)
        elif profile == "terlambat":
            absent = rng.choices((0, 1), weights=(85, 15))[0]
            late, early = rng.randint(1, 4), rng.randint(0, 1)
        else:
            absent = rng.choices((0, 1, 2), weights=(92, 7, 1))[0]
            late = rng.choices((0, 1, 2), weights=(70, 22, 8))[0]
            early = rng.choices((0, 1), weights=(90, 10))[0]
        present = working - absent
        rows.append((month, working, present, min(late, present), min(early, present)))
    return rows


def _weekday_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    while day.weekday() >= 5 or day in HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def seed_attendance_and_discipline(region) -> tuple[int, int]:
    """Monthly attendance for every employee of the region's ``tebingtinggi``-preset agencies
    (2025 and January to November 2026) and a handful of disciplinary sanctions.

    Deterministic per agency code and NIP; existing records are kept, so running twice adds
    nothing. Returns (attendance records created, sanctions created).
    """
    from agencies.models import Agency, Employee

    from .models import AttendanceRecord, DisciplineRecord

    attendance_created = sanctions_created = 0
    agencies = Agency.objects.filter(region=region, default_scheme=ATTENDANCE_SCHEME)
    for agency in agencies.order_by("code"):
        staff = list(
            Employee.objects.filter(agency=agency, is_active=True)
            .order_by("nip")
            .values_list("pk", "nip", "position__kind")
        )
        if not staff:
            continue
        rng = random.Random(f"{SEED}:{agency.code}")
        # Poor attendance and sanctions among staff (not the officials who lead them).
        eligible = [(pk, nip) for pk, nip, kind in staff if kind in ("Pelaksana", "Fungsional")]
        poor = rng.sample(eligible, min(len(eligible), max(2, len(staff) // 25)))
        often_late = rng.sample(eligible, min(len(eligible), max(3, len(staff) // 10)))
        profiles = {nip: "terlambat" for _, nip in often_late}
        profiles.update({nip: "kurang" for _, nip in poor})

        have = set(
            AttendanceRecord.objects.filter(employee__agency=agency).values_list(
                "employee_id", "period"
            )
        )
        records = [
            AttendanceRecord(
                employee_id=pk,
                period=month,
                working_days=working,
                present_days=present,
                late=late,
                early_leave=early,
            )
            for pk, nip, _kind in staff
            for month, working, present, late, early in attendance_rows(
                nip, profiles.get(nip, "baik")
            )
            if (pk, month) not in have
        ]
        AttendanceRecord.objects.bulk_create(records, batch_size=2000)
        attendance_created += len(records)

        # A handful of sanctions: half of them for people with poor attendance (the usual
        # ground: unexcused absence), every level at least once.
        count = min(len(eligible), max(3, len(staff) // 40))
        punished = poor[: (count + 1) // 2]
        others = [e for e in eligible if e not in punished]
        punished += rng.sample(others, min(len(others), count - len(punished)))
        levels = ["ringan", "sedang", "berat"]
        levels += rng.choices(("ringan", "sedang", "berat"), weights=(60, 30, 10), k=count)
        existing = set(
            DisciplineRecord.objects.filter(employee__agency=agency).values_list(
                "employee_id", "decree_date", "level"
            )
        )
        sanctions = []
        for (pk, _nip), level in zip(punished, levels, strict=False):
            decree = _weekday_between(rng, SANCTION_FROM, SANCTION_UNTIL)
            if (pk, decree, level) not in existing:
                sanctions.append(DisciplineRecord(employee_id=pk, decree_date=decree, level=level))
        DisciplineRecord.objects.bulk_create(sanctions, batch_size=2000)
        sanctions_created += len(sanctions)
    return attendance_created, sanctions_created
