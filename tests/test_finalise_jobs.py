"""HR finalises and releases an agency as a background job (docs/cycle.md): one job per
cycle and agency at a time (a second click, by anyone, is refused with a message), no row
lock while the set is scored, and the state change in one short transaction that refuses
when the set changed meanwhile."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse

from appraisals import scoring as appraisal_scoring
from appraisals import services
from appraisals.models import Appraisal, State
from appraisals.services import hr
from reports.models import Job

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    advance,
    appraisal_of,
    force_scored,
    make_cycle,
    make_indicator_set,
    run_jobs,
    user_of,
)

BUSY = "Finalisasi Dinas Alfa sedang berjalan"


def scored_agency(cycle, appraisal):
    appraisal = advance(appraisal, State.SCORED)
    force_scored(Appraisal.objects.filter(cycle=cycle).exclude(pk=appraisal.pk))
    return appraisal


def states(cycle) -> set[str]:
    return set(Appraisal.objects.filter(cycle=cycle).values_list("state", flat=True))


def test_finalising_runs_as_a_job_and_a_second_click_while_it_runs_is_refused(planning, client):
    personas, cycle, appraisal = planning
    scored_agency(cycle, appraisal)
    url = reverse("cycle_finalise", args=[cycle.pk])
    data = {"agency": personas.agency_a.pk, "confirmed": "1", "justification": "Uji"}
    client.force_login(personas.hr_a.user)
    response = client.post(url, data, follow=True)
    assert "berjalan di latar belakang" in response.content.decode()
    assert states(cycle) == {State.SCORED}  # nothing final before the job runs
    (job,) = Job.objects.filter(kind="agency_finalise")
    assert job.payload["justification"] == "Uji" and job.created_by == personas.hr_a.user
    # The cycle page polls the job's progress.
    page = client.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert f'data-testid="cycle-job-{job.pk}"' in page and "?bagian=pekerjaan" in page
    # Another HR user clicks while it is queued: refused, in words, and no second job.
    client.force_login(personas.admin_daerah)
    response = client.post(url, data, follow=True)
    assert BUSY in response.content.decode()
    assert Job.objects.filter(kind="agency_finalise").count() == 1
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["ok"] is True
    assert job.progress == job.total > 0
    assert states(cycle) == {State.FINALISED}
    panel = client.get(
        reverse("cycle_detail", args=[cycle.pk]), {"bagian": "pekerjaan"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "9 penilaian Dinas Alfa difinalkan." in panel and "hx-get" not in panel
    # Once it has ended, the next finalise may start (here: nothing left, said by the check).
    response = client.post(url, data, follow=True)
    assert "Tidak ada penilaian untuk difinalkan." in response.content.decode()


def test_the_exclusive_key_refuses_a_second_start_until_the_first_ends(planning):
    personas, cycle, appraisal = planning
    scored_agency(cycle, appraisal)
    start = dict(acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a)
    first = services.agency_finalise_start(**start)
    with pytest.raises(ValidationError, match=BUSY):
        services.agency_finalise_start(**start)
    # A release, or another cycle's finalise, has its own key.
    services.agency_release_start(**start)
    Job.objects.filter(pk=first.pk).update(status=Job.Status.RUNNING)
    with pytest.raises(ValidationError, match=BUSY):
        services.agency_finalise_start(**start)
    Job.objects.filter(pk=first.pk).update(status=Job.Status.FAILED)
    assert services.agency_finalise_start(**start).pk != first.pk


def test_a_release_runs_as_a_job(planning, client):
    personas, cycle, appraisal = planning
    advance(appraisal, State.FINALISED, hr=personas.hr_a)
    client.force_login(personas.hr_a.user)
    client.post(
        reverse("cycle_release", args=[cycle.pk]),
        {"agency": personas.agency_a.pk, "confirmed": "1"},
    )
    assert states(cycle) == {State.FINALISED}
    (job_id,) = run_jobs()
    assert states(cycle) == {State.RELEASED}
    assert Job.objects.get(pk=job_id).result["message"] == (
        "9 hasil penilaian Dinas Alfa dirilis kepada pegawai."
    )


def test_the_last_step_refuses_when_an_appraisal_changed_after_it_was_scored(planning):
    personas, cycle, appraisal = planning
    scored_agency(cycle, appraisal)
    subject = dict(acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a)
    ids = hr.finalise_candidates(**subject)
    versions = hr.finalise_recompute(acting_user=subject["acting_user"], cycle=cycle, ids=ids)
    Appraisal.objects.filter(pk=ids[0]).update(version=versions[ids[0]] + 1)  # a calibration
    with pytest.raises(ValidationError, match="berubah selama finalisasi"):
        hr.finalise_commit(**subject, versions=versions, justification="Uji")
    assert states(cycle) == {State.SCORED}
    versions = hr.finalise_recompute(acting_user=subject["acting_user"], cycle=cycle, ids=ids)
    assert hr.finalise_commit(**subject, versions=versions, justification="Uji") == len(ids)


def test_a_refused_finalise_job_ends_with_its_message_not_as_a_failure(planning):
    personas, cycle, appraisal = planning
    scored_agency(cycle, appraisal)
    job = services.agency_finalise_start(
        acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a
    )
    Appraisal.objects.filter(pk=appraisal.pk).update(state=State.SELF_ASSESSED)  # reopened
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 1
    assert job.result["ok"] is False
    assert "1 penilaian di Dinas Alfa belum berstatus Dinilai atasan" in job.result["message"]
    assert states(cycle) == {State.SCORED, State.SELF_ASSESSED}


# --- two connections at once (PostgreSQL: real row locks) -------------------------------------


def _scored_cycle(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    scored_agency(cycle, appraisal_of(cycle, personas.pegawai))
    return cycle


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_hr_users_finalising_the_same_agency_at_once_one_wins(personas, time_machine):
    cycle = _scored_cycle(personas, time_machine)
    both_ready = threading.Barrier(2, timeout=30)
    outcome: dict[str, str] = {}

    def finalise(name, who):
        try:
            both_ready.wait()
            services.agency_finalise_start(
                acting_user=user_of(who), cycle=cycle, agency=personas.agency_a
            )
            outcome[name] = "started"
        except ValidationError as exc:
            outcome[name] = exc.messages[0]
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=finalise, args=("hr", personas.hr_a)),
        threading.Thread(target=finalise, args=("admin", personas.admin_daerah)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcome.values())[1] == "started", outcome
    assert BUSY in sorted(outcome.values())[0], outcome
    assert Job.objects.filter(kind="agency_finalise").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_the_finalise_job_holds_no_row_lock_while_it_scores(personas, time_machine, monkeypatch):
    cycle = _scored_cycle(personas, time_machine)
    scoring = threading.Event()
    may_go_on = threading.Event()
    gather = appraisal_scoring.gather

    def slow_gather(*args, **kwargs):
        scoring.set()
        may_go_on.wait(30)
        return gather(*args, **kwargs)

    monkeypatch.setattr(appraisal_scoring, "gather", slow_gather)
    outcome: list[object] = []

    def finalise():
        try:
            outcome.append(
                services.agency_finalise(
                    acting_user=user_of(personas.hr_a),
                    cycle=cycle,
                    agency=personas.agency_a,
                    justification="Uji",
                )  # fmt: skip
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=finalise)
    thread.start()
    assert scoring.wait(30)
    try:
        with transaction.atomic():  # would fail at once if the job held any of the rows
            locked = list(Appraisal.objects.filter(cycle=cycle).select_for_update(nowait=True))
        assert len(locked) == 9
    finally:
        may_go_on.set()
        thread.join(60)
    assert outcome == [9]
    assert states(cycle) == {State.FINALISED}
