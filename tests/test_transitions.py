"""Every transition of docs/cycle.md, by the right persona in the right state, and every
refusal: wrong state, wrong persona, missing comment or reason, deadlines, locked results.

The rules live in the services, so most tests call them directly; the pages only pass the
request on (tests/test_appraisal_access_matrix.py covers them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import ActingAssignment, Role, RoleGrant
from appraisals import services
from appraisals.access import get_appraisal_for
from appraisals.models import Appraisal, AuditEntry, State
from indicators.models import ResultTemplate

from .appraisal_fixtures import (
    AFTER_PLANNING,
    AFTER_SCORING,
    AFTER_SELF_ASSESSMENT,
    BEFORE_PLANNING,
    DEADLINES,
    act,
    advance,
    appraisal_of,
    fill_realisations,
    force_scored,
    fresh,
    give_levels,
    indicators_of,
    make_cycle,
    make_indicator_set,
    run_jobs,
    set_organisation_predikat,
    user_of,
)


def _run(service, who, appraisal, **kwargs):
    return service(
        acting_user=user_of(who),
        appraisal=appraisal,
        version=fresh(appraisal).version,
        **kwargs,
    )


def _set_state(appraisal, state):
    Appraisal.objects.filter(pk=appraisal.pk).update(state=state)
    return fresh(appraisal)


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- planning -----------------------------------------------------------------------------


def test_plan_is_copied_from_the_position_indicator_set(planning):
    personas, cycle, appraisal = planning
    assert set(indicators_of(appraisal)) == {"I1", "I2", "I3"}
    assert [r.code for r in appraisal.results.all()] == ["R1", "R2"]
    assert appraisal.behaviours.count() == 7


def test_employee_adjusts_targets_and_weights_of_a_draft_plan(planning):
    personas, cycle, appraisal = planning
    i1, i3 = indicators_of(appraisal)["I1"], indicators_of(appraisal)["I3"]
    _run(
        services.plan_update, personas.pegawai, appraisal,
        indicators={i1.pk: {"target": Decimal("120"), "weight": Decimal("50")}, i3.pk: {"weight": Decimal("30")}},
    )  # fmt: skip
    i1.refresh_from_db()
    assert (i1.target, i1.weight) == (Decimal(120), Decimal(50))


def test_employee_submits_a_complete_draft_plan(planning):
    personas, cycle, appraisal = planning
    _run(services.appraisal_submit_targets, personas.pegawai, appraisal)
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED


def test_a_plan_whose_weights_do_not_add_up_to_100_cannot_be_submitted(planning):
    personas, cycle, appraisal = planning
    i1 = indicators_of(appraisal)["I1"]
    _run(
        services.plan_update,
        personas.pegawai,
        appraisal,
        indicators={i1.pk: {"weight": Decimal("50")}},
    )
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_submit_targets, personas.pegawai, appraisal)
    assert "harus tepat 100" in _messages(exc.value)
    assert fresh(appraisal).state == State.DRAFT


@pytest.mark.parametrize("value", ["0", "-5", "abc", "NaN"])
def test_a_target_that_is_not_a_positive_number_is_refused(planning, value):
    personas, cycle, appraisal = planning
    i1 = indicators_of(appraisal)["I1"]
    with pytest.raises(ValidationError):
        _run(
            services.plan_update, personas.pegawai, appraisal, indicators={i1.pk: {"target": value}}
        )
    i1.refresh_from_db()
    assert i1.target == Decimal(100)


def test_supervisor_approves_a_submitted_plan(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    _run(services.appraisal_approve_targets, personas.kasi, appraisal)
    assert fresh(appraisal).state == State.TARGETS_APPROVED


def test_supervisor_returns_a_submitted_plan_with_a_comment(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    _run(
        services.appraisal_return_targets, personas.kasi, appraisal, comment="Target terlalu rendah"
    )
    appraisal = fresh(appraisal)
    assert appraisal.state == State.DRAFT
    assert appraisal.return_comment == "Target terlalu rendah"


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_a_plan_without_a_comment_is_refused(planning, comment):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_return_targets, personas.kasi, appraisal, comment=comment)
    assert "alasan pengembalian" in _messages(exc.value)
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED


def test_approving_again_clears_the_return_comment(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    _run(services.appraisal_return_targets, personas.kasi, appraisal, comment="Perbaiki")
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    assert fresh(appraisal).return_comment == ""


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.appraisal_approve_targets, {}),
        (services.appraisal_return_targets, {"comment": "Saya kembalikan sendiri"}),
    ],
)
def test_employee_cannot_approve_or_return_own_plan(planning, service, kwargs):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    with pytest.raises(PermissionDenied):
        _run(service, personas.pegawai, appraisal, **kwargs)
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED


@pytest.mark.parametrize("who", ["kasi", "hr_a", "admin_daerah"])
def test_only_the_employee_edits_or_submits_the_plan(planning, who):
    personas, cycle, appraisal = planning
    i1 = indicators_of(appraisal)["I1"]
    with pytest.raises(PermissionDenied):
        _run(
            services.plan_update, getattr(personas, who), appraisal,
            indicators={i1.pk: {"target": Decimal("1")}},
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_submit_targets, getattr(personas, who), appraisal)
    assert fresh(appraisal).state == State.DRAFT


@pytest.mark.parametrize("who", ["hr_a", "admin_daerah"])
def test_hr_cannot_return_a_plan(planning, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_return_targets, getattr(personas, who), appraisal, comment="x")


@pytest.mark.parametrize("who", ["kepala", "sekda"])
def test_upper_supervisors_read_the_appraisal_but_may_not_change_it(planning, who):
    personas, cycle, appraisal = planning
    user = user_of(getattr(personas, who))
    assert get_appraisal_for(user, appraisal.pk).appraisal == appraisal
    with pytest.raises(PermissionDenied):
        get_appraisal_for(user, appraisal.pk, write=True)


@pytest.mark.parametrize("who", ["outsider", "hr_b", "kepala_b"])
def test_nobody_outside_the_scope_finds_the_appraisal(planning, who):
    from django.http import Http404

    personas, cycle, appraisal = planning
    with pytest.raises(Http404):
        get_appraisal_for(user_of(getattr(personas, who)), appraisal.pk)


def test_a_peer_does_not_find_a_colleagues_appraisal(planning):
    from django.http import Http404

    personas, cycle, appraisal = planning
    with pytest.raises(Http404):
        get_appraisal_for(user_of(personas.peers[0]), appraisal.pk)


def test_a_submitted_plan_cannot_be_edited_until_returned(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    i1 = indicators_of(appraisal)["I1"]
    with pytest.raises(ValidationError) as exc:
        _run(
            services.plan_update,
            personas.pegawai,
            appraisal,
            indicators={i1.pk: {"target": Decimal("1")}},
        )
    assert "Rencana diajukan" in _messages(exc.value)


# --- the planning deadline ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["kasi", "hr_a", "admin_daerah"])
def test_before_the_planning_deadline_a_draft_cannot_be_approved_as_it_stands(planning, who):
    personas, cycle, appraisal = planning
    with pytest.raises(ValidationError):
        _run(services.appraisal_approve_targets, getattr(personas, who), appraisal)
    assert fresh(appraisal).state == State.DRAFT


@pytest.mark.parametrize("who", ["hr_a", "admin_daerah"])
def test_before_the_planning_deadline_hr_cannot_approve_a_submitted_plan(planning, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_approve_targets, getattr(personas, who), appraisal)
    assert "setelah batas perencanaan" in _messages(exc.value)
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED


@pytest.mark.parametrize("who", ["kasi", "hr_a", "admin_daerah"])
@pytest.mark.parametrize("state", [State.DRAFT, State.TARGETS_SUBMITTED])
def test_after_the_planning_deadline_atasan_or_hr_approve_the_plan_as_it_stands(
    planning, time_machine, who, state
):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, state)
    time_machine.move_to(AFTER_PLANNING)
    _run(services.appraisal_approve_targets, getattr(personas, who), appraisal)
    assert fresh(appraisal).state == State.TARGETS_APPROVED
    entry = AuditEntry.objects.filter(appraisal=appraisal).latest("pk")
    expected = (
        "targets_approve"
        if (who, state) == ("kasi", "targets_submitted")
        else ("targets_approve_late")
    )
    assert (entry.action, entry.before, entry.after) == (
        expected, {"state": state}, {"state": "targets_approved"},
    )  # fmt: skip


def test_opening_a_cycle_copies_each_plan_and_the_seven_values(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    appraisal = appraisal_of(cycle, personas.pegawai)
    assert set(indicators_of(appraisal)) == {"I1", "I2", "I3"}
    assert appraisal.behaviours.count() == 7
    # Someone whose position has no set yet still gets the seven values, and no plan.
    other = appraisal_of(cycle, personas.kasi)
    assert other.behaviours.count() == 7


def test_late_approval_copies_a_set_that_arrived_after_the_cycle_opened(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    cycle = make_cycle(personas)
    appraisal = appraisal_of(cycle, personas.pegawai)
    assert not appraisal.results.exists()
    make_indicator_set(personas.pegawai.position, personas.region)
    time_machine.move_to(AFTER_PLANNING)
    _run(services.appraisal_approve_targets, personas.hr_a, appraisal)
    assert fresh(appraisal).state == State.TARGETS_APPROVED
    assert set(indicators_of(appraisal)) == {"I1", "I2", "I3"}


def test_a_set_that_arrived_after_the_cycle_opened_is_copied_on_request(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    cycle = make_cycle(personas)
    appraisal = appraisal_of(cycle, personas.pegawai)
    with pytest.raises(ValidationError, match="Set indikator untuk jabatan ini belum ada"):
        services.plan_create(acting_user=user_of(personas.pegawai), appraisal=appraisal)
    make_indicator_set(personas.pegawai.position, personas.region)
    services.plan_create(acting_user=user_of(personas.pegawai), appraisal=appraisal)
    assert set(indicators_of(appraisal)) == {"I1", "I2", "I3"}
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="plan_copy").get()
    assert entry.actor == user_of(personas.pegawai)
    with pytest.raises(ValidationError, match="Rencana ini sudah ada"):
        services.plan_create(acting_user=user_of(personas.pegawai), appraisal=appraisal)


def test_a_component_of_another_preset_falls_back_to_the_main_one(personas, client, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    indicator_set = make_indicator_set(personas.pegawai.position, personas.region)
    ResultTemplate.objects.filter(indicator_set=indicator_set).update(
        component="sikap"
    )  # tangsel's
    cycle = make_cycle(personas, scheme_key="jakarta")
    appraisal = appraisal_of(cycle, personas.pegawai)
    client.force_login(personas.pegawai.user)
    assert client.get(reverse("appraisal_detail", args=[appraisal.pk])).status_code == 200
    assert set(fresh(appraisal).results.values_list("component", flat=True)) == {""}


def test_nobody_but_the_employee_and_hr_copies_a_plan(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    cycle = make_cycle(personas)
    appraisal = appraisal_of(cycle, personas.pegawai)
    make_indicator_set(personas.pegawai.position, personas.region)
    for who in (personas.kasi, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.plan_create(acting_user=user_of(who), appraisal=appraisal)
    services.plan_create(acting_user=user_of(personas.hr_a), appraisal=appraisal)
    assert set(indicators_of(appraisal)) == {"I1", "I2", "I3"}


def test_the_employee_cannot_approve_own_plan_even_after_the_deadline(planning, time_machine):
    personas, cycle, appraisal = planning
    time_machine.move_to(AFTER_PLANNING)
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_approve_targets, personas.pegawai, appraisal)


def test_admin_hr_cannot_approve_own_plan_after_the_deadline(planning, time_machine):
    personas, cycle, appraisal = planning
    own = appraisal_of(cycle, personas.hr_a)
    time_machine.move_to(AFTER_PLANNING)
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_approve_targets, personas.hr_a, own)
    assert fresh(own).state == State.DRAFT


def test_an_approved_plan_cannot_be_approved_again(planning, time_machine):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    time_machine.move_to(AFTER_PLANNING)
    with pytest.raises(ValidationError):
        _run(services.appraisal_approve_targets, personas.kasi, appraisal)


# --- self-assessment ---------------------------------------------------------------------------


def test_employee_saves_realisations_comments_and_own_levels(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    ind = indicators_of(appraisal)
    _run(
        services.appraisal_save_realisation, personas.pegawai, appraisal,
        indicator_id=ind["I1"].pk, realisation=Decimal("95.5"), comment="Laporan bulanan",
    )  # fmt: skip
    _run(
        services.appraisal_save_realisation, personas.pegawai, appraisal,
        indicator_id=ind["I2"].pk, realisation=None, self_level=4,
    )  # fmt: skip
    i1, i2 = indicators_of(appraisal)["I1"], indicators_of(appraisal)["I2"]
    assert (i1.realisation, i1.self_comment) == (Decimal("95.5"), "Laporan bulanan")
    assert (i2.realisation, i2.self_level) == (None, 4)


def test_a_negative_realisation_is_refused(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    with pytest.raises(ValidationError) as exc:
        _run(
            services.appraisal_save_realisation, personas.pegawai, appraisal,
            indicator_id=i1.pk, realisation=Decimal("-1"),
        )  # fmt: skip
    assert "Tidak boleh negatif" in _messages(exc.value)


@pytest.mark.parametrize("state", [State.DRAFT, State.TARGETS_SUBMITTED, State.SELF_ASSESSED])
def test_realisations_are_saved_only_while_filling_the_self_assessment(planning, state):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, state)
    i1 = indicators_of(appraisal)["I1"]
    with pytest.raises(ValidationError):
        _run(
            services.appraisal_save_realisation, personas.pegawai, appraisal,
            indicator_id=i1.pk, realisation=Decimal("10"),
        )  # fmt: skip


@pytest.mark.parametrize("who", ["kasi", "hr_a", "admin_daerah"])
def test_only_the_employee_fills_realisations_and_uploads_evidence(
    planning, who, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    with pytest.raises(PermissionDenied):
        _run(
            services.appraisal_save_realisation, getattr(personas, who), appraisal,
            indicator_id=i1.pk, realisation=Decimal("10"),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            acting_user=user_of(getattr(personas, who)), appraisal=appraisal,
            indicator_id=i1.pk, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )  # fmt: skip


def test_employee_submits_the_self_assessment_with_a_comment(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    _run(
        services.appraisal_submit_self_assessment, personas.pegawai, appraisal,
        comment="Semua target tercapai",
    )  # fmt: skip
    appraisal = fresh(appraisal)
    assert (appraisal.state, appraisal.employee_comment) == (
        State.SELF_ASSESSED,
        "Semua target tercapai",
    )


def test_missing_realisations_never_block_the_self_assessment(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    _run(services.appraisal_submit_self_assessment, personas.pegawai, appraisal)
    assert fresh(appraisal).state == State.SELF_ASSESSED


def test_supervisor_returns_the_self_assessment_with_a_comment(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    _run(
        services.appraisal_return_self_assessment, personas.kasi, appraisal,
        comment="Lengkapi bukti dukung I1",
    )  # fmt: skip
    appraisal = fresh(appraisal)
    assert (appraisal.state, appraisal.return_comment) == (
        State.TARGETS_APPROVED,
        "Lengkapi bukti dukung I1",
    )
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="self_assessment_return").get()
    assert entry.reason == "Lengkapi bukti dukung I1"


def test_returning_a_self_assessment_without_a_comment_is_refused(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    with pytest.raises(ValidationError):
        _run(services.appraisal_return_self_assessment, personas.kasi, appraisal, comment=" ")
    assert fresh(appraisal).state == State.SELF_ASSESSED


@pytest.mark.parametrize("who", ["pegawai", "hr_a", "admin_daerah"])
def test_only_the_supervisor_returns_a_self_assessment(planning, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    with pytest.raises(PermissionDenied):
        _run(
            services.appraisal_return_self_assessment, getattr(personas, who), appraisal,
            comment="Kembalikan",
        )  # fmt: skip


@pytest.mark.parametrize("state", [State.TARGETS_APPROVED, State.SCORED])
def test_a_self_assessment_is_returned_only_once_sent(planning, state):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, state)
    with pytest.raises(ValidationError):
        _run(services.appraisal_return_self_assessment, personas.kasi, appraisal, comment="x")
    assert fresh(appraisal).state == state


@pytest.mark.parametrize("who", ["kasi", "hr_a", "admin_daerah"])
def test_before_the_self_assessment_deadline_nobody_sends_it_for_the_employee(planning, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_submit_self_assessment, getattr(personas, who), appraisal)
    assert "setelah batasnya lewat" in _messages(exc.value)
    assert fresh(appraisal).state == State.TARGETS_APPROVED


@pytest.mark.parametrize("who", ["kasi", "hr_a", "admin_daerah"])
def test_after_the_self_assessment_deadline_atasan_or_hr_move_it_on_as_it_stands(
    planning, time_machine, who
):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    time_machine.move_to(AFTER_SELF_ASSESSMENT)
    _run(services.appraisal_submit_self_assessment, getattr(personas, who), appraisal)
    assert fresh(appraisal).state == State.SELF_ASSESSED
    entry = AuditEntry.objects.filter(appraisal=appraisal).latest("pk")
    assert (entry.action, entry.actor, entry.before, entry.after) == (
        "self_assessment_late",
        user_of(getattr(personas, who)),
        {"state": "targets_approved"},
        {"state": "self_assessed"},
    )


@pytest.mark.parametrize("who", ["kepala", "sekda"])
def test_upper_supervisors_cannot_move_a_late_self_assessment(planning, time_machine, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    time_machine.move_to(AFTER_SELF_ASSESSMENT)
    with pytest.raises(PermissionDenied):
        act(getattr(personas, who), appraisal)


# --- the supervisor's scores -------------------------------------------------------------------


def test_supervisor_gives_levels_and_feedback_per_result_and_per_behaviour(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    i2 = indicators_of(appraisal)["I2"]
    result = appraisal.results.get(code="R1")
    behaviour = appraisal.behaviours.select_related("value").first()
    _run(
        services.appraisal_save_scores, personas.kasi, appraisal,
        indicator_levels={i2.pk: 5}, behaviour_levels={behaviour.pk: 3},
        result_feedback={result.pk: "Pertahankan kecepatan"},
        behaviour_feedback={behaviour.pk: "Lebih sigap membantu rekan"},
    )  # fmt: skip
    i2.refresh_from_db()
    result.refresh_from_db()
    behaviour.refresh_from_db()
    assert (i2.level, behaviour.level) == (5, 3)
    assert result.feedback == "Pertahankan kecepatan"
    assert behaviour.feedback == "Lebih sigap membantu rekan"


@pytest.mark.parametrize("level", ["0", "6", "x"])
def test_a_level_outside_1_to_5_is_refused(planning, level):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    i2 = indicators_of(appraisal)["I2"]
    with pytest.raises(ValidationError) as exc:
        _run(
            services.appraisal_save_scores,
            personas.kasi,
            appraisal,
            indicator_levels={i2.pk: level},
        )
    assert "level 1 sampai 5" in _messages(exc.value)


def test_supervisor_marks_the_appraisal_scored_once_every_level_is_given(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_mark_scored, personas.kasi, appraisal)
    assert "belum diberi level" in _messages(exc.value)
    give_levels(appraisal)
    _run(services.appraisal_mark_scored, personas.kasi, appraisal)
    appraisal = fresh(appraisal)
    assert appraisal.state == State.SCORED
    assert (appraisal.final_value, appraisal.predikat) == (Decimal("100.00"), "baik")


def test_nobody_scores_their_own_appraisal(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    with pytest.raises(PermissionDenied) as exc:
        _run(services.appraisal_save_scores, personas.pegawai, appraisal, indicator_levels={})
    assert "sendiri" in str(exc.value)
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_mark_scored, personas.pegawai, appraisal)


def test_nobody_rates_themself_even_at_the_top(planning):
    personas, cycle, _ = planning
    appraisal = appraisal_of(cycle, personas.kepala)
    assert not act(personas.kepala, appraisal).is_rater


def test_admin_daerah_rates_the_top_of_the_region(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.sekda.position, personas.region)
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
    _run(services.appraisal_submit_targets, personas.sekda, appraisal)
    admin = act(personas.admin_daerah, appraisal)
    assert admin.is_rater
    _run(services.appraisal_approve_targets, personas.admin_daerah, appraisal)
    _run(services.appraisal_submit_self_assessment, personas.sekda, appraisal)
    give_levels(appraisal, rater=personas.admin_daerah)
    _run(services.appraisal_mark_scored, personas.admin_daerah, appraisal)
    assert fresh(appraisal).state == State.SCORED


def test_a_team_score_is_required_where_the_agency_has_tim_penilai_members(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="kotalama")
    appraisal = appraisal_of(cycle, personas.pegawai)
    advance(appraisal, State.SELF_ASSESSED)
    give_levels(appraisal)
    problems = services.scoring_problems(fresh(appraisal))
    assert any("Tim Penilai" in p for p in problems)  # personas.team_a is a member of A


def test_without_tim_penilai_members_the_team_weight_is_redistributed(personas, time_machine):
    RoleGrant.objects.filter(role=Role.TIM_PENILAI).delete()
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="kotalama")
    appraisal = appraisal_of(cycle, personas.pegawai)
    advance(appraisal, State.SCORED)
    team = next(c for c in fresh(appraisal).breakdown["components"] if c["source"] == "tim")
    assert team["status"] == "dialihkan"


@pytest.mark.parametrize("who", ["hr_a", "admin_daerah"])
def test_hr_cannot_score_a_self_assessed_appraisal(planning, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    i2 = indicators_of(appraisal)["I2"]
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_save_scores, getattr(personas, who), appraisal,
             indicator_levels={i2.pk: 4}, reason="x")  # fmt: skip
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_mark_scored, getattr(personas, who), appraisal)
    i2.refresh_from_db()
    assert i2.level is None


@pytest.mark.parametrize("state", [State.DRAFT, State.TARGETS_APPROVED])
def test_scores_are_given_only_after_the_self_assessment(planning, state):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, state)
    i2 = indicators_of(appraisal)["I2"]
    with pytest.raises(ValidationError):
        _run(services.appraisal_save_scores, personas.kasi, appraisal, indicator_levels={i2.pk: 4})
    with pytest.raises(ValidationError):
        _run(services.appraisal_mark_scored, personas.kasi, appraisal)


def test_supervisor_changing_a_scored_appraisal_must_give_a_reason(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SCORED)
    i2 = indicators_of(appraisal)["I2"]
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_save_scores, personas.kasi, appraisal, indicator_levels={i2.pk: 5})
    assert "wajib disertai alasan" in _messages(exc.value)
    _run(
        services.appraisal_save_scores, personas.kasi, appraisal,
        indicator_levels={i2.pk: 5}, reason="Bukti tambahan diterima",
    )  # fmt: skip
    i2.refresh_from_db()
    assert i2.level == 5


def test_every_score_change_is_recomputed_and_stored_in_the_same_transaction(planning, monkeypatch):
    from appraisals import scoring as appraisal_scoring

    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    i2 = indicators_of(appraisal)["I2"]
    _run(services.appraisal_save_scores, personas.kasi, appraisal, indicator_levels={i2.pk: 5})
    stored = fresh(appraisal)
    expected = appraisal_scoring.compute(stored)
    assert stored.final_value == expected.final_value_rounded
    assert stored.breakdown == expected.to_dict()

    def broken(_appraisal, _gathered):
        raise RuntimeError("scoring failed")

    monkeypatch.setattr(appraisal_scoring, "compute_one", broken)
    with pytest.raises(RuntimeError):
        _run(services.appraisal_save_scores, personas.kasi, appraisal, indicator_levels={i2.pk: 1})
    i2.refresh_from_db()
    assert i2.level == 5  # the level was not saved without its recomputed score
    assert fresh(appraisal).version == stored.version


# --- HR calibration -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hr_a", "admin_daerah"])
def test_hr_calibrates_a_scored_appraisal_with_a_reason(planning, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SCORED)
    i2 = indicators_of(appraisal)["I2"]
    _run(
        services.appraisal_save_scores, getattr(personas, who), appraisal,
        indicator_levels={i2.pk: 1}, reason="Keputusan tim kalibrasi",
    )  # fmt: skip
    appraisal = fresh(appraisal)
    assert appraisal.state == State.SCORED
    # I2 level 1 = 45: (100*60 + 45*20 + 100*20)/100 = 89; 89*0.7 + 100*0.3 = 92.3
    assert appraisal.final_value == Decimal("92.30")
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="calibrate").get()
    assert (entry.before, entry.after, entry.reason) == (
        {"I2": 4}, {"I2": 1}, "Keputusan tim kalibrasi",
    )  # fmt: skip


def test_calibration_without_a_reason_is_refused(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SCORED)
    i2 = indicators_of(appraisal)["I2"]
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_save_scores, personas.hr_a, appraisal, indicator_levels={i2.pk: 1})
    assert "Kalibrasi wajib disertai alasan" in _messages(exc.value)
    i2.refresh_from_db()
    assert i2.level == 4


def test_admin_hr_cannot_calibrate_own_appraisal(planning):
    personas, cycle, appraisal = planning
    own = advance(appraisal_of(cycle, personas.hr_a), State.SCORED)
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_save_scores, personas.hr_a, own, indicator_levels={}, reason="x")


# --- the acting official (Plt/Plh) ----------------------------------------------------------------


def test_an_acting_official_scores_for_the_absent_supervisor(planning, time_machine):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    ActingAssignment.objects.create(
        official=personas.kepala_b, replaces=personas.kasi, kind="plh",
        start_date=dt.date(2026, 1, 25), end_date=dt.date(2026, 2, 10),
    )  # fmt: skip
    assert act(personas.kepala_b, appraisal).is_rater
    give_levels(appraisal, rater=personas.kepala_b)
    _run(services.appraisal_mark_scored, personas.kepala_b, appraisal)
    assert fresh(appraisal).state == State.SCORED
    assert AuditEntry.objects.filter(appraisal=appraisal, action="score").get().actor == user_of(
        personas.kepala_b
    )


def test_an_acting_official_loses_the_appraisal_when_the_assignment_ends(planning, time_machine):
    from django.http import Http404

    personas, cycle, appraisal = planning
    ActingAssignment.objects.create(
        official=personas.kepala_b, replaces=personas.kasi, kind="plt",
        start_date=dt.date(2026, 1, 25), end_date=dt.date(2026, 2, 10),
    )  # fmt: skip
    time_machine.move_to(dt.datetime(2026, 2, 11, 2, tzinfo=dt.UTC))
    with pytest.raises(Http404):
        act(personas.kepala_b, appraisal)


def test_an_acting_official_still_cannot_score_their_own_appraisal(planning):
    personas, cycle, appraisal = planning
    peer = personas.peers[0]
    own = advance(appraisal_of(cycle, peer), State.SELF_ASSESSED)
    ActingAssignment.objects.create(
        official=peer, replaces=personas.kasi, kind="plh",
        start_date=dt.date(2026, 1, 25), end_date=dt.date(2026, 2, 10),
    )  # fmt: skip
    assert act(peer, appraisal).is_rater  # the colleague's appraisal, yes
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_save_scores, peer, own, indicator_levels={}, reason="x")


# --- finalise, release, reopen --------------------------------------------------------------------


def test_finalise_is_refused_while_any_appraisal_of_the_agency_is_not_scored(planning):
    personas, cycle, appraisal = planning
    advance(appraisal, State.SCORED)
    with pytest.raises(ValidationError) as exc:
        services.agency_finalise(
            acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a
        )
    assert "8 penilaian di Dinas Alfa belum berstatus Dinilai atasan" in _messages(exc.value)
    assert not cycle.appraisals.filter(state=State.FINALISED).exists()


@pytest.mark.parametrize("who", ["hr_a", "admin_daerah"])
def test_hr_finalises_and_releases_one_agency_at_once(planning, who):
    personas, cycle, appraisal = planning
    hr = getattr(personas, who)
    appraisal = advance(appraisal, State.FINALISED, hr=hr)
    assert set(cycle.appraisals.values_list("state", flat=True)) == {State.FINALISED}
    with pytest.raises(ValidationError):
        services.agency_finalise(acting_user=user_of(hr), cycle=cycle, agency=personas.agency_a)
    count = services.agency_release(acting_user=user_of(hr), cycle=cycle, agency=personas.agency_a)
    assert count == 9
    released = fresh(appraisal)
    assert released.state == State.RELEASED and released.released_at is not None


def test_release_is_refused_before_finalisation(planning):
    personas, cycle, appraisal = planning
    force_scored(Appraisal.objects.filter(cycle=cycle))
    with pytest.raises(ValidationError) as exc:
        services.agency_release(
            acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a
        )
    assert "belum final" in _messages(exc.value)
    assert set(cycle.appraisals.values_list("state", flat=True)) == {State.SCORED}


@pytest.mark.parametrize("service", [services.agency_finalise, services.agency_release])
def test_hr_of_another_agency_cannot_finalise_or_release(planning, service):
    personas, cycle, appraisal = planning
    force_scored(Appraisal.objects.filter(cycle=cycle))
    with pytest.raises(PermissionDenied):
        service(acting_user=user_of(personas.hr_b), cycle=cycle, agency=personas.agency_a)


def test_finalising_one_agency_leaves_the_other_agency_of_the_cycle_alone(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    cycle = services.cycle_create(
        acting_user=user_of(personas.admin_daerah), region=personas.region,
        agencies=[personas.agency_a, personas.agency_b], name="Bersama", scheme_key="jakarta",
        period_type="annual", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
        deadlines={"planning": dt.date(2026, 2, 15), "self_assessment": dt.date(2026, 12, 20),
                   "scoring": dt.date(2026, 12, 28), "peer": dt.date(2026, 12, 28),
                   "calibration": dt.date(2026, 12, 31)},
    )  # fmt: skip
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    force_scored(Appraisal.objects.filter(cycle=cycle, agency=personas.agency_a))
    set_organisation_predikat(cycle, personas.agency_a, "istimewa")
    services.agency_finalise(
        acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a
    )
    states = dict(
        Appraisal.objects.filter(cycle=cycle).values_list("agency_id", "state").distinct()
    )
    assert states == {personas.agency_a.pk: State.FINALISED, personas.agency_b.pk: State.DRAFT}


def _locked_changes(personas, appraisal, tmp_path):
    i1, i2 = indicators_of(appraisal)["I1"], indicators_of(appraisal)["I2"]
    return {
        "plan": lambda: _run(
            services.plan_update,
            personas.pegawai,
            appraisal,
            indicators={i1.pk: {"target": Decimal("1")}},
        ),
        "realisation": lambda: _run(
            services.appraisal_save_realisation,
            personas.pegawai,
            appraisal,
            indicator_id=i1.pk,
            realisation=Decimal("1"),
        ),  # fmt: skip
        "evidence": lambda: services.evidence_add(
            acting_user=user_of(personas.pegawai),
            appraisal=appraisal,
            indicator_id=i1.pk,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        ),  # fmt: skip
        "scores": lambda: _run(
            services.appraisal_save_scores,
            personas.kasi,
            appraisal,
            indicator_levels={i2.pk: 1},
            reason="Ubah",
        ),  # fmt: skip
        "calibration": lambda: _run(
            services.appraisal_save_scores,
            personas.hr_a,
            appraisal,
            indicator_levels={i2.pk: 1},
            reason="Ubah",
        ),  # fmt: skip
        "return_self": lambda: _run(
            services.appraisal_return_self_assessment, personas.kasi, appraisal, comment="x"
        ),
        "mark_scored": lambda: _run(services.appraisal_mark_scored, personas.kasi, appraisal),
        "submit_self": lambda: _run(
            services.appraisal_submit_self_assessment, personas.pegawai, appraisal
        ),
    }


CHANGES = [
    "plan", "realisation", "evidence", "scores", "calibration", "return_self", "mark_scored",
    "submit_self",
]  # fmt: skip


@pytest.mark.parametrize("state", [State.FINALISED, State.RELEASED])
@pytest.mark.parametrize("change", CHANGES)
def test_after_finalisation_nothing_changes(planning, settings, tmp_path, state, change):
    settings.MEDIA_ROOT = tmp_path
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, state, hr=personas.hr_a)
    before = (fresh(appraisal).version, fresh(appraisal).final_value, appraisal.audit.count())
    with pytest.raises((ValidationError, PermissionDenied)):
        _locked_changes(personas, appraisal, tmp_path)[change]()
    after = fresh(appraisal)
    assert (after.state, after.version, after.final_value, appraisal.audit.count()) == (
        state, *before,
    )  # fmt: skip
    assert {i.level for i in indicators_of(appraisal).values() if i.is_rubric} == {4}


@pytest.mark.parametrize("state", [State.FINALISED, State.RELEASED])
@pytest.mark.parametrize("who", ["hr_a", "admin_daerah"])
def test_hr_reopens_one_appraisal_with_a_reason(planning, state, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, state, hr=personas.hr_a)
    _run(services.appraisal_reopen, getattr(personas, who), appraisal, reason="Salah input level")
    reopened = fresh(appraisal)
    assert (reopened.state, reopened.released_at) == (State.SCORED, None)
    assert set(cycle.appraisals.exclude(pk=appraisal.pk).values_list("state", flat=True)) == {state}
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="reopen").get()
    assert (entry.before, entry.after, entry.reason) == (
        {"state": state}, {"state": "scored"}, "Salah input level",
    )  # fmt: skip


def test_reopening_without_a_reason_is_refused(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    with pytest.raises(ValidationError) as exc:
        _run(services.appraisal_reopen, personas.hr_a, appraisal, reason="  ")
    assert "Alasan membuka kembali wajib diisi" in _messages(exc.value)
    assert fresh(appraisal).state == State.FINALISED


@pytest.mark.parametrize("who", ["pegawai", "kasi"])
def test_only_hr_reopens(planning, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_reopen, getattr(personas, who), appraisal, reason="x")


def test_admin_hr_cannot_reopen_own_appraisal(planning):
    personas, cycle, appraisal = planning
    advance(appraisal, State.FINALISED, hr=personas.hr_a)
    own = appraisal_of(cycle, personas.hr_a)
    with pytest.raises(PermissionDenied):
        _run(services.appraisal_reopen, personas.hr_a, own, reason="x")


@pytest.mark.parametrize("state", [State.SELF_ASSESSED, State.SCORED])
def test_only_a_finalised_or_released_appraisal_is_reopened(planning, state):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, state)
    with pytest.raises(ValidationError):
        _run(services.appraisal_reopen, personas.hr_a, appraisal, reason="x")


def test_a_reopened_appraisal_is_calibrated_finalised_and_released_again(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    _run(services.appraisal_reopen, personas.hr_a, appraisal, reason="Keberatan diterima")
    i2 = indicators_of(appraisal)["I2"]
    _run(
        services.appraisal_save_scores, personas.hr_a, appraisal,
        indicator_levels={i2.pk: 5}, reason="Keberatan diterima",
    )  # fmt: skip
    hr = user_of(personas.hr_a)
    with pytest.raises(ValidationError):  # the rest is released, this one is not final yet
        services.agency_release(acting_user=hr, cycle=cycle, agency=personas.agency_a)
    assert services.agency_finalise(acting_user=hr, cycle=cycle, agency=personas.agency_a) == 1
    assert services.agency_release(acting_user=hr, cycle=cycle, agency=personas.agency_a) == 1
    assert set(cycle.appraisals.values_list("state", flat=True)) == {State.RELEASED}
    # I2 level 5 = 115: (100*60 + 115*20 + 100*20)/100 = 103; 103*0.7 + 30 = 102.1
    assert fresh(appraisal).final_value == Decimal("102.10")


# --- the supervisor-scoring deadline ---------------------------------------------------------------


def test_a_missing_realisation_is_pending_before_the_scoring_deadline_and_zeroed_after(
    planning, time_machine
):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    i1 = indicators_of(appraisal)["I1"]
    _run(
        services.appraisal_save_realisation, personas.pegawai, appraisal,
        indicator_id=i1.pk, realisation=Decimal("100"),
    )  # fmt: skip
    _run(services.appraisal_submit_self_assessment, personas.pegawai, appraisal)
    give_levels(appraisal)

    def i3_flags():
        stored = fresh(appraisal).breakdown
        (i3,) = [i for r in stored["components"][0]["results"] for i in r["indicators"]
                 if i["code"] == "I3"]  # fmt: skip
        return i3["value"], i3["pending"], i3["zeroed"], stored["deadline_passed"]

    assert i3_flags() == ("0", True, False, False)
    assert not fresh(appraisal).breakdown["complete"]
    time_machine.move_to(AFTER_SCORING)
    services.appraisal_recompute(appraisal=fresh(appraisal))
    assert i3_flags() == ("0", False, True, True)
    stored = fresh(appraisal)
    assert any("I3" in note and "dihitung 0" in note for note in stored.breakdown["notes"])
    # (100*60 + 100*20 + 0*20)/100 = 80; 80*0.7 + 100*0.3 = 86 -> butuh perbaikan
    assert (stored.final_value, stored.predikat) == (Decimal("86.00"), "butuh_perbaikan")


def test_scoring_after_the_deadline_stores_the_zeroed_flag_without_an_explicit_recompute(
    planning, time_machine
):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    _run(services.appraisal_submit_self_assessment, personas.pegawai, appraisal)
    time_machine.move_to(AFTER_SCORING)
    give_levels(appraisal)
    _run(services.appraisal_mark_scored, personas.kasi, appraisal)
    stored = fresh(appraisal).breakdown
    flags = [i["zeroed"] for r in stored["components"][0]["results"] for i in r["indicators"]
             if i["kind"] == "kuantitatif"]  # fmt: skip
    assert flags == [True, True]
    assert stored["complete"]


def test_the_unfilled_realisations_of_a_late_self_assessment_count_zero(planning, time_machine):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    fill_realisations(appraisal, ratio=Decimal("0.5"))
    time_machine.move_to(AFTER_SELF_ASSESSMENT)
    _run(services.appraisal_submit_self_assessment, personas.kasi, appraisal)
    assert fresh(appraisal).state == State.SELF_ASSESSED


def test_the_cycle_page_offers_finalising_again_after_a_reopen(planning, client):
    from django.urls import reverse

    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    client.force_login(personas.hr_a.user)
    url = reverse("cycle_detail", args=[cycle.pk])
    (agency,) = client.get(url).context["progress"]["agencies"]
    assert (agency["all_scored"], agency["all_finalised"]) == (False, False)
    _run(services.appraisal_reopen, personas.hr_a, appraisal, reason="Keberatan diterima")
    (agency,) = client.get(url).context["progress"]["agencies"]
    assert (agency["all_scored"], agency["all_finalised"]) == (True, False)
    client.post(
        reverse("cycle_finalise", args=[cycle.pk]),
        {"agency": personas.agency_a.pk, "confirmed": "1"},
    )
    run_jobs()
    (agency,) = client.get(url).context["progress"]["agencies"]
    assert (agency["all_scored"], agency["all_finalised"]) == (False, True)
    assert fresh(appraisal).state == State.FINALISED
