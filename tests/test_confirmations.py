"""Irreversible actions ask first, saying what will happen and to how many appraisals; the
confirmation is a plain page that works without JavaScript, and a GET changes nothing."""

import pytest
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, CycleStatus, State

from .appraisal_fixtures import advance, fresh, indicators_of, run_jobs, user_of


def _only_one_in_agency(cycle, appraisal):
    cycle.appraisals.exclude(pk=appraisal.pk).delete()


def test_finalising_asks_first_and_names_the_count(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.SCORED)
    _only_one_in_agency(cycle, appraisal)
    client.force_login(personas.hr_a.user)
    url = reverse("cycle_finalise", args=[cycle.pk])
    page = client.get(url, {"agency": personas.agency_a.pk}).content.decode()
    assert "Finalkan penilaian Dinas Alfa?" in page
    assert "1 penilaian berstatus Dinilai atasan akan difinalkan" in page
    assert "Ya, finalkan 1 penilaian" in page
    assert fresh(appraisal).state == State.SCORED
    # A post that skips the confirmation shows it again and changes nothing.
    assert client.post(url, {"agency": personas.agency_a.pk}).status_code == 200
    assert fresh(appraisal).state == State.SCORED
    client.post(url, {"agency": personas.agency_a.pk, "confirmed": "1"})
    run_jobs()
    assert fresh(appraisal).state == State.FINALISED


def test_finalising_warns_when_appraisals_are_not_scored_yet(planning, client):
    personas, cycle, appraisal = planning
    client.force_login(personas.hr_a.user)
    page = client.get(
        reverse("cycle_finalise", args=[cycle.pk]), {"agency": personas.agency_a.pk}
    ).content.decode()
    assert "belum berstatus Dinilai atasan: finalisasi akan ditolak" in page


def test_releasing_asks_first(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    _only_one_in_agency(cycle, appraisal)
    client.force_login(personas.hr_a.user)
    url = reverse("cycle_release", args=[cycle.pk])
    page = client.get(url, {"agency": personas.agency_a.pk}).content.decode()
    assert "1 pegawai akan melihat nilai" in page and "Ya, rilis 1 hasil" in page
    assert fresh(appraisal).state == State.FINALISED
    client.post(url, {"agency": personas.agency_a.pk, "confirmed": "1"})
    run_jobs()  # releasing runs as a background job
    assert fresh(appraisal).state == State.RELEASED


def test_closing_asks_first_and_a_closed_cycle_reopens_with_a_reason(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    _only_one_in_agency(cycle, appraisal)
    client.force_login(personas.hr_a.user)
    close = reverse("cycle_close", args=[cycle.pk])
    assert "Tutup siklus" in client.get(close).content.decode()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    client.post(close, {"confirmed": "1"})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED

    reopen = reverse("cycle_reopen", args=[cycle.pk])
    refused = client.post(reopen, {"confirmed": "1", "reason": "  "})
    assert "Alasan membuka kembali siklus wajib diisi" in refused.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    client.post(reopen, {"confirmed": "1", "reason": "Salah tutup sebelum keberatan selesai"})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    entry = AuditEntry.objects.get(cycle=cycle, action="cycle_reopen")
    assert entry.reason == "Salah tutup sebelum keberatan selesai"
    assert (entry.before, entry.after) == ({"status": "closed"}, {"status": "open"})


def test_an_open_cycle_cannot_be_reopened(planning, client):
    personas, cycle, appraisal = planning
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("cycle_reopen", args=[cycle.pk]), {"confirmed": "1", "reason": "x"}, follow=True
    )
    assert "Hanya siklus yang sudah ditutup yang dapat dibuka kembali." in response.content.decode()


def test_sending_a_self_assessment_with_empty_realisations_lists_them_first(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    ind = indicators_of(appraisal)
    services.appraisal_save_realisation(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        version=fresh(appraisal).version, indicator_id=ind["I1"].pk, realisation=100,
    )  # fmt: skip
    client.force_login(personas.pegawai.user)
    url = reverse("appraisal_transition", args=[appraisal.pk, "submit_self"])
    data = {"version": fresh(appraisal).version, "comment": "Sudah lengkap"}
    page = client.post(url, data).content.decode()
    assert "Kirim penilaian diri?" in page
    assert "I3 · Hari penyelesaian" in page and "I1 · Dokumen selesai" not in page
    assert 'value="Sudah lengkap"' in page  # the comment travels with the confirmation
    assert fresh(appraisal).state == State.TARGETS_APPROVED
    client.post(url, {**data, "confirmed": "1"})
    appraisal = fresh(appraisal)
    assert appraisal.state == State.SELF_ASSESSED
    assert appraisal.employee_comment == "Sudah lengkap"


def test_a_complete_self_assessment_is_sent_without_a_warning(planning, client):
    personas, cycle, appraisal = planning
    appraisal = advance(appraisal, State.TARGETS_APPROVED)
    for code in ("I1", "I3"):
        services.appraisal_save_realisation(
            acting_user=user_of(personas.pegawai), appraisal=appraisal,
            version=fresh(appraisal).version, indicator_id=indicators_of(appraisal)[code].pk,
            realisation=5,
        )  # fmt: skip
    client.force_login(personas.pegawai.user)
    client.post(
        reverse("appraisal_transition", args=[appraisal.pk, "submit_self"]),
        {"version": fresh(appraisal).version},
    )
    assert fresh(appraisal).state == State.SELF_ASSESSED


@pytest.mark.parametrize("raw", ["²", "99999999999999999999999", "abc"])
def test_finalising_a_malformed_agency_is_not_found(planning, client, raw):
    client.force_login(planning.personas.hr_a.user)
    url = reverse("cycle_finalise", args=[planning.cycle.pk])
    assert client.post(url, {"agency": raw, "confirmed": "1"}).status_code == 404
