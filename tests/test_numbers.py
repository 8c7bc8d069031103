"""One number parser for every form, autosave and import cell, and one formatter for every
page: Indonesian marks (1.200,5) in Indonesian, English marks in English."""

from decimal import Decimal

import pytest
from django.utils import translation

from agencies.importing import cells
from agencies.importing.reader import RawCell
from asn_portal.forms import NumberField
from asn_portal.numbers import NumberError, Style, format_number, hint, parse_number

ID_HINT = "Gunakan titik untuk ribuan dan koma untuk desimal, misalnya 1.200 atau 12,5"
NOT_A_NUMBER = "Harus berupa angka, misalnya 1.200 atau 12,5"

ID_CASES = [
    ("1.200", Decimal("1200")),
    ("1.200,5", Decimal("1200.5")),
    ("12,5", Decimal("12.5")),
    ("1200", Decimal("1200")),
    ("1.234.567,89", Decimal("1234567.89")),
    ("0,25", Decimal("0.25")),
    (",5", Decimal("0.5")),
    ("  95,5 ", Decimal("95.5")),
    ("-3,5", Decimal("-3.5")),
    ("+7", Decimal("7")),
    ("123456789012345678", Decimal("123456789012345678")),
    ("", None),
    ("   ", None),
    (None, None),
]
ID_AMBIGUOUS = [
    "1.5",
    "1.20",
    "1.2000",
    "12.",
    "12,",
    "1,234.5",
    "1,2,3",
    "1..200",
    ".5",
    "1.200.5",
]
NOT_NUMBERS = [
    "abc",
    "1e5",
    "1E5",
    "NaN",
    "nan",
    "inf",
    "Infinity",
    "-",
    "12a",
    "²",
    "١٢",
    "9" * 50,
]


@pytest.mark.parametrize(("text", "expected"), ID_CASES)
def test_indonesian_marks_parse(text, expected):
    assert parse_number(text, style=Style.ID) == expected


@pytest.mark.parametrize("text", ID_AMBIGUOUS)
def test_a_mark_that_reads_two_ways_is_refused_with_the_hint(text):
    with pytest.raises(NumberError) as exc:
        parse_number(text, style=Style.ID)
    assert str(exc.value) == ID_HINT


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_what_is_no_number_is_refused(text):
    with pytest.raises(NumberError) as exc:
        parse_number(text, style=Style.ID)
    assert str(exc.value) == NOT_A_NUMBER


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,200", Decimal("1200")), ("1,200.5", Decimal("1200.5")), ("12.5", Decimal("12.5")),
     ("1.5", Decimal("1.5")), ("1200", Decimal("1200"))],
)  # fmt: skip
def test_english_marks_are_the_reverse(text, expected):
    assert parse_number(text, style=Style.EN) == expected


@pytest.mark.parametrize("text", ["12,5", "1,20", "1.200,5"])
def test_english_refuses_indonesian_decimals(text):
    with pytest.raises(NumberError, match="Use a comma for thousands and a point for decimals"):
        parse_number(text, style=Style.EN)


def test_a_comma_delimited_csv_uses_a_point_for_decimals_and_no_grouping():
    assert parse_number("1.200", style=Style.PLAIN) == Decimal("1.2")
    assert parse_number("12.5", style=Style.PLAIN) == Decimal("12.5")
    with pytest.raises(NumberError) as exc:
        parse_number("1,200", style=Style.PLAIN)
    assert str(exc.value) == hint(Style.PLAIN)


def test_the_active_language_chooses_the_style():
    with translation.override("id"):
        assert parse_number("1.200") == 1200
    with translation.override("en"):
        assert parse_number("1.200") == Decimal("1.2")


@pytest.mark.parametrize(
    ("value", "places", "indonesian", "english"),
    [
        (Decimal("1200.5000"), 4, "1.200,5", "1,200.5"),
        (Decimal("103.57"), 2, "103,57", "103.57"),
        (Decimal("1234567.891"), 2, "1.234.567,89", "1,234,567.89"),
        ("98.6", 4, "98,6", "98.6"),
        (0, 4, "0", "0"),
        (Decimal("-0.0001"), 2, "0", "0"),
        (Decimal("-1500"), 4, "-1.500", "-1,500"),
        (None, 4, "", ""),
        ("", 4, "", ""),
        ("teks", 4, "teks", "teks"),
    ],
)
def test_numbers_are_shown_as_people_write_them(value, places, indonesian, english):
    assert format_number(value, places, style=Style.ID) == indonesian
    assert format_number(value, places, style=Style.EN) == english


def test_scores_keep_two_decimals():
    assert format_number(Decimal("98.6"), 2, fixed=True, style=Style.ID) == "98,60"


def test_what_is_shown_parses_back_to_the_same_number():
    for value in (Decimal("1200.5"), Decimal("0.0001"), Decimal("987654321.25")):
        for style in (Style.ID, Style.EN):
            assert parse_number(format_number(value, style=style), style=style) == value


def test_the_form_field_parses_and_shows_indonesian_numbers():
    field = NumberField(max_digits=14, decimal_places=4)
    with translation.override("id"):
        assert field.clean("1.200,5") == Decimal("1200.5")
        assert field.prepare_value(Decimal("1200.5000")) == "1.200,5"
        with pytest.raises(Exception, match="Gunakan titik untuk ribuan"):
            field.clean("1.5")
        with pytest.raises(Exception, match="lebih besar"):
            NumberField(positive=True, max_digits=5, decimal_places=2).clean("0")
        with pytest.raises(Exception, match="Harus berupa angka"):
            field.clean("1e5")


def text_cell(value, *, decimal_comma=True):
    return RawCell(value=value, numeric=False, decimal_comma=decimal_comma)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (RawCell(value=1200.5, numeric=True), Decimal("1200.5")),  # an Excel number cell
        (RawCell(value=7, numeric=True), Decimal("7")),
        (text_cell("1.200"), Decimal("1200")),  # .xlsx text, or a ";" csv
        (text_cell("1.200,5"), Decimal("1200.5")),
        (text_cell("12,5"), Decimal("12.5")),
        (text_cell("12.5", decimal_comma=False), Decimal("12.5")),  # a "," csv
        (text_cell("1.200", decimal_comma=False), Decimal("1.2")),
    ],
)
def test_import_cells_follow_the_file_convention(cell, expected):
    assert cells.decimal(cell) == expected


def test_an_ambiguous_import_cell_is_a_row_error_with_the_hint():
    with pytest.raises(cells.CellError) as exc:
        cells.decimal(text_cell("1.5"))
    assert str(exc.value) == ID_HINT


@pytest.mark.parametrize("text", ["1e400000", "NaN", "abc", "9" * 60])
def test_an_import_cell_that_is_no_number_fails_fast(text):
    with pytest.raises(cells.CellError, match="harus berupa angka|angka terlalu"):
        cells.decimal(text_cell(text))
    with pytest.raises(cells.CellError, match="harus berupa bilangan bulat"):
        cells.whole_number(text_cell(text))


def test_an_excel_number_cell_that_overflowed_is_refused():
    with pytest.raises(cells.CellError):
        cells.decimal(RawCell(value=float("inf"), numeric=True))


def test_the_csv_reader_marks_cells_by_delimiter():
    from agencies.importing.reader import read_sheet

    semicolon = read_sheet(b"Target;Bobot\n1.200;12,5\n", "indikator.csv")
    comma = read_sheet(b"Target,Bobot\n1.5,12\n", "indikator.csv")
    assert [cells.decimal(c) for c in semicolon.rows[0].cells] == [Decimal(1200), Decimal("12.5")]
    assert [cells.decimal(c) for c in comma.rows[0].cells] == [Decimal("1.5"), Decimal(12)]
