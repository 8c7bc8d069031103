"""Journey in a real browser, national matrix scheme (`nasional`, PermenPANRB 6/2022).

The employee plans (cascading to the kasi's results), the kasi returns the plan with a
comment, the employee fixes and resubmits, the kasi approves; the employee self-assesses
(htmx partial saves, an evidence PDF), the kasi rates and overrides the Hasil Kerja
rating with a reason, HR finalises and releases Dinas Alfa, and the employee reads a
predikat that matches the hand calculation below.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from appraisals import services
from appraisals.models import Evidence, PlanIndicator, PlanResult
from indicators.models import BehaviourValue

from .appraisal_fixtures import (
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

SUPERVISOR_RESULTS = {
    # The kasi's own plan in the same cycle: what the employee's results cascade from.
    "R1": "Seluruh permohonan dokumen Seksi Layanan selesai diproses",
    "R2": "Waktu layanan Seksi Layanan dipersingkat",
}
# Levels the kasi gives the seven BerAKHLAK values, in their order: five 5s, two 4s.
BEHAVIOUR_LEVELS = [5, 5, 5, 5, 5, 4, 4]


def setup_cycle(personas):
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="nasional", deadlines=future_deadlines())
    kasi_appraisal = appraisal_of(cycle, personas.kasi)
    services.plan_ensure(kasi_appraisal)  # the kasi shares the position's indicator set
    for result in PlanResult.objects.filter(appraisal=kasi_appraisal):
        result.name = SUPERVISOR_RESULTS[result.code]
        result.save(update_fields=["name"])
    return cycle, appraisal_of(cycle, personas.pegawai)


def test_nasional_journey_from_plan_to_released_predikat(
    live_server, page, personas, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "private"
    cycle, appraisal = setup_cycle(personas)
    base = live_server.url
    pegawai, kasi, hr = personas.pegawai, personas.kasi, personas.hr_a

    # --- The employee plans: cascade each result to the kasi's, raise I1's target, submit.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect_state(page, "draft")
    expect(page.get_by_test_id("plan-problems")).to_contain_text(
        "2 hasil kerja belum menyebut hasil kerja atasan yang didukungnya"
    )
    for code, supervisor_result in SUPERVISOR_RESULTS.items():
        page.get_by_test_id(f"result-{code}").get_by_label(
            "Hasil kerja atasan yang didukung"
        ).select_option(label=supervisor_result)
    page.get_by_test_id("indicator-I1").get_by_label("Target", exact=True).fill("110")
    screenshot(page, "nasional-01-plan-draft")
    page.get_by_role("button", name="Ajukan rencana ke atasan").click()
    expect_state(page, "targets_submitted")
    expect(page.get_by_test_id("indicator-I1")).to_contain_text("Target 110 dokumen")

    # --- The kasi returns the plan with a comment.
    login(page, base, kasi)
    open_subordinate_appraisal(page, pegawai)
    expect_state(page, "targets_submitted")
    page.get_by_label("Alasan pengembalian").fill(
        "Target I1 terlalu rendah: naikkan menjadi 120 dokumen."
    )
    page.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    expect_state(page, "draft")

    # --- The employee reads the comment, fixes the target and resubmits.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect(page.get_by_text("Catatan atasan:")).to_be_visible()
    expect(page.locator(".alert-warning").first).to_contain_text("naikkan menjadi 120 dokumen")
    target = page.get_by_test_id("indicator-I1").get_by_label("Target", exact=True)
    expect(target).to_have_value("110")
    target.fill("120")
    screenshot(page, "nasional-02-plan-returned")
    page.get_by_role("button", name="Ajukan rencana ke atasan").click()
    expect_state(page, "targets_submitted")

    # --- The kasi approves.
    login(page, base, kasi)
    open_subordinate_appraisal(page, pegawai)
    expect(page.get_by_test_id("result-R1")).to_contain_text(SUPERVISOR_RESULTS["R1"])
    page.get_by_role("button", name="Setujui rencana").click()
    expect_state(page, "targets_approved")

    # --- The employee self-assesses: evidence, partial saves, then sends it.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect_state(page, "targets_approved")
    pdf = tmp_path / "laporan-capaian.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    i1 = page.get_by_test_id("indicator-I1")
    i1.get_by_label("Bukti dukung").set_input_files(pdf)
    i1.get_by_role("button", name="Unggah").click()
    expect(
        page.get_by_test_id("indicator-I1").get_by_role("link", name=pdf.name, exact=True)
    ).to_be_visible()

    page.get_by_test_id("indicator-I1").get_by_label("Realisasi").fill("126")
    save_partially(page, "I1")
    page.get_by_test_id("indicator-I3").get_by_label("Realisasi").fill("4")
    save_partially(page, "I3")
    page.get_by_test_id("indicator-I2").get_by_label("Level menurut saya").select_option("4")
    expect(page.get_by_test_id("indicator-I2").locator("[data-save-status]")).to_have_text(
        "Tersimpan"
    )
    screenshot(page, "nasional-03-self-assessment")
    page.get_by_label("Komentar untuk atasan").fill("Bukti dukung terlampir pada I1.")
    page.get_by_role("button", name="Kirim penilaian diri").click()
    expect_state(page, "self_assessed")
    expect(page.get_by_test_id("realisation-I1")).to_have_text("126")
    expect(page.get_by_test_id("results-hidden")).to_be_visible()

    # --- The kasi rates the rubric indicator and the seven values, saves, reads the
    # recommendation, overrides Hasil Kerja with a reason and finishes.
    login(page, base, kasi)
    open_subordinate_appraisal(page, pegawai)
    expect_state(page, "self_assessed")
    expect(
        page.get_by_test_id("indicator-I1").get_by_role("link", name=pdf.name, exact=True)
    ).to_be_visible()
    expect(page.get_by_test_id("employee-comment")).to_contain_text("Bukti dukung terlampir")
    form = page.get_by_test_id("scoring-form")
    form.get_by_label("I2 · Mutu layanan").select_option("4")
    for value, level in zip(
        BehaviourValue.objects.order_by("order"), BEHAVIOUR_LEVELS, strict=True
    ):
        form.get_by_label(value.name, exact=True).select_option(str(level))
    form.get_by_label("Umpan balik berkelanjutan").first.fill(
        "Pertahankan kecepatan; dokumentasikan kendala."
    )
    form.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_text("Nilai disimpan.")).to_be_visible()
    expect(page.get_by_test_id("recommended-hasil-kerja")).to_have_text("Sesuai Ekspektasi")
    expect(page.get_by_test_id("recommended-perilaku")).to_have_text("Di Atas Ekspektasi")
    form = page.get_by_test_id("scoring-form")
    form.get_by_label("Hasil Kerja", exact=True).select_option(label="Di Atas Ekspektasi")
    form.get_by_label("Alasan (wajib bila rating rekomendasi diubah)").fill(
        "Menyelesaikan layanan keliling di luar target rencana."
    )
    screenshot(page, "nasional-04-supervisor-scoring")
    form.get_by_role("button", name="Simpan dan selesaikan penilaian").click()
    expect_state(page, "scored")

    # --- HR finalises and releases Dinas Alfa from the cycle page. The agency's other
    # eight appraisals are taken to "scored" directly: their journeys are not this test's.
    force_scored(cycle.appraisals.exclude(pk=appraisal.pk))
    # Finalising checks every level again: the shortcut gives the levels "scored" implies.
    from appraisals.models import BehaviourScore

    others = cycle.appraisals.exclude(pk=appraisal.pk)
    PlanIndicator.objects.filter(result__appraisal__in=others, kind="rubrik").update(level=3)
    BehaviourScore.objects.filter(appraisal__in=others).update(level=3)
    login(page, base, hr)
    nav(page, "Siklus penilaian").click()
    page.get_by_role("link", name=cycle.name).click()
    agency = page.get_by_test_id(f"agency-progress-{personas.agency_a.pk}")
    agency.get_by_role("link", name="Finalkan").click()
    expect(page.get_by_test_id("confirm-lead")).to_contain_text(
        "9 penilaian berstatus Dinilai atasan akan difinalkan"
    )
    screenshot(page, "nasional-05a-confirm-finalise")
    page.get_by_role("button", name="Ya, finalkan 9 penilaian").click()
    # Finalising runs as a background job; the cycle page polls it until its outcome shows.
    expect(page.get_by_text("Finalisasi Dinas Alfa berjalan di latar belakang")).to_be_visible()
    run_jobs()  # as the worker would
    expect(page.get_by_text("9 penilaian Dinas Alfa difinalkan.")).to_be_visible()
    agency = page.get_by_test_id(f"agency-progress-{personas.agency_a.pk}")
    agency.get_by_role("link", name="Rilis hasil").click()
    page.get_by_role("button", name="Ya, rilis 9 hasil").click()
    expect(page.get_by_text("Rilis hasil Dinas Alfa berjalan di latar belakang")).to_be_visible()
    run_jobs()
    expect(page.get_by_text("9 hasil penilaian Dinas Alfa dirilis kepada pegawai.")).to_be_visible()
    screenshot(page, "nasional-05-cycle-released")

    # --- The employee sees the predikat and its breakdown.
    login(page, base, pegawai)
    open_own_appraisal(page, cycle)
    expect_state(page, "released")
    # Hand calculation (nasional, matrix mode; levels 1..5 = 45, 60, 80, 100, 115):
    #   I1 target 120 (after the return), realisation 126: 126/120 = 1.05 -> 105
    #   I2 rubric, level 4 -> 100
    #   I3 lower is better, target 5, realisation 4: (2*5 - 4)/5 = 1.2 -> 120 (the cap)
    #   R1 (utama, weight 60+20 = 80): (105*60 + 100*20)/80 = 103.75 -> Sesuai (90 <= v < 110)
    #   R2 (tambahan, weight 20): 120 -> Di Atas
    #   Hasil Kerja value = (105*60 + 100*20 + 120*20)/100 = 107.00; results above hold
    #     20 of 100 (not more than half), none below -> recommended Sesuai Ekspektasi;
    #     the kasi overrides it to Di Atas Ekspektasi with a reason.
    #   Perilaku: no peer answered (< 3), so each value is the kasi's alone:
    #     (5*115 + 2*100)/7 = 775/7 = 110.714... -> 110.71 >= 110 -> Di Atas Ekspektasi
    #   Matrix (Di Atas, Di Atas) -> Sangat Baik; matrix mode has no numeric final value.
    expect(page.get_by_test_id("hasil-kerja")).to_have_text("107,00 · Di Atas Ekspektasi")
    expect(page.get_by_test_id("perilaku")).to_have_text("110,71 · Di Atas Ekspektasi")
    expect(page.get_by_test_id("predikat")).to_have_attribute("data-code", "sangat_baik")
    expect(page.get_by_test_id("predikat")).to_have_text("Sangat Baik")
    expect(page.get_by_test_id("final-value")).to_have_count(0)
    expect(page.get_by_test_id("breakdown-notes")).to_contain_text(
        "Menyelesaikan layanan keliling di luar target rencana."
    )
    expect(page.get_by_test_id("result-R1")).to_contain_text("Pertahankan kecepatan")
    screenshot(page, "nasional-06-released-result")

    stored = fresh(appraisal)
    assert (stored.hasil_kerja_value, stored.perilaku_value) == (Decimal("107"), Decimal("110.71"))
    assert (stored.hasil_kerja_rating, stored.perilaku_rating) == ("di_atas", "di_atas")
    assert stored.predikat == "sangat_baik"
    assert Evidence.objects.filter(indicator__result__appraisal=appraisal).count() == 1
    i1_row = PlanIndicator.objects.get(result__appraisal=appraisal, code="I1")
    assert (i1_row.target, i1_row.realisation) == (120, 126)


def test_phone_sized_self_assessment_page_is_usable(live_server, browser, personas):
    """390×844: no horizontal scroll on the appraisal page, and a partial save still works."""
    cycle, appraisal = setup_cycle(personas)
    services.plan_ensure(appraisal)
    supervisor_results = {
        r.code: r.pk for r in PlanResult.objects.filter(appraisal__employee=personas.kasi)
    }
    services.plan_update(
        acting_user=personas.pegawai.user, appraisal=appraisal, version=fresh(appraisal).version,
        indicators={},
        supports={r.pk: supervisor_results[r.code] for r in appraisal.results.all()},
    )  # fmt: skip
    services.appraisal_submit_targets(
        acting_user=personas.pegawai.user,
        appraisal=appraisal,
        version=fresh(appraisal).version,
    )
    services.appraisal_approve_targets(
        acting_user=personas.kasi.user,
        appraisal=appraisal,
        version=fresh(appraisal).version,
    )

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    login(page, live_server.url, personas.pegawai)
    page.goto(f"{live_server.url}/penilaian/{appraisal.pk}/")
    expect_state(page, "targets_approved")
    realisation = page.get_by_test_id("indicator-I1").get_by_label("Realisasi")
    realisation.fill("95")
    save_partially(page, "I1")
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert fits, f"horizontal scroll on a phone: scrollWidth, innerWidth = {widths}"
    expect(page.get_by_role("button", name="Kirim penilaian diri")).to_be_visible()
    screenshot(page, "nasional-phone-self-assessment")
    context.close()
