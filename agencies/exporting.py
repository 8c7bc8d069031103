"""Exports of lists that can reach province scale: a small one is answered in the request,
a large one becomes a job that streams the file to disk and offers it to its requester.

An export is registered by name with a *builder* ``builder(user, params) -> ExportPlan`` that
checks the user's access (raising ``Http404``/``PermissionDenied`` as the access helpers do)
and says what the file holds. The view calls :func:`export_response`; the job handler
``export_file`` calls the same builder again with the requester, so the rows written are the
ones the requester may see when the job runs. Apps above ``agencies`` register their own
exports (``feedback``: the survey answers) from their ``AppConfig.ready()``.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from reports.jobs import JobAlreadyRunning, job_attach_file, job_create, job_handler

from .importing.writer import write_xlsx_to
from .models import Region, User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ExportPlan:
    headers: Sequence[str]
    rows: Callable[[], Iterable[Sequence[object]]]  # called once, streams the rows
    count: Callable[[], int]  # how many rows (may stop counting past the inline limit)
    filename: str
    title: str = "Data"
    text_headers: Sequence[str] = field(default_factory=tuple)
    region: Region | None = None  # the job's region (the Admin Daerah sees its jobs)


Builder = Callable[[User, dict[str, Any]], ExportPlan]
EXPORTS: dict[str, Builder] = {}


def register_export(name: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        EXPORTS[name] = builder
        return builder

    return register


def inline_limit() -> int:
    """Up to this many rows (a page) an export is written in the request; above, by a job."""
    return int(settings.EXPORT_INLINE_MAX_ROWS)


def export_write(plan: ExportPlan, target, *, progress: Callable[[int], None] | None = None) -> int:
    return write_xlsx_to(
        target,
        plan.headers,
        plan.rows(),
        text_headers=plan.text_headers,
        title=plan.title,
        progress=progress,
    )


def export_response(request: HttpRequest, name: str, params: dict[str, Any]) -> HttpResponse:
    """The file itself when it is small; otherwise a page that offers a job (GET), and on its
    POST the job and the job page to follow it."""
    plan = EXPORTS[name](request.user, params)
    rows = plan.count()
    if rows <= inline_limit():
        buffer = io.BytesIO()
        export_write(plan, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{plan.filename}"'
        return response
    if request.method != "POST":
        # A GET changes nothing: it says why the file is not here yet and offers the job.
        return render(
            request,
            "agencies/export_job_confirm.html",
            {"rows": rows, "limit": inline_limit(), "filename": plan.filename},
        )
    # One export per person and file at a time: a second click follows the first job.
    key = "export:{}:{}:{}".format(
        request.user.pk, name, json.dumps(params, sort_keys=True, separators=(",", ":"))
    )[:200]
    for _attempt in range(2):  # the running job may end between the refusal and its read
        try:
            job = job_create(
                kind="export_file",
                payload={"export": name, "params": params},
                created_by=request.user,
                region=plan.region,
                total=rows,
                key=key,
            )
        except JobAlreadyRunning as running:
            if running.job is None:
                continue
            job = running.job
        break
    return redirect("job_detail", pk=job.pk)


@job_handler("export_file")
def export_file(job, progress) -> dict[str, Any]:
    """Write the export for its requester into a temporary file, then attach it to the job
    (offered on the job page to the requester only). Run twice, it writes the file again."""
    plan = EXPORTS[job.payload["export"]](job.created_by, job.payload["params"])
    total = job.total
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        written = export_write(plan, path, progress=lambda done: progress(done, max(total, done)))
        progress(written, written)
        job_attach_file(job, path, filename=plan.filename, content_type=XLSX)
    finally:
        os.unlink(path)
    return {"rows": written, "filename": plan.filename}
