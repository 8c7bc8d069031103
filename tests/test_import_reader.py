"""Reading import files: types, headers, delimiters, blank rows, row numbers, dates
(docs/imports.md)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from agencies.importing import cells
from agencies.importing.reader import ImportFileError, RawCell, read_sheet
from agencies.models import JobPosition

from .factories import RegionFactory
from .import_files import POSITION_HEADERS, csv_bytes, messages, run, table, xlsx_bytes

POSITIONS = table(
    POSITION_HEADERS,
    [
        ["JF-01", "Pranata Komputer", "Fungsional", "Ahli Pertama", 8],
        ["PL-01", "Pengadministrasi Umum", "Pelaksana", "", 5],
    ],
)


def values(sheet) -> list[tuple[int, list]]:
    return [(row.number, [c.value for c in row.cells]) for row in sheet.rows]


# --- file types and sheets ---------------------------------------------------------------


def test_xlsx_is_read_from_the_first_sheet_with_the_header_in_row_1():
    other = [["Bukan", "Ini"], ["x", "y"]]
    content = xlsx_bytes(POSITIONS)
    sheet = read_sheet(content, "jabatan.xlsx")
    assert sheet.headers == POSITION_HEADERS
    assert values(sheet)[0] == (2, ["JF-01", "Pranata Komputer", "Fungsional", "Ahli Pertama", 8])
    # The data on a later sheet is ignored: only the first sheet counts.
    sheet = read_sheet(xlsx_bytes(other, sheets_before=[POSITIONS]), "jabatan.xlsx")
    assert sheet.headers == POSITION_HEADERS


def test_xlsx_whose_first_sheet_is_empty_has_no_header_row_even_if_a_later_sheet_has_data():
    with pytest.raises(ImportFileError, match="Lembar pertama kosong"):
        read_sheet(xlsx_bytes(POSITIONS, sheets_before=[[]]), "jabatan.xlsx")


def test_xlsx_with_the_header_in_row_2_has_no_header_row():
    with pytest.raises(ImportFileError, match="Baris 1"):
        read_sheet(xlsx_bytes([[], *POSITIONS]), "jabatan.xlsx")


@pytest.mark.parametrize("name", ["jabatan.xls", "jabatan.ods", "jabatan.txt", "jabatan", "x.xlsm"])
def test_a_file_that_is_not_xlsx_or_csv_is_refused(name):
    with pytest.raises(ImportFileError, match=r"\.xlsx atau \.csv"):
        read_sheet(xlsx_bytes(POSITIONS), name)


def test_suffixes_match_whatever_their_case():
    assert read_sheet(xlsx_bytes(POSITIONS), "JABATAN.XLSX").headers == POSITION_HEADERS
    assert read_sheet(csv_bytes(POSITIONS), "Jabatan.CSV").headers == POSITION_HEADERS


@pytest.mark.parametrize(
    "content", [b"", b"not a zip at all", b"PK\x03\x04broken", csv_bytes(POSITIONS)]
)
def test_an_xlsx_that_cannot_be_opened_is_a_file_error(content):
    with pytest.raises(ImportFileError):
        read_sheet(content, "jabatan.xlsx")


def test_a_csv_that_is_not_utf8_is_a_file_error():
    content = "Kode Jabatan,Nama Jabatan\nA,Penata Kelola Barang Milik Daerah é\n".encode("cp1252")
    with pytest.raises(ImportFileError, match="UTF-8"):
        read_sheet(content, "jabatan.csv")


@pytest.mark.parametrize("content", [b"", b"\n\n", "\ufeff".encode(), b" , ,\n"])
def test_a_csv_without_a_header_row_is_a_file_error(content):
    with pytest.raises(ImportFileError):
        read_sheet(content, "jabatan.csv")


def test_an_xlsx_with_a_wrong_dimension_tag_is_still_read_whole():
    content = xlsx_bytes(POSITIONS)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            target.writestr(item, data)
    sheet = read_sheet(buffer.getvalue(), "jabatan.xlsx")
    assert sheet.headers == POSITION_HEADERS
    assert len(values(sheet)) == 2


# --- csv encodings and delimiters --------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_csv_is_read_as_utf8_with_or_without_bom(bom):
    rows = [*POSITIONS, ["JF-02", "Penata Kelola Pemilu — Ahli", "Fungsional", "Ahli Muda", 9]]
    sheet = read_sheet(csv_bytes(rows, bom=bom), "jabatan.csv")
    assert sheet.headers[0] == "Kode Jabatan"
    assert values(sheet)[-1][1][1] == "Penata Kelola Pemilu — Ahli"


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_delimiter_is_detected_from_the_header_line(delimiter):
    rows = [*POSITIONS, ["PL-02", "Pengelola Gaji, Tunjangan; dan Lainnya", "Pelaksana", "", 6]]
    sheet = read_sheet(csv_bytes(rows, delimiter=delimiter), "jabatan.csv")
    assert sheet.headers == POSITION_HEADERS
    assert values(sheet)[-1] == (
        4,
        ["PL-02", "Pengelola Gaji, Tunjangan; dan Lainnya", "Pelaksana", "", "6"],
    )


def test_csv_saved_by_indonesian_excel_with_semicolons_crlf_and_quoted_fields_is_read():
    content = (
        "\ufeffKode Jabatan;Nama Jabatan;Jenis Jabatan;Jenjang;Kelas Jabatan\r\n"
        '"JF-01";"Pranata Komputer; Ahli";"Fungsional";"Ahli Pertama";"8"\r\n'
        'PL-01;"Pengadministrasi ""Umum""";Pelaksana;;7,0\r\n'
    ).encode()
    sheet = read_sheet(content, "jabatan.csv")
    assert sheet.headers == POSITION_HEADERS
    assert values(sheet) == [
        (2, ["JF-01", "Pranata Komputer; Ahli", "Fungsional", "Ahli Pertama", "8"]),
        (3, ["PL-01", 'Pengadministrasi "Umum"', "Pelaksana", "", "7,0"]),
    ]


@pytest.mark.parametrize("line_ending", ["\n", "\r\n", "\r"])
def test_csv_line_endings_of_any_system_are_read(line_ending):
    sheet = read_sheet(csv_bytes(POSITIONS, delimiter=";", line_ending=line_ending), "j.csv")
    assert sheet.headers == POSITION_HEADERS
    assert [n for n, _ in values(sheet)] == [2, 3]


def test_csv_with_an_excel_sep_line_uses_that_delimiter_and_numbers_rows_as_excel_shows():
    content = b"sep=;\n" + csv_bytes(POSITIONS, delimiter=";")
    sheet = read_sheet(content, "jabatan.csv")
    assert sheet.headers == POSITION_HEADERS
    assert [n for n, _ in values(sheet)] == [2, 3]


def test_csv_cells_never_count_as_numbers():
    sheet = read_sheet(csv_bytes(POSITIONS), "jabatan.csv")
    assert all(not c.numeric for row in sheet.rows for c in row.cells)


def test_xlsx_number_cells_are_marked_numeric():
    sheet = read_sheet(xlsx_bytes(POSITIONS), "jabatan.xlsx")
    assert [c.numeric for c in sheet.rows[0].cells] == [False, False, False, False, True]


# --- blank rows, row numbers, trimming ---------------------------------------------------


def test_blank_rows_are_skipped_and_rows_keep_the_numbers_excel_shows():
    rows = [POSITIONS[0], [], POSITIONS[1], [None, "  ", None], [], POSITIONS[2]]
    for content, name in ((xlsx_bytes(rows), "j.xlsx"), (csv_bytes(rows), "j.csv")):
        sheet = read_sheet(content, name)
        assert [n for n, _ in values(sheet)] == [3, 6], name


def test_a_multi_line_quoted_csv_field_is_one_row_as_in_excel():
    content = b'Kode Jabatan,Nama Jabatan\nA,"baris\nkedua"\nB,Biasa\n'
    sheet = read_sheet(content, "jabatan.csv")
    assert values(sheet) == [(2, ["A", "baris\nkedua"]), (3, ["B", "Biasa"])]


def test_cells_are_trimmed_including_non_breaking_and_zero_width_spaces():
    rows = [POSITIONS[0], ["  JF-01\xa0", "\u200bPranata Komputer ", " Fungsional", "", " 8 "]]
    for content, name in ((xlsx_bytes(rows), "j.xlsx"), (csv_bytes(rows), "j.csv")):
        sheet = read_sheet(content, name)
        assert values(sheet)[0][1][:3] == ["JF-01", "Pranata Komputer", "Fungsional"], name


# --- headers (through a positions file) --------------------------------------------------


@pytest.fixture
def region(db):
    return RegionFactory(code="3201", name="Kabupaten Uji")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_headers_match_trimmed_case_insensitive_and_in_any_order(region, kind):
    headers = [
        "  kelas JABATAN ",
        "NAMA JABATAN",
        "jenjang",
        "Jenis\xa0Jabatan",
        "kode jabatan\xa0",
    ]
    rows = [headers, [8, "Pranata Komputer", "Ahli Pertama", "Fungsional", "JF-01"]]
    content = xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(rows, delimiter=";")
    result = run("positions", content, f"jabatan.{kind}", region=region)
    assert result.ok, messages(result)
    position = JobPosition.objects.get(region=region, code="JF-01")
    assert (position.name, position.kind, position.jf_level, position.grade) == (
        "Pranata Komputer",
        "Fungsional",
        "Ahli Pertama",
        8,
    )


def test_a_header_with_inner_line_break_or_double_space_still_matches(region):
    headers = ["Kode\nJabatan", "Nama  Jabatan", "Jenis Jabatan", "Jenjang", "Kelas Jabatan"]
    result = run("positions", xlsx_bytes([headers, POSITIONS[2]]), region=region)
    assert result.ok, messages(result)


def test_a_missing_column_rejects_the_file_naming_the_column_in_row_1(region):
    rows = [[h for h in POSITION_HEADERS if h != "Kelas Jabatan"], ["JF-01", "X", "Pelaksana", ""]]
    result = run("positions", xlsx_bytes(rows), region=region)
    assert messages(result) == ["Baris 1, kolom Kelas Jabatan: kolom wajib tidak ditemukan"]
    assert not result.applied
    assert not JobPosition.objects.exists()


def test_every_missing_column_is_reported_in_the_contract_order(region):
    rows = [["Jenjang", "Nama Jabatan"], ["", "X"]]
    result = run("positions", csv_bytes(rows), "jabatan.csv", region=region)
    assert messages(result) == [
        "Baris 1, kolom Kode Jabatan: kolom wajib tidak ditemukan",
        "Baris 1, kolom Jenis Jabatan: kolom wajib tidak ditemukan",
        "Baris 1, kolom Kelas Jabatan: kolom wajib tidak ditemukan",
    ]


def test_a_row_blank_in_every_contract_column_is_skipped_like_a_blank_row(region):
    rows = [
        ["No", *POSITION_HEADERS],
        [1, "PL-01", "Pengemudi", "Pelaksana", "", 3],
        [2, "", "", "", "", None],
        [3, "", "", "", "", None],
        [4, "PL-02", "Pramu Bakti", "Pelaksana", "", ""],
    ]
    result = run("positions", xlsx_bytes(rows), region=region)
    assert messages(result) == ["Baris 5, kolom Kelas Jabatan: wajib diisi"]


def test_a_header_only_file_is_valid_and_imports_nothing(region):
    result = run("positions", xlsx_bytes([POSITION_HEADERS]), region=region)
    assert result.ok and result.rows == 0


def test_unknown_columns_are_ignored(region):
    rows = [
        ["No", *POSITION_HEADERS, "Keterangan"],
        [1, "JF-01", "Pranata Komputer", "Fungsional", "Ahli Pertama", 8, "abaikan"],
    ]
    result = run("positions", xlsx_bytes(rows), region=region)
    assert result.ok, messages(result)
    assert JobPosition.objects.get(code="JF-01").name == "Pranata Komputer"


def test_errors_name_the_header_as_the_contract_spells_it_whatever_the_file_spelling(region):
    rows = [
        [h.upper() + "  " for h in POSITION_HEADERS],
        ["PL-09", "Pengemudi", "Pelaksana", "", ""],
    ]
    result = run("positions", xlsx_bytes(rows), region=region)
    assert messages(result) == ["Baris 2, kolom Kelas Jabatan: wajib diisi"]


def test_errors_are_listed_by_row_then_by_column(region):
    rows = [
        POSITION_HEADERS,
        ["PL-01", "", "Pelaksana", "", ""],
        ["", "Pengemudi", "", "", 3],
    ]
    result = run("positions", xlsx_bytes(rows), region=region)
    assert messages(result) == [
        "Baris 2, kolom Nama Jabatan: wajib diisi",
        "Baris 2, kolom Kelas Jabatan: wajib diisi",
        "Baris 3, kolom Kode Jabatan: wajib diisi",
        "Baris 3, kolom Jenis Jabatan: wajib diisi",
    ]


def test_rows_after_blank_rows_are_reported_with_their_excel_number(region):
    rows = [POSITION_HEADERS, [], [], ["PL-01", "Pengemudi", "Sopir", "", 3]]
    result = run("positions", xlsx_bytes(rows), region=region)
    assert [e.row for e in result.errors] == [4]
    assert str(result.errors[0]).startswith("Baris 4, kolom Jenis Jabatan: ")


def test_text_longer_than_the_field_is_a_row_error_not_a_crash(region):
    rows = [POSITION_HEADERS, ["PL-01", "x" * 201, "Pelaksana", "", 3]]
    result = run("positions", xlsx_bytes(rows), region=region)
    assert messages(result) == ["Baris 2, kolom Nama Jabatan: paling banyak 200 karakter"]


# --- dates ----------------------------------------------------------------------------------

DATE_ERROR = "tanggal tidak valid; gunakan dd-mm-yyyy, dd/mm/yyyy atau yyyy-mm-dd"


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(1985, 3, 12),
        dt.datetime(1985, 3, 12, 13, 45),
        dt.date(1985, 3, 12),
        "12-03-1985",
        "12/03/1985",
        "1985-03-12",
        "12-3-1985",
        "1985-3-12",
    ],
)
def test_dates_are_excel_date_cells_or_dd_mm_yyyy_dd_slash_mm_slash_yyyy_or_iso(value):
    assert cells.date(RawCell(value=value, numeric=False)) == dt.date(1985, 3, 12)


def test_single_digit_day_and_month_are_accepted():
    assert cells.date(RawCell(value="1-2-1985", numeric=False)) == dt.date(1985, 2, 1)
    assert cells.date(RawCell(value="1/2/1985", numeric=False)) == dt.date(1985, 2, 1)


@pytest.mark.parametrize(
    "value", ["31-02-1990", "29-02-1985", "1985/03/12", "12.03.1985", "12-03-85", "03-12", "x"]
)
def test_other_date_text_is_an_invalid_date(value):
    with pytest.raises(cells.CellError) as info:
        cells.date(RawCell(value=value, numeric=False))
    assert str(info.value) == DATE_ERROR


def test_an_unformatted_excel_serial_number_is_not_a_date():
    with pytest.raises(cells.CellError):
        cells.date(RawCell(value=31118, numeric=True))


def test_29_february_of_a_leap_year_is_a_date():
    assert cells.date(RawCell(value="29-02-1984", numeric=False)) == dt.date(1984, 2, 29)
