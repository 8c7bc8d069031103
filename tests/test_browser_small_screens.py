"""The appraisal page and a confirmation step on a phone (390 px) and a desktop (1280 px):
nothing overflows sideways, and the screenshots land in test-artifacts/ for a person to see."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .appraisal_fixtures import long_plan
from .browser import open_appraisal, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_self_assessment_and_its_confirmation_fit_the_screen(
    live_server, page, personas, width
):
    page.set_viewport_size({"width": width, "height": 900})
    appraisal = long_plan(personas)
    open_appraisal(page, live_server.url, personas, appraisal)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"self-assessment-{width}")
    page.get_by_role("button", name="Kirim penilaian diri").click()
    expect(page.get_by_role("heading", name="Kirim penilaian diri?")).to_be_visible()
    expect(page.get_by_test_id("confirm-items")).to_contain_text("K01 · Keluaran 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"confirm-submit-self-{width}")
    page.get_by_role("button", name="Tetap kirim penilaian diri").click()
    expect(page.get_by_test_id("appraisal-state")).to_have_attribute("data-state", "self_assessed")
