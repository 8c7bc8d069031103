"""Defects found in review: each test is the reproduction that failed before its fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import Role
from appraisals import services
from appraisals.models import Appraisal, State
from indicators.models import AttendanceRecord, ResultTemplate

from .appraisal_fixtures import (
    act,
    advance,
    appraisal_of,
    force_scored,
    fresh,
    give_levels,
    indicators_of,
    make_cycle,
    make_indicator_set,
    user_of,
)

FEB = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def cycle(personas, time_machine):
    time_machine.move_to(FEB)
    make_indicator_set(personas.pegawai.position, personas.region)
    return make_cycle(personas)


def test_a_component_of_another_preset_falls_back_to_the_main_one(personas, client, time_machine):
    time_machine.move_to(FEB)
    indicator_set = make_indicator_set(personas.pegawai.position, personas.region)
    ResultTemplate.objects.filter(indicator_set=indicator_set).update(
        component="sikap"
    )  # tangsel's
    cycle = make_cycle(personas, scheme_key="jakarta")
    appraisal = appraisal_of(cycle, personas.pegawai)
    client.force_login(personas.pegawai.user)
    assert client.get(reverse("appraisal_detail", args=[appraisal.pk])).status_code == 200
    assert set(fresh(appraisal).results.values_list("component", flat=True)) == {""}


def test_admin_daerah_rates_the_top_of_the_region(personas, time_machine):
    time_machine.move_to(FEB)
    make_indicator_set(personas.sekda.position, personas.region)
    from .appraisal_fixtures import DEADLINES

    cycle = services.cycle_create(
        acting_user=personas.admin_daerah, region=personas.region, agencies=[personas.setda],
        name="Setda 2026", scheme_key="jakarta", period_type="annual",
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
    )  # fmt: skip
    services.cycle_open(acting_user=personas.admin_daerah, cycle=cycle)
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    appraisal = appraisal_of(cycle, personas.sekda)
    assert appraisal.supervisor is None
    services.plan_ensure(appraisal)
    services.appraisal_submit_targets(
        acting_user=user_of(personas.sekda), appraisal=appraisal,
        version=fresh(appraisal).version,
    )  # fmt: skip
    admin = act(personas.admin_daerah, appraisal)
    assert admin.is_rater
    services.appraisal_approve_targets(
        acting_user=personas.admin_daerah, appraisal=appraisal, version=fresh(appraisal).version
    )
    services.appraisal_submit_self_assessment(
        acting_user=user_of(personas.sekda), appraisal=appraisal,
        version=fresh(appraisal).version,
    )  # fmt: skip
    give_levels(appraisal, rater=personas.admin_daerah)
    services.appraisal_mark_scored(
        acting_user=personas.admin_daerah, appraisal=appraisal,
        version=fresh(appraisal).version,
    )  # fmt: skip
    assert fresh(appraisal).state == State.SCORED


def test_nobody_rates_themself_even_at_the_top(personas, cycle):
    appraisal = appraisal_of(cycle, personas.kepala)
    assert not act(personas.kepala, appraisal).is_rater


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("weight", "123456789", "lebih kecil dari atau sama dengan 100"),
     ("target", "1e12", "Harus berupa angka"),
     ("weight", "0.00001", "Gunakan titik untuk ribuan dan koma untuk desimal"),
     ("target", "0,00001", "lebih dari 4 angka desimal")],
)  # fmt: skip
def test_out_of_range_plan_numbers_are_refused_in_indonesian(
    personas, client, cycle, field, value, message
):
    appraisal = appraisal_of(cycle, personas.pegawai)
    client.force_login(personas.pegawai.user)
    client.get(reverse("appraisal_detail", args=[appraisal.pk]))
    i1 = indicators_of(appraisal)["I1"]
    response = client.post(
        reverse("plan_save", args=[appraisal.pk]),
        {"version": fresh(appraisal).version, f"{field}_{i1.pk}": value},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    i1.refresh_from_db()
    assert (i1.weight, i1.target) == (Decimal(60), Decimal(100))


@pytest.mark.parametrize("raw", ["²", "99999999999999999999999", "abc"])
def test_malformed_ids_never_crash(personas, client, cycle, raw):
    client.force_login(personas.hr_a.user)
    assert (
        client.post(
            reverse("cycle_finalise", args=[cycle.pk]), {"agency": raw, "confirmed": "1"}
        ).status_code
        == 404
    )
    assert client.post(reverse("team_bulk_approve"), {"appraisal": raw}).status_code == 302
    client.force_login(personas.admin_daerah)
    assert client.get(reverse("employee_list"), {"agency": raw}).status_code == 200


def test_finalising_takes_in_attendance_imported_after_scoring(personas, time_machine):
    time_machine.move_to(FEB)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="tebingtinggi")
    appraisal = appraisal_of(cycle, personas.pegawai)
    advance(appraisal, State.SCORED)
    before = fresh(appraisal).final_value
    AttendanceRecord.objects.create(
        employee=personas.pegawai, period=dt.date(2026, 3, 1), working_days=20, present_days=10
    )
    force_scored(Appraisal.objects.filter(cycle=cycle).exclude(pk=appraisal.pk))
    services.agency_finalise(acting_user=personas.hr_a.user, cycle=cycle, agency=personas.agency_a)
    after = fresh(appraisal)
    assert after.state == State.FINALISED
    assert after.final_value < before
    attendance = next(c for c in after.breakdown["components"] if c["key"] == "kehadiran")
    assert attendance["status"] == "ada"


def test_a_team_score_is_required_where_the_agency_has_tim_penilai_members(personas, time_machine):
    time_machine.move_to(FEB)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="kotalama")
    appraisal = appraisal_of(cycle, personas.pegawai)
    advance(appraisal, State.SELF_ASSESSED)
    give_levels(appraisal)
    problems = services.scoring_problems(fresh(appraisal))
    assert any("Tim Penilai" in p for p in problems)  # personas.team_a is a member of A


def test_without_tim_penilai_members_the_team_weight_is_redistributed(personas, time_machine):
    from agencies.models import RoleGrant

    RoleGrant.objects.filter(role=Role.TIM_PENILAI).delete()
    time_machine.move_to(FEB)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="kotalama")
    appraisal = appraisal_of(cycle, personas.pegawai)
    advance(appraisal, State.SCORED)
    team = next(c for c in fresh(appraisal).breakdown["components"] if c["source"] == "tim")
    assert team["status"] == "dialihkan"
