"""The Celery application. Tasks live in each app's tasks.py and stay thin."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asn_portal.settings")

app = Celery("asn_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Jobs are database rows first; this re-sends any whose message never reached a worker.
    "sweep-stale-jobs": {
        "task": "reports.tasks.sweep_stale_jobs",
        "schedule": crontab(minute="*/5"),
    },
}
