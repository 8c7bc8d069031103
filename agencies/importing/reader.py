"""Read the first sheet of an .xlsx file or a .csv file into rows of raw cells.

openpyxl (read-only mode) is used directly rather than through tablib because the contract
needs each cell's type: a NIP stored as a number must be rejected, not silently converted.
"""

from __future__ import annotations

import csv
import io
import re
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
    # Text numbers follow the Indonesian marks (1.200,5) in .xlsx text cells and in csv files
    # delimited by ";" (what Indonesian Excel writes); a ","-delimited csv uses "." for decimals.
    decimal_comma: bool = True


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it: the header is row 1
    cells: tuple[RawCell, ...]


@dataclass
class Sheet:
    headers: list[str]
    rows: list[SheetRow]


SUPPORTED_SUFFIXES = (".xlsx", ".csv")
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _limit(name: str, default: int) -> int:
    from django.conf import settings

    return int(getattr(settings, name, default))


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an .xlsx whose parts would unpack beyond the limit, from the zip's directory
    alone and before any part is parsed: a small file can hold gigabytes of XML."""
    limit = _limit("IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(
            "Berkas .xlsx tidak dapat dibuka; simpan ulang sebagai .xlsx"
        ) from exc
    total = sum(member.file_size for member in members)
    if total > limit or len(members) > 10_000:
        raise ImportFileError(
            "Isi berkas .xlsx terlalu besar setelah diekstrak "
            f"({_thousands(total // (1024 * 1024))} MB; batas {_thousands(limit // (1024 * 1024))} MB)"
        )


def check_file(data: bytes, filename: str) -> None:
    """The quick checks of a file as a whole, cheap enough to run inside a web request:
    its type, its archive (.xlsx) or its encoding and header line (.csv)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFileError(UNSUPPORTED_TYPE)
    if suffix == ".xlsx":
        check_xlsx_archive(data)
        return
    head = data[:65536]
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise ImportFileError(
                'Berkas .csv harus berenkode UTF-8; simpan sebagai "CSV UTF-8"'
            ) from exc
    if not head.decode("utf-8-sig", errors="ignore").strip():
        raise ImportFileError("Berkas kosong: baris judul kolom tidak ditemukan")


UNSUPPORTED_TYPE = "Jenis berkas tidak didukung; gunakan .xlsx atau .csv"
NO_HEADER = "Baris 1 harus berisi judul kolom"

# str.strip() already removes spaces, tabs, CR/LF and non-breaking spaces; spreadsheets pasted
# from web pages or Word also carry zero-width spaces and stray byte-order marks.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


def clean_text(value: str) -> str:
    return value.strip().strip(_INVISIBLE).strip()


def _cell(value: Any) -> RawCell:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, str):
        value = clean_text(value)
    return RawCell(value=value, numeric=numeric)


def _is_blank(cells: tuple[RawCell, ...]) -> bool:
    return all(c.value is None or c.value == "" for c in cells)


def _read_xlsx(data: bytes) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
    check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file raises anything from zipfile/lxml
        raise ImportFileError(
            "Berkas .xlsx tidak dapat dibuka; simpan ulang sebagai .xlsx"
        ) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError("Berkas .xlsx tidak memiliki lembar kerja")
        sheet = workbook.worksheets[0]
        # Some generators write a wrong <dimension> (e.g. "A1"), which would truncate rows.
        sheet.reset_dimensions()
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, tuple(_cell(v) for v in values)
        except ImportFileError:
            raise
        except Exception as exc:  # rows are parsed lazily: damage may surface only here
            raise ImportFileError("Isi berkas .xlsx rusak dan tidak dapat dibaca") from exc
    finally:
        workbook.close()


_SEP_LINE = re.compile(r"^sep=(.)$", re.IGNORECASE)


def _read_csv(data: bytes) -> Iterator[tuple[int, tuple[RawCell, ...]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            'Berkas .csv harus berenkode UTF-8; simpan sebagai "CSV UTF-8"'
        ) from exc
    first_line, _, rest = (*re.split(r"(\r\n|\r|\n)", text, maxsplit=1), "", "")[:3]
    # Excel honours (and hides) a first line "sep=;": the header is then the next line.
    sep = _SEP_LINE.match(first_line.strip())
    if sep:
        delimiter = sep[1]
        text = rest
    else:
        # Indonesian Excel writes ";" because "," is the decimal separator.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            yield (
                number,
                tuple(
                    RawCell(value=clean_text(v), numeric=False, decimal_comma=delimiter != ",")
                    for v in values
                ),
            )
    except csv.Error as exc:
        raise ImportFileError(f"Berkas .csv tidak dapat dibaca: {exc}") from exc


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read the header (row 1) and the non-blank data rows of a spreadsheet."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFileError(UNSUPPORTED_TYPE)
    rows_iter = _read_xlsx(data) if suffix == ".xlsx" else _read_csv(data)
    max_rows = _limit("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    headers: list[str] | None = None
    rows: list[SheetRow] = []
    for number, cells in rows_iter:
        if headers is None:
            if number != 1 or _is_blank(cells):
                raise ImportFileError(NO_HEADER)
            headers = ["" if c.value is None else str(c.value) for c in cells]
            continue
        if not _is_blank(cells):
            if len(rows) >= max_rows:
                raise ImportFileError(
                    f"Berkas berisi lebih dari {_thousands(max_rows)} baris data; batas per "
                    f"berkas {_thousands(max_rows)} baris: bagi menjadi beberapa berkas"
                )
            rows.append(SheetRow(number=number, cells=cells))
    if headers is None:
        if suffix == ".xlsx":
            raise ImportFileError(
                "Lembar pertama kosong: baris judul kolom tidak ditemukan "
                "(hanya lembar pertama yang dibaca)"
            )
        raise ImportFileError("Berkas kosong: baris judul kolom tidak ditemukan")
    return Sheet(headers=headers, rows=rows)
