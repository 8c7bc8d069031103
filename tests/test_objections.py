"""Keberatan: filed within the window after release, decided once by the atasan pejabat
penilai (or the Admin Daerah where none exists in the portal), see docs/cycle.md."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals import services
from appraisals.access import get_appraisal_for
from appraisals.models import Appraisal, AuditEntry, Objection, ObjectionState, State

from .appraisal_fixtures import (
    AFTER_SCORING,
    advance,
    appraisal_of,
    draft_appraisal,
    fresh,
    indicators_of,
    user_of,
)

RELEASE = dt.datetime(2026, 12, 30, 3, tzinfo=dt.UTC)  # 30 Dec, 10:00 WIB


def _released(personas, time_machine, who=None):
    appraisal = draft_appraisal(personas, time_machine)
    if who is not None:
        appraisal = appraisal_of(appraisal.cycle, who)
    time_machine.move_to(AFTER_SCORING)
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    time_machine.move_to(RELEASE)
    return advance(appraisal, State.RELEASED, hr=personas.hr_a)


@pytest.fixture
def released(personas, time_machine):
    return _released(personas, time_machine)


def _file(who, appraisal, reasons="Realisasi I1 belum dihitung dari laporan akhir", **kw):
    return services.objection_file(
        acting_user=user_of(who), appraisal=fresh(appraisal), reasons=reasons, **kw
    )


def _decide(who, objection, *, accept=True, reason="Laporan akhir diperiksa", **kw):
    return services.objection_decide(
        acting_user=user_of(who), objection=objection, accept=accept, reason=reason, **kw
    )


# --- the window -------------------------------------------------------------------------------


def test_the_window_ends_at_235959_on_release_day_plus_14_in_the_region(
    personas, time_machine, released
):
    # released on 30 Dec (WIB): the last second is 13 Jan 2027 23:59:59 WIB (16:59:59 UTC)
    time_machine.move_to(dt.datetime(2027, 1, 13, 16, 59, 59, tzinfo=dt.UTC))
    assert get_appraisal_for(user_of(personas.pegawai), released.pk).can_object
    objection = _file(personas.pegawai, released)
    assert objection.state == ObjectionState.SUBMITTED


def test_the_first_second_after_the_window_is_refused(personas, time_machine, released):
    time_machine.move_to(dt.datetime(2027, 1, 13, 17, 0, 0, tzinfo=dt.UTC))
    assert not get_appraisal_for(user_of(personas.pegawai), released.pk).can_object
    with pytest.raises(ValidationError, match="Batas pengajuan keberatan telah lewat"):
        _file(personas.pegawai, released)
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("tz", "last_utc"),
    [
        ("Asia/Makassar", dt.datetime(2027, 1, 13, 15, 59, 59, tzinfo=dt.UTC)),  # WITA
        ("Asia/Jayapura", dt.datetime(2027, 1, 13, 14, 59, 59, tzinfo=dt.UTC)),  # WIT
    ],
)
def test_the_window_follows_the_region_time_zone(personas, time_machine, tz, last_utc):
    personas.region.timezone = tz
    personas.region.save()
    appraisal = _released(personas, time_machine)
    end = fresh(appraisal).objection_deadline_end()
    assert end == dt.datetime(2027, 1, 13, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo(tz))
    time_machine.move_to(last_utc + dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="telah lewat"):
        _file(personas.pegawai, appraisal)
    time_machine.move_to(last_utc)
    assert _file(personas.pegawai, appraisal).is_open


def test_the_window_length_is_a_setting(personas, time_machine, released, settings):
    settings.OBJECTION_WINDOW_DAYS = 3
    assert fresh(released).objection_deadline_end().date() == dt.date(2027, 1, 2)


def test_release_day_counts_in_the_region_time_zone(personas, time_machine):
    """Released at 23:30 UTC on 30 Dec is 31 Dec in WIB: the window runs to 14 Jan."""
    appraisal = draft_appraisal(personas, time_machine)
    time_machine.move_to(AFTER_SCORING)
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    time_machine.move_to(dt.datetime(2026, 12, 30, 23, 30, tzinfo=dt.UTC))
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    assert appraisal.objection_deadline_end().date() == dt.date(2027, 1, 14)


def test_no_objection_before_release(personas, time_machine):
    appraisal = draft_appraisal(personas, time_machine)
    time_machine.move_to(AFTER_SCORING)
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    assert not get_appraisal_for(user_of(personas.pegawai), appraisal.pk).can_object
    with pytest.raises(ValidationError, match="setelah hasil penilaian dirilis"):
        _file(personas.pegawai, appraisal)


def test_reasons_are_required_and_one_open_objection_at_a_time(personas, released):
    with pytest.raises(ValidationError, match="Alasan keberatan wajib diisi"):
        _file(personas.pegawai, released, reasons="  ")
    _file(personas.pegawai, released)
    with pytest.raises(ValidationError, match="masih menunggu keputusan"):
        _file(personas.pegawai, released)


def test_only_the_employee_files_an_objection(personas, released):
    for who in (personas.kasi, personas.kepala, personas.hr_a, personas.admin_daerah):
        with pytest.raises(PermissionDenied):
            _file(who, released)


def test_objection_files_follow_the_evidence_rules(personas, released, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("laporan.pdf", b"<html>bukan pdf</html>")
    with pytest.raises(ValidationError, match="Isi berkas tidak sesuai"):
        _file(personas.pegawai, released, uploads=[fake])
    exe = SimpleUploadedFile("virus.exe", b"MZ")
    with pytest.raises(ValidationError, match="Jenis berkas tidak diizinkan"):
        _file(personas.pegawai, released, uploads=[exe])
    ok = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 laporan")
    objection = _file(personas.pegawai, released, uploads=[ok])
    row = objection.files.get()
    assert row.original_name == "laporan.pdf"
    assert not row.file.name.endswith("laporan.pdf")  # a random name, never the original


# --- who decides ----------------------------------------------------------------------------


def test_the_atasan_pejabat_penilai_decides(personas, released):
    objection = _file(personas.pegawai, released)
    for who in (personas.kasi, personas.hr_a, personas.admin_daerah, personas.sekda):
        with pytest.raises(PermissionDenied):
            _decide(who, objection)
    assert _decide(personas.kepala, objection).state == ObjectionState.ACCEPTED


def test_without_an_atasan_pejabat_penilai_the_admin_daerah_decides(personas, time_machine):
    """The Kepala Dinas's atasan is the Sekda, who has no atasan in the portal."""
    appraisal = _released(personas, time_machine, who=personas.kepala)
    objection = _file(personas.kepala, appraisal)
    with pytest.raises(PermissionDenied):
        _decide(personas.sekda, objection)
    assert _decide(personas.admin_daerah, objection, accept=False).state == "rejected"


def test_an_inactive_atasan_sends_the_objection_to_the_admin_daerah(personas, released):
    personas.kasi.is_active = False
    personas.kasi.save()
    objection = _file(personas.pegawai, released)
    with pytest.raises(PermissionDenied):
        _decide(personas.kepala, objection)
    _decide(personas.admin_daerah, objection)


@pytest.mark.parametrize("who", ["pegawai", "kasi", "kepala", "hr_a"])
def test_nobody_decides_on_their_own_objection(personas, time_machine, who):
    employee = getattr(personas, who)
    appraisal = _released(personas, time_machine, who=employee)
    objection = _file(employee, appraisal)
    with pytest.raises(PermissionDenied, match="penilaiannya sendiri"):
        _decide(employee, objection)


def test_an_admin_daerah_who_is_the_employee_does_not_decide(personas, time_machine):
    from agencies.models import Role

    from .factories import grant

    grant(personas.kepala.user, Role.ADMIN_DAERAH, region=personas.region)
    appraisal = _released(personas, time_machine, who=personas.kepala)
    objection = _file(personas.kepala, appraisal)
    with pytest.raises(PermissionDenied, match="penilaiannya sendiri"):
        _decide(personas.kepala, objection)


# --- the decision -----------------------------------------------------------------------------


def test_accepting_with_a_level_change_recomputes_and_audits(personas, released):
    objection = _file(personas.pegawai, released)
    before = fresh(released)
    i2 = indicators_of(released)["I2"]
    _decide(personas.kepala, objection, indicator_levels={i2.pk: 5})
    after = fresh(released)
    assert indicators_of(after)["I2"].level == 5
    assert after.final_value > before.final_value
    assert after.state == State.RELEASED
    entry = AuditEntry.objects.get(appraisal=after, action="objection")
    assert entry.before == {"I2": 4} and entry.after["I2"] == 5
    assert entry.reason == "Laporan akhir diperiksa"
    recompute = AuditEntry.objects.filter(appraisal=after, action="recompute").last()
    assert recompute.after["nilai_akhir"] != recompute.before["nilai_akhir"]
    objection.refresh_from_db()
    assert objection.before == {"I2": 4} and objection.decided_by == personas.kepala.user


def test_accepting_with_a_realisation_change_recomputes(personas, released):
    from decimal import Decimal

    objection = _file(personas.pegawai, released)
    i1 = indicators_of(released)["I1"]
    before = fresh(released).final_value
    _decide(personas.kepala, objection, realisations={i1.pk: Decimal(60)})
    assert indicators_of(released)["I1"].realisation == 60
    assert fresh(released).final_value < before


def test_rejecting_leaves_the_result(personas, released):
    objection = _file(personas.pegawai, released)
    before = fresh(released)
    i2 = indicators_of(released)["I2"]
    _decide(personas.kepala, objection, accept=False, indicator_levels={i2.pk: 5})
    after = fresh(released)
    assert (after.final_value, after.predikat) == (before.final_value, before.predikat)
    assert indicators_of(after)["I2"].level == 4
    assert AuditEntry.objects.get(appraisal=after, action="objection").summary == (
        "Keberatan ditolak"
    )


def test_a_decision_needs_a_reason(personas, released):
    objection = _file(personas.pegawai, released)
    with pytest.raises(ValidationError, match="Alasan keputusan wajib diisi"):
        _decide(personas.kepala, objection, reason=" ")
    assert Objection.objects.get().is_open


def test_the_decision_is_final(personas, released):
    objection = _file(personas.pegawai, released)
    _decide(personas.kepala, objection, accept=False)
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        _decide(personas.kepala, objection, accept=True)
    assert Objection.objects.get().state == ObjectionState.REJECTED


def test_other_services_still_refuse_a_released_appraisal(personas, released):
    i2 = indicators_of(released)["I2"]
    with pytest.raises((ValidationError, PermissionDenied)):
        services.appraisal_save_scores(
            acting_user=user_of(personas.kasi), appraisal=fresh(released),
            version=fresh(released).version, indicator_levels={i2.pk: 5}, reason="x",
        )  # fmt: skip


def test_the_employee_is_told_by_email_on_commit(
    personas, released, django_capture_on_commit_callbacks
):
    personas.pegawai.user.email = "pegawai@uji.go.id"
    personas.pegawai.user.save()
    objection = _file(personas.pegawai, released)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _decide(personas.kepala, objection)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pegawai@uji.go.id"]
    assert "diterima" in mail.outbox[0].subject
    assert "Laporan akhir diperiksa" in mail.outbox[0].body


# --- the pages --------------------------------------------------------------------------------


def test_the_employee_files_on_the_appraisal_page_and_sees_the_outcome(personas, released, client):
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[released.pk]))
    assert "Ajukan keberatan" in page.content.decode()
    response = client.post(
        reverse("objection_create", args=[released.pk]), {"reasons": "Mohon ditinjau"}
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    client.force_login(personas.kepala.user)
    queue = client.get(reverse("objection_queue")).content.decode()
    assert reverse("objection_detail", args=[objection.pk]) in queue
    i2 = indicators_of(released)["I2"]
    response = client.post(
        reverse("objection_detail", args=[objection.pk]),
        {"decision": "accept", "decision_reason": "Bukti baru diterima", f"level_{i2.pk}": "5"},
    )
    assert response.status_code == 302
    assert indicators_of(released)["I2"].level == 5
    client.force_login(personas.pegawai.user)
    page = client.get(reverse("appraisal_detail", args=[released.pk])).content.decode()
    assert "Bukti baru diterima" in page and "Keberatan diterima" in page
    assert "Ajukan keberatan" not in page or Objection.objects.get().state == "accepted"


def test_an_objection_without_a_reason_shows_the_form_again(personas, released, client):
    client.force_login(personas.pegawai.user)
    response = client.post(reverse("objection_create", args=[released.pk]), {"reasons": ""})
    assert response.status_code == 400
    assert "Alasan keberatan wajib diisi" in response.content.decode()
    assert not Objection.objects.exists()


def test_hr_sees_every_objection_of_the_cycle(personas, released, client):
    objection = _file(personas.pegawai, released)
    _decide(personas.kepala, objection, accept=False)
    client.force_login(personas.hr_a.user)
    page = client.get(reverse("cycle_objection_list", args=[released.cycle_id])).content.decode()
    assert personas.pegawai.full_name in page and "Ditolak" in page


def test_appraisal_state_is_released_after_a_decision(personas, released):
    objection = _file(personas.pegawai, released)
    _decide(personas.kepala, objection)
    assert Appraisal.objects.get(pk=released.pk).state == State.RELEASED


def test_accepting_in_matrix_mode_may_change_the_ratings(personas, time_machine):
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    time_machine.move_to(AFTER_SCORING)
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    time_machine.move_to(RELEASE)
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    assert fresh(appraisal).predikat != "sangat_baik"
    objection = _file(personas.pegawai, appraisal)
    _decide(personas.kepala, objection, overrides={"hasil_kerja": "di_atas", "perilaku": "di_atas"})
    after = fresh(appraisal)
    assert (after.hasil_kerja_override, after.perilaku_override) == ("di_atas", "di_atas")
    assert after.predikat == "sangat_baik"
    assert after.override_reason == "Laporan akhir diperiksa"


def test_an_objection_waits_while_hr_has_reopened_the_appraisal(personas, released):
    objection = _file(personas.pegawai, released)
    services.appraisal_reopen(
        acting_user=user_of(personas.hr_a), appraisal=fresh(released), version=None,
        reason="Salah input absensi",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="hanya untuk status Final, Dirilis"):
        _decide(personas.kepala, objection)
    assert Objection.objects.get().is_open


def test_the_decision_page_offers_the_ratings_in_matrix_mode(personas, time_machine, client):
    appraisal = draft_appraisal(personas, time_machine, scheme_key="nasional")
    time_machine.move_to(AFTER_SCORING)
    appraisal = advance(appraisal, State.FINALISED, hr=personas.hr_a)
    time_machine.move_to(RELEASE)
    appraisal = advance(appraisal, State.RELEASED, hr=personas.hr_a)
    objection = _file(personas.pegawai, appraisal)
    client.force_login(personas.kepala.user)
    url = reverse("objection_detail", args=[objection.pk])
    assert 'name="hasil_kerja_override"' in client.get(url).content.decode()
    response = client.post(
        url,
        {"decision": "accept", "decision_reason": "Capaian di atas ekspektasi",
         "hasil_kerja_override": "di_atas", "perilaku_override": "di_atas"},
    )  # fmt: skip
    assert response.status_code == 302
    assert fresh(appraisal).predikat == "sangat_baik"


def test_a_cycle_with_an_undecided_objection_cannot_be_closed(personas, released):
    cycle = released.cycle
    Appraisal.objects.filter(cycle=cycle).update(state=State.RELEASED)  # the rest released too
    objection = _file(personas.pegawai, released)
    with pytest.raises(ValidationError, match="1 keberatan pegawai belum diputuskan"):
        services.cycle_close(acting_user=user_of(personas.hr_a), cycle=cycle)
    _decide(personas.kepala, objection, accept=False)
    closed = services.cycle_close(acting_user=user_of(personas.hr_a), cycle=cycle)
    assert closed.status == "closed"


def test_the_atasan_pejabat_penilai_is_told_by_email_on_commit(
    personas, released, django_capture_on_commit_callbacks
):
    personas.kepala.user.email = "kepala@uji.go.id"
    personas.kepala.user.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        objection = _file(personas.pegawai, released)
    assert [m.to for m in mail.outbox] == [["kepala@uji.go.id"]]
    message = mail.outbox[0]
    assert personas.pegawai.name in message.subject
    assert reverse("objection_detail", args=[objection.pk]) in message.body
    assert "Realisasi I1" not in message.body  # the reasons stay behind the login


def test_without_an_atasan_pejabat_penilai_the_admin_daerah_is_told(
    personas, time_machine, django_capture_on_commit_callbacks
):
    appraisal = _released(personas, time_machine, who=personas.kepala)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _file(personas.kepala, appraisal)
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["admin@uji.go.id"]
