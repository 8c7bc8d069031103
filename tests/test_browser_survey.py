"""A citizen fills the survey on a phone (390 px wide, and 320 px) from the unit's QR link,
without JavaScript; the poster's URL is the survey's URL; the page passes axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from feedback.models import SurveyResponse
from feedback.survey_posters import survey_url
from feedback.survey_services import survey_unit_set_public

from .a11y import ERRORS_ANNOUNCED, FAILING_IMPACTS, RUN_AXE, axe_source, inject_axe
from .browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page) -> list:
    inject_axe(page)
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in FAILING_IMPACTS]


@pytest.mark.parametrize("width", [390, 320])
def test_a_citizen_fills_the_survey_on_a_phone_from_the_qr_link(
    live_server, browser, personas, settings, width
):
    settings.PORTAL_BASE_URL = live_server.url
    survey = survey_unit_set_public(
        unit=personas.unit_a, melayani_publik=True, acting_user=personas.hr_a.user
    )
    # The URL encoded in the poster's QR code is the survey's own URL.
    qr_url = survey_url(survey)
    assert qr_url == live_server.url + reverse("survey_form", args=[survey.token])

    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(qr_url)
    expect(page.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Send without answers: each missing element is named.
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("alert")).to_contain_text("Unsur 1 (Persyaratan)")
    # Answer by tapping the labels (the touch targets).
    for answer in ("Sangat sesuai", "Mudah", "Cepat", "Gratis"):
        page.get_by_text(answer, exact=True).first.click()
    for group in range(5, 10):
        page.locator(f"input[name=u{group}][value='3']").check()
    page.get_by_label("Saran dan masukan (tidak wajib)").fill("Pelayanan baik <b>sekali</b>")
    page.get_by_label("Usia").select_option("30-39")
    label_box = page.locator("label.opt").first.bounding_box()
    assert label_box["height"] >= 44  # a touch target
    screenshot(page, f"survey-form-{width}")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Terima kasih")).to_be_visible()
    stored = SurveyResponse.objects.get()
    assert (stored.u1, stored.u2, stored.u3, stored.u4, stored.u9) == (4, 3, 3, 4, 3)
    assert (stored.comment, stored.age_band, stored.unit_id) == (
        "Pelayanan baik <b>sekali</b>",
        "30-39",
        personas.unit_a.pk,
    )
    # Back to the link the same day: the 429 page.
    response = page.goto(qr_url)
    assert response.status == 429
    expect(page.get_by_role("heading", name="Anda sudah mengisi survei hari ini")).to_be_visible()
    context.close()


def test_the_survey_page_fits_320_px_and_passes_axe(live_server, page, personas):
    axe_source()  # skips when `npm ci` has not installed axe-core
    survey = survey_unit_set_public(
        unit=personas.unit_a, melayani_publik=True, acting_user=personas.hr_a.user
    )
    url = live_server.url + reverse("survey_form", args=[survey.token])
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        assert _axe(page) == [], width
    page.get_by_role("button", name="Kirim jawaban").click()  # with its errors shown
    assert page.evaluate(ERRORS_ANNOUNCED)["problems"] == []
    assert page.evaluate("document.activeElement.dataset.errorSummary") is not None
    assert _axe(page) == []
    page.goto(url + "?selesai=1")  # the thank-you page
    expect(page.get_by_role("heading", name="Terima kasih")).to_be_visible()
    assert _axe(page) == []
