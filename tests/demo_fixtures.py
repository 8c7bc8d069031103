"""The demo region of ``seed_demo`` as shared layers (tests/shared_data.py): built once per
module that stands on it, each test rolled back to it, instead of seeded again per test."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from .shared_data import layer, layer_value


@layer("demo", fixture="demo")
def demo_layer(built) -> None:
    call_command("seed_demo", quiet_logins=True, no_prescore=True, stdout=io.StringIO())


@layer("prescored_demo", fixture="prescored_demo")
def prescored_demo_layer(built) -> None:
    """The default seed: everyone but the README's pegawai already scored."""
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())


@pytest.fixture
def demo(request, db) -> None:
    """The demo region as ``seed_demo --no-prescore`` builds it."""
    layer_value(request, "demo")


@pytest.fixture
def prescored_demo(request, db) -> None:
    """The demo region as ``seed_demo`` builds it."""
    layer_value(request, "prescored_demo")
