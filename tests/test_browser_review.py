"""In a real browser: a Verifikator rejects a realisation, the employee corrects it and sends
it again, the Verifikator verifies it (`rakumpit`); a Tim Penilai member scores an appraisal
from their queue (`kotalama`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from appraisals.models import PlanIndicator, State, TeamScore, Verification

from .appraisal_fixtures import (
    advance,
    appraisal_of,
    future_deadlines,
    make_cycle,
    make_indicator_set,
)
from .browser import ensure_berakhlak, login, nav, open_own_appraisal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _self_assessed(personas, scheme_key):
    ensure_berakhlak()
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key=scheme_key, deadlines=future_deadlines())
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.SELF_ASSESSED)
    return cycle, appraisal


def _i1(appraisal) -> PlanIndicator:
    return PlanIndicator.objects.get(result__appraisal=appraisal, code="I1")


def test_a_rejected_realisation_is_corrected_and_then_verified(live_server, page, personas):
    cycle, appraisal = _self_assessed(personas, "rakumpit")
    base = live_server.url
    row = f"row-{personas.pegawai.nip}-I1"

    # The Verifikator rejects I1 with a reason.
    login(page, base, personas.verif_a)
    nav(page, "Verifikasi").click()
    queue_row = page.get_by_test_id(row)
    queue_row.get_by_text("Tolak atau koreksi").click()
    queue_row.get_by_label("Alasan").fill("Bukti dukung tidak terbaca")
    queue_row.get_by_role("button", name="Tolak", exact=True).click()
    expect(page.get_by_text("Realisasi I1 ditolak.")).to_be_visible()
    assert _i1(appraisal).verification == Verification.REJECTED

    # The employee reads why, corrects the value and sends it again.
    login(page, base, personas.pegawai)
    open_own_appraisal(page, cycle)
    indicator = page.get_by_test_id("indicator-I1")
    expect(indicator.get_by_test_id("rejected-I1")).to_contain_text("Bukti dukung tidak terbaca")
    indicator.get_by_label("Realisasi (dokumen)").fill("95")
    indicator.get_by_role("button", name="Kirim ulang").click()
    expect(page.get_by_test_id("verification-I1")).to_contain_text("Menunggu verifikasi")
    assert (_i1(appraisal).realisation, _i1(appraisal).verification) == (95, "pending")

    # Back in the queue, the Verifikator verifies it.
    login(page, base, personas.verif_a)
    nav(page, "Verifikasi").click()
    expect(page.get_by_test_id(row)).to_contain_text("95")
    page.get_by_test_id(row).get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_text("Realisasi I1 diverifikasi.")).to_be_visible()
    expect(page.get_by_test_id(row)).to_have_count(0)
    assert _i1(appraisal).verified


def test_a_tim_penilai_member_scores_from_the_queue(live_server, page, personas):
    cycle, appraisal = _self_assessed(personas, "kotalama")
    base = live_server.url
    login(page, base, personas.team_a)
    nav(page, "Tim Penilai").click()
    row = page.get_by_test_id(f"team-row-{personas.pegawai.nip}")
    row.get_by_label("Level").select_option("4")
    row.get_by_label("Komentar").fill("Responsif terhadap pengaduan warga")
    row.get_by_role("button", name="Simpan").click()
    expect(
        page.get_by_text(f"Nilai Tim Penilai untuk {personas.pegawai.full_name} disimpan.")
    ).to_be_visible()
    score = TeamScore.objects.get(appraisal=appraisal)
    assert (score.level, score.member_id) == (4, personas.team_a.user.pk)
    # The atasan sees it on the appraisal page.
    login(page, base, personas.kasi)
    page.goto(f"{base}/penilaian/{appraisal.pk}/")
    expect(page.get_by_test_id("team-scores")).to_contain_text("Responsif terhadap pengaduan warga")


def test_the_completion_date_saves_itself_like_the_other_fields(live_server, page, personas):
    import datetime as dt

    from .browser import save_partially

    ensure_berakhlak()
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="kotalama", deadlines=future_deadlines())
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.TARGETS_APPROVED)
    login(page, live_server.url, personas.pegawai)
    open_own_appraisal(page, cycle)
    indicator = page.get_by_test_id("indicator-I1")
    indicator.get_by_label("Tanggal selesai").fill("2026-06-15")
    save_partially(page, "I1")
    assert _i1(appraisal).completed_on == dt.date(2026, 6, 15)
    page.reload()
    expect(page.get_by_test_id("indicator-I1").get_by_label("Tanggal selesai")).to_have_value(
        "2026-06-15"
    )
