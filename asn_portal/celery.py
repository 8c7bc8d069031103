"""The Celery application. Tasks live in each app's tasks.py and stay thin."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asn_portal.settings")

app = Celery("asn_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Jobs are database rows first: every minute this queues again the jobs and chunks whose
    # worker died (an expired lease) and re-sends those whose message never reached a worker.
    "sweep-stale-jobs": {
        "task": "reports.tasks.sweep_stale_jobs",
        "schedule": 60.0,
    },
    # Reminders go out at 08:00 in each region's own time zone: hourly, each region is
    # planned once its clock is past 08:00 (a reminder is a row first: once per day).
    "send-reminders": {
        "task": "appraisals.tasks.send_reminders",
        "schedule": crontab(minute=0),
    },
    # Peers' answers count into the scores once the peer deadline's day is over in the
    # region: hourly, each appraisal once (PeerNomination.counted_at).
    "count-peer-answers": {
        "task": "feedback.peer_tasks.count_peer_answers",
        "schedule": crontab(minute=5),
    },
}
