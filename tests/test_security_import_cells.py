"""NUL characters in imported cells are refused with the row and the column.

The attack: a cell holding ``\\x00`` passes validation on SQLite and makes PostgreSQL fail at
write time with a server error, halfway through an HR page.
"""

from agencies.importing.specs import EmployeeSpec, UnitSpec
from agencies.models import Employee

from .import_files import csv_bytes, employee_row, messages, run, table


def test_a_nul_character_in_a_name_is_a_row_error(personas):
    row = employee_row(position=personas.pegawai.position.code, unit=personas.unit_a.code)
    row["Nama"] = "Budi\x00 Santoso"
    result = run("employees", csv_bytes(table(EmployeeSpec.headers(), [row])), "p.csv",
                 region=personas.region)  # fmt: skip
    assert messages(result) == [
        "Baris 2, kolom Nama: berisi karakter NUL (\\x00) yang tidak diizinkan; "
        "hapus karakter tersebut"
    ]
    assert not Employee.objects.filter(nip=row["NIP"]).exists()


def test_a_nul_character_in_an_optional_cell_is_refused_too(personas):
    rows = [["X1", "Seksi X", "", personas.agency_a.code], ["X2", "Seksi Y", "\x00", "DINA"]]
    content = csv_bytes(table(UnitSpec.headers(), rows))
    result = run("units", content, "u.csv", region=personas.region)
    assert [m.split(":")[0] for m in messages(result)] == ["Baris 3, kolom Kode Induk"]
