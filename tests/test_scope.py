"""Scope is decided by the org data, not the agency (docs/roles.md)."""

import datetime as dt

import pytest
from django.urls import reverse

from agencies.access import build_scope, scope_for
from agencies.models import ActingAssignment


def test_employee_sees_only_themself(personas):
    visible = set(scope_for(personas.pegawai.user).visible_employees())
    assert visible == {personas.pegawai}


def test_supervisor_sees_direct_and_indirect_subordinates(personas):
    visible = set(scope_for(personas.kepala.user).visible_employees())
    assert {personas.kasi, personas.pegawai, *personas.peers, personas.hr_a} <= visible
    assert personas.outsider not in visible


def test_sekda_sees_subordinates_in_other_agencies(personas):
    visible = set(scope_for(personas.sekda.user).visible_employees())
    assert {personas.kepala, personas.pegawai, personas.kepala_b, personas.outsider} <= visible


def test_admin_hr_sees_their_agency_only(personas):
    visible = set(scope_for(personas.hr_a.user).visible_employees())
    assert personas.pegawai in visible
    assert personas.outsider not in visible
    assert personas.sekda not in visible


def test_admin_daerah_sees_the_whole_region(personas):
    visible = scope_for(personas.admin_daerah).visible_employees()
    assert visible.count() == 13


def test_roles_are_derived_and_cumulative(personas):
    assert build_scope(personas.pegawai.user).role_labels == ["Pegawai"]
    assert build_scope(personas.kasi.user).role_labels == ["Pegawai", "Atasan"]
    kepala = build_scope(personas.kepala.user).role_labels
    assert kepala == ["Pegawai", "Atasan", "Atasan Pejabat Penilai"]
    assert build_scope(personas.hr_a.user).role_labels == ["Pegawai", "Admin HR"]
    assert build_scope(personas.team_a.user).role_labels == ["Pegawai", "Tim Penilai"]
    assert build_scope(personas.verif_a.user).role_labels == ["Pegawai", "Verifikator"]
    assert build_scope(personas.admin_daerah).role_labels == ["Admin Daerah"]


def test_inactive_subordinates_do_not_make_a_supervisor(personas):
    for e in [personas.pegawai, *personas.peers]:
        e.is_active = False
        e.save()
    assert not build_scope(personas.kasi.user).is_atasan


def test_acting_official_sees_the_absent_supervisors_team_only_during_the_dates(
    personas, client, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC))
    acting = personas.hr_b  # from another agency: scope, not agency, decides
    ActingAssignment.objects.create(
        official=acting,
        replaces=personas.kasi,
        kind="plh",
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 6, 30),
    )
    client.force_login(acting.user)
    url = reverse("employee_detail", args=[personas.pegawai.pk])
    assert client.get(url).status_code == 200
    assert "Atasan" in build_scope(acting.user).role_labels

    time_machine.move_to(dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC))
    client.force_login(acting.user)  # a fresh request builds a fresh scope
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["pegawai", "kasi"])
def test_peer_of_the_same_unit_is_out_of_scope(personas, client, role):
    client.force_login(personas.user(role))
    other = personas.peers[0]
    status = client.get(reverse("employee_detail", args=[other.pk])).status_code
    assert status == (200 if role == "kasi" else 404)
