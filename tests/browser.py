"""Playwright drives Debian's Chromium: `playwright install` cannot download a browser here.
And the steps the browser tests share: logging in, finding an appraisal, saving a field."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .personas import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base_url: str, employee) -> None:
    """Through the real login form, after dropping the previous user's session."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/akun/login/")
    page.get_by_label("NIP atau e-mail").fill(employee.nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base_url}/")
    expect(page.get_by_test_id("current-user")).to_contain_text(employee.name)


def nav(page, name: str):
    return page.locator("#mainNav").get_by_role("link", name=name, exact=True)


def open_own_appraisal(page, cycle) -> None:
    nav(page, "Penilaian saya").click()
    page.get_by_role("link", name=cycle.name).click()
    # A click does not wait for the new page's scripts: the autosave listens for `change`
    # only once they ran, and a field filled before that would never be saved.
    page.wait_for_load_state("load")


def open_subordinate_appraisal(page, employee) -> None:
    nav(page, "Antrian tim").click()
    page.get_by_test_id("team-queue").get_by_role("link", name=employee.name).click()
    page.wait_for_load_state("load")


def expect_state(page, state: str) -> None:
    expect(page.get_by_test_id("appraisal-state")).to_have_attribute("data-state", state)


def save_partially(page, indicator_code: str) -> None:
    """Leave the field (the autosave saves on `change`) and wait for the saved mark (longer
    than Playwright's 5 s: two test processes on two cores may keep the server waiting)."""
    block = page.get_by_test_id(f"indicator-{indicator_code}")
    page.keyboard.press("Tab")
    expect(block.locator("[data-save-status]")).to_have_text("Tersimpan", timeout=20_000)


def open_appraisal(page, base_url: str, personas, appraisal) -> None:
    """The pegawai's appraisal page, logged in as the pegawai."""
    login(page, base_url, personas.pegawai)
    page.goto(f"{base_url}/penilaian/{appraisal.pk}/")


def ensure_berakhlak() -> None:
    """A transactional test flushes the tables, the BerAKHLAK rows of a data migration too:
    put them back before a browser test builds its rows."""
    import importlib

    from django.apps import apps

    from indicators.models import BehaviourValue

    if not BehaviourValue.objects.exists():
        importlib.import_module("indicators.migrations.0002_berakhlak").load(apps, None)
