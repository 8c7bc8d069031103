"""NIP PNS, NI PPPK and golongan rules (docs/imports.md), without the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from agencies.importing import cells
from agencies.importing.reader import RawCell
from agencies.validators import (
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    clean_nip_text,
    normalize_golongan,
    validate_nip,
)

TODAY = dt.date(2025, 6, 15)
BIRTH = dt.date(1985, 3, 12)
NIP = "198503122010011003"  # born 12-03-1985, TMT CPNS 2010-01, L, serial 003


def pns(nip: str, *, birth=BIRTH, gender="L", today=TODAY) -> str:
    return validate_nip(nip, asn_status="PNS", birth_date=birth, gender=gender, today=today)


def pppk(nip: str, *, birth=BIRTH, gender="L") -> str:
    return validate_nip(nip, asn_status="PPPK", birth_date=birth, gender=gender, today=TODAY)


def rejection(func, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return "; ".join(info.value.messages)


# --- NIP PNS ------------------------------------------------------------------------------


def test_a_valid_nip_is_returned_as_its_18_digits():
    assert pns(NIP) == NIP


def test_nip_written_in_groups_with_spaces_is_accepted_without_them():
    assert pns("19850312 201001 1 003") == NIP


def test_nip_with_non_breaking_spaces_and_leading_apostrophe_is_cleaned():
    assert pns("'19850312\xa0201001\xa01\xa0003 ") == NIP


@pytest.mark.parametrize("nip", ["19850312201001100", "1985031220100110031", "19850312201001100X"])
def test_nip_that_is_not_18_digits_is_rejected(nip):
    assert "18 digit" in rejection(pns, nip)


def test_nip_with_non_ascii_digits_is_rejected():
    assert "18 digit" in rejection(pns, "１９８５０３１２２０１００１１００３")


def test_nip_whose_first_8_digits_are_not_a_real_date_is_rejected():
    assert "digit 1-8" in rejection(pns, "198502302010011003", birth=None)


def test_nip_born_on_29_february_of_a_leap_year_is_accepted():
    birth = dt.date(1984, 2, 29)
    assert pns("198402292010011003", birth=birth) == "198402292010011003"


def test_nip_born_on_29_february_2000_is_accepted_because_2000_is_a_leap_year():
    birth = dt.date(2000, 2, 29)
    assert pns("200002292020011003", birth=birth) == "200002292020011003"


@pytest.mark.parametrize("nip", ["198502292010011003", "190002291930011003"])
def test_nip_born_on_29_february_of_a_non_leap_year_is_rejected(nip):
    assert "digit 1-8" in rejection(pns, nip, birth=None)


def test_nip_birth_digits_must_equal_the_birth_date():
    message = rejection(pns, NIP, birth=dt.date(1985, 3, 13))
    assert "tidak sama dengan tanggal lahir" in message


@pytest.mark.parametrize("tmt", ["201013", "201000", "189912"])
def test_nip_whose_digits_9_to_14_are_not_a_real_year_month_is_rejected(tmt):
    assert "digit 9-14" in rejection(pns, f"19850312{tmt}1003")


def test_nip_with_tmt_in_the_current_month_is_accepted():
    assert pns("198503122025061003") == "198503122025061003"


def test_nip_with_tmt_after_the_current_month_is_rejected():
    assert "setelah bulan ini" in rejection(pns, "198503122025071003")


def test_nip_with_tmt_exactly_18_years_after_the_birth_month_is_accepted():
    assert pns("198503122003031003") == "198503122003031003"


def test_nip_with_tmt_one_month_short_of_18_years_after_birth_is_rejected():
    assert "18 tahun" in rejection(pns, "198503122003021003")


def test_the_18_years_count_whole_months_whatever_the_birth_day():
    birth = dt.date(1985, 3, 31)
    assert pns("198503312003031003", birth=birth) == "198503312003031003"


@pytest.mark.parametrize("digit", ["0", "3", "9"])
def test_nip_digit_15_other_than_1_or_2_is_rejected(digit):
    assert "digit 15" in rejection(pns, f"19850312201001{digit}003")


def test_nip_digit_15_must_match_the_gender():
    assert "tidak sesuai dengan jenis kelamin" in rejection(pns, NIP, gender="P")
    assert pns("198503122010012003", gender="P") == "198503122010012003"


def test_nip_serial_000_is_rejected():
    assert "001-999" in rejection(pns, "198503122010011000")


@pytest.mark.parametrize("serial", ["001", "500", "999"])
def test_nip_serial_from_001_to_999_is_accepted(serial):
    assert pns(f"198503122010011{serial}") == f"198503122010011{serial}"


# --- NI PPPK ------------------------------------------------------------------------------


@pytest.mark.parametrize("rest", ["0000000000", "9999999999", "2023219001", "1999130000"])
def test_ni_pppk_digits_after_the_birth_date_are_not_validated(rest):
    assert pppk(f"19850312{rest}") == f"19850312{rest}"


def test_ni_pppk_must_have_18_digits():
    assert rejection(pppk, "1985031220232110").startswith("NI PPPK harus terdiri dari 18 digit")


def test_ni_pppk_first_8_digits_must_be_a_real_date():
    assert "digit 1-8" in rejection(pppk, "198502292023211001", birth=None)


def test_ni_pppk_first_8_digits_must_equal_the_birth_date():
    assert "tidak sama dengan tanggal lahir" in rejection(
        pppk, "198503122023211001", birth=dt.date(1985, 12, 3)
    )


def test_ni_pppk_digit_15_need_not_match_the_gender():
    assert pppk("198503122023219001", gender="P") == "198503122023219001"


# --- golongan -----------------------------------------------------------------------------


def test_pns_golongan_are_i_a_to_iv_e():
    assert len(PNS_GOLONGAN) == 17
    assert PNS_GOLONGAN[0] == "I/a" and PNS_GOLONGAN[-1] == "IV/e"
    for golongan in PNS_GOLONGAN:
        assert normalize_golongan(golongan, asn_status="PNS") == golongan


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("iii / A", "III/a"),
        ("III/A", "III/a"),
        ("  iv/e ", "IV/e"),
        ("ii/b", "II/b"),
        ("I / d", "I/d"),
        ("III\xa0/\xa0c", "III/c"),
    ],
)
def test_pns_golongan_input_is_normalised(raw, expected):
    assert normalize_golongan(raw, asn_status="PNS") == expected


@pytest.mark.parametrize("raw", ["III/e", "I/e", "II/e", "V/a", "IV/f", "III", "3/a", "IIIa", ""])
def test_anything_else_is_not_a_pns_golongan(raw):
    assert "golongan PNS tidak dikenal" in rejection(normalize_golongan, raw, asn_status="PNS")


def test_pppk_golongan_are_i_to_xvii():
    assert len(PPPK_GOLONGAN) == 17
    for golongan in PPPK_GOLONGAN:
        assert normalize_golongan(golongan.lower(), asn_status="PPPK") == golongan


@pytest.mark.parametrize("raw", ["XVIII", "0", "9", "III/a", "IIII", ""])
def test_anything_else_is_not_a_pppk_golongan(raw):
    assert "golongan PPPK tidak dikenal" in rejection(normalize_golongan, raw, asn_status="PPPK")


def test_a_pppk_golongan_is_not_a_pns_golongan_and_the_reverse():
    rejection(normalize_golongan, "IX", asn_status="PNS")
    rejection(normalize_golongan, "IV/e", asn_status="PPPK")


# --- NIP cells ----------------------------------------------------------------------------

NIP_AS_NUMBER = "NIP tersimpan sebagai angka; format kolom sebagai Teks"


def test_clean_nip_text_strips_spaces_and_a_leading_apostrophe():
    assert clean_nip_text(" '19850312 201001 1 003 ") == NIP
    assert clean_nip_text("\u201919850312201001\u20091003") == NIP


@pytest.mark.parametrize("value", [198503122010011003, 1.98503122010011e17])
def test_a_numeric_nip_cell_is_rejected_with_text_format_hint(value):
    with pytest.raises(cells.CellError) as info:
        cells.nip(RawCell(value=value, numeric=True))
    assert str(info.value) == NIP_AS_NUMBER


@pytest.mark.parametrize(
    "text", ["1.98503E+17", "1,98503E+17", "1.98503e17", "1.98503E 17", "'1.98503E+17", "2E+17"]
)
def test_a_nip_written_in_scientific_notation_is_rejected_with_text_format_hint(text):
    with pytest.raises(cells.CellError) as info:
        cells.nip(RawCell(value=text, numeric=False))
    assert str(info.value) == NIP_AS_NUMBER


def test_a_text_nip_cell_is_cleaned():
    assert cells.nip(RawCell(value="'19850312 201001 1 003", numeric=False)) == NIP
