"""Write templates and exports as .xlsx in constant memory (openpyxl write-only mode), or csv.

Columns marked ``as_text`` (NIP, codes) are written as text cells with the ``@`` format so
that Excel never turns a NIP into 1.98503E+17 when the file comes back for import.

Every exported cell goes through :func:`export_value`: text that a spreadsheet would run as a
formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed
with an apostrophe, as OWASP advises against CSV/formula injection; numbers stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT_FORMAT = "@"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """``text`` made inert for a spreadsheet: a leading apostrophe before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_value(value: object) -> object:
    """A cell value safe to export: numbers, dates and booleans as they are, text escaped."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    return escape_formula(str(value))


# No pre-formatted empty rows in templates: they would make ``max_row`` 1001 and push rows
# appended by a script (or a user pressing Ctrl+End) far below the header. The column format
# is enough for Excel and LibreOffice to keep typed NIPs as text.


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_headers: Iterable[str] = (),
    title: str = "Data",
) -> bytes:
    buffer = io.BytesIO()
    write_xlsx_to(buffer, headers, rows, text_headers=text_headers, title=title)
    return buffer.getvalue()


def write_xlsx_to(
    target: str | Path | BinaryIO,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_headers: Iterable[str] = (),
    title: str = "Data",
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> int:
    """Stream ``rows`` into an .xlsx file (a path or a binary file object) and return how many
    rows were written. Memory stays bounded whatever the row count: openpyxl's write-only
    mode sends each row to a temporary file as it is appended. The header row is bold,
    frozen and carries an AutoFilter; ``progress(rows_written)`` is told every
    ``progress_every`` rows."""
    wanted_text = set(text_headers)
    text_columns = {i for i, h in enumerate(headers) if h in wanted_text}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"  # before the first row: the sheet view is written first
    for index, header in enumerate(headers):
        dimension = sheet.column_dimensions[get_column_letter(index + 1)]
        dimension.width = 22 if index in text_columns else max(12, len(header) + 4)
        if index in text_columns:
            dimension.number_format = TEXT_FORMAT  # Excel formats new cells of the column
    bold = Font(bold=True)
    header_cells = []
    for index, header in enumerate(headers):
        cell = WriteOnlyCell(sheet, value=escape_formula(str(header)))
        cell.font = bold
        if index in text_columns:
            cell.number_format = TEXT_FORMAT
        header_cells.append(cell)
    sheet.append(header_cells)
    written = 0
    for row in rows:
        out = []
        for index, value in enumerate(row):
            if index in text_columns:
                text = "" if value is None else escape_formula(str(value))
                cell = WriteOnlyCell(sheet, value=text)
                cell.number_format = TEXT_FORMAT
                out.append(cell)
            else:
                out.append(export_value(value))
        sheet.append(out)
        written += 1
        if progress is not None and written % progress_every == 0:
            progress(written)
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{written + 1}"
    workbook.save(target)
    return written


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter=";") -> bytes:
    """A csv export (UTF-8 with BOM, as Excel opens it), every cell through ``export_value``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([escape_formula(str(h)) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else export_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
