"""``manage.py explain_score FILE`` (docs/explain_score.md): the breakdown in
Indonesian, then ``Nilai akhir: <value>`` (numeric mode only) and ``Predikat: <code>``, last.
Exit 0 on success; 1 for invalid input, with the messages on standard error; 2 for a usage
error or a file that cannot be read (or is not UTF-8)."""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from indicators.explain import explain_score, render_breakdown_text
from indicators.schemes import SCHEMES
from indicators.scoring import BERAKHLAK

from .indicator_files import call


def values(atasan: int, rekan=()) -> dict:
    return {code: {"atasan": atasan, "rekan": list(rekan)} for code in BERAKHLAK}


def quantitative(code, bobot, *, target, realisasi, arah="naik", **extra):
    return {"kode": code, "jenis": "kuantitatif", "arah": arah, "target": target,
            "realisasi": realisasi, "bobot": bobot, **extra}  # fmt: skip


def rubric(code, bobot, level):
    return {"kode": code, "jenis": "rubrik", "bobot": bobot, "level": level}


# One realistic appraisal per preset, with its expected last lines worked out by hand.
CASES = {
    # Indikator jabatan 70: (110 × 60 + 100 × 40) / 100 = 106; perilaku 30: all level 5 = 115.
    # 0.7 × 106 + 0.3 × 115 = 108.70 → baik.
    "jakarta": (
        {
            "skema": "jakarta",
            "hasil": [
                {
                    "kode": "RHK-1",
                    "jenis": "utama",
                    "indikator": [
                        quantitative("IND-1", 60, target=100, realisasi=110),
                        rubric("IND-2", 40, 4),
                    ],
                }
            ],
            "perilaku": values(5),
        },
        ["Nilai akhir: 108.70", "Predikat: baik"],
    ),
    # Kompetensi teknis 50: lower is better, (2 × 10 − 8) / 10 = 1.2 → 120. Sikap 25: level 3
    # = 80. Perilaku 25: 0.7 × 100 + 0.3 × mean(115, 115, 100) = 103.
    # 60 + 20 + 25.75 = 105.75 → baik.
    "tangsel": (
        {
            "skema": "tangsel",
            "hasil": [
                {
                    "kode": "KT",
                    "komponen": "kompetensi_teknis",
                    "indikator": [quantitative("KT-1", 50, target=10, realisasi=8, arah="turun")],
                },
                {"kode": "SK", "komponen": "sikap", "indikator": [rubric("SK-1", 50, 3)]},
            ],
            "perilaku": values(4, [5, 5, 4]),
        },  # fmt: skip
        ["Nilai akhir: 105.75", "Predikat: baik"],
    ),
    # Output terukur 50: 150 / 200 = 75 (verified). IKM 30: 80 × 1.15 = 92 (40 respondents).
    # Penilaian atasan 20: level 4 = 100. 37.5 + 27.6 + 20 = 85.10 → butuh_perbaikan.
    "rakumpit": (
        {
            "skema": "rakumpit",
            "hasil": [
                {
                    "kode": "OUT",
                    "indikator": [
                        quantitative("OUT-1", 100, target=200, realisasi=150, terverifikasi=True)
                    ],
                }
            ],
            "perilaku": values(4),
            "ikm": {"nilai": 80, "responden": 40},
        },
        ["Nilai akhir: 85.10", "Predikat: butuh_perbaikan"],
    ),
    # Kehadiran 20: (100 × 20 / 22 − 0.5 × 3) × 1.15 = 102.8204…; disiplin 20: (100 − 25) ×
    # 1.15 = 86.25; kualitas kerja 40: level 4 = 100; kontribusi tim 20: two peers only, so
    # the supervisor's 100. 20.5641 + 17.25 + 40 + 20 = 97.81 → baik.
    "tebingtinggi": (
        {
            "skema": "tebingtinggi",
            "hasil": [
                {"kode": "KK", "komponen": "kualitas_kerja", "indikator": [rubric("KK-1", 100, 4)]}
            ],
            "perilaku": values(4, [4, 4]),
            "kehadiran": {"hari_kerja": 22, "hari_hadir": 20, "terlambat": 2, "pulang_cepat": 1},
            "disiplin": ["sedang"],
        },  # fmt: skip
        ["Nilai akhir: 97.81", "Predikat: baik"],
    ),
    # Target jabatan 60: 6 / 12 = 50. Kualitas layanan 40: Tim Penilai levels 2 and 3 →
    # mean(60, 80) = 70. 30 + 28 = 58.00 → kurang.
    "kotalama": (
        {
            "skema": "kotalama",
            "hasil": [
                {"kode": "TJ", "indikator": [quantitative("TJ-1", 100, target=12, realisasi=6)]}
            ],
            "tim": [2, 3],
        },  # fmt: skip
        ["Nilai akhir: 58.00", "Predikat: kurang"],
    ),
    # Matrix: the only result is at 120 (≥ 110): Hasil Kerja Di Atas; Perilaku all level 5 =
    # 115: Di Atas. Di Atas × Di Atas → sangat_baik, and no final value.
    "nasional": (
        {
            "skema": "nasional",
            "hasil": [
                {
                    "kode": "RHK-1",
                    "jenis": "utama",
                    "indikator": [quantitative("IND-1", 100, target=10, realisasi=12)],
                }
            ],
            "perilaku": values(5),
        },  # fmt: skip
        ["Kesimpulan: Sangat Baik, faktor insentif (TPP) 100%", "Predikat: sangat_baik"],
    ),
}


@pytest.fixture
def write(tmp_path):
    def _write(content: str | bytes | dict, name: str = "penilaian.json") -> str:
        path = tmp_path / name
        if isinstance(content, dict):
            content = json.dumps(content, ensure_ascii=False, indent=2)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return str(path)

    return _write


def test_there_is_one_case_per_preset():
    assert set(CASES) == set(SCHEMES)


@pytest.mark.parametrize("key", list(CASES))
def test_each_preset_is_explained_with_exit_0_and_the_exact_last_lines(write, key):
    data, last_lines = CASES[key]
    status, out, err = call("explain_score", write(data))
    assert (status, err) == (0, "")
    lines = out.rstrip("\n").splitlines()
    assert lines[-2:] == last_lines
    assert lines[0].startswith("Skema: ") and f"({key})" in lines[0]


@pytest.mark.parametrize("key", list(CASES))
def test_the_command_prints_what_the_pages_render(write, key):
    data, _ = CASES[key]
    _status, out, _err = call("explain_score", write(data))
    assert out.rstrip("\n") == render_breakdown_text(explain_score(copy.deepcopy(data)))


def test_numeric_mode_ends_with_nilai_akhir_then_predikat_and_matrix_mode_has_no_nilai_akhir(
    write,
):
    _s, numeric, _e = call("explain_score", write(CASES["jakarta"][0]))
    _s, matrix, _e = call("explain_score", write(CASES["nasional"][0]))
    assert numeric.splitlines()[-2].startswith("Nilai akhir: ")
    assert "Nilai akhir" not in matrix
    assert "Hasil Kerja: nilai 120.00, rekomendasi Di Atas Ekspektasi" in matrix


def test_the_breakdown_is_in_indonesian_and_names_every_indicator(write):
    _s, out, _e = call("explain_score", write(CASES["tebingtinggi"][0]))
    assert "Komponen Kehadiran [kehadiran], bobot 20%" in out
    assert "Indikator KK-1 (rubrik, bobot 100): level 4 dari atasan, nilai 100.00" in out
    assert "porsi rekan ke atasan" in out


def test_numbers_may_be_written_as_strings_and_fractions_stay_exact(write):
    data = copy.deepcopy(CASES["jakarta"][0])
    data["hasil"][0]["indikator"][0].update(target="100", realisasi=109.995)
    data["hasil"][0]["indikator"][0]["bobot"] = "60"
    status, out, _ = call("explain_score", write(data))
    assert status == 0
    assert "capaian 110.00%" in out  # 109.995 rounds half up, never through a binary float


def test_a_utf8_file_with_a_byte_order_mark_is_read(write):
    text = json.dumps(CASES["kotalama"][0])
    status, out, _ = call("explain_score", write("\ufeff" + text))
    assert status == 0 and out.splitlines()[-1] == "Predikat: kurang"


def test_non_ascii_text_in_the_input_is_accepted(write):
    data = copy.deepcopy(CASES["kotalama"][0])
    data["hasil"][0]["kode"] = "Pelayanan–Kesehatan é"
    status, out, _ = call("explain_score", write(data))
    assert status == 0 and "Pelayanan–Kesehatan é" in out


# --- invalid input: exit 1, messages on standard error ---------------------------------------


def invalid(write, content) -> list[str]:
    status, out, err = call("explain_score", write(content))
    assert status == 1
    assert out == ""
    return err.splitlines()


def test_an_unknown_preset_exits_1_naming_the_choices(write):
    [message, summary] = invalid(write, {"skema": "bandung", "hasil": []})
    assert message == (
        "skema: skema tidak dikenal 'bandung'; pilihan: nasional, jakarta, tangsel, rakumpit, "
        "tebingtinggi, kotalama"
    )
    assert summary == "1 kesalahan pada input; tidak ada nilai yang dihitung."


def test_every_problem_is_reported_at_once_by_its_path(write):
    data = copy.deepcopy(CASES["tebingtinggi"][0])
    data["hasil"][0]["indikator"] = [
        rubric("KK-1", 60, 6),
        quantitative("KK-2", 40, target=0, realisasi=-1),
    ]
    data["kehadiran"]["hari_hadir"] = 23
    data["disiplin"] = ["teguran"]
    errors = invalid(write, data)
    assert errors[:-1] == [
        "hasil[0].indikator[0].level: harus berupa level 1 sampai 5",
        "hasil[0].indikator[1].target: harus berupa angka > 0",
        "hasil[0].indikator[1].realisasi: harus berupa angka >= 0",
        "kehadiran.hari_hadir: tidak boleh melebihi hari_kerja",
        "disiplin[0]: harus salah satu dari ringan, sedang, berat",
    ]
    assert errors[-1] == "5 kesalahan pada input; tidak ada nilai yang dihitung."


def test_weights_that_do_not_sum_to_100_exit_1(write):
    data = copy.deepcopy(CASES["jakarta"][0])
    data["hasil"][0]["indikator"][1]["bobot"] = 30
    assert invalid(write, data)[0] == "hasil: jumlah bobot semua indikator harus 100 (saat ini 90)"


def test_a_component_that_is_not_a_plan_component_of_the_preset_exits_1(write):
    data = copy.deepcopy(CASES["jakarta"][0])
    data["hasil"][0]["komponen"] = "kualitas_kerja"
    assert invalid(write, data)[0].startswith("hasil[0].komponen: bukan komponen rencana skema")


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"skema": "jakarta",', "input: JSON tidak valid pada baris 1, kolom 21"),
        ("", "input: JSON tidak valid pada baris 1, kolom 1"),
        ("{'skema': 'jakarta'}", "input: JSON tidak valid pada baris 1, kolom 2"),
    ],
)
def test_json_that_does_not_parse_exits_1_with_its_position(write, text, message):
    assert invalid(write, text)[0].startswith(message)


@pytest.mark.parametrize("text", ["[]", '"jakarta"', "42", "null"])
def test_json_that_is_not_an_object_exits_1(write, text):
    assert invalid(write, text)[0] == "input: harus berupa objek JSON"


def test_a_key_repeated_in_one_object_exits_1(write):
    text = '{"skema": "jakarta", "skema": "nasional", "hasil": []}'
    assert (
        invalid(write, text)[0] == "input: kunci 'skema' muncul lebih dari sekali dalam satu objek"
    )


def test_not_a_number_is_invalid_input(write):
    text = json.dumps(CASES["kotalama"][0]).replace('"realisasi": 6', '"realisasi": NaN')
    assert invalid(write, text)[0] == "hasil[0].indikator[0].realisasi: harus berupa angka >= 0"


# --- usage errors and unreadable files: exit 2 ------------------------------------------------


def test_a_missing_file_exits_2(tmp_path):
    status, out, err = call("explain_score", str(tmp_path / "tidak-ada.json"))
    assert status == 2 and out == ""
    assert "Berkas tidak dapat dibaca" in err


def test_a_directory_exits_2(tmp_path):
    assert call("explain_score", str(tmp_path))[0] == 2


@pytest.mark.parametrize(
    "content",
    [
        '{"skema": "jakarta"}'.encode("utf-16"),
        '{"skema": "café"}'.encode("latin-1"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_a_file_that_is_not_utf8_text_exits_2(write, content):
    status, _out, err = call("explain_score", write(content))
    assert status == 2 and "UTF-8" in err


def test_a_missing_argument_or_an_extra_one_is_a_usage_error_with_exit_2(write):
    assert call("explain_score")[0] == 2
    path = write(CASES["jakarta"][0])
    assert call("explain_score", path, path)[0] == 2
    assert call("explain_score", path, "--bobot=70")[0] == 2


def test_a_dash_reads_standard_input(monkeypatch):
    data = json.dumps(CASES["tangsel"][0]).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    status, out, _err = call("explain_score", "-")
    assert status == 0 and out.splitlines()[-2:] == CASES["tangsel"][1]


# --- the real manage.py -----------------------------------------------------------------------


def manage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "explain_score", *args],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_manage_py_exits_0_1_and_2(tmp_path):
    """One real process per exit status; the tests above run the command in-process."""
    piped = manage("-", stdin=json.dumps(CASES["nasional"][0]))
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.splitlines()[-1] == "Predikat: sangat_baik"

    bad = tmp_path / "buruk.json"
    bad.write_text('{"skema": "jakarta", "hasil": []}', encoding="utf-8")
    refused = manage(str(bad))
    assert refused.returncode == 1
    assert "hasil: wajib berisi minimal satu hasil kerja" in refused.stderr
    assert refused.stdout == ""

    assert manage(str(tmp_path / "tidak-ada.json")).returncode == 2


def test_the_help_names_the_presets_and_exit_statuses():
    out = io.StringIO()
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()["explain_score"], "explain_score")
    command.create_parser("manage.py", "explain_score").print_help(out)
    text = " ".join(out.getvalue().split())
    assert all(key in text for key in SCHEMES)
    assert "1 input tidak valid" in text
