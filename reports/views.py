from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Job


@login_required
def job_detail(request, pk: int):
    """A job's status and progress; htmx polls the partial until the job ends."""
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk)
    template = "reports/partials/job_status.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": job})
