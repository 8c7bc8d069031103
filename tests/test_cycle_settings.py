"""HR sets the scoring settings of a cycle when creating it (the `pengaturan` of explain_score,
validated by the same function), and the cycle's appraisals are scored with them: exactly
what `explain_score` prints for the same input and the same `pengaturan`."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appraisals import scoring as appraisal_scoring
from appraisals import services
from appraisals.models import AuditEntry, BehaviourScore, Cycle, PlanIndicator
from indicators.explain import explain_score
from indicators.models import AttendanceRecord, DisciplineRecord

from .appraisal_fixtures import (
    AFTER_SCORING,
    BEFORE_PLANNING,
    DEADLINES,
    appraisal_of,
    make_indicator_set,
)

D = Decimal


def create_cycle(personas, *, scheme_key="tebingtinggi", settings=None, weights=None) -> Cycle:
    return services.cycle_create(
        acting_user=personas.hr_a.user, region=personas.region, agencies=[personas.agency_a],
        name=f"Penilaian 2026 {scheme_key}", scheme_key=scheme_key, period_type="annual",
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
        weights=weights, settings=settings,
    )  # fmt: skip


FORM = {
    "name": "Penilaian 2026", "scheme_key": "jakarta", "period_type": "annual",
    "start_date": "2026-01-01", "end_date": "2026-12-31", "planning_deadline": "2026-02-15",
    "self_assessment_deadline": "2026-12-10", "scoring_deadline": "2026-12-20",
    "peer_deadline": "2026-12-20", "calibration_deadline": "2026-12-28",
}  # fmt: skip


# --- the service --------------------------------------------------------------------------------


def test_the_cycle_stores_every_setting_its_scheme_uses_with_what_hr_typed(personas):
    cycle = create_cycle(
        personas, settings={"batas_capaian": D("1.3"), "batas_predikat": {"sangat_baik": D(105)}}
    )
    assert cycle.scoring_settings == {
        "batas_capaian": "1.3",
        "nilai_level": {"1": "45", "2": "60", "3": "80", "4": "100", "5": "115"},
        "potongan_terlambat": "0.5",
        "potongan_hukuman": {"ringan": "10", "sedang": "25", "berat": "50"},
        "minimal_rekan": 3,
        "batas_predikat": {"sangat_baik": "105", "baik": "90", "butuh_perbaikan": "70",
                           "kurang": "50"},
    }  # fmt: skip
    config = Cycle.objects.get(pk=cycle.pk).scheme.config
    assert config.achievement_cap == D("1.3")
    assert config.bands[0][0] == D(105)
    entry = AuditEntry.objects.get(cycle=cycle, action="cycle_create")
    assert entry.after == {
        "pengaturan": {
            "batas_capaian": "1.3",
            "batas_predikat": {"sangat_baik": "105", "baik": "90", "butuh_perbaikan": "70",
                               "kurang": "50"},
        }
    }  # fmt: skip


def test_a_cycle_without_settings_scores_with_the_defaults(personas):
    cycle = create_cycle(personas, scheme_key="jakarta")
    assert cycle.scheme.config == Cycle(scheme_key="jakarta").scheme.config
    assert AuditEntry.objects.get(cycle=cycle, action="cycle_create").after == {}


def test_the_service_refuses_invalid_settings_with_their_paths_and_saves_nothing(personas):
    with pytest.raises(ValidationError) as caught:
        create_cycle(
            personas,
            scheme_key="jakarta",
            settings={"batas_predikat": {"baik": D(115)}, "minimal_rekan": 2},
        )
    assert caught.value.message_dict["scoring_settings"] == [
        "batas_predikat.baik: harus lebih kecil dari sangat_baik",
        "minimal_rekan: tidak dipakai skema jakarta; dipakai skema: nasional, tangsel, "
        "tebingtinggi",
    ]
    assert not Cycle.objects.exists()


# --- the form and the pages ---------------------------------------------------------------------


def test_the_cycle_form_offers_every_setting_with_its_default(personas, client):
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("cycle_create")).content.decode()
    assert 'data-testid="settings"' in page and 'data-testid="settings" open' not in page
    assert "Pengaturan penilaian" in page
    assert 'name="setting_batas_capaian"' in page and "Bawaan: 1,2" in page
    assert 'name="setting_nilai_level_5"' in page and "Nilai level 5 (Sangat Baik)" in page
    assert 'name="setting_batas_rating_di_bawah"' in page
    assert "(tebingtinggi)" in page  # the attendance and discipline penalties name their scheme


def test_a_bad_setting_re_renders_the_form_naming_the_field_and_saves_nothing(personas, client):
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("cycle_create"),
        {**FORM, "agencies": [personas.agency_a.pk], "setting_batas_predikat_baik": "115",
         "setting_batas_capaian": "1,3"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert "Batas predikat Baik: harus lebih kecil dari sangat_baik" in page
    assert 'data-testid="settings" open' in page
    assert 'value="1,3"' in page  # what was typed stays on the page
    form = response.context["form"]
    assert form.errors == {"setting_batas_predikat_baik": ["harus lebih kecil dari sangat_baik"]}
    assert not Cycle.objects.exists()


def test_a_setting_the_scheme_does_not_use_is_refused_on_its_field(personas, client):
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("cycle_create"),
        {**FORM, "agencies": [personas.agency_a.pk], "setting_potongan_terlambat": "1"},
    )
    assert response.context["form"].errors == {
        "setting_potongan_terlambat": ["tidak dipakai skema jakarta; dipakai skema: tebingtinggi"]
    }
    assert not Cycle.objects.exists()


def test_settings_typed_with_a_decimal_comma_are_stored_and_shown_on_the_cycle_page(
    personas, client
):
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("cycle_create"),
        {**FORM, "agencies": [personas.agency_a.pk], "setting_batas_capaian": "1,25",
         "setting_nilai_level_4": "105", "setting_batas_predikat_sangat_baik": ""},
    )  # fmt: skip
    cycle = Cycle.objects.get()
    assert response.url == reverse("cycle_detail", args=[cycle.pk])
    assert cycle.scoring_settings["batas_capaian"] == "1.25"
    assert cycle.scoring_settings["nilai_level"]["4"] == "105"
    assert cycle.scoring_settings["batas_predikat"]["sangat_baik"] == "110"
    page = client.get(response.url).content.decode()
    assert "Batas capaian (rasio realisasi/target): 1,25 (bawaan 1,2)" in page
    assert "Nilai level 4 (Baik): 105 (bawaan 100)" in page
    assert "Batas predikat Sangat Baik" not in page  # at its default: not listed


def test_a_cycle_at_the_defaults_says_so_on_its_page(personas, client):
    cycle = create_cycle(personas, scheme_key="jakarta")
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Semua nilai bawaan skema." in page


# --- the cycle scores as explain_score does -----------------------------------------------------

SETTINGS = {
    "batas_capaian": "1.3",
    "nilai_level": {"4": "105"},
    "potongan_terlambat": "1",
    "potongan_hukuman": {"ringan": "15"},
    "batas_predikat": {"sangat_baik": "105"},
}


def explain_input_of(appraisal) -> dict:
    """The explain_score input of an appraisal in the portal, written as HR would by hand."""
    hasil = []
    for result in appraisal.results.order_by("order"):
        indikator = []
        for i in result.indicators.order_by("order"):
            item = {"kode": i.code, "jenis": i.kind, "bobot": str(i.weight)}
            if i.kind == "rubrik":
                item["level"] = i.level
            else:
                item.update(arah=i.direction, target=str(i.target), realisasi=str(i.realisation))
            indikator.append(item)
        hasil.append({"kode": result.code, "jenis": result.kind, "indikator": indikator})
    return {
        "skema": appraisal.cycle.scheme_key,
        "hasil": hasil,
        "perilaku": {b.value.code: {"atasan": b.level} for b in appraisal.behaviours.all()},
        "kehadiran": {"hari_kerja": 42, "hari_hadir": 41, "terlambat": 3, "pulang_cepat": 1},
        "disiplin": ["ringan"],
    }


def numbers(breakdown) -> dict:
    return {
        "components": [
            (c.key, c.status.value, c.value, c.effective_weight) for c in breakdown.components
        ],
        "indicators": [
            (i.code, i.value, i.capped) for r in breakdown.results for i in r.indicators
        ],
        "behaviours": [(b.code, b.value) for c in breakdown.components for b in c.behaviours],
        "final": (breakdown.final_value, breakdown.final_value_rounded),
        "predikat": (breakdown.predikat, breakdown.incentive_percent),
        "notes": breakdown.notes,
    }


def test_a_cycle_with_settings_scores_an_appraisal_exactly_as_explain_score(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = create_cycle(personas, settings=copy.deepcopy(SETTINGS))
    services.cycle_open(acting_user=personas.hr_a.user, cycle=cycle)
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    appraisal = appraisal_of(cycle, personas.pegawai)
    services.plan_ensure(appraisal)
    # I1: 125 of 100 (above the default cap, within 1.3); I2: level 4; I3 (lower is better): 4
    # days against 5. Behaviour level 4 everywhere. Two months of attendance and a sanction.
    indicators = {i.code: i for i in PlanIndicator.objects.filter(result__appraisal=appraisal)}
    PlanIndicator.objects.filter(pk=indicators["I1"].pk).update(realisation=D(125))
    PlanIndicator.objects.filter(pk=indicators["I2"].pk).update(level=4)
    PlanIndicator.objects.filter(pk=indicators["I3"].pk).update(realisation=D(4))
    BehaviourScore.objects.filter(appraisal=appraisal).update(level=4)
    employee = personas.pegawai
    AttendanceRecord.objects.create(
        employee=employee, period=dt.date(2026, 3, 1), working_days=21, present_days=21, late=2
    )
    AttendanceRecord.objects.create(
        employee=employee, period=dt.date(2026, 4, 1), working_days=21, present_days=20, late=1,
        early_leave=1,
    )  # fmt: skip
    DisciplineRecord.objects.create(
        employee=employee, decree_date=dt.date(2026, 5, 4), level="ringan"
    )

    in_portal = appraisal_scoring.compute(appraisal, now=AFTER_SCORING)
    data = explain_input_of(appraisal)
    by_hand = explain_score({**copy.deepcopy(data), "pengaturan": cycle.scoring_settings})
    assert numbers(in_portal) == numbers(by_hand)
    also = explain_score({**copy.deepcopy(data), "pengaturan": copy.deepcopy(SETTINGS)})
    assert numbers(also) == numbers(by_hand)

    # And the settings matter: I1 at 125 (not capped at 120), level 4 worth 105, attendance
    # 100 × 41 / 42 − 1 × 4 = 93.619…, discipline 100 − 15 = 85.
    assert ("I1", D(125), False) in numbers(in_portal)["indicators"]
    defaults = explain_score(copy.deepcopy(data))
    assert numbers(defaults)["final"] != numbers(in_portal)["final"]
    kehadiran = in_portal.component("kehadiran").data
    assert round(kehadiran.score, 4) == D("93.6190")
    assert in_portal.component("disiplin").data.score == D(85)
    assert in_portal.component("kontribusi_tim").value == D(105)
