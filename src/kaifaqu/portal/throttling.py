"""Anonymous callers of the public site and API share one rate per client address (DRF's anonymous throttle, also
applied to the pages); signed-in users are not throttled here. The rate is ``KAIFAQU_PUBLIC_RATE`` (default
120 requests a minute)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class PublicThrottle(AnonRateThrottle):
    scope = "public"

    def get_rate(self):
        return getattr(settings, "PUBLIC_RATE", None) or "120/min"


def page_allowed(request):
    """(allowed, seconds to wait) for an anonymous page request, counted with the API's requests."""
    throttle = PublicThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, int(throttle.wait() or 60) + 1
