"""Matrix mode (scheme `nasional`, PermenPANRB 6/2022; docs/scoring.md): results
cascade from the supervisor's, the portal recommends the Hasil Kerja and Perilaku ratings,
the supervisor confirms or overrides them with a reason, and the predikat comes from the
matrix, with no numeric final value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, PlanResult, State

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    DEADLINES,
    advance,
    appraisal_of,
    fill_realisations,
    fresh,
    give_levels,
    opened_cycle_layer,
    user_of,
    world_of,
)

NASIONAL = {
    period: opened_cycle_layer(f"nasional_{period}", scheme_key="nasional", period_type=period)
    for period in ("annual", "quarterly")
}


@pytest.fixture(
    params=[pytest.param(p, marks=pytest.mark.shared_data(NASIONAL[p])) for p in NASIONAL]
)
def setup(request, personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    return world_of(request, personas, NASIONAL[request.param])


def _supervisor_plan(personas, cycle):
    """The kasi opens their own plan: its results are what the pegawai's may support."""
    kasi = appraisal_of(cycle, personas.kasi)
    services.plan_ensure(kasi)
    return {r.code: r for r in kasi.results.all()}


def _scored(appraisal, *, ratio, level):
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    fill_realisations(appraisal, ratio=ratio)
    services.appraisal_submit_self_assessment(
        acting_user=user_of(appraisal.employee), appraisal=appraisal,
        version=fresh(appraisal).version,
    )  # fmt: skip
    give_levels(appraisal, level=level)
    return fresh(appraisal)


def _save(who, appraisal, **kwargs):
    return services.appraisal_save_scores(
        acting_user=user_of(who), appraisal=appraisal, version=fresh(appraisal).version,
        **kwargs,
    )  # fmt: skip


# --- the cycle and the cascading plan ----------------------------------------------------------


@pytest.mark.parametrize("period_type", ["monthly", "semester"])
def test_the_national_scheme_runs_only_quarterly_or_annually(personas, period_type):
    with pytest.raises(ValidationError) as exc:
        services.cycle_create(
            acting_user=user_of(personas.hr_a), region=personas.region,
            agencies=[personas.agency_a], name="Nasional", scheme_key="nasional",
            period_type=period_type, start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
        )  # fmt: skip
    assert "period_type" in exc.value.message_dict


def test_a_matrix_cycle_has_no_component_weights(setup):
    personas, cycle, appraisal = setup
    assert cycle.weights == {}


def test_each_result_must_name_the_supervisors_result_it_supports(setup):
    personas, cycle, appraisal = setup
    supervisor = _supervisor_plan(personas, cycle)
    problems = services.plan_problems(appraisal)
    assert problems == [
        "2 hasil kerja belum menyebut hasil kerja atasan yang didukungnya (intervensi)."
    ]
    with pytest.raises(ValidationError):
        services.appraisal_submit_targets(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            version=fresh(appraisal).version,
        )  # fmt: skip
    results = {r.code: r for r in appraisal.results.all()}
    services.plan_update(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        version=fresh(appraisal).version, indicators={},
        supports={results["R1"].pk: supervisor["R1"].pk, results["R2"].pk: supervisor["R1"].pk},
    )  # fmt: skip
    assert services.plan_problems(appraisal) == []
    advance(appraisal, State.TARGETS_SUBMITTED)
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED
    assert {r.supports_id for r in appraisal.results.all()} == {supervisor["R1"].pk}
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="plan_update").get()
    assert entry.after == {
        "intervensi:R1": supervisor["R1"].name,
        "intervensi:R2": supervisor["R1"].name,
    }


def test_without_a_supervisor_plan_in_the_cycle_no_result_needs_to_name_one(setup):
    personas, cycle, appraisal = setup
    # As for an atasan whose position has no indicator set: their plan has no results.
    PlanResult.objects.filter(appraisal=appraisal_of(cycle, personas.kasi)).delete()
    assert services.plan_problems(appraisal) == []
    advance(appraisal, State.TARGETS_SUBMITTED)
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED


@pytest.mark.parametrize("whose", ["kepala", "peer"])
def test_a_result_supports_only_a_result_of_the_own_supervisor(setup, whose):
    personas, cycle, appraisal = setup
    _supervisor_plan(personas, cycle)
    other = appraisal_of(cycle, personas.kepala if whose == "kepala" else personas.peers[0])
    services.plan_ensure(other)
    wrong = other.results.first()
    result = appraisal.results.get(code="R1")
    with pytest.raises(ValidationError) as exc:
        services.plan_update(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            version=fresh(appraisal).version, indicators={}, supports={result.pk: wrong.pk},
        )  # fmt: skip
    assert "tidak valid" in " ".join(exc.value.messages)
    result.refresh_from_db()
    assert result.supports_id is None


def test_the_plan_page_offers_the_supervisors_results_and_saves_the_choice(setup, client):
    personas, cycle, appraisal = setup
    supervisor = _supervisor_plan(personas, cycle)
    results = {r.code: r for r in appraisal.results.all()}
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert f'name="supports_{results["R1"].pk}"' in page
    assert f'<option value="{supervisor["R2"].pk}"' in page
    client.post(
        reverse("plan_save", args=[appraisal.pk]),
        {
            "version": fresh(appraisal).version,
            f"supports_{results['R1'].pk}": str(supervisor["R1"].pk),
            f"supports_{results['R2'].pk}": str(supervisor["R2"].pk),
            "submit": "1",
        },
    )
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED
    client.force_login(personas.kasi.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "Mendukung hasil kerja atasan:" in page and supervisor["R1"].name in page


# --- ratings, the matrix and the override ----------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "level", "hasil_kerja", "perilaku", "predikat"),
    [
        # I1 120, I2 115 -> R1 118.75; I3 120: above. Behaviour 115: above.
        (Decimal("1.2"), 5, "di_atas", "di_atas", "sangat_baik"),
        (Decimal(1), 4, "sesuai", "sesuai", "baik"),
        # I2 level 2 = 60 -> R1 (100*60 + 60*20)/80 = 90: still Sesuai; behaviour 60: below.
        (Decimal(1), 2, "sesuai", "di_bawah", "kurang"),
        # I1 50, I2 100 -> R1 62.5; I3 50: below. Behaviour 100.
        (Decimal("0.5"), 4, "di_bawah", "sesuai", "butuh_perbaikan"),
        (Decimal("0.5"), 2, "di_bawah", "di_bawah", "sangat_kurang"),
    ],
)
def test_the_recommended_ratings_are_stored_and_the_predikat_comes_from_the_matrix(
    setup, ratio, level, hasil_kerja, perilaku, predikat
):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=ratio, level=level)
    assert appraisal.breakdown["hasil_kerja"]["recommended"] == hasil_kerja
    assert appraisal.breakdown["perilaku"]["recommended"] == perilaku
    assert (appraisal.hasil_kerja_rating, appraisal.perilaku_rating, appraisal.predikat) == (
        hasil_kerja, perilaku, predikat,
    )  # fmt: skip
    assert appraisal.final_value is None
    assert appraisal.breakdown["final_value"] is None
    assert appraisal.hasil_kerja_value is not None and appraisal.perilaku_value is not None


def test_the_values_behind_the_ratings_are_stored(setup):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal("1.2"), level=5)
    # All seven values at level 5 = 115; the results' indicators: (120*60 + 115*20 + 120*20)/100
    assert (appraisal.hasil_kerja_value, appraisal.perilaku_value) == (
        Decimal("119.00"), Decimal("115.00"),
    )  # fmt: skip


def test_overriding_a_recommended_rating_needs_a_reason(setup):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal(1), level=4)
    with pytest.raises(ValidationError) as exc:
        _save(personas.kasi, appraisal, overrides={"hasil_kerja": "di_atas", "perilaku": ""})
    assert "wajib disertai alasan" in " ".join(exc.value.messages)
    assert fresh(appraisal).hasil_kerja_override == ""
    _save(
        personas.kasi, appraisal, overrides={"hasil_kerja": "di_atas", "perilaku": "di_atas"},
        reason="Inovasi layanan daring di luar rencana",
    )  # fmt: skip
    appraisal = fresh(appraisal)
    assert appraisal.override_reason == "Inovasi layanan daring di luar rencana"
    assert (appraisal.hasil_kerja_rating, appraisal.perilaku_rating) == ("di_atas", "di_atas")
    assert appraisal.breakdown["hasil_kerja"]["recommended"] == "sesuai"
    assert appraisal.breakdown["hasil_kerja"]["overridden"] is True
    assert appraisal.predikat == "sangat_baik"
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="score_save").latest("pk")
    assert (entry.before, entry.after, entry.reason) == (
        {"rating_hasil_kerja": "", "rating_perilaku": ""},
        {"rating_hasil_kerja": "di_atas", "rating_perilaku": "di_atas"},
        "Inovasi layanan daring di luar rencana",
    )


def test_a_standing_override_keeps_its_reason_when_a_level_changes_later(setup):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal(1), level=4)
    overrides = {"hasil_kerja": "di_atas", "perilaku": ""}
    _save(personas.kasi, appraisal, overrides=overrides, reason="Inovasi layanan")
    behaviour = fresh(appraisal).behaviours.first()
    # The page posts the standing override again with every save.
    _save(personas.kasi, appraisal, overrides=overrides, behaviour_levels={behaviour.pk: 5})
    appraisal = fresh(appraisal)
    assert appraisal.override_reason == "Inovasi layanan"
    assert appraisal.hasil_kerja_rating == "di_atas"


def test_going_back_to_the_recommendation_needs_no_reason(setup):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal(1), level=4)
    _save(personas.kasi, appraisal, overrides={"hasil_kerja": "di_bawah"}, reason="Terlambat")
    assert fresh(appraisal).predikat == "butuh_perbaikan"
    _save(personas.kasi, appraisal, overrides={"hasil_kerja": "", "perilaku": ""})
    appraisal = fresh(appraisal)
    assert (appraisal.hasil_kerja_override, appraisal.override_reason) == ("", "")
    assert (appraisal.hasil_kerja_rating, appraisal.predikat) == ("sesuai", "baik")


def test_an_unknown_rating_is_refused(setup):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal(1), level=4)
    with pytest.raises(ValidationError):
        _save(personas.kasi, appraisal, overrides={"hasil_kerja": "luar_biasa"}, reason="x")


def test_hr_calibration_may_override_a_rating_with_a_reason(setup):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal(1), level=4)
    services.appraisal_mark_scored(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=fresh(appraisal).version,
    )  # fmt: skip
    _save(personas.hr_a, appraisal, overrides={"perilaku": "di_bawah"}, reason="Hukuman disiplin")
    appraisal = fresh(appraisal)
    assert (appraisal.perilaku_rating, appraisal.predikat) == ("di_bawah", "kurang")
    assert AuditEntry.objects.filter(appraisal=appraisal, action="calibrate").exists()


def test_the_supervisor_overrides_through_the_page(setup, client):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal(1), level=4)
    client.force_login(personas.kasi.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert 'data-testid="recommended-hasil-kerja">Sesuai Ekspektasi<' in page
    response = client.post(
        reverse("scores_save", args=[appraisal.pk]),
        {"version": fresh(appraisal).version, "hasil_kerja_override": "di_atas",
         "perilaku_override": "", "reason": ""},
        follow=True,
    )  # fmt: skip
    assert "Mengubah rating rekomendasi wajib disertai alasan" in response.content.decode()
    client.post(
        reverse("scores_save", args=[appraisal.pk]),
        {"version": fresh(appraisal).version, "hasil_kerja_override": "di_atas",
         "perilaku_override": "", "reason": "Inovasi", "finish": "1"},
    )  # fmt: skip
    appraisal = fresh(appraisal)
    assert (appraisal.state, appraisal.hasil_kerja_rating) == (State.SCORED, "di_atas")


def test_the_released_page_shows_the_ratings_and_no_numeric_final_value(setup, client):
    personas, cycle, appraisal = setup
    appraisal = _scored(appraisal, ratio=Decimal(1), level=2)
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a, level=2)
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert 'data-testid="final-value"' not in page
    assert 'data-code="kurang"' in page and "Kurang/Misconduct" in page
    # (100*60 + 60*20 + 100*20)/100 = 92: the value the Hasil Kerja rating rests on.
    assert 'data-testid="hasil-kerja">92,00 · Sesuai Ekspektasi<' in page
    assert 'data-testid="perilaku">60,00 · Di Bawah Ekspektasi<' in page
