"""The appraisal pages run a number of queries that does not grow with the data
(docs/architecture.md): the team queue and the cycle progress with 5 and with 50 appraisals, the
appraisal page with 3 and with 15 indicators, the cycle list with 5 and with 50 cycles.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals import services
from appraisals.models import Appraisal, AuditEntry, Evidence, PlanIndicator, State

from .appraisal_fixtures import (
    AFTER_SELF_ASSESSMENT,
    DEADLINES,
    advance,
    appraisal_of,
    user_of,
)
from .factories import EmployeeFactory, UnitFactory


def _grow(personas, cycle, n: int) -> None:
    """``n`` more subordinates of the kasi in new units, with appraisals in every state."""
    units = [UnitFactory(agency=personas.agency_a, parent=personas.unit_a) for _ in range(3)]
    employees = [EmployeeFactory(unit=units[i % 3], supervisor=personas.kasi) for i in range(n)]
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    states = [State.DRAFT, State.TARGETS_SUBMITTED, State.TARGETS_APPROVED, State.SELF_ASSESSED,
              State.SCORED]  # fmt: skip
    for i, employee in enumerate(employees):
        Appraisal.objects.filter(cycle=cycle, employee=employee).update(state=states[i % 5])


def _count(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "view", "extra"),
    [
        ("kasi", "team", {}),
        ("hr_a", "cycle_detail", {}),
        ("admin_daerah", "cycle_detail", {}),
        ("hr_a", "cycle_detail", {"HTTP_HX_REQUEST": "true"}),
    ],
)
def test_queue_and_progress_pages_do_not_grow_with_the_appraisals(
    planning, client, time_machine, django_assert_max_num_queries, role, view, extra
):
    personas, cycle, _ = planning
    time_machine.move_to(AFTER_SELF_ASSESSMENT)  # the late list is filled too
    url = reverse(view, args=[cycle.pk] if view == "cycle_detail" else [])
    client.force_login(personas.user(role))
    _grow(personas, cycle, 5)
    small = _count(client, url, **extra)
    _grow(personas, cycle, 45)
    with django_assert_max_num_queries(small):
        response = client.get(url, **extra)
    assert response.status_code == 200
    if view == "team":
        assert len(response.context["queue"]) >= 50
    else:
        assert len(response.context["progress"]["late"]) >= 30


def test_the_cycle_list_does_not_grow_with_the_cycles(
    planning, client, django_assert_max_num_queries
):
    personas, cycle, _ = planning

    def more(n):
        for i in range(n):
            services.cycle_create(
                acting_user=user_of(personas.admin_daerah), region=personas.region,
                agencies=[personas.agency_a, personas.agency_b], name=f"Siklus {i}",
                scheme_key="jakarta", period_type="annual", start_date=dt.date(2025, 1, 1),
                end_date=dt.date(2025, 12, 31), deadlines=DEADLINES,
            )  # fmt: skip

    client.force_login(personas.hr_a.user)
    more(4)
    small = _count(client, reverse("cycle_list"))
    more(45)
    with django_assert_max_num_queries(small):
        assert client.get(reverse("cycle_list")).status_code == 200


def _widen(appraisal, n: int, uploader) -> None:
    """``n`` more quantitative indicators, each with a realisation and an evidence file, and
    more audit entries by more people."""
    result = appraisal.results.get(code="R1")
    for k in range(n):
        indicator = PlanIndicator.objects.create(
            result=result, code=f"X{k}", name=f"Tambahan {k}", kind="kuantitatif",
            unit="dokumen", direction="naik", aspect="kuantitas", target=Decimal(10),
            weight=Decimal(1), realisation=Decimal(9), order=10 + k,
        )  # fmt: skip
        Evidence.objects.create(
            indicator=indicator, file=f"evidence/{appraisal.cycle_id}/x{k}.pdf",
            original_name=f"bukti-{k}.pdf", content_type="application/pdf", size=10,
            uploaded_by=uploader,
        )  # fmt: skip
    for actor in (uploader, *[EmployeeFactory().user for _ in range(n)]):
        AuditEntry.objects.create(
            appraisal=appraisal, cycle=appraisal.cycle, actor=actor, action="note",
            summary="Catatan", after={"x": "1"},
        )  # fmt: skip
    services.appraisal_recompute(appraisal=appraisal)


@pytest.mark.parametrize(
    ("role", "state"),
    [
        ("pegawai", State.DRAFT),
        ("pegawai", State.TARGETS_APPROVED),
        ("kasi", State.SELF_ASSESSED),
        ("hr_a", State.SCORED),
        ("kepala", State.SCORED),
        ("pegawai", State.RELEASED),
    ],
)
def test_the_appraisal_page_does_not_grow_with_the_indicators(
    planning, client, django_assert_max_num_queries, role, state
):
    personas, cycle, _ = planning
    appraisal = advance(appraisal_of(cycle, personas.pegawai), state, hr=personas.hr_a)
    uploader = personas.pegawai.user
    _widen(appraisal, 0, uploader)  # three indicators, the set's own, and one more entry
    Evidence.objects.create(
        indicator=appraisal.results.get(code="R1").indicators.first(), file="evidence/a.pdf",
        original_name="a.pdf", content_type="application/pdf", size=10, uploaded_by=uploader,
    )  # fmt: skip
    url = reverse("appraisal_detail", args=[appraisal.pk])
    client.force_login(personas.user(role))
    client.get(url)  # the first visit of the owner copies the plan: not what is measured
    small = _count(client, url)
    _widen(appraisal, 12, uploader)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    assert PlanIndicator.objects.filter(result__appraisal=appraisal).count() == 15
    assert "Tambahan 11" in response.content.decode()
