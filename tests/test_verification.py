"""Verification of realisations in `rakumpit` (docs/cycle.md, docs/roles.md): the agency's
Verifikator verifies, rejects (with a reason) or corrects (with a reason) each realisation;
a rejected one goes back to the employee until the supervisor-scoring deadline; an
unverified one counts 0 at that deadline. Nobody verifies their own realisations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, State, Verification

from .appraisal_fixtures import (
    AFTER_SCORING,
    BEFORE_PLANNING,
    advance,
    appraisal_of,
    fresh,
    indicators_of,
    make_cycle,
    make_indicator_set,
    user_of,
)
from .evidence_files import sample


def _rows(appraisal) -> dict[str, dict]:
    """The breakdown's indicators by code."""
    return {
        i["code"]: i
        for c in fresh(appraisal).breakdown["components"]
        for r in c.get("results") or ()
        for i in r["indicators"]
    }


@pytest.fixture
def rakumpit(personas, time_machine, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="rakumpit")
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.SELF_ASSESSED)
    return personas, cycle, appraisal


def _i1(appraisal):
    return indicators_of(appraisal)["I1"]


def test_a_verified_realisation_counts_and_the_change_is_audited(rakumpit):
    personas, cycle, appraisal = rakumpit
    services.realisation_verify(acting_user=user_of(personas.verif_a), indicator=_i1(appraisal))
    i1 = _i1(appraisal)
    assert i1.verification == Verification.VERIFIED and i1.verified
    assert AuditEntry.objects.filter(appraisal=appraisal, action="realisation_verify").exists()
    row = _rows(appraisal)["I1"]
    assert row["verified"] and not row.get("pending")


def test_the_verifikator_never_verifies_their_own_realisation(rakumpit):
    personas, cycle, _ = rakumpit
    own = advance(appraisal_of(cycle, personas.verif_a), State.SELF_ASSESSED)
    with pytest.raises(PermissionDenied, match="memverifikasi realisasinya sendiri"):
        services.realisation_verify(acting_user=user_of(personas.verif_a), indicator=_i1(own))
    assert not _i1(own).verified


@pytest.mark.parametrize("who", ["kasi", "hr_a", "pegawai"])
def test_only_the_verifikator_verifies(rakumpit, who):
    personas, cycle, appraisal = rakumpit
    with pytest.raises(PermissionDenied):
        services.realisation_verify(
            acting_user=user_of(personas.user(who)), indicator=_i1(appraisal)
        )


def test_a_rejection_needs_a_reason(rakumpit):
    personas, cycle, appraisal = rakumpit
    with pytest.raises(ValidationError, match="alasan penolakan"):
        services.realisation_reject(
            acting_user=user_of(personas.verif_a), indicator=_i1(appraisal), reason="  "
        )
    assert _i1(appraisal).verification == Verification.PENDING


def test_rejected_then_corrected_by_the_employee_then_verified(rakumpit):
    personas, cycle, appraisal = rakumpit
    verif, owner = user_of(personas.verif_a), user_of(personas.pegawai)
    services.realisation_reject(acting_user=verif, indicator=_i1(appraisal), reason="Bukti kurang")
    assert _i1(appraisal).verification == Verification.REJECTED
    # After the self-assessment was sent, only the rejected realisation may still change.
    i3 = indicators_of(appraisal)["I3"]
    with pytest.raises(ValidationError, match="mengisi realisasi"):
        services.appraisal_save_realisation(
            acting_user=owner, appraisal=fresh(appraisal), version=fresh(appraisal).version,
            indicator_id=i3.pk, realisation=Decimal(4),
        )  # fmt: skip
    services.appraisal_save_realisation(
        acting_user=owner, appraisal=fresh(appraisal), version=fresh(appraisal).version,
        indicator_id=_i1(appraisal).pk, realisation=Decimal(95),
    )  # fmt: skip
    i1 = _i1(appraisal)
    assert (i1.realisation, i1.verification, i1.verified) == (95, Verification.PENDING, False)
    services.realisation_verify(acting_user=verif, indicator=i1)
    assert _i1(appraisal).verified
    assert fresh(appraisal).state == State.SELF_ASSESSED


def test_a_rejected_realisation_cannot_be_corrected_after_the_scoring_deadline(
    rakumpit, time_machine
):
    personas, cycle, appraisal = rakumpit
    services.realisation_reject(
        acting_user=user_of(personas.verif_a), indicator=_i1(appraisal), reason="Bukti kurang"
    )
    time_machine.move_to(AFTER_SCORING)
    with pytest.raises(ValidationError, match="mengisi realisasi"):
        services.appraisal_save_realisation(
            acting_user=user_of(personas.pegawai), appraisal=fresh(appraisal),
            version=fresh(appraisal).version, indicator_id=_i1(appraisal).pk,
            realisation=Decimal(95),
        )  # fmt: skip


def test_a_correction_keeps_the_original_in_the_audit_and_on_the_page(rakumpit, client):
    personas, cycle, appraisal = rakumpit
    with pytest.raises(ValidationError, match="alasan"):
        services.realisation_correct(
            acting_user=user_of(personas.verif_a), indicator=_i1(appraisal), value=Decimal(80),
            reason="",
        )  # fmt: skip
    services.realisation_correct(
        acting_user=user_of(personas.verif_a), indicator=_i1(appraisal), value=Decimal(80),
        reason="Dua puluh dokumen belum ditandatangani",
    )  # fmt: skip
    i1 = _i1(appraisal)
    assert (i1.realisation, i1.original_realisation, i1.verified) == (80, 100, True)
    entry = AuditEntry.objects.get(appraisal=appraisal, action="realisation_correct")
    assert entry.before == {"realisasi": "100"} and entry.after == {"realisasi": "80"}
    assert entry.reason == "Dua puluh dokumen belum ditandatangani"
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "Dikoreksi Verifikator dari 100 dokumen" in page
    assert "Dua puluh dokumen belum ditandatangani" in page


def test_an_unverified_realisation_counts_0_at_the_deadline_and_is_flagged(rakumpit, time_machine):
    personas, cycle, appraisal = rakumpit
    services.realisation_verify(
        acting_user=user_of(personas.verif_a), indicator=indicators_of(appraisal)["I3"]
    )
    time_machine.move_to(AFTER_SCORING)
    services.appraisal_recompute(appraisal=fresh(appraisal))
    rows = _rows(appraisal)
    assert rows["I1"]["zeroed"] and Decimal(rows["I1"]["value"]) == 0
    assert not rows["I3"]["zeroed"] and Decimal(rows["I3"]["value"]) > 0


def test_evidence_opens_in_the_browser_for_those_who_see_the_appraisal(
    personas, time_machine, settings, tmp_path, client
):
    settings.MEDIA_ROOT = tmp_path / "private"
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="rakumpit")
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.TARGETS_APPROVED)
    evidence = services.evidence_add(
        acting_user=user_of(personas.pegawai), appraisal=appraisal,
        indicator_id=_i1(appraisal).pk, upload=SimpleUploadedFile("foto.png", sample("foto.png")),
    )  # fmt: skip
    url = reverse("evidence_view", args=[evidence.pk])
    client.force_login(personas.verif_a.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="foto.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(personas.outsider.user)
    assert client.get(url).status_code == 404


def test_the_queue_filters_by_state_and_unit(rakumpit, client):
    personas, cycle, appraisal = rakumpit
    services.realisation_reject(
        acting_user=user_of(personas.verif_a), indicator=_i1(appraisal), reason="Bukti kurang"
    )
    client.force_login(personas.verif_a.user)
    rejected = client.get(reverse("verification"), {"status": "ditolak"}).context["page"]
    assert [i.code for i in rejected.object_list] == ["I1"]
    other_unit = client.get(reverse("verification"), {"unit": personas.hr_a.unit_id})
    assert not list(other_unit.context["page"].object_list)


def test_bulk_verify_reports_counts(rakumpit, client):
    personas, cycle, appraisal = rakumpit
    own = advance(appraisal_of(cycle, personas.verif_a), State.SELF_ASSESSED)
    ids = [i.pk for i in indicators_of(appraisal).values() if not i.is_rubric]
    client.force_login(personas.verif_a.user)
    response = client.post(
        reverse("verification_bulk"), {"indicator": [*ids, _i1(own).pk]}, follow=True
    )
    text = [str(m) for m in response.context["messages"]]
    assert "2 realisasi diverifikasi." in text
    assert "1 realisasi tidak dapat diverifikasi." in text
    assert all(indicators_of(appraisal)[c].verified for c in ("I1", "I3"))
    assert not _i1(own).verified


def test_the_decision_page_answers_reject_without_reason_with_a_message(rakumpit, client):
    personas, cycle, appraisal = rakumpit
    client.force_login(personas.verif_a.user)
    url = reverse("verification_decide", args=[_i1(appraisal).pk])
    response = client.post(url, {"decision": "reject", "reason": ""}, follow=True)
    assert any("alasan penolakan" in str(m) for m in response.context["messages"])
    assert _i1(appraisal).verification == Verification.PENDING


def test_pdf_opens_inline_other_types_download_and_the_page_links_the_view(
    personas, time_machine, settings, tmp_path, client
):
    settings.MEDIA_ROOT = tmp_path / "private"
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="rakumpit")
    appraisal = advance(appraisal_of(cycle, personas.pegawai), State.TARGETS_APPROVED)
    files = {}
    for name in ("laporan.pdf", "rekap.docx"):
        files[name] = services.evidence_add(
            acting_user=user_of(personas.pegawai), appraisal=fresh(appraisal),
            indicator_id=_i1(appraisal).pk, upload=SimpleUploadedFile(name, sample(name)),
        )  # fmt: skip
    client.force_login(personas.verif_a.user)
    pdf = client.get(reverse("evidence_view", args=[files["laporan.pdf"].pk]))
    assert pdf["Content-Disposition"] == 'inline; filename="laporan.pdf"'
    docx = client.get(reverse("evidence_view", args=[files["rekap.docx"].pk]))
    assert docx["Content-Disposition"] == 'attachment; filename="rekap.docx"'
    page = client.get(reverse("appraisal_detail", args=[appraisal.pk])).content.decode()
    assert reverse("evidence_view", args=[files["laporan.pdf"].pk]) in page
    assert reverse("evidence_view", args=[files["rekap.docx"].pk]) not in page


def test_the_employee_adds_evidence_to_a_rejected_realisation_only(rakumpit):
    personas, cycle, appraisal = rakumpit
    owner = user_of(personas.pegawai)

    def upload(code):
        return services.evidence_add(
            acting_user=owner, appraisal=fresh(appraisal),
            indicator_id=indicators_of(appraisal)[code].pk,
            upload=SimpleUploadedFile("foto.png", sample("foto.png")),
        )  # fmt: skip

    with pytest.raises(ValidationError, match="saat mengisi penilaian diri"):
        upload("I1")
    services.realisation_reject(
        acting_user=user_of(personas.verif_a), indicator=_i1(appraisal), reason="Foto buram"
    )
    assert upload("I1").indicator.code == "I1"
    with pytest.raises(ValidationError, match="saat mengisi penilaian diri"):
        upload("I3")


def test_the_verifikator_reads_the_realisations_but_not_the_result(rakumpit, client):
    personas, cycle, appraisal = rakumpit
    services.realisation_verify(acting_user=user_of(personas.verif_a), indicator=_i1(appraisal))
    client.force_login(personas.verif_a.user)
    response = client.get(reverse("appraisal_detail", args=[appraisal.pk]))
    assert response.context["breakdown"] is None
    page = response.content.decode()
    assert 'data-testid="results-hidden"' in page and 'data-testid="verification-I1"' in page
    assert not any(not e.hidden and e.action == "recompute" for e in response.context["audit"])
    client.force_login(personas.hr_a.user)
    assert client.get(reverse("appraisal_detail", args=[appraisal.pk])).context["breakdown"]
