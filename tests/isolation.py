"""What keeps test processes that run at once apart (pytest-xdist workers, ``-n``).

Each worker has its own database already (pytest-django suffixes the test database's name
with the worker's id) and its own live server port. Here: the cache, which every test empties,
and the Celery broker, where a worker's real Celery process must take only its own messages.
On Redis, both are shared databases: the worker's keys get a prefix of their own.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def broker_transport_options() -> dict[str, str]:
    """Options that keep this worker's messages apart on a Redis broker (none otherwise)."""
    if WORKER and settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return {"global_keyprefix": f"test-{WORKER}:"}
    return {}


def separate_workers() -> None:
    """At the start of a worker's session: its own cache and broker keys."""
    if not WORKER:
        return
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("FileBasedCache"):
        cache["LOCATION"] = str(Path(cache["LOCATION"]) / WORKER)
    else:
        cache["KEY_PREFIX"] = f"test-{WORKER}"
    if options := broker_transport_options():
        from asn_portal.celery import app

        app.conf.broker_transport_options = {**(app.conf.broker_transport_options or {}), **options}


def slow_files_first(items) -> None:
    """Files with browser or worker tests first (each file runs whole in one worker, and
    ``--no-loadscope-reorder`` hands them out in this order): a long file started last would
    keep one worker busy while the others have finished."""
    slow = {
        item.nodeid.split("::", 1)[0]
        for item in items
        if item.get_closest_marker("browser") or item.get_closest_marker("worker")
    }
    items.sort(key=lambda item: item.nodeid.split("::", 1)[0] not in slow)


def clear_cache() -> None:
    """Empty this worker's cache: on Redis, its keys alone (``clear`` would empty the
    database the other workers use too)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    # The backend itself: ``django.core.cache.cache`` is a proxy, which isinstance never
    # matches, and its ``clear`` would empty the other workers' keys too.
    cache = caches["default"]
    if isinstance(cache, RedisCache) and cache.key_prefix:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()
