"""`explain_score` input validation and the Indonesian text breakdown."""

import copy
import json
from decimal import Decimal

import pytest

from indicators.explain import (
    ExplainInputError,
    explain_score,
    parse_explain_input,
    render_breakdown_text,
)
from indicators.schemes.base import Sanction
from indicators.scoring import BERAKHLAK, AttendanceInput, IkmInput

D = Decimal


def all_values(atasan, rekan=()):
    return {code: {"atasan": atasan, "rekan": list(rekan)} for code in BERAKHLAK}


def jakarta_input(realisasi="100", level=5):
    return {
        "skema": "jakarta",
        "hasil": [
            {
                "kode": "H1",
                "jenis": "utama",
                "komponen": "indikator_jabatan",
                "indikator": [
                    {
                        "kode": "I1",
                        "jenis": "kuantitatif",
                        "arah": "naik",
                        "target": "100",
                        "realisasi": realisasi,
                        "bobot": 60,
                    },
                    {"kode": "I2", "jenis": "rubrik", "bobot": "40", "level": 4},
                ],
            }
        ],
        "perilaku": all_values(level),
    }


def errors_of(data):
    with pytest.raises(ExplainInputError) as caught:
        parse_explain_input(data)
    return caught.value.messages


def last_lines(data, count=2):
    return render_breakdown_text(explain_score(data)).splitlines()[-count:]


# ------------------------------------------------------------------ parsing


def test_a_valid_input_becomes_the_engines_input():
    appraisal = parse_explain_input(jakarta_input())
    [result] = appraisal.results
    assert (result.code, result.kind, result.component) == ("H1", "utama", "indikator_jabatan")
    quantitative, rubric = result.indicators
    assert (quantitative.target, quantitative.realisation, quantitative.weight) == (
        D(100),
        D(100),
        D(60),
    )
    assert (rubric.kind, rubric.level, rubric.weight) == ("rubrik", 4, D(40))
    assert appraisal.behaviour["akuntabel"].supervisor == 5
    assert appraisal.deadline_passed


def test_json_floats_are_read_through_their_text_so_no_binary_artefacts_appear():
    data = jakarta_input(realisasi=95.1)
    assert parse_explain_input(data).results[0].indicators[0].realisation == D("95.1")


def test_numbers_may_be_strings():
    data = jakarta_input(realisasi=" 95.5 ")
    assert parse_explain_input(data).results[0].indicators[0].realisation == D("95.5")


def test_a_result_without_komponen_or_jenis_goes_to_the_main_component_as_utama():
    data = jakarta_input()
    del data["hasil"][0]["komponen"]
    del data["hasil"][0]["jenis"]
    [result] = parse_explain_input(data).results
    assert (result.component, result.kind) == ("indikator_jabatan", "utama")


def test_every_source_block_is_read_where_the_preset_uses_it():
    data = {
        "skema": "tebingtinggi",
        "hasil": jakarta_input()["hasil"],
        "perilaku": all_values(4, [5, 5, 4]),
        "kehadiran": {"hari_kerja": 22, "hari_hadir": "21", "terlambat": 2, "pulang_cepat": 1},
        "disiplin": ["ringan", "berat"],
    }
    data["hasil"][0]["komponen"] = "kualitas_kerja"
    appraisal = parse_explain_input(data)
    assert appraisal.attendance == AttendanceInput(22, 21, 2, 1)
    assert appraisal.sanctions == (Sanction.RINGAN, Sanction.BERAT)
    assert appraisal.behaviour["loyal"].peers == (5, 5, 4)


def test_ikm_and_team_blocks_are_read():
    rakumpit = {"skema": "rakumpit", "hasil": jakarta_input()["hasil"], "perilaku": all_values(4)}
    rakumpit["hasil"][0]["komponen"] = "output_terukur"
    rakumpit["ikm"] = {"nilai": "82.5", "responden": 31}
    assert parse_explain_input(rakumpit).ikm == IkmInput(D("82.5"), 31)
    kotalama = {"skema": "kotalama", "hasil": jakarta_input()["hasil"], "tim": [4, 5]}
    del kotalama["hasil"][0]["komponen"]
    assert parse_explain_input(kotalama).team_levels == (4, 5)


def test_blocks_a_preset_does_not_use_are_ignored():
    data = jakarta_input()
    data["kehadiran"] = "tidak dipakai"
    data["tim"] = [9]
    appraisal = parse_explain_input(data)
    assert appraisal.attendance is None
    assert appraisal.team_levels is None


def test_an_unknown_skema_is_refused_with_the_choices():
    [message] = errors_of({"skema": "surabaya", "hasil": []})
    assert message.startswith("skema: skema tidak dikenal 'surabaya'; pilihan: nasional")


def test_a_non_object_input_is_refused():
    assert errors_of([]) == ["input: harus berupa objek JSON"]


def test_a_zero_weight_is_refused_with_its_path():
    data = jakarta_input()
    data["hasil"][0]["indikator"][1]["bobot"] = 0
    assert "hasil[0].indikator[1].bobot: harus berupa angka > 0" in errors_of(data)


def test_weights_that_do_not_sum_to_100_are_refused():
    data = jakarta_input()
    data["hasil"][0]["indikator"][1]["bobot"] = 30
    assert errors_of(data) == ["hasil: jumlah bobot semua indikator harus 100 (saat ini 90)"]


@pytest.mark.parametrize("level", [0, 6, "lima", 4.5, True, None])
def test_a_level_outside_1_to_5_is_refused(level):
    data = jakarta_input()
    data["perilaku"]["akuntabel"]["atasan"] = level
    assert errors_of(data) == ["perilaku.akuntabel.atasan: harus berupa level 1 sampai 5"]


def test_a_rubric_needs_a_level_and_a_quantitative_indicator_needs_direction_and_target():
    data = jakarta_input()
    del data["hasil"][0]["indikator"][1]["level"]
    del data["hasil"][0]["indikator"][0]["arah"]
    data["hasil"][0]["indikator"][0]["target"] = "-5"
    assert errors_of(data) == [
        "hasil[0].indikator[0].arah: harus salah satu dari naik, turun",
        "hasil[0].indikator[0].target: harus berupa angka > 0",
        "hasil[0].indikator[1].level: wajib diisi level 1 sampai 5 untuk indikator rubrik",
    ]


def test_every_problem_is_reported_at_once():
    data = jakarta_input()
    data["hasil"][0]["komponen"] = "perilaku"
    data["hasil"][0]["indikator"][0]["realisasi"] = -1
    data["hasil"][0]["indikator"][1]["jenis"] = "perilaku"
    data["perilaku"]["ramah"] = {"atasan": 4}
    data["perilaku"]["loyal"]["rekan"] = [4, 7]
    assert errors_of(data) == [
        "hasil[0].komponen: bukan komponen rencana skema jakarta; pilihan: indikator_jabatan",
        "hasil[0].indikator[0].realisasi: harus berupa angka >= 0",
        "hasil[0].indikator[1].jenis: harus salah satu dari kuantitatif, rubrik",
        "perilaku.loyal.rekan[1]: harus berupa level 1 sampai 5",
        "perilaku.ramah: bukan nilai BerAKHLAK; pilihan: " + ", ".join(BERAKHLAK),
    ]


def test_duplicate_codes_are_refused():
    data = jakarta_input()
    data["hasil"].append(copy.deepcopy(data["hasil"][0]))
    for indicator in data["hasil"][1]["indikator"]:
        indicator["bobot"] = 0.0001
    data["hasil"][0]["indikator"][1]["kode"] = "I1"
    messages = errors_of(data)
    assert "hasil[1].kode: duplikat dengan hasil[0]" in messages
    assert "hasil[0].indikator[1].kode: duplikat dengan hasil[0].indikator[0]" in messages


def test_attendance_discipline_and_ikm_are_validated():
    data = {
        "skema": "tebingtinggi",
        "hasil": jakarta_input()["hasil"],
        "perilaku": all_values(4),
        "kehadiran": {"hari_kerja": 20, "hari_hadir": 21},
        "disiplin": ["teguran"],
    }
    data["hasil"][0]["komponen"] = "kualitas_kerja"
    assert errors_of(data) == [
        "kehadiran.hari_hadir: tidak boleh melebihi hari_kerja",
        "disiplin[0]: harus salah satu dari ringan, sedang, berat",
    ]
    rakumpit = {"skema": "rakumpit", "hasil": jakarta_input()["hasil"], "perilaku": all_values(4)}
    del rakumpit["hasil"][0]["komponen"]
    rakumpit["ikm"] = {"nilai": 101, "responden": 2.5}
    assert errors_of(rakumpit) == [
        "ikm.nilai: harus antara 0 dan 100",
        "ikm.responden: harus berupa bilangan bulat >= 0",
    ]


def test_a_missing_plan_or_behaviour_block_is_refused():
    assert errors_of({"skema": "jakarta", "perilaku": all_values(4)}) == [
        "hasil: wajib berisi minimal satu hasil kerja"
    ]
    assert errors_of({"skema": "jakarta", "hasil": jakarta_input()["hasil"]}) == [
        "perilaku: wajib diisi untuk skema ini"
    ]


# ------------------------------------------------------------------ text


def test_the_text_ends_with_the_final_value_and_the_predikat_code():
    # 0.7 × (0.6 × 100 + 0.4 × 100) + 0.3 × 115 = 70 + 34.5 = 104.5
    assert last_lines(jakarta_input()) == ["Nilai akhir: 104.50", "Predikat: baik"]


def test_109_995_is_shown_as_110_and_sangat_baik():
    # 0.7 × 107.85 + 0.3 × 115 = 109.995
    data = jakarta_input(realisasi="107.85")
    data["hasil"][0]["indikator"] = data["hasil"][0]["indikator"][:1]
    data["hasil"][0]["indikator"][0]["bobot"] = 100
    assert last_lines(data) == ["Nilai akhir: 110.00", "Predikat: sangat_baik"]


def test_89_995_is_shown_as_90_and_baik():
    data = jakarta_input(realisasi="102.85", level=2)
    data["hasil"][0]["indikator"] = data["hasil"][0]["indikator"][:1]
    data["hasil"][0]["indikator"][0]["bobot"] = 100
    assert last_lines(data) == ["Nilai akhir: 90.00", "Predikat: baik"]


def test_a_null_realisation_counts_zero_and_the_text_says_so():
    data = jakarta_input(realisasi=None)
    text = render_breakdown_text(explain_score(data))
    assert "realisasi belum diisi sampai batas waktu penilaian atasan; dihitung 0." in text
    # 0.7 × (0.6 × 0 + 0.4 × 100) + 34.5 = 62.5
    assert text.splitlines()[-2:] == ["Nilai akhir: 62.50", "Predikat: kurang"]


def test_an_unverified_realisation_counts_zero_where_the_preset_verifies():
    data = {"skema": "rakumpit", "hasil": jakarta_input()["hasil"], "perilaku": all_values(4)}
    data["hasil"][0]["komponen"] = "output_terukur"
    data["hasil"][0]["indikator"][0]["terverifikasi"] = False
    data["ikm"] = None
    text = render_breakdown_text(explain_score(data))
    assert "belum diverifikasi Verifikator" in text
    assert "Kepuasan Masyarakat" in text and "dibagi secara proporsional" in text
    # output 0.6 × 0 + 0.4 × 100 = 40; (40 × 50 + 100 × 20) / 70 = 57.142…
    assert text.splitlines()[-2:] == ["Nilai akhir: 57.14", "Predikat: kurang"]
    data["hasil"][0]["indikator"][0]["terverifikasi"] = True
    assert last_lines(data) == ["Nilai akhir: 100.00", "Predikat: baik"]


def test_the_text_names_every_indicator_weight_value_and_rater():
    text = render_breakdown_text(explain_score(jakarta_input()))
    assert "Komponen Indikator Jabatan [indikator_jabatan], bobot 70%" in text
    assert "Indikator I1 (kuantitatif, naik, bobot 60): target 100, realisasi 100" in text
    assert "Indikator I2 (rubrik, bobot 40): level 4 dari atasan, nilai 100.00" in text
    assert "Akuntabel: atasan level 5 (115.00); nilai 115.00" in text


def test_the_matrix_text_shows_both_ratings_and_no_final_value():
    data = {
        "skema": "nasional",
        "hasil": jakarta_input(realisasi="120")["hasil"],
        "perilaku": all_values(5, [4, 4, 4]),
    }
    data["hasil"][0]["komponen"] = "hasil_kerja"
    text = render_breakdown_text(explain_score(data))
    lines = text.splitlines()
    assert not any(line.startswith("Nilai akhir") for line in lines)
    assert lines[-1] == "Predikat: sangat_baik"
    assert "Hasil Kerja: nilai 112.00, rekomendasi Di Atas Ekspektasi" in text
    assert "Perilaku: nilai 110.50, rekomendasi Di Atas Ekspektasi" in text


def test_every_preset_can_be_explained():
    base = jakarta_input()["hasil"]
    for key, extra in {
        "nasional": {},
        "jakarta": {},
        "tangsel": {},
        "rakumpit": {"ikm": {"nilai": 90, "responden": 30}},
        "tebingtinggi": {"kehadiran": {"hari_kerja": 20, "hari_hadir": 20}, "disiplin": []},
        "kotalama": {"tim": [4, 4]},
    }.items():
        data = {"skema": key, "hasil": copy.deepcopy(base), "perilaku": all_values(4), **extra}
        del data["hasil"][0]["komponen"]
        breakdown = explain_score(data)
        assert render_breakdown_text(breakdown).splitlines()[-1].startswith("Predikat: ")
        json.dumps(breakdown.to_dict())
