"""The import pipeline shared by every file kind: read, map headers, validate all, then write.

Nothing is written unless every row is valid; the write runs in one transaction. Views and
management commands both call :func:`run_import`, so they report the same errors.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction

from asn_portal.db import analyze

from . import cells
from .reader import ImportFileError, RawCell, read_sheet

REQUIRED = "wajib diisi"
_HINT = re.compile(r"\s*\([^()]*\)\s*\*?$|\s*\*$")  # a trailing "(L/P)" or "*" (required)
MISSING_COLUMN = "kolom wajib tidak ditemukan"
# Names and titles are shown and exported everywhere: one that a spreadsheet would run as a
# formula is refused at the door (exports escape any other text that starts like one).
FORMULA_NAME = "tidak boleh diawali =, +, -, atau @ (dapat dijalankan sebagai rumus spreadsheet)"
_NAME_HEADERS = ("Nama", "Gelar")
NUL_CHARACTER = "berisi karakter NUL (\\x00) yang tidak diizinkan; hapus karakter tersebut"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    optional: bool = False  # a blank cell is allowed
    as_text: bool = False  # written as a text cell in templates and exports (NIP, codes)
    required_column: bool = True  # False: the column itself may be absent from the file
    max_length: int | None = None  # the model field's length: longer text is a row error


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    header: str
    message: str

    def __str__(self) -> str:
        return f"Baris {self.row}, kolom {self.header}: {self.message}"


@dataclass
class Row:
    number: int
    cells: dict[str, RawCell]

    def cell(self, header: str) -> RawCell:
        return self.cells.get(header, RawCell(value=None, numeric=False))

    def is_blank(self, header: str) -> bool:
        value = self.cell(header).value
        return value is None or (isinstance(value, str) and value.strip() == "")

    def text(self, header: str) -> str:
        return cells.text(self.cell(header))


class ErrorLog:
    """Collects row errors; one error per cell is enough to tell the user what to fix."""

    def __init__(self, column_order: list[str] | None = None) -> None:
        self._errors: dict[tuple[int, str], RowError] = {}
        self._order = {header: i for i, header in enumerate(column_order or [])}

    def add(self, row: int, header: str, message: str) -> None:
        self._errors.setdefault((row, header), RowError(row, header, message))

    def has(self, row: int, header: str) -> bool:
        return (row, header) in self._errors

    def __bool__(self) -> bool:
        return bool(self._errors)

    def __len__(self) -> int:
        return len(self._errors)

    def sorted(self) -> list[RowError]:
        """By row, then in the order of the columns in the contract (as a person reads)."""
        last = len(self._order)
        return sorted(
            self._errors.values(),
            key=lambda e: (e.row, self._order.get(e.header, last), e.header, e.message),
        )


@dataclass
class ImportContext:
    """Who imports into which region. ``agency_ids`` restricts an Admin HR to their agencies;
    ``None`` means region-wide authority (Admin Daerah, management commands)."""

    region: Any  # agencies.models.Region, or None for the agencies file
    agency_ids: frozenset[int] | None = None
    user: Any = None
    today: dt.date = field(default_factory=dt.date.today)
    # The agencies file names its own region; ``import_agencies --region X`` (or an Admin
    # Daerah's page, through ``region``) restricts it to that one, which may not exist yet.
    region_code: str | None = None
    # The ImportRun being written, named by the audit entries of the rows it changes.
    import_run: Any = None

    @property
    def region_wide(self) -> bool:
        return self.agency_ids is None


@dataclass
class ImportResult:
    errors: list[RowError]
    rows: int = 0
    created: int = 0
    updated: int = 0
    applied: bool = False
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated, **self.details}


class ImportSpec(ABC):
    """One file kind. Subclasses declare columns and implement ``validate`` and ``apply``."""

    kind: ClassVar[str]
    title: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    region_from_file: ClassVar[bool] = False  # the agencies file names its own region
    region_wide_only: ClassVar[bool] = False  # only the Admin Daerah may import it
    do_not_call_in_templates: ClassVar[bool] = True  # a page shows the class, not an instance
    # A filled-in file that imports cleanly, offered on the import page next to the template.
    example_file: ClassVar[Path | None] = None
    # The models whose tables a large import rewrites; their planner statistics are
    # refreshed after it commits (``asn_portal.db.analyze``, PostgreSQL only).
    written_models: ClassVar[tuple[Any, ...]] = ()

    def __init__(self, context: ImportContext) -> None:
        self.context = context
        self.errors = ErrorLog(self.headers())

    # --- helpers for subclasses -----------------------------------------------------------
    def parse(self, row: Row, header: str, parser: Callable[[RawCell], Any]) -> Any:
        """Parse a non-blank cell, logging its error; ``None`` when blank or invalid."""
        if row.is_blank(header) or self.errors.has(row.number, header):
            return None
        try:
            return parser(row.cell(header))
        except cells.CellError as exc:
            self.errors.add(row.number, header, str(exc))
        except ValidationError as exc:
            self.errors.add(row.number, header, "; ".join(exc.messages))
        return None

    def error(self, row: Row | int, header: str, message: str) -> None:
        number = row if isinstance(row, int) else row.number
        self.errors.add(number, header, message)

    def check_duplicates(self, rows: list[Row], key: Callable[[Row], Any], header: str) -> None:
        """A key seen twice is an error on its second row, naming the first."""
        seen: dict[Any, int] = {}
        for row in rows:
            value = key(row)
            if value in (None, "", ()):
                continue
            if value in seen:
                self.error(row, header, f"duplikat dengan baris {seen[value]}")
            else:
                seen[value] = row.number

    # --- the pipeline ---------------------------------------------------------------------
    @abstractmethod
    def validate(self, rows: list[Row]) -> Any:
        """Check every row (errors go to ``self.errors``) and return the plan to write."""

    @abstractmethod
    def apply(self, plan: Any, result: ImportResult) -> None:
        """Write the plan; runs inside the import's transaction, only when no row failed."""

    def preview(self, plan: Any, result: ImportResult) -> None:
        """Fill ``result.created``/``updated`` for a dry run without writing."""
        result.created = len(getattr(plan, "creates", ()))
        result.updated = len(getattr(plan, "updates", ()))

    @classmethod
    def headers(cls) -> list[str]:
        return [c.header for c in cls.columns]

    @staticmethod
    def header_key(header: str) -> str:
        """Trimmed, case-insensitive; runs of inner spaces (non-breaking ones, or a line
        break typed with Alt+Enter) count as one space."""
        return re.sub(r"\s+", " ", header).strip().casefold()

    def map_rows(self, headers: list[str], sheet_rows) -> list[Row] | None:
        index: dict[str, int] = {}
        wanted = {self.header_key(c.header): c.header for c in self.columns}
        keys = [self.header_key(h) for h in headers]
        # Exact headers first; then, for a column still missing, a header that explains itself
        # as templates made in HR offices do ("Jenis Kelamin (L/P)", "NIP *"). So "NIP (lama)"
        # never shadows a "NIP" column further right.
        for candidates in (keys, [_HINT.sub("", k).strip() for k in keys]):
            for position, key in enumerate(candidates):
                canonical = wanted.get(key)
                if canonical and canonical not in index and position not in index.values():
                    index[canonical] = position
        for column in self.columns:
            if column.required_column and column.header not in index:
                self.error(1, column.header, MISSING_COLUMN)
        if self.errors:
            return None
        rows = []
        empty = RawCell(value=None, numeric=False)
        for sheet_row in sheet_rows:
            mapped = {
                header: sheet_row.cells[pos] if pos < len(sheet_row.cells) else empty
                for header, pos in index.items()
            }
            row = Row(number=sheet_row.number, cells=mapped)
            if all(row.is_blank(header) for header in index):
                # Blank in every column of the contract (e.g. only a pre-filled "No" column
                # or formatting): a blank row, skipped like one.
                continue
            for column in self.columns:
                if "\x00" in row.text(column.header):
                    # PostgreSQL cannot store it: refused here rather than failing at write.
                    self.error(row, column.header, NUL_CHARACTER)
                elif row.is_blank(column.header):
                    if not column.optional:
                        self.error(row, column.header, REQUIRED)
                elif column.max_length and len(row.text(column.header)) > column.max_length:
                    self.error(row, column.header, f"paling banyak {column.max_length} karakter")
                elif column.header.startswith(_NAME_HEADERS) and row.text(column.header).startswith(
                    _FORMULA_STARTS
                ):
                    self.error(row, column.header, FORMULA_NAME)
            rows.append(row)
        return rows


REGISTRY: dict[str, type[ImportSpec]] = {}


def register(spec: type[ImportSpec]) -> type[ImportSpec]:
    REGISTRY[spec.kind] = spec
    return spec


# Below this many rows the statistics PostgreSQL already has stay good enough.
ANALYZE_AFTER_ROWS = 1000


def run_import(
    spec_class: type[ImportSpec],
    data: bytes,
    filename: str,
    context: ImportContext,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Validate the whole file; write it atomically unless ``dry_run`` or any row is invalid.

    Raises ``ImportFileError`` when the file itself cannot be read (usage error, exit 2).
    ``progress(done, 100)`` is told how far the steps (read, check, write) have got.
    """

    def step(percent: int) -> None:
        if progress is not None:
            progress(percent, 100)

    sheet = read_sheet(data, filename)
    step(20)
    spec = spec_class(context)
    rows = spec.map_rows(sheet.headers, sheet.rows)
    result = ImportResult(errors=[], rows=len(rows or []))
    if rows is None:
        result.errors = spec.errors.sorted()
        return result
    step(30)
    plan = spec.validate(rows)
    step(70 if not dry_run else 95)
    if spec.errors:
        result.errors = spec.errors.sorted()
        return result
    if dry_run:
        spec.preview(plan, result)
        return result
    with transaction.atomic():
        spec.apply(plan, result)
        if len(rows) >= ANALYZE_AFTER_ROWS and spec.written_models:
            transaction.on_commit(lambda: analyze(*spec.written_models))
    result.applied = True
    step(95)
    return result


__all__ = [
    "Column",
    "ImportContext",
    "ImportFileError",
    "ImportResult",
    "ImportSpec",
    "REGISTRY",
    "Row",
    "RowError",
    "register",
    "run_import",
]
