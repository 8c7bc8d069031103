"""``import_agencies|units|positions|employees FILE [--dry-run] [--region KODE]``: exit status 0
imported (or valid with --dry-run), 1 invalid rows (errors on stderr, nothing written), 2 usage
error or unreadable file (docs/imports.md)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from agencies.models import Agency, Employee, JobPosition, Region, Unit
from reports.models import Job

from .factories import RegionFactory
from .import_files import (  # noqa: F401  (_fresh_employee_sequence: autouse)
    AGENCY_HEADERS,
    EMPLOYEE_HEADERS,
    POSITION_HEADERS,
    UNIT_HEADERS,
    _fresh_employee_sequence,
    csv_bytes,
    employee_row,
    table,
    xlsx_bytes,
)

POSITIONS = table(POSITION_HEADERS, [["PL-01", "Pengadministrasi", "Pelaksana", "", 5]])
BAD_POSITIONS = table(
    POSITION_HEADERS,
    [["PL-01", "Pengadministrasi", "Pelaksana", "", 5], ["PL-02", "", "Pelaksana", "", 99]],
)


def call(*args: str) -> tuple[int, str, str]:
    """Run a command as ``manage.py`` would: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def write(tmp_path):
    def _write(name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return _write


@pytest.fixture
def region(db):
    return RegionFactory(code="3201", name="Kabupaten Uji")


# --- success, dry run, invalid rows ------------------------------------------------------


def test_import_agencies_needs_no_region_and_creates_it(db, write):
    path = write(
        "pd.xlsx",
        xlsx_bytes(table(AGENCY_HEADERS, [["DINKES", "Dinas Kesehatan", "3201", "Kab. Uji"]])),
    )
    status, out, err = call("import_agencies", path)
    assert (status, err) == (0, "")
    assert "1 baru" in out
    assert Agency.objects.get(code="DINKES").region.code == "3201"


def test_import_agencies_with_region_accepts_only_that_region(db, write):
    rows = [["A", "Dinas A", "3201", "Kab. A"], ["B", "Dinas B", "3202", "Kab. B"]]
    path = write("pd.csv", csv_bytes(table(AGENCY_HEADERS, rows)))
    status, _, err = call("import_agencies", path, "--region", "3201")
    assert status == 1
    assert "Baris 3, kolom Kode Daerah" in err
    assert not Region.objects.exists()


def test_a_valid_file_is_imported_with_exit_status_0(region, write):
    status, out, err = call("import_positions", write("jabatan.xlsx", xlsx_bytes(POSITIONS)))
    assert (status, err) == (0, "")
    assert "Impor selesai: 1 baris (1 baru, 0 diperbarui)" in out
    assert JobPosition.objects.get(code="PL-01").region == region


def test_invalid_rows_exit_1_with_every_error_on_stderr_and_nothing_written(region, write):
    status, out, err = call("import_positions", write("jabatan.xlsx", xlsx_bytes(BAD_POSITIONS)))
    assert status == 1
    lines = err.splitlines()
    assert lines[:2] == [
        "Baris 3, kolom Nama Jabatan: wajib diisi",
        "Baris 3, kolom Kelas Jabatan: harus 1 sampai 17",
    ]
    assert "Baris" not in out
    assert not JobPosition.objects.exists()


def test_a_missing_column_exits_1(region, write):
    rows = [POSITION_HEADERS[:-1], ["PL-01", "Pengadministrasi", "Pelaksana", ""]]
    status, _, err = call("import_positions", write("jabatan.csv", csv_bytes(rows)))
    assert status == 1
    assert "Baris 1, kolom Kelas Jabatan: kolom wajib tidak ditemukan" in err.splitlines()


def test_dry_run_of_a_valid_file_exits_0_and_writes_nothing(region, write):
    status, out, err = call("import_positions", write("j.xlsx", xlsx_bytes(POSITIONS)), "--dry-run")
    assert (status, err) == (0, "")
    assert "--dry-run" in out
    assert not JobPosition.objects.exists()


def test_dry_run_of_an_invalid_file_exits_1(region, write):
    status, _, err = call(
        "import_positions", write("j.xlsx", xlsx_bytes(BAD_POSITIONS)), "--dry-run"
    )
    assert status == 1 and "Baris 3" in err


def test_units_and_employees_commands_import_as_the_admin_daerah(personas, write):
    units = table(UNIT_HEADERS, [["DINB-S1", "Seksi Beta", "DINB", "DINB"]])
    assert call("import_units", write("unit.xlsx", xlsx_bytes(units)))[0] == 0
    assert Unit.objects.get(code="DINB-S1").parent.code == "DINB"
    data = employee_row(
        position=personas.pegawai.position.code, unit="DINB-S1", supervisor=personas.kepala_b.nip
    )
    path = write("pegawai.csv", csv_bytes(table(EMPLOYEE_HEADERS, [data]), delimiter=";"))
    status, _, err = call("import_employees", path)
    assert (status, err) == (0, "")
    employee = Employee.objects.get(nip=data["NIP"])
    assert employee.agency == personas.agency_b
    job = Job.objects.get(kind="send_invitations")
    assert job.payload == {"user_ids": [employee.user_id]} and job.created_by is None


def test_the_command_checks_nip_tmt_against_the_current_month(personas, write):
    # Two months ahead: later than the current month in any time zone of the region.
    next_month = dt.date.today().replace(day=1) + dt.timedelta(days=62)
    data = employee_row(
        position=personas.pegawai.position.code,
        unit=personas.unit_a.code,
        NIP=f"19910517{next_month:%Y%m}1001",
    )
    status, _, err = call(
        "import_employees", write("p.xlsx", xlsx_bytes(table(EMPLOYEE_HEADERS, [data])))
    )
    assert status == 1 and "Baris 2, kolom NIP:" in err


# --- --region ----------------------------------------------------------------------------


def test_region_may_be_omitted_when_exactly_one_region_exists(region, write):
    assert call("import_positions", write("j.xlsx", xlsx_bytes(POSITIONS)))[0] == 0


def test_region_is_required_when_several_regions_exist(region, write):
    RegionFactory(code="3202")
    status, _, err = call("import_positions", write("j.xlsx", xlsx_bytes(POSITIONS)))
    assert status == 2 and "--region" in err
    assert not JobPosition.objects.exists()


def test_region_names_the_region_to_import_into(region, write):
    other = RegionFactory(code="3202")
    status, _, _ = call(
        "import_positions", write("j.xlsx", xlsx_bytes(POSITIONS)), "--region", "3202"
    )
    assert status == 0
    assert JobPosition.objects.get().region == other


def test_an_unknown_region_exits_2(region, write):
    status, _, err = call(
        "import_positions", write("j.xlsx", xlsx_bytes(POSITIONS)), "--region", "9"
    )
    assert status == 2 and "9" in err


def test_no_region_at_all_exits_2(db, write):
    status, _, _ = call("import_units", write("u.xlsx", xlsx_bytes(table(UNIT_HEADERS, []))))
    assert status == 2


# --- usage errors and unreadable files ---------------------------------------------------


@pytest.mark.parametrize("name", ["jabatan.xls", "jabatan.txt", "jabatan.ods", "jabatan"])
def test_a_file_that_is_not_xlsx_or_csv_exits_2(region, write, name):
    status, _, err = call("import_positions", write(name, xlsx_bytes(POSITIONS)))
    assert status == 2 and ".xlsx" in err


def test_a_file_that_does_not_exist_exits_2(region, tmp_path):
    assert call("import_positions", str(tmp_path / "tidak-ada.xlsx"))[0] == 2


def test_a_directory_named_like_a_file_exits_2(region, tmp_path):
    (tmp_path / "folder.csv").mkdir()
    assert call("import_positions", str(tmp_path / "folder.csv"))[0] == 2


@pytest.mark.parametrize(
    "name, content",
    [
        ("rusak.xlsx", b"PK\x03\x04 bukan xlsx"),
        ("kosong.xlsx", xlsx_bytes([])),
        ("kosong.csv", b""),
        ("tanpa-judul.csv", b"\n\nPL-01,Pengadministrasi,Pelaksana,,5\n"),
        ("latin1.csv", "Kode Jabatan;Nama Jabatan\nA;Pengelola Café\n".encode("latin-1")),
    ],
)
def test_an_unreadable_file_or_one_without_header_row_exits_2(region, write, name, content):
    status, _, err = call("import_positions", write(name, content))
    assert status == 2 and err


def test_a_missing_file_argument_is_a_usage_error_with_exit_2(region):
    assert call("import_positions")[0] == 2


def test_an_unknown_option_is_a_usage_error_with_exit_2(region, write):
    assert call("import_positions", write("j.xlsx", xlsx_bytes(POSITIONS)), "--paksa")[0] == 2


# --- the real manage.py ------------------------------------------------------------------


def manage(*args: str) -> subprocess.CompletedProcess:
    """Run manage.py against the test database (its rows must be committed: transactional)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_manage_py_exit_statuses_are_0_1_and_2(tmp_path):
    """One real process per exit status; the tests above run the commands in-process."""
    RegionFactory(code="3201")
    good, bad = tmp_path / "baik.xlsx", tmp_path / "buruk.xlsx"
    good.write_bytes(xlsx_bytes(POSITIONS))
    bad.write_bytes(xlsx_bytes(BAD_POSITIONS))

    invalid = manage("import_positions", str(bad))
    assert invalid.returncode == 1
    assert "Baris 3, kolom Nama Jabatan: wajib diisi" in invalid.stderr
    assert "Baris 3" not in invalid.stdout
    assert not JobPosition.objects.exists()

    done = manage("import_positions", str(good))
    assert done.returncode == 0, done.stderr
    assert JobPosition.objects.filter(code="PL-01").exists()

    assert manage("import_positions").returncode == 2
