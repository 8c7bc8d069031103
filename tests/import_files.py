"""Build import files (.xlsx through openpyxl, .csv as bytes) and run them, for the import tests.

A table is a list of rows, the first being the header row. Rows of employees are dicts keyed by
the contract's headers so that a test names only the cell it is about.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from agencies.importing.base import REGISTRY, ImportContext, ImportResult, run_import

from .factories import EmployeeFactory
from .personas import PERSONAS_SEQUENCE_END

AGENCY_HEADERS = ["Kode Perangkat Daerah", "Nama Perangkat Daerah", "Kode Daerah", "Nama Daerah"]
UNIT_HEADERS = ["Kode Unit", "Nama Unit", "Kode Induk", "Kode Perangkat Daerah"]
POSITION_HEADERS = ["Kode Jabatan", "Nama Jabatan", "Jenis Jabatan", "Jenjang", "Kelas Jabatan"]
EMPLOYEE_HEADERS = [
    "NIP",
    "Nama",
    "Gelar Depan",
    "Gelar Belakang",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Status ASN",
    "Golongan",
    "Kode Jabatan",
    "Kode Unit",
    "NIP Atasan",
    "Email",
]


@pytest.fixture(autouse=True)
def _fresh_employee_sequence():
    """Factory NIPs come from a sequence that also moves birth dates on; late in a long run
    their TMT (2010) would fall under 18 years after birth and a re-import of them would
    rightly fail. Every test rolls its rows back, so start the sequence anew, past the
    personas' numbers."""
    EmployeeFactory.reset_sequence(PERSONAS_SEQUENCE_END)


def pns_nip(
    birth: dt.date, gender: str = "L", *, tmt: tuple[int, int] = (2015, 1), serial: int = 1
) -> str:
    """A valid NIP PNS: ``YYYYMMDD YYYYMM G NNN``."""
    return f"{birth:%Y%m%d}{tmt[0]:04d}{tmt[1]:02d}{1 if gender == 'L' else 2}{serial:03d}"


def pppk_nip(birth: dt.date, rest: str = "2023211001") -> str:
    return f"{birth:%Y%m%d}{rest}"


def xlsx_bytes(
    table: Sequence[Sequence[Any]],
    *,
    sheets_before: Sequence[Sequence[Sequence[Any]]] = (),
    text_format: Iterable[str] = (),
) -> bytes:
    """One workbook; ``table`` goes on the first sheet unless ``sheets_before`` come first.
    A row of ``[]`` is a blank row. Columns named in ``text_format`` get the ``@`` format."""
    workbook = Workbook()
    first = workbook.active
    sheets = [*sheets_before, table]
    targets = [first] + [workbook.create_sheet(f"Lembar{i}") for i in range(1, len(sheets))]
    for sheet, rows in zip(targets, sheets, strict=True):
        for row in rows:
            sheet.append(list(row))
    text_columns = set(text_format)
    if text_columns and table:
        sheet = targets[-1]
        for index, header in enumerate(table[0], start=1):
            if header in text_columns:
                for (cell,) in sheet.iter_rows(min_col=index, max_col=index, min_row=2):
                    cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    table: Sequence[Sequence[Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    line_ending: str = "\n",
    quote_all: bool = False,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=line_ending,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    for row in table:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def table(headers: Sequence[str], rows: Iterable[dict[str, Any] | Sequence[Any]]) -> list[list]:
    """Header row plus rows; a dict row is laid out in ``headers`` order (missing → blank)."""
    out: list[list] = [list(headers)]
    for row in rows:
        if isinstance(row, dict):
            out.append([row.get(h, "") for h in headers])
        else:
            out.append(list(row))
    return out


def read_xlsx(content: bytes) -> list[list[Any]]:
    """Values of the first sheet, trailing blank rows dropped."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    return rows


def employee_row(
    *,
    birth: dt.date = dt.date(1991, 5, 17),
    gender: str = "L",
    serial: int = 1,
    status: str = "PNS",
    position: str = "",
    unit: str = "",
    supervisor: str = "",
    **cells: Any,
) -> dict[str, Any]:
    """A valid employee row; ``cells`` override by header with spaces as underscores
    (``Gelar_Depan="dr."``)."""
    nip = pns_nip(birth, gender, serial=serial) if status == "PNS" else pppk_nip(birth)
    row = {
        "NIP": nip,
        "Nama": f"Pegawai Impor {serial}",
        "Gelar Depan": "",
        "Gelar Belakang": "S.Kom.",
        "Jenis Kelamin": gender,
        "Tanggal Lahir": birth.strftime("%d-%m-%Y"),
        "Status ASN": status,
        "Golongan": "III/a" if status == "PNS" else "IX",
        "Kode Jabatan": position,
        "Kode Unit": unit,
        "NIP Atasan": supervisor,
        "Email": f"impor{serial}.{birth:%Y%m%d}@uji.go.id",
    }
    for key, value in cells.items():
        row[key.replace("_", " ")] = value
    return row


def run(
    kind: str,
    content: bytes,
    filename: str = "berkas.xlsx",
    *,
    region=None,
    agency_ids: Iterable[int] | None = None,
    user=None,
    today: dt.date | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """``run_import`` for the file kind ``kind`` as the Admin Daerah (or an Admin HR when
    ``agency_ids`` is given)."""
    context = ImportContext(
        region=region,
        agency_ids=None if agency_ids is None else frozenset(agency_ids),
        user=user,
    )
    if today is not None:
        context.today = today
    return run_import(REGISTRY[kind], content, filename, context, dry_run=dry_run)


def messages(result: ImportResult) -> list[str]:
    return [str(e) for e in result.errors]


def run_queued_import_jobs() -> None:
    """Run the background jobs the HR import pages queued, as the worker would."""
    from reports.jobs import job_run
    from reports.models import Job

    queued = Job.objects.filter(kind="import_file", status=Job.Status.QUEUED)
    for job_id in queued.order_by("pk").values_list("pk", flat=True):
        job_run(job_id=job_id)
