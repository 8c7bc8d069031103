from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access import require_manager
from appraisals.access import cycle_agencies_managed, get_appraisal_for, get_cycle_for
from asn_portal.private_files import private_file_response

from . import pdf
from .jobs import JobAlreadyRunning, job_can_download
from .models import Job
from .pdf_jobs import agency_documents_zip, agency_recap_start, recap_direct_limit, recap_size


@login_required
def job_list(request):
    """The jobs the user started (newest first), with the files they made."""
    jobs = Job.objects.filter(created_by=request.user).order_by("-created_at", "-pk")[:50]
    return render(request, "reports/job_list.html", {"jobs": jobs})


@login_required
def job_detail(request, pk: int):
    """A job's status and progress; htmx polls the partial until the job ends."""
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk)
    template = "reports/partials/job_status.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def job_download(request, pk: int):
    """The file a job made, for the user who asked for it (anyone else: 404)."""
    job = get_object_or_404(Job, pk=pk, created_by=request.user)
    if not job_can_download(job, request.user):
        raise Http404
    return private_file_response(
        job.result_file,
        content_type=job.result_content_type or "application/octet-stream",
        filename=job.result_file_name or "hasil",
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def appraisal_document(request, pk: int):
    """The employee's evaluation document (PDF), rendered on request."""
    access = get_appraisal_for(request.user, pk)
    if not access.can_download_pdf:
        raise PermissionDenied("Dokumen evaluasi dapat diunduh setelah hasil penilaian dirilis")
    content = pdf.appraisal_pdf(access.appraisal)
    return _pdf_response(content, pdf.appraisal_pdf_filename(access.appraisal))


def _managed_agency(request, pk: int, agency_pk: int):
    """The cycle and one of its agencies that the user administers (Admin HR: theirs; Admin
    Daerah: all), else 404."""
    require_manager(request.user)
    cycle = get_cycle_for(request.user, pk)
    agency = cycle_agencies_managed(request.user, cycle).filter(pk=agency_pk).first()
    if agency is None:
        raise Http404("Perangkat Daerah tidak ditemukan pada siklus ini")
    return cycle, agency


def _start_job(request, cycle, start, *, running_text: str, started_text: str):
    """Start a document job (one at a time per person): its page, or the one running."""
    try:
        job = start()
    except JobAlreadyRunning as running:
        if running.job is None:
            return redirect("cycle_detail", pk=cycle.pk)
        messages.info(request, running_text)
        return redirect("job_detail", pk=running.job.pk)
    messages.success(request, started_text)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agency_recap_document(request, pk: int, agency_pk: int):
    """An agency's predikat recap (PDF): its Admin HR, or the Admin Daerah. A recap of a few
    pages renders now; a larger agency's is offered as a background job (POST), whose page
    shows its progress and then the file."""
    cycle, agency = _managed_agency(request, pk, agency_pk)
    size = recap_size(cycle, agency)
    if request.method == "GET" and size <= recap_direct_limit():
        content = pdf.agency_recap_pdf(cycle, agency, acting_user=request.user)
        return _pdf_response(content, pdf.agency_recap_filename(cycle, agency))
    if request.method == "GET":
        return render(
            request, "reports/recap_job.html", {"cycle": cycle, "agency": agency, "size": size}
        )
    return _start_job(
        request, cycle,
        lambda: agency_recap_start(acting_user=request.user, cycle=cycle, agency=agency),
        running_text=_("Rekap predikat Perangkat Daerah ini sedang disiapkan."),
        started_text=_("Rekap predikat sedang disiapkan. Halaman ini menunjukkan kemajuannya."),
    )  # fmt: skip


@login_required
@require_POST
def agency_documents_zip_start(request, pk: int, agency_pk: int):
    """Start the ZIP of an agency's evaluation documents (a background job on the `pdf`
    queue) and show its progress; the file is offered on the job page to the requester."""
    cycle, agency = _managed_agency(request, pk, agency_pk)
    return _start_job(
        request, cycle,
        lambda: agency_documents_zip(acting_user=request.user, cycle=cycle, agency=agency),
        running_text=_("ZIP dokumen Perangkat Daerah ini sedang disiapkan."),
        started_text=_("ZIP dokumen sedang disiapkan. Halaman ini menunjukkan kemajuannya."),
    )  # fmt: skip
