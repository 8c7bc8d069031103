"""Journey in a real browser, numeric preset `tebingtinggi` (kehadiran 20, disiplin 20,
kualitas kerja 40, kontribusi tim 20).

The employee plans, the kasi returns the plan with a comment, the employee fixes and
resubmits, the kasi approves from the team queue; the employee self-assesses (htmx partial
saves, an Indonesian decimal comma, an evidence PDF), the kasi rates and finishes, HR
finalises and releases Dinas Alfa, and the employee reads a final value, component values
and predikat that match the hand calculation below.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from appraisals.models import Evidence, PlanIndicator, State
from indicators.models import AttendanceRecord, BehaviourValue

from .appraisal_fixtures import (
    advance,
    appraisal_of,
    force_scored,
    fresh,
    future_deadlines,
    make_cycle,
    make_indicator_set,
    run_jobs,
)
from .browser import (
    expect_state,
    login,
    nav,
    open_own_appraisal,
    open_subordinate_appraisal,
    save_partially,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Levels the kasi gives the seven BerAKHLAK values, in their order: four 4s, three 5s.
BEHAVIOUR_LEVELS = [4, 4, 4, 4, 5, 5, 5]


def setup_cycle(personas):
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="tebingtinggi", deadlines=future_deadlines())
    # The monthly attendance import for the employee: 40 working days, 39 present, 2 late.
    for month, present in ((10, 20), (11, 19)):
        AttendanceRecord.objects.create(
            employee=personas.pegawai, period=dt.date(2026, month, 1), working_days=20,
            present_days=present, late=1, early_leave=0,
        )  # fmt: skip
    return cycle, appraisal_of(cycle, personas.pegawai)


def test_tebingtinggi_journey_from_plan_to_released_final_value(
    live_server, page, personas, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "private"
    cycle, appraisal = setup_cycle(personas)
    base = live_server.url
    pegawai, kasi, hr = personas.pegawai, personas.kasi, personas.hr_a

    # --- The employee raises I1's target and submits the plan.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect_state(page, "draft")
    page.get_by_test_id("indicator-I1").get_by_label("Target", exact=True).fill("110")
    page.get_by_role("button", name="Ajukan rencana ke atasan").click()
    expect_state(page, "targets_submitted")

    # --- The kasi returns it with a comment.
    login(page, base, kasi)
    open_subordinate_appraisal(page, pegawai)
    page.get_by_label("Alasan pengembalian").fill("Target I1 naikkan menjadi 120 dokumen.")
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect_state(page, "draft")

    # --- The employee reads the comment, fixes the target and resubmits.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect(page.locator(".alert-warning").first).to_contain_text(
        "Catatan atasan: Target I1 naikkan menjadi 120 dokumen."
    )
    page.get_by_test_id("indicator-I1").get_by_label("Target", exact=True).fill("120")
    page.get_by_role("button", name="Simpan rencana").click()
    expect(page.get_by_text("Rencana disimpan.")).to_be_visible()
    expect(page.get_by_test_id("indicator-I1")).to_contain_text("Target 120 dokumen")
    page.get_by_role("button", name="Ajukan rencana ke atasan").click()
    expect_state(page, "targets_submitted")

    # --- The kasi approves from the team queue (the bulk form, with one plan ticked).
    login(page, base, kasi)
    nav(page, "Antrian tim").click()
    expect(page.get_by_test_id("waiting-plans")).to_have_text("1")
    page.get_by_label(f"Setujui {pegawai.full_name}").check()
    page.get_by_role("button", name="Setujui rencana yang dipilih").click()
    expect(page.get_by_text("1 rencana disetujui.")).to_be_visible()
    expect(page.get_by_test_id("waiting-plans")).to_have_text("0")

    # --- The employee self-assesses: partial saves (one with a decimal comma), evidence.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect_state(page, "targets_approved")
    page.get_by_test_id("indicator-I1").get_by_label("Realisasi").fill("126")
    save_partially(page, "I1")
    page.get_by_test_id("indicator-I3").get_by_label("Realisasi").fill("4,5")
    page.get_by_test_id("indicator-I3").get_by_label("Keterangan").fill("Rata-rata Jan-Nov")
    save_partially(page, "I3")
    screenshot(page, "tebingtinggi-01-self-assessment")
    pdf = tmp_path / "rekap-waktu-layanan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    i3 = page.get_by_test_id("indicator-I3")
    i3.get_by_label("Bukti dukung").set_input_files(pdf)
    i3.get_by_role("button", name="Unggah").click()
    expect(page.get_by_text("Bukti dukung diunggah.")).to_be_visible()
    expect(
        page.get_by_test_id("indicator-I3").get_by_role("link", name=pdf.name, exact=True)
    ).to_be_visible()
    # What was saved partially is still there after the page reloaded.
    expect(page.get_by_test_id("indicator-I1").get_by_label("Realisasi")).to_have_value("126")
    # floatformat:"-4" pads a fraction to four places; either form reads 4.5 in Indonesian.
    expect(page.get_by_test_id("indicator-I3").get_by_label("Realisasi")).to_have_value(
        re.compile(r"^4,5(000)?$")
    )
    page.get_by_role("button", name="Kirim penilaian diri").click()
    expect_state(page, "self_assessed")

    # --- The kasi gives the rubric level and the seven values, and finishes in one go.
    login(page, base, kasi)
    open_subordinate_appraisal(page, pegawai)
    expect(page.get_by_test_id("realisation-I3")).to_have_text(re.compile(r"^4,5(000)?$"))
    form = page.get_by_test_id("scoring-form")
    form.get_by_label("I2 · Mutu layanan").select_option("5")
    for value, level in zip(
        BehaviourValue.objects.order_by("order"), BEHAVIOUR_LEVELS, strict=True
    ):
        form.get_by_label(value.name, exact=True).select_option(str(level))
    screenshot(page, "tebingtinggi-02-supervisor-scoring")
    form.get_by_role("button", name="Simpan dan selesaikan penilaian").click()
    expect(page.get_by_text("Penilaian selesai.")).to_be_visible()
    expect_state(page, "scored")

    # --- HR finalises and releases Dinas Alfa (the other eight taken to "scored" directly).
    force_scored(cycle.appraisals.exclude(pk=appraisal.pk))
    login(page, base, hr)
    nav(page, "Siklus penilaian").click()
    page.get_by_role("link", name=cycle.name).click()
    page.get_by_test_id(f"agency-progress-{personas.agency_a.pk}").get_by_role(
        "link", name="Finalkan"
    ).click()
    page.get_by_role("button", name="Ya, finalkan 9 penilaian").click()
    # Finalising runs as a background job; the cycle page polls it until its outcome shows.
    expect(page.get_by_text("Finalisasi Dinas Alfa berjalan di latar belakang")).to_be_visible()
    run_jobs()  # as the worker would
    expect(page.get_by_text("9 penilaian Dinas Alfa difinalkan.")).to_be_visible()
    page.get_by_test_id(f"agency-progress-{personas.agency_a.pk}").get_by_role(
        "link", name="Rilis hasil"
    ).click()
    page.get_by_role("button", name="Ya, rilis 9 hasil").click()
    expect(page.get_by_text("Rilis hasil Dinas Alfa berjalan di latar belakang")).to_be_visible()
    run_jobs()
    expect(page.get_by_text("9 hasil penilaian Dinas Alfa dirilis kepada pegawai.")).to_be_visible()

    # --- The employee sees the final value, the components and the predikat.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect_state(page, "released")
    # Hand calculation (tebingtinggi; levels 1..5 = 45, 60, 80, 100, 115; data scores
    # enter as score × 1.15):
    #   Kehadiran: 100 × 39/40 = 97.5, less 0.5 × 2 late = 96.5; × 1.15 = 110.975 -> 110.98
    #   Disiplin: no sanction, 100; × 1.15 = 115.00
    #   Kualitas kerja: I1 126/120 = 1.05 -> 105; I2 level 5 -> 115;
    #     I3 lower is better, (2*5 - 4.5)/5 = 1.1 -> 110
    #     (105*60 + 115*20 + 110*20)/100 = 108.00
    #   Kontribusi tim: no peer answered (< 3), the kasi's levels alone:
    #     (4*100 + 3*115)/7 = 745/7 = 106.428571... -> 106.43
    #   Final = (110.975*20 + 115*20 + 108*40 + 106.428571...*20)/100
    #         = (2219.5 + 2300 + 4320 + 2128.571428...)/100 = 109.680714... -> 109.68
    #   109.68 is >= 90 and < 110 -> Baik
    expect(page.get_by_test_id("final-value")).to_have_text("109,68")
    expect(page.get_by_test_id("predikat")).to_have_attribute("data-code", "baik")
    expect(page.get_by_test_id("predikat")).to_have_text("Baik")
    expect(page.get_by_test_id("component-kehadiran")).to_have_text("110,98")
    expect(page.get_by_test_id("component-disiplin")).to_have_text("115,00")
    expect(page.get_by_test_id("component-kualitas_kerja")).to_have_text("108,00")
    expect(page.get_by_test_id("component-kontribusi_tim")).to_have_text("106,43")
    expect(page.get_by_test_id("hasil-kerja")).to_have_count(0)  # matrix mode only
    expect(page.get_by_test_id("breakdown-notes")).to_contain_text(
        "jawaban rekan kerja kurang dari 3"
    )
    screenshot(page, "tebingtinggi-03-released-result")

    stored = fresh(appraisal)
    assert stored.final_value == Decimal("109.68")
    assert stored.predikat == "baik"
    assert Evidence.objects.filter(indicator__result__appraisal=appraisal).count() == 1
    i3_row = PlanIndicator.objects.get(result__appraisal=appraisal, code="I3")
    assert i3_row.realisation == Decimal("4.5")


def test_phone_sized_supervisor_scoring_page_is_usable(live_server, browser, personas):
    """390×844: the kasi's scoring form has no horizontal scroll and saves."""
    cycle, appraisal = setup_cycle(personas)
    advance(appraisal, State.SELF_ASSESSED)

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, personas.kasi)
    page.goto(f"{live_server.url}/penilaian/{appraisal.pk}/")
    expect_state(page, "self_assessed")
    form = page.get_by_test_id("scoring-form")
    form.get_by_label("I2 · Mutu layanan").select_option("4")
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert fits, f"horizontal scroll on a phone: scrollWidth, innerWidth = {widths}"
    form.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_text("Nilai disimpan.")).to_be_visible()
    expect(page.get_by_test_id("scoring-form").get_by_label("I2 · Mutu layanan")).to_have_value("4")
    screenshot(page, "tebingtinggi-phone-scoring")
    context.close()
