"""Who may export what (role × export matrix), and the two ways an export reaches its
requester: a direct download for a page of rows, a background job above that."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from appraisals import services
from appraisals.models import Appraisal
from reports.models import Job

from .appraisal_fixtures import (
    BEFORE_PLANNING,
    DEADLINES,
    force_scored,
    make_cycle,
    make_indicator_set,
)

ROLES = ("pegawai", "kasi", "kepala", "hr_a", "admin_daerah", "outsider", "hr_b", "team_a",
         "verif_a")  # fmt: skip
KINDS = ("rekap", "detail", "survei")


@pytest.fixture
def cycle_a(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas)
    force_scored(Appraisal.objects.filter(cycle=cycle))
    return cycle


@pytest.fixture
def cycle_ab(personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = services.cycle_create(
        acting_user=personas.admin_daerah, region=personas.region,
        agencies=[personas.agency_a, personas.agency_b], name="Penilaian 2026 A dan B",
        scheme_key="jakarta", period_type="annual", start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
    )  # fmt: skip
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    force_scored(Appraisal.objects.filter(cycle=cycle))
    return cycle


def _expected(role: str) -> int:
    return {"hr_a": 200, "admin_daerah": 200, "hr_b": 404}.get(role, 403)


def _sheets(response) -> list[str]:
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).sheetnames


@pytest.mark.parametrize("role", ROLES)
def test_the_export_page_by_role(client, personas, cycle_a, role):
    client.force_login(personas.user(role))
    response = client.get(reverse("cycle_exports", args=[cycle_a.pk]))
    assert response.status_code == _expected(role)
    if response.status_code == 200:
        assert b'data-testid="export-rekap"' in response.content


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", ROLES)
def test_each_export_by_role(client, personas, cycle_a, role, kind):
    client.force_login(personas.user(role))
    response = client.post(reverse("cycle_export", args=[cycle_a.pk, kind]))
    assert response.status_code == _expected(role)
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert _sheets(response)


def test_an_export_is_post_only(client, personas, cycle_a):
    client.force_login(personas.user("hr_a"))
    assert client.get(reverse("cycle_export", args=[cycle_a.pk, "rekap"])).status_code == 405


def test_an_unknown_export_is_404(client, personas, cycle_a):
    client.force_login(personas.user("hr_a"))
    assert client.post(reverse("cycle_export", args=[cycle_a.pk, "gaji"])).status_code == 404


def test_admin_hr_exports_their_agency_only_and_admin_daerah_the_region(client, personas, cycle_ab):
    url = reverse("cycle_export", args=[cycle_ab.pk, "rekap"])
    client.force_login(personas.user("hr_a"))
    assert _sheets(client.post(url)) == ["DINA Dinas Alfa"]
    assert client.post(url, {"agency": personas.agency_b.pk}).status_code == 404
    page = client.get(reverse("cycle_exports", args=[cycle_ab.pk]))
    assert b"DINB" not in page.content
    client.force_login(personas.user("admin_daerah"))
    assert _sheets(client.post(url)) == ["DINA Dinas Alfa", "DINB Dinas Beta"]
    assert _sheets(client.post(url, {"agency": personas.agency_b.pk})) == ["DINB Dinas Beta"]
    client.force_login(personas.user("hr_b"))
    assert _sheets(client.post(url)) == ["DINB Dinas Beta"]


def test_the_peer_summary_is_refused_before_the_peer_deadline(client, personas, time_machine):
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = make_cycle(personas, scheme_key="nasional")
    client.force_login(personas.user("hr_a"))
    response = client.post(reverse("cycle_export", args=[cycle.pk, "rekan"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cycle_exports", args=[cycle.pk])
    assert "setelah batas umpan balik rekan" in response.content.decode()


def test_the_cycle_page_links_to_the_exports(client, personas, cycle_a):
    client.force_login(personas.user("hr_a"))
    page = client.get(reverse("cycle_detail", args=[cycle_a.pk]))
    assert reverse("cycle_exports", args=[cycle_a.pk]).encode() in page.content


def test_more_than_a_page_of_rows_becomes_a_job_of_the_requester(
    client, personas, cycle_ab, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_MAX_APPRAISALS = 1
    client.force_login(personas.user("admin_daerah"))
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("cycle_export", args=[cycle_ab.pk, "detail"]))
    job = Job.objects.get(kind="export_xlsx")
    assert response.status_code == 302
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.created_by == personas.admin_daerah
    assert job.payload["export"] == "detail"
    assert sorted(job.payload["agencies"]) == sorted([personas.agency_a.pk, personas.agency_b.pk])
    assert job.total == Appraisal.objects.filter(cycle=cycle_ab).count()
    page = client.get(reverse("cycle_exports", args=[cycle_ab.pk]))
    assert job.payload["filename"].encode() in page.content
