"""Thin Celery tasks: take an id, call one service (see docs/architecture.md).

One pair of tasks per queue: ``run_*`` on the default queue, ``render_*`` on the ``pdf`` queue
(settings.CELERY_TASK_ROUTES routes them by name); ``jobs.job_enqueue`` picks the pair by the
queue the job's kind registered with. The job row, not Celery, counts attempts and retries, so
the tasks never retry themselves; a second delivery of a message finds the row claimed.
"""

from celery import shared_task
from django.conf import settings

from . import jobs

LIMITS = {
    "acks_late": True,
    "ignore_result": True,
    "soft_time_limit": settings.JOBS_SOFT_TIME_LIMIT,
    "time_limit": settings.JOBS_TIME_LIMIT,
}


@shared_task(**LIMITS)
def run_job(job_id: int) -> None:
    jobs.job_run(job_id=job_id)


@shared_task(**LIMITS)
def run_chunk(chunk_id: int) -> None:
    jobs.job_run_chunk(chunk_id=chunk_id)


@shared_task(**LIMITS)
def render_job(job_id: int) -> None:
    jobs.job_run(job_id=job_id)


@shared_task(**LIMITS)
def render_chunk(chunk_id: int) -> None:
    jobs.job_run_chunk(chunk_id=chunk_id)


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=180)
def sweep_stale_jobs() -> int:
    return jobs.jobs_sweep_stale()
