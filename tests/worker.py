"""A real Celery worker process for the integration tests that need one.

It runs against the test database (a file on SQLite, the test database on PostgreSQL) and the
configured broker: Redis in CI (under the test process's own key prefix when several run at
once, see tests/isolation.py), the filesystem broker (in a private folder) locally.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from .isolation import broker_transport_options

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(params['NAME']).resolve()}"
    auth = params["USER"] or ""
    if params.get("PASSWORD"):
        auth += f":{params['PASSWORD']}"
    host = f"{auth}@" if auth else ""
    host += f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}"
    return f"postgres://{host}/{params['NAME']}"


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.25):
    """Poll until ``predicate()`` is truthy; the only place tests wait for another process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture
def celery_worker_factory(transactional_db, tmp_path):
    """``start(env={...})`` starts one more real worker process on this test's broker and
    database (the queues ``default`` and ``pdf``, all sharing one mail folder), with extra
    environment, e.g. a short job lease. ``process.kill()`` is SIGKILL: the worker dies at
    once, mid-task, as in an out-of-memory kill. Every worker is killed at the end."""
    from asn_portal.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TEST_BROKER_TRANSPORT_OPTIONS": json.dumps(broker_transport_options()),
    }
    mail_dir = tmp_path / "mail"
    env["EMAIL_URL"] = f"filemail:///{mail_dir}"
    original_options = dict(app.conf.broker_transport_options or {})
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        broker = tmp_path / "broker"
        for sub in ("queue", "processed", "control"):
            (broker / sub).mkdir(parents=True)
        env["ASN_BROKER_DIR"] = str(broker)
        app.conf.broker_transport_options = {
            **original_options,
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
        }
        _reset_pool(app)
    processes: list[subprocess.Popen] = []

    def start(extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        log_path = tmp_path / f"worker-{len(processes) + 1}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "tests.celery_app", "worker",
                 "-Q", "default,pdf", "--pool", "solo", "--without-heartbeat",
                 "--without-mingle", "--without-gossip", "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
                 "--loglevel", "INFO"],
                cwd=BASE_DIR, env={**env, **(extra_env or {})}, stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        process.mail_dir = mail_dir  # type: ignore[attr-defined]
        process.log_path = log_path  # type: ignore[attr-defined]
        processes.append(process)
        return process

    start.mail_dir = mail_dir  # type: ignore[attr-defined]
    start.processes = processes  # type: ignore[attr-defined]
    try:
        yield start
    finally:
        # Killed, not stopped: a warm (or cold) shutdown waits about 4 s for the consumer
        # loop, and what the worker would do meanwhile no longer matters to the test.
        for process in processes:
            process.kill()
        for process in processes:
            process.wait(timeout=20)
        app.conf.broker_transport_options = original_options
        _reset_pool(app)


@pytest.fixture
def celery_worker_process(celery_worker_factory):
    return celery_worker_factory()


def worker_logs(start) -> str:
    """Every log of a factory's workers, for an assertion's message."""
    return "\n".join(p.log_path.read_text(errors="replace") for p in start.processes)


def _reset_pool(app) -> None:
    """Drop the producer and connection pools so the next message uses the current transport
    options. kombu keeps them in a process-wide registry, which ``reset`` empties."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
