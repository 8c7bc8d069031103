"""Importing attendance (key NIP, Periode) and discipline (key NIP, Tanggal SK, Tingkat
Hukuman) records (docs/imports.md): the same atomic rules, messages and exit statuses as
every import; an Admin HR imports the employees of their own agency only."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.importing.base import REGISTRY
from agencies.importing.cells import NIP_AS_NUMBER
from agencies.importing.specs import OTHER_AGENCY_NIP
from agencies.importing.writer import write_xlsx
from agencies.models import ImportRun
from indicators.models import AttendanceRecord, DisciplineRecord
from indicators.resources import RESOURCES

from .factories import EmployeeFactory, RegionFactory, UnitFactory
from .import_files import csv_bytes, messages, run, run_queued_import_jobs, table, xlsx_bytes
from .indicator_files import (
    ATTENDANCE_HEADERS,
    DISCIPLINE_HEADERS,
    attendance,
    call,
    sanction,
)

TODAY = dt.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_attendance(personas, rows, *, name="kehadiran.xlsx", **kwargs):
    content = (
        csv_bytes(table(ATTENDANCE_HEADERS, rows), delimiter=";")
        if name.endswith(".csv")
        else xlsx_bytes(table(ATTENDANCE_HEADERS, rows))
    )
    return run("attendance", content, name, region=personas.region, **kwargs)


def import_discipline(personas, rows, *, name="disiplin.xlsx", today=TODAY, **kwargs):
    content = (
        csv_bytes(table(DISCIPLINE_HEADERS, rows))
        if name.endswith(".csv")
        else xlsx_bytes(table(DISCIPLINE_HEADERS, rows))
    )
    return run("discipline", content, name, region=personas.region, today=today, **kwargs)


def months(employee) -> dict[dt.date, tuple[int, int, int, int]]:
    return {
        r.period: (r.working_days, r.present_days, r.late, r.early_leave)
        for r in AttendanceRecord.objects.filter(employee=employee)
    }


# --- attendance: a valid file ---------------------------------------------------------------


def test_a_valid_attendance_file_creates_one_record_per_employee_and_month(personas):
    rows = [
        attendance(personas.pegawai.nip, "2024-01"),
        attendance(personas.pegawai.nip, "2024-02", Hari_Kerja=20, Hari_Hadir=20, Terlambat=0),
        attendance(personas.outsider.nip, "2024-01", Pulang_Cepat=3),
    ]
    result = import_attendance(personas, rows)
    assert result.ok, messages(result)
    assert (result.rows, result.created, result.updated) == (3, 3, 0)
    assert months(personas.pegawai) == {
        dt.date(2024, 1, 1): (22, 21, 2, 0),
        dt.date(2024, 2, 1): (20, 20, 0, 0),
    }
    assert months(personas.outsider) == {dt.date(2024, 1, 1): (22, 21, 2, 3)}


def test_a_periode_that_excel_turned_into_a_date_keeps_its_month_and_ignores_the_day(personas):
    rows = [
        attendance(personas.pegawai.nip, dt.datetime(2024, 3, 15)),
        attendance(personas.kasi.nip, dt.date(2024, 4, 1)),
    ]
    result = import_attendance(personas, rows)
    assert result.ok, messages(result)
    assert set(months(personas.pegawai)) == {dt.date(2024, 3, 1)}
    assert set(months(personas.kasi)) == {dt.date(2024, 4, 1)}


@pytest.mark.parametrize(
    "text, month",
    [
        ("2024-01", dt.date(2024, 1, 1)),
        ("2024-1", dt.date(2024, 1, 1)),
        ("2024/11", dt.date(2024, 11, 1)),
        (" 2024-05 ", dt.date(2024, 5, 1)),
        ("2024-06-30", dt.date(2024, 6, 1)),  # a date column saved as csv
        ("15/07/2024", dt.date(2024, 7, 1)),
        ("20-08-2024", dt.date(2024, 8, 1)),
    ],
)
def test_a_periode_as_text_is_a_month_or_a_date_whose_day_is_ignored(personas, text, month):
    result = import_attendance(personas, [attendance(personas.pegawai.nip, text)], name="k.csv")
    assert result.ok, messages(result)
    assert set(months(personas.pegawai)) == {month}


@pytest.mark.parametrize("text", ["Januari 2024", "2024-13", "2024-00", "2024", "31-02-2024"])
def test_an_invalid_periode_is_an_error(personas, text):
    result = import_attendance(personas, [attendance(personas.pegawai.nip, text)], name="k.csv")
    [message] = messages(result)
    assert message.startswith("Baris 2, kolom Periode: periode tidak valid")


def test_a_periode_stored_as_a_plain_number_is_an_error(personas):
    result = import_attendance(personas, [attendance(personas.pegawai.nip, 202401)])
    assert messages(result) == ["Baris 2, kolom Periode: periode tidak valid; gunakan yyyy-mm"]


def test_excel_floats_and_decimal_commas_of_whole_numbers_are_accepted(personas):
    rows = [
        attendance(personas.pegawai.nip, "2024-01", Hari_Kerja=22.0, Hari_Hadir=21.0),
        attendance(personas.kasi.nip, "2024-01", Hari_Kerja="22,0", Hari_Hadir="21"),
    ]
    result = import_attendance(personas, rows)
    assert result.ok, messages(result)
    assert months(personas.kasi)[dt.date(2024, 1, 1)] == (22, 21, 2, 0)


# --- attendance: row rules ------------------------------------------------------------------


@pytest.mark.parametrize("header", ATTENDANCE_HEADERS)
def test_every_attendance_cell_is_required(personas, header):
    row = attendance(personas.pegawai.nip, **{header.replace(" ", "_"): ""})
    assert messages(import_attendance(personas, [row])) == [f"Baris 2, kolom {header}: wajib diisi"]


@pytest.mark.parametrize("missing", ATTENDANCE_HEADERS)
def test_a_missing_attendance_column_rejects_the_file(personas, missing):
    headers = [h for h in ATTENDANCE_HEADERS if h != missing]
    content = xlsx_bytes(table(headers, [attendance(personas.pegawai.nip)]))
    result = run("attendance", content, region=personas.region)
    assert messages(result) == [f"Baris 1, kolom {missing}: kolom wajib tidak ditemukan"]


@pytest.mark.parametrize(
    "value, message",
    [
        ("21,5", "harus berupa bilangan bulat"),
        (20.5, "harus berupa bilangan bulat"),
        ("dua", "harus berupa bilangan bulat"),
        (-1, "harus bilangan bulat ≥ 0"),
        (32, "harus bilangan bulat 0 sampai 31 (satu bulan)"),
    ],
)
@pytest.mark.parametrize("header", ["Hari Kerja", "Terlambat", "Pulang Cepat"])
def test_counts_are_whole_numbers_from_0_to_31(personas, header, value, message):
    row = attendance(personas.pegawai.nip, Hari_Hadir=0, **{header.replace(" ", "_"): value})
    assert messages(import_attendance(personas, [row])) == [f"Baris 2, kolom {header}: {message}"]


def test_zero_working_days_is_valid_and_means_no_data(personas):
    row = attendance(personas.pegawai.nip, Hari_Kerja=0, Hari_Hadir=0, Terlambat=0)
    assert import_attendance(personas, [row]).ok


def test_hari_hadir_may_not_exceed_hari_kerja(personas):
    rows = [
        attendance(personas.pegawai.nip, Hari_Kerja=20, Hari_Hadir=20),
        attendance(personas.kasi.nip, Hari_Kerja=20, Hari_Hadir=21),
    ]
    assert messages(import_attendance(personas, rows)) == [
        "Baris 3, kolom Hari Hadir: tidak boleh melebihi Hari Kerja"
    ]
    assert not AttendanceRecord.objects.exists()


def test_the_same_nip_and_month_twice_is_an_error_on_the_second_row(personas):
    nip = personas.pegawai.nip
    rows = [
        attendance(nip, "2024-01"),
        attendance(nip, "2024-02"),
        attendance(f"'{nip}", dt.datetime(2024, 1, 20)),  # same key, written differently
    ]
    assert messages(import_attendance(personas, rows)) == [
        "Baris 4, kolom Periode: duplikat dengan baris 2"
    ]


def test_a_re_import_updates_the_month_and_leaves_other_records_unchanged(personas):
    nip = personas.pegawai.nip
    assert import_attendance(personas, [attendance(nip, "2024-01"), attendance(nip, "2024-02")]).ok
    january = AttendanceRecord.objects.get(period=dt.date(2024, 1, 1))
    result = import_attendance(
        personas,
        [attendance(nip, "2024-01", Hari_Hadir=22, Terlambat=0), attendance(nip, "2024-03")],
    )
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (1, 1)
    assert months(personas.pegawai) == {
        dt.date(2024, 1, 1): (22, 22, 0, 0),
        dt.date(2024, 2, 1): (22, 21, 2, 0),
        dt.date(2024, 3, 1): (22, 21, 2, 0),
    }
    assert AttendanceRecord.objects.get(period=dt.date(2024, 1, 1)).pk == january.pk


def test_one_bad_attendance_row_means_nothing_is_written(personas):
    assert import_attendance(personas, [attendance(personas.pegawai.nip, "2024-01")]).ok
    rows = [
        attendance(personas.pegawai.nip, "2024-01", Hari_Hadir=10),
        attendance(personas.kasi.nip, "2024-01"),
        attendance(personas.peers[0].nip, "2024-01", Terlambat=-3),
    ]
    assert messages(import_attendance(personas, rows)) == [
        "Baris 4, kolom Terlambat: harus bilangan bulat ≥ 0"
    ]
    assert months(personas.pegawai)[dt.date(2024, 1, 1)] == (22, 21, 2, 0)
    assert AttendanceRecord.objects.count() == 1


def test_a_dry_run_of_attendance_writes_nothing(personas):
    result = import_attendance(personas, [attendance(personas.pegawai.nip)], dry_run=True)
    assert result.ok and (result.created, result.updated) == (1, 0)
    assert not AttendanceRecord.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_file(personas):
    employees = [personas.pegawai, personas.kasi, *personas.peers, personas.outsider]

    def queries_for(month_count: int) -> int:
        rows = [
            attendance(e.nip, f"{2000 + month_count}-{m:02d}")
            for e in employees
            for m in range(1, month_count + 1)
        ]
        with CaptureQueriesContext(connection) as captured:
            assert import_attendance(personas, rows).ok
        return len(captured)

    assert queries_for(1) == queries_for(12)


# --- NIP cells (both files) -----------------------------------------------------------------


def test_a_nip_stored_as_a_number_is_rejected(personas):
    row = attendance(int(personas.pegawai.nip))
    assert messages(import_attendance(personas, [row])) == [f"Baris 2, kolom NIP: {NIP_AS_NUMBER}"]
    row = sanction(int(personas.pegawai.nip))
    assert messages(import_discipline(personas, [row])) == [f"Baris 2, kolom NIP: {NIP_AS_NUMBER}"]


def test_a_nip_in_scientific_notation_in_a_csv_is_rejected(personas):
    row = attendance("1.98001E+17")
    result = import_attendance(personas, [row], name="k.csv")
    assert messages(result) == [f"Baris 2, kolom NIP: {NIP_AS_NUMBER}"]


def test_spaces_and_a_leading_apostrophe_in_a_nip_are_stripped(personas):
    nip = personas.pegawai.nip
    spaced = f"'{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert import_attendance(personas, [attendance(spaced)], name="k.csv").ok
    assert import_discipline(personas, [sanction(spaced)], name="d.csv").ok
    assert AttendanceRecord.objects.get().employee == personas.pegawai
    assert DisciplineRecord.objects.get().employee == personas.pegawai


def test_an_unknown_nip_is_an_error(personas):
    assert messages(import_attendance(personas, [attendance("199001012015011999")])) == [
        "Baris 2, kolom NIP: NIP tidak ditemukan di daerah ini"
    ]


def test_an_employee_of_another_region_is_not_found(personas):
    stranger = EmployeeFactory(unit=UnitFactory(agency__region=RegionFactory(code="1111")))
    assert messages(import_discipline(personas, [sanction(stranger.nip)])) == [
        "Baris 2, kolom NIP: NIP tidak ditemukan di daerah ini"
    ]


# --- Admin HR -------------------------------------------------------------------------------


def test_admin_hr_imports_attendance_and_discipline_of_their_own_agency(personas):
    own = [personas.agency_a.pk]
    assert import_attendance(personas, [attendance(personas.pegawai.nip)], agency_ids=own).ok
    assert import_discipline(personas, [sanction(personas.kasi.nip)], agency_ids=own).ok


def test_admin_hr_may_not_import_records_of_another_agency(personas):
    own = [personas.agency_a.pk]
    rows = [attendance(personas.pegawai.nip), attendance(personas.outsider.nip)]
    assert messages(import_attendance(personas, rows, agency_ids=own)) == [
        f"Baris 3, kolom NIP: {OTHER_AGENCY_NIP}"
    ]
    rows = [sanction(personas.outsider.nip)]
    assert messages(import_discipline(personas, rows, agency_ids=own)) == [
        f"Baris 2, kolom NIP: {OTHER_AGENCY_NIP}"
    ]
    assert not AttendanceRecord.objects.exists() and not DisciplineRecord.objects.exists()


@pytest.mark.parametrize("kind", ["attendance", "discipline"])
def test_admin_hr_opens_the_attendance_and_discipline_import_pages(personas, login, kind):
    client = login(personas.hr_a)
    assert client.get(reverse("import_upload", args=[kind])).status_code == 200
    assert client.get(reverse("import_template", args=[kind])).status_code == 200


def test_admin_hr_preview_shows_the_other_agency_error_and_confirm_writes_nothing(personas, login):
    client = login(personas.hr_a)
    content = xlsx_bytes(
        table(ATTENDANCE_HEADERS, [attendance(personas.pegawai.nip), attendance(personas.hr_b.nip)])
    )
    client.post(
        reverse("import_upload", args=["attendance"]),
        {"file": SimpleUploadedFile("kehadiran.xlsx", content)},
    )
    run_queued_import_jobs()
    import_run = ImportRun.objects.get(kind="attendance")
    assert import_run.status == ImportRun.Status.INVALID
    assert import_run.errors == [f"Baris 3, kolom NIP: {OTHER_AGENCY_NIP}"]
    client.post(reverse("import_confirm", args=[import_run.pk]))
    run_queued_import_jobs()
    assert not AttendanceRecord.objects.exists()


def test_admin_hr_confirms_a_valid_attendance_file(personas, login):
    client = login(personas.hr_a)
    content = xlsx_bytes(table(ATTENDANCE_HEADERS, [attendance(personas.pegawai.nip)]))
    client.post(
        reverse("import_upload", args=["attendance"]),
        {"file": SimpleUploadedFile("kehadiran.xlsx", content)},
    )
    run_queued_import_jobs()
    import_run = ImportRun.objects.get(kind="attendance")
    assert import_run.status == ImportRun.Status.PREVIEWED, import_run.errors
    client.post(reverse("import_confirm", args=[import_run.pk]))
    run_queued_import_jobs()
    import_run.refresh_from_db()
    assert import_run.status == ImportRun.Status.IMPORTED
    assert AttendanceRecord.objects.get().employee == personas.pegawai


def test_an_employee_without_an_admin_role_may_not_import_attendance(personas, login):
    client = login(personas.pegawai)
    assert client.get(reverse("import_upload", args=["attendance"])).status_code == 403


# --- discipline ------------------------------------------------------------------------------


def test_a_valid_discipline_file_reads_every_date_form_and_level_spelling(personas):
    rows = [
        sanction(personas.pegawai.nip, dt.datetime(2024, 1, 5), "Ringan"),
        sanction(personas.pegawai.nip, "10-02-2024", "SEDANG"),
        sanction(personas.kasi.nip, "11/03/2024", "berat"),
        sanction(personas.kasi.nip, "2024-04-12", " Ringan "),
    ]
    result = import_discipline(personas, rows)
    assert result.ok, messages(result)
    assert set(DisciplineRecord.objects.values_list("employee__nip", "decree_date", "level")) == {
        (personas.pegawai.nip, dt.date(2024, 1, 5), "ringan"),
        (personas.pegawai.nip, dt.date(2024, 2, 10), "sedang"),
        (personas.kasi.nip, dt.date(2024, 3, 11), "berat"),
        (personas.kasi.nip, dt.date(2024, 4, 12), "ringan"),
    }


@pytest.mark.parametrize("missing", DISCIPLINE_HEADERS)
def test_a_missing_discipline_column_rejects_the_file(personas, missing):
    headers = [h for h in DISCIPLINE_HEADERS if h != missing]
    content = xlsx_bytes(table(headers, [sanction(personas.pegawai.nip)]))
    result = run("discipline", content, region=personas.region)
    assert messages(result) == [f"Baris 1, kolom {missing}: kolom wajib tidak ditemukan"]


@pytest.mark.parametrize("header", DISCIPLINE_HEADERS)
def test_every_discipline_cell_is_required(personas, header):
    row = sanction(personas.pegawai.nip)
    row[header] = ""
    assert messages(import_discipline(personas, [row])) == [f"Baris 2, kolom {header}: wajib diisi"]


def test_an_unknown_level_is_an_error_listing_the_levels(personas):
    rows = [sanction(personas.pegawai.nip, level="teguran")]
    assert messages(import_discipline(personas, rows)) == [
        "Baris 2, kolom Tingkat Hukuman: Tingkat Hukuman tidak dikenal: teguran; "
        "pilihan: berat, ringan, sedang"
    ]


@pytest.mark.parametrize("date", ["31-02-2024", "2024/13/01", "kemarin", "03-2024"])
def test_an_invalid_decree_date_is_an_error(personas, date):
    assert messages(import_discipline(personas, [sanction(personas.pegawai.nip, date)])) == [
        "Baris 2, kolom Tanggal SK: tanggal tidak valid; gunakan dd-mm-yyyy, dd/mm/yyyy atau "
        "yyyy-mm-dd"
    ]


def test_a_decree_dated_later_in_the_cycle_is_accepted(personas):
    # No rule forbids dates after today: a decree may be registered ahead.
    rows = [sanction(personas.pegawai.nip, "01-01-2025")]
    assert messages(import_discipline(personas, rows, today=TODAY)) == []


def test_the_same_nip_date_and_level_twice_is_an_error_on_the_second_row(personas):
    nip = personas.pegawai.nip
    rows = [
        sanction(nip, "15-03-2024", "ringan"),
        sanction(nip, "15-03-2024", "sedang"),  # another level: another record
        sanction(nip, dt.datetime(2024, 3, 15), "Ringan"),
    ]
    assert messages(import_discipline(personas, rows)) == [
        "Baris 4, kolom Tingkat Hukuman: duplikat dengan baris 2"
    ]


def test_re_importing_a_stored_sanction_keeps_one_record(personas):
    nip = personas.pegawai.nip
    assert import_discipline(personas, [sanction(nip)]).ok
    result = import_discipline(personas, [sanction(nip), sanction(nip, "16-03-2024")])
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (1, 1)
    assert DisciplineRecord.objects.count() == 2


def test_one_bad_discipline_row_means_nothing_is_written(personas):
    rows = [sanction(personas.pegawai.nip), sanction(personas.kasi.nip, level="pecat")]
    assert len(messages(import_discipline(personas, rows))) == 1
    assert not DisciplineRecord.objects.exists()


# --- templates and exports ------------------------------------------------------------------


@pytest.mark.parametrize("kind, headers", [("attendance", ATTENDANCE_HEADERS),
                                           ("discipline", DISCIPLINE_HEADERS)])  # fmt: skip
def test_the_template_has_the_contract_headers_with_nip_and_periode_as_text(
    personas, login, kind, headers
):
    response = login(personas.hr_a).get(reverse("import_template", args=[kind]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == headers == REGISTRY[kind].headers()
    for header in {"NIP", "Periode"} & set(headers):
        letter = sheet.cell(row=1, column=headers.index(header) + 1).column_letter
        assert sheet.column_dimensions[letter].number_format == "@"


def exported(kind: str, scope) -> bytes:
    """The export as the view builds it (``agencies.views.export``)."""
    resource = RESOURCES[kind]()
    dataset = resource.export(queryset=resource.export_queryset(scope))
    spec = REGISTRY[kind]
    return write_xlsx(
        dataset.headers,
        dataset,
        text_headers=[c.header for c in spec.columns if c.as_text],
        title=spec.title,
    )


def admin_daerah_scope(personas):
    return SimpleNamespace(
        region_id=personas.region.pk, hr_agency_ids=frozenset(), region_ids={personas.region.pk}
    )


def test_the_attendance_export_writes_the_import_columns_and_round_trips(personas):
    rows = [
        attendance(personas.pegawai.nip, "2024-01"),
        attendance(personas.outsider.nip, "2024-02", Pulang_Cepat=4),
    ]
    assert import_attendance(personas, rows).ok
    content = exported("attendance", admin_daerah_scope(personas))
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == ATTENDANCE_HEADERS
    assert [personas.pegawai.nip, "2024-01", 22, 21, 2, 0] in values
    assert sheet.cell(row=2, column=1).data_type == "s"  # NIP as text
    before = set(AttendanceRecord.objects.values_list("employee", "period", "working_days",
                                                      "present_days", "late", "early_leave"))  # fmt: skip
    result = run("attendance", content, region=personas.region)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 2)
    assert set(AttendanceRecord.objects.values_list("employee", "period", "working_days",
                                                    "present_days", "late", "early_leave")) == before  # fmt: skip


def test_the_discipline_export_round_trips(personas):
    rows = [sanction(personas.pegawai.nip, "15-03-2024", "berat"), sanction(personas.kasi.nip)]
    assert import_discipline(personas, rows).ok
    content = exported("discipline", admin_daerah_scope(personas))
    result = run("discipline", content, region=personas.region, today=TODAY)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 2)
    assert DisciplineRecord.objects.count() == 2


def test_an_admin_hr_export_holds_only_their_agency(personas):
    rows = [attendance(personas.pegawai.nip), attendance(personas.outsider.nip)]
    assert import_attendance(personas, rows).ok
    scope = SimpleNamespace(
        region_id=personas.region.pk, hr_agency_ids=frozenset({personas.agency_a.pk}),
        region_ids=set(),
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(exported("attendance", scope))).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [personas.pegawai.nip]


@pytest.mark.parametrize("kind", ["attendance", "discipline"])
def test_the_export_page_serves_attendance_and_discipline_to_admin_hr(personas, login, kind):
    assert import_attendance(personas, [attendance(personas.pegawai.nip),
                                        attendance(personas.outsider.nip)]).ok  # fmt: skip
    assert import_discipline(personas, [sanction(personas.pegawai.nip),
                                        sanction(personas.outsider.nip)]).ok  # fmt: skip
    response = login(personas.hr_a).get(reverse("export", args=[kind]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == REGISTRY[kind].headers()
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [personas.pegawai.nip]


# --- the commands ---------------------------------------------------------------------------


@pytest.fixture
def write(tmp_path):
    def _write(name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return _write


def test_import_attendance_exits_0_and_imports(personas, write):
    path = write(
        "k.xlsx", xlsx_bytes(table(ATTENDANCE_HEADERS, [attendance(personas.pegawai.nip)]))
    )
    status, out, err = call("import_attendance", path)
    assert (status, err) == (0, "")
    assert "1 baru" in out
    assert AttendanceRecord.objects.count() == 1


def test_import_attendance_exits_1_with_errors_on_stderr(personas, write):
    rows = [attendance(personas.pegawai.nip), attendance(personas.kasi.nip, Hari_Hadir=30)]
    path = write("k.csv", csv_bytes(table(ATTENDANCE_HEADERS, rows), delimiter=";"))
    status, out, err = call("import_attendance", path)
    assert status == 1
    assert "Baris 3, kolom Hari Hadir: tidak boleh melebihi Hari Kerja" in err
    assert "Baris" not in out
    assert not AttendanceRecord.objects.exists()


def test_the_commands_act_as_the_admin_daerah_across_agencies(personas, write):
    rows = [sanction(personas.pegawai.nip), sanction(personas.outsider.nip)]
    path = write("d.xlsx", xlsx_bytes(table(DISCIPLINE_HEADERS, rows)))
    assert call("import_discipline", path)[0] == 0
    assert DisciplineRecord.objects.count() == 2


@pytest.mark.parametrize(
    "command, headers, row",
    [
        ("import_attendance", ATTENDANCE_HEADERS, attendance),
        ("import_discipline", DISCIPLINE_HEADERS, sanction),
    ],
)
def test_dry_run_exits_0_when_valid_and_1_when_not_and_writes_nothing(
    personas, write, command, headers, row
):
    good = write("baik.xlsx", xlsx_bytes(table(headers, [row(personas.pegawai.nip)])))
    bad = write("buruk.xlsx", xlsx_bytes(table(headers, [row("199001012015011999")])))
    status, out, _ = call(command, good, "--dry-run")
    assert status == 0 and "--dry-run" in out
    status, _, err = call(command, bad, "--dry-run")
    assert status == 1 and "NIP tidak ditemukan" in err
    assert not AttendanceRecord.objects.exists() and not DisciplineRecord.objects.exists()


@pytest.mark.parametrize("command", ["import_attendance", "import_discipline"])
def test_region_is_needed_only_when_several_regions_exist(personas, write, command):
    headers = ATTENDANCE_HEADERS if command == "import_attendance" else DISCIPLINE_HEADERS
    row = attendance if command == "import_attendance" else sanction
    path = write("f.xlsx", xlsx_bytes(table(headers, [row(personas.pegawai.nip)])))
    assert call(command, path, "--dry-run")[0] == 0
    RegionFactory(code="1111")
    assert call(command, path, "--dry-run")[0] == 2
    assert call(command, path, "--dry-run", "--region", "0000")[0] == 2
    assert call(command, path, "--dry-run", "--region", "9999")[0] == 0
    # The NIP belongs to region 9999: in region 1111 it is not found.
    status, _, err = call(command, path, "--dry-run", "--region", "1111")
    assert status == 1 and "NIP tidak ditemukan di daerah ini" in err


@pytest.mark.parametrize("command", ["import_attendance", "import_discipline"])
@pytest.mark.parametrize(
    "name, content",
    [
        ("f.xls", b"x"),
        ("f.xlsx", b"PK\x03\x04 rusak"),
        ("f.csv", b""),
        ("f.csv", "NIP;Periode\n'1;Café\n".encode("latin-1")),
    ],
)
def test_an_unreadable_file_exits_2(personas, write, command, name, content):
    assert call(command, write(name, content))[0] == 2


@pytest.mark.parametrize("command", ["import_attendance", "import_discipline"])
def test_a_missing_file_or_argument_exits_2(personas, tmp_path, command):
    assert call(command, str(tmp_path / "tidak-ada.xlsx"))[0] == 2
    assert call(command)[0] == 2
