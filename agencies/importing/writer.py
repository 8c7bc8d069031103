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
from openpyxl.utils import get_column_letter

TEXT_FORMAT = "@"
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
    wanted_text = set(text_headers)
    text_columns = {i for i, h in enumerate(headers) if h in wanted_text}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, header in enumerate(headers):
        dimension = sheet.column_dimensions[get_column_letter(index + 1)]
        dimension.width = 22 if index in text_columns else max(12, len(header) + 4)
        if index in text_columns:
            dimension.number_format = TEXT_FORMAT  # Excel formats new cells of the column
    bold = Font(bold=True)
    header_cells = []
    for index, header in enumerate(headers):
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        if index in text_columns:
            cell.number_format = TEXT_FORMAT
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        out = []
        for index, value in enumerate(row):
            if index in text_columns:
                cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
                cell.number_format = TEXT_FORMAT
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
