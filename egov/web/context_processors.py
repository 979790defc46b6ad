from django.conf import settings

ELDER_COOKIE = "egov_elder"


def egov(request):
    user = getattr(request, "user", None)
    context = {
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
        "egov_zone": settings.EGOV_ZONE,
        "calendar_warning": None,
    }
    if user is not None and user.is_authenticated and user.is_staff:
        from egov.core.calendar import missing_next_year_warning

        context["calendar_warning"] = missing_next_year_warning(user)
    return context
