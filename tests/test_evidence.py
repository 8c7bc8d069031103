"""Evidence files (bukti dukung, docs/roles.md): pdf, jpg, png, docx, xlsx, pptx, odt,
ods, at most 10 MB each, stored privately and served only to those who may read the appraisal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry, Evidence, State

from .appraisal_fixtures import (
    advance,
    appraisal_of,
    indicators_of,
    user_of,
)
from .evidence_files import sample

MB = 1024 * 1024


@pytest.fixture
def setup(approved):
    personas, cycle, appraisal = approved
    return personas, cycle, appraisal, indicators_of(appraisal)["I1"]


def _add(personas, appraisal, indicator, name, content=None, who=None):
    who = who or personas.pegawai
    content = sample(name) if content is None else content
    return services.evidence_add(
        acting_user=user_of(who), appraisal=appraisal, indicator_id=indicator.pk,
        upload=SimpleUploadedFile(name, content),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("laporan.pdf", "application/pdf"),
        ("foto.jpg", "image/jpeg"),
        ("FOTO.JPEG", "image/jpeg"),
        ("tangkapan.png", "image/png"),
        ("notulen.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("rekap.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("paparan.pptx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("surat.odt", "application/vnd.oasis.opendocument.text"),
        ("tabel.ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)  # fmt: skip
def test_the_allowed_types_are_accepted_and_stored_privately(setup, name, content_type):
    personas, cycle, appraisal, i1 = setup
    content = sample(name)
    evidence = _add(personas, appraisal, i1, name, content)
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        name, content_type, len(content),
    )  # fmt: skip
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(django_settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(django_settings.STATIC_ROOT).resolve())
    assert path.read_bytes() == content
    # A random name, never the uploader's: nothing to guess from a file name.
    assert Path(evidence.file.name).stem not in name and len(Path(evidence.file.name).stem) == 32


@pytest.mark.parametrize(
    "name", ["program.exe", "halaman.html", "gambar.svg", "catatan.txt", "arsip.zip",
             "tanpa-ekstensi", "laporan.pdf.exe", "skrip.js", "lama.doc"],
)  # fmt: skip
def test_other_types_are_refused_in_indonesian(setup, name):
    personas, cycle, appraisal, i1 = setup
    with pytest.raises(ValidationError) as exc:
        _add(personas, appraisal, i1, name)
    assert exc.value.message_dict["file"] == [
        "Jenis berkas tidak diizinkan; gunakan pdf, jpg, png, docx, xlsx, pptx, odt atau ods"
    ]
    assert not Evidence.objects.exists()
    assert not Path(django_settings.MEDIA_ROOT).exists() or not any(
        Path(django_settings.MEDIA_ROOT).rglob("*.*")
    )


def test_a_file_of_exactly_10_mb_is_accepted(setup):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "besar.pdf", sample("besar.pdf", size=10 * MB))
    assert evidence.size == 10 * MB


def test_a_file_over_10_mb_is_refused_in_indonesian(setup, client):
    personas, cycle, appraisal, i1 = setup
    with pytest.raises(ValidationError) as exc:
        _add(personas, appraisal, i1, "terlalu-besar.pdf", b"0" * (10 * MB + 1))
    assert exc.value.message_dict["file"] == ["Berkas terlalu besar; maksimal 10 MB per berkas"]
    client.force_login(personas.pegawai.user)
    upload = SimpleUploadedFile("terlalu-besar.pdf", b"0" * (10 * MB + 1))
    response = client.post(
        reverse("evidence_upload", args=[appraisal.pk, i1.pk]), {"file": upload}, follow=True
    )
    assert "Berkas terlalu besar; maksimal 10 MB per berkas" in response.content.decode()
    assert not Evidence.objects.exists()


def test_uploading_through_the_page_keeps_the_file_and_audits_it(setup, client):
    personas, cycle, appraisal, i1 = setup
    client.force_login(personas.pegawai.user)
    upload = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    response = client.post(
        reverse("evidence_upload", args=[appraisal.pk, i1.pk]), {"file": upload}, follow=True
    )
    assert "Bukti dukung diunggah." in response.content.decode()
    evidence = Evidence.objects.get()
    assert evidence.indicator == i1 and evidence.uploaded_by == personas.pegawai.user
    entry = AuditEntry.objects.filter(appraisal=appraisal, action="evidence_add").get()
    assert "laporan.pdf" in entry.summary and entry.actor == personas.pegawai.user


def test_uploading_without_a_file_asks_for_one(setup, client):
    personas, cycle, appraisal, i1 = setup
    client.force_login(personas.pegawai.user)
    response = client.post(reverse("evidence_upload", args=[appraisal.pk, i1.pk]), follow=True)
    assert "Pilih berkas bukti dukung terlebih dahulu." in response.content.decode()


def test_evidence_goes_only_to_an_indicator_of_the_same_appraisal(setup):
    personas, cycle, appraisal, i1 = setup
    other = advance(appraisal_of(cycle, personas.peers[0]), State.TARGETS_APPROVED)
    with pytest.raises(ValidationError):
        _add(personas, appraisal, indicators_of(other)["I1"], "laporan.pdf")


@pytest.mark.parametrize("state", [State.DRAFT, State.SELF_ASSESSED, State.SCORED])
def test_evidence_is_uploaded_only_while_filling_the_self_assessment(personas, setup, state):
    _, cycle, _, _ = setup
    appraisal = advance(appraisal_of(cycle, personas.peers[1]), state)
    with pytest.raises(ValidationError) as exc:
        _add(personas, appraisal, indicators_of(appraisal)["I1"], "a.pdf", who=personas.peers[1])
    assert "penilaian diri" in " ".join(exc.value.messages)


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pegawai", "kasi", "kepala", "sekda", "hr_a", "admin_daerah"])
def test_those_who_may_read_the_appraisal_download_its_evidence(setup, client, who):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf", b"%PDF-1.4 isi")
    client.force_login(personas.user(who))
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 isi"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["outsider", "hr_b", "kepala_b", "peer", "team_a", "verif_a"])
def test_nobody_else_finds_the_evidence(setup, client, who):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf")
    user = personas.peers[0].user if who == "peer" else personas.user(who)
    client.force_login(user)
    assert client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404


def test_anonymous_users_are_sent_to_login_for_evidence(setup, client):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf")
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_evidence_id_is_404(setup, client):
    personas, *_ = setup
    client.force_login(personas.admin_daerah)
    assert client.get(reverse("evidence_download", args=[987654])).status_code == 404


def test_the_stored_file_has_no_public_url(setup, client):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf")
    client.force_login(personas.pegawai.user)
    for url in (
        f"{django_settings.MEDIA_URL}{evidence.file.name}",
        f"{django_settings.STATIC_URL}{evidence.file.name}",
        f"/{evidence.file.name}",
    ):
        assert client.get(url).status_code == 404, url


def test_behind_nginx_the_file_is_handed_over_by_x_accel_redirect(setup, client, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf", b"%PDF-1.4 isi")
    client.force_login(personas.kasi.user)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{evidence.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="laporan.pdf"'


def test_behind_nginx_outsiders_still_get_404_and_no_redirect_header(setup, client, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf")
    client.force_login(personas.outsider.user)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_a_file_name_with_quotes_and_accents_gives_a_well_formed_header(setup, client):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, 'Laporan "akhir" é.pdf', b"%PDF-1.4")
    client.force_login(personas.pegawai.user)
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert '"akhir"' not in disposition


# --- removing --------------------------------------------------------------------------------


def test_the_employee_removes_evidence_while_filling_the_self_assessment(setup, client):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf")
    path = Path(evidence.file.path)
    client.force_login(personas.pegawai.user)
    assert client.post(reverse("evidence_remove", args=[evidence.pk])).status_code == 302
    assert not Evidence.objects.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(appraisal=appraisal, action="evidence_delete").exists()


@pytest.mark.parametrize("who", ["kasi", "hr_a", "admin_daerah"])
def test_only_the_employee_removes_evidence(setup, who):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf")
    with pytest.raises(PermissionDenied):
        services.evidence_delete(
            acting_user=user_of(getattr(personas, who)),
            appraisal=appraisal, evidence=evidence,
        )  # fmt: skip
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_stays_once_the_self_assessment_is_sent(setup, client):
    personas, cycle, appraisal, i1 = setup
    evidence = _add(personas, appraisal, i1, "laporan.pdf")
    advance(appraisal, State.SELF_ASSESSED)
    client.force_login(personas.pegawai.user)
    response = client.post(reverse("evidence_remove", args=[evidence.pk]), follow=True)
    assert "Tidak dapat menghapus bukti dukung" in response.content.decode()
    assert Path(evidence.file.path).exists()
