"""The portal's Celery app as a test's worker process runs it (``celery -A tests.celery_app``):
with the broker options of the test process that started it, passed as JSON in
``TEST_BROKER_TRANSPORT_OPTIONS``, so that it takes that process's messages alone
(tests/isolation.py), and with the job kinds of the fault tests (tests/fault_handlers.py)."""

import json
import os

from celery.signals import worker_init

from asn_portal.celery import app

app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    **json.loads(os.environ.get("TEST_BROKER_TRANSPORT_OPTIONS", "{}")),
}


@worker_init.connect
def _fault_handlers(**kwargs):
    """Once Django is set up in the worker (the models must be loaded first)."""
    import django

    django.setup()
    from . import fault_handlers  # noqa: F401
