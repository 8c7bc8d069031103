"""Identity and rank rules (NIP, golongan: see docs/imports.md), as plain functions.

They raise ``django.core.exceptions.ValidationError`` with Indonesian messages so that forms,
imports and services report the same words. No database access here.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

PNS_GOLONGAN = tuple(
    f"{roman}/{letter}"
    for roman, letters in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for letter in letters
)
PPPK_GOLONGAN = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip

_PNS_GOLONGAN_RE = re.compile(r"^(IV|I{1,3})\s*/\s*([A-E])$")
_PPPK_GOLONGAN_BY_UPPER = {g: g for g in PPPK_GOLONGAN}


def clean_nip_text(raw: str) -> str:
    """Strip what spreadsheets add around a NIP: spaces (also non-breaking and zero-width
    ones) and a leading apostrophe (Excel's text marker, or its typographic twin)."""
    return re.sub(r"[\s\u200b\u200c\u200d\u2060\ufeff]+", "", str(raw or "")).lstrip(
        "'\u2018\u2019`"
    )


def _parse_date(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def validate_nip(
    nip: str,
    *,
    asn_status: str,
    birth_date: dt.date | None,
    gender: str | None,
    today: dt.date | None = None,
) -> str:
    """Return the normalised NIP (PNS) or NI PPPK, or raise ValidationError.

    NIP PNS: ``YYYYMMDD YYYYMM G NNN`` (Perka BKN 22/2007). NI PPPK: only the birth date part
    is defined, so only that is checked. With another ``asn_status`` (not known yet), only what
    both share is checked; a ``birth_date`` or ``gender`` of ``None`` skips its comparison.
    """
    nip = clean_nip_text(nip)
    label = "NI PPPK" if asn_status == "PPPK" else "NIP"
    if not re.fullmatch(r"[0-9]{18}", nip):
        raise ValidationError(f"{label} harus terdiri dari 18 digit angka")
    born = _parse_date(nip[0:8])
    if born is None:
        raise ValidationError(f"{label}: digit 1-8 bukan tanggal lahir yang valid (YYYYMMDD)")
    if birth_date is not None and born != birth_date:
        raise ValidationError(
            f"{label}: digit 1-8 ({born:%d-%m-%Y}) tidak sama dengan tanggal lahir "
            f"({birth_date:%d-%m-%Y})"
        )
    if asn_status != "PNS":
        return nip

    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12 or tmt_year < 1900:
        raise ValidationError("NIP: digit 9-14 bukan bulan TMT CPNS yang valid (YYYYMM)")
    today = today or dt.date.today()
    if (tmt_year, tmt_month) > (today.year, today.month):
        raise ValidationError("NIP: TMT CPNS (digit 9-14) tidak boleh setelah bulan ini")
    if (tmt_year * 12 + tmt_month) - (born.year * 12 + born.month) < 18 * 12:
        raise ValidationError(
            "NIP: TMT CPNS (digit 9-14) harus sedikitnya 18 tahun setelah bulan lahir"
        )
    if nip[14] not in "12":
        raise ValidationError("NIP: digit 15 (jenis kelamin) harus 1 (L) atau 2 (P)")
    if gender and {"1": "L", "2": "P"}[nip[14]] != gender:
        raise ValidationError("NIP: digit 15 (jenis kelamin) tidak sesuai dengan jenis kelamin")
    if nip[15:18] == "000":
        raise ValidationError("NIP: digit 16-18 (nomor urut) harus 001-999")
    return nip


def normalize_golongan(raw: str, *, asn_status: str) -> str:
    """``iii / A`` → ``III/a`` for PNS; ``ix`` → ``IX`` for PPPK; anything else is an error."""
    text = re.sub(r"\s+", " ", str(raw or "")).strip().upper()
    if asn_status == "PNS":
        match = _PNS_GOLONGAN_RE.match(text)
        value = f"{match[1]}/{match[2].lower()}" if match else ""
        if value not in PNS_GOLONGAN:
            raise ValidationError(
                f"golongan PNS tidak dikenal: {raw!s}; gunakan I/a-I/d, II/a-II/d, "
                "III/a-III/d atau IV/a-IV/e"
            )
        return value
    if asn_status == "PPPK":
        value = _PPPK_GOLONGAN_BY_UPPER.get(text)
        if value is None:
            raise ValidationError(f"golongan PPPK tidak dikenal: {raw!s}; gunakan I-XVII")
        return value
    raise ValidationError("status ASN harus PNS atau PPPK")


PANGKAT_BY_GOLONGAN = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I", "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata", "III/d": "Penata Tingkat I", "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda", "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}  # fmt: skip
