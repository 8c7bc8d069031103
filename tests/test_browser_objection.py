"""In a real browser: an objection filed by the employee and accepted by the atasan pejabat
penilai with a level change; a finalisation whose distribution does not fit the pattern shows
the chart and asks for a written justification before it goes through."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from appraisals import services
from appraisals.models import Appraisal, AuditEntry, State
from indicators.scoring import OrganisationPredikat, check_distribution

from .appraisal_fixtures import (
    advance,
    appraisal_of,
    force_scored,
    fresh,
    future_deadlines,
    indicators_of,
    make_cycle,
    make_indicator_set,
    run_jobs,
    set_organisation_predikat,
)
from .browser import ensure_berakhlak, login, nav, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def released_appraisal(personas):
    ensure_berakhlak()
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, deadlines=future_deadlines())
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.RELEASED, hr=personas.hr_a)
    return cycle, appraisal


def test_an_objection_is_filed_accepted_with_a_level_change_and_seen(live_server, page, personas):
    base = live_server.url
    cycle, appraisal = released_appraisal(personas)
    before = fresh(appraisal).final_value

    login(page, base, personas.pegawai)
    page.goto(f"{base}/penilaian/{appraisal.pk}/")
    form = page.locator("form", has=page.get_by_role("button", name="Ajukan keberatan"))
    form.get_by_label("Alasan keberatan").fill("Mutu layanan saya dinilai terlalu rendah.")
    form.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.get_by_text("Keberatan diajukan kepada atasan pejabat penilai.")).to_be_visible()
    expect(page.get_by_text("Menunggu keputusan atasan pejabat penilai.")).to_be_visible()

    login(page, base, personas.kepala)
    nav(page, "Keberatan").click()
    page.get_by_test_id("objection-queue").get_by_role("link", name="Putuskan").click()
    decision = page.get_by_test_id("objection-decision")
    decision.get_by_label("Terima keberatan").check()
    decision.get_by_label("Alasan keputusan (wajib)").fill("Bukti layanan triwulan IV lengkap.")
    i2 = indicators_of(appraisal)["I2"]
    decision.locator(f"#id_level_{i2.pk}").select_option("5")
    screenshot(page, "objection-01-decision")
    decision.get_by_role("button", name="Simpan keputusan (final)").click()
    expect(page.get_by_test_id("objection-state")).to_have_text("Diterima")
    expect(page.get_by_test_id("objection-decision")).to_have_count(0)  # final: no form again

    after = fresh(appraisal)
    assert indicators_of(after)["I2"].level == 5 and after.final_value > before
    assert after.state == State.RELEASED

    login(page, base, personas.pegawai)
    page.goto(f"{base}/penilaian/{appraisal.pk}/")
    outcome = page.get_by_test_id("objection-outcome")
    expect(outcome).to_contain_text("Diterima")
    expect(outcome).to_contain_text("Bukti layanan triwulan IV lengkap.")
    expect(page.get_by_test_id("audit")).to_contain_text("Keberatan diterima")
    screenshot(page, "objection-02-outcome")


def test_a_finalisation_off_pattern_shows_the_chart_and_needs_a_justification(
    live_server, page, personas
):
    base = live_server.url
    ensure_berakhlak()
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, deadlines=future_deadlines())
    appraisals = Appraisal.objects.filter(cycle=cycle, agency=personas.agency_a)
    force_scored(appraisals)
    for appraisal in appraisals:  # what finalising will compute, stored for the chart
        services.appraisal_recompute(
            appraisal=Appraisal.objects.with_related().get(pk=appraisal.pk)
        )
    counts: dict[str, int] = {}
    for predikat in appraisals.values_list("predikat", flat=True):
        counts[predikat] = counts.get(predikat, 0) + 1
    off = next(p for p in OrganisationPredikat if check_distribution(p, counts).needs_justification)
    set_organisation_predikat(cycle, personas.agency_a, off.value)
    n = appraisals.count()

    login(page, base, personas.hr_a)
    nav(page, "Siklus penilaian").click()
    page.get_by_role("link", name=cycle.name).click()
    card = page.get_by_test_id(f"agency-progress-{personas.agency_a.pk}")
    expect(card.get_by_test_id("distribution-chart")).to_be_visible()
    expect(card.get_by_test_id("distribution-table")).to_contain_text(str(n))
    card.get_by_role("link", name="Finalkan").click()
    expect(page.get_by_test_id("distribution-chart")).to_be_visible()
    expect(page.get_by_test_id("distribution-warning")).to_contain_text("perlu justifikasi")
    screenshot(page, "finalise-01-distribution")
    confirm = page.get_by_role("button", name=f"Ya, finalkan {n} penilaian")
    confirm.click()  # refused without the justification, and said why
    expect(page.get_by_test_id("error-summary")).to_contain_text("Tuliskan justifikasinya")
    assert not appraisals.filter(state=State.FINALISED).exists()
    page.get_by_label("Justifikasi tertulis (wajib: distribusi predikat tidak sesuai pola)").fill(
        "Unit baru dibentuk; pola belum dapat dipenuhi tahun ini."
    )
    confirm.click()
    expect(page.get_by_text("Finalisasi Dinas Alfa berjalan di latar belakang")).to_be_visible()
    run_jobs()  # as the worker would; the cycle page polls the job until its outcome shows
    expect(page.get_by_text(f"{n} penilaian Dinas Alfa difinalkan.")).to_be_visible()
    page.get_by_role("link", name="Muat ulang halaman siklus").click()
    expect(
        page.get_by_text("Unit baru dibentuk; pola belum dapat dipenuhi tahun ini.")
    ).to_be_visible()
    assert appraisals.filter(state=State.FINALISED).count() == n
    assert AuditEntry.objects.get(cycle=cycle, action="distribution").reason.startswith("Unit baru")
