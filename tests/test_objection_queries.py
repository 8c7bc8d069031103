"""The objection pages run a number of queries that does not grow with the objections
(docs/architecture.md): the decider's queue and HR's list of a cycle, with 5 and with 50."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appraisals import services
from appraisals.models import Appraisal, Objection, ObjectionState, State

from .appraisal_fixtures import BEFORE_PLANNING, make_cycle, make_indicator_set
from .factories import EmployeeFactory, UnitFactory


@pytest.fixture
def setup(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    return personas, make_cycle(personas)


def _grow(personas, cycle, n: int, supervisor=None) -> None:
    """``n`` more subordinates of the kasi (or ``supervisor``), released, each with an
    objection; every third decided already."""
    unit = UnitFactory(agency=personas.agency_a, parent=personas.unit_a)
    supervisor = supervisor or personas.kasi
    employees = [EmployeeFactory(unit=unit, supervisor=supervisor) for _ in range(n)]
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    appraisals = Appraisal.objects.filter(cycle=cycle, employee__in=employees)
    appraisals.update(state=State.RELEASED, released_at=timezone.now())
    Objection.objects.bulk_create(
        Objection(
            appraisal=a,
            reasons="Mohon ditinjau",
            filed_by=a.employee.user,
            **(
                {
                    "state": ObjectionState.REJECTED,
                    "decided_by": personas.kepala.user,
                    "decided_at": timezone.now(),
                    "decision_reason": "Sesuai",
                }
                if i % 3 == 0
                else {}
            ),
        )  # fmt: skip
        for i, a in enumerate(appraisals.select_related("employee__user"))
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("role", "page"), [("kepala", "objection_queue"),
                                            ("admin_daerah", "objection_queue"),
                                            ("hr_a", "cycle_objection_list")])  # fmt: skip
def test_objection_lists_do_not_grow_with_the_objections(setup, client, role, page):
    personas, cycle = setup
    url = reverse(page, args=[cycle.pk] if page == "cycle_objection_list" else [])
    client.force_login(personas.user(role))
    # The Sekda has no atasan in the portal: objections of their subordinates go to the
    # Admin Daerah.
    supervisor = personas.sekda if role == "admin_daerah" else None
    _grow(personas, cycle, 5, supervisor)
    small = _count(client, url)
    _grow(personas, cycle, 45, supervisor)
    large = _count(client, url)
    assert large == small, f"{page}: {small} queries with 5, {large} with 50"
    content = client.get(url).content.decode()
    listed = [
        o for o in Objection.objects.all() if reverse("objection_detail", args=[o.pk]) in content
    ]
    if page == "objection_queue":
        assert len(listed) == Objection.objects.filter(state=ObjectionState.SUBMITTED).count()
    else:
        assert len(listed) == 50


def test_the_kepala_queue_lists_the_open_objections_only(setup, client):
    personas, cycle = setup
    _grow(personas, cycle, 6)
    client.force_login(personas.kepala.user)
    page = client.get(reverse("objection_queue")).content.decode()
    open_ = Objection.objects.filter(state=ObjectionState.SUBMITTED)
    assert open_.count() == 4
    for objection in Objection.objects.all():
        link = reverse("objection_detail", args=[objection.pk])
        assert (link in page) == objection.is_open
    client.force_login(personas.kasi.user)  # their atasan, not the atasan pejabat penilai
    assert "Putuskan" not in client.get(reverse("objection_queue")).content.decode()
