"""Background jobs of the documents (docs/reports.md): the ZIP of an agency's documents.

The job fans out over the `pdf` queue in chunks of appraisals; each chunk renders its
documents to files in the job's private folder, skipping those already rendered, so a chunk
run again (a retry, or a worker that died and whose lease the sweep expired) renders only
what is missing and never makes a second file for an appraisal. The finisher, run once when
every chunk is done, packs the files into one ZIP offered on the job page to its requester.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from agencies.models import Agency, User
from appraisals.access import cycle_agencies_managed
from appraisals.models import Appraisal, Cycle

from .jobs import (
    chunk_handler,
    job_attach_file,
    job_create,
    job_fan_out,
    job_finisher,
    job_handler,
    job_item_done,
    job_items_done,
)
from .models import Job
from .pdf import appraisal_pdf, appraisal_pdf_filename, appraisals_of, slug

KIND = "agency_pdf_zip"
CHUNK_SIZE = 20


def agency_documents_zip(*, acting_user: User, cycle: Cycle, agency: Agency) -> Job:
    """Start the ZIP of every evaluation document of one agency in a cycle, for its Admin HR
    or the Admin Daerah. One at a time per person, agency and cycle: while one is queued or
    running, ``JobAlreadyRunning`` names it."""
    if not cycle_agencies_managed(acting_user, cycle).filter(pk=agency.pk).exists():
        raise PermissionDenied("Perangkat Daerah di luar wewenang Anda")
    return job_create(
        kind=KIND,
        payload={"cycle": cycle.pk, "agency": agency.pk},
        created_by=acting_user,
        region=cycle.region,
        total=Appraisal.objects.filter(cycle=cycle, agency=agency).count(),
        key=f"{KIND}:{cycle.pk}:{agency.pk}:{acting_user.pk}",
    )


def job_folder(job: Job) -> Path:
    """Where a job's rendered documents wait for the ZIP: private, one folder per job."""
    return Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk) / "dokumen"


def rendered_path(job: Job, appraisal_id: int) -> Path:
    return job_folder(job) / f"{appraisal_id}.pdf"


def _write_atomically(path: Path, content: bytes) -> None:
    """A temporary file beside the target, renamed over it: a crash never leaves half a PDF
    under the final name, and two runs of a chunk leave one file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@job_handler(KIND, queue="pdf")
def agency_pdf_zip(job: Job, progress: Any) -> Any:
    """The requester's access is checked again when the job runs: someone who no longer
    administers the agency gets no ZIP."""
    cycle = Cycle.objects.select_related("region").get(pk=job.payload["cycle"])
    user = job.created_by
    managed = cycle_agencies_managed(user, cycle) if user is not None else None
    if managed is None or not managed.filter(pk=job.payload["agency"]).exists():
        raise PermissionDenied("Anda tidak lagi berwenang atas Perangkat Daerah ini.")
    agency = cycle.agencies.get(pk=job.payload["agency"])
    return job_fan_out(job, items=list(appraisals_of(cycle, agency)), chunk_size=CHUNK_SIZE)


@chunk_handler(KIND)
def agency_pdf_zip_chunk(job: Job, items: list[Any]) -> dict[str, Any]:
    done = job_items_done(job)
    rendered = skipped = 0
    for appraisal in Appraisal.objects.filter(pk__in=items).order_by("pk"):
        path = rendered_path(job, appraisal.pk)
        if str(appraisal.pk) in done and path.exists():
            skipped += 1
            continue
        _write_atomically(path, appraisal_pdf(appraisal))
        job_item_done(job, appraisal.pk)
        rendered += 1
    return {"rendered": rendered, "skipped": skipped}


def zip_filename(cycle: Cycle, agency_code: str) -> str:
    return f"dokumen_evaluasi_{slug(agency_code)}_{slug(cycle.name)}.zip"


@job_finisher(KIND)
def agency_pdf_zip_finish(job: Job, chunk_results: list[dict[str, Any]]) -> dict[str, Any]:
    cycle = Cycle.objects.get(pk=job.payload["cycle"])
    agency = cycle.agencies.get(pk=job.payload["agency"])
    appraisals = list(
        Appraisal.objects.filter(pk__in=list(appraisals_of(cycle, agency)))
        .select_related("employee")
        .order_by("employee__name", "pk")
    )
    folder = job_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    missing = [a for a in appraisals if not rendered_path(job, a.pk).exists()]
    for appraisal in missing:  # a file lost since its chunk ran: render it again
        _write_atomically(rendered_path(job, appraisal.pk), appraisal_pdf(appraisal))
    names: set[str] = set()
    fd, archive = tempfile.mkstemp(suffix=".zip", dir=folder.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            for appraisal in appraisals:
                name = appraisal_pdf_filename(appraisal)
                if name in names:  # never two entries with one name
                    name = f"{name.removesuffix('.pdf')}_{appraisal.pk}.pdf"
                names.add(name)
                bundle.write(rendered_path(job, appraisal.pk), arcname=name)
        job_attach_file(
            job, archive, filename=zip_filename(cycle, agency.code),
            content_type="application/zip",
        )  # fmt: skip
    finally:
        Path(archive).unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    rendered = sum(r.get("rendered", 0) for r in chunk_results)
    return {"documents": len(appraisals), "rendered": rendered + len(missing)}
