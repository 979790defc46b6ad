"""Staff security: two-factor before any back-office page, and staff sessions that expire."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def is_backoffice_path(path: str) -> bool:
    return path.startswith(tuple(settings.EGOV_BACKOFFICE_PREFIXES))


def needs_two_factor(user) -> bool:
    """Staff (by kind or by Django's staff flag) confirm every login with a second factor."""
    return bool(user.is_staff or user.kind == "staff")


def staff_only(request):
    """The 403 page that a logged-in citizen or enterprise user gets on a staff page."""
    message = _(
        "This page is for government staff only. Your account is a citizen or enterprise "
        "account: use the online service hall instead."
    )
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        staff = authenticated and needs_two_factor(user)
        if staff:
            # Idle timeout for staff: each request pushes the end of the session forward.
            request.session.set_expiry(settings.EGOV_STAFF_SESSION_SECONDS)
        if is_backoffice_path(request.path):
            query = urlencode({"next": request.get_full_path()})
            if not authenticated:
                return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
            if not staff:
                return staff_only(request)
            if not user.is_verified():
                return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)
