"""The ZIP of an agency's evaluation documents (docs/reports.md): a background job on the
`pdf` queue that fans out in chunks, each rendering its documents to the job's folder
(resumable: what is rendered is skipped), and a finisher that packs the ZIP for the
requester. The job machinery runs inline here (the same claims as in a worker); the browser
test with a real worker is tests/test_browser_pdf_zip.py."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisals.models import Appraisal
from reports import jobs, pdf_jobs
from reports.jobs import job_run, job_run_chunk, jobs_sweep_stale
from reports.models import Job, JobChunk

from .appraisal_fixtures import force_scored, user_of

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@pytest.fixture
def zip_world(planning, settings, tmp_path, monkeypatch):
    """The planning cycle of agency A, scored; uploads and job files in the test's folder,
    chunks of 4, nothing sent to a broker, every render counted."""
    settings.MEDIA_ROOT = tmp_path / "private"
    monkeypatch.setattr(pdf_jobs, "CHUNK_SIZE", 4)
    monkeypatch.setattr(jobs, "_send", lambda *args, **kwargs: True)
    rendered: list[int] = []
    real = pdf_jobs.appraisal_pdf

    def counting(appraisal):
        rendered.append(appraisal.pk)
        return real(appraisal)

    monkeypatch.setattr(pdf_jobs, "appraisal_pdf", counting)
    force_scored(Appraisal.objects.filter(cycle=planning.cycle, agency=planning.personas.agency_a))
    return planning, rendered


def start(world) -> Job:
    personas, cycle = world.personas, world.cycle
    job = pdf_jobs.agency_documents_zip(
        acting_user=user_of(personas.hr_a), cycle=cycle, agency=personas.agency_a
    )
    job_run(job_id=job.pk)
    return Job.objects.get(pk=job.pk)


def run_all_chunks(job: Job) -> Job:
    for chunk_id in JobChunk.objects.filter(job=job).order_by("index").values_list("pk", flat=True):
        job_run_chunk(chunk_id=chunk_id)
    return Job.objects.get(pk=job.pk)


def zip_entries(job: Job) -> dict[str, bytes]:
    with job.result_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as z:
        return {name: z.read(name) for name in z.namelist()}


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def test_the_zip_holds_one_document_per_employee_named_by_nip_and_name(zip_world):
    world, rendered = zip_world
    job = start(world)
    appraisals = list(
        Appraisal.objects.filter(cycle=world.cycle, agency=world.personas.agency_a)
        .select_related("employee")
    )  # fmt: skip
    assert job.status == "running" and job.total == len(appraisals) > 4
    assert JobChunk.objects.filter(job=job).count() == -(-len(appraisals) // 4)
    job = run_all_chunks(job)
    assert job.status == "done", job.error
    assert job.result["documents"] == len(appraisals) and job.progress == job.total
    assert job.result_file_name.endswith(".zip")
    entries = zip_entries(job)
    expected = {f"{a.employee.nip}_{a.employee.name.replace(' ', '_')}.pdf": a for a in appraisals}
    assert set(entries) == set(expected)
    for name, appraisal in expected.items():
        text = pdf_text(entries[name])
        assert appraisal.employee.full_name in text and appraisal.employee.nip_display in text
        assert "DRAF" in text  # scored, not released
    assert sorted(rendered) == sorted(a.pk for a in appraisals)  # each rendered once
    assert not pdf_jobs.job_folder(job).exists()  # the loose files are gone


def test_a_chunk_run_twice_leaves_one_file_per_document_and_renders_nothing_again(zip_world):
    world, rendered = zip_world
    job = start(world)
    chunk = JobChunk.objects.filter(job=job).order_by("index").first()
    first = pdf_jobs.agency_pdf_zip_chunk(job, chunk.items)
    second = pdf_jobs.agency_pdf_zip_chunk(job, chunk.items)
    assert first == {"rendered": len(chunk.items), "skipped": 0}
    assert second == {"rendered": 0, "skipped": len(chunk.items)}
    files = sorted(p.name for p in pdf_jobs.job_folder(job).iterdir())
    assert files == sorted(f"{pk}.pdf" for pk in chunk.items)  # no temporary file either
    assert sorted(rendered) == sorted(chunk.items)


def test_a_chunk_whose_worker_died_resumes_after_the_sweep_with_what_is_missing(zip_world):
    world, rendered = zip_world
    job = start(world)
    chunk = JobChunk.objects.filter(job=job).order_by("index").first()
    # The worker rendered two documents, then died holding the chunk's lease.
    pdf_jobs.agency_pdf_zip_chunk(job, chunk.items[:2])
    JobChunk.objects.filter(pk=chunk.pk).update(
        status="running", attempts=1, claim_token="dead-worker",
        lease_until=timezone.now() - dt.timedelta(seconds=1),
    )  # fmt: skip
    rendered.clear()
    assert jobs_sweep_stale() >= 1
    chunk.refresh_from_db()
    assert chunk.status == "queued"
    job = run_all_chunks(job)
    assert job.status == "done", job.error
    assert set(chunk.items[:2]).isdisjoint(rendered)  # not rendered a second time
    assert set(chunk.items[2:]) <= set(rendered)
    assert len(zip_entries(job)) == job.total


def test_the_zip_is_offered_on_the_job_page_to_its_requester_only(zip_world, client):
    world, _rendered = zip_world
    personas = world.personas
    client.force_login(personas.hr_a.user)
    response = client.post(
        reverse("agency_documents_zip", args=[world.cycle.pk, personas.agency_a.pk])
    )
    job = Job.objects.get(kind="agency_pdf_zip")
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", args=[job.pk]
    )
    again = client.post(
        reverse("agency_documents_zip", args=[world.cycle.pk, personas.agency_a.pk])
    )
    assert again["Location"] == reverse("job_detail", args=[job.pk])  # one at a time
    assert Job.objects.filter(kind="agency_pdf_zip").count() == 1
    job_run(job_id=job.pk)
    job = run_all_chunks(job)
    download = reverse("job_download", args=[job.pk])
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert download in page
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    client.force_login(personas.admin_daerah)
    assert client.get(download).status_code == 404


def test_a_requester_who_no_longer_administers_the_agency_gets_no_zip(zip_world):
    from agencies.models import RoleGrant

    world, rendered = zip_world
    personas = world.personas
    job = pdf_jobs.agency_documents_zip(
        acting_user=user_of(personas.hr_a), cycle=world.cycle, agency=personas.agency_a
    )
    RoleGrant.objects.filter(user=personas.hr_a.user).delete()
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert "tidak lagi berwenang" in job.error and job.status != "done"
    assert not JobChunk.objects.filter(job=job).exists() and rendered == []
