"""The self-assessment autosave loses nothing: a long form filled as fast as the browser can,
and again over a network that adds half a second to every save (saves queue: the last one
answers seconds after the typing ends), ends with every typed value in the database; the page
says "Tersimpan" only for values the server confirmed; leaving with unsaved input asks first;
a failed save stays unsaved with its value and a retry."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from appraisals.models import PlanIndicator, State

from .appraisal_fixtures import LONG_PLAN, fresh, long_plan
from .browser import open_appraisal, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNT = LONG_PLAN  # quantitative indicators: a long form of 24 text fields


def typed_values():
    """``(realisation typed, expected Decimal, comment)`` per indicator, in plan order."""
    return [
        (f"1.{n:03d},5", Decimal(f"1{n:03d}.5"), f"Keterangan lengkap nomor {n} " + "x" * n)
        for n in range(1, COUNT + 1)
    ]


def fill_fast(page):
    for n, (realisation, _expected, comment) in enumerate(typed_values(), start=1):
        block = page.get_by_test_id(f"indicator-K{n:02d}")
        block.get_by_label("Realisasi (berkas)").press_sequentially(realisation, delay=0)
        block.get_by_label("Keterangan").press_sequentially(comment, delay=0)


def assert_all_saved(appraisal):
    stored = {
        i.code: (i.realisation, i.self_comment)
        for i in PlanIndicator.objects.filter(result__appraisal=appraisal)
    }
    for n, (_typed, expected, comment) in enumerate(typed_values(), start=1):
        assert stored[f"K{n:02d}"] == (expected, comment), f"K{n:02d}"


def wait_until_saved(page):
    for n in range(1, COUNT + 1):
        expect(
            page.get_by_test_id(f"indicator-K{n:02d}").locator("[data-save-status]")
        ).to_have_text("Tersimpan", timeout=60_000)


def test_a_long_form_typed_as_fast_as_the_browser_can_loses_nothing(live_server, page, personas):
    appraisal = long_plan(personas)
    open_appraisal(page, live_server.url, personas, appraisal)
    fill_fast(page)
    page.keyboard.press("Tab")
    wait_until_saved(page)
    screenshot(page, "autosave-fast")
    assert_all_saved(appraisal)
    # The last save moved the version on; sending the self-assessment is not refused as stale.
    page.get_by_role("button", name="Kirim penilaian diri").click()
    expect(page.get_by_test_id("appraisal-state")).to_have_attribute("data-state", "self_assessed")


def test_a_slow_network_delays_saves_but_loses_none(live_server, page, personas):
    appraisal = long_plan(personas)
    open_appraisal(page, live_server.url, personas, appraisal)

    def slow(route):
        page.wait_for_timeout(500)
        route.continue_()

    page.route("**/realisasi/**", slow)
    fill_fast(page)
    page.keyboard.press("Tab")
    # While saves are still in flight, the page does not claim they are done.
    statuses = page.locator("[data-save-status]").all_inner_texts()
    assert statuses.count("Tersimpan") < COUNT
    wait_until_saved(page)
    assert_all_saved(appraisal)


def test_leaving_with_unsaved_input_asks_first(live_server, page, personas):
    appraisal = long_plan(personas)
    open_appraisal(page, live_server.url, personas, appraisal)
    page.route("**/realisasi/**", lambda route: None)  # the save never answers
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_test_id("indicator-K01").get_by_label("Realisasi (berkas)").fill("5")
    page.get_by_test_id("indicator-K01").get_by_label("Keterangan").click()
    page.evaluate("() => { window.location.href = '/'; }")
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_a_failed_save_keeps_the_value_says_so_and_retries(live_server, page, personas):
    appraisal = long_plan(personas)
    open_appraisal(page, live_server.url, personas, appraisal)
    failing = {"on": True}

    def flaky(route):
        if failing["on"]:
            route.abort("connectionfailed")
        else:
            route.continue_()

    page.route("**/realisasi/**", flaky)
    block = page.get_by_test_id("indicator-K01")
    block.get_by_label("Realisasi (berkas)").fill("1.234")
    page.keyboard.press("Tab")
    status = block.locator("[data-save-status]")
    expect(status).to_contain_text("Belum tersimpan")
    expect(status.get_by_role("button", name="Coba lagi")).to_be_visible()
    expect(block.get_by_label("Realisasi (berkas)")).to_have_value("1.234")
    assert fresh(appraisal).state == State.TARGETS_APPROVED
    assert PlanIndicator.objects.get(result__appraisal=appraisal, code="K01").realisation is None
    failing["on"] = False
    status.get_by_role("button", name="Coba lagi").click()
    expect(status).to_have_text("Tersimpan")
    assert PlanIndicator.objects.get(result__appraisal=appraisal, code="K01").realisation == 1234


def test_an_invalid_number_is_marked_on_its_field_and_not_saved(live_server, page, personas):
    appraisal = long_plan(personas)
    open_appraisal(page, live_server.url, personas, appraisal)
    field = page.get_by_test_id("indicator-K01").get_by_label("Realisasi (berkas)")
    field.fill("1.5")
    page.keyboard.press("Tab")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("indicator-K01")).to_contain_text(
        "Gunakan titik untuk ribuan dan koma untuk desimal, misalnya 1.200 atau 12,5"
    )
    assert PlanIndicator.objects.get(result__appraisal=appraisal, code="K01").realisation is None
