"""Importing agencies, units and positions (docs/imports.md)."""

from __future__ import annotations

import pytest

from agencies.models import Agency, JobPosition, Region, Unit

from .factories import PositionFactory, RegionFactory, UnitFactory
from .import_files import (  # noqa: F401  (_fresh_employee_sequence: autouse)
    AGENCY_HEADERS,
    POSITION_HEADERS,
    UNIT_HEADERS,
    _fresh_employee_sequence,
    csv_bytes,
    messages,
    run,
    table,
    xlsx_bytes,
)

# --- agencies -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_agencies_file_creates_its_region_and_agencies():
    content = xlsx_bytes(
        table(
            AGENCY_HEADERS,
            [
                ["SETDA", "Sekretariat Daerah", "3201", "Pemerintah Kabupaten Bogor"],
                ["DINKES", "Dinas Kesehatan", "3201", "Pemerintah Kabupaten Bogor"],
                ["BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", 3201, "Pemerintah Kabupaten Bogor"],
            ],
        )
    )  # fmt: skip
    result = run("agencies", content)
    assert result.ok, messages(result)
    region = Region.objects.get(code="3201")
    assert region.name == "Pemerintah Kabupaten Bogor"
    assert region.timezone == "Asia/Jakarta"
    kinds = dict(Agency.objects.filter(region=region).values_list("code", "kind"))
    assert kinds == {"SETDA": "setda", "DINKES": "dinas", "BKPSDM": "badan"}
    assert (result.created, result.updated) == (3, 0)


@pytest.mark.django_db
def test_agencies_file_updates_existing_agencies_and_leaves_absent_ones_unchanged():
    region = RegionFactory(code="3201", name="Kabupaten Lama")
    Agency.objects.create(region=region, code="DINKES", name="Dinkes Lama")
    Agency.objects.create(region=region, code="DISDIK", name="Dinas Pendidikan")
    content = csv_bytes(
        table(AGENCY_HEADERS, [["dinkes", "Dinas Kesehatan", "3201", "Kabupaten Bogor"]])
    )
    result = run("agencies", content, "pd.csv")
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 1)
    names = dict(Agency.objects.values_list("code", "name"))
    assert names == {"DINKES": "Dinas Kesehatan", "DISDIK": "Dinas Pendidikan"}
    region.refresh_from_db()
    assert region.name == "Kabupaten Bogor"


@pytest.mark.django_db
def test_an_agency_code_twice_in_one_region_is_an_error_on_its_second_row():
    content = xlsx_bytes(
        table(
            AGENCY_HEADERS,
            [
                ["DINKES", "Dinas Kesehatan", "3201", "Kab. Bogor"],
                ["DISDIK", "Dinas Pendidikan", "3201", "Kab. Bogor"],
                ["DINKES", "Dinas Kesehatan", "3202", "Kab. Sukabumi"],
                ["dinkes", "Dinas Kesehatan Lagi", "3201", "Kab. Bogor"],
            ],
        )
    )
    result = run("agencies", content)
    assert messages(result) == ["Baris 5, kolom Kode Perangkat Daerah: duplikat dengan baris 2"]
    assert not Agency.objects.exists() and not Region.objects.exists()


@pytest.mark.django_db
def test_one_region_code_with_two_names_in_the_file_is_an_error():
    content = xlsx_bytes(
        table(
            AGENCY_HEADERS,
            [["A", "Dinas A", "3201", "Kab. Bogor"], ["B", "Dinas B", "3201", "Kab. Bekasi"]],
        )
    )
    result = run("agencies", content)
    assert [(e.row, e.header) for e in result.errors] == [(3, "Nama Daerah")]


@pytest.mark.django_db
def test_an_admin_daerah_imports_agencies_of_their_own_region_only():
    region = RegionFactory(code="3201", name="Kab. Bogor")
    content = xlsx_bytes(
        table(
            AGENCY_HEADERS,
            [["A", "Dinas A", "3201", "Kab. Bogor"], ["B", "Dinas B", "3202", "Kab. Sukabumi"]],
        )
    )
    result = run("agencies", content, region=region)
    assert [(e.row, e.header) for e in result.errors] == [(3, "Kode Daerah")]


@pytest.mark.django_db
def test_blank_agency_cells_are_required():
    content = xlsx_bytes(table(AGENCY_HEADERS, [["A", "", "3201", ""]]))
    assert messages(run("agencies", content)) == [
        "Baris 2, kolom Nama Perangkat Daerah: wajib diisi",
        "Baris 2, kolom Nama Daerah: wajib diisi",
    ]


# --- units ----------------------------------------------------------------------------------


def unit_file(*rows) -> bytes:
    return xlsx_bytes(table(UNIT_HEADERS, rows))


def test_units_whose_parent_is_a_later_row_are_imported_as_a_tree(personas):
    content = unit_file(
        ["DINA-S2-1", "Subseksi Data", "dina-s2", "DINA"],
        ["DINA-S2", "Seksi Data", "DINA", "DINA"],
        ["DINA-UPT", "UPT Laboratorium", "", "DINA"],
    )
    result = run("units", content, region=personas.region)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (3, 0)
    sub = Unit.objects.get(code="DINA-S2-1")
    assert sub.parent.code == "DINA-S2" and sub.parent.parent.code == "DINA"
    assert sub.agency == personas.agency_a
    assert Unit.objects.get(code="DINA-UPT").parent is None


def test_units_file_updates_existing_units_and_leaves_absent_ones_unchanged(personas):
    before = dict(Unit.objects.values_list("code", "name"))
    content = unit_file(["DINA-S1", "Seksi Pelayanan Publik", "", "DINA"])
    result = run("units", content, region=personas.region)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 1)
    unit = Unit.objects.get(code="DINA-S1")
    assert unit.name == "Seksi Pelayanan Publik" and unit.parent is None
    after = dict(Unit.objects.values_list("code", "name"))
    assert after == {**before, "DINA-S1": "Seksi Pelayanan Publik"}


def test_an_unknown_parent_unit_is_a_row_error(personas):
    result = run("units", unit_file(["X1", "Seksi X", "TIDAK-ADA", "DINA"]), region=personas.region)
    assert messages(result) == ["Baris 2, kolom Kode Induk: Kode Induk tidak ditemukan"]


def test_an_unknown_agency_code_is_a_row_error(personas):
    result = run("units", unit_file(["X1", "Seksi X", "", "DINZ"]), region=personas.region)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kode Perangkat Daerah")]


def test_a_unit_code_twice_is_an_error_on_its_second_row(personas):
    content = unit_file(
        ["X1", "Seksi X", "", "DINA"], ["X2", "Seksi Y", "", "DINA"], ["x1", "Seksi Z", "", "DINA"]
    )
    result = run("units", content, region=personas.region)
    assert messages(result) == ["Baris 4, kolom Kode Unit: duplikat dengan baris 2"]


def test_a_unit_cannot_be_its_own_parent(personas):
    result = run("units", unit_file(["X1", "Seksi X", "X1", "DINA"]), region=personas.region)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kode Induk")]


def test_a_parent_cycle_is_reported_on_every_row_in_it(personas):
    content = unit_file(
        ["C1", "Siklus 1", "C2", "DINA"],
        ["OK1", "Bukan siklus", "C1", "DINA"],
        ["C2", "Siklus 2", "C3", "DINA"],
        ["C3", "Siklus 3", "C1", "DINA"],
    )
    result = run("units", content, region=personas.region)
    assert [(e.row, e.header) for e in result.errors] == [
        (2, "Kode Induk"),
        (4, "Kode Induk"),
        (5, "Kode Induk"),
    ]
    assert all("siklus" in e.message for e in result.errors)
    assert not Unit.objects.filter(code__in=["C1", "C2", "C3", "OK1"]).exists()


def test_a_parent_cycle_closed_through_an_existing_unit_is_reported(personas):
    # In the database DINA-S1 sits under DINA; making DINA a child of DINA-S1 closes a loop.
    content = unit_file(["DINA", "Dinas Alfa", "DINA-S1", "DINA"])
    result = run("units", content, region=personas.region)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kode Induk")]
    assert "siklus" in result.errors[0].message


def test_a_parent_in_another_agency_is_a_row_error(personas):
    result = run("units", unit_file(["X1", "Seksi X", "DINB", "DINA"]), region=personas.region)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kode Induk")]


def test_admin_daerah_cannot_move_a_unit_to_another_agency_by_import(personas):
    result = run("units", unit_file(["DINA-S1", "Seksi", "", "DINB"]), region=personas.region)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kode Unit")]


def test_admin_hr_imports_units_of_their_own_agency(personas):
    content = unit_file(["DINA-S9", "Seksi Baru", "DINA", "DINA"])
    result = run("units", content, region=personas.region, agency_ids=[personas.agency_a.pk])
    assert result.ok, messages(result)
    assert Unit.objects.get(code="DINA-S9").agency == personas.agency_a


def test_admin_hr_cannot_import_a_unit_of_another_agency(personas):
    content = unit_file(["DINB-S1", "Seksi Beta", "DINB", "DINB"])
    result = run("units", content, region=personas.region, agency_ids=[personas.agency_a.pk])
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kode Perangkat Daerah")]
    assert not Unit.objects.filter(code="DINB-S1").exists()


def test_admin_hr_cannot_take_over_a_unit_code_registered_in_another_agency(personas):
    content = unit_file(["DINB", "Dinas Beta", "", "DINA"])
    result = run("units", content, region=personas.region, agency_ids=[personas.agency_a.pk])
    assert messages(result) == [
        "Baris 2, kolom Kode Unit: Unit terdaftar di Perangkat Daerah lain; mutasi oleh Admin Daerah"
    ]


def test_unit_codes_are_unique_per_region_not_across_regions(personas):
    other = RegionFactory(code="7777")
    UnitFactory(agency__region=other, code="X1")
    result = run("units", unit_file(["X1", "Seksi X", "", "DINA"]), region=personas.region)
    assert result.ok, messages(result)
    assert Unit.objects.filter(code="X1").count() == 2


# --- positions ------------------------------------------------------------------------------


@pytest.fixture
def region(db):
    return RegionFactory(code="3201")


def position_file(*rows, kind="xlsx") -> bytes:
    rows_ = table(POSITION_HEADERS, rows)
    return xlsx_bytes(rows_) if kind == "xlsx" else csv_bytes(rows_, delimiter=";")


def test_positions_are_imported_with_kind_level_and_grade(region):
    content = position_file(
        ["JPT-01", "Kepala Dinas", "JPT", "", 14],
        ["FUNG-01", "Pranata Komputer", "fungsional", "ahli  pertama", 8.0],
        ["PEL-01", "Pengadministrasi", "PELAKSANA", None, "5"],
    )
    result = run("positions", content, region=region)
    assert result.ok, messages(result)
    rows = set(JobPosition.objects.values_list("code", "kind", "jf_level", "grade"))
    assert rows == {
        ("JPT-01", "JPT", "", 14),
        ("FUNG-01", "Fungsional", "Ahli Pertama", 8),
        ("PEL-01", "Pelaksana", "", 5),
    }


def test_kelas_jabatan_written_by_excel_as_7_0_is_the_whole_number_7(region):
    result = run("positions", position_file(["A", "Analis", "Pelaksana", "", 7.0]), region=region)
    assert result.ok, messages(result)
    csv_result = run(
        "positions", position_file(["B", "Analis", "Pelaksana", "", "7,0"], kind="csv"), "j.csv",
        region=region,
    )  # fmt: skip
    assert csv_result.ok, messages(csv_result)
    assert set(JobPosition.objects.values_list("grade", flat=True)) == {7}


@pytest.mark.parametrize("grade", [7.5, 0, 18, "tujuh", -1])
def test_kelas_jabatan_must_be_a_whole_number_from_1_to_17(region, grade):
    result = run("positions", position_file(["A", "Analis", "Pelaksana", "", grade]), region=region)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Kelas Jabatan")]


def test_jenjang_is_required_for_a_fungsional_position(region):
    result = run("positions", position_file(["A", "Analis", "Fungsional", "", 8]), region=region)
    assert messages(result) == ["Baris 2, kolom Jenjang: wajib diisi"]


def test_jenjang_may_be_blank_for_other_positions_but_not_filled(region):
    result = run(
        "positions", position_file(["A", "Kepala Seksi", "Pengawas", "Ahli Muda", 9]), region=region
    )
    assert [(e.row, e.header) for e in result.errors] == [(2, "Jenjang")]


def test_an_unknown_position_kind_or_level_is_a_row_error(region):
    content = position_file(
        ["A", "Analis", "Struktural", "", 8], ["B", "Dokter", "Fungsional", "Ahli Super", 9]
    )
    result = run("positions", content, region=region)
    assert [(e.row, e.header) for e in result.errors] == [(2, "Jenis Jabatan"), (3, "Jenjang")]


def test_a_position_code_twice_is_an_error_on_its_second_row(region):
    content = position_file(
        ["A", "Analis", "Pelaksana", "", 7], ["a", "Analis", "Pelaksana", "", 7]
    )
    result = run("positions", content, region=region)
    assert messages(result) == ["Baris 3, kolom Kode Jabatan: duplikat dengan baris 2"]


def test_positions_file_updates_existing_positions_and_leaves_absent_ones_unchanged(region):
    PositionFactory(region=region, code="A", name="Lama", kind="Pelaksana", grade=5)
    PositionFactory(region=region, code="B", name="Tetap", kind="Pelaksana", grade=6)
    content = position_file(["A", "Pranata Komputer", "Fungsional", "Terampil", 6])
    result = run("positions", content, region=region)
    assert result.ok and (result.created, result.updated) == (0, 1)
    assert set(JobPosition.objects.values_list("code", "name", "kind", "jf_level", "grade")) == {
        ("A", "Pranata Komputer", "Fungsional", "Terampil", 6),
        ("B", "Tetap", "Pelaksana", "", 6),
    }


def test_a_dry_run_validates_without_writing(region):
    content = position_file(["A", "Analis", "Pelaksana", "", 7])
    result = run("positions", content, region=region, dry_run=True)
    assert result.ok and result.created == 1 and not result.applied
    assert not JobPosition.objects.exists()
