"""Cycle-wide actions need authority over every agency of the cycle."""

import datetime as dt

import pytest
from django.urls import reverse

from .appraisal_fixtures import (
    DEADLINES,
)


@pytest.fixture
def shared_cycle(personas, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC))
    from appraisals import services

    return services.cycle_create(
        acting_user=personas.admin_daerah,
        region=personas.region,
        agencies=[personas.agency_a, personas.agency_b],
        name="Siklus bersama",
        scheme_key="jakarta",
        period_type="annual",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        deadlines=DEADLINES,
    )


@pytest.mark.parametrize("url_name", ["cycle_open", "cycle_close"])
def test_admin_hr_of_one_agency_cannot_act_on_a_shared_cycle(
    personas, client, shared_cycle, url_name
):
    client.force_login(personas.hr_a.user)
    assert (
        client.post(reverse(url_name, args=[shared_cycle.pk]), {"confirmed": "1"}).status_code
        == 403
    )
    shared_cycle.refresh_from_db()
    assert shared_cycle.status == "draft"


def test_admin_hr_of_one_agency_cannot_extend_a_shared_cycle(personas, client, shared_cycle):
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("cycle_extend", args=[shared_cycle.pk]),
        {"phase": "planning", "new_date": "2026-03-01", "reason": "banyak yang cuti"},
    )
    assert response.status_code == 403
    shared_cycle.refresh_from_db()
    assert shared_cycle.planning_deadline == DEADLINES["planning"]


def test_admin_daerah_opens_a_shared_cycle(personas, client, shared_cycle):
    client.force_login(personas.admin_daerah)
    assert client.post(reverse("cycle_open", args=[shared_cycle.pk])).status_code == 302
    shared_cycle.refresh_from_db()
    assert shared_cycle.status == "opening"
