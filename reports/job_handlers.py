"""Background handlers of the reports app: the Excel exports of a cycle (docs/exports.md);
the ZIP of an agency's evaluation documents lives in `pdf_jobs` (docs/reports.md) and
registers here."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

from appraisals.access import cycle_agencies_managed
from appraisals.models import Cycle

from . import dashboard_jobs, pdf_jobs  # noqa: F401  (register their handlers)
from .exports import EXPORT_KINDS, Counter, export_filename, export_sheets
from .jobs import job_attach_file, job_handler
from .xlsx import XLSX_CONTENT_TYPE, write_workbook


@job_handler("export_xlsx")
def export_xlsx(job: Any, progress: Any) -> dict[str, Any]:
    """Write the export to a temporary file in bounded memory and attach it to the job.

    The requester's access is checked again when the job runs: only the agencies they still
    administer are exported. Run twice, it writes the same file again (the attachment is
    replaced)."""
    payload = job.payload
    kind = payload["export"]
    if kind not in EXPORT_KINDS:
        raise ValueError(f"Jenis ekspor tidak dikenal: {kind}")
    cycle = Cycle.objects.select_related("region").get(pk=payload["cycle"])
    user = job.created_by
    allowed = set()
    if user is not None:
        allowed = set(cycle_agencies_managed(user, cycle).values_list("pk", flat=True))
    agency_ids = [pk for pk in payload.get("agencies", []) if pk in allowed]
    if not agency_ids:
        raise PermissionDenied("Anda tidak lagi berwenang atas Perangkat Daerah ekspor ini.")
    agencies = list(cycle.agencies.filter(pk__in=agency_ids).order_by("code", "pk"))
    filename = payload.get("filename") or export_filename(cycle, kind, agencies)
    counter = Counter(total=job.total, progress=progress)
    with tempfile.TemporaryDirectory(prefix="ekspor-") as folder:
        path = Path(folder) / filename
        rows = write_workbook(path, export_sheets(cycle, kind, agency_ids, counter=counter))
        job_attach_file(job, path, filename=filename, content_type=XLSX_CONTENT_TYPE)
    progress(job.total, job.total)
    return {"rows": rows, "file": filename}
