"""Read the first sheet of an .xlsx file or a .csv file into rows of raw cells.

openpyxl (read-only mode) is used directly rather than through tablib because the contract
needs each cell's type: a NIP stored as a number must be rejected, not silently converted.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, unreadable, or no header row."""


@dataclass(frozen=True)
class RawCell:
    value: Any  # str, int, float, datetime/date, bool or None
    numeric: bool  # stored as a number in the file (xlsx only: csv has no types)


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it: the header is row 1
    cells: tuple[RawCell, ...]


@dataclass
class Sheet:
    headers: list[str]
    rows: list[SheetRow]


SUPPORTED_SUFFIXES = (".xlsx", ".csv")


def _cell(value: Any) -> RawCell:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, str):
        value = value.strip()
    return RawCell(value=value, numeric=numeric)


def _is_blank(cells: tuple[RawCell, ...]) -> bool:
    return all(c.value is None or c.value == "" for c in cells)


def _read_xlsx(data: bytes) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"Berkas .xlsx tidak dapat dibuka: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, tuple(_cell(v) for v in values)
    finally:
        workbook.close()


def _read_csv(data: bytes) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Berkas .csv harus berenkode UTF-8") from exc
    header_line = text.split("\n", 1)[0]
    # Indonesian Excel writes ";" because "," is the decimal separator.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, values in enumerate(reader, start=1):
        yield number, tuple(RawCell(value=v.strip(), numeric=False) for v in values)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read the header (row 1) and the non-blank data rows of a spreadsheet."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFileError("Jenis berkas tidak didukung; gunakan .xlsx atau .csv")
    rows_iter = _read_xlsx(data) if suffix == ".xlsx" else _read_csv(data)
    headers: list[str] | None = None
    rows: list[SheetRow] = []
    for number, cells in rows_iter:
        if headers is None:
            if number != 1 or _is_blank(cells):
                raise ImportFileError("Baris 1 harus berisi judul kolom")
            headers = ["" if c.value is None else str(c.value).strip() for c in cells]
            continue
        if not _is_blank(cells):
            rows.append(SheetRow(number=number, cells=cells))
    if headers is None:
        raise ImportFileError("Berkas kosong: baris judul kolom tidak ditemukan")
    return Sheet(headers=headers, rows=rows)
