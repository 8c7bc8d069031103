"""The preset registry, the shape of each preset, and hand-computed scores per preset."""

import dataclasses
import importlib
from decimal import Decimal

import pytest

from indicators.schemes import SCHEMES, get_scheme, scheme_choices
from indicators.schemes.base import (
    Mode,
    PeriodType,
    Predikat,
    Rating,
    Sanction,
    SchemeError,
    ScoringConfig,
    Source,
)
from indicators.scoring import (
    BERAKHLAK,
    AppraisalInput,
    AttendanceInput,
    BehaviourInput,
    ComponentStatus,
    IkmInput,
    IndicatorInput,
    ResultInput,
    compute_appraisal,
)

D = Decimal
PRESET_KEYS = ["nasional", "jakarta", "tangsel", "rakumpit", "tebingtinggi", "kotalama"]
NUMERIC_KEYS = [key for key in PRESET_KEYS if key != "nasional"]


def quantitative(code="I1", weight=100, realisation="100", target="100", direction="naik"):
    return IndicatorInput(
        code=code,
        kind="kuantitatif",
        weight=D(weight),
        direction=direction,
        target=D(target),
        realisation=None if realisation is None else D(realisation),
        verified=True,
    )


def rubric(code="R1", weight=100, level=4):
    return IndicatorInput(code=code, kind="rubrik", weight=D(weight), level=level)


def result(*indicators, code="H1", kind="utama", component=None):
    return ResultInput(code=code, indicators=indicators, kind=kind, component=component)


def all_values(supervisor, peers=()):
    return {code: BehaviourInput(supervisor=supervisor, peers=tuple(peers)) for code in BERAKHLAK}


# ------------------------------------------------------------------ registry


def test_the_registry_lists_the_six_presets_by_their_public_keys():
    assert list(SCHEMES) == PRESET_KEYS
    assert [key for key, _ in scheme_choices()] == PRESET_KEYS


def test_an_unknown_scheme_key_raises_a_key_error_naming_the_choices():
    with pytest.raises(KeyError, match="'surabaya' tidak dikenal; pilihan: nasional, jakarta"):
        get_scheme("surabaya")


@pytest.mark.parametrize("key", PRESET_KEYS)
def test_each_preset_module_defines_its_scheme_and_documents_its_component_keys(key):
    module = importlib.import_module(f"indicators.schemes.{key}")
    assert module.SCHEME is get_scheme(key)
    assert module.SCHEME.key == key
    for component in module.SCHEME.components:
        assert f"`{component.key}`" in module.__doc__


@pytest.mark.parametrize("key", PRESET_KEYS)
def test_each_component_is_explained_in_plain_indonesian(key):
    scheme = get_scheme(key)
    explanation = "\n".join(scheme.explanation())
    assert scheme.summary in explanation
    for component in scheme.components:
        assert component.raters, component.key
        assert component.data_source and component.description
        assert component.name in explanation
        if component.weight is not None:
            assert f"bobot {component.weight}%" in explanation
    assert "Predikat" in explanation
    assert "dihitung 0" in explanation


@pytest.mark.parametrize("key", NUMERIC_KEYS)
def test_numeric_presets_have_positive_weights_summing_to_100(key):
    scheme = get_scheme(key)
    assert scheme.mode == Mode.NUMERIC
    assert sum(scheme.weights.values()) == 100
    assert all(weight > 0 for weight in scheme.weights.values())


@pytest.mark.parametrize(
    ("key", "weights"),
    [
        ("jakarta", {"indikator_jabatan": 70, "perilaku": 30}),
        ("tangsel", {"kompetensi_teknis": 50, "sikap": 25, "perilaku": 25}),
        ("rakumpit", {"output_terukur": 50, "kepuasan_masyarakat": 30, "penilaian_atasan": 20}),
        (
            "tebingtinggi",
            {"kehadiran": 20, "disiplin": 20, "kualitas_kerja": 40, "kontribusi_tim": 20},
        ),
        ("kotalama", {"target_jabatan": 60, "kualitas_layanan": 40}),
        ("nasional", {}),
    ],
)
def test_each_preset_has_its_default_component_weights(key, weights):
    assert get_scheme(key).weights == {k: D(v) for k, v in weights.items()}


def test_the_national_scheme_is_a_weightless_matrix_of_results_and_behaviour():
    scheme = get_scheme("nasional")
    assert scheme.mode == Mode.MATRIX
    assert [(c.key, c.source) for c in scheme.components] == [
        ("hasil_kerja", Source.RENCANA),
        ("perilaku", Source.PERILAKU),
    ]
    perilaku = scheme.component("perilaku")
    assert (perilaku.supervisor_share, perilaku.peer_share) == (70, 30)
    assert scheme.cascading
    assert scheme.period_types == (PeriodType.QUARTERLY, PeriodType.ANNUAL)


def test_each_preset_carries_its_distinctive_features():
    assert get_scheme("rakumpit").verifies_realisations
    assert not any(SCHEMES[k].verifies_realisations for k in PRESET_KEYS if k != "rakumpit")
    assert get_scheme("tangsel").shows_self_assessment_gap
    assert get_scheme("tebingtinggi").period_types == (PeriodType.ANNUAL,)
    assert get_scheme("kotalama").incentive_in_export
    assert get_scheme("kotalama").has_due_dates
    assert get_scheme("kotalama").component("kualitas_layanan").source == Source.TIM
    assert get_scheme("tebingtinggi").component("kontribusi_tim").peer_share == 50
    assert get_scheme("tangsel").component("perilaku").peer_share == 30
    assert get_scheme("jakarta").component("perilaku").peer_share == 0


def test_a_result_without_a_component_goes_to_the_first_plan_component():
    assert {key: s.main_component.key for key, s in SCHEMES.items()} == {
        "nasional": "hasil_kerja",
        "jakarta": "indikator_jabatan",
        "tangsel": "kompetensi_teknis",
        "rakumpit": "output_terukur",
        "tebingtinggi": "kualitas_kerja",
        "kotalama": "target_jabatan",
    }


# ------------------------------------------------------------------ weights


def test_a_cycle_may_override_the_weights_without_changing_the_preset():
    scheme = get_scheme("jakarta").with_weights({"indikator_jabatan": "60", "perilaku": 40})
    assert scheme.weights == {"indikator_jabatan": D(60), "perilaku": D(40)}
    assert get_scheme("jakarta").weights["indikator_jabatan"] == 70
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="100")),), behaviour=all_values(5)
    )
    assert compute_appraisal(scheme, appraisal).final_value == D(106)  # 60 + 0.4 × 115


def test_overridden_weights_must_sum_to_100():
    with pytest.raises(SchemeError, match="berjumlah 100 \\(saat ini 90\\)"):
        get_scheme("jakarta").with_weights({"indikator_jabatan": 60, "perilaku": 30})


def test_overridden_weights_must_name_every_component_and_nothing_else():
    with pytest.raises(SchemeError, match=r"bobot belum diisi: Perilaku Kerja \(perilaku\)"):
        get_scheme("jakarta").with_weights({"indikator_jabatan": 100})
    with pytest.raises(SchemeError, match="komponen tidak dikenal: ikm"):
        get_scheme("jakarta").with_weights({"indikator_jabatan": 40, "perilaku": 30, "ikm": 30})


def test_a_component_weight_must_be_a_positive_number():
    with pytest.raises(SchemeError, match="lebih dari 0"):
        get_scheme("kotalama").with_weights({"target_jabatan": 100, "kualitas_layanan": 0})
    with pytest.raises(SchemeError, match="angka"):
        get_scheme("kotalama").with_weights(
            {"target_jabatan": "enam puluh", "kualitas_layanan": 40}
        )


def test_the_matrix_scheme_refuses_weights():
    assert get_scheme("nasional").with_weights({}) is get_scheme("nasional")
    with pytest.raises(SchemeError, match="tidak memakai bobot"):
        get_scheme("nasional").with_weights({"hasil_kerja": 50, "perilaku": 50})


def test_a_config_whose_levels_do_not_rise_is_refused():
    levels = {1: D(45), 2: D(60), 3: D(60), 4: D(100), 5: D(115)}
    with pytest.raises(SchemeError):
        ScoringConfig(level_values=levels)


def test_a_scheme_with_two_behaviour_components_is_refused():
    scheme = get_scheme("jakarta")
    extra = dataclasses.replace(scheme.component("perilaku"), key="perilaku_2", weight=D(10))
    with pytest.raises(SchemeError, match="lebih dari sekali"):
        dataclasses.replace(scheme, components=(*scheme.components, extra))


# --------------------------------------------------------- hand-computed cases


def test_jakarta_109_995_rounds_to_110_and_is_sangat_baik():
    # 0.7 × 107.85 + 0.3 × 115 = 75.495 + 34.5 = 109.995
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="107.85")),), behaviour=all_values(5)
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert breakdown.final_value == D("109.995")
    assert breakdown.final_value_rounded == D("110.00")
    assert breakdown.predikat == Predikat.SANGAT_BAIK


def test_jakarta_89_995_rounds_to_90_and_is_baik_while_89_994_is_butuh_perbaikan():
    # 0.7 × 102.85 + 0.3 × 60 = 71.995 + 18 = 89.995
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="102.85")),), behaviour=all_values(2)
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert (breakdown.final_value_rounded, breakdown.predikat) == (D("90.00"), Predikat.BAIK)
    # 0.7 × 102.8485 + 18 = 89.99395
    below = AppraisalInput(
        results=(result(quantitative(realisation="102.8485")),), behaviour=all_values(2)
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), below)
    assert (breakdown.final_value_rounded, breakdown.predikat) == (
        D("89.99"),
        Predikat.BUTUH_PERBAIKAN,
    )


def test_tangsel_blends_competence_attitude_and_behaviour():
    appraisal = AppraisalInput(
        results=(
            result(quantitative("KT1", 60, "110"), code="H1"),
            result(rubric("S1", 40, level=4), code="H2", component="sikap"),
        ),
        behaviour=all_values(4, peers=(5, 5, 5)),
    )
    breakdown = compute_appraisal(get_scheme("tangsel"), appraisal)
    assert [c.value for c in breakdown.components] == [D(110), D(100), D("104.5")]
    # 0.5 × 110 + 0.25 × 100 + 0.25 × 104.5 = 106.125
    assert breakdown.final_value == D("106.125")
    assert breakdown.final_value_rounded == D("106.13")
    assert breakdown.predikat == Predikat.BAIK


def test_tangsel_109_995_is_sangat_baik():
    # 0.5 × 104.99 + 0.25 × 115 + 0.25 × 115 = 109.995
    appraisal = AppraisalInput(
        results=(
            result(quantitative("KT1", 60, "104.99"), code="H1"),
            result(rubric("S1", 40, level=5), code="H2", component="sikap"),
        ),
        behaviour=all_values(5, peers=(5, 5, 5)),
    )
    breakdown = compute_appraisal(get_scheme("tangsel"), appraisal)
    assert breakdown.final_value == D("109.995")
    assert breakdown.predikat == Predikat.SANGAT_BAIK


def rakumpit_appraisal(respondents, second_verified=False):
    verified = quantitative("O1", 50, "120")
    unverified = dataclasses.replace(quantitative("O2", 50, "90"), verified=second_verified)
    return AppraisalInput(
        results=(result(verified, unverified),),
        behaviour=all_values(4),
        ikm=IkmInput(D("80"), respondents),
    )


def test_rakumpit_counts_only_verified_output_and_the_unit_ikm():
    breakdown = compute_appraisal(get_scheme("rakumpit"), rakumpit_appraisal(40))
    # output (120 × 50 + 0 × 50) / 100 = 60; IKM 80 × 1.15 = 92; supervisor 100
    assert [c.value for c in breakdown.components] == [D(60), D("92.00"), D(100)]
    assert breakdown.final_value == D("77.6")  # 30 + 27.6 + 20
    assert breakdown.predikat == Predikat.BUTUH_PERBAIKAN
    assert breakdown.results[0].indicators[1].zeroed


def test_rakumpit_without_enough_survey_respondents_shares_the_ikm_weight():
    breakdown = compute_appraisal(get_scheme("rakumpit"), rakumpit_appraisal(25))
    assert breakdown.component("kepuasan_masyarakat").status == ComponentStatus.DIALIHKAN
    assert breakdown.final_value_rounded == D("71.43")  # (60 × 50 + 100 × 20) / 70
    assert breakdown.predikat == Predikat.BUTUH_PERBAIKAN


def test_rakumpit_89_995_is_baik():
    # 0.5 × 84.79 + 0.3 × 92 + 0.2 × 100 = 42.395 + 27.6 + 20 = 89.995
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="84.79")),),
        behaviour=all_values(4),
        ikm=IkmInput(D(80), 30),
    )
    breakdown = compute_appraisal(get_scheme("rakumpit"), appraisal)
    assert breakdown.final_value == D("89.995")
    assert breakdown.predikat == Predikat.BAIK


def tebingtinggi_appraisal(attendance):
    return AppraisalInput(
        results=(result(rubric(level=4)),),
        behaviour=all_values(5, peers=(4, 4, 4)),
        attendance=attendance,
        sanctions=(Sanction.SEDANG,),
    )


def test_tebingtinggi_combines_attendance_discipline_quality_and_team_contribution():
    attendance = AttendanceInput(22, 22, late=1, early_leave=1)
    breakdown = compute_appraisal(get_scheme("tebingtinggi"), tebingtinggi_appraisal(attendance))
    # attendance 99 × 1.15 = 113.85; discipline 75 × 1.15 = 86.25; quality 100;
    # team 0.5 × 115 + 0.5 × 100 = 107.5
    assert [c.value_rounded for c in breakdown.components] == [
        D("113.85"),
        D("86.25"),
        D("100.00"),
        D("107.50"),
    ]
    assert breakdown.final_value == D("101.52")
    assert breakdown.predikat == Predikat.BAIK


def test_tebingtinggi_without_an_attendance_import_shares_its_weight():
    breakdown = compute_appraisal(get_scheme("tebingtinggi"), tebingtinggi_appraisal(None))
    assert breakdown.final_value == D("98.4375")  # (86.25 × 20 + 100 × 40 + 107.5 × 20) / 80
    assert breakdown.component("kehadiran").effective_weight == 0
    assert breakdown.component("kualitas_kerja").effective_weight == 50
    zero_days = compute_appraisal(
        get_scheme("tebingtinggi"), tebingtinggi_appraisal(AttendanceInput(0, 0))
    )
    assert zero_days.final_value == D("98.4375")


def test_tebingtinggi_109_995_is_sangat_baik():
    # 0.2 × 115 × 3 + 0.4 × 102.4875 = 69 + 40.995 = 109.995
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="102.4875")),),
        behaviour=all_values(5, peers=(5, 5, 5)),
        attendance=AttendanceInput(20, 20),
    )
    breakdown = compute_appraisal(get_scheme("tebingtinggi"), appraisal)
    assert breakdown.final_value == D("109.995")
    assert breakdown.predikat == Predikat.SANGAT_BAIK


def test_kotalama_combines_targets_with_due_dates_and_the_team_mean():
    targets = result(
        quantitative("WAKTU", 50, "8", target="10", direction="turun"),  # 1.2 → 120
        quantitative("TEPAT", 50, "81", target="90"),  # 0.9 → 90
    )
    appraisal = AppraisalInput(results=(targets,), team_levels=(4, 5, 5))
    breakdown = compute_appraisal(get_scheme("kotalama"), appraisal)
    assert [c.value for c in breakdown.components] == [D(105), D(110)]
    assert breakdown.final_value == D(107)  # 0.6 × 105 + 0.4 × 110
    assert breakdown.predikat == Predikat.BAIK
    assert breakdown.incentive_percent == 90


def test_kotalama_without_tim_penilai_members_scores_the_targets_alone():
    appraisal = AppraisalInput(results=(result(quantitative(realisation="105")),), team_levels=None)
    breakdown = compute_appraisal(get_scheme("kotalama"), appraisal)
    assert breakdown.final_value == 105
    assert breakdown.component("target_jabatan").effective_weight == 100
    assert any("Tim Penilai" in note for note in breakdown.notes)


def test_kotalama_89_995_is_baik():
    # 0.6 × 83.325 + 0.4 × 100 = 49.995 + 40
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="83.325")),), team_levels=(4,)
    )
    breakdown = compute_appraisal(get_scheme("kotalama"), appraisal)
    assert breakdown.final_value == D("89.995")
    assert breakdown.predikat == Predikat.BAIK


def test_nasional_rates_results_and_behaviour_then_reads_the_matrix():
    appraisal = AppraisalInput(
        results=(
            result(quantitative(weight=60, realisation="115"), code="H1"),
            result(rubric(weight=40, level=4), code="H2", kind="tambahan"),
        ),
        behaviour=all_values(5, peers=(4, 4, 4)),  # 0.7 × 115 + 0.3 × 100 = 110.5
    )
    breakdown = compute_appraisal(get_scheme("nasional"), appraisal)
    assert [r.rating for r in breakdown.results] == [Rating.DI_ATAS, Rating.SESUAI]
    assert breakdown.hasil_kerja.value == D(109)  # (115 × 60 + 100 × 40) / 100
    assert breakdown.hasil_kerja.recommended == Rating.DI_ATAS
    assert breakdown.perilaku.value == D("110.5")
    assert breakdown.predikat == Predikat.SANGAT_BAIK


# --------------------------------------------------- every predikat in every preset

# Per band, inputs that put every source in that band: a quantitative realisation
# against target 100, a level, attendance (working, present), sanctions and an IKM.
BANDS = {
    Predikat.SANGAT_BAIK: ("120", 5, (20, 20), (), "100"),
    Predikat.BAIK: ("100", 4, (100, 87), (), "87"),
    Predikat.BUTUH_PERBAIKAN: ("80", 3, (100, 70), (Sanction.SEDANG,), "70"),
    Predikat.KURANG: ("60", 2, (100, 52), (Sanction.BERAT,), "52"),
    Predikat.SANGAT_KURANG: ("40", 1, (100, 39), (Sanction.BERAT, Sanction.RINGAN), "39"),
}


def band_appraisal(scheme, band):
    realisation, level, (working, present), sanctions, ikm = BANDS[band]
    keys = scheme.plan_component_keys
    results = tuple(
        result(
            quantitative(weight=100 // len(keys), realisation=realisation), code=key, component=key
        )
        for key in keys
    )
    return AppraisalInput(
        results=results,
        behaviour=all_values(level, peers=(level, level, level)),
        attendance=AttendanceInput(working, present),
        sanctions=sanctions,
        ikm=IkmInput(D(ikm), 50),
        team_levels=(level, level),
    )


@pytest.mark.parametrize("band", list(Predikat))
@pytest.mark.parametrize("key", NUMERIC_KEYS)
def test_every_numeric_preset_reaches_every_predikat(key, band):
    breakdown = compute_appraisal(get_scheme(key), band_appraisal(get_scheme(key), band))
    assert breakdown.complete
    assert breakdown.predikat == band


@pytest.mark.parametrize(
    ("predikat", "realisation", "level"),
    [
        (Predikat.SANGAT_BAIK, "115", 5),
        (Predikat.BAIK, "100", 4),
        (Predikat.BUTUH_PERBAIKAN, "80", 4),
        (Predikat.KURANG, "100", 3),
        (Predikat.SANGAT_KURANG, "80", 3),
    ],
)
def test_the_national_preset_reaches_every_predikat(predikat, realisation, level):
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation=realisation)),),
        behaviour=all_values(level, peers=(level, level, level)),
    )
    breakdown = compute_appraisal(get_scheme("nasional"), appraisal)
    assert breakdown.predikat == predikat
