from django import template

from reports.jobs import job_can_download

register = template.Library()


@register.filter
def downloadable_by(job, user) -> bool:
    """``{% if job|downloadable_by:request.user %}``: the job's file, for its requester."""
    return job_can_download(job, user)
