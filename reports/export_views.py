"""The Excel exports of a cycle, from the HR cycle page (docs/exports.md).

An Admin HR exports the agencies of the cycle they administer, the Admin Daerah every agency
of the cycle. An export of at most ``EXPORT_DIRECT_MAX_APPRAISALS`` appraisals (a page) is
written within the request; a larger one runs as a background job whose page shows the
progress and then offers the file to the requester only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import require_manager
from appraisals.access import cycle_agencies_managed, get_cycle_for

from .exports import (
    EXPORT_KINDS,
    export_filename,
    export_sheets,
    export_size,
    peer_summary_problem,
)
from .models import Job
from .xlsx import xlsx_response

EXPORT_JOB_KIND = "export_xlsx"


def direct_limit() -> int:
    return int(getattr(settings, "EXPORT_DIRECT_MAX_APPRAISALS", 50))


@login_required
def cycle_exports(request, pk: int):
    """The exports of one cycle: what each holds, for which agencies, and the user's own
    export jobs of this cycle."""
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    agencies = list(cycle_agencies_managed(request.user, cycle).order_by("code", "pk"))
    jobs = Job.objects.filter(
        kind=EXPORT_JOB_KIND, created_by=request.user, payload__cycle=cycle.pk
    ).order_by("-created_at")[:10]
    context = {
        "cycle": cycle,
        "agencies": agencies,
        "kinds": [
            (kind, peer_summary_problem(cycle) if kind.key == "rekan" else "")
            for kind in EXPORT_KINDS.values()
        ],
        "jobs": jobs,
        "direct_limit": direct_limit(),
        "has_due_dates": cycle.scheme.has_due_dates,
        "incentive_in_export": cycle.scheme.incentive_in_export,
    }
    return render(request, "reports/cycle_exports.html", context)


@login_required
@require_POST
def cycle_export(request, pk: int, kind: str):
    """Download one export now (a page of rows at most) or start its job."""
    from .jobs import JobAlreadyRunning, job_create

    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    if kind not in EXPORT_KINDS:
        raise Http404
    agencies = list(cycle_agencies_managed(request.user, cycle).order_by("code", "pk"))
    chosen = request.POST.get("agency") or ""
    if chosen:
        agencies = [a for a in agencies if str(a.pk) == chosen]
        if not agencies:
            raise Http404("Perangkat Daerah tidak ditemukan")
    if not agencies:
        raise Http404("Perangkat Daerah tidak ditemukan")
    agency_ids = [a.pk for a in agencies]
    if kind == "rekan":
        problem = peer_summary_problem(cycle)
        if problem:
            messages.error(request, problem)
            return redirect("cycle_exports", pk=cycle.pk)
    filename = export_filename(cycle, kind, agencies)
    size = export_size(cycle, agency_ids) if EXPORT_KINDS[kind].per_appraisal else 0
    if size <= direct_limit():
        return xlsx_response(filename, export_sheets(cycle, kind, agency_ids))
    # One such export per user at a time: a second click while it runs opens the same job.
    key = f"export:{request.user.pk}:{cycle.pk}:{kind}:" + "-".join(map(str, agency_ids))
    try:
        job = job_create(
            kind=EXPORT_JOB_KIND,
            payload={
                "cycle": cycle.pk,
                "export": kind,
                "agencies": agency_ids,
                "filename": filename,
            },
            created_by=request.user,
            region=cycle.region,
            total=size,
            key=key[:200],
        )
    except JobAlreadyRunning as exc:
        if exc.job is None:
            return redirect("cycle_exports", pk=cycle.pk)
        messages.info(request, _("Ekspor yang sama masih dibuat; ini halamannya."))
        return redirect("job_detail", pk=exc.job.pk)
    messages.success(
        request,
        _("Ekspor sedang dibuat di latar belakang; unduh berkasnya dari halaman ini."),
    )
    return redirect("job_detail", pk=job.pk)
