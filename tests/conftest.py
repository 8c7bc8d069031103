import os

import pytest

from .appraisal_fixtures import planning  # noqa: F401  (fixture)
from .personas import build_personas
from .worker import celery_worker_process  # noqa: F401  (fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    return build_personas()


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as that user (a User or an Employee)."""

    def _login(who):
        user = getattr(who, "user", who)
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from .browser import CHROMIUM, CHROMIUM_FLAGS, require_chromium

    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    """Data that migrations load (the BerAKHLAK values) is wiped by the flush that ends a
    transactional test (browser, worker): put it back before any test that uses the database."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_db:
        import importlib

        from django.apps import apps

        from indicators.models import BehaviourValue

        with django_db_blocker.unblock():
            if not BehaviourValue.objects.exists():
                importlib.import_module("indicators.migrations.0002_berakhlak").load(apps, None)
    yield
