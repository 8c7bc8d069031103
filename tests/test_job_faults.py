"""Background jobs under faults: exclusive keys, fan-out and its finisher, per-item progress,
leases and the sweep, the attempts limit and its reason, the requester-only download.

These run the job machinery inline (the claims and conditional updates are the same as in a
worker); the tests with a real worker process that is killed are marked ``worker``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import jobs
from reports.jobs import (
    FANNED_OUT,
    JobAlreadyRunning,
    JobLeaseLost,
    chunk_handler,
    job_attach_file,
    job_create,
    job_fan_out,
    job_finisher,
    job_handler,
    job_item_done,
    job_items_done,
    job_run,
    job_run_chunk,
    jobs_sweep_stale,
)
from reports.models import Job, JobChunk, JobItem

CALLS: dict[str, list] = {"plain": [], "chunk": [], "finish": [], "items": []}


@job_handler("test_plain")
def _plain(job, progress):
    CALLS["plain"].append(job.pk)
    progress(1, 2)
    if job.payload.get("fail"):
        raise RuntimeError("sengaja gagal")
    if job.payload.get("steal"):
        Job.objects.filter(pk=job.pk).update(claim_token="orang-lain")
        progress(2, 2)
    return {"ok": True}


@job_handler("test_fan", queue="pdf")
def _fan(job, progress):
    return job_fan_out(job, items=list(range(1, job.payload["n"] + 1)), chunk_size=3)


@chunk_handler("test_fan")
def _fan_chunk(job, items):
    CALLS["chunk"].append(list(items))
    for item in items:
        if not job_item_done(job, item):
            CALLS["items"].append(item)
    return {"sum": sum(items)}


@job_finisher("test_fan")
def _fan_finish(job, results):
    CALLS["finish"].append(job.pk)
    return {"sum": sum(r["sum"] for r in results), "chunks": len(results)}


@pytest.fixture(autouse=True)
def _calls(monkeypatch):
    for calls in CALLS.values():
        calls.clear()
    sent: list[tuple[str, int, bool, int]] = []

    def fake_send(kind, object_id, *, chunk, countdown=0):
        sent.append((kind, object_id, chunk, countdown))
        return True

    monkeypatch.setattr(jobs, "_send", fake_send)
    return sent


pytestmark = pytest.mark.django_db


def test_a_job_runs_once_even_when_its_task_is_delivered_twice():
    job = job_create(kind="test_plain", payload={})
    job_run(job_id=job.pk)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"ok": True}
    assert CALLS["plain"] == [job.pk]
    assert job.attempts == 1 and job.lease_until is None


def test_an_exclusive_key_allows_one_queued_or_running_job_at_a_time():
    first = job_create(kind="test_plain", payload={}, key="finalise:1:2")
    with pytest.raises(JobAlreadyRunning) as refused:
        job_create(kind="test_plain", payload={}, key="finalise:1:2")
    assert refused.value.job == first
    assert "masih" in str(refused.value)
    other = job_create(kind="test_plain", payload={}, key="finalise:1:3")
    job_run(job_id=first.pk)
    again = job_create(kind="test_plain", payload={}, key="finalise:1:2")
    assert {first.pk, other.pk, again.pk} == set(
        Job.objects.filter(key__startswith="finalise:").values_list("pk", flat=True)
    )
    # Jobs without a key are never exclusive.
    job_create(kind="test_plain", payload={})
    job_create(kind="test_plain", payload={})


def test_a_failing_job_is_queued_again_then_fails_with_the_reason_after_the_last_attempt(
    _calls, client, django_user_model
):
    user = django_user_model.objects.create_user(username="peminta", password="x")
    job = job_create(kind="test_plain", payload={"fail": True}, created_by=user)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1
    assert job.error == "sengaja gagal"
    client.force_login(user)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Dicoba lagi" in page
    job_run(job_id=job.pk)
    job_run(job_id=job.pk)
    job_run(job_id=job.pk)  # out of attempts: no fourth run
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 3
    assert len(CALLS["plain"]) == 3
    assert job.error == "Gagal setelah 3 percobaan: sengaja gagal"
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Gagal setelah 3 percobaan: sengaja gagal" in page


def test_a_worker_that_lost_its_lease_stops_and_leaves_the_job_to_the_new_owner():
    job = job_create(kind="test_plain", payload={"steal": True})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # the other owner finishes it, not this worker
    assert job.claim_token == "orang-lain" and job.result == {}
    with pytest.raises(JobLeaseLost):
        lease = jobs._Lease(Job, job.pk, "bukan-milik-saya", job.pk)
        lease.progress(1, 1)


def test_fan_out_runs_each_chunk_once_and_the_finisher_once_after_the_last(_calls):
    job = job_create(kind="test_fan", payload={"n": 7})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    chunks = list(JobChunk.objects.filter(job=job).order_by("index"))
    assert [c.items for c in chunks] == [[1, 2, 3], [4, 5, 6], [7]]
    assert job.status == Job.Status.RUNNING and job.total == 7 and job.progress == 0
    assert job.fanned_out_at and job.lease_until is None
    # The main handler run again (a retry) creates no second set of chunks.
    assert _fan(job, lambda done, total: None) is FANNED_OUT
    assert JobChunk.objects.filter(job=job).count() == 3
    job_run_chunk(chunk_id=chunks[0].pk)
    job_run_chunk(chunk_id=chunks[0].pk)  # delivered twice
    job.refresh_from_db()
    assert job.progress == 3 and job.percent == 42 and CALLS["finish"] == []
    job_run_chunk(chunk_id=chunks[2].pk)
    job_run_chunk(chunk_id=chunks[1].pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"sum": 28, "chunks": 3}
    assert job.progress == 7 and CALLS["finish"] == [job.pk]
    assert CALLS["chunk"] == [[1, 2, 3], [7], [4, 5, 6]]
    jobs._job_try_finish(job.pk)
    assert CALLS["finish"] == [job.pk]
    # The pdf kind's tasks go to the pdf queue's pair.
    assert jobs._task("test_fan", chunk=True).name == "reports.tasks.render_chunk"
    assert jobs._task("test_plain", chunk=False).name == "reports.tasks.run_job"


def test_fan_out_of_nothing_finishes_at_once():
    job = job_create(kind="test_fan", payload={"n": 0})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"sum": 0, "chunks": 0}


def test_a_chunk_out_of_attempts_fails_its_job_with_the_reason():
    job = job_create(kind="test_fan", payload={"n": 4})
    job_run(job_id=job.pk)
    chunk = JobChunk.objects.get(job=job, index=1)
    past = timezone.now() - dt.timedelta(minutes=1)
    JobChunk.objects.filter(pk=chunk.pk).update(status="running", attempts=3, lease_until=past)
    assert jobs_sweep_stale() >= 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Bagian 2 dari pekerjaan ini terhenti 3 kali")


def test_items_done_are_recorded_once():
    job = job_create(kind="test_plain", payload={})
    assert job_item_done(job, 5) is False
    assert job_item_done(job, 5) is True
    assert job_item_done(job, "x") is False
    assert job_items_done(job) == {"5", "x"}
    assert JobItem.objects.filter(job=job).count() == 2


def test_the_sweep_requeues_expired_leases_and_resends_what_no_worker_took(_calls, settings):
    now = timezone.now()
    dead = job_create(kind="test_plain", payload={})
    Job.objects.filter(pk=dead.pk).update(
        status="running", attempts=1, lease_until=now - dt.timedelta(seconds=1)
    )
    alive = job_create(kind="test_plain", payload={})
    Job.objects.filter(pk=alive.pk).update(
        status="running", attempts=1, lease_until=now + dt.timedelta(minutes=1)
    )
    exhausted = job_create(kind="test_plain", payload={})
    Job.objects.filter(pk=exhausted.pk).update(
        status="running", attempts=3, lease_until=now - dt.timedelta(seconds=1)
    )
    never_sent = job_create(kind="test_plain", payload={})
    Job.objects.filter(pk=never_sent.pk).update(created_at=now - dt.timedelta(minutes=10))
    fresh = job_create(kind="test_plain", payload={})
    abandoned = job_create(kind="test_plain", payload={})
    Job.objects.filter(pk=abandoned.pk).update(
        created_at=now - dt.timedelta(days=2),
        enqueued_at=now - dt.timedelta(days=1),
        resends=settings.JOBS_MAX_RESENDS,
    )

    assert jobs_sweep_stale() == 4
    states = dict(Job.objects.values_list("pk", "status"))
    assert states[dead.pk] == "queued" and states[alive.pk] == "running"
    assert states[exhausted.pk] == "failed" and states[abandoned.pk] == "failed"
    assert states[never_sent.pk] == "queued" and states[fresh.pk] == "queued"
    assert sorted(pk for _k, pk, _c, _d in _calls) == sorted([dead.pk, never_sent.pk])
    exhausted.refresh_from_db()
    assert exhausted.error.startswith("Pekerjaan terhenti 3 kali sebelum selesai")
    abandoned.refresh_from_db()
    assert "Tidak ada pekerja latar yang mengambil" in abandoned.error
    never_sent.refresh_from_db()
    assert never_sent.resends == 1 and never_sent.enqueued_at
    # Sent a moment ago: the next sweep leaves it alone (doubling interval).
    _calls.clear()
    jobs_sweep_stale()
    assert [pk for _k, pk, _c, _d in _calls] == [dead.pk] or _calls == []
    # The requeued job runs (the attempt counts).
    job_run(job_id=dead.pk)
    dead.refresh_from_db()
    assert dead.status == "done" and dead.attempts == 2


def test_the_file_of_a_job_is_offered_to_its_requester_only(personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    requester = personas.hr_a.user
    job = job_create(kind="test_plain", payload={}, created_by=requester, region=personas.region)
    job_attach_file(job, b"isi,rekap\n1,2\n", filename="rekap.csv", content_type="text/csv")
    url = reverse("job_download", args=[job.pk])
    client.force_login(requester)
    assert client.get(url).status_code == 404  # not done yet
    job_run(job_id=job.pk)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert url in page and "Unduh rekap.csv" in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"isi,rekap\n1,2\n"
    assert response["Content-Type"] == "text/csv"
    assert 'filename="rekap.csv"' in response["Content-Disposition"]
    stored = Job.objects.get(pk=job.pk).result_file.name
    assert stored.startswith(f"jobs/{job.pk}/") and "rekap" not in stored
    # Others of the same agency or region: the job page (region scope) without the link,
    # the file 404.
    for other in (personas.team_a.user, personas.admin_daerah, personas.hr_b.user):
        client.force_login(other)
        assert client.get(url).status_code == 404, other
        detail = client.get(reverse("job_detail", args=[job.pk]))
        assert url not in detail.content.decode()
    client.logout()
    assert client.get(url).status_code == 302
