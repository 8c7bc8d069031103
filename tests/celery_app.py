"""The portal's Celery app as a test's worker process runs it (``celery -A tests.celery_app``):
with the broker options of the test process that started it, passed as JSON in
``TEST_BROKER_TRANSPORT_OPTIONS``, so that it takes that process's messages alone
(tests/isolation.py)."""

import json
import os

from asn_portal.celery import app

app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    **json.loads(os.environ.get("TEST_BROKER_TRANSPORT_OPTIONS", "{}")),
}
