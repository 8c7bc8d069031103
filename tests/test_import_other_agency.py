"""docs/imports.md: an Admin HR's row whose unit or NIP belongs to another agency is a row
error with one message, "NIP terdaftar di Perangkat Daerah lain; mutasi oleh Admin Daerah"."""

from agencies.importing.specs import EmployeeSpec
from agencies.models import Employee

from .import_files import csv_bytes, employee_row, messages, run, table

MESSAGE = "NIP terdaftar di Perangkat Daerah lain; mutasi oleh Admin Daerah"


def _file(row):
    headers = EmployeeSpec.headers()
    return csv_bytes(table(headers, [row]))


def test_a_new_employee_in_a_unit_of_another_agency_is_refused_for_admin_hr(personas):
    row = employee_row(position=personas.pegawai.position.code, unit=personas.unit_b.code)
    result = run(
        "employees", _file(row), "p.csv", region=personas.region, agency_ids=[personas.agency_a.pk]
    )
    assert messages(result) == [f"Baris 2, kolom Kode Unit: {MESSAGE}"]
    assert not Employee.objects.filter(nip=row["NIP"]).exists()


def test_an_employee_of_another_agency_is_refused_for_admin_hr(personas):
    outsider = personas.outsider
    row = employee_row(position=outsider.position.code, unit=personas.unit_a.code)
    row.update({"NIP": outsider.nip, "Tanggal Lahir": outsider.birth_date.strftime("%d-%m-%Y"),
                "Jenis Kelamin": outsider.gender, "Email": outsider.email})  # fmt: skip
    result = run(
        "employees", _file(row), "p.csv", region=personas.region, agency_ids=[personas.agency_a.pk]
    )
    assert f"Baris 2, kolom NIP: {MESSAGE}" in messages(result)
