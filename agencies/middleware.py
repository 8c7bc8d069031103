import zoneinfo

from django.utils import timezone

SESSION_TZ_KEY = "asn_timezone"


class RegionTimezoneMiddleware:
    """Show times in the user's region time zone (WIB, WITA or WIT), stored at login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(SESSION_TZ_KEY) if hasattr(request, "session") else None
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
