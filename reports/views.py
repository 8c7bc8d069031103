from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from asn_portal.private_files import private_file_response

from .jobs import job_can_download
from .models import Job


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
