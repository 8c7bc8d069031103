from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from .access import scope_for
from .middleware import SESSION_TZ_KEY
from .models import Employee, Region


@receiver(user_logged_in)
def remember_region_timezone(sender, request, user, **kwargs):
    region_id = scope_for(user).region_id
    if region_id is not None and hasattr(request, "session"):
        tz = Region.objects.filter(pk=region_id).values_list("timezone", flat=True).first()
        if tz:
            request.session[SESSION_TZ_KEY] = tz


@receiver(email_confirmed)
def apply_confirmed_email(sender, request, email_address, **kwargs):
    """A new address confirmed from that address becomes the account's and the employee's."""
    from .services import employee_email_confirm

    employee_email_confirm(email_address=email_address)


@receiver(pre_delete, sender=Employee)
def revoke_grants_of_removed_employee(sender, instance, **kwargs):
    """Roles belong to a person: removing their record revokes them, so that a login left
    without a record carries no roles for whoever imports that NIP next."""
    from .services import grants_revoke_for

    grants_revoke_for(employee=instance, acting_user=None)


@receiver(post_delete, sender=Employee)
def detach_subordinates_of_removed_employee(sender, instance, **kwargs):
    """The foreign key set the subordinates' supervisor to nothing; their paths follow."""
    from .paths import detach_subtree

    detach_subtree(instance)
