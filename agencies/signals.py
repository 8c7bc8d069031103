from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .access import scope_for
from .middleware import SESSION_TZ_KEY
from .models import Region


@receiver(user_logged_in)
def remember_region_timezone(sender, request, user, **kwargs):
    region_id = scope_for(user).region_id
    if region_id is not None and hasattr(request, "session"):
        tz = Region.objects.filter(pk=region_id).values_list("timezone", flat=True).first()
        if tz:
            request.session[SESSION_TZ_KEY] = tz
