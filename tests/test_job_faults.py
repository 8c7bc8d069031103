"""Background jobs under faults: exclusive keys, fan-out and its finisher, per-item progress,
leases and the sweep, the attempts limit and its reason, the requester-only download.

These run the job machinery inline (the claims and conditional updates are the same as in a
worker); the tests with a real worker process that is killed are marked ``worker``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
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

from . import fault_handlers  # noqa: F401  (the kinds the workers run)
from .worker import _reset_pool, wait_for, worker_logs

CALLS: dict[str, list] = {"plain": [], "chunk": [], "finish": [], "items": [], "progress": []}


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


@job_handler("test_timeout")
def _timeout(job, progress):
    from celery.exceptions import SoftTimeLimitExceeded

    raise SoftTimeLimitExceeded()


@job_handler("test_heartbeat")
def _heartbeat(job, progress):
    """Reports progress inside its own transaction, then waits for the heartbeat thread to
    have renewed the lease. Then another worker takes the claim over."""
    lease = progress.__self__
    first = Job.objects.get(pk=job.pk)
    with transaction.atomic():
        progress(1, 3)
    renewed = wait_for(
        lambda: Job.objects.filter(
            pk=job.pk, heartbeat_at__gt=first.heartbeat_at, lease_until__gt=first.lease_until
        ).first(),
        timeout=30,
        interval=0.05,
    )
    CALLS["plain"].append((renewed.progress, renewed.total))
    Job.objects.filter(pk=job.pk).update(claim_token="orang-lain")
    wait_for(lambda: lease.lost, timeout=30, interval=0.05)
    progress(2, 3)  # the heartbeat found the claim gone: this raises JobLeaseLost
    CALLS["plain"].append("went on")
    return {"ok": True}


@job_handler("test_fan", queue="pdf")
def _fan(job, progress):
    return job_fan_out(job, items=list(range(1, job.payload["n"] + 1)), chunk_size=3)


@chunk_handler("test_fan")
def _fan_chunk(job, items):
    CALLS["chunk"].append(list(items))
    CALLS["progress"].append(Job.objects.values_list("progress", "total").get(pk=job.pk))
    for item in items:
        if not job_item_done(job, item):
            CALLS["items"].append(item)
    return {"sum": sum(items)}


@job_finisher("test_fan")
def _fan_finish(job, results):
    CALLS["finish"].append(job.pk)
    return {"sum": sum(r["sum"] for r in results), "chunks": len(results)}


@pytest.fixture(autouse=True)
def _calls(monkeypatch, request):
    """The messages the jobs would send (tests with a real worker send them)."""
    for calls in CALLS.values():
        calls.clear()
    sent: list[tuple[str, int, bool, int]] = []

    def fake_send(kind, object_id, *, chunk, countdown=0):
        sent.append((kind, object_id, chunk, countdown))
        return True

    if not request.node.get_closest_marker("worker"):
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
    job_run(job_id=job.pk)  # inline, in this test's transaction: the chunks run here too
    job.refresh_from_db()
    chunks = list(JobChunk.objects.filter(job=job).order_by("index"))
    assert [c.items for c in chunks] == [[1, 2, 3], [4, 5, 6], [7]]
    assert [c.result for c in chunks] == [{"sum": 6}, {"sum": 15}, {"sum": 7}]
    assert {c.attempts for c in chunks} == {1} and job.fanned_out_at
    # Progress counts the items of the chunks done: read by each chunk as it starts.
    assert CALLS["progress"] == [(0, 7), (3, 7), (6, 7)]
    assert job.status == Job.Status.DONE and job.progress == 7 and job.percent == 100
    assert job.result == {"sum": 28, "chunks": 3}
    assert CALLS["finish"] == [job.pk]
    # Chunk messages delivered (again), a second try to finish, the handler run again (a
    # retry): no second run of anything, no second set of chunks.
    for chunk in chunks:
        job_run_chunk(chunk_id=chunk.pk)
    jobs._job_try_finish(job.pk)
    assert _fan(job, lambda done, total: None) is FANNED_OUT
    assert JobChunk.objects.filter(job=job).count() == 3
    assert len(CALLS["chunk"]) == 3 and CALLS["finish"] == [job.pk]
    # The messages: the pdf kind's tasks go to the pdf queue's pair.
    assert jobs._task("test_fan", chunk=True).name == "reports.tasks.render_chunk"
    assert jobs._task("test_plain", chunk=False).name == "reports.tasks.run_job"


def test_fan_out_of_nothing_finishes_at_once():
    job = job_create(kind="test_fan", payload={"n": 0})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"sum": 0, "chunks": 0}


def fanned_out(n: int) -> Job:
    """A job as a worker leaves it once its handler fanned out (no chunk has run yet)."""
    job = job_create(kind="test_fan", payload={"n": n})
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1)
    job.refresh_from_db()
    assert _fan(job, lambda done, total: None) is FANNED_OUT
    return job


def test_a_chunk_out_of_attempts_fails_its_job_with_the_reason():
    job = fanned_out(4)
    chunk = JobChunk.objects.get(job=job, index=1)
    past = timezone.now() - dt.timedelta(minutes=1)
    JobChunk.objects.filter(pk=chunk.pk).update(status="running", attempts=3, lease_until=past)
    assert jobs_sweep_stale() >= 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Bagian 2 dari pekerjaan ini terhenti 3 kali")


def test_a_soft_time_limit_fails_the_run_with_a_clear_reason():
    job = job_create(kind="test_timeout", payload={})
    Job.objects.filter(pk=job.pk).update(attempts=2)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "Gagal setelah 3 percobaan: Waktu pekerjaan habis."


def test_a_job_of_an_unknown_kind_fails_with_the_reason():
    job = job_create(kind="tidak_ada", payload={})
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "tidak_ada" in job.error


@pytest.mark.django_db(transaction=True)
def test_in_a_worker_the_heartbeat_renews_the_lease_and_notices_a_takeover(settings):
    """Run outside a transaction, as a worker runs it: the heartbeat thread."""
    settings.JOBS_HEARTBEAT_SECONDS = 0.2
    job = job_create(kind="test_heartbeat", payload={})
    job_run(job_id=job.pk)
    # Renewed while the handler ran; the progress reported inside the handler's own
    # transaction was written by the heartbeat's connection.
    assert CALLS["plain"] == [(1, 3)]
    job.refresh_from_db()
    assert job.status == "running" and job.claim_token == "orang-lain" and job.result == {}


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


def test_each_role_lists_only_the_jobs_they_started(personas, client):
    mine = job_create(kind="test_plain", payload={}, created_by=personas.hr_a.user)
    theirs = job_create(kind="test_plain", payload={}, created_by=personas.admin_daerah)
    for who in (personas.pegawai.user, personas.kasi.user, personas.hr_a.user,
                personas.admin_daerah, personas.outsider.user):  # fmt: skip
        client.force_login(who)
        page = client.get(reverse("job_list"))
        assert page.status_code == 200
        links = {
            job.pk
            for job in (mine, theirs)
            if reverse("job_detail", args=[job.pk]) in page.content.decode()
        }
        expected = {mine.pk} if who == personas.hr_a.user else set()
        expected |= {theirs.pk} if who == personas.admin_daerah else set()
        assert links == expected, who
    client.logout()
    assert client.get(reverse("job_list")).status_code == 302


def test_the_sweep_finishes_a_fanned_out_job_whose_finisher_never_ran(_calls):
    job = fanned_out(2)
    Job.objects.filter(pk=job.pk).update(fanned_out_at=timezone.now() - dt.timedelta(hours=1))
    chunk = JobChunk.objects.get(job=job)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    # The last chunk was done, then its worker died before the finisher claimed the job.
    JobChunk.objects.filter(pk=chunk.pk).update(
        status="done", result={"sum": 3}, finished_at=long_ago
    )
    assert jobs_sweep_stale() == 1
    assert Job.objects.get(pk=job.pk).status == "queued"
    assert [(pk, chunk) for _k, pk, chunk, _d in _calls][-1] == (job.pk, False)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.result == {"sum": 3, "chunks": 1}
    assert CALLS["chunk"] == [] and CALLS["finish"] == [job.pk]


# --- with real worker processes ----------------------------------------------------------------

# A short lease, renewed often: a killed worker's work is free again within seconds.
SHORT_LEASE = {"JOBS_LEASE_SECONDS": "6", "JOBS_HEARTBEAT_SECONDS": "0.5"}


def mails_to(start) -> dict[str, int]:
    """E-mails written by the workers, per recipient."""
    import re

    counts: dict[str, int] = {}
    folder = start.mail_dir
    for path in folder.iterdir() if folder.exists() else ():
        for address in re.findall(r"^To: (\S+)$", path.read_text(), flags=re.M):
            counts[address] = counts.get(address, 0) + 1
    return counts


def finished(job_id: int, start, timeout: float = 120) -> Job:
    job = wait_for(
        lambda: Job.objects.filter(pk=job_id, status__in=["done", "failed"]).first(),
        timeout=timeout,
    )
    assert job.status == "done", job.error + worker_logs(start)
    return job


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_submitted_while_the_broker_is_down_runs_via_the_sweep_once_it_is_back(
    celery_worker_factory, caplog, settings, monkeypatch
):
    from asn_portal.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    port = closed_port()
    down = f"redis://127.0.0.1:{port}/0"
    original = app.conf.broker_url
    with monkeypatch.context() as patch:
        patch.setenv("CELERY_BROKER_URL", down)
        app.conf.broker_url = down
        _reset_pool(app)
        try:
            assert f"127.0.0.1:{port}/" in app.connection_for_write().as_uri()
            with transaction.atomic():
                job = job_create(kind="test_fault_items", payload={"items": ["a", "b"]})
            # The request that saved it did not fail: the row waits, unsent.
        finally:
            app.conf.broker_url = original
    _reset_pool(app)
    assert f"127.0.0.1:{port}/" not in app.connection_for_write().as_uri()
    job.refresh_from_db()
    assert job.status == "queued" and job.enqueued_at is None
    assert f"Could not enqueue job {job.pk}; the sweep will retry" in caplog.text
    start = celery_worker_factory
    start()
    settings.JOBS_QUEUED_STALE_SECONDS = 0
    assert jobs_sweep_stale() == 1
    done = finished(job.pk, start)
    assert done.result == {"items": 2} and done.attempts == 1 and done.resends == 1
    assert mails_to(start) == {"a@uji.go.id": 1, "b@uji.go.id": 1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_is_resumed_by_another_without_repeating_items(
    celery_worker_factory, settings
):
    settings.JOBS_LEASE_SECONDS = 6
    start = celery_worker_factory
    first = start(SHORT_LEASE)
    items = ["a", "b", "c", "d"]
    job = job_create(kind="test_fault_items", payload={"items": items, "hold_on": "b"})
    wait_for(lambda: JobItem.objects.filter(job=job, key="held:b").exists(), timeout=90)
    # Alive but silent in one long step: the heartbeat keeps its lease past the lease's
    # length, and the sweep leaves it alone.
    started = Job.objects.get(pk=job.pk).started_at
    wait_for(
        lambda: Job.objects.get(pk=job.pk).heartbeat_at > started + dt.timedelta(seconds=7),
        timeout=60,
    )
    assert jobs_sweep_stale() == 0
    assert Job.objects.get(pk=job.pk).status == "running"

    first.kill()  # SIGKILL, mid-job
    first.wait(timeout=20)
    second = start(SHORT_LEASE)
    wait_for(jobs_sweep_stale, timeout=60)  # once the lease expired: queued and sent again
    done = finished(job.pk, start)
    assert done.attempts == 2 and done.worker.endswith(f":{second.pid}")
    assert done.result == {"items": 4}
    assert mails_to(start) == {f"{k}@uji.go.id": 1 for k in items}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_a_chunk_of_a_fan_out_leaves_the_chunk_to_another(
    celery_worker_factory, settings
):
    settings.JOBS_LEASE_SECONDS = 6
    settings.JOBS_QUEUED_STALE_SECONDS = 3
    start = celery_worker_factory
    first = start(SHORT_LEASE)
    items = ["a", "b", "c", "d", "e", "f"]
    job = job_create(kind="test_fault_fan", payload={"items": items, "hold_on": "c"})
    wait_for(lambda: JobItem.objects.filter(job=job, key="held:c").exists(), timeout=90)
    first.kill()
    first.wait(timeout=20)
    start(SHORT_LEASE)
    wait_for(
        lambda: jobs_sweep_stale() >= 0 and Job.objects.get(pk=job.pk).is_finished, timeout=120
    )
    done = finished(job.pk, start)
    assert done.result == {"items": 6, "chunks": 3} and done.progress == 6
    chunks = dict(JobChunk.objects.filter(job=job).values_list("index", "attempts"))
    assert chunks[1] == 2 and chunks[0] == 1
    assert mails_to(start) == {**{f"{k}@uji.go.id": 1 for k in items}, "selesai@uji.go.id": 1}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_tasks_delivered_twice_give_one_result(celery_worker_factory):
    from .worker import wait_for as wait

    start = celery_worker_factory
    worker = start()
    job = job_create(kind="test_fault_items", payload={"items": ["a", "b"]})
    jobs.job_enqueue(job_id=job.pk)
    jobs.job_enqueue(job_id=job.pk)
    fan = job_create(kind="test_fault_fan", payload={"items": ["x", "y", "z"]})
    chunk_ids = wait(lambda: list(JobChunk.objects.filter(job=fan).values_list("pk", flat=True)))
    for chunk_id in chunk_ids:
        jobs.job_enqueue_chunk(chunk_id=chunk_id)
    done = finished(job.pk, start)
    fanned = finished(fan.pk, start)

    def handled(task: str) -> int:
        return worker.log_path.read_text().count(f"Task reports.tasks.{task}[")

    # Every message was taken (the duplicates too) before counting what they did.
    wait(lambda: handled("run_job") >= 3 * 2 and handled("render_job") >= 2, timeout=60)
    wait(lambda: handled("render_chunk") >= 2 * 2 * 2, timeout=60)
    assert done.attempts == 1 and done.result == {"items": 2}
    assert fanned.attempts == 1 and fanned.result == {"items": 3, "chunks": 2}
    assert set(JobChunk.objects.filter(job=fan).values_list("attempts", flat=True)) == {1}
    assert mails_to(start) == {
        "a@uji.go.id": 1, "b@uji.go.id": 1, "x@uji.go.id": 1, "y@uji.go.id": 1,
        "z@uji.go.id": 1, "selesai@uji.go.id": 1,
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_create_one_exclusive_job():
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                job_create(kind="test_plain", payload={}, key="tutup:7")
            outcomes.append("created")
        except JobAlreadyRunning:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["created", "refused"]
    assert Job.objects.filter(key="tutup:7").count() == 1


def test_a_file_is_attached_from_a_path_or_a_file_object_and_replaced(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    job = job_create(kind="test_plain", payload={})
    source = tmp_path / "rekap.xlsx"
    source.write_bytes(b"PK-pertama")
    job_attach_file(job, source, filename="rekap.xlsx", content_type="application/vnd.ms-excel")
    first = Job.objects.get(pk=job.pk).result_file.name
    assert (settings.MEDIA_ROOT / first).read_bytes() == b"PK-pertama"
    with source.open("wb") as handle:
        handle.write(b"PK-kedua")
    with source.open("rb") as handle:
        job_attach_file(job, handle, filename="rekap-2.xlsx")
    stored = Job.objects.get(pk=job.pk)
    assert stored.result_file_name == "rekap-2.xlsx"
    assert stored.result_content_type == "application/octet-stream"
    assert (settings.MEDIA_ROOT / stored.result_file.name).read_bytes() == b"PK-kedua"
    assert not (settings.MEDIA_ROOT / first).exists()
