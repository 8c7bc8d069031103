"""Job kinds for the fault tests (tests/test_job_faults.py), registered in the test process
and, through tests/celery_app.py, in the test's worker processes.

Each e-mails one address per item, recorded with ``job_item_done`` first. An item named in
``payload["hold_on"]`` makes the worker that reaches it first wait there until the test kills
it (the ``held:`` item records that it already held once, so the next worker goes on)."""

from __future__ import annotations

import time

from django.core.mail import send_mail

from reports.jobs import (
    chunk_handler,
    job_fan_out,
    job_finisher,
    job_handler,
    job_item_done,
    job_items_done,
)


def _mail_items(job, items) -> int:
    sent = 0
    for item in items:
        if not job_item_done(job, item):
            send_mail(f"Uji butir {item}", "Isi uji", None, [f"{item}@uji.go.id"])
            sent += 1
        if item == job.payload.get("hold_on") and not job_item_done(job, f"held:{item}"):
            while True:  # until the test kills this worker; the heartbeat keeps the lease
                time.sleep(0.2)
    return sent


@job_handler("test_fault_items")
def fault_items(job, progress):
    items = job.payload["items"]
    _mail_items(job, items)
    progress(len(items), len(items))
    return {"items": len([k for k in job_items_done(job) if not k.startswith("held:")])}


@job_handler("test_fault_fan", queue="pdf")
def fault_fan(job, progress):
    return job_fan_out(job, items=job.payload["items"], chunk_size=2)


@chunk_handler("test_fault_fan")
def fault_fan_chunk(job, items):
    return {"sent": _mail_items(job, items), "items": len(items)}


@job_finisher("test_fault_fan")
def fault_fan_finish(job, results):
    # Not guarded: an e-mail per finisher run shows it ran once.
    send_mail("Uji selesai", "Isi uji", None, ["selesai@uji.go.id"])
    return {"items": sum(r["items"] for r in results), "chunks": len(results)}
