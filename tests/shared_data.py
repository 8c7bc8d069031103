"""Rows that many tests stand on, built once and rolled back to after each test.

A *layer* is a builder of rows (the personas, a cycle in planning, the demo region) standing
on at most one other layer. A test names the layers it needs by requesting a fixture bound
to one (``personas``, ``planning``, ...) or by the ``shared_data`` marker; the layer and those
below it form its *chain*.

Before a test that uses the database (not transactionally), the layers of its chain are
built inside transactions that stay open: one ``atomic`` block per layer. The test's own
transaction (pytest-django's ``db``) is a savepoint inside them and is rolled back at the end
of the test, so every test starts from the same rows and none sees what another wrote. The
next test reuses the open layers its chain shares and rolls back the others; the tests of a
module are ordered by chain so that each layer is built once per module, and every layer is
rolled back when the module ends. A transactional test (live server, browser, worker) runs
with no layer open: its data must be committed for other connections to see it, so its
fixtures build the rows themselves; so does a test with a ``django_db`` marker, inside its
own transaction (the marker enters it before any layer could be opened beneath).

A builder returns primary keys, never model instances: each test loads fresh objects, so
nothing cached on an instance (a user's scope, a related object) leaks from one test into
the next. Files a builder writes go to the layers' folder (``Built.media``); a test that
stands on them gets a copy (``media_copy``), so deleting one never reaches the next test.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import override_settings
from pytest_django.fixtures import validate_django_db

# The fast password hasher of every test, and of the rows layers build.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Layer:
    name: str
    on: str | None
    build: Callable[[Built], Any]
    fixture: str | None


@dataclass
class Built:
    """What the layers of a chain built: their values by layer name, and the folder their
    files go to."""

    values: dict[str, Any] = field(default_factory=dict)
    media: Path | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


LAYERS: dict[str, Layer] = {}


def layer(name: str, *, on: str | None = None, fixture: str | None = None):
    """Register ``build(built)`` as the layer ``name`` on top of the layer ``on``; a test that
    requests ``fixture`` stands on it."""

    def register(build: Callable[[Built], Any]) -> Callable[[Built], Any]:
        if name in LAYERS:
            raise ValueError(f"layer {name!r} is registered twice")
        LAYERS[name] = Layer(name, on, build, fixture)
        return build

    return register


def chain_of(name: str) -> tuple[str, ...]:
    names: list[str] = []
    current: str | None = name
    while current:
        names.append(current)
        current = LAYERS[current].on
    return tuple(reversed(names))


def chain_for(item: pytest.Item) -> tuple[str, ...]:
    """The chain a test stands on: its ``shared_data`` marker's, or the deepest of the layers
    its fixtures are bound to (they must all lie on that chain)."""
    marker = item.get_closest_marker("shared_data")
    if marker:
        return chain_of(marker.args[0])
    names = set(getattr(item, "fixturenames", ()))
    chains = sorted(
        (chain_of(layer.name) for layer in LAYERS.values() if layer.fixture in names), key=len
    )
    if not chains:
        return ()
    deepest = chains[-1]
    for other in chains:
        if deepest[: len(other)] != other:
            raise pytest.UsageError(f"{item.nodeid} stands on two chains: {other} and {deepest}")
    return deepest


def uses_db(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & names
    )


def is_transactional(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    transaction_, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    return bool({"transactional_db", "live_server"} & names) or transaction_ or reset_sequences


def ensure_reference_data() -> None:
    """Rows a data migration loads (the BerAKHLAK values) are wiped by the flush that ends a
    transactional test: put them back."""
    from django.apps import apps

    from indicators.models import BehaviourValue

    if not BehaviourValue.objects.exists():
        importlib.import_module("indicators.migrations.0002_berakhlak").load(apps, None)


def build_chain(chain: tuple[str, ...], built: Built) -> Built:
    """Run the builders of ``chain`` beyond those ``built`` already holds, inside the
    caller's transaction."""
    media = {"MEDIA_ROOT": built.media} if built.media else {}
    for name in chain[len(built.values) :]:
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS, **media):
            built.values[name] = LAYERS[name].build(built)
    return built


class Stack:
    """The open layers: one ``atomic`` block each, outermost first."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        # The connection the layers are open on. Django keeps one per thread, and another
        # while an event loop runs in the thread (Playwright's, from the first browser test
        # on): layers must be rolled back on the one they were opened on.
        self.wrapper = None
        self.names: list[str] = []
        self.atomics: list[transaction.Atomic] = []
        self.root = Path(tempfile.mkdtemp(prefix="shared-data-"))
        self.built = Built(media=self.root / "layers")

    def trim(self, chain: tuple[str, ...] = ()) -> None:
        """Roll back the open layers that are not a prefix of ``chain``."""
        keep = 0
        while keep < min(len(self.names), len(chain)) and self.names[keep] == chain[keep]:
            keep += 1
        if len(self.names) == keep:
            return
        if connections[DEFAULT_DB_ALIAS] is not self.wrapper:
            raise RuntimeError("shared layers are open on another connection than the current one")
        with self.blocker.unblock():
            while len(self.names) > keep:
                self.built.values.pop(self.names.pop())
                transaction.set_rollback(True)
                self.atomics.pop().__exit__(None, None, None)

    def extend(self, chain: tuple[str, ...]) -> Built:
        """Build, and keep open, the layers of ``chain`` above the open ones."""
        self.trim(chain)
        if not self.names:
            self.wrapper = connections[DEFAULT_DB_ALIAS]
        with self.blocker.unblock():
            for name in chain[len(self.names) :]:
                atomic = transaction.atomic()
                atomic.__enter__()
                try:
                    build_chain(chain[: len(self.names) + 1], self.built)
                except BaseException:
                    self.built.values.pop(name, None)
                    transaction.set_rollback(True)
                    atomic.__exit__(None, None, None)
                    raise
                self.names.append(name)
                self.atomics.append(atomic)
        return self.built

    def build_alone(self, chain: tuple[str, ...]) -> Built:
        """Build ``chain`` inside the test's own transaction, for that test alone."""
        if not chain:
            return Built()
        with self.blocker.unblock():
            return build_chain(chain, Built(media=Path(tempfile.mkdtemp(dir=self.root))))

    def close(self) -> None:
        self.trim(())
        shutil.rmtree(self.root, ignore_errors=True)


def shared(request: pytest.FixtureRequest) -> Built:
    """What the layers of the requesting test's chain built (see ``_shared_data``)."""
    built = getattr(request.node, "_shared_built", None)
    if built is None:
        raise RuntimeError(f"{request.node.nodeid}: shared data outside the database")
    return built


def layer_value(request: pytest.FixtureRequest, name: str) -> Any:
    """The value of the layer ``name`` for the requesting test. A transactional test stands
    on no open layer: its rows are built now, committed with the test's own."""
    built = shared(request)
    if name not in built.values:
        if not is_transactional(request.node):
            raise RuntimeError(f"{request.node.nodeid} does not stand on the layer {name!r}")
        build_chain(chain_of(name), built)
    return built[name]


def media_copy(request: pytest.FixtureRequest, settings, tmp_path: Path) -> Path:
    """The test's own copy of the files its layers wrote, as its MEDIA_ROOT."""
    built = shared(request)
    target = tmp_path / "private"
    if built.media is not None and built.media.exists():
        shutil.copytree(built.media, target)
    settings.MEDIA_ROOT = target
    return target


# --- the hooks and fixtures tests/conftest.py installs --------------------------------------


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def sort_by_chain(items: list[pytest.Item]) -> None:
    """Within each run of consecutive tests of one module (pytest-django has already put the
    database tests first and the transactional ones after them), order by chain, so that a
    layer is built once per module."""
    keys, run, previous = {}, 0, None
    for position, item in enumerate(items):
        if _module(item) != previous:
            run, previous = run + 1, _module(item)
        keys[item] = (run, chain_for(item) if uses_db(item) else (), position)
    items.sort(key=keys.__getitem__)


def _opens_own_transaction_first(item: pytest.Item) -> bool:
    """pytest-django's ``django_db`` marker enters the test's transaction before any fixture
    of the conftest runs, so no layer can be opened beneath it."""
    return item.get_closest_marker("django_db") is not None


def _open_chain(item: pytest.Item | None) -> tuple[str, ...]:
    """The layers kept open beneath the test: none for one that builds its rows itself."""
    if item is None or not uses_db(item):
        return ()
    if is_transactional(item) or _opens_own_transaction_first(item):
        return ()
    return chain_for(item)


def teardown_starts(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Called before a test's fixtures are torn down: the layers kept after it are those the
    next test of the same module stands on."""
    same_module = nextitem is not None and _module(nextitem) == _module(item)
    item._shared_next_chain = _open_chain(nextitem) if same_module else ()


@pytest.fixture(scope="session")
def _shared_stack(django_db_setup, django_db_blocker):
    stack = Stack(django_db_blocker)
    yield stack
    stack.close()


@pytest.fixture(autouse=True)
def _shared_data(request):
    """Put back the reference rows after a flush, then open the test's layers (it precedes
    ``db`` among the fixtures, so the test's own transaction is entered inside them). After
    the test, roll back the layers the next test does not stand on: here, while the
    connection is the one they were opened on (see ``Stack.wrapper``)."""
    item = request.node
    if not uses_db(item):
        yield
        return
    stack = request.getfixturevalue("_shared_stack")
    chain = _open_chain(item)
    stack.trim(chain)
    with stack.blocker.unblock():
        ensure_reference_data()
    if chain:
        item._shared_built = stack.extend(chain)
    elif _opens_own_transaction_first(item) and not is_transactional(item):
        item._shared_built = stack.build_alone(chain_for(item))
    else:  # a transactional test builds its layers itself, committed (``layer_value``)
        item._shared_built = Built()
    yield
    del item._shared_built
    stack.trim(getattr(item, "_shared_next_chain", ()))
