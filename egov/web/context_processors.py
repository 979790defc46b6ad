from django.conf import settings
from django.urls import get_urlconf

ELDER_COOKIE = "egov_elder"


def current_zone() -> str:
    """The zone whose URLs this request is served from (egov.urls.<zone>)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    zone = str(urlconf).rsplit(".", 1)[-1]
    return zone if zone in settings.ZONES else settings.EGOV_ZONE


def egov(request):
    user = getattr(request, "user", None)
    context = {
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        "egov_zone": current_zone(),
        "calendar_warning": None,
    }
    if user is not None and user.is_authenticated and user.is_staff:
        from egov.core.calendar import missing_next_year_warning

        context["calendar_warning"] = missing_next_year_warning(user)
    return context
