"""Write Excel workbooks in constant memory (openpyxl write-only mode).

A :class:`Sheet` names its title, its headers and an iterable of rows; the rows are pulled one
at a time and written straight to disk, so a sheet of 60,000 rows needs no more memory than a
sheet of ten. Every sheet gets a bold, frozen header row and an auto-filter over its columns.

Cells follow the rules of the portal's other exports (``agencies.importing.writer``):

- columns named in ``text_columns`` (``NIP`` by default) are text cells with the ``@`` format,
  whatever the value: an 18-digit NIP never becomes ``1.98503E+17`` and comes back intact
  through the import;
- text that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return) is prefixed with an apostrophe (OWASP "CSV injection");
  numbers, dates and booleans stay what they are;
- ``number_formats`` gives an Excel number format per header, e.g. ``{"Nilai Akhir": "0.00"}``.

Column widths come from the header and the first rows (:data:`WIDTH_SAMPLE` of them, kept in
memory only until they are written), because a write-only sheet fixes its columns before its
first row.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from agencies.importing.writer import TEXT_FORMAT, escape_formula, export_value

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH_SAMPLE = 200
MIN_WIDTH = 8
MAX_WIDTH = 60
_INVALID_TITLE_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _default_text_columns() -> set[str]:
    return {"NIP"}


@dataclass
class Sheet:
    """One worksheet to write: ``rows`` may be any iterable (a generator streams)."""

    title: str
    headers: list[str]
    rows: Iterable[Sequence[object]]
    text_columns: set[str] = field(default_factory=_default_text_columns)
    number_formats: dict[str, str] = field(default_factory=dict)
    widths: dict[str, float] = field(default_factory=dict)


def sheet_title(title: str, used: set[str] | None = None) -> str:
    """A valid, unique worksheet title: no ``[]:*?/\\``, at most 31 characters."""
    base = " ".join(title.translate(_INVALID_TITLE_CHARS).split())[:31] or "Sheet"
    base = base.strip("'") or "Sheet"
    candidate, n = base, 2
    while used is not None and candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    if used is not None:
        used.add(candidate.lower())
    return candidate


def _display_length(value: object) -> int:
    if value is None:
        return 0
    return max((len(part) for part in str(value).splitlines()), default=0)


class _SheetWriter:
    """Writes one :class:`Sheet` into a write-only workbook, row by row."""

    def __init__(self, workbook: Workbook, sheet: Sheet, title: str) -> None:
        self.sheet = sheet
        self.ws = workbook.create_sheet(title=title)
        headers = sheet.headers
        self.text = [h in sheet.text_columns for h in headers]
        # One prototype cell per formatted column; each row's cell copies its style array
        # (setting ``number_format`` on every cell would look the format up every time).
        self.prototypes: list[WriteOnlyCell | None] = []
        for header, is_text in zip(headers, self.text, strict=True):
            fmt = TEXT_FORMAT if is_text else sheet.number_formats.get(header)
            if fmt:
                proto = WriteOnlyCell(self.ws)
                proto.number_format = fmt
                self.prototypes.append(proto)
            else:
                self.prototypes.append(None)

    def _cell(self, index: int, value: object) -> object:
        if self.text[index]:
            value = "" if value is None else escape_formula(str(value))
        else:
            value = export_value(value)
        proto = self.prototypes[index]
        if proto is None or value is None:
            return value
        cell = WriteOnlyCell(self.ws, value=value)
        cell._style = copy(proto._style)
        return cell

    def _abandon(self) -> None:
        """Close the half-written sheet's temporary file (the workbook is never saved)."""
        with contextlib.suppress(Exception):
            if self.ws._rows is not None:
                self.ws._rows.close()
        with contextlib.suppress(Exception):
            if self.ws._writer is not None:
                self.ws._writer.close()

    def write(self) -> int:
        headers = self.sheet.headers
        rows: Iterator[Sequence[object]] = iter(self.sheet.rows)
        sample = list(itertools.islice(rows, WIDTH_SAMPLE))
        for index, header in enumerate(headers):
            letter = get_column_letter(index + 1)
            if header in self.sheet.widths:
                width = self.sheet.widths[header]
            else:
                longest = max(
                    [_display_length(header) + 3]  # room for the filter button
                    + [_display_length(row[index]) for row in sample if index < len(row)]
                )
                width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
                if self.text[index]:
                    width = max(width, 21)  # an 18-digit NIP fits
            dimension = self.ws.column_dimensions[letter]
            dimension.width = width
            if self.text[index]:
                dimension.number_format = TEXT_FORMAT  # cells typed later stay text too
        self.ws.freeze_panes = "A2"
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(self.ws, value=escape_formula(str(header)))
            cell.font = bold
            header_cells.append(cell)
        self.ws.append(header_cells)
        count = 0
        width = len(headers)
        try:
            for row in itertools.chain(sample, rows):
                if len(row) != width:
                    raise ValueError(
                        f"Row {count + 2} of sheet {self.ws.title!r} has {len(row)} cells, "
                        f"expected {width}"
                    )
                self.ws.append([self._cell(i, v) for i, v in enumerate(row)])
                count += 1
        except BaseException:
            self._abandon()
            raise
        if headers:
            last = get_column_letter(len(headers))
            self.ws.auto_filter.ref = f"A1:{last}{count + 1}"
        return count


def write_workbook(target: str | os.PathLike[str] | IO[bytes], sheets: Iterable[Sheet]) -> int:
    """Write ``sheets`` as one .xlsx to ``target``; returns the number of data rows written.

    ``target`` is a path (written atomically: a temporary file in the same folder, renamed
    into place only once complete) or a binary file object opened for writing.
    """
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    total = 0
    for sheet in sheets:
        total += _SheetWriter(workbook, sheet, sheet_title(sheet.title, used)).write()
    if not used:  # an .xlsx needs at least one sheet
        workbook.create_sheet(title="Data")
    if isinstance(target, str | os.PathLike):
        path = Path(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                workbook.save(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    else:
        workbook.save(target)
    return total


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """An .xlsx download for a request: written to a temporary file, then streamed from it.

    Meant for files small enough to build within a request (a page of rows); larger exports
    run as background jobs.
    """
    handle: Any = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    try:
        write_workbook(handle, sheets)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def write_bare(target: str | os.PathLike[str] | IO[bytes], sheets: Iterable[Sheet]) -> int:
    """The same cells written by bare openpyxl write-only mode: plain values, no formats,
    widths, frozen row, filter or formula escaping, not atomic. The benchmark's baseline for
    :func:`write_workbook` (docs/exports.md); never used for a real export."""
    workbook = Workbook(write_only=True)
    total = 0
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet_title(sheet.title))
        ws.append(sheet.headers)
        for row in sheet.rows:
            ws.append(list(row))
            total += 1
    if not workbook.worksheets:
        workbook.create_sheet(title="Data")
    workbook.save(target)
    return total
