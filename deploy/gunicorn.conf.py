"""gunicorn settings of the portal: the `web` service of docker-compose.yml and `make loadtest`
read this file (`gunicorn -c deploy/gunicorn.conf.py`). Each value can be overridden by the
environment variable named beside it; the defaults were chosen by measurement on a 2-core
machine (README, "Serving").
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads share a process's memory and overlap the time a request waits on PostgreSQL; the
# processes spread the Python work over the cores. See the README for the measurements.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = _int("GUNICORN_WORKERS", 3)
threads = _int("GUNICORN_THREADS", 4)
# A request still running after this long is cut off (long work runs in Celery); nginx waits
# 130 s, so that a timeout surfaces as gunicorn's error first.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
# Seconds an idle client connection stays open. Behind nginx each request comes on a new
# connection; `make loadtest`, whose users talk to gunicorn directly and pause up to 8 s,
# sets it above that pause, as nginx keeps browsers' connections 65 s.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A fresh process every ~1000 requests returns memory that Python's allocator keeps.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = 100
# The heartbeat files on a tmpfs: a worker never blocks on a slow disk (Docker's /dev/shm).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
