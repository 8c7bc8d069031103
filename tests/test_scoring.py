"""The scoring rules of docs/scoring.md, table by table and rule by rule."""

import json
from decimal import Decimal, localcontext

import pytest

from indicators.schemes import get_scheme
from indicators.schemes.base import Mode, Predikat, Rating, Sanction
from indicators.scoring import (
    BERAKHLAK,
    AppraisalInput,
    AttendanceInput,
    BehaviourInput,
    ComponentStatus,
    IkmInput,
    IndicatorInput,
    RatingOverride,
    ResultInput,
    ScoringInputError,
    achievement,
    angka_kredit,
    attendance_score,
    check_distribution,
    compute_appraisal,
    discipline_score,
    incentive_percent,
    level_value,
    matrix_predikat,
    predikat_for_value,
    rating_for_value,
    round2,
)

D = Decimal
SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
ATAS, SESUAI, BAWAH = Rating.DI_ATAS, Rating.SESUAI, Rating.DI_BAWAH


def quantitative(code="I1", weight=100, realisation="100", target="100", **kw):
    realisation = None if realisation is None else D(realisation)
    return IndicatorInput(
        code=code,
        kind="kuantitatif",
        weight=D(weight),
        target=D(target),
        realisation=realisation,
        **kw,
    )


def rubric(code="R1", weight=100, level=4):
    return IndicatorInput(code=code, kind="rubrik", weight=D(weight), level=level)


def result(*indicators, code="H1", kind="utama", component=None):
    return ResultInput(code=code, indicators=indicators, kind=kind, component=component)


def all_values(supervisor, peers=()):
    return {code: BehaviourInput(supervisor=supervisor, peers=tuple(peers)) for code in BERAKHLAK}


# ---------------------------------------------------------------- tables


@pytest.mark.parametrize(
    ("level", "value"), [(1, "45"), (2, "60"), (3, "80"), (4, "100"), (5, "115")]
)
def test_each_level_has_its_default_value(level, value):
    assert level_value(level) == D(value)


@pytest.mark.parametrize("level", [0, 6, True, None])
def test_a_level_outside_1_to_5_is_refused(level):
    with pytest.raises(ScoringInputError):
        level_value(level)


@pytest.mark.parametrize(
    ("value", "predikat"),
    [
        ("120", SB),
        ("110", SB),
        ("109.995", SB),
        ("109.9949999", B),
        ("90", B),
        ("89.995", B),
        ("89.9949", BP),
        ("70", BP),
        ("69.995", BP),
        ("69.994", K),
        ("50", K),
        ("49.995", K),
        ("49.99", SK),
        ("0", SK),
    ],
)
def test_numeric_bands_apply_to_the_value_rounded_half_up(value, predikat):
    assert predikat_for_value(D(value)) == predikat


@pytest.mark.parametrize(
    ("hasil_kerja", "perilaku", "predikat"),
    [
        (ATAS, ATAS, SB),
        (ATAS, SESUAI, B),
        (ATAS, BAWAH, K),
        (SESUAI, ATAS, B),
        (SESUAI, SESUAI, B),
        (SESUAI, BAWAH, K),
        (BAWAH, ATAS, BP),
        (BAWAH, SESUAI, BP),
        (BAWAH, BAWAH, SK),
    ],
)
def test_each_matrix_cell_gives_its_predikat(hasil_kerja, perilaku, predikat):
    assert matrix_predikat(hasil_kerja, perilaku) == predikat
    assert matrix_predikat(hasil_kerja.value, perilaku.value) == predikat


def test_kurang_reads_kurang_misconduct_only_in_matrix_mode():
    assert K.label_for(Mode.MATRIX) == "Kurang/Misconduct"
    assert K.label_for(Mode.NUMERIC) == "Kurang"
    assert [p.label for p in Predikat] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang",
        "Sangat Kurang",
    ]


@pytest.mark.parametrize(
    ("predikat", "percent"), [(SB, "100"), (B, "90"), (BP, "75"), (K, "50"), (SK, "25")]
)
def test_each_predikat_has_its_default_incentive_factor(predikat, percent):
    assert incentive_percent(predikat) == D(percent)


JENJANG = [
    "pemula",
    "terampil",
    "mahir",
    "penyelia",
    "ahli_pertama",
    "ahli_muda",
    "ahli_madya",
    "ahli_utama",
]
ANGKA_KREDIT_TABLE = {
    SB: ["5.625", "7.500", "18.750", "37.500", "18.750", "37.500", "56.250", "75.000"],
    B: ["3.750", "5.000", "12.500", "25.000", "12.500", "25.000", "37.500", "50.000"],
    BP: ["2.813", "3.750", "9.375", "18.750", "9.375", "18.750", "28.125", "37.500"],
    K: ["1.875", "2.500", "6.250", "12.500", "6.250", "12.500", "18.750", "25.000"],
    SK: ["0.938", "1.250", "3.125", "6.250", "3.125", "6.250", "9.375", "12.500"],
}


@pytest.mark.parametrize(
    ("predikat", "jenjang", "expected"),
    [
        (predikat, jenjang, expected)
        for predikat, row in ANGKA_KREDIT_TABLE.items()
        for jenjang, expected in zip(JENJANG, row, strict=True)
    ],
)
def test_yearly_angka_kredit_for_each_predikat_and_jenjang(predikat, jenjang, expected):
    value = angka_kredit(predikat, jenjang)
    assert value == D(expected)
    assert str(value) == expected


def test_angka_kredit_for_a_short_period_is_prorated_by_months_and_rounded_half_up():
    assert angka_kredit(SB, "pemula", months=1) == D("0.469")  # 5.625 / 12 = 0.46875
    assert angka_kredit(B, "ahli_muda", months=6) == D("12.500")
    assert angka_kredit(BP, "ahli_madya", months=3) == D("7.031")  # 28.125 / 4 = 7.03125


@pytest.mark.parametrize("months", [0, 13])
def test_angka_kredit_refuses_a_period_outside_one_to_twelve_months(months):
    with pytest.raises(ScoringInputError):
        angka_kredit(B, "mahir", months=months)


# ------------------------------------------------------------ distribution


def counts(sb=0, b=0, bp=0, k=0, sk=0):
    return {SB: sb, B: b, BP: bp, K: k, SK: sk}


def rule_results(check):
    return [(rule.kind, rule.limit, rule.actual, rule.satisfied) for rule in check.rules]


def test_istimewa_allows_at_most_70_percent_sangat_baik():
    assert rule_results(check_distribution("istimewa", counts(sb=7, b=3))) == [
        ("at_most", 7, 7, True)
    ]
    check = check_distribution("istimewa", counts(sb=8, b=2))
    assert rule_results(check) == [("at_most", 7, 8, False)]
    assert check.needs_justification
    assert check.may_block


def test_baik_allows_at_most_70_percent_baik_and_needs_one_butuh_perbaikan_or_kurang():
    ok = check_distribution("baik", counts(sb=2, b=7, k=1))
    assert rule_results(ok) == [("at_most", 7, 7, True), ("at_least", 1, 1, True)]
    assert ok.satisfied and ok.warning is None and not ok.needs_justification
    bad = check_distribution("baik", counts(sb=2, b=8))
    assert rule_results(bad) == [("at_most", 7, 8, False), ("at_least", 1, 0, False)]


def test_butuh_perbaikan_needs_60_percent_butuh_perbaikan_and_at_most_10_percent_sangat_baik():
    ok = check_distribution("butuh_perbaikan", counts(sb=1, b=3, bp=6))
    assert rule_results(ok) == [("at_least", 6, 6, True), ("at_most", 1, 1, True)]
    bad = check_distribution("butuh_perbaikan", counts(sb=2, b=3, bp=5))
    assert rule_results(bad) == [("at_least", 6, 5, False), ("at_most", 1, 2, False)]


def test_kurang_needs_60_percent_kurang_10_percent_butuh_perbaikan_at_most_10_sangat_baik():
    ok = check_distribution("kurang", counts(sb=1, b=2, bp=1, k=6))
    assert rule_results(ok) == [
        ("at_least", 6, 6, True),
        ("at_least", 1, 1, True),
        ("at_most", 1, 1, True),
    ]
    bad = check_distribution("kurang", counts(sb=2, k=8))
    assert [rule.satisfied for rule in bad.rules] == [True, False, False]


def test_sangat_kurang_needs_60_percent_sangat_kurang_10_percent_kurang_or_bp_and_no_sangat_baik():
    ok = check_distribution("sangat_kurang", counts(b=3, k=1, sk=6))
    assert rule_results(ok) == [
        ("at_least", 6, 6, True),
        ("at_least", 1, 1, True),
        ("at_most", 0, 0, True),
    ]
    together = check_distribution("sangat_kurang", counts(bp=1, k=1, sk=8))
    assert together.rules[1].actual == 2
    bad = check_distribution("sangat_kurang", counts(sb=1, sk=9))
    assert [rule.satisfied for rule in bad.rules] == [True, False, False]


def test_at_most_rounds_down_and_at_least_rounds_up():
    check = check_distribution("kurang", counts(b=2, k=5))  # N = 7
    assert [rule.limit for rule in check.rules] == [5, 1, 0]  # ⌈4.2⌉, ⌈0.7⌉, ⌊0.7⌋
    assert check_distribution("istimewa", counts(sb=4, b=3)).rules[0].limit == 4  # ⌊4.9⌋


def test_an_impossible_pattern_is_a_warning_that_needs_no_justification_and_never_blocks():
    check = check_distribution("kurang", counts(k=2))
    assert check.warning == "Pola distribusi tidak dapat dipenuhi untuk 2 pegawai"
    assert not check.satisfiable
    assert not check.needs_justification
    assert not check.may_block
    one = check_distribution("sangat_kurang", counts(sk=1))
    assert one.warning == "Pola distribusi tidak dapat dipenuhi untuk 1 pegawai"
    assert check_distribution("kurang", counts(bp=1, k=2)).satisfiable


def test_distribution_rules_are_explained_in_indonesian_and_serialisable():
    check = check_distribution("istimewa", counts(sb=8, b=2))
    assert check.rules[0].text == (
        "Paling banyak 70% Sangat Baik: paling banyak 7 pegawai, saat ini 8: tidak terpenuhi."
    )
    assert "perlu justifikasi" in check.warning
    data = json.loads(json.dumps(check.to_dict()))
    assert data["needs_justification"] is True
    assert data["rules"][0]["predikats"] == ["sangat_baik"]


def test_distribution_refuses_unknown_predikat_and_negative_counts():
    with pytest.raises(ValueError):
        check_distribution("baik", {"luar_biasa": 1})
    with pytest.raises(ScoringInputError):
        check_distribution("baik", {"baik": -1})


# ------------------------------------------------------------ basic scores


def test_higher_is_better_achievement_is_realisation_over_target_capped_at_1_2():
    assert achievement("naik", D(200), D(150)) == (D("0.75"), False, False)
    assert achievement("naik", D(100), D(130)) == (D("1.2"), True, False)


def test_lower_is_better_achievement_mirrors_around_the_target_and_stops_at_zero():
    assert achievement("turun", D(10), D(8)) == (D("1.2"), False, False)
    assert achievement("turun", D(10), D(12)) == (D("0.8"), False, False)
    assert achievement("turun", D(10), D(5))[1] is True  # 1.5 capped
    assert achievement("turun", D(10), D(25)) == (D(0), False, True)


def test_the_achievement_cap_is_configurable_per_scheme():
    scheme = get_scheme("jakarta").with_config(achievement_cap=D("1.5"))
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="140")),), behaviour=all_values(4)
    )
    assert compute_appraisal(scheme, appraisal).components[0].value == D(140)


def test_attendance_score_is_present_share_less_half_a_point_per_late_or_early_leave():
    score = attendance_score(AttendanceInput(22, 20, late=2, early_leave=1))
    assert round2(score) == D("89.41")  # 100 × 20/22 − 1.5
    assert attendance_score(AttendanceInput(20, 1, late=30)) == 0
    assert attendance_score(AttendanceInput(0, 0)) is None


def test_discipline_score_loses_10_25_50_per_sanction_and_stops_at_zero():
    assert discipline_score([]) == 100
    assert discipline_score([Sanction.RINGAN]) == 90
    assert discipline_score(["sedang"]) == 75
    assert discipline_score(["berat"]) == 50
    assert discipline_score(["berat", "berat", "ringan"]) == 0


@pytest.mark.parametrize(
    ("value", "rating"),
    [("110", ATAS), ("109.995", ATAS), ("109.99", SESUAI), ("90", SESUAI), ("89.995", SESUAI)]
    + [("89.994", BAWAH), ("0", BAWAH)],
)
def test_a_value_is_above_expectation_from_110_and_below_it_under_90(value, rating):
    assert rating_for_value(D(value)) == rating


# ------------------------------------------------------------ the appraisal


def test_a_result_weighs_the_sum_of_its_indicators_and_averages_them_by_weight():
    appraisal = AppraisalInput(
        results=(result(quantitative("I1", 30, "120"), rubric("I2", 20, level=2)),),
        behaviour=all_values(4),
    )
    scored = compute_appraisal(get_scheme("jakarta"), appraisal).results[0]
    assert scored.weight == 50
    assert scored.value == (120 * 30 + 60 * 20) / D(50)  # 96


def test_supervisor_and_peer_levels_are_blended_as_values_when_three_peers_answered():
    appraisal = AppraisalInput(
        results=(result(quantitative()),), behaviour=all_values(4, peers=(5, 5, 4))
    )
    behaviour = compute_appraisal(get_scheme("tangsel"), appraisal).component("perilaku")
    first = behaviour.behaviours[0]
    assert first.peer_mean_value == 110  # (115 + 115 + 100) / 3
    assert first.value == D("103")  # 0.7 × 100 + 0.3 × 110
    assert behaviour.value == D("103")


def test_fewer_than_three_peers_moves_the_peer_share_to_the_supervisor_and_says_so():
    appraisal = AppraisalInput(
        results=(result(quantitative()),), behaviour=all_values(4, peers=(5, 5))
    )
    breakdown = compute_appraisal(get_scheme("tangsel"), appraisal)
    perilaku = breakdown.component("perilaku")
    assert perilaku.value == 100
    assert all(b.redistributed and b.supervisor_share == 100 for b in perilaku.behaviours)
    assert any("kurang dari 3" in note and "dialihkan" in note for note in breakdown.notes)
    assert breakdown.complete


def test_the_minimum_number_of_peers_is_configurable():
    scheme = get_scheme("tangsel").with_config(min_peer_answers=2)
    appraisal = AppraisalInput(
        results=(result(quantitative()),), behaviour=all_values(4, peers=(5, 5))
    )
    assert compute_appraisal(scheme, appraisal).component("perilaku").value == D("104.5")


def test_a_supervisor_only_behaviour_component_ignores_peer_answers():
    appraisal = AppraisalInput(
        results=(result(quantitative()),), behaviour=all_values(3, peers=(5, 5, 5))
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert breakdown.component("perilaku").value == 80
    assert not any("rekan" in note for note in breakdown.notes)


def test_the_team_value_is_the_mean_of_the_members_values():
    appraisal = AppraisalInput(results=(result(quantitative()),), team_levels=(4, 5))
    team = compute_appraisal(get_scheme("kotalama"), appraisal).component("kualitas_layanan")
    assert team.value == D("107.5")
    assert team.team.values == (D(100), D(115))


def test_data_scores_enter_the_mean_scaled_by_1_15_and_the_breakdown_shows_both():
    appraisal = AppraisalInput(
        results=(result(quantitative()),),
        behaviour=all_values(4),
        attendance=AttendanceInput(20, 20),
        sanctions=(Sanction.SEDANG,),
    )
    breakdown = compute_appraisal(get_scheme("tebingtinggi"), appraisal)
    kehadiran = breakdown.component("kehadiran")
    assert (kehadiran.data.score, kehadiran.value) == (D(100), D("115.00"))
    disiplin = breakdown.component("disiplin")
    assert (disiplin.data.score_rounded, disiplin.data.value_rounded) == (D("75.00"), D("86.25"))


def test_the_ikm_counts_only_with_at_least_30_respondents():
    scheme = get_scheme("rakumpit")

    def ikm_component(respondents):
        appraisal = AppraisalInput(
            results=(result(quantitative(verified=True)),),
            behaviour=all_values(4),
            ikm=IkmInput(D("80"), respondents),
        )
        return compute_appraisal(scheme, appraisal).component("kepuasan_masyarakat")

    assert ikm_component(30).value == D("92.00")
    assert ikm_component(29).status == ComponentStatus.DIALIHKAN
    assert ikm_component(29).value is None


def test_a_missing_source_shares_its_weight_among_the_present_components():
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="60", verified=True)),),
        behaviour=all_values(4),
        ikm=None,
    )
    breakdown = compute_appraisal(get_scheme("rakumpit"), appraisal)
    assert breakdown.final_value == (60 * 50 + 100 * 20) / D(70)
    assert [c.effective_weight_rounded for c in breakdown.components] == [
        D("71.43"),
        D("0.00"),
        D("28.57"),
    ]
    assert any("Kepuasan Masyarakat" in note and "dibagi" in note for note in breakdown.notes)


def test_a_missing_realisation_at_the_deadline_counts_zero_and_is_flagged():
    appraisal = AppraisalInput(
        results=(result(quantitative("I1", 50, "100"), quantitative("I2", 50, None)),),
        behaviour=all_values(4),
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    missing = breakdown.results[0].indicators[1]
    assert (missing.value, missing.zeroed, missing.pending) == (0, True, False)
    assert breakdown.results[0].value == 50
    assert breakdown.complete
    assert any("I2" in note and "dihitung 0" in note for note in breakdown.notes)


def test_before_the_deadline_a_missing_realisation_is_a_provisional_zero():
    appraisal = AppraisalInput(
        results=(result(quantitative("I1", 50, "100"), quantitative("I2", 50, None)),),
        behaviour=all_values(4),
        deadline_passed=False,
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    missing = breakdown.results[0].indicators[1]
    assert (missing.value, missing.zeroed, missing.pending) == (0, False, True)
    assert not breakdown.complete
    assert breakdown.notes[0].startswith("Penilaian belum lengkap")


def test_an_unverified_realisation_counts_zero_only_where_the_scheme_verifies():
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="100", verified=False)),),
        behaviour=all_values(4),
        ikm=IkmInput(D(80), 40),
    )
    rakumpit = compute_appraisal(get_scheme("rakumpit"), appraisal)
    assert rakumpit.results[0].indicators[0].zeroed
    assert any("belum diverifikasi Verifikator" in note for note in rakumpit.notes)
    jakarta = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert jakarta.results[0].value == 100


def test_a_rubric_without_a_level_is_left_out_until_the_supervisor_rates_it():
    appraisal = AppraisalInput(
        results=(result(quantitative("I1", 50, "110"), rubric("R1", 50, level=None)),),
        behaviour=all_values(4),
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert breakdown.results[0].value == 110
    assert breakdown.results[0].indicators[1].pending
    assert not breakdown.complete


def test_unrated_behaviour_values_are_left_out_of_the_mean_and_mark_the_score_provisional():
    behaviour = {"akuntabel": BehaviourInput(5), "loyal": BehaviourInput(None, peers=(4, 4, 4))}
    appraisal = AppraisalInput(results=(result(quantitative()),), behaviour=behaviour)
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert breakdown.component("perilaku").value == 115
    assert not breakdown.complete


def test_a_behaviour_component_nobody_rated_yet_waits_instead_of_scoring_zero():
    appraisal = AppraisalInput(results=(result(quantitative()),))
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    perilaku = breakdown.component("perilaku")
    assert perilaku.status == ComponentStatus.BELUM_DINILAI
    assert breakdown.final_value == 100
    assert not breakdown.complete


def test_the_final_value_is_the_weighted_mean_of_the_component_values():
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="90")),), behaviour=all_values(5)
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert breakdown.final_value == D("97.5")  # 0.7 × 90 + 0.3 × 115
    assert breakdown.final_value_rounded == D("97.50")
    assert breakdown.predikat == B
    assert breakdown.incentive_percent == 90


def test_intermediate_values_are_never_rounded():
    # 100 × 900.2 / 900 = 100.0222…, shown as 100.02; the final value carries the full value:
    # 0.7 × 100.0222… + 0.3 × 100 = 100.0155… → 100.02, where 0.7 × 100.02 + 30 → 100.01.
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="900.2", target="900")),),
        behaviour=all_values(4),
    )
    breakdown = compute_appraisal(get_scheme("jakarta"), appraisal)
    assert breakdown.components[0].value_rounded == D("100.02")
    assert breakdown.final_value_rounded == D("100.02")


def test_scoring_ignores_the_callers_decimal_context():
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="107.85")),), behaviour=all_values(5)
    )
    expected = compute_appraisal(get_scheme("jakarta"), appraisal).final_value
    with localcontext() as ctx:
        ctx.prec = 4
        assert compute_appraisal(get_scheme("jakarta"), appraisal).final_value == expected
    assert expected == D("109.995")


def test_a_result_routed_to_a_component_that_is_not_a_plan_component_is_refused():
    appraisal = AppraisalInput(results=(result(quantitative(), component="perilaku"),))
    with pytest.raises(ScoringInputError, match="bukan komponen rencana"):
        compute_appraisal(get_scheme("jakarta"), appraisal)


# ------------------------------------------------------------ matrix mode


def matrix_result(code, value, weight, kind="utama"):
    return result(quantitative(code, weight, value), code=code, kind=kind)


def hasil_kerja_rating(*results):
    appraisal = AppraisalInput(results=results, behaviour=all_values(4))
    return compute_appraisal(get_scheme("nasional"), appraisal).hasil_kerja.recommended


def test_hasil_kerja_is_above_when_results_above_hold_more_than_half_the_weight():
    assert hasil_kerja_rating(matrix_result("A", "115", 60), matrix_result("B", "100", 40)) == ATAS


def test_hasil_kerja_stays_sesuai_when_results_above_hold_exactly_half_the_weight():
    assert (
        hasil_kerja_rating(matrix_result("A", "115", 50), matrix_result("B", "100", 50)) == SESUAI
    )


def test_a_main_result_below_expectation_keeps_hasil_kerja_from_above():
    rating = hasil_kerja_rating(matrix_result("A", "115", 70), matrix_result("B", "80", 30))
    assert rating == SESUAI
    tambahan_below = (matrix_result("A", "115", 70), matrix_result("B", "80", 30, "tambahan"))
    assert hasil_kerja_rating(*tambahan_below) == ATAS


def test_hasil_kerja_is_below_when_results_below_hold_more_than_half_the_weight():
    assert hasil_kerja_rating(matrix_result("A", "80", 60), matrix_result("B", "115", 40)) == BAWAH
    assert hasil_kerja_rating(matrix_result("A", "80", 50), matrix_result("B", "100", 50)) == SESUAI


def test_a_result_at_109_995_counts_as_above_expectation():
    breakdown = compute_appraisal(
        get_scheme("nasional"),
        AppraisalInput(results=(matrix_result("A", "109.995", 100),), behaviour=all_values(4)),
    )
    assert breakdown.results[0].rating == ATAS
    assert breakdown.hasil_kerja.recommended == ATAS


def test_perilaku_rating_comes_from_the_mean_blended_behaviour_value():
    def perilaku(supervisor, peers):
        appraisal = AppraisalInput(
            results=(matrix_result("A", "100", 100),), behaviour=all_values(supervisor, peers)
        )
        return compute_appraisal(get_scheme("nasional"), appraisal).perilaku

    above = perilaku(5, (4, 4, 4))  # 0.7 × 115 + 0.3 × 100 = 110.5
    assert (above.value, above.recommended) == (D("110.5"), ATAS)
    assert perilaku(4, (5, 5, 5)).recommended == SESUAI  # 104.5
    assert perilaku(3, (5, 5, 5)).recommended == SESUAI  # 0.7 × 80 + 0.3 × 115 = 90.5
    assert perilaku(3, (4, 4, 4)).recommended == BAWAH  # 86
    assert perilaku(3, ()).recommended == BAWAH  # 80: too few peers, supervisor alone


def test_matrix_mode_has_no_final_value_but_shows_hasil_kerja_and_perilaku_values():
    appraisal = AppraisalInput(results=(matrix_result("A", "100", 100),), behaviour=all_values(4))
    breakdown = compute_appraisal(get_scheme("nasional"), appraisal)
    assert breakdown.final_value is None
    assert breakdown.hasil_kerja.value_rounded == D("100.00")
    assert breakdown.perilaku.value_rounded == D("100.00")
    assert breakdown.predikat == B
    assert breakdown.components[0].weight is None


def test_the_supervisor_may_override_a_recommendation_with_a_reason():
    appraisal = AppraisalInput(results=(matrix_result("A", "100", 100),), behaviour=all_values(4))
    breakdown = compute_appraisal(
        get_scheme("nasional"),
        appraisal,
        perilaku_override=RatingOverride(BAWAH, "Pelanggaran kode etik."),
    )
    assert breakdown.perilaku.recommended == SESUAI
    assert breakdown.perilaku.effective == BAWAH
    assert breakdown.perilaku.overridden
    assert breakdown.predikat == K
    assert breakdown.predikat_label == "Kurang/Misconduct"
    assert any("Pelanggaran kode etik." in note for note in breakdown.notes)


def test_confirming_the_recommendation_is_not_an_override():
    appraisal = AppraisalInput(results=(matrix_result("A", "100", 100),), behaviour=all_values(4))
    breakdown = compute_appraisal(
        get_scheme("nasional"), appraisal, hasil_kerja_override=RatingOverride(SESUAI, "Setuju.")
    )
    assert not breakdown.hasil_kerja.overridden


def test_an_override_needs_a_reason_and_a_matrix_scheme():
    appraisal = AppraisalInput(results=(matrix_result("A", "100", 100),), behaviour=all_values(4))
    with pytest.raises(ScoringInputError, match="alasan"):
        compute_appraisal(
            get_scheme("nasional"), appraisal, hasil_kerja_override=RatingOverride(ATAS, " ")
        )
    with pytest.raises(ScoringInputError, match="matriks"):
        compute_appraisal(
            get_scheme("jakarta"), appraisal, hasil_kerja_override=RatingOverride(ATAS, "x")
        )


# ------------------------------------------------------------ serialisation


def test_the_breakdown_serialises_to_json_with_decimals_as_strings():
    appraisal = AppraisalInput(
        results=(result(quantitative(realisation="104.5")),),
        behaviour=all_values(4, peers=(5,)),
        attendance=AttendanceInput(21, 20, late=1),
        team_levels=None,
    )
    data = compute_appraisal(get_scheme("jakarta"), appraisal).to_dict()
    restored = json.loads(json.dumps(data))
    assert restored["final_value_rounded"] == "103.15"  # 0.7 × 104.5 + 30
    assert restored["predikat"] == "baik"
    assert restored["mode"] == "numerik"
    indicator = restored["components"][0]["results"][0]["indicators"][0]
    assert indicator["value_rounded"] == "104.50"
    assert indicator["rated_by"] == ["pegawai"]


@pytest.mark.parametrize(
    ("org", "n", "limits", "satisfiable"),
    [
        ("istimewa", 61, [42], True),  # ⌊42,7⌋
        ("baik", 61, [42, 1], True),
        ("butuh_perbaikan", 61, [37, 6], True),  # ⌈36,6⌉, ⌊6,1⌋
        ("kurang", 61, [37, 7, 6], True),  # ⌈36,6⌉, ⌈6,1⌉, ⌊6,1⌋
        ("sangat_kurang", 61, [37, 7, 0], True),
        ("istimewa", 1, [0], True),  # ⌊0,7⌋: one Sangat Baik out of one is already too many
        ("baik", 1, [0, 1], True),
        ("butuh_perbaikan", 1, [1, 0], True),
        ("kurang", 1, [1, 1, 0], False),
        ("sangat_kurang", 1, [1, 1, 0], False),
        ("butuh_perbaikan", 2, [2, 0], True),  # ⌈1,2⌉
        ("kurang", 2, [2, 1, 0], False),
        ("sangat_kurang", 2, [2, 1, 0], False),
        ("kurang", 10, [6, 1, 1], True),
        ("sangat_kurang", 7, [5, 1, 0], True),
    ],
)
def test_limits_for_the_sizes_finalisation_meets(org, n, limits, satisfiable):
    check = check_distribution(org, counts(b=n))
    assert [rule.limit for rule in check.rules] == limits
    assert check.satisfiable is satisfiable
    if not satisfiable:
        assert check.warning == f"Pola distribusi tidak dapat dipenuhi untuk {n} pegawai"
        assert not check.needs_justification
