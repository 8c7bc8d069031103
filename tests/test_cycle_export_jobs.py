"""A large export runs as a background job: progress on the job page, the file offered to the
requester only, the requester's access checked again when the job runs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import RoleGrant
from appraisals import services
from appraisals.models import Appraisal
from reports.jobs import job_run
from reports.models import Job

from .appraisal_fixtures import BEFORE_PLANNING, DEADLINES, force_scored, make_indicator_set


@pytest.fixture
def cycle_ab(personas, time_machine, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.EXPORT_DIRECT_MAX_APPRAISALS = 1
    time_machine.move_to(BEFORE_PLANNING)
    make_indicator_set(personas.pegawai.position, personas.region)
    cycle = services.cycle_create(
        acting_user=personas.admin_daerah, region=personas.region,
        agencies=[personas.agency_a, personas.agency_b], name="Penilaian 2026 A dan B",
        scheme_key="kotalama", period_type="annual", start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31), deadlines=DEADLINES,
    )  # fmt: skip
    services.cycle_create_appraisals(cycle_id=cycle.pk)
    force_scored(Appraisal.objects.filter(cycle=cycle))
    return cycle


def _start(client, user, cycle, kind, django_capture_on_commit_callbacks, **data) -> Job:
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("cycle_export", args=[cycle.pk, kind]), data)
    job = Job.objects.filter(kind="export_xlsx").latest("pk")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    return job


@pytest.mark.parametrize("kind", ["rekap", "detail"])
def test_the_job_writes_the_file_and_offers_it_to_its_requester(
    client, personas, cycle_ab, django_capture_on_commit_callbacks, kind
):
    job = _start(client, personas.admin_daerah, cycle_ab, kind, django_capture_on_commit_callbacks)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    total = Appraisal.objects.filter(cycle=cycle_ab).count()
    assert (job.progress, job.total) == (total, total)
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert b'data-testid="job-download"' in page.content
    response = client.get(reverse("job_download", args=[job.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["DINA Dinas Alfa", "DINB Dinas Beta"]
    if kind == "rekap":
        assert job.result["rows"] == total
        assert [c.value for c in book.worksheets[0][1]][
            -1
        ] == "Angka Kredit"  # exactly the documented columns


def test_nobody_but_the_requester_downloads_the_file(
    client, personas, cycle_ab, django_capture_on_commit_callbacks
):
    job = _start(client, personas.hr_a.user, cycle_ab, "rekap", django_capture_on_commit_callbacks)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 200
    for other in ("admin_daerah", "hr_b", "kepala", "pegawai"):
        client.force_login(personas.user(other))
        assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
        page = client.get(reverse("job_detail", args=[job.pk]))
        assert b'data-testid="job-download"' not in page.content


def test_the_job_exports_only_what_its_requester_still_administers(
    client, personas, cycle_ab, django_capture_on_commit_callbacks
):
    job = _start(client, personas.hr_a.user, cycle_ab, "rekap", django_capture_on_commit_callbacks)
    RoleGrant.objects.filter(user=personas.hr_a.user).delete()
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status != Job.Status.DONE
    assert "tidak lagi berwenang" in job.error


def test_a_second_click_while_the_export_runs_opens_the_same_job(
    client, personas, cycle_ab, django_capture_on_commit_callbacks
):
    first = _start(
        client, personas.hr_a.user, cycle_ab, "detail", django_capture_on_commit_callbacks
    )
    second = _start(
        client, personas.hr_a.user, cycle_ab, "detail", django_capture_on_commit_callbacks
    )
    assert first == second
    assert Job.objects.filter(kind="export_xlsx").count() == 1
    job_run(job_id=first.pk)
    third = _start(
        client, personas.hr_a.user, cycle_ab, "detail", django_capture_on_commit_callbacks
    )
    assert third != first
