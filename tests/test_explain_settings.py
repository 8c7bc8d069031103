"""`explain_score` with a cycle's own rules (docs/explain_score.md): `bobot`, `pengaturan` and
`penyesuaian`. Each case is worked out by hand next to it, against the same input without the
key, so a setting that is silently ignored fails."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from indicators.explain import explain_score_text, parse_explain_request
from indicators.schemes import get_scheme
from indicators.scoring import BERAKHLAK
from indicators.scoring_settings import (
    SettingsError,
    apply_settings,
    default_settings,
    parse_settings,
    settings_to_json,
)

from .indicator_files import call

D = Decimal


def values(atasan: int, rekan=()) -> dict:
    return {code: {"atasan": atasan, "rekan": list(rekan)} for code in BERAKHLAK}


def quantitative(code, bobot, *, target, realisasi, arah="naik", **extra):
    return {"kode": code, "jenis": "kuantitatif", "arah": arah, "target": target,
            "realisasi": realisasi, "bobot": bobot, **extra}  # fmt: skip


def rubric(code, bobot, level):
    return {"kode": code, "jenis": "rubrik", "bobot": bobot, "level": level}


def one_result(*indicators, komponen=None) -> list[dict]:
    result = {"kode": "H1", "indikator": list(indicators)}
    if komponen:
        result["komponen"] = komponen
    return [result]


@pytest.fixture
def run(tmp_path):
    """Run the command on a dict: (exit status, standard output lines, standard error lines)."""

    def _run(data: dict) -> tuple[int, list[str], list[str]]:
        path = tmp_path / "penilaian.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        status, out, err = call("explain_score", str(path))
        return status, out.rstrip("\n").splitlines(), err.rstrip("\n").splitlines()

    return _run


@pytest.fixture
def explained(run):
    """Standard output of a valid input, and of the same input with ``extra`` keys added."""

    def _explained(data: dict, **extra) -> tuple[list[str], list[str]]:
        status, before, err = run(data)
        assert (status, err) == (0, [])
        status, after, err = run({**copy.deepcopy(data), **extra})
        assert (status, err) == (0, []), err
        return before, after

    return _explained


# --- each setting changes the result as worked out by hand ------------------------------------


def test_batas_capaian_lets_an_indicator_reach_the_new_cap(explained):
    # 140 / 100 = 1.4: capped at 1.2 → 120, at 1.3 → 130. Perilaku level 4 = 100.
    # 0.7 × 120 + 0.3 × 100 = 114.00; 0.7 × 130 + 30 = 121.00.
    data = {
        "skema": "jakarta",
        "hasil": one_result(quantitative("I1", 100, target=100, realisasi=140)),
        "perilaku": values(4),
    }
    before, after = explained(data, pengaturan={"batas_capaian": "1.3"})
    assert "capaian 120.00%, nilai 120.00 (capaian dibatasi)" in before[3]
    assert "capaian 130.00%, nilai 130.00 (capaian dibatasi)" in after[4]
    assert (before[-2], after[-2]) == ("Nilai akhir: 114.00", "Nilai akhir: 121.00")
    assert after[1] == "Pengaturan: batas capaian 1.3"
    assert not any(line.startswith("Pengaturan:") for line in before)


def test_a_cap_above_the_achievement_does_not_cap_it(explained):
    data = {
        "skema": "jakarta",
        "hasil": one_result(quantitative("I1", 100, target=100, realisasi=140)),
        "perilaku": values(4),
    }
    _before, after = explained(data, pengaturan={"batas_capaian": 1.5})
    assert after[4].endswith("capaian 140.00%, nilai 140.00")  # no "(capaian dibatasi)"
    assert after[-2] == "Nilai akhir: 128.00"  # 0.7 × 140 + 30


def test_nilai_level_changes_a_behaviour_value_and_a_rubric_value(explained):
    # Level 4 worth 105 instead of 100, everywhere a level is turned into a value.
    data = {"skema": "jakarta", "hasil": one_result(rubric("I1", 100, 4)), "perilaku": values(4)}
    before, after = explained(data, pengaturan={"nilai_level": {"4": 105}})
    assert "  Akuntabel: atasan level 4 (100.00); nilai 100.00" in before
    assert "  Akuntabel: atasan level 4 (105.00); nilai 105.00" in after
    assert "    - Indikator I1 (rubrik, bobot 100): level 4 dari atasan, nilai 105.00" in after
    assert (before[-2], after[-2]) == ("Nilai akhir: 100.00", "Nilai akhir: 105.00")
    assert after[1] == "Pengaturan: nilai level 1 sampai 5: 45, 60, 80, 105, 115"


def tebingtinggi(**blocks) -> dict:
    return {
        "skema": "tebingtinggi",
        "hasil": one_result(rubric("KK-1", 100, 4)),
        "perilaku": values(4),
        **blocks,
    }


def test_potongan_terlambat_changes_the_attendance_score(explained):
    # 20 of 20 days, 2 late and 2 early: 100 − 0.5 × 4 = 98 → × 1.15 = 112.70; at 1 per time
    # 96 → 110.40. Final: (20 × 112.70 + 20 × 115 + 40 × 100 + 20 × 100) / 100 = 105.54;
    # with 110.40: 105.08.
    data = tebingtinggi(
        kehadiran={"hari_kerja": 20, "hari_hadir": 20, "terlambat": 2, "pulang_cepat": 2}
    )
    before, after = explained(data, pengaturan={"potongan_terlambat": 1})
    assert any(line.endswith("skor 98.00 × 1.15 = nilai 112.70") for line in before)
    assert any(line.endswith("skor 96.00 × 1.15 = nilai 110.40") for line in after)
    assert (before[-2], after[-2]) == ("Nilai akhir: 105.54", "Nilai akhir: 105.08")
    assert after[1] == "Pengaturan: potongan per terlambat atau pulang cepat 1"


def test_potongan_hukuman_changes_the_discipline_score(explained):
    # One `sedang`: 100 − 25 = 75 → 86.25; at 30: 70 → 80.50. No attendance: its 20 is shared.
    # (86.25 × 20 + 100 × 40 + 100 × 20) / 80 = 96.5625 → 96.56; with 80.50: 95.125 → 95.13.
    data = tebingtinggi(kehadiran=None, disiplin=["sedang"])
    before, after = explained(data, pengaturan={"potongan_hukuman": {"sedang": "30"}})
    assert "  hukuman disiplin 1 sedang; skor 75.00 × 1.15 = nilai 86.25" in before
    assert "  hukuman disiplin 1 sedang; skor 70.00 × 1.15 = nilai 80.50" in after
    assert (before[-2], after[-2]) == ("Nilai akhir: 96.56", "Nilai akhir: 95.13")
    assert after[1] == "Pengaturan: potongan hukuman disiplin ringan 10, sedang 30, berat 50"


def test_minimal_rekan_2_lets_two_peers_count(explained):
    # tangsel 70/30: supervisor level 4 (100), two peers at level 5 (115). With the default 3
    # the supervisor's 100 stands; with 2: 0.7 × 100 + 0.3 × 115 = 104.50.
    # Final 0.5 × 100 + 0.25 × 100 + 0.25 × 104.5 = 101.125 → 101.13.
    data = {
        "skema": "tangsel",
        "hasil": [
            {"kode": "KT", "indikator": [quantitative("KT-1", 50, target=10, realisasi=10)]},
            {"kode": "SK", "komponen": "sikap", "indikator": [rubric("SK-1", 50, 4)]},
        ],
        "perilaku": values(4, [5, 5]),
    }
    before, after = explained(data, pengaturan={"minimal_rekan": 2})
    assert any("jawaban rekan kerja kurang dari 3" in line for line in before)
    assert (
        "  Akuntabel: atasan level 4 (100.00), 2 rekan rata-rata 115.00, 70/30; nilai 104.50"
        in after
    )
    assert not any("kurang dari" in line for line in after)
    assert (before[-2], after[-2]) == ("Nilai akhir: 100.00", "Nilai akhir: 101.13")
    assert after[1] == "Pengaturan: minimal jawaban rekan 2"


def test_minimal_responden_ikm_decides_whether_the_survey_counts(explained, run):
    # 20 respondents: short of 30, the IKM's 30% is shared: (100 × 50 + 100 × 20) / 70 = 100.
    # With a minimum of 20: 80 × 1.15 = 92; 0.5 × 100 + 0.3 × 92 + 0.2 × 100 = 97.60.
    data = {
        "skema": "rakumpit",
        "hasil": one_result(quantitative("O1", 100, target=100, realisasi=100, terverifikasi=True)),
        "ikm": {"nilai": 80, "responden": 20},
        "perilaku": values(4),
    }
    before, after = explained(data, pengaturan={"minimal_responden_ikm": 20})
    assert any("(20 responden; minimal 30 responden)" in line for line in before)
    assert "  IKM unit kerja dari 20 responden; skor 80.00 × 1.15 = nilai 92.00" in after
    assert (before[-2], after[-2]) == ("Nilai akhir: 100.00", "Nilai akhir: 97.60")
    _status, stricter, _err = run({**data, "pengaturan": {"minimal_responden_ikm": 21}})
    assert any("(20 responden; minimal 21 responden)" in line for line in stricter)


def jakarta_108_70() -> dict:
    # Indikator jabatan (110 × 60 + 100 × 40) / 100 = 106; perilaku level 5 = 115.
    # 0.7 × 106 + 0.3 × 115 = 108.70.
    return {
        "skema": "jakarta",
        "hasil": one_result(quantitative("I1", 60, target=100, realisasi=110), rubric("I2", 40, 4)),
        "perilaku": values(5),
    }


def test_batas_predikat_moves_a_value_across_a_band(explained, run):
    before, at = explained(jakarta_108_70(), pengaturan={"batas_predikat": {"sangat_baik": 108.7}})
    assert before[-3:] == [
        "Kesimpulan: Baik, faktor insentif (TPP) 90%", "Nilai akhir: 108.70", "Predikat: baik",
    ]  # fmt: skip
    assert at[-3:] == [
        "Kesimpulan: Sangat Baik, faktor insentif (TPP) 100%",
        "Nilai akhir: 108.70",
        "Predikat: sangat_baik",
    ]
    assert at[1] == (
        "Pengaturan: batas predikat Sangat Baik 108.7, Baik 90, Butuh Perbaikan 70, Kurang 50"
    )
    _s, above, _e = run(
        {**jakarta_108_70(), "pengaturan": {"batas_predikat": {"sangat_baik": "108.71"}}}
    )
    assert above[-1] == "Predikat: baik"


def nasional(realisasi, atasan=5) -> dict:
    return {
        "skema": "nasional",
        "hasil": one_result(quantitative("I1", 100, target=100, realisasi=realisasi)),
        "perilaku": values(atasan),
    }


def test_batas_rating_moves_a_result_across_a_rating(explained, run):
    # Hasil Kerja 105: Sesuai under 110/90; Perilaku 115: Di Atas. Sesuai × Di Atas = Baik.
    # With Di Atas from 105: Di Atas × Di Atas = Sangat Baik.
    before, after = explained(nasional(105), pengaturan={"batas_rating": {"di_atas": 105}})
    assert "  Hasil H1 (utama, bobot 100): nilai 105.00, Sesuai Ekspektasi" in before
    assert "  Hasil H1 (utama, bobot 100): nilai 105.00, Di Atas Ekspektasi" in after
    assert (before[-1], after[-1]) == ("Predikat: baik", "Predikat: sangat_baik")
    assert after[1] == "Pengaturan: batas rating Di Atas Ekspektasi 105, Di Bawah Ekspektasi 90"
    # Di Bawah below 106: Hasil Kerja Di Bawah × Perilaku Di Atas = Butuh Perbaikan.
    _s, below, _e = run({**nasional(105), "pengaturan": {"batas_rating": {"di_bawah": 106}}})
    assert (
        "Hasil Kerja: nilai 105.00, rekomendasi Di Bawah Ekspektasi, ditetapkan Di Bawah Ekspektasi"
        in below
    )
    assert below[-1] == "Predikat: butuh_perbaikan"


def test_bobot_uses_the_cycles_weights(explained):
    # 0.5 × 106 + 0.5 × 115 = 110.50: Sangat Baik where the preset's 70/30 gives 108.70 Baik.
    before, after = explained(jakarta_108_70(), bobot={"indikator_jabatan": "50", "perilaku": 50})
    assert before[1].startswith("Komponen Indikator Jabatan [indikator_jabatan], bobot 70%")
    assert after[1] == (
        "Komponen Indikator Jabatan [indikator_jabatan], bobot 50%, bobot efektif 50.00%: "
        "nilai 106.00"
    )
    assert after[-2:] == ["Nilai akhir: 110.50", "Predikat: sangat_baik"]


def test_penyesuaian_sets_the_ratings_in_nasional(explained, run):
    # Hasil Kerja 120 Di Atas, Perilaku 115 Di Atas: Sangat Baik. The supervisor sets Perilaku
    # to Sesuai: Di Atas × Sesuai = Baik, with the reason in the notes.
    reason = "Laporan triwulan terlambat diserahkan."
    before, after = explained(nasional(120), penyesuaian={"perilaku": "sesuai", "alasan": reason})
    assert before[-1] == "Predikat: sangat_baik"
    assert (
        "Perilaku: nilai 115.00, rekomendasi Di Atas Ekspektasi, ditetapkan Sesuai Ekspektasi"
        in after
    )
    assert (
        "- Atasan menetapkan rating Perilaku Sesuai Ekspektasi (rekomendasi portal: Di Atas "
        f"Ekspektasi). Alasan: {reason}"
    ) in after
    assert after[-2:] == ["Kesimpulan: Baik, faktor insentif (TPP) 90%", "Predikat: baik"]
    _s, both, _e = run(
        {**nasional(120), "penyesuaian": {"hasil_kerja": "di_bawah", "perilaku": "di_bawah",
                                          "alasan": reason}}
    )  # fmt: skip
    assert both[-1] == "Predikat: sangat_kurang"


def test_settings_at_their_defaults_print_what_no_settings_print(explained):
    defaults = settings_to_json(default_settings(get_scheme("jakarta")))
    before, after = explained(jakarta_108_70(), pengaturan=defaults, bobot={
        "indikator_jabatan": 70, "perilaku": 30})  # fmt: skip
    assert after == before


def test_several_settings_are_listed_in_one_line_in_a_fixed_order(explained):
    _before, after = explained(
        tebingtinggi(kehadiran=None),
        pengaturan={"minimal_rekan": 2, "batas_capaian": "1.25", "potongan_terlambat": "0.75"},
    )
    assert after[1] == (
        "Pengaturan: batas capaian 1.25; potongan per terlambat atau pulang cepat 0.75; "
        "minimal jawaban rekan 2"
    )


# --- invalid input: exit 1, the key named ------------------------------------------------------

INVALID = [
    # (preset, extra keys, the message)
    ("jakarta", {"pengaturan": {"batas_capaian": "0.9"}},
     "pengaturan.batas_capaian: harus berupa angka >= 1"),
    ("jakarta", {"pengaturan": {"batas_capaian": "1,3"}},
     "pengaturan.batas_capaian: harus berupa angka >= 1"),
    ("jakarta", {"pengaturan": {"batas_capaian": True}},
     "pengaturan.batas_capaian: harus berupa angka >= 1"),
    ("jakarta", {"pengaturan": {"nilai_level": {"3": 50}}},
     "pengaturan.nilai_level.3: harus lebih besar dari nilai level 2"),
    ("jakarta", {"pengaturan": {"nilai_level": {"2": 90}}},
     "pengaturan.nilai_level.2: harus lebih kecil dari nilai level 3"),
    ("jakarta", {"pengaturan": {"nilai_level": {"1": 0}}},
     "pengaturan.nilai_level.1: harus berupa angka > 0"),
    ("jakarta", {"pengaturan": {"nilai_level": {"6": 130}}},
     "pengaturan.nilai_level.6: kunci tidak dikenal; pilihan: 1, 2, 3, 4, 5"),
    ("jakarta", {"pengaturan": {"nilai_level": [45, 60, 80, 100, 115]}},
     "pengaturan.nilai_level: harus berupa objek"),
    ("tebingtinggi", {"pengaturan": {"potongan_terlambat": -1}},
     "pengaturan.potongan_terlambat: harus berupa angka >= 0"),
    ("tebingtinggi", {"pengaturan": {"potongan_terlambat": 101}},
     "pengaturan.potongan_terlambat: harus antara 0 dan 100"),
    ("tebingtinggi", {"pengaturan": {"potongan_hukuman": {"ringan": 30}}},
     "pengaturan.potongan_hukuman.ringan: tidak boleh lebih besar dari sedang"),
    ("tebingtinggi", {"pengaturan": {"potongan_hukuman": {"teguran": 5}}},
     "pengaturan.potongan_hukuman.teguran: kunci tidak dikenal; pilihan: ringan, sedang, berat"),
    ("rakumpit", {"pengaturan": {"minimal_responden_ikm": 0}},
     "pengaturan.minimal_responden_ikm: harus berupa bilangan bulat >= 1"),
    ("rakumpit", {"pengaturan": {"minimal_responden_ikm": "12.5"}},
     "pengaturan.minimal_responden_ikm: harus berupa bilangan bulat >= 1"),
    ("tangsel", {"pengaturan": {"minimal_rekan": "dua"}},
     "pengaturan.minimal_rekan: harus berupa bilangan bulat >= 1"),
    ("jakarta", {"pengaturan": {"batas_predikat": {"baik": 115}}},
     "pengaturan.batas_predikat.baik: harus lebih kecil dari sangat_baik"),
    ("jakarta", {"pengaturan": {"batas_predikat": {"sangat_baik": 100, "baik": 100}}},
     "pengaturan.batas_predikat.baik: harus lebih kecil dari sangat_baik"),
    ("jakarta", {"pengaturan": {"batas_predikat": {"sangat_baik": 85}}},
     "pengaturan.batas_predikat.sangat_baik: harus lebih besar dari baik"),
    ("nasional", {"pengaturan": {"batas_rating": {"di_bawah": 110}}},
     "pengaturan.batas_rating.di_bawah: harus lebih kecil dari di_atas"),
    ("nasional", {"pengaturan": {"batas_rating": {"di_atas": "1e3"}}},
     "pengaturan.batas_rating.di_atas: harus berupa angka > 0"),
    ("jakarta", {"pengaturan": {"batas_nilai": 1}},
     "pengaturan.batas_nilai: kunci tidak dikenal; pilihan: batas_capaian, nilai_level, "
     "potongan_terlambat, potongan_hukuman, minimal_responden_ikm, minimal_rekan, "
     "batas_predikat, batas_rating"),
    ("jakarta", {"pengaturan": {"potongan_terlambat": 1}},
     "pengaturan.potongan_terlambat: tidak dipakai skema jakarta; dipakai skema: tebingtinggi"),
    ("nasional", {"pengaturan": {"batas_predikat": {"sangat_baik": 105}}},
     "pengaturan.batas_predikat: tidak dipakai skema nasional; dipakai skema: jakarta, tangsel, "
     "rakumpit, tebingtinggi, kotalama"),
    ("jakarta", {"pengaturan": {"batas_rating": {"di_atas": 105}}},
     "pengaturan.batas_rating: tidak dipakai skema jakarta; dipakai skema: nasional"),
    ("jakarta", {"pengaturan": "1.3"}, "pengaturan: harus berupa objek"),
    ("jakarta", {"bobot": {"indikator_jabatan": 60, "perilaku": 30}},
     "bobot: jumlah bobot komponen harus 100 (saat ini 90)"),
    ("jakarta", {"bobot": {"indikator_jabatan": 100}},
     "bobot.perilaku: wajib diisi (bobot semua komponen skema)"),
    ("jakarta", {"bobot": {"indikator_jabatan": 70, "perilaku": 20, "sikap": 10}},
     "bobot.sikap: bukan komponen skema jakarta; pilihan: indikator_jabatan, perilaku"),
    ("jakarta", {"bobot": {"indikator_jabatan": 100, "perilaku": 0}},
     "bobot.perilaku: harus berupa angka > 0"),
    ("nasional", {"bobot": {"hasil_kerja": 70, "perilaku": 30}},
     "bobot: tidak dipakai skema nasional (mode matriks)"),
    ("jakarta", {"penyesuaian": {"perilaku": "sesuai", "alasan": "Sudah dibahas."}},
     "penyesuaian: tidak dipakai skema jakarta (mode numerik); hanya untuk skema mode "
     "matriks: nasional"),
    ("nasional", {"penyesuaian": {"perilaku": "baik", "alasan": "Sudah dibahas."}},
     "penyesuaian.perilaku: harus salah satu dari di_atas, sesuai, di_bawah"),
    ("nasional", {"penyesuaian": {"hasil_kerja": "di_atas"}},
     "penyesuaian.alasan: wajib diisi bila rating ditetapkan"),
    ("nasional", {"penyesuaian": {"hasil_kerja": "di_atas", "alasan": "  "}},
     "penyesuaian.alasan: wajib diisi bila rating ditetapkan"),
    ("nasional", {"penyesuaian": {"rating": "di_atas", "alasan": "Sudah dibahas."}},
     "penyesuaian.rating: kunci tidak dikenal; pilihan: hasil_kerja, perilaku, alasan"),
]  # fmt: skip

BASES = {
    "jakarta": jakarta_108_70,
    "nasional": lambda: nasional(120),
    "tebingtinggi": lambda: tebingtinggi(kehadiran=None),
    "rakumpit": lambda: {
        "skema": "rakumpit",
        "hasil": one_result(quantitative("O1", 100, target=100, realisasi=100, terverifikasi=True)),
        "perilaku": values(4),
    },
    "tangsel": lambda: {
        "skema": "tangsel",
        "hasil": one_result(rubric("KT-1", 100, 4)),
        "perilaku": values(4),
    },  # fmt: skip
}


@pytest.mark.parametrize(("preset", "extra", "message"), INVALID, ids=lambda v: str(v)[:40])
def test_an_invalid_value_exits_1_naming_its_key(run, preset, extra, message):
    status, out, err = run({**BASES[preset](), **extra})
    assert (status, out) == (1, [])
    assert err == [message, "1 kesalahan pada input; tidak ada nilai yang dihitung."]


def test_every_problem_of_the_new_keys_is_reported_at_once_after_the_others(run):
    data = {
        **nasional(120),
        "bobot": {"hasil_kerja": 100},
        "pengaturan": {"batas_capaian": 0, "batas_rating": {"di_atas": 80}, "lain": 1},
        "penyesuaian": {"perilaku": "sesuai"},
    }
    data["hasil"][0]["indikator"][0]["target"] = 0
    status, _out, err = run(data)
    assert status == 1
    assert err == [
        "hasil[0].indikator[0].target: harus berupa angka > 0",
        "bobot: tidak dipakai skema nasional (mode matriks)",
        "pengaturan.batas_capaian: harus berupa angka >= 1",
        "pengaturan.batas_rating.di_atas: harus lebih besar dari di_bawah",
        "pengaturan.lain: kunci tidak dikenal; pilihan: batas_capaian, nilai_level, "
        "potongan_terlambat, potongan_hukuman, minimal_responden_ikm, minimal_rekan, "
        "batas_predikat, batas_rating",
        "penyesuaian.alasan: wajib diisi bila rating ditetapkan",
        "6 kesalahan pada input; tidak ada nilai yang dihitung.",
    ]


def test_null_means_not_given():
    data = {**jakarta_108_70(), "bobot": None, "pengaturan": {"batas_capaian": None},
            "penyesuaian": None}  # fmt: skip
    assert explain_score_text(data) == explain_score_text(jakarta_108_70())


# --- the shared validation, directly ------------------------------------------------------------


def test_a_partial_object_is_merged_with_the_defaults_and_the_result_is_complete():
    scheme = get_scheme("jakarta")
    settings = parse_settings({"batas_predikat": {"sangat_baik": "105"}}, scheme)
    assert settings["batas_predikat"] == {
        "sangat_baik": D(105), "baik": D(90), "butuh_perbaikan": D(70), "kurang": D(50),
    }  # fmt: skip
    assert set(settings) == {"batas_capaian", "nilai_level", "batas_predikat"}  # jakarta uses
    assert settings["batas_capaian"] == D("1.2")


def test_the_settings_land_in_the_scoring_config():
    scheme = get_scheme("tebingtinggi")
    configured = apply_settings(
        scheme,
        parse_settings(
            {"batas_capaian": "1.3", "nilai_level": {"5": 120}, "potongan_terlambat": "0.25",
             "potongan_hukuman": {"berat": 60}, "minimal_rekan": 4,
             "batas_predikat": {"kurang": 40}},
            scheme,
        ),
    )  # fmt: skip
    cfg = configured.config
    assert cfg.achievement_cap == D("1.3")
    assert cfg.level_values[5] == D(120) and cfg.level_values[4] == D(100)
    assert cfg.attendance_penalty == D("0.25")
    assert cfg.sanction_penalties["berat"] == D(60)
    assert cfg.min_peer_answers == 4 and cfg.min_ikm_respondents == 30
    assert [threshold for threshold, _ in cfg.bands] == [D(110), D(90), D(70), D(40)]
    assert scheme.config.achievement_cap == D("1.2")  # the preset itself is untouched


def test_stored_settings_read_back_to_the_same_settings():
    scheme = get_scheme("nasional")
    settings = parse_settings({"batas_rating": {"di_atas": 105.5}, "minimal_rekan": 2}, scheme)
    stored = json.loads(json.dumps(settings_to_json(settings)))
    assert stored["batas_rating"] == {"di_atas": "105.5", "di_bawah": "90"}
    assert parse_settings(stored, scheme) == settings


def test_every_problem_has_its_path():
    with pytest.raises(SettingsError) as caught:
        parse_settings({"nilai_level": {"1": "-3"}, "minimal_rekan": 0}, get_scheme("tangsel"))
    assert [(e.path, e.message) for e in caught.value.errors] == [
        (("nilai_level", "1"), "harus berupa angka > 0"),
        (("minimal_rekan",), "harus berupa bilangan bulat >= 1"),
    ]


def test_the_request_carries_the_scheme_with_weights_and_settings():
    request = parse_explain_request(
        {**jakarta_108_70(), "bobot": {"indikator_jabatan": 60, "perilaku": 40},
         "pengaturan": {"batas_capaian": 1.3}}
    )  # fmt: skip
    assert request.scheme.weights == {"indikator_jabatan": D(60), "perilaku": D(40)}
    assert request.scheme.config.achievement_cap == D("1.3")
    assert request.settings_changed == {"batas_capaian": D("1.3")}
