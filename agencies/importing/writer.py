"""Write templates and exports as .xlsx in constant memory (openpyxl write-only mode).

Columns marked ``as_text`` (NIP, codes) are written as text cells with the ``@`` format so
that Excel never turns a NIP into 1.98503E+17 when the file comes back for import.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    text_headers: Iterable[str] = (),
    title: str = "Data",
) -> bytes:
    text_columns = {i for i, h in enumerate(headers) if h in set(text_headers)}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, header in enumerate(headers):
        width = 22 if index in text_columns else max(12, len(header) + 4)
        sheet.column_dimensions[chr(ord("A") + index) if index < 26 else "A"].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        out = []
        for index, value in enumerate(row):
            if index in text_columns:
                cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
                cell.number_format = "@"
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    # Template files carry a few pre-formatted empty text rows so typed NIPs stay text.
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
