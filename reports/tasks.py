"""Thin Celery tasks: take an id, call one service (see docs/architecture.md)."""

from celery import shared_task

from . import jobs


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    max_retries=jobs.MAX_ATTEMPTS - 1,
    retry_backoff=True,
    acks_late=True,
)
def run_job(self, job_id: int) -> None:
    jobs.job_run(job_id=job_id)


@shared_task
def sweep_stale_jobs() -> int:
    return jobs.jobs_sweep_stale()
