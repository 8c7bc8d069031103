"""Create, claim, run and finish background jobs. Handlers register by kind.

A job handler is a plain function ``handler(job, progress)`` that does the work through
services and returns a JSON-able result; ``progress(done, total)`` records how far it got.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from .models import Job

logger = logging.getLogger(__name__)

Handler = Callable[[Job, Callable[[int, int], None]], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}
MAX_ATTEMPTS = 3


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def job_create(
    *,
    kind: str,
    payload: dict[str, Any],
    created_by=None,
    region=None,
    total: int = 0,
    language: str | None = None,
) -> Job:
    """Store the job row and enqueue it once the surrounding transaction commits."""
    job = Job.objects.create(
        kind=kind,
        payload=payload,
        created_by=created_by,
        region=region,
        total=total,
        language=language or translation.get_language() or "id",
    )
    transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def job_enqueue(*, job_id: int) -> None:
    from .tasks import run_job

    try:
        run_job.delay(job_id)
    except Exception:  # the broker is down: the row stays queued and the sweep re-sends it
        logger.exception("Could not enqueue job %s; the sweep will retry", job_id)
        return
    Job.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


def job_run(*, job_id: int) -> None:
    """Run a job once. Safe to call twice: only the caller that claims the row runs it."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)
    handler = HANDLERS[job.kind]

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(progress=done, total=total)

    try:
        with translation.override(job.language):
            result = handler(job, progress) or {}
    except Exception as exc:
        logger.exception("Job %s failed", job_id)
        retry = job.attempts + 1 < MAX_ATTEMPTS
        job_fail(job_id=job_id, error=str(exc), retry=retry)
        if retry:
            raise  # Celery retries with back-off; the row is queued again for the claim
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result, finished_at=timezone.now()
    )


def job_fail(*, job_id: int, error: str, retry: bool) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.QUEUED if retry else Job.Status.FAILED,
        error=error[:2000],
        finished_at=None if retry else timezone.now(),
    )


def jobs_sweep_stale(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Re-send queued jobs whose message never reached a worker (broker down, crash)."""
    cutoff = timezone.now() - older_than
    stale = list(
        Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
    for job_id in stale:
        job_enqueue(job_id=job_id)
    return len(stale)
