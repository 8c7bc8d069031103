"""A peer gives feedback in the browser: finds the form from the home page, saves a draft,
comes back to it, submits it, and finds it locked; the answers are anonymous rows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from appraisals.models import AuditEntry
from feedback import peers
from feedback.models import PeerAnswer, PeerAssignment
from indicators.models import BehaviourValue

from .appraisal_fixtures import (
    appraisal_of,
    future_deadlines,
    make_cycle,
    make_indicator_set,
    user_of,
)
from .browser import ensure_berakhlak, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_peer_saves_a_draft_then_submits_and_the_form_locks(personas, live_server, page):
    ensure_berakhlak()
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="nasional", deadlines=future_deadlines())
    appraisal = appraisal_of(cycle, personas.pegawai)
    ids = [p.pk for p in personas.peers]
    peers.peer_nominate(
        acting_user=user_of(personas.pegawai), appraisal=appraisal, peer_ids=ids, submit=True
    )
    peers.peer_nomination_approve(
        acting_user=user_of(personas.kasi), appraisal=appraisal, peer_ids=ids
    )
    peer = personas.peers[0]
    values = list(BehaviourValue.objects.order_by("order"))

    login(page, live_server.url, peer)
    page.get_by_role("link", name="Isi umpan balik untuk rekan kerja").first.click()
    page.get_by_role("link", name=personas.pegawai.name).click()
    expect(page.get_by_role("heading", name="Formulir umpan balik rekan")).to_be_visible()
    # The guidelines of each value are shown next to its levels.
    expect(page.get_by_text(values[0].guidelines[0])).to_be_visible()

    first = page.get_by_role("group", name=values[0].name)
    first.get_by_label("4 Baik").check()
    first.get_by_label("Komentar (tanpa nama)").fill("Draf komentar pertama")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf umpan balik disimpan.")).to_be_visible()
    assert PeerAnswer.objects.count() == 0
    page.reload()
    expect(page.get_by_role("group", name=values[0].name).get_by_label("4 Baik")).to_be_checked()

    # Submitting with values left unrated is refused, and what was chosen stays chosen.
    page.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.get_by_text("Beri level untuk setiap nilai")).to_be_visible()
    for value in values:
        page.get_by_role("group", name=value.name).get_by_label("5 Sangat Baik").check()
    page.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.get_by_text("Umpan balik dikirim. Terima kasih.")).to_be_visible()

    assignment = PeerAssignment.objects.get(appraisal=appraisal, peer=peer)
    assert assignment.is_submitted and assignment.draft == {}
    assert sorted(PeerAnswer.objects.values_list("level", flat=True)) == [5] * len(values)
    assert AuditEntry.objects.filter(action="peer_form_completed", actor=None).count() == 1

    page.goto(f"{live_server.url}/umpan-balik-rekan/formulir/{assignment.pk}/")
    expect(page.get_by_test_id("peer-form-locked")).to_be_visible()
    expect(page.get_by_role("button", name="Kirim umpan balik")).to_have_count(0)
    expect(page.get_by_text("Draf komentar pertama")).to_have_count(0)
    screenshot(page, "peer_form_locked")
