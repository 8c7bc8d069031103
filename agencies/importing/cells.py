"""Parse one cell. Each parser returns a value or raises ``CellError`` with Indonesian text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from asn_portal.numbers import NumberError, Style, hint, parse_number

from ..validators import clean_nip_text
from .reader import RawCell


class CellError(Exception):
    pass


NIP_AS_NUMBER = "NIP tersimpan sebagai angka; format kolom sebagai Teks"
_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")


def text(cell: RawCell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


def nip(cell: RawCell) -> str:
    """A NIP must arrive as text: a number loses digits or shows as 1.98503E+17.

    A csv has no cell types, so there only the scientific notation Excel wrote betrays it.
    """
    if cell.numeric:
        raise CellError(NIP_AS_NUMBER)
    cleaned = clean_nip_text(text(cell))
    if _SCIENTIFIC.match(cleaned):
        raise CellError(NIP_AS_NUMBER)
    return cleaned


_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def date(cell: RawCell) -> dt.date:
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(cell)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError("tanggal tidak valid; gunakan dd-mm-yyyy, dd/mm/yyyy atau yyyy-mm-dd")


def month(cell: RawCell) -> dt.date:
    """A period ``yyyy-mm``, or an Excel date whose day is ignored; returns the 1st."""
    value = cell.value
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, 1)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text(cell))
    if match and 1 <= int(match[2]) <= 12:
        return dt.date(int(match[1]), int(match[2]), 1)
    raise CellError("periode tidak valid; gunakan yyyy-mm")


# No number of the contract reaches 10^15: a larger magnitude, or a longer text, is refused
# before any conversion (``1e400000`` would otherwise build a 400,000-digit integer).
MAX_MAGNITUDE_DIGITS = 15
TOO_LARGE = "angka terlalu besar"
_EXPONENT = re.compile(r"[eE]([+-]?)(\d+)$")


def check_magnitude(cell: RawCell) -> None:
    """Refuse a number too long or too large, from its text, before converting it."""
    value = cell.value
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        if value != value or abs(value) >= 10**MAX_MAGNITUDE_DIGITS:  # NaN or too large
            raise CellError(TOO_LARGE)
        return
    raw = text(cell)
    if len(raw) > 40 or sum(c.isdigit() for c in raw) > 30:
        raise CellError("angka terlalu panjang")
    exponent = _EXPONENT.search(raw)
    if exponent and int(exponent[2]) > MAX_MAGNITUDE_DIGITS:
        raise CellError(TOO_LARGE if exponent[1] != "-" else "angka terlalu kecil")


def decimal(cell: RawCell) -> Decimal:
    """A number cell: an Excel number as it is, text through the portal's one number parser
    (Indonesian marks, or "." for decimals in a ","-delimited csv)."""
    check_magnitude(cell)
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        result = Decimal(str(value))
        if not result.is_finite():
            raise CellError("harus berupa angka")
        return result
    style = Style.ID if cell.decimal_comma else Style.PLAIN
    try:
        result = parse_number(text(cell), style=style)
    except NumberError as exc:
        # An ambiguous mark says how to write it; anything else is simply no number.
        raise CellError(str(exc) if str(exc) == hint(style) else "harus berupa angka") from None
    if result is None:
        raise CellError("harus berupa angka")
    return result


def whole_number(cell: RawCell, *, minimum: int | None = 0) -> int:
    try:
        value = decimal(cell)
    except CellError as exc:
        raise CellError("harus berupa bilangan bulat") from exc
    if value != value.to_integral_value():
        raise CellError("harus berupa bilangan bulat")
    number = int(value)
    if minimum is not None and number < minimum:
        raise CellError(f"harus bilangan bulat ≥ {minimum}")
    return number


def choice(cell: RawCell, options: dict[str, str], label: str) -> str:
    """Match case-insensitively against ``options`` (lowercased input → stored value)."""
    key = re.sub(r"\s+", " ", text(cell)).strip().lower()
    if key in options:
        return options[key]
    allowed = ", ".join(sorted(set(options.values())))
    raise CellError(f"{label} tidak dikenal: {text(cell)}; pilihan: {allowed}")
