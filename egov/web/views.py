from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe
from wagtail.views import serve as wagtail_serve

from egov.directory.models import Organisation
from egov.portal.selectors import profile_page_for

from .context_processors import ELDER_COOKIE

ONE_YEAR = 365 * 24 * 3600


@require_safe
def home(request):
    """Public: the home page of the site of the group that answers for this host (the
    district portal by default), served by Wagtail like every other page of the portal."""
    return wagtail_serve(request, "")


@require_safe
def body_detail(request, code: str):
    """Public: a body's profile. Leads to its profile page in the portal when it has one,
    otherwise shows the facts the directory holds."""
    body = get_object_or_404(Organisation, code=code, is_active=True)
    profile = profile_page_for(body)
    profile_url = profile.get_url(request) if profile is not None else None
    if profile_url:
        return redirect(profile_url)
    return render(request, "web/body_detail.html", {"body": body})


@require_GET
def healthz(request):
    """Anyone: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse(f"ok {settings.EGOV_ZONE}\n", content_type="text/plain")


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


@csrf_exempt  # a display preference only: decision 0014
@require_POST
def set_language(request):
    """Anyone: show the site in another language; kept in Django's language cookie (as
    ``django.views.i18n.set_language``), no JavaScript. Exempt from CSRF like the elder-mode
    switch, so that anonymous pages carry no token and are the same for every visitor."""
    response = HttpResponseRedirect(_safe_next(request))
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or ONE_YEAR,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        )
    return response


@csrf_exempt  # a display preference only: decision 0014
@require_POST
def toggle_elder_mode(request):
    """Anyone: switch the elder-friendly mode on or off; kept in a cookie, no JavaScript."""
    response = HttpResponseRedirect(_safe_next(request))
    turn_on = request.POST.get("elder", "1") == "1"
    if turn_on:
        response.set_cookie(ELDER_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


@login_required
@require_GET
def staff_home(request):
    """Staff, after two-factor (enforced by StaffSecurityMiddleware): the workbench."""
    memberships = request.user.memberships.select_related("organisation", "role")
    user = request.user
    areas = []  # (address, name): the work areas this member's roles open
    if user.has_perm("cases.view_case"):
        areas.append(("/staff/cases/", _("Case processing: my queue")))
    if user.has_perm("supervision.view_signal"):
        areas.append(("/staff/supervision/", _("E-supervision: signals and scores")))
    if request.user.has_perm("disclosure.view_disclosurerequest"):
        areas.append(("/staff/disclosure/", _("Information disclosure: requests on application")))
    if user.has_perm("interaction.view_letter"):
        areas.append(("/staff/interaction/", _("Letters: the mailboxes")))
    if user.has_perm("oa.view_document"):
        areas.append(("/staff/oa/documents/", _("Official documents (公文)")))
    if user.has_perm("interaction.manage_participation"):
        areas.append(("/interaction/manage/", _("Consultations on drafts and surveys")))
    if user.has_perm("sharing.view_resource"):
        areas.append(("/staff/sharing/", _("Resource sharing: the catalogue and access grants")))
    if memberships:  # every staff member: notices to read, invitations, tasks (docs/oa.md)
        areas.append(("/staff/oa/notices/", _("Office: notices, meetings and tasks")))
    # The back-office when it has something for this user: a model of its index they may use.
    if user.is_superuser or (user.is_staff and admin.site.get_app_list(request)):
        areas.append(("/backoffice/", _("Back-office: directory, settings and master data")))
    return render(request, "web/staff_home.html", {"memberships": memberships, "areas": areas})
