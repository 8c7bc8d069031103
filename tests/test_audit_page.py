"""HR's audit page of the appraisals: scope, filters, and a query count that does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals import services
from appraisals.models import AuditEntry

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    DEADLINES,
    advance,
    appraisal_of,
    make_cycle,
    make_indicator_set,
    user_of,
)

URL = reverse("appraisal_audit")


@pytest.fixture
def world(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle_a = make_cycle(personas)
    cycle_b = services.cycle_create(
        acting_user=user_of(personas.hr_b), region=personas.region,
        agencies=[personas.agency_b], name="Penilaian Beta", scheme_key="jakarta",
        period_type="annual", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
        deadlines=DEADLINES,
    )  # fmt: skip
    services.cycle_open(acting_user=user_of(personas.hr_b), cycle=cycle_b)
    services.cycle_create_appraisals(cycle_id=cycle_b.pk)
    advance(appraisal_of(cycle_a, personas.pegawai), "targets_submitted")
    advance(appraisal_of(cycle_b, personas.outsider), "targets_submitted")
    return personas, cycle_a, cycle_b


def _rows(client, who, **params):
    client.force_login(who.user if hasattr(who, "user") else who)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_hr_sees_their_agencys_appraisals_and_cycles_not_another_agencys(world, client):
    personas, cycle_a, cycle_b = world
    page = _rows(client, personas.hr_a)
    assert personas.pegawai.full_name in page
    assert personas.outsider.full_name not in page
    assert cycle_a.name in page and "seluruh siklus" in page  # the cycle's own entries
    assert f">{cycle_b.name}<" not in page


def test_the_admin_daerah_sees_the_whole_region(world, client):
    personas, cycle_a, cycle_b = world
    page = _rows(client, personas.admin_daerah)
    assert personas.pegawai.full_name in page and personas.outsider.full_name in page


@pytest.mark.parametrize("who", ["pegawai", "kasi", "outsider"])
def test_people_without_an_hr_role_are_refused(world, client, who):
    personas = world[0]
    client.force_login(personas.user(who))
    assert client.get(URL).status_code == 403


def test_filters_by_action_person_unit_cycle_and_date(world, client, time_machine):
    personas, cycle_a, cycle_b = world
    hr = personas.admin_daerah
    page = _rows(client, hr, aksi="targets_submit")
    assert 'data-action="targets_submit"' in page and 'data-action="cycle_open"' not in page
    page = _rows(client, hr, pegawai=personas.pegawai.nip[:10])
    assert personas.pegawai.full_name in page and personas.outsider.full_name not in page
    page = _rows(client, hr, pegawai="beta")
    assert personas.outsider.full_name in page and personas.pegawai.full_name not in page
    page = _rows(client, hr, unit=personas.outsider.unit.code)
    assert personas.outsider.full_name in page and personas.pegawai.full_name not in page
    page = _rows(client, hr, siklus=cycle_b.pk)
    assert personas.pegawai.full_name not in page
    today = BEFORE_PLANNING.date()
    assert "0 catatan" in _rows(client, hr, dari=(today + dt.timedelta(days=1)).isoformat())
    assert "0 catatan" in _rows(client, hr, sampai=(today - dt.timedelta(days=1)).isoformat())
    assert "0 catatan" not in _rows(client, hr, dari=today.strftime("%d/%m/%Y"))


def test_a_bad_date_is_named_and_the_typed_filters_stay(world, client):
    personas = world[0]
    page = _rows(client, personas.hr_a, dari="31/02/2026", pegawai="Alfa")
    assert "Dari tanggal" in page and 'data-testid="error-summary"' in page
    assert 'value="Alfa"' in page


def test_the_query_count_does_not_grow_with_the_entries(world, client):
    personas, cycle_a, cycle_b = world
    client.force_login(personas.admin_daerah)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(URL)
        return len(ctx)

    appraisal = appraisal_of(cycle_a, personas.pegawai)
    few = queries()
    assert AuditEntry.objects.count() < 40
    for day in range(45):
        services.cycle_extend_deadline(
            acting_user=user_of(personas.hr_a), cycle=cycle_a, phase="calibration",
            new_date=dt.date(2027, 1, 1) + dt.timedelta(days=day), reason="Perpanjangan",
        )  # fmt: skip
        AuditEntry.objects.create(
            appraisal=appraisal, cycle=cycle_a, actor=user_of(personas.kasi),
            action="score_save", summary="Nilai", after={"I2": 4},
        )  # fmt: skip
    assert queries() == few


def test_the_admin_audit_list_query_count_does_not_grow_with_the_rows(world, client):
    from agencies.models import User

    personas, cycle_a, cycle_b = world
    superuser = User.objects.create_superuser(username="root", email="root@example.go.id")
    client.force_login(superuser)
    url = reverse("admin:appraisals_auditentry_changelist")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = queries()
    appraisal = appraisal_of(cycle_a, personas.pegawai)
    AuditEntry.objects.bulk_create(
        AuditEntry(appraisal=appraisal, cycle=cycle_a, actor=user_of(personas.kasi),
                   action="score_save", summary="Nilai")
        for _ in range(60)
    )  # fmt: skip
    assert queries() == few
