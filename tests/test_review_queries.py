"""The Verifikator's and the Tim Penilai's queues run a number of queries that does not grow
with the rows (docs/architecture.md): 5 rows and 50 (two pages of 25)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisals import services
from appraisals.models import Appraisal, Evidence, PlanIndicator, State, TeamScore

from .appraisal_fixtures import BEFORE_PLANNING, make_cycle, make_indicator_set
from .factories import EmployeeFactory, UnitFactory


def _grow(personas, cycle, n: int, *, evidence: bool) -> None:
    """``n`` more employees of agency A with self-assessed appraisals whose quantitative
    realisations are filled, each with one evidence file, and one team score each."""
    unit = UnitFactory(agency=personas.agency_a, parent=personas.unit_a)
    employees = [EmployeeFactory(unit=unit, supervisor=personas.kasi) for _ in range(n)]
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    appraisals = Appraisal.objects.filter(cycle=cycle, employee__in=employees)
    for appraisal in appraisals:
        services.plan_ensure(appraisal)
    appraisals.update(state=State.SELF_ASSESSED)
    PlanIndicator.objects.filter(
        result__appraisal__in=appraisals, kind="kuantitatif"
    ).update(realisation=Decimal(10))  # fmt: skip
    for appraisal in appraisals:
        TeamScore.objects.create(appraisal=appraisal, member=personas.hr_a.user, level=4)
        if evidence:
            indicator = PlanIndicator.objects.filter(
                result__appraisal=appraisal, kind="kuantitatif"
            ).first()
            ev = Evidence(
                indicator=indicator, original_name="foto.png", content_type="image/png",
                size=3, uploaded_by=personas.pegawai.user,
            )  # fmt: skip
            ev.file.save("foto.png", SimpleUploadedFile("foto.png", b"png"), save=False)
            ev.save()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("scheme", "role", "page"),
    [("rakumpit", "verif_a", "verification"), ("kotalama", "team_a", "team_scores")],
)
def test_the_queue_does_not_grow_with_the_rows(
    personas, time_machine, settings, tmp_path, client, django_assert_max_num_queries,
    scheme, role, page,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "private"
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key=scheme)
    client.force_login(personas.user(role))
    url = reverse(page)
    _grow(personas, cycle, 5, evidence=scheme == "rakumpit")
    small = _count(client, url)
    _grow(personas, cycle, 45, evidence=scheme == "rakumpit")
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25  # a full first page
    with django_assert_max_num_queries(small):
        assert client.get(url + "?page=2").status_code == 200
