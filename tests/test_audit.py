"""The audit trail (docs/cycle.md): every transition and every score change, with who,
when, before, after and why. HR sees it whole; the employee sees the entries of their own
appraisal with levels, values and before/after hidden until release.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, State

from .appraisal_fixtures import (
    AFTER_PLANNING,
    advance,
    fresh,
    give_levels,
    indicators_of,
    user_of,
)

HIDDEN = "Nilai dan alasannya tersembunyi sampai hasil dirilis."


def _transitions(appraisal):
    return [
        (e.action, e.actor.username, e.before["state"], e.after["state"])
        for e in AuditEntry.objects.filter(appraisal=appraisal, after__has_key="state").order_by(
            "pk"
        )
    ]


def test_the_whole_journey_leaves_one_entry_per_transition_with_actor_before_and_after(planning):
    personas, cycle, appraisal = planning
    advance(appraisal, State.TARGETS_SUBMITTED)
    services.appraisal_return_targets(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=fresh(appraisal).version, comment="Naikkan target",
    )  # fmt: skip
    advance(appraisal, State.SELF_ASSESSED)
    services.appraisal_return_self_assessment(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=fresh(appraisal).version, comment="Lampirkan bukti",
    )  # fmt: skip
    advance(appraisal, State.RELEASED, hr=personas.hr_a)
    services.appraisal_reopen(
        acting_user=user_of(personas.hr_a), appraisal=appraisal,
        version=fresh(appraisal).version, reason="Keberatan diterima",
    )  # fmt: skip
    pegawai, kasi, hr = personas.pegawai.nip, personas.kasi.nip, personas.hr_a.nip
    assert _transitions(appraisal) == [
        ("targets_submit", pegawai, "draft", "targets_submitted"),
        ("targets_return", kasi, "targets_submitted", "draft"),
        ("targets_submit", pegawai, "draft", "targets_submitted"),
        ("targets_approve", kasi, "targets_submitted", "targets_approved"),
        ("self_assessment_submit", pegawai, "targets_approved", "self_assessed"),
        ("self_assessment_return", kasi, "self_assessed", "targets_approved"),
        ("self_assessment_submit", pegawai, "targets_approved", "self_assessed"),
        ("score", kasi, "self_assessed", "scored"),
        ("finalise", hr, "scored", "finalised"),
        ("release", hr, "finalised", "released"),
        ("reopen", hr, "released", "scored"),
    ]
    reasons = dict(
        AuditEntry.objects.filter(appraisal=appraisal, action__endswith="return")
        .values_list("action", "reason")
    )  # fmt: skip
    assert reasons == {
        "targets_return": "Naikkan target",
        "self_assessment_return": "Lampirkan bukti",
    }
    assert AuditEntry.objects.get(appraisal=appraisal, action="reopen").reason == (
        "Keberatan diterima"
    )
    assert all(e.at is not None for e in AuditEntry.objects.filter(appraisal=appraisal))


def test_late_moves_after_a_deadline_are_audited_as_such(planning, time_machine):
    personas, cycle, appraisal = planning
    services.plan_ensure(appraisal)
    time_machine.move_to(AFTER_PLANNING)
    services.appraisal_approve_targets(
        acting_user=user_of(personas.hr_a), appraisal=appraisal,
        version=fresh(appraisal).version,
    )  # fmt: skip
    entry = AuditEntry.objects.filter(appraisal=appraisal).latest("pk")
    assert entry.action == "targets_approve_late"
    assert entry.actor == user_of(personas.hr_a)
    assert "apa adanya" in entry.summary


def test_a_score_change_records_levels_before_and_after_and_is_sensitive(planning):
    personas, cycle, appraisal = planning
    advance(appraisal, State.SELF_ASSESSED)
    give_levels(appraisal, level=3)
    give_levels(appraisal, level=4)
    entries = list(AuditEntry.objects.filter(appraisal=appraisal, action="score_save"))
    assert len(entries) == 2
    assert entries[0].before["I2"] is None and entries[0].after["I2"] == 3
    assert (entries[1].before["I2"], entries[1].after["I2"]) == (3, 4)
    assert (
        entries[1].before["berorientasi_pelayanan"],
        entries[1].after["berorientasi_pelayanan"],
    ) == (3, 4)
    assert all(e.sensitive and e.actor == user_of(personas.kasi) for e in entries)


def test_every_change_of_the_score_records_the_values_before_and_after(planning):
    personas, cycle, appraisal = planning
    advance(appraisal, State.SCORED)
    i2 = indicators_of(appraisal)["I2"]
    services.appraisal_save_scores(
        acting_user=user_of(personas.hr_a), appraisal=appraisal,
        version=fresh(appraisal).version, indicator_levels={i2.pk: 5}, reason="Kalibrasi",
    )  # fmt: skip
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="recompute").latest("pk")
    assert entry.before == {
        "nilai_akhir": "100.00", "hasil_kerja": "", "perilaku": "", "predikat": "baik",
    }  # fmt: skip
    # I2 level 5 = 115: (100*60 + 115*20 + 100*20)/100 = 103; 103*0.7 + 30 = 102.1
    assert entry.after["nilai_akhir"] == "102.10"
    assert (entry.reason, entry.sensitive, entry.actor) == (
        "Kalibrasi", True, user_of(personas.hr_a),
    )  # fmt: skip


def test_feedback_changes_are_audited_without_their_text(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SELF_ASSESSED)
    result = appraisal.results.get(code="R1")
    behaviour = appraisal.behaviours.select_related("value").first()
    services.appraisal_save_scores(
        acting_user=user_of(personas.kasi), appraisal=appraisal,
        version=fresh(appraisal).version, result_feedback={result.pk: "Bagus"},
        behaviour_feedback={behaviour.pk: "Lebih sigap"},
    )  # fmt: skip
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="score_save").get()
    assert entry.after == {
        "umpan_balik:R1": "diperbarui",
        f"umpan_balik:{behaviour.value.code}": "diperbarui",
    }


def test_a_refused_change_leaves_no_entry(planning):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_SUBMITTED)
    count = AuditEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        services.appraisal_return_targets(
            acting_user=user_of(personas.kasi), appraisal=appraisal,
            version=fresh(appraisal).version, comment="",
        )  # fmt: skip
    assert AuditEntry.objects.count() == count


def test_cycle_changes_are_audited_with_their_reason(planning):
    personas, cycle, appraisal = planning
    services.cycle_extend_deadline(
        acting_user=user_of(personas.hr_a), cycle=cycle, phase="planning",
        new_date=dt.date(2026, 3, 1), reason="Libur panjang",
    )  # fmt: skip
    actions = list(
        AuditEntry.objects.filter(cycle=cycle, appraisal=None).values_list("action", flat=True)
    )
    assert actions == ["cycle_create", "cycle_open", "deadline_extend"]
    entry = AuditEntry.objects.get(cycle=cycle, action="deadline_extend")
    assert (entry.before, entry.after, entry.reason) == (
        {"planning_deadline": "2026-02-15"}, {"planning_deadline": "2026-03-01"}, "Libur panjang",
    )  # fmt: skip


# --- who sees what --------------------------------------------------------------------------


def _audit_rows(client, appraisal):
    response = client.get(reverse("appraisal_detail", args=[appraisal.pk]))
    assert response.status_code == 200
    return response.context["audit"], response.content.decode()


def test_the_employee_sees_that_scores_changed_but_not_how_until_release(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    client.force_login(personas.pegawai.user)
    entries, page = _audit_rows(client, appraisal)
    sensitive = [e for e in entries if e.sensitive]
    assert sensitive and all(e.hidden and e.before == {} and e.after == {} for e in sensitive)
    assert "Nilai atasan disimpan" in page and HIDDEN in page
    assert "Nilai akhir" not in page and "Predikat: — → Baik" not in page
    # Transitions stay readable: the employee follows their own appraisal.
    submit = next(e for e in entries if e.action == "targets_submit")
    assert submit.after == {"state": "targets_submitted"}


@pytest.mark.parametrize("who", ["hr_a", "admin_daerah", "kasi"])
def test_hr_and_the_supervisor_see_the_trail_whole(planning, client, who):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    client.force_login(personas.user(who))
    entries, page = _audit_rows(client, appraisal)
    assert not any(getattr(e, "hidden", False) for e in entries)
    assert HIDDEN not in page
    assert "→ 100,00" in page


def test_after_release_the_employee_sees_the_whole_trail_of_their_appraisal(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    client.force_login(personas.pegawai.user)
    entries, page = _audit_rows(client, appraisal)
    assert HIDDEN not in page
    assert "→ 100,00" in page
    assert next(e for e in entries if e.action == "score_save").after["I2"] == 4


def test_a_reopened_appraisal_hides_its_values_from_the_employee_again(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    services.appraisal_reopen(
        acting_user=user_of(personas.hr_a), appraisal=appraisal,
        version=fresh(appraisal).version, reason="Keberatan",
    )  # fmt: skip
    client.force_login(personas.pegawai.user)
    _entries, page = _audit_rows(client, appraisal)
    assert HIDDEN in page and "Nilai akhir" not in page


def test_the_cycle_page_lists_the_cycle_entries_for_hr(planning, client):
    personas, cycle, appraisal = planning
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Siklus dibuat" in page and "Siklus dibuka" in page
    assert personas.hr_a.full_name in page
