"""Numbers as people write them: one parser and one formatter for the whole portal.

In Indonesian `.` groups thousands and `,` marks decimals (`1.200,5`); in English the reverse
(`1,200.5`). A comma-delimited CSV file cannot use `,` inside a number, so there `.` is the
decimal point and nothing groups. A `.` or `,` that could be read either way (`1.5` in
Indonesian, `1,20`, `1.234,5` in English) is refused, never guessed: a misread target changes
a score without anyone noticing.

Forms, htmx saves and import cells all parse through :func:`parse_number`; templates, the
breakdown and the audit trail all print through :func:`format_number`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum

from django.utils import translation


class Style(StrEnum):
    ID = "id"  # 1.200,5
    EN = "en"  # 1,200.5
    PLAIN = "plain"  # 1200.5: comma-delimited CSV


_MARKS = {Style.ID: (".", ","), Style.EN: (",", "."), Style.PLAIN: ("", ".")}
# Longer text is no number anyone types; refusing it first keeps conversion cheap.
MAX_LENGTH = 40


class NumberError(ValueError):
    """The text is not a number in the expected style; ``str()`` is the message to show."""


def hint(style: Style) -> str:
    if style == Style.PLAIN:
        return "Gunakan titik sebagai pemisah desimal tanpa pemisah ribuan, misalnya 1200 atau 12.5"
    if style == Style.EN:
        return "Use a comma for thousands and a point for decimals, for example 1,200 or 12.5"
    return "Gunakan titik untuk ribuan dan koma untuk desimal, misalnya 1.200 atau 12,5"


def style_for(language: str | None = None) -> Style:
    """The style of the active language (Indonesian unless English is chosen)."""
    language = language or translation.get_language() or "id"
    return Style.EN if language.startswith("en") else Style.ID


def parse_number(text: str | None, *, style: Style | str | None = None) -> Decimal | None:
    """``"1.200,5"`` → ``Decimal("1200.5")``; blank → ``None``; anything else raises
    :class:`NumberError`. Negative numbers parse (callers decide whether they are allowed);
    exponents, NaN, infinity and non-ASCII digits do not."""
    style = Style(style) if style else style_for()
    raw = (text or "").strip().replace("\u00a0", "")
    if not raw:
        return None
    if len(raw) > MAX_LENGTH:
        raise NumberError(_not_a_number(style))
    sign = ""
    if raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:]
    group, point = _MARKS[style]
    if not re.fullmatch(r"[0-9.,]+", raw) or not re.search(r"[0-9]", raw):
        raise NumberError(_not_a_number(style))
    whole, has_point, fraction = raw.partition(point)
    if has_point and not fraction.isdigit():  # "12," or a second mark after the point
        raise NumberError(hint(style))
    if group and group in whole:
        parts = whole.split(group)
        if not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
            raise NumberError(hint(style))
        whole = "".join(parts)
    if whole and not whole.isdigit():
        raise NumberError(hint(style))
    return Decimal(f"{sign}{whole or '0'}" + (f".{fraction}" if fraction else ""))


def _not_a_number(style: Style) -> str:
    if style == Style.EN:
        return "Must be a number, for example 1,200 or 12.5"
    return "Harus berupa angka, misalnya 1.200 atau 12,5"


def format_number(
    value, places: int = 4, *, fixed: bool = False, style: Style | str | None = None
) -> str:
    """A number as people read it, without padding zeros: ``Decimal("1200.5000")`` →
    ``"1.200,5"`` in Indonesian, ``"1,200.5"`` in English; ``fixed`` keeps all ``places``
    (scores: ``98,60``). ``None`` and ``""`` → ``""``; text that is no number is returned
    unchanged."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not number.is_finite():
        return str(value)
    style = Style(style) if style else style_for()
    number = number.quantize(Decimal(1).scaleb(-int(places)))
    if number == 0:
        number = abs(number)  # never "-0"
    text = f"{number:f}" if fixed else f"{number.normalize():f}"
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    group, point = _MARKS[style]
    if group:
        whole = f"{int(whole):,}".replace(",", group)
    return f"{sign}{whole}{point + fraction if fraction else ''}"
