"""A dashboard list of more than a page of rows as an Excel file written by a job, offered on
the job page to its requester only (docs/dashboards.md)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from agencies.models import User
from appraisals.models import Cycle

from . import dashboard_exports as exports
from . import dashboards
from .jobs import job_attach_file, job_create, job_handler
from .models import Job
from .xlsx import XLSX_CONTENT_TYPE, write_workbook

KIND = "dashboard_xlsx"


def dashboard_download_start(*, acting_user: User, page: str, cycle: Cycle | None) -> Job:
    """One file per person, list and cycle at a time (``JobAlreadyRunning`` names it)."""
    cycle_pk = cycle.pk if cycle is not None else None
    return job_create(
        kind=KIND,
        payload={"page": page, "cycle": cycle_pk},
        created_by=acting_user,
        region=cycle.region if cycle is not None else None,
        total=1,
        key=f"{KIND}:{acting_user.pk}:{page}:{cycle_pk}",
    )


def _sheets(user: User, page: str, cycle: Cycle | None) -> tuple[str, list[Any]]:
    from .dashboard_views import EXPORTS

    reach = dashboards.reach_for(user)  # the requester's reach as it is when the job runs
    if page == "dashboard_promotion":
        return "kelayakan-promosi.xlsx", exports.promotion(reach)
    if page not in EXPORTS or cycle is None:
        raise ValueError(f"Daftar tidak dikenal: {page}")
    slug = page.removeprefix("dashboard_").replace("_", "-")
    return f"{slug}-{cycle.pk}.xlsx", EXPORTS[page](reach, cycle)


@job_handler(KIND)
def dashboard_xlsx(job: Job, progress: Any) -> dict[str, Any]:
    """Run twice, it writes the same file again (the attachment is replaced)."""
    if job.created_by is None:
        raise ValueError("Akun yang meminta berkas ini sudah tidak ada.")
    cycle_pk = job.payload.get("cycle")
    cycle = Cycle.objects.get(pk=cycle_pk) if cycle_pk else None
    filename, sheets = _sheets(job.created_by, job.payload["page"], cycle)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        rows = write_workbook(path, sheets)
        job_attach_file(job, path, filename=filename, content_type=XLSX_CONTENT_TYPE)
    finally:
        Path(path).unlink(missing_ok=True)
    progress(1, 1)
    return {"rows": rows, "filename": filename}
