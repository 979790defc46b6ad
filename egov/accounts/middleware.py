"""Staff security: two-factor before any back-office page, and staff sessions that expire."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse


def is_backoffice_path(path: str) -> bool:
    return path.startswith(tuple(settings.EGOV_BACKOFFICE_PREFIXES))


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if authenticated and (user.is_staff or user.kind == "staff"):
            # Idle timeout for staff: each request pushes the end of the session forward.
            request.session.set_expiry(settings.EGOV_STAFF_SESSION_SECONDS)
        if is_backoffice_path(request.path):
            query = urlencode({"next": request.get_full_path()})
            if not authenticated:
                return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
            if not user.is_verified():
                return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)
