"""Thin Celery tasks of the appraisal workflow (see docs/architecture.md)."""

from celery import shared_task

from .services import reminders


@shared_task(autoretry_for=(Exception,), max_retries=3, retry_backoff=True, acks_late=True)
def send_reminders() -> dict:
    """Every hour: plan each region's reminders once it is past 08:00 there, then send."""
    return reminders.reminders_run()


@shared_task(autoretry_for=(Exception,), max_retries=3, retry_backoff=True, acks_late=True)
def deliver_reminders() -> int:
    """Send the reminders written but not sent yet (after HR's "send now")."""
    return reminders.reminders_deliver()
