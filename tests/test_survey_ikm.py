"""The IKM of the citizens' survey: the formula, the grade on the rounded value, and its way
into the appraisal score with at least `minimal_responden_ikm` responses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from appraisals import scoring as appraisal_scoring
from feedback.models import SurveyResponse
from indicators.ikm import IkmGrade, compute_ikm, grade_for, ikm_from_totals

from .appraisal_fixtures import appraisal_of, make_cycle


def totals_of(total: int) -> list[int]:
    """`total` points spread over the nine elements as evenly as possible."""
    base, extra = divmod(total, 9)
    return [base + (1 if i < extra else 0) for i in range(9)]


# 400 responses: IKM = 25 × total / (9 × 400) = total / 144.
@pytest.mark.parametrize(
    ("total", "rounded", "grade"),
    [
        (12716, "88.31", IkmGrade.A),  # 88.3055… rounds up to the floor of A
        (12715, "88.30", IkmGrade.B),
        (11032, "76.61", IkmGrade.B),
        (11031, "76.60", IkmGrade.C),
        (9360, "65.00", IkmGrade.C),
        (9359, "64.99", IkmGrade.D),
    ],
)
def test_the_grade_follows_the_rounded_ikm_at_each_boundary(total, rounded, grade):
    result = ikm_from_totals(totals_of(total), 400)
    assert result.value_rounded == Decimal(rounded)
    assert result.grade == grade


def test_the_grade_labels_and_the_exact_floors():
    assert grade_for(Decimal("88.31")) == IkmGrade.A
    assert grade_for(Decimal("88.3049")) == IkmGrade.B
    assert grade_for(Decimal("76.61")) == IkmGrade.B
    assert grade_for(Decimal("76.6049")) == IkmGrade.C
    assert grade_for(Decimal("65.00")) == IkmGrade.C
    assert grade_for(Decimal("64.9949")) == IkmGrade.D
    assert [g.label for g in IkmGrade] == ["Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"]


def test_ikm_is_25_times_the_mean_of_the_element_means():
    result = compute_ikm([[4] * 9, [3, 3, 3, 3, 3, 3, 3, 3, 2]])
    assert result.respondents == 2
    assert result.element_means[0] == Decimal("3.5")
    assert result.element_means[8] == Decimal(3)
    # (3.5 × 8 + 3) / 9 × 25 = 86.111…
    assert result.value_rounded == Decimal("86.11")
    assert compute_ikm([]).value is None


def test_answers_outside_1_to_4_are_refused():
    with pytest.raises(ValueError):
        compute_ikm([[5, 4, 4, 4, 4, 4, 4, 4, 4]])
    with pytest.raises(ValueError):
        compute_ikm([[4] * 8])


def _responses(unit, count, answers=(4, 4, 3, 4, 3, 4, 4, 3, 4), day=dt.date(2026, 3, 2)):
    moment = dt.datetime.combine(day, dt.time(3), tzinfo=dt.UTC)
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            unit=unit,
            submitted_at=moment,
            submitted_on=day,
            **{f"u{i + 1}": a for i, a in enumerate(answers)},
        )
        for _ in range(count)
    )


def _ikm_component(appraisal):
    breakdown = appraisal_scoring.compute(appraisal)
    return next(c for c in breakdown.components if c.key == "kepuasan_masyarakat")


def test_29_responses_are_redistributed_and_the_30th_enters_the_score(personas):
    cycle = make_cycle(personas, scheme_key="rakumpit")
    appraisal = appraisal_of(cycle, personas.pegawai)
    _responses(personas.unit_a, 29)
    _responses(personas.unit_b, 40)  # another unit's answers never count here
    _responses(personas.unit_a, 5, day=dt.date(2027, 1, 1))  # outside the cycle's period
    component = _ikm_component(appraisal)
    assert component.status == "dialihkan"
    assert "29 responden" in " ".join(appraisal_scoring.compute(appraisal).notes)

    _responses(personas.unit_a, 1)
    component = _ikm_component(appraisal)
    assert component.status == "ada"
    expected = ikm_from_totals([30 * a for a in (4, 4, 3, 4, 3, 4, 4, 3, 4)], 30).value
    assert component.data.score == expected
    assert component.value == expected * Decimal("1.15")


def test_the_cycle_minimum_of_respondents_applies(personas):
    cycle = make_cycle(personas, scheme_key="rakumpit")
    cycle.scoring_settings = {**cycle.scoring_settings, "minimal_responden_ikm": 5}
    cycle.save()
    _responses(personas.unit_a, 5)
    assert _ikm_component(appraisal_of(cycle, personas.pegawai)).status == "ada"


def test_the_ikm_module_is_pure():
    import subprocess
    import sys

    code = (
        "import sys, indicators.ikm; assert not [m for m in sys.modules if m.startswith('django')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(Path(__file__).parent.parent))


def _explain_input(answers):
    return {
        "skema": "rakumpit",
        "hasil": [
            {
                "kode": "OUT",
                "indikator": [
                    {"kode": "D", "jenis": "kuantitatif", "arah": "naik", "target": 10,
                     "realisasi": 10, "terverifikasi": True, "bobot": 100}
                ],
            }
        ],
        "perilaku": {"akuntabel": {"atasan": 4}},
        "ikm": {"jawaban": answers},
    }  # fmt: skip


def test_explain_score_computes_the_ikm_from_the_answers_as_the_survey_does():
    from indicators.explain import ExplainInputError, explain_score, explain_score_text

    answers = [[4, 4, 3, 4, 3, 4, 4, 3, 4]] * 29
    component = next(
        c
        for c in explain_score(_explain_input(answers)).components
        if c.key == "kepuasan_masyarakat"
    )
    assert component.status == "dialihkan"
    text = explain_score_text(_explain_input([*answers, [4] * 9]))
    expected = compute_ikm([*answers, [4] * 9])
    assert expected.grade == IkmGrade.A
    assert (
        f"IKM dari jawaban survei: {expected.value_rounded}, mutu A (Sangat Baik), 30 responden"
        in text
    )
    assert f"IKM unit kerja dari 30 responden; skor {expected.value_rounded}" in text
    with pytest.raises(ExplainInputError) as error:
        explain_score(_explain_input([[4] * 9, [4, 4, 4, 0, 4, 4, 4, 4, 4], "x"]))
    assert error.value.messages == [
        "ikm.jawaban[1][3]: harus 1 sampai 4",
        "ikm.jawaban[2]: harus berupa daftar 9 nilai unsur (1 sampai 4)",
    ]
