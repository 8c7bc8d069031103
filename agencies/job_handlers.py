"""Background work of the organisation app."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from asn_portal.mail import send_templated_mail
from reports.jobs import job_handler, job_item_done, job_items_done

from .models import User


def invitation_url(user: User) -> str:
    """A set-password link: allauth's password-reset-from-key page, valid until used."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.PORTAL_BASE_URL.rstrip("/") + path.replace("UID-KEY", key)


@job_handler("send_invitations")
def send_invitations(job, progress) -> dict:
    """Invite new accounts to set a password. Each invitation is recorded (``job_item_done``)
    before it is sent, so a retry, or a second worker on the same job, never e-mails anyone
    twice; a user who has a password meanwhile is skipped."""
    user_ids = job.payload["user_ids"]
    users = User.objects.filter(pk__in=user_ids).select_related("employee_record").order_by("pk")
    done = job_items_done(job)
    for index, user in enumerate(users, start=1):
        if str(user.pk) in done or user.has_usable_password() or not user.email:
            continue
        if job_item_done(job, user.pk):
            continue
        send_templated_mail(
            template="invitation",
            to=[user.email],
            context={"user": user, "name": user.display_name(), "url": invitation_url(user)},
            language=job.language,
        )
        if index % 20 == 0:
            progress(index, len(user_ids))
    progress(len(user_ids), len(user_ids))
    return {"sent": sorted(int(key) for key in job_items_done(job))}


@job_handler("import_file")
def import_file(job, progress) -> dict:
    """Check or write an upload from the HR import pages (the commands run in the foreground)."""
    from .services import import_run_process

    return import_run_process(
        run_id=job.payload["run_id"], mode=job.payload["mode"], progress=progress
    )
