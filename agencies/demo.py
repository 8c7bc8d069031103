"""Deterministic demo organisation: one region, six preset agencies, a supervisor tree.

Pure data generation (fixed random seed); ``seed_demo`` writes it with bulk inserts so that
``--employees 60000 --agencies 50`` builds a province-sized data set in minutes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

REGION_CODE = "3299"
REGION_NAME = "Pemerintah Kabupaten Sukamaju"
ADMIN_DAERAH_EMAIL = "admin.daerah@sukamaju.go.id"
ADMIN_DAERAH_NAME = "Rina Kusumawati"


@dataclass(frozen=True)
class AgencyBlueprint:
    code: str
    name: str
    scheme: str
    bidang: tuple[str, ...]  # first-level units below the secretariat
    seksi_word: str  # "Seksi", "UPT Puskesmas", "Sekolah"...
    staff_positions: tuple[str, ...]  # position codes for the staff of its sub-units


# Agency-specific service positions (Dukcapil operators, the Kecamatan letters desk) take the
# place of the generic PLK-OPERATOR-LAYANAN in their agency. Like it, they have no entry in
# BACK_TITLES_BY_POSITION, so the random sequence (and the README's demo logins) is unchanged.
PRESET_AGENCIES: tuple[AgencyBlueprint, ...] = (
    AgencyBlueprint(
        "SETDA", "Sekretariat Daerah", "nasional",
        ("Bagian Pemerintahan", "Bagian Organisasi", "Bagian Hukum"),
        "Subbagian", ("PLK-ANALIS-KEBIJAKAN", "JF-ANALIS-SDM-AP", "PLK-PENGADMINISTRASI"),
    ),
    AgencyBlueprint(
        "DINKES", "Dinas Kesehatan", "jakarta",
        ("Bidang Pelayanan Kesehatan", "Bidang Kesehatan Masyarakat", "Bidang Pencegahan Penyakit"),
        "Seksi", ("JF-DOKTER-AP", "JF-PERAWAT-TRP", "JF-BIDAN-TRP", "PLK-PENGADMINISTRASI"),
    ),
    AgencyBlueprint(
        "DISDIK", "Dinas Pendidikan", "tangsel",
        ("Bidang Pembinaan SD", "Bidang Pembinaan SMP", "Bidang Tenaga Pendidik"),
        "Sekolah", ("JF-GURU-AP", "JF-GURU-AM", "PLK-PENGADMINISTRASI"),
    ),
    AgencyBlueprint(
        "DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "rakumpit",
        ("Bidang Pelayanan Pendaftaran Penduduk", "Bidang Pelayanan Pencatatan Sipil", "Bidang Pengelolaan Informasi Administrasi Kependudukan"),
        "Seksi", ("PLK-OPERATOR-ADMINDUK", "JF-ADMINDUK-TRP", "PLK-PENGADMINISTRASI"),
    ),
    AgencyBlueprint(
        "DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "tebingtinggi",
        ("Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Penataan Ruang"),
        "Seksi", ("JF-TEKNIK-JALAN-AP", "PLK-TEKNISI-JALAN", "PLK-PENGADMINISTRASI"),
    ),
    AgencyBlueprint(
        "KEC-SUKAMAJU", "Kecamatan Sukamaju", "kotalama",
        ("Seksi Pelayanan Umum", "Seksi Pemerintahan", "Seksi Kesejahteraan Sosial"),
        "Subseksi", ("PLK-PENGADMINISTRASI", "PLK-PELAYANAN-SURAT", "JF-ANALIS-SDM-AP"),
    ),
)  # fmt: skip

SCHEME_CYCLE = ("nasional", "jakarta", "tangsel", "rakumpit", "tebingtinggi", "kotalama")

# (code, name, kind, jf_level, kelas)
POSITIONS: tuple[tuple[str, str, str, str, int], ...] = (
    ("JPT-SEKDA", "Sekretaris Daerah", "JPT", "", 16),
    ("JPT-KEPALA", "Kepala Perangkat Daerah", "JPT", "", 14),
    ("ADM-SEKRETARIS", "Sekretaris Perangkat Daerah", "Administrator", "", 12),
    ("ADM-KABID", "Kepala Bidang", "Administrator", "", 12),
    ("PGW-KASUBBAG", "Kepala Subbagian", "Pengawas", "", 9),
    ("PGW-KASI", "Kepala Seksi", "Pengawas", "", 9),
    ("PLK-PENGADMINISTRASI", "Pengadministrasi Perkantoran", "Pelaksana", "", 5),
    ("PLK-PENGELOLA-KEPEGAWAIAN", "Pengelola Kepegawaian", "Pelaksana", "", 6),
    ("PLK-OPERATOR-LAYANAN", "Operator Layanan Operasional", "Pelaksana", "", 5),
    ("PLK-ANALIS-KEBIJAKAN", "Penelaah Teknis Kebijakan", "Pelaksana", "", 7),
    ("PLK-TEKNISI-JALAN", "Teknisi Pemeliharaan Jalan", "Pelaksana", "", 6),
    ("PLK-OPERATOR-ADMINDUK", "Operator Pelayanan Administrasi Kependudukan", "Pelaksana", "", 6),
    ("PLK-PELAYANAN-SURAT", "Pengelola Pelayanan Surat Kecamatan", "Pelaksana", "", 6),
    ("JF-ANALIS-SDM-AP", "Analis SDM Aparatur", "Fungsional", "Ahli Pertama", 8),
    ("JF-DOKTER-AP", "Dokter", "Fungsional", "Ahli Pertama", 9),
    ("JF-PERAWAT-TRP", "Perawat", "Fungsional", "Terampil", 7),
    ("JF-BIDAN-TRP", "Bidan", "Fungsional", "Terampil", 7),
    ("JF-GURU-AP", "Guru", "Fungsional", "Ahli Pertama", 8),
    ("JF-GURU-AM", "Guru", "Fungsional", "Ahli Muda", 9),
    ("JF-ADMINDUK-TRP", "Administrator Database Kependudukan", "Fungsional", "Terampil", 7),
    ("JF-TEKNIK-JALAN-AP", "Teknik Jalan dan Jembatan", "Fungsional", "Ahli Pertama", 8),
)

FIRST_NAMES_L = (
    "Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Kurniawan", "Lukman",
    "Made", "Nur", "Rahmat", "Rudi", "Slamet", "Teguh", "Wahyu", "Yusuf", "Arif", "Bambang",
    "Dimas", "Gilang", "Hadi", "Imam", "Andi", "Bayu", "Fikri", "Ridwan", "Taufik", "Zainal",
)  # fmt: skip
FIRST_NAMES_P = (
    "Ani", "Dewi", "Endah", "Fitri", "Indah", "Kartika", "Lestari", "Maya", "Nina", "Putri",
    "Ratna", "Sari", "Siti", "Tuti", "Wulan", "Yuni", "Ayu", "Diah", "Eka", "Nurul",
    "Rini", "Sri", "Utami", "Wati", "Rahma", "Dian", "Novi", "Intan", "Lina", "Mega",
)  # fmt: skip
LAST_NAMES = (
    "Santoso", "Wijaya", "Saputra", "Hidayat", "Setiawan", "Pratama", "Nugroho", "Siregar",
    "Hasibuan", "Lubis", "Nasution", "Harahap", "Simanjuntak", "Kusuma", "Permana", "Rahayu",
    "Susanti", "Wibowo", "Gunawan", "Purnomo", "Halim", "Sembiring", "Ginting", "Tarigan",
    "Suryadi", "Maulana", "Firmansyah", "Syahputra", "Ramadhan", "Anggraini",
)  # fmt: skip
BACK_TITLES = ("S.E.", "S.Sos.", "S.Kom.", "S.H.", "S.T.", "S.AP.", "A.Md.", "M.Si.", "M.M.")
BACK_TITLES_BY_POSITION = {
    "JF-DOKTER-AP": ("",),
    "JF-PERAWAT-TRP": ("A.Md.Kep.", "S.Kep., Ns."),
    "JF-BIDAN-TRP": ("A.Md.Keb.", "S.Tr.Keb."),
    "JF-GURU-AP": ("S.Pd.",),
    "JF-GURU-AM": ("S.Pd., M.Pd.", "S.Pd."),
    "JF-TEKNIK-JALAN-AP": ("S.T.",),
    "PLK-TEKNISI-JALAN": ("A.Md.T.", ""),
}


@dataclass
class PersonBlueprint:
    nip: str
    name: str
    front_title: str
    back_title: str
    gender: str
    birth_date: dt.date
    asn_status: str
    golongan: str
    position_code: str
    unit_code: str
    agency_code: str
    supervisor_nip: str | None
    level: int  # 0 Sekda, 1 Kepala, 2 Sekretaris/Kabid, 3 Pengawas, 4 staff
    email: str = ""


@dataclass
class UnitBlueprint:
    code: str
    name: str
    agency_code: str
    parent_code: str | None


@dataclass
class DemoAgency:
    blueprint: AgencyBlueprint
    units: list[UnitBlueprint] = field(default_factory=list)
    people: list[PersonBlueprint] = field(default_factory=list)
    personas: dict[str, list[PersonBlueprint]] = field(default_factory=dict)


@dataclass
class DemoData:
    agencies: list[DemoAgency]

    def people(self):
        for agency in self.agencies:
            yield from agency.people


class _PersonFactory:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sequence = 0
        self.used: set[str] = set()

    def make(self, *, level: int, position_code: str, unit_code: str, agency_code: str,
             supervisor_nip: str | None, pppk: bool = False) -> PersonBlueprint:  # fmt: skip
        rng = self.rng
        gender = rng.choice("LP")
        age = {0: 54, 1: 50, 2: 46, 3: 42}.get(level, rng.randint(24, 55))
        birth = dt.date(2025 - age, rng.randint(1, 12), rng.randint(1, 28))
        first = rng.choice(FIRST_NAMES_L if gender == "L" else FIRST_NAMES_P)
        name = f"{first} {rng.choice(LAST_NAMES)}"
        back = rng.choice(BACK_TITLES_BY_POSITION.get(position_code, BACK_TITLES))
        front = "dr." if position_code == "JF-DOKTER-AP" else ""
        while True:
            self.sequence += 1
            serial = self.sequence % 999 + 1
            if pppk:
                nip = f"{birth:%Y%m%d}{rng.randint(2021, 2024)}{rng.randint(1, 2)}{rng.randint(1, 9)}{serial:04d}"
                status, golongan = "PPPK", rng.choice(("V", "VII", "IX", "X"))
            else:
                tmt_year = min(2024, birth.year + rng.randint(22, 30))
                nip = f"{birth:%Y%m%d}{tmt_year}{rng.randint(1, 12):02d}{1 if gender == 'L' else 2}{serial:03d}"
                status = "PNS"
                golongan = {0: "IV/d", 1: "IV/c", 2: "IV/a", 3: "III/d"}.get(
                    level, rng.choice(("II/c", "II/d", "III/a", "III/b", "III/c"))
                )
            if nip not in self.used:
                self.used.add(nip)
                break
        return PersonBlueprint(
            nip=nip, name=name, front_title=front, back_title=back, gender=gender,
            birth_date=birth, asn_status=status, golongan=golongan,
            position_code=position_code, unit_code=unit_code, agency_code=agency_code,
            supervisor_nip=supervisor_nip, level=level,
        )  # fmt: skip


def _blueprints(count: int) -> list[AgencyBlueprint]:
    result = list(PRESET_AGENCIES[:count])
    generic_bidang = ("Bidang Perencanaan", "Bidang Pelayanan", "Bidang Pengendalian")
    for index in range(len(result), count):
        number = index + 1
        result.append(
            AgencyBlueprint(
                code=f"PD{number:02d}", name=f"Dinas Urusan Pemerintahan {number:02d}",
                scheme=SCHEME_CYCLE[index % len(SCHEME_CYCLE)], bidang=generic_bidang,
                seksi_word="Seksi", staff_positions=("PLK-PENGADMINISTRASI", "PLK-OPERATOR-LAYANAN", "JF-ANALIS-SDM-AP"),
            )
        )  # fmt: skip
    return result


def build_demo(*, employees: int = 300, agencies: int = 6, seed: int = 20261124) -> DemoData:
    """Build the deterministic demo organisation. The Setda (first) holds the Sekda."""
    rng = random.Random(seed)
    factory = _PersonFactory(rng)
    blueprints = _blueprints(max(1, agencies))
    per_agency = max(30, employees // len(blueprints))
    result: list[DemoAgency] = []
    sekda: PersonBlueprint | None = None
    for blueprint in blueprints:
        agency = DemoAgency(blueprint=blueprint)
        code = blueprint.code
        root = UnitBlueprint(code, blueprint.name, code, None)
        secretariat = UnitBlueprint(
            f"{code}-SEK", "Sekretariat" if code != "SETDA" else "Bagian Umum", code, code
        )
        units = [root, secretariat]
        subunits_sek = [
            UnitBlueprint(
                f"{code}-SEK-UMPEG", "Subbagian Umum dan Kepegawaian", code, secretariat.code
            ),
            UnitBlueprint(
                f"{code}-SEK-KEU", "Subbagian Keuangan dan Perencanaan", code, secretariat.code
            ),
        ]
        units += subunits_sek
        # Sub-units of about 10 people each, spread over the bidang.
        n_sub = max(len(blueprint.bidang), (per_agency - 6) // 10)
        bidang_units = [
            UnitBlueprint(f"{code}-B{i + 1}", name, code, root.code)
            for i, name in enumerate(blueprint.bidang)
        ]
        units += bidang_units
        seksi_units = []
        for i in range(n_sub):
            parent = bidang_units[i % len(bidang_units)]
            seksi_units.append(
                UnitBlueprint(
                    f"{parent.code}-S{i // len(bidang_units) + 1}",
                    f"{blueprint.seksi_word} {parent.name.split(' ', 1)[1]} {i // len(bidang_units) + 1}",
                    code,
                    parent.code,
                )
            )
        units += seksi_units
        agency.units = units

        people = agency.people
        if sekda is None:
            sekda = factory.make(
                level=0,
                position_code="JPT-SEKDA",
                unit_code=root.code,
                agency_code=code,
                supervisor_nip=None,
            )
            head = sekda
        else:
            head = factory.make(
                level=1,
                position_code="JPT-KEPALA",
                unit_code=root.code,
                agency_code=code,
                supervisor_nip=sekda.nip,
            )
        people.append(head)
        sekretaris = factory.make(
            level=2,
            position_code="ADM-SEKRETARIS",
            unit_code=secretariat.code,
            agency_code=code,
            supervisor_nip=head.nip,
        )
        people.append(sekretaris)
        kabid = {
            u.code: factory.make(
                level=2,
                position_code="ADM-KABID",
                unit_code=u.code,
                agency_code=code,
                supervisor_nip=head.nip,
            )
            for u in bidang_units
        }
        people += kabid.values()
        heads: list[tuple[UnitBlueprint, PersonBlueprint]] = []
        for unit in subunits_sek:
            heads.append(
                (
                    unit,
                    factory.make(
                        level=3,
                        position_code="PGW-KASUBBAG",
                        unit_code=unit.code,
                        agency_code=code,
                        supervisor_nip=sekretaris.nip,
                    ),
                )
            )
        for unit in seksi_units:
            heads.append(
                (
                    unit,
                    factory.make(
                        level=3,
                        position_code="PGW-KASI",
                        unit_code=unit.code,
                        agency_code=code,
                        supervisor_nip=kabid[unit.parent_code].nip,
                    ),
                )
            )
        people += [p for _, p in heads]
        remaining = per_agency - len(people)
        staff_by_unit: dict[str, list[PersonBlueprint]] = {u.code: [] for u, _ in heads}
        for i in range(max(0, remaining)):
            unit, boss = heads[i % len(heads)]
            if unit.code.endswith("-SEK-UMPEG") and not staff_by_unit[unit.code]:
                position = "PLK-PENGELOLA-KEPEGAWAIAN"
            elif unit.code.startswith(f"{code}-SEK"):
                position = "PLK-PENGADMINISTRASI"
            else:
                position = blueprint.staff_positions[i % len(blueprint.staff_positions)]
            person = factory.make(
                level=4,
                position_code=position,
                unit_code=unit.code,
                agency_code=code,
                supervisor_nip=boss.nip,
                pppk=rng.random() < 0.15,
            )
            staff_by_unit[unit.code].append(person)
            people.append(person)

        # Demo personas: a staff member, their supervisor chain, three peers, and HR.
        first_seksi = seksi_units[0].code
        seksi_staff = staff_by_unit[first_seksi]
        pegawai = next(p for p in seksi_staff if p.asn_status == "PNS")
        peers = [p for p in seksi_staff if p is not pegawai][:3]
        kasi = next(p for u, p in heads if u.code == first_seksi)
        umpeg = staff_by_unit[f"{code}-SEK-UMPEG"]
        keu = staff_by_unit[f"{code}-SEK-KEU"]
        agency.personas = {
            "pegawai": [pegawai],
            "atasan": [kasi],
            "atasan_pejabat_penilai": [kabid[seksi_units[0].parent_code]],
            "peer": peers,
            "admin_hr": [umpeg[0]],
        }
        if blueprint.scheme == "kotalama" and blueprint.code in {b.code for b in PRESET_AGENCIES}:
            agency.personas["tim_penilai"] = [keu[0]]
        if blueprint.scheme == "rakumpit" and blueprint.code in {b.code for b in PRESET_AGENCIES}:
            agency.personas["verifikator"] = [keu[0]]
        for persons in agency.personas.values():
            for person in persons:
                person.email = f"{person.nip}@demo.sukamaju.go.id"
        result.append(agency)
    return DemoData(agencies=result)
