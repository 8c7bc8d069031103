"""Create, claim, run and finish background jobs. Handlers register by kind.

A job handler is a plain function ``handler(job, progress)`` that does the work through
services and returns a JSON-able result; ``progress(done, total)`` records how far it got.
Large work fans out (``job_fan_out``) into chunks that run as separate tasks; a finisher
combines their results once, when the last chunk is done.

Faults (docs/architecture.md, "Background jobs"): every run claims its row with a conditional
UPDATE and holds a lease that a heartbeat thread renews while the handler runs. A worker that
dies stops renewing; ``jobs_sweep_stale`` (beat) queues the work again once the lease expired,
up to ``JOBS_MAX_ATTEMPTS`` runs, then marks it failed with the reason on the job page.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, models, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from .models import ACTIVE, Job, JobChunk, JobItem, Status

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class FanOut(dict[str, Any]):
    """What ``job_fan_out`` returns and the handler returns in turn: "the chunks carry on".
    A (always empty) dict, so that a handler typed ``-> dict[str, Any]`` may return it."""

    def __repr__(self) -> str:
        return "FANNED_OUT"


FANNED_OUT = FanOut()

Handler = Callable[[Job, Progress], "dict[str, Any] | None | FanOut"]
ChunkHandler = Callable[[Job, list[Any]], "dict[str, Any] | None"]
Finisher = Callable[[Job, list[dict[str, Any]]], "dict[str, Any] | None"]

HANDLERS: dict[str, Handler] = {}
QUEUES: dict[str, str] = {}
CHUNK_HANDLERS: dict[str, ChunkHandler] = {}
FINISHERS: dict[str, Finisher] = {}
# The default of settings.JOBS_MAX_ATTEMPTS (runs of one job or chunk before it fails).
MAX_ATTEMPTS = 3

# Reasons shown on the job page (Indonesian first; English in locale/en).
REASON_STOPPED = (
    "Pekerjaan terhenti {n} kali sebelum selesai (pekerja latar berhenti atau waktu habis) "
    "dan tidak dicoba lagi. Silakan mulai ulang pekerjaan ini."
)
REASON_CHUNK_STOPPED = (
    "Bagian {index} dari pekerjaan ini terhenti {n} kali sebelum selesai (pekerja latar "
    "berhenti atau waktu habis) dan tidak dicoba lagi. Silakan mulai ulang pekerjaan ini."
)
REASON_CHUNK_FAILED = "Bagian {index} dari pekerjaan ini gagal setelah {n} percobaan: {error}"
REASON_FAILED = "Gagal setelah {n} percobaan: {error}"
REASON_NEVER_TAKEN = (
    "Tidak ada pekerja latar yang mengambil pekerjaan ini (antrean '{queue}'); pekerjaan "
    "dihentikan. Hubungi admin sistem, lalu mulai ulang pekerjaan ini."
)
REASON_TIMEOUT = "Waktu pekerjaan habis."
REASON_UNKNOWN_KIND = "Jenis pekerjaan '{kind}' tidak dikenal oleh pekerja latar."


class JobAlreadyRunning(Exception):
    """A job with the same key is queued or running: ``job`` is that job (or None if it
    finished in the meantime)."""

    def __init__(self, job: Job | None = None) -> None:
        self.job = job
        number = f" (#{job.pk})" if job is not None else ""
        super().__init__(f"Pekerjaan yang sama masih menunggu atau berjalan{number}.")


class JobLeaseLost(Exception):
    """This worker's claim on the job or chunk was taken over (its lease had expired): the
    handler stops at its next ``progress`` or ``job_item_done`` call."""


# --- registration ---------------------------------------------------------------------------


def job_handler(kind: str, queue: str = "default") -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        QUEUES[kind] = queue
        return func

    return register


def chunk_handler(kind: str) -> Callable[[ChunkHandler], ChunkHandler]:
    def register(func: ChunkHandler) -> ChunkHandler:
        CHUNK_HANDLERS[kind] = func
        return func

    return register


def job_finisher(kind: str) -> Callable[[Finisher], Finisher]:
    def register(func: Finisher) -> Finisher:
        FINISHERS[kind] = func
        return func

    return register


# --- settings -------------------------------------------------------------------------------


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def _max_attempts() -> int:
    return int(getattr(settings, "JOBS_MAX_ATTEMPTS", MAX_ATTEMPTS))


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _retry_delay(attempts: int) -> int:
    """Seconds before a failed run is tried again: 10, 20, 40 … at most 5 minutes."""
    return int(min(300, 10 * 2 ** max(0, attempts - 1)))


# --- create and enqueue ---------------------------------------------------------------------


def job_create(
    *,
    kind: str,
    payload: dict[str, Any],
    created_by: Any = None,
    region: Any = None,
    total: int = 0,
    language: str | None = None,
    key: str = "",
) -> Job:
    """Store the job row and enqueue it once the surrounding transaction commits.

    With ``key``, the job is exclusive: while a job with the same key is queued or running,
    this raises ``JobAlreadyRunning`` (a partial unique index decides, so two requests at
    once cannot both create one)."""
    fields: dict[str, Any] = {
        "kind": kind,
        "payload": payload,
        "created_by": created_by,
        "region": region,
        "total": total,
        "language": language or translation.get_language() or "id",
        "key": key,
    }
    if key:
        try:
            with transaction.atomic():
                job = Job.objects.create(**fields)
        except IntegrityError:
            raise JobAlreadyRunning(
                Job.objects.filter(key=key, status__in=ACTIVE).first()
            ) from None
    else:
        job = Job.objects.create(**fields)
    _on_commit(functools.partial(job_enqueue, job_id=job.pk))
    return job


def _on_commit(func: Callable[[], Any]) -> None:
    """Run ``func`` after the transaction commits (at once outside one). ``robust``: a
    failure to send is logged and left to the sweep; it never reaches the request whose
    data was already saved. (Celery's ``delay_on_commit`` does the same without that.)"""
    transaction.on_commit(func, robust=True)


def _task(kind: str, *, chunk: bool) -> Any:
    from . import tasks

    if QUEUES.get(kind, "default") == "pdf":
        return tasks.render_chunk if chunk else tasks.render_job
    return tasks.run_chunk if chunk else tasks.run_job


def _send(kind: str, object_id: int, *, chunk: bool, countdown: int = 0) -> bool:
    options: dict[str, Any] = {}
    if kind not in QUEUES:
        # Its module was not imported here: register handlers in an app's job_handlers.py
        # (reports/apps.py imports each), or the job may land on the wrong queue.
        logger.warning("Job kind %s is not registered in this process: default queue", kind)
    queue = QUEUES.get(kind, "default")
    if queue not in {"default", "pdf"}:
        options["queue"] = queue
    if countdown:
        options["countdown"] = countdown
    what = "chunk" if chunk else "job"
    try:
        _task(kind, chunk=chunk).apply_async((object_id,), **options)
    except Exception:  # the broker is down: the row stays queued and the sweep re-sends it
        logger.exception("Could not enqueue %s %s; the sweep will retry", what, object_id)
        return False
    return True


def job_enqueue(*, job_id: int, countdown: int = 0) -> bool:
    """Send the job's task (on its kind's queue). Returns whether the broker took it."""
    kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    if kind is None or not _send(kind, job_id, chunk=False, countdown=countdown):
        return False
    Job.objects.filter(pk=job_id).update(enqueued_at=timezone.now() + timedelta(seconds=countdown))
    return True


def job_enqueue_chunk(*, chunk_id: int, countdown: int = 0) -> bool:
    kind = JobChunk.objects.filter(pk=chunk_id).values_list("job__kind", flat=True).first()
    if kind is None or not _send(kind, chunk_id, chunk=True, countdown=countdown):
        return False
    JobChunk.objects.filter(pk=chunk_id).update(
        enqueued_at=timezone.now() + timedelta(seconds=countdown)
    )
    return True


# --- the lease and its heartbeat --------------------------------------------------------------

_current_lease: contextvars.ContextVar[_Lease | None] = contextvars.ContextVar(
    "job_lease", default=None
)


class _Lease:
    """The claim of one row (a Job or a JobChunk) while its handler runs.

    In a worker (no transaction open around the run) a daemon thread renews the lease every
    ``JOBS_HEARTBEAT_SECONDS`` and writes the latest ``progress`` about once a second, on
    its own database connection: so the lease stays fresh during a long step that reports
    nothing, and progress shows even when the handler reports it inside its own transaction.
    Run inline inside a transaction (tests, a command), progress is written directly and no
    thread starts. Either way, a renewal that finds the claim gone marks the lease lost and
    the handler's next ``progress``/``job_item_done`` raises ``JobLeaseLost``."""

    def __init__(self, model: type[models.Model], pk: int, token: str, job_id: int) -> None:
        self.model = model
        self.pk = pk
        self.token = token
        self.job_id = job_id
        self.lost = False
        self.threaded = not transaction.get_connection().in_atomic_block
        self._pending: tuple[int, int] | None = None
        self._written: tuple[int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._context_token: contextvars.Token[_Lease | None] | None = None

    def __enter__(self) -> _Lease:
        self._context_token = _current_lease.set(self)
        if self.threaded:
            self._thread = threading.Thread(
                target=self._beat, name=f"job-heartbeat-{self.pk}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
        if self._context_token is not None:
            _current_lease.reset(self._context_token)
        if self.threaded and not self.lost:
            self._write()  # the last progress

    def check(self) -> None:
        if self.lost:
            raise JobLeaseLost(f"{self.model.__name__} {self.pk}")

    def progress(self, done: int, total: int) -> None:
        self.check()
        if self.model is not Job:
            return  # a chunk counts into the job's progress as a whole
        self._pending = (done, total)
        if not self.threaded:
            self._write()
            self.check()

    def _write(self) -> None:
        now = timezone.now()
        fields: dict[str, Any] = {"lease_until": now + _lease(), "heartbeat_at": now}
        pending = self._pending
        if pending is not None and pending != self._written:
            fields.update(progress=pending[0], total=pending[1])
        renewed = self.model._default_manager.filter(
            pk=self.pk, claim_token=self.token, status=Status.RUNNING
        ).update(**fields)
        if not renewed:
            logger.warning("%s %s: lease lost to another worker", self.model.__name__, self.pk)
            self.lost = True
        self._written = pending

    def _beat(self) -> None:
        interval = float(settings.JOBS_HEARTBEAT_SECONDS)
        last = time.monotonic()
        try:
            while not self._stop.wait(min(1.0, interval)):
                due = time.monotonic() - last >= interval
                if not due and (self._pending is None or self._pending == self._written):
                    continue
                try:
                    self._write()
                    last = time.monotonic()
                except Exception:  # the database is busy or away: try again next tick
                    logger.exception("Heartbeat of %s %s failed", self.model.__name__, self.pk)
                if self.lost:
                    return
        finally:
            connections.close_all()  # this thread's connections only


def _lease_for(job: Job) -> _Lease | None:
    lease = _current_lease.get()
    return lease if lease is not None and lease.job_id == job.pk else None


# --- running a job --------------------------------------------------------------------------


_LOST = object()


def _call_leased(
    model: type[models.Model], pk: int, token: str, job: Job, call: Callable[[_Lease], Any]
) -> tuple[Any, Exception | None]:
    """``call(lease)`` in the job's language while the lease's heartbeat runs: its result
    and None, or None and the exception it raised, or ``_LOST`` if the lease was lost. The
    heartbeat has stopped (and written the last progress) when this returns."""
    with _Lease(model, pk, token, job.pk) as lease:
        try:
            with translation.override(job.language):
                return call(lease), None
        except JobLeaseLost:
            logger.warning("%s %s: stopped, another worker took it over", model.__name__, pk)
            return _LOST, None
        except Exception as exc:
            logger.exception("%s %s (job %s) failed", model.__name__, pk, job.pk)
            return None, exc


def _claimable(now: datetime) -> Q:
    """Queued, or running on a lease that expired (its worker is gone)."""
    return Q(status=Status.QUEUED) | Q(status=Status.RUNNING, lease_until__lt=now)


def job_run(*, job_id: int) -> None:
    """Run a job once. Safe to call twice: only the caller that claims the row runs it."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = Job.objects.filter(_claimable(now), pk=job_id, attempts__lt=_max_attempts()).update(
        status=Status.RUNNING,
        claim_token=token,
        lease_until=now + _lease(),
        heartbeat_at=now,
        started_at=now,
        worker=_worker_name(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    if handler is None:
        _job_release(job, token, error=REASON_UNKNOWN_KIND.format(kind=job.kind), retry=False)
        return
    result, error = _call_leased(
        Job, job_id, token, job, lambda lease: handler(job, lease.progress)
    )
    if result is _LOST:
        return
    if error is not None:
        _job_release(job, token, error=_message(error), retry=job.attempts < _max_attempts())
        return
    if isinstance(result, FanOut):
        # The chunks carry on; the job keeps running without a lease of its own until the
        # finisher claims it (see _job_try_finish).
        released = Job.objects.filter(pk=job_id, claim_token=token, status=Status.RUNNING).update(
            lease_until=None, claim_token=""
        )
        if released and transaction.get_connection().in_atomic_block:
            # Run inline inside a transaction (a test, a command): no worker can see the
            # chunks before it commits, so they run here, one after the other. (Their
            # messages, sent on commit, then find them done.)
            queued = JobChunk.objects.filter(job_id=job_id, status=Status.QUEUED)
            for chunk_id in queued.order_by("index").values_list("pk", flat=True):
                job_run_chunk(chunk_id=chunk_id)
        _job_try_finish(job_id)
        return
    Job.objects.filter(pk=job_id, claim_token=token, status=Status.RUNNING).update(
        status=Status.DONE,
        result=result or {},
        finished_at=timezone.now(),
        lease_until=None,
        error="",
    )


def _message(exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return REASON_TIMEOUT
    return str(exc) or exc.__class__.__name__


def _job_release(job: Job, token: str, *, error: str, retry: bool) -> None:
    """After a failed run: queued again (after a back-off) or, out of attempts, failed."""
    mine = Job.objects.filter(pk=job.pk, claim_token=token, status=Status.RUNNING)
    if retry:
        if mine.update(status=Status.QUEUED, error=error[:2000], lease_until=None, claim_token=""):
            delay = _retry_delay(job.attempts)
            _on_commit(functools.partial(job_enqueue, job_id=job.pk, countdown=delay))
        return
    mine.update(
        status=Status.FAILED,
        error=REASON_FAILED.format(n=job.attempts, error=error)[:2000],
        finished_at=timezone.now(),
        lease_until=None,
    )


def job_fail(*, job_id: int, error: str, retry: bool) -> None:
    """Mark a job failed (or queued again, ``retry``) from outside its run."""
    Job.objects.filter(pk=job_id).update(
        status=Status.QUEUED if retry else Status.FAILED,
        error=error[:2000],
        finished_at=None if retry else timezone.now(),
        lease_until=None,
        claim_token="",
    )


# --- fan-out --------------------------------------------------------------------------------


def job_fan_out(job: Job, *, items: Iterable[Any], chunk_size: int = 100) -> FanOut:
    """Split ``items`` into chunks of ``chunk_size``, one task each, on the kind's queue.

    Idempotent: when the job already has chunks (a retried handler), they are kept, and only
    those not done are sent again. Return the result from the handler."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if not JobChunk.objects.filter(job=job).exists():
        values = list(items)
        JobChunk.objects.bulk_create(
            [
                JobChunk(
                    job=job,
                    index=n,
                    items=values[i : i + chunk_size],
                    size=len(values[i : i + chunk_size]),
                )
                for n, i in enumerate(range(0, len(values), chunk_size))
            ],
            ignore_conflicts=True,
        )
    chunks = JobChunk.objects.filter(job=job)
    Job.objects.filter(pk=job.pk).update(
        total=Coalesce(chunks.values("job").annotate(s=Sum("size")).values("s"), 0),
        progress=Coalesce(
            chunks.filter(status=Status.DONE).values("job").annotate(s=Sum("size")).values("s"),
            0,
        ),
        fanned_out_at=Coalesce(F("fanned_out_at"), timezone.now()),
    )
    for chunk_id in chunks.filter(status=Status.QUEUED).values_list("pk", flat=True):
        _on_commit(functools.partial(job_enqueue_chunk, chunk_id=chunk_id))
    return FANNED_OUT


def job_run_chunk(*, chunk_id: int) -> None:
    """Run one chunk once (a second delivery finds it claimed), then finish the job if it
    was the last."""
    chunk = JobChunk.objects.filter(pk=chunk_id).select_related("job").first()
    if chunk is None or chunk.job.status != Status.RUNNING:
        return
    token = uuid.uuid4().hex
    now = timezone.now()
    # Only the chunk's own columns in the condition: the claim is one atomic row update.
    claimed = JobChunk.objects.filter(
        _claimable(now), pk=chunk_id, attempts__lt=_max_attempts()
    ).update(
        status=Status.RUNNING,
        claim_token=token,
        lease_until=now + _lease(),
        heartbeat_at=now,
        started_at=now,
        worker=_worker_name(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    chunk.refresh_from_db()
    job = chunk.job
    handler = CHUNK_HANDLERS.get(job.kind)
    if handler is None:
        _chunk_release(chunk, token, error=REASON_UNKNOWN_KIND.format(kind=job.kind), retry=False)
        return
    result, error = _call_leased(
        JobChunk, chunk_id, token, job, lambda _l: handler(job, chunk.items)
    )
    if result is _LOST:
        return
    if error is not None:
        retry = chunk.attempts < _max_attempts()
        _chunk_release(chunk, token, error=_message(error), retry=retry)
        return
    finished = JobChunk.objects.filter(
        pk=chunk_id, claim_token=token, status=Status.RUNNING
    ).update(status=Status.DONE, result=result or {}, finished_at=timezone.now(), lease_until=None)
    if finished:
        done = JobChunk.objects.filter(job_id=job.pk, status=Status.DONE)
        Job.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            progress=Coalesce(done.values("job").annotate(s=Sum("size")).values("s"), 0)
        )
        _job_try_finish(job.pk)


def _chunk_release(chunk: JobChunk, token: str, *, error: str, retry: bool) -> None:
    mine = JobChunk.objects.filter(pk=chunk.pk, claim_token=token, status=Status.RUNNING)
    if retry:
        if mine.update(status=Status.QUEUED, error=error[:2000], lease_until=None, claim_token=""):
            delay = _retry_delay(chunk.attempts)
            _on_commit(functools.partial(job_enqueue_chunk, chunk_id=chunk.pk, countdown=delay))
        return
    if mine.update(status=Status.FAILED, error=error[:2000], finished_at=timezone.now()):
        reason = REASON_CHUNK_FAILED.format(index=chunk.index + 1, n=chunk.attempts, error=error)
        _job_fail_running(chunk.job_id, reason)


def _job_fail_running(job_id: int, reason: str) -> None:
    Job.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.FAILED, error=reason[:2000], finished_at=timezone.now(), lease_until=None
    )


def _job_try_finish(job_id: int) -> None:
    """Run the finisher if every chunk is done. Exactly once: the conditional UPDATE takes
    the job's (released) lease, so of two chunks finishing at once only one runs it."""
    if JobChunk.objects.filter(job_id=job_id).exclude(status=Status.DONE).exists():
        return
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = Job.objects.filter(
        pk=job_id, status=Status.RUNNING, fanned_out_at__isnull=False, lease_until__isnull=True
    ).update(claim_token=token, lease_until=now + _lease(), heartbeat_at=now, worker=_worker_name())
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    results = list(
        JobChunk.objects.filter(job_id=job_id).order_by("index").values_list("result", flat=True)
    )
    finisher = FINISHERS.get(job.kind)
    result, error = _call_leased(
        Job, job_id, token, job,
        lambda _l: finisher(job, results) if finisher else {"items": job.total},
    )  # fmt: skip
    if result is _LOST:
        return
    if error is not None:
        # Queued again, the handler runs once more: job_fan_out finds every chunk done and
        # the finisher is tried again (the attempt counts).
        _job_release(job, token, error=_message(error), retry=job.attempts < _max_attempts())
        return
    Job.objects.filter(pk=job_id, claim_token=token, status=Status.RUNNING).update(
        status=Status.DONE,
        result=result or {},
        progress=F("total"),
        finished_at=timezone.now(),
        lease_until=None,
        error="",
    )


# --- per-item progress and files --------------------------------------------------------------


def job_item_done(job: Job, key: Any) -> bool:
    """Record ``key`` as done for this job; return whether it was ALREADY recorded.

    Use it before an effect that must never be repeated (an e-mail): ``if not
    job_item_done(job, key): send(...)``. The unique (job, key) row decides, so even two
    workers on the same job (one whose lease was taken over) never both do an item."""
    lease = _lease_for(job)
    if lease is not None:
        lease.check()
    try:
        with transaction.atomic():
            JobItem.objects.create(job_id=job.pk, key=str(key)[:200])
    except IntegrityError:
        return True
    return False


def job_items_done(job: Job) -> set[str]:
    """The keys recorded for this job (as text), in one query."""
    return set(JobItem.objects.filter(job_id=job.pk).values_list("key", flat=True))


def job_attach_file(
    job: Job,
    path_or_fileobj: str | os.PathLike[str] | IO[bytes] | bytes,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
) -> None:
    """Store a file made by the job (privately, under MEDIA_ROOT/jobs/<id>/), offered on
    the job page to its requester once the job is done. A second call replaces it."""
    previous = Job.objects.filter(pk=job.pk).values_list("result_file", flat=True).first()
    if isinstance(path_or_fileobj, bytes):
        job.result_file.save(filename, ContentFile(path_or_fileobj), save=False)
    elif isinstance(path_or_fileobj, (str, os.PathLike)):
        with Path(path_or_fileobj).open("rb") as handle:
            job.result_file.save(filename, File(handle, name=filename), save=False)
    else:
        job.result_file.save(filename, File(path_or_fileobj, name=filename), save=False)
    job.result_file_name = Path(filename).name[:200]
    job.result_content_type = content_type[:100]
    Job.objects.filter(pk=job.pk).update(
        result_file=job.result_file.name,
        result_file_name=job.result_file_name,
        result_content_type=job.result_content_type,
    )
    if previous and previous != job.result_file.name:
        job.result_file.storage.delete(previous)


def job_can_download(job: Job, user: Any) -> bool:
    """The job's file is for the user who asked for it, once the job is done."""
    return bool(
        job.status == Status.DONE
        and job.result_file
        and user.is_authenticated
        and job.created_by_id == user.pk
    )


# --- the sweep ------------------------------------------------------------------------------


def jobs_sweep_stale(*, older_than: timedelta | None = None) -> int:
    """Queue again what a dead worker left (an expired lease) and re-send what no worker
    took (the broker was down or lost the message). Returns the jobs and chunks handled.

    A running job or chunk whose lease expired goes back to the queue while it has runs
    left, else it fails with the reason. A queued one is re-sent once its last message is
    ``older_than`` (JOBS_QUEUED_STALE_SECONDS), then at doubling intervals; after
    JOBS_MAX_RESENDS unanswered messages it fails (no worker serves its queue)."""
    now = timezone.now()
    stale = (
        older_than
        if older_than is not None
        else timedelta(seconds=settings.JOBS_QUEUED_STALE_SECONDS)
    )
    max_attempts = _max_attempts()
    handled = 0

    expired = Job.objects.filter(status=Status.RUNNING, lease_until__lt=now)
    for pk, attempts in expired.values_list("pk", "attempts")[:500]:
        mine = Job.objects.filter(pk=pk, status=Status.RUNNING, lease_until__lt=now)
        if attempts >= max_attempts:
            handled += mine.update(
                status=Status.FAILED,
                error=REASON_STOPPED.format(n=attempts),
                finished_at=now,
                lease_until=None,
            )
        elif mine.update(status=Status.QUEUED, lease_until=None, claim_token=""):
            handled += 1
            job_enqueue(job_id=pk)

    for pk, kind, resends, _sent in _stale_queued(Job.objects.all(), stale, now):
        if resends >= settings.JOBS_MAX_RESENDS:
            reason = REASON_NEVER_TAKEN.format(queue=QUEUES.get(kind, "default"))
            handled += Job.objects.filter(pk=pk, status=Status.QUEUED).update(
                status=Status.FAILED, error=reason, finished_at=now
            )
        elif job_enqueue(job_id=pk):
            handled += 1
            Job.objects.filter(pk=pk).update(resends=F("resends") + 1)

    # Fanned out, every chunk done long ago, yet no finisher ran (its worker died between
    # the last chunk and the finisher's claim): queued again, the handler finds the chunks
    # done and the finisher runs.
    orphans = (
        Job.objects.filter(status=Status.RUNNING, fanned_out_at__isnull=False)
        .filter(lease_until__isnull=True)
        .exclude(chunks__status__in=[Status.QUEUED, Status.RUNNING, Status.FAILED])
        .annotate(last_done=models.Max("chunks__finished_at"))
        .filter(
            Q(last_done__lt=now - _lease())
            | Q(last_done__isnull=True, fanned_out_at__lt=now - _lease())
        )
    )
    for pk, attempts in orphans.values_list("pk", "attempts")[:500]:
        mine = Job.objects.filter(pk=pk, status=Status.RUNNING, lease_until__isnull=True)
        if attempts >= max_attempts:
            handled += mine.update(
                status=Status.FAILED, error=REASON_STOPPED.format(n=attempts), finished_at=now
            )
        elif mine.update(status=Status.QUEUED, claim_token=""):
            handled += 1
            job_enqueue(job_id=pk)

    running_jobs = Job.objects.filter(status=Status.RUNNING)
    expired_chunks = JobChunk.objects.filter(
        status=Status.RUNNING, lease_until__lt=now, job__in=running_jobs
    )
    for pk, job_id, index, attempts in expired_chunks.values_list(
        "pk", "job_id", "index", "attempts"
    )[:500]:
        chunk_row = JobChunk.objects.filter(pk=pk, status=Status.RUNNING, lease_until__lt=now)
        if attempts >= max_attempts:
            reason = REASON_CHUNK_STOPPED.format(index=index + 1, n=attempts)
            if chunk_row.update(
                status=Status.FAILED, error=reason, finished_at=now, lease_until=None
            ):
                handled += 1
                _job_fail_running(job_id, reason)
        elif chunk_row.update(status=Status.QUEUED, lease_until=None, claim_token=""):
            handled += 1
            job_enqueue_chunk(chunk_id=pk)

    queued_chunks = JobChunk.objects.filter(job__in=running_jobs)
    for pk, job_id, resends, _sent in _stale_queued(queued_chunks, stale, now, chunk=True):
        if resends >= settings.JOBS_MAX_RESENDS:
            kind = Job.objects.filter(pk=job_id).values_list("kind", flat=True).first() or ""
            reason = REASON_NEVER_TAKEN.format(queue=QUEUES.get(kind, "default"))
            if JobChunk.objects.filter(pk=pk, status=Status.QUEUED).update(
                status=Status.FAILED, error=reason, finished_at=now
            ):
                handled += 1
                _job_fail_running(job_id, reason)
        elif job_enqueue_chunk(chunk_id=pk):
            handled += 1
            JobChunk.objects.filter(pk=pk).update(resends=F("resends") + 1)
    return handled


def _stale_queued(
    queryset: models.QuerySet[Any], stale: timedelta, now: datetime, *, chunk: bool = False
) -> Iterator[tuple[int, Any, int, datetime]]:
    """Queued rows whose last message is older than ``stale`` × 2^resends, at most × 32
    (never sent: since they were created). Chunks yield their job's id where jobs yield their kind."""
    rows = queryset.filter(status=Status.QUEUED).annotate(
        last_sent=Coalesce("enqueued_at", "job__created_at" if chunk else "created_at")
    )
    rows = rows.filter(last_sent__lt=now - stale).order_by("last_sent")
    second = "job_id" if chunk else "kind"
    for pk, other, resends, last_sent in rows.values_list("pk", second, "resends", "last_sent")[
        :500
    ]:
        if last_sent < now - stale * (2 ** min(resends, 5)):
            yield pk, other, resends, last_sent
