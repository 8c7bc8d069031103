"""Importing indicator sets (docs/imports.md): key (Kode Jabatan, Kode Indikator),
weights of one position summing to 100, rubrik without Arah/Target, results grouped by Kode
Hasil, the Admin Daerah only; the same atomic rules, messages and exit statuses as every
import."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.importing.base import REGISTRY
from agencies.importing.writer import write_xlsx
from agencies.models import ImportRun
from indicators.demo import INDICATOR_FILE
from indicators.importing import IndicatorSpec
from indicators.models import Indicator, IndicatorSet, ResultTemplate
from indicators.resources import IndicatorResource

from .factories import PositionFactory, RegionFactory
from .import_files import csv_bytes, messages, run, run_queued_import_jobs, table, xlsx_bytes
from .indicator_files import (
    INDICATOR_ALL_HEADERS,
    INDICATOR_HEADERS,
    call,
    quantitative,
    rubric,
)

NURSE, TEACHER = "JF-PERAWAT", "JF-GURU"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def region(personas):
    PositionFactory(region=personas.region, code=NURSE, name="Perawat Ahli Pertama")
    PositionFactory(region=personas.region, code=TEACHER, name="Guru Ahli Muda")
    return personas.region


def xlsx(rows, headers=INDICATOR_HEADERS) -> bytes:
    return xlsx_bytes(table(headers, rows))


def import_rows(region, rows, headers=INDICATOR_HEADERS, **kwargs):
    return run("indicators", xlsx(rows, headers), region=region, **kwargs)


def nurse_set(**cells):
    """A valid set for the nurse: one quantitative (60) and one rubric (40) indicator."""
    return [quantitative(NURSE, "PR-01", 60, **cells), rubric(NURSE, "PR-02", 40)]


def indicator(code: str, position: str = NURSE) -> Indicator:
    return Indicator.objects.select_related("result").get(
        code=code, indicator_set__position__code=position
    )


# --- a valid file ---------------------------------------------------------------------------


def test_a_valid_file_creates_the_set_its_results_and_indicators(region):
    result = import_rows(region, nurse_set())
    assert result.ok, messages(result)
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    indicator_set = IndicatorSet.objects.get(position__code=NURSE)
    assert indicator_set.region == region
    quant = indicator("PR-01")
    assert (quant.kind, quant.direction, quant.aspect, quant.unit) == (
        "kuantitatif",
        "naik",
        "kuantitas",
        "pasien",
    )
    assert (quant.target, quant.weight) == (Decimal(1200), Decimal(60))
    assert quant.guidance == "Hitung dari register pelayanan harian."
    rub = indicator("PR-02")
    assert (rub.kind, rub.direction, rub.target, rub.weight) == ("rubrik", "", None, Decimal(40))


def test_without_kode_hasil_each_indicator_is_its_own_utama_result(region):
    import_rows(region, nurse_set())
    quant = indicator("PR-01")
    assert (quant.result.code, quant.result.name) == ("PR-01", quant.name)
    assert (quant.result.kind, quant.result.component) == ("utama", "")
    assert ResultTemplate.objects.filter(indicator_set__position__code=NURSE).count() == 2


def test_the_optional_result_columns_may_be_absent_or_present_and_blank(region):
    rows = nurse_set()
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    assert import_rows(region, rows, INDICATOR_HEADERS).ok


def test_headers_match_in_any_order_and_case_and_unknown_columns_are_ignored(region):
    headers = ["no", *[h.upper() for h in reversed(INDICATOR_HEADERS)], "Keterangan"]
    rows = [
        [i, *[row[h] for h in reversed(INDICATOR_HEADERS)], "catatan"]
        for i, row in enumerate(nurse_set(), start=1)
    ]
    result = run("indicators", xlsx_bytes([headers, *rows]), region=region)
    assert result.ok, messages(result)
    assert indicator("PR-01").weight == 60


def test_excel_floats_and_indonesian_decimal_commas_are_read_as_numbers(region):
    rows = [
        quantitative(NURSE, "PR-01", 25.0, Target=1200.0),
        quantitative(NURSE, "PR-02", "25,5", Target="1.234,5"),
        rubric(NURSE, "PR-03", "49,5"),
    ]
    result = import_rows(region, rows)
    assert result.ok, messages(result)
    assert indicator("PR-01").weight == Decimal(25) and indicator("PR-01").target == 1200
    assert indicator("PR-02").weight == Decimal("25.5")
    assert indicator("PR-02").target == Decimal("1234.5")


@pytest.mark.parametrize("text", ["1.234,5", "1234,5"])
def test_a_text_target_with_indonesian_marks_is_read(region, text):
    result = import_rows(region, [quantitative(NURSE, "PR-01", 100, Target=text)])
    assert result.ok, messages(result)
    assert indicator("PR-01").target == Decimal("1234.5")


@pytest.mark.parametrize("text", ["1,234.5", "1234.5", "1.5", "1 234,5"])
def test_a_text_target_that_reads_two_ways_is_a_row_error_and_nothing_is_written(region, text):
    result = import_rows(region, [quantitative(NURSE, "PR-01", 100, Target=text)])
    assert not result.ok
    message = messages(result)[0]
    assert message.startswith("Baris 2, kolom Target: ")
    assert "Gunakan titik untuk ribuan dan koma untuk desimal" in message or (
        "harus berupa angka" in message
    )
    assert not Indicator.objects.exists()


def test_a_semicolon_csv_from_indonesian_excel_with_a_bom_is_imported(region):
    rows = [
        quantitative(NURSE, "PR-01", "60,0", Target="12,5"),
        rubric(NURSE, "PR-02", "40"),
    ]
    content = csv_bytes(table(INDICATOR_HEADERS, rows), delimiter=";", bom=True)
    result = run("indicators", content, "indikator.csv", region=region)
    assert result.ok, messages(result)
    assert indicator("PR-01").target == Decimal("12.5")


def test_choices_ignore_capitalisation(region):
    rows = [
        quantitative(NURSE, "PR-01", 30, Jenis="Kuantitatif", Arah="Naik", Aspek="KUALITAS"),
        quantitative(NURSE, "PR-02", 30, Jenis="KUANTITATIF", Arah="TURUN", Aspek="Waktu"),
        rubric(NURSE, "PR-03", 40, Jenis="Rubrik", Jenis_Hasil="Tambahan"),
    ]
    result = import_rows(region, rows, INDICATOR_ALL_HEADERS)
    assert result.ok, messages(result)
    assert (indicator("PR-01").direction, indicator("PR-01").aspect) == ("naik", "kualitas")
    assert (indicator("PR-02").direction, indicator("PR-02").aspect) == ("turun", "waktu")
    assert indicator("PR-03").result.kind == "tambahan"


def test_a_direction_may_be_written_as_its_label(region):
    rows = [quantitative(NURSE, "PR-01", 100, Arah="Semakin rendah semakin baik")]
    result = import_rows(region, rows)
    assert result.ok, messages(result)
    assert indicator("PR-01").direction == "turun"


def test_a_weight_written_with_a_percent_sign_is_read_as_that_percentage(region):
    rows = [quantitative(NURSE, "PR-01", "60%"), rubric(NURSE, "PR-02", "40 %")]
    content = csv_bytes(table(INDICATOR_HEADERS, rows))
    result = run("indicators", content, "indikator.csv", region=region)
    assert result.ok, messages(result)
    assert indicator("PR-01").weight == 60


def test_two_positions_in_one_file_each_sum_to_100(region):
    rows = [*nurse_set(), quantitative(TEACHER, "PR-01", 100)]
    result = import_rows(region, rows)
    assert result.ok, messages(result)
    assert IndicatorSet.objects.count() == 2
    assert indicator("PR-01", TEACHER).weight == 100


# --- the file as a whole -------------------------------------------------------------------


@pytest.mark.parametrize("missing", INDICATOR_HEADERS)
def test_a_missing_column_rejects_the_file(region, missing):
    headers = [h for h in INDICATOR_HEADERS if h != missing]
    result = import_rows(region, nurse_set(), headers)
    assert messages(result) == [f"Baris 1, kolom {missing}: kolom wajib tidak ditemukan"]
    assert not IndicatorSet.objects.exists()


@pytest.mark.parametrize(
    "header",
    ["Kode Jabatan", "Kode Indikator", "Nama Indikator", "Jenis", "Satuan", "Aspek", "Bobot",
     "Panduan"],
)  # fmt: skip
def test_every_required_cell_must_be_filled(region, header):
    rows = [quantitative(NURSE, "PR-01", 100, **{header.replace(" ", "_"): ""})]
    assert f"Baris 2, kolom {header}: wajib diisi" in messages(import_rows(region, rows))
    assert not Indicator.objects.exists()


def test_one_bad_row_means_nothing_is_written(region):
    rows = [*nurse_set(), quantitative(TEACHER, "GR-01", 100, Aspek="mutu")]
    result = import_rows(region, rows)
    assert messages(result) == [
        "Baris 4, kolom Aspek: Aspek tidak dikenal: mutu; pilihan: biaya, kualitas, kuantitas, "
        "waktu"
    ]
    assert not IndicatorSet.objects.exists()
    assert not ResultTemplate.objects.exists() and not Indicator.objects.exists()


def test_a_dry_run_validates_and_counts_but_writes_nothing(region):
    result = import_rows(region, nurse_set(), dry_run=True)
    assert result.ok and not result.applied
    assert (result.created, result.updated) == (2, 0)
    assert not IndicatorSet.objects.exists()


# --- row rules ----------------------------------------------------------------------------


def test_a_key_twice_in_the_file_is_an_error_on_its_second_row(region):
    rows = [
        quantitative(NURSE, "PR-01", 50),
        quantitative(NURSE.lower(), "pr-01", 50),  # the key ignores case
        quantitative(TEACHER, "PR-01", 100),  # same code, other position: another key
    ]
    assert messages(import_rows(region, rows)) == [
        "Baris 3, kolom Kode Indikator: duplikat dengan baris 2"
    ]


def test_an_unknown_position_code_is_an_error(region):
    rows = [quantitative("JF-ASTRONOT", "X-01", 100)]
    assert messages(import_rows(region, rows)) == [
        "Baris 2, kolom Kode Jabatan: Kode Jabatan tidak ditemukan di katalog jabatan daerah"
    ]


def test_a_position_of_another_region_is_unknown(region):
    PositionFactory(region=RegionFactory(code="1111"), code="JF-LAIN")
    rows = [quantitative("JF-LAIN", "X-01", 100)]
    assert "Kode Jabatan tidak ditemukan" in messages(import_rows(region, rows))[0]


def test_weights_of_a_position_that_do_not_sum_to_100_are_an_error_on_each_of_its_rows(region):
    rows = [
        quantitative(NURSE, "PR-01", 60),
        rubric(NURSE, "PR-02", 30),
        quantitative(TEACHER, "GR-01", 100),
    ]
    message = "jumlah bobot indikator Kode Jabatan JF-PERAWAT adalah 90; harus 100"
    assert messages(import_rows(region, rows)) == [
        f"Baris 2, kolom Bobot: {message}",
        f"Baris 3, kolom Bobot: {message}",
    ]
    assert not IndicatorSet.objects.exists()


def test_weights_count_stored_indicators_of_the_position_that_are_not_in_the_file(region):
    assert import_rows(region, nurse_set()).ok  # PR-01 60, PR-02 40
    # Adding PR-03 (20) alone would make 120 with the two stored indicators.
    rows = [quantitative(NURSE, "PR-03", 20)]
    assert messages(import_rows(region, rows)) == [
        "Baris 2, kolom Bobot: jumlah bobot indikator Kode Jabatan JF-PERAWAT adalah 120 "
        "(termasuk 2 indikator tersimpan yang tidak ada di berkas, bobot 100); harus 100"
    ]
    # Lowering PR-01 to 40 in the same file makes room: 40 + 40 (stored) + 20.
    rows = [quantitative(NURSE, "PR-01", 40), quantitative(NURSE, "PR-03", 20)]
    result = import_rows(region, rows)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (1, 1)
    total = Indicator.objects.filter(indicator_set__position__code=NURSE).aggregate(t=Sum("weight"))
    assert total["t"] == 100
    assert indicator("PR-02").weight == 40  # absent from the file: unchanged


def test_a_weight_total_of_1_hints_at_percent_formatting(region):
    rows = [quantitative(NURSE, "PR-01", 0.6), rubric(NURSE, "PR-02", 0.4)]
    assert messages(import_rows(region, rows))[0].endswith(
        "adalah 1; harus 100 (tulis bobot 25, bukan 25%)"
    )


def test_a_rubric_with_arah_or_target_filled_is_an_error(region):
    rows = [quantitative(NURSE, "PR-01", 60), rubric(NURSE, "PR-02", 40, Arah="naik", Target=5)]
    assert messages(import_rows(region, rows)) == [
        "Baris 3, kolom Arah: harus dikosongkan untuk indikator rubrik",
        "Baris 3, kolom Target: harus dikosongkan untuk indikator rubrik",
    ]


def test_a_quantitative_indicator_needs_arah_and_target(region):
    rows = [quantitative(NURSE, "PR-01", 60, Arah="", Target=""), rubric(NURSE, "PR-02", 40)]
    assert messages(import_rows(region, rows)) == [
        "Baris 2, kolom Arah: wajib diisi untuk indikator kuantitatif",
        "Baris 2, kolom Target: wajib diisi untuk indikator kuantitatif",
    ]


@pytest.mark.parametrize("target", [0, -5, "0,0", "-1"])
def test_a_target_of_zero_or_less_is_an_error(region, target):
    rows = [quantitative(NURSE, "PR-01", 60, Target=target), rubric(NURSE, "PR-02", 40)]
    assert messages(import_rows(region, rows)) == ["Baris 2, kolom Target: harus berupa angka > 0"]


def test_a_weight_of_zero_or_less_is_an_error(region):
    rows = [quantitative(NURSE, "PR-01", 100), rubric(NURSE, "PR-02", 0)]
    assert messages(import_rows(region, rows)) == ["Baris 3, kolom Bobot: harus berupa angka > 0"]


@pytest.mark.parametrize("header", ["Target", "Bobot"])
def test_a_number_cell_with_text_is_an_error(region, header):
    rows = [quantitative(NURSE, "PR-01", 100, **{header: "seratus"})]
    assert messages(import_rows(region, rows)) == [f"Baris 2, kolom {header}: harus berupa angka"]


def test_weights_with_more_than_four_decimals_are_an_error(region):
    # =100/3 in Excel stores 33.333333333333336: it could never sum to exactly 100.
    rows = [quantitative(NURSE, "PR-01", 100 / 3), quantitative(NURSE, "PR-02", 100 / 3)]
    rows.append(rubric(NURSE, "PR-03", 100 / 3))
    assert messages(import_rows(region, rows)) == [
        f"Baris {n}, kolom Bobot: paling banyak 4 angka di belakang koma" for n in (2, 3, 4)
    ]


def test_a_target_too_large_for_the_field_is_an_error(region):
    rows = [quantitative(NURSE, "PR-01", 100, Target=10**10)]
    assert messages(import_rows(region, rows)) == [
        "Baris 2, kolom Target: harus kurang dari 10.000.000.000"
    ]


@pytest.mark.parametrize(
    "header, value, allowed",
    [
        ("Jenis", "kualitatif", "kuantitatif, rubrik"),
        ("Arah", "naik turun", "naik, turun"),
        ("Jenis Hasil", "pokok", "tambahan, utama"),
    ],
)
def test_unknown_choices_are_errors_that_list_the_choices(region, header, value, allowed):
    rows = [quantitative(NURSE, "PR-01", 100, **{header.replace(" ", "_"): value})]
    assert messages(import_rows(region, rows, INDICATOR_ALL_HEADERS)) == [
        f"Baris 2, kolom {header}: {header} tidak dikenal: {value}; pilihan: {allowed}"
    ]


def test_an_unknown_komponen_is_an_error(region):
    rows = [quantitative(NURSE, "PR-01", 100, Komponen="perilaku")]  # not a plan component
    [message] = messages(import_rows(region, rows, INDICATOR_ALL_HEADERS))
    assert message.startswith("Baris 2, kolom Komponen: Komponen tidak dikenal: perilaku; pilihan:")
    assert "kualitas_kerja" in message and "kompetensi_teknis" in message


def test_a_komponen_names_a_plan_component_of_a_preset(region):
    rows = [
        quantitative(NURSE, "PR-01", 50, Komponen="Kompetensi_Teknis"),
        rubric(NURSE, "PR-02", 50, Komponen="sikap"),
    ]
    result = import_rows(region, rows, INDICATOR_ALL_HEADERS)
    assert result.ok, messages(result)
    assert indicator("PR-01").result.component == "kompetensi_teknis"
    assert indicator("PR-02").result.component == "sikap"


def test_a_komponen_may_be_written_as_the_components_name(region):
    rows = [quantitative(TEACHER, "GR-01", 100, Komponen="Kualitas  Kerja")]
    result = import_rows(region, rows, INDICATOR_ALL_HEADERS)
    assert result.ok, messages(result)
    assert indicator("GR-01", TEACHER).result.component == "kualitas_kerja"


def test_text_longer_than_the_field_is_an_error(region):
    rows = [quantitative(NURSE, "P" * 41, 100)]
    assert messages(import_rows(region, rows)) == [
        "Baris 2, kolom Kode Indikator: paling banyak 40 karakter"
    ]


# --- results (Kode Hasil) ------------------------------------------------------------------


def test_kode_hasil_groups_several_indicators_into_one_result_with_their_summed_weight(region):
    rows = [
        quantitative(NURSE, "PR-01", 30, Kode_Hasil="H1", Nama_Hasil="Pelayanan pasien"),
        quantitative(NURSE, "PR-02", 20, Kode_Hasil="H1"),
        rubric(NURSE, "PR-03", 50, Kode_Hasil="H2", Nama_Hasil="Mutu asuhan",
               Jenis_Hasil="tambahan", Komponen="kualitas_kerja"),
    ]  # fmt: skip
    result = import_rows(region, rows, INDICATOR_ALL_HEADERS)
    assert result.ok, messages(result)
    results = ResultTemplate.objects.filter(indicator_set__position__code=NURSE).annotate(
        weight=Sum("indicators__weight")
    )
    summary = {(r.code, r.name, r.kind, r.component, r.weight) for r in results}
    assert summary == {
        ("H1", "Pelayanan pasien", "utama", "", Decimal(50)),
        ("H2", "Mutu asuhan", "tambahan", "kualitas_kerja", Decimal(50)),
    }
    assert [i.code for i in results.get(code="H1").indicators.all()] == ["PR-01", "PR-02"]


def test_a_blank_result_cell_takes_the_value_another_row_of_the_result_gives(region):
    rows = [
        quantitative(NURSE, "PR-01", 50, Kode_Hasil="H1"),
        rubric(NURSE, "PR-02", 50, Kode_Hasil="H1", Nama_Hasil="Asuhan", Jenis_Hasil="tambahan",
               Komponen="sikap"),
    ]  # fmt: skip
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    template = ResultTemplate.objects.get()
    assert (template.name, template.kind, template.component) == ("Asuhan", "tambahan", "sikap")


def test_a_result_without_nama_hasil_is_named_after_its_first_indicator(region):
    rows = [quantitative(NURSE, "PR-01", 50, Kode_Hasil="H1"), rubric(NURSE, "PR-02", 50,
            Kode_Hasil="H1")]  # fmt: skip
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    assert ResultTemplate.objects.get().name == indicator("PR-01").name


@pytest.mark.parametrize(
    "header, first, second",
    [("Nama Hasil", "Pelayanan", "Asuhan"), ("Jenis Hasil", "utama", "tambahan"),
     ("Komponen", "kompetensi_teknis", "sikap")],
)  # fmt: skip
def test_rows_of_one_result_must_agree_on_its_name_kind_and_component(
    region, header, first, second
):
    key = header.replace(" ", "_")
    rows = [
        quantitative(NURSE, "PR-01", 50, Kode_Hasil="H1", **{key: first}),
        rubric(NURSE, "PR-02", 50, Kode_Hasil="h1", **{key: second}),
    ]
    assert messages(import_rows(region, rows, INDICATOR_ALL_HEADERS)) == [
        f"Baris 3, kolom {header}: berbeda dengan baris 2 untuk Kode Hasil yang sama"
    ]


def test_the_same_kode_hasil_in_two_positions_is_two_results(region):
    rows = [
        quantitative(NURSE, "PR-01", 100, Kode_Hasil="H1", Nama_Hasil="Pelayanan"),
        quantitative(TEACHER, "GR-01", 100, Kode_Hasil="H1", Nama_Hasil="Pembelajaran"),
    ]
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    assert sorted(ResultTemplate.objects.values_list("name", flat=True)) == [
        "Pelayanan",
        "Pembelajaran",
    ]


def test_an_indicator_of_its_own_may_not_reuse_another_rows_kode_hasil(region):
    rows = [
        quantitative(NURSE, "H1", 50),  # its own result, coded H1
        rubric(NURSE, "PR-02", 50, Kode_Hasil="H1"),
    ]
    assert messages(import_rows(region, rows, INDICATOR_ALL_HEADERS)) == [
        "Baris 2, kolom Kode Indikator: sama dengan Kode Hasil pada baris 3; isi kolom Kode Hasil"
    ]


# --- upsert -------------------------------------------------------------------------------


def test_a_re_import_updates_in_place_and_leaves_other_positions_unchanged(region):
    assert import_rows(region, [*nurse_set(), quantitative(TEACHER, "GR-01", 100)]).ok
    before = indicator("PR-01").pk
    teacher = indicator("GR-01", TEACHER)
    rows = [
        quantitative(NURSE, "PR-01", 70, Nama_Indikator="Kunjungan pasien", Target=900,
                     Arah="turun"),
        rubric(NURSE, "PR-02", 30),
    ]  # fmt: skip
    result = import_rows(region, rows)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 2)
    updated = indicator("PR-01")
    assert updated.pk == before
    assert (updated.name, updated.target, updated.direction, updated.weight) == (
        "Kunjungan pasien",
        Decimal(900),
        "turun",
        Decimal(70),
    )
    assert indicator("GR-01", TEACHER).weight == teacher.weight
    assert Indicator.objects.count() == 3


def test_an_indicator_may_change_kind_from_quantitative_to_rubric(region):
    assert import_rows(region, nurse_set()).ok
    result = import_rows(region, [rubric(NURSE, "PR-01", 60), rubric(NURSE, "PR-02", 40)])
    assert result.ok, messages(result)
    changed = indicator("PR-01")
    assert (changed.kind, changed.direction, changed.target) == ("rubrik", "", None)


def test_moving_indicators_into_one_result_removes_the_emptied_results(region):
    assert import_rows(region, nurse_set()).ok
    rows = [
        quantitative(NURSE, "PR-01", 60, Kode_Hasil="H1", Nama_Hasil="Pelayanan"),
        rubric(NURSE, "PR-02", 40, Kode_Hasil="H1"),
    ]
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    assert list(ResultTemplate.objects.values_list("code", flat=True)) == ["H1"]


def test_a_re_import_without_nama_hasil_keeps_the_stored_result_name(region):
    rows = [quantitative(NURSE, "PR-01", 100, Kode_Hasil="H1", Nama_Hasil="Nama dari HR")]
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    rows = [quantitative(NURSE, "PR-01", 100, Kode_Hasil="H1")]
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    assert ResultTemplate.objects.get().name == "Nama dari HR"


def test_rubric_level_texts_survive_a_re_import(region):
    assert import_rows(region, nurse_set()).ok
    Indicator.objects.filter(code="PR-02").update(rubric={"4": "Sesuai standar"})
    assert import_rows(region, nurse_set()).ok
    assert indicator("PR-02").rubric == {"4": "Sesuai standar"}


def test_the_number_of_queries_does_not_grow_with_the_file(region):
    def queries_for(position_count: int) -> int:
        codes = [f"JB-{position_count}-{i}" for i in range(position_count)]
        for code in codes:
            PositionFactory(region=region, code=code)
        rows = [
            quantitative(code, f"IND-{n}", 20, Kode_Hasil=f"H{n % 2}")
            for code in codes
            for n in range(5)
        ]
        content = xlsx(rows, INDICATOR_ALL_HEADERS)
        with CaptureQueriesContext(connection) as captured:
            assert run("indicators", content, region=region).ok
        return len(captured)

    assert queries_for(2) == queries_for(12)


# --- who may import -----------------------------------------------------------------------


def test_admin_hr_cannot_open_the_indicator_import_page_or_its_template(personas, login):
    client = login(personas.hr_a)
    assert client.get(reverse("import_upload", args=["indicators"])).status_code == 403
    assert client.get(reverse("import_template", args=["indicators"])).status_code == 403
    assert client.get(reverse("import_example", args=["indicators"])).status_code == 403


def test_admin_hr_post_of_an_indicator_file_is_refused_and_writes_nothing(region, personas, login):
    client = login(personas.hr_a)
    response = client.post(
        reverse("import_upload", args=["indicators"]),
        {"file": SimpleUploadedFile("indikator.xlsx", xlsx(nurse_set()))},
    )
    assert response.status_code == 403
    assert not ImportRun.objects.exists()
    assert not IndicatorSet.objects.exists()


def test_admin_daerah_previews_and_confirms_an_indicator_file(region, personas, login):
    client = login(personas.admin_daerah)
    assert client.get(reverse("import_upload", args=["indicators"])).status_code == 200
    client.post(
        reverse("import_upload", args=["indicators"]),
        {"file": SimpleUploadedFile("indikator.xlsx", xlsx(nurse_set()))},
    )
    run_queued_import_jobs()
    import_run = ImportRun.objects.get(kind="indicators")
    assert import_run.status == ImportRun.Status.PREVIEWED, import_run.errors
    assert not IndicatorSet.objects.exists()
    client.post(reverse("import_confirm", args=[import_run.pk]))
    run_queued_import_jobs()
    import_run.refresh_from_db()
    assert import_run.status == ImportRun.Status.IMPORTED
    assert Indicator.objects.count() == 2


def test_the_template_has_exactly_the_contract_headers_with_codes_as_text(personas, login):
    client = login(personas.admin_daerah)
    response = client.get(reverse("import_template", args=["indicators"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == INDICATOR_ALL_HEADERS == REGISTRY["indicators"].headers()
    for header in ("Kode Jabatan", "Kode Indikator", "Kode Hasil"):
        letter = sheet.cell(row=1, column=headers.index(header) + 1).column_letter
        assert sheet.column_dimensions[letter].number_format == "@"


def test_the_page_offers_the_demo_file_as_a_filled_in_example(personas, login):
    client = login(personas.admin_daerah)
    page = client.get(reverse("import_upload", args=["indicators"])).content.decode()
    assert reverse("import_example", args=["indicators"]) in page
    response = client.get(reverse("import_example", args=["indicators"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="contoh-indicators.csv"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == INDICATOR_FILE.read_bytes()


@pytest.mark.parametrize("kind", ["employees", "attendance"])
def test_a_kind_without_an_example_file_links_none(personas, login, kind):
    client = login(personas.admin_daerah)
    page = client.get(reverse("import_upload", args=[kind])).content.decode()
    assert reverse("import_example", args=[kind]) not in page
    assert client.get(reverse("import_example", args=[kind])).status_code == 404


# --- export --------------------------------------------------------------------------------


def exported(region) -> bytes:
    """The export as the view builds it (``agencies.views.export``)."""
    scope = SimpleNamespace(region_id=region.pk, hr_agency_ids=(), region_ids=(region.pk,))
    resource = IndicatorResource()
    dataset = resource.export(queryset=resource.export_queryset(scope))
    return write_xlsx(
        dataset.headers,
        dataset,
        text_headers=[c.header for c in IndicatorSpec.columns if c.as_text],
        title=IndicatorSpec.title,
    )


def test_the_export_has_the_import_columns_and_numbers_as_numbers(region):
    rows = [
        quantitative(NURSE, "PR-01", "37,5", Kode_Hasil="H1", Nama_Hasil="Pelayanan",
                     Komponen="kualitas_kerja"),
        rubric(NURSE, "PR-02", "62,5", Kode_Hasil="H1"),
    ]  # fmt: skip
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok
    sheet = load_workbook(io.BytesIO(exported(region))).worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == INDICATOR_ALL_HEADERS
    first = dict(zip(INDICATOR_ALL_HEADERS, values[1], strict=True))
    assert first["Kode Jabatan"] == NURSE and first["Kode Indikator"] == "PR-01"
    assert (first["Target"], first["Bobot"]) == (1200, 37.5)
    assert (first["Kode Hasil"], first["Nama Hasil"], first["Jenis Hasil"]) == (
        "H1",
        "Pelayanan",
        "utama",
    )
    assert first["Komponen"] == "kualitas_kerja"
    second = dict(zip(INDICATOR_ALL_HEADERS, values[2], strict=True))
    assert second["Arah"] in ("", None) and second["Target"] in ("", None)


def test_re_importing_the_export_changes_nothing(region):
    rows = [
        *nurse_set(Kode_Hasil="H1", Nama_Hasil="Pelayanan", Jenis_Hasil="tambahan"),
        quantitative(TEACHER, "GR-01", "33,3333", Arah="turun", Target="2,5"),
        rubric(TEACHER, "GR-02", "66,6667", Komponen="sikap"),
    ]
    assert import_rows(region, rows, INDICATOR_ALL_HEADERS).ok

    def snapshot():
        return set(
            Indicator.objects.values_list(
                "indicator_set__position__code", "code", "name", "kind", "unit", "direction",
                "aspect", "target", "weight", "guidance", "result__code", "result__name",
                "result__kind", "result__component",
            )
        )  # fmt: skip

    before = snapshot()
    result = run("indicators", exported(region), region=region)
    assert result.ok, messages(result)
    assert (result.created, result.updated) == (0, 4)
    assert snapshot() == before


def test_the_export_page_serves_indicator_sets_to_the_admin_daerah(region, personas, login):
    assert import_rows(region, nurse_set()).ok
    client = login(personas.admin_daerah)
    response = client.get(reverse("export", args=["indicators"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == INDICATOR_ALL_HEADERS
    assert sheet.max_row == 3
    assert login(personas.hr_a).get(reverse("export", args=["indicators"])).status_code == 403


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def write(tmp_path):
    def _write(name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return _write


def test_import_indicators_exits_0_and_imports(region, write):
    status, out, err = call("import_indicators", write("set.xlsx", xlsx(nurse_set())))
    assert (status, err) == (0, "")
    assert "2 baru" in out
    assert Indicator.objects.count() == 2


def test_import_indicators_exits_1_with_the_errors_on_stderr_and_writes_nothing(region, write):
    rows = [quantitative(NURSE, "PR-01", 60), rubric(NURSE, "PR-02", 30)]
    status, out, err = call("import_indicators", write("set.xlsx", xlsx(rows)))
    assert status == 1
    assert "Baris 2, kolom Bobot: jumlah bobot indikator Kode Jabatan JF-PERAWAT" in err
    assert "Baris 3, kolom Bobot:" in err
    assert "Baris" not in out
    assert not Indicator.objects.exists()


def test_import_indicators_with_a_missing_column_exits_1(region, write):
    path = write("set.xlsx", xlsx(nurse_set(), [h for h in INDICATOR_HEADERS if h != "Panduan"]))
    status, _out, err = call("import_indicators", path)
    assert status == 1
    assert "Baris 1, kolom Panduan: kolom wajib tidak ditemukan" in err


def test_import_indicators_dry_run_exits_0_and_writes_nothing(region, write):
    status, out, _ = call("import_indicators", write("set.xlsx", xlsx(nurse_set())), "--dry-run")
    assert status == 0 and "--dry-run" in out
    assert not IndicatorSet.objects.exists()


def test_import_indicators_dry_run_of_an_invalid_file_exits_1(region, write):
    rows = [quantitative(NURSE, "PR-01", 100, Jenis="")]
    assert call("import_indicators", write("set.xlsx", xlsx(rows)), "--dry-run")[0] == 1


def test_import_indicators_needs_region_when_several_regions_exist(region, write):
    other = RegionFactory(code="1111")
    PositionFactory(region=other, code=NURSE)
    path = write("set.xlsx", xlsx([quantitative(NURSE, "PR-01", 100)]))
    assert call("import_indicators", path)[0] == 2
    assert call("import_indicators", path, "--region", "0000")[0] == 2
    assert call("import_indicators", path, "--region", "1111")[0] == 0
    assert IndicatorSet.objects.get().region == other


@pytest.mark.parametrize(
    "name, content",
    [("set.xls", b"x"), ("set.xlsx", b"PK\x03\x04 rusak"), ("set.csv", b"")],
)
def test_import_indicators_exits_2_for_an_unreadable_file(region, write, name, content):
    assert call("import_indicators", write(name, content))[0] == 2


def test_import_indicators_exits_2_for_a_missing_file_or_argument(region, tmp_path):
    assert call("import_indicators", str(tmp_path / "tidak-ada.xlsx"))[0] == 2
    assert call("import_indicators")[0] == 2
