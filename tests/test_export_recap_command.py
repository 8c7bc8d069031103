"""``manage.py export_recap --cycle <id> [--agency <Kode Perangkat Daerah>] OUT.xlsx``:
exit 0 written, 1 unknown cycle or agency (Indonesian message on standard error), 2 usage."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from agencies.models import Agency
from appraisals import services
from appraisals.models import Appraisal

from .appraisal_fixtures import BEFORE_PLANNING, DEADLINES, force_scored, make_indicator_set


@pytest.fixture
def cycle(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = services.cycle_create(
        acting_user=personas.admin_daerah,
        region=personas.region,
        agencies=[personas.agency_a, personas.agency_b],
        name="Penilaian 2026",
        scheme_key="kotalama",
        period_type="annual",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        deadlines=DEADLINES,
    )
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    force_scored(Appraisal.objects.filter(cycle=cycle))
    return cycle


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("export_recap", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_the_whole_cycle_is_written_with_a_sheet_per_agency(cycle, personas, tmp_path):
    target = tmp_path / "rekap.xlsx"
    code, out, _err = run("--cycle", str(cycle.pk), str(target))
    assert code == 0
    assert "Rekap ditulis" in out
    book = load_workbook(target)
    assert book.sheetnames == ["DINA Dinas Alfa", "DINB Dinas Beta"]
    rows = sum(ws.max_row - 1 for ws in book.worksheets)
    assert rows == Appraisal.objects.filter(cycle=cycle).count()
    assert [c.value for c in book.worksheets[0][1]][:5] == ["NIP", "Nama", "Jabatan", "Unit",
                                                            "Golongan"]  # fmt: skip


def test_one_agency_by_its_code_in_any_case(cycle, personas, tmp_path):
    target = tmp_path / "dina.xlsx"
    assert run("--cycle", str(cycle.pk), "--agency", " dina ", str(target))[0] == 0
    assert load_workbook(target).sheetnames == ["DINA Dinas Alfa"]


def test_an_unknown_cycle_exits_1_and_writes_nothing(db, tmp_path):
    target = tmp_path / "rekap.xlsx"
    code, _out, err = run("--cycle", "999999", str(target))
    assert code == 1
    assert "Siklus tidak ditemukan: 999999" in err
    assert not target.exists()


def test_an_agency_outside_the_cycle_exits_1(cycle, personas, tmp_path):
    Agency.objects.create(region=personas.region, code="LAIN", name="Dinas Lain")
    target = tmp_path / "rekap.xlsx"
    for agency in ("LAIN", "TIDAKADA"):
        code, _out, err = run("--cycle", str(cycle.pk), "--agency", agency, str(target))
        assert code == 1
        assert f"Perangkat Daerah dengan kode '{agency}' tidak ada dalam siklus" in err
    assert not target.exists()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["OUT.xlsx"],
        ["--cycle", "1"],
        ["--cycle", "satu", "OUT.xlsx"],
        ["--cycle", "1", "OUT.xlsx", "lagi.xlsx"],
        ["--cycle", "1", "OUT.csv"],
        ["--cycle", "1", "--tidak-dikenal", "x", "OUT.xlsx"],
    ],
)
def test_usage_errors_exit_2(db, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    assert run(*args)[0] == 2
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_a_usage_error(db, tmp_path):
    code, _out, err = run("--cycle", "1", str(tmp_path / "tidak-ada" / "rekap.xlsx"))
    assert code == 2
    assert "Folder tidak ditemukan" in err


def test_manage_py_exits_2_on_a_usage_error():
    """A real process: argparse's own usage error, before any database access."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, str(root / "manage.py"), "export_recap", "rekap.xlsx"],
        capture_output=True, text=True, cwd=root, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--cycle" in done.stderr
