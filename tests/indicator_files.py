"""Build indicator-set, attendance and discipline import files for the tests.

Rows are dicts keyed by the contract's headers (docs/imports.md) so that a test names only
the cells it is about; ``table``/``xlsx_bytes``/``csv_bytes`` come from ``import_files``.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.management import CommandError, call_command

INDICATOR_HEADERS = [
    "Kode Jabatan",
    "Kode Indikator",
    "Nama Indikator",
    "Jenis",
    "Satuan",
    "Arah",
    "Aspek",
    "Target",
    "Bobot",
    "Panduan",
]
RESULT_HEADERS = ["Kode Hasil", "Nama Hasil", "Jenis Hasil", "Komponen"]
DATE_HEADERS = ["Tanggal Target", "Ketepatan Waktu"]
INDICATOR_ALL_HEADERS = INDICATOR_HEADERS + RESULT_HEADERS + DATE_HEADERS
ATTENDANCE_HEADERS = ["NIP", "Periode", "Hari Kerja", "Hari Hadir", "Terlambat", "Pulang Cepat"]
DISCIPLINE_HEADERS = ["NIP", "Tanggal SK", "Tingkat Hukuman"]


def _override(row: dict[str, Any], cells: dict[str, Any]) -> dict[str, Any]:
    for key, value in cells.items():
        row[key.replace("_", " ")] = value
    return row


def quantitative(position: str, code: str, weight: Any = 50, **cells: Any) -> dict[str, Any]:
    """A valid quantitative indicator row; ``cells`` override by header (``Kode_Hasil="H1"``)."""
    row = {
        "Kode Jabatan": position,
        "Kode Indikator": code,
        "Nama Indikator": f"Jumlah pasien terlayani {code}",
        "Jenis": "kuantitatif",
        "Satuan": "pasien",
        "Arah": "naik",
        "Aspek": "kuantitas",
        "Target": 1200,
        "Bobot": weight,
        "Panduan": "Hitung dari register pelayanan harian.",
    }
    return _override(row, cells)


def rubric(position: str, code: str, weight: Any = 50, **cells: Any) -> dict[str, Any]:
    row = {
        "Kode Jabatan": position,
        "Kode Indikator": code,
        "Nama Indikator": f"Inovasi pembelajaran {code}",
        "Jenis": "rubrik",
        "Satuan": "level",
        "Arah": "",
        "Aspek": "kualitas",
        "Target": "",
        "Bobot": weight,
        "Panduan": "Level 4: satu inovasi diterapkan di kelas dan didokumentasikan.",
    }
    return _override(row, cells)


def attendance(nip: str, period: Any = "2024-01", **cells: Any) -> dict[str, Any]:
    row = {
        "NIP": nip,
        "Periode": period,
        "Hari Kerja": 22,
        "Hari Hadir": 21,
        "Terlambat": 2,
        "Pulang Cepat": 0,
    }
    return _override(row, cells)


def sanction(nip: str, date: Any = "15-03-2024", level: str = "ringan") -> dict[str, Any]:
    return {"NIP": nip, "Tanggal SK": date, "Tingkat Hukuman": level}


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
