import os

import pytest

from . import isolation, shared_data

# The shared fixtures, from the modules that build their rows.
from .appraisal_fixtures import approved, planning  # noqa: F401
from .demo_fixtures import demo, prescored_demo  # noqa: F401
from .isolation import clear_cache
from .personas import personas  # noqa: F401
from .shared_data import _shared_data, _shared_stack  # noqa: F401
from .worker import celery_worker_factory, celery_worker_process  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = shared_data.FAST_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as that user (a User or an Employee)."""

    def _login(who):
        user = getattr(who, "user", who)
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def browser(browser):
    """While Playwright runs, its event loop runs in this thread and Django gives the thread
    other database connections (asgiref): close them before it stops, or they stay open,
    unseen, and the test database cannot be dropped."""
    yield browser
    from django.db import connections

    connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from .browser import CHROMIUM, CHROMIUM_FLAGS, require_chromium

    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


def pytest_configure(config):
    isolation.separate_workers()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput"):  # a pytest-xdist worker
        isolation.slow_files_first(items)
    shared_data.sort_by_chain(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    shared_data.teardown_starts(item, nextitem)
