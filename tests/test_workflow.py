"""The appraisal workflow through the pages, one persona at a time (docs/cycle.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals.models import AuditEntry, CycleStatus, PlanIndicator, State

from .appraisal_fixtures import (
    appraisal_of,
    force_scored,
    fresh,
    make_cycle,
    make_indicator_set,
    run_jobs,
)

NOW = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)  # before the planning deadline


@pytest.fixture
def setup(personas, time_machine):
    time_machine.move_to(NOW)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    return personas, cycle, appraisal_of(cycle, personas.pegawai)


def _post(client, name, appraisal, data=None, **kwargs):
    data = {"version": fresh(appraisal).version, **(data or {})}
    return client.post(reverse(name, kwargs={"pk": appraisal.pk, **kwargs}), data)


def test_opening_creates_one_appraisal_per_active_employee_with_a_snapshot(setup):
    personas, cycle, appraisal = setup
    assert cycle.status == CycleStatus.OPEN
    assert cycle.appraisals.count() == 9  # the active employees of agency A
    assert (appraisal.supervisor, appraisal.golongan, appraisal.unit) == (
        personas.kasi, personas.pegawai.golongan, personas.pegawai.unit,
    )  # fmt: skip


def test_full_journey_in_a_numeric_preset_matches_a_hand_calculation(setup, client, time_machine):
    personas, cycle, appraisal = setup
    client.force_login(personas.pegawai.user)
    assert client.get(reverse("appraisal_detail", args=[appraisal.pk])).status_code == 200
    indicators = {i.code: i for i in PlanIndicator.objects.filter(result__appraisal=appraisal)}
    assert set(indicators) == {"I1", "I2", "I3"}

    # The employee submits; the supervisor returns it; the employee fixes and resubmits.
    assert (
        _post(client, "appraisal_transition", appraisal, {}, action="submit_targets").status_code
        == 302
    )
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED
    client.force_login(personas.kasi.user)
    _post(
        client,
        "appraisal_transition",
        appraisal,
        {"comment": "Target I1 terlalu rendah"},
        action="return_targets",
    )
    assert fresh(appraisal).state == State.DRAFT
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "Target I1 terlalu rendah" in page
    i1 = indicators["I1"]
    _post(
        client,
        "plan_save",
        appraisal,
        {f"target_{i1.pk}": "120", f"weight_{i1.pk}": "60", "submit": "1"},
    )
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED
    client.force_login(personas.kasi.user)
    _post(client, "appraisal_transition", appraisal, action="approve_targets")
    assert fresh(appraisal).state == State.TARGETS_APPROVED

    # Self-assessment with an evidence file.
    client.force_login(personas.pegawai.user)
    _post(
        client,
        "realisation_save",
        appraisal,
        {"realisation": "108", "comment": "Sesuai laporan"},
        indicator_pk=i1.pk,
    )
    _post(
        client,
        "realisation_save",
        appraisal,
        {"realisation": "4"},
        indicator_pk=indicators["I3"].pk,
    )
    upload = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    client.post(reverse("evidence_upload", args=[appraisal.pk, i1.pk]), {"file": upload})
    assert i1.evidence.count() == 1
    _post(client, "appraisal_transition", appraisal, action="submit_self")
    assert fresh(appraisal).state == State.SELF_ASSESSED

    # The supervisor scores: rubric level 4, all seven values level 4.
    client.force_login(personas.kasi.user)
    appraisal = fresh(appraisal)
    behaviours = {f"behaviour_{b.pk}": "4" for b in appraisal.behaviours.all()}
    response = _post(
        client,
        "scores_save",
        appraisal,
        {f"level_{indicators['I2'].pk}": "4", **behaviours, "finish": "1"},
    )
    assert response.status_code == 302
    assert fresh(appraisal).state == State.SCORED

    # HR finalises and releases the agency.
    client.force_login(personas.hr_a.user)
    force_scored(cycle.appraisals.exclude(pk=appraisal.pk))
    client.post(
        reverse("cycle_finalise", args=[cycle.pk]),
        {"agency": personas.agency_a.pk, "confirmed": "1"},
    )
    run_jobs()  # the finalise job, as the worker runs it
    assert fresh(appraisal).state == State.FINALISED
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "Hasil penilaian tampil setelah dirilis" in page
    client.force_login(personas.hr_a.user)
    client.post(
        reverse("cycle_release", args=[cycle.pk]),
        {"agency": personas.agency_a.pk, "confirmed": "1"},
    )
    run_jobs()
    assert fresh(appraisal).state == State.RELEASED

    # Hand calculation (jakarta: job indicators 70, behaviour 30):
    # I1 108/120 = 90; I2 level 4 = 100; I3 (2*5-4)/5 = 120 (capped at 120)
    # indicators = (90*60 + 100*20 + 120*20)/100 = 98; behaviour = 100
    # final = 98*0.7 + 100*0.3 = 98.6 -> baik
    client.force_login(personas.pegawai.user)
    response = client.get(reverse("appraisal_detail", args=[appraisal.pk]))
    page = response.content.decode()
    final = fresh(appraisal)
    assert final.final_value == Decimal("98.60")
    assert final.predikat == "baik"
    assert 'data-testid="final-value">98,60<' in page
    assert 'data-code="baik"' in page


def test_nobody_scores_their_own_appraisal(setup, client):
    personas, cycle, appraisal = setup
    own = appraisal_of(cycle, personas.kasi)
    own.state = State.SELF_ASSESSED
    own.save()
    client.force_login(personas.kasi.user)
    response = _post(client, "scores_save", own, {})
    assert response.status_code == 403


def test_employee_cannot_approve_own_plan(setup, client):
    personas, cycle, appraisal = setup
    client.force_login(personas.pegawai.user)
    client.get(reverse("appraisal_detail", args=[appraisal.pk]))  # the plan is copied on first view
    _post(client, "appraisal_transition", appraisal, action="submit_targets")
    response = _post(client, "appraisal_transition", appraisal, action="approve_targets")
    assert response.status_code == 403
    assert fresh(appraisal).state == State.TARGETS_SUBMITTED


def test_a_stale_edit_is_refused_not_silently_lost(setup, client):
    personas, cycle, appraisal = setup
    client.force_login(personas.pegawai.user)
    client.get(reverse("appraisal_detail", args=[appraisal.pk]))
    i1 = PlanIndicator.objects.get(result__appraisal=appraisal, code="I1")
    old_version = fresh(appraisal).version
    client.post(
        reverse("plan_save", args=[appraisal.pk]),
        {"version": old_version, f"target_{i1.pk}": "110"},
    )
    response = client.post(
        reverse("plan_save", args=[appraisal.pk]),
        {"version": old_version, f"target_{i1.pk}": "130"},
        follow=True,
    )
    assert "telah diubah oleh orang lain" in response.content.decode()
    i1.refresh_from_db()
    assert i1.target == Decimal(110)


def test_every_transition_is_in_the_audit_trail(setup, client):
    personas, cycle, appraisal = setup
    client.force_login(personas.pegawai.user)
    client.get(reverse("appraisal_detail", args=[appraisal.pk]))
    _post(client, "appraisal_transition", appraisal, action="submit_targets")
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="targets_submit").get()
    assert entry.actor == personas.pegawai.user
    assert (entry.before, entry.after) == ({"state": "draft"}, {"state": "targets_submitted"})


def test_after_the_planning_deadline_hr_approves_a_draft_as_it_stands(setup, client, time_machine):
    personas, cycle, appraisal = setup
    client.force_login(personas.hr_a.user)
    _post(client, "appraisal_transition", appraisal, action="approve_targets")
    assert fresh(appraisal).state == State.DRAFT  # before the deadline: refused
    time_machine.move_to(dt.datetime(2026, 2, 15, 17, 0, 1, tzinfo=dt.UTC))  # 16/02 00:00:01 WIB
    client.force_login(personas.hr_a.user)  # the two-week session has expired meanwhile
    _post(client, "appraisal_transition", appraisal, action="approve_targets")
    assert fresh(appraisal).state == State.TARGETS_APPROVED
    assert AuditEntry.objects.filter(appraisal=appraisal, action="targets_approve_late").exists()


def test_deadline_closes_at_235959_local_time(setup, time_machine):
    personas, cycle, appraisal = setup
    end = cycle.deadline_end("planning")
    assert end.isoformat() == "2026-02-15T23:59:59+07:00"
    assert not cycle.is_past("planning", dt.datetime(2026, 2, 15, 16, 59, 59, tzinfo=dt.UTC))
    assert cycle.is_past("planning", dt.datetime(2026, 2, 15, 17, 0, 0, tzinfo=dt.UTC))


@pytest.mark.parametrize("raw", ["²", "99999999999999999999999", "abc"])
def test_a_malformed_id_in_a_bulk_approval_never_crashes(planning, client, raw):
    client.force_login(planning.personas.kasi.user)
    assert client.post(reverse("team_bulk_approve"), {"appraisal": raw}).status_code == 302
