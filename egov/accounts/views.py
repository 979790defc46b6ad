from base64 import b32encode
from io import BytesIO
from math import ceil
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .backends import throttle_key
from .forms import (
    CitizenIdentityForm,
    EnterpriseIdentityForm,
    LoginForm,
    RegistrationForm,
    TokenForm,
)
from .middleware import needs_two_factor, staff_only


def _next_url(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def lockout(request, original_response=None, credentials=None):
    """django-axes calls this when an identifier is locked out (AXES_LOCKOUT_CALLABLE): the
    login page in the visitor's language, saying what happened and for how long, with the
    identifier as typed (never the password), status 429."""
    typed = request.POST.get("username") or (credentials or {}).get("username") or ""
    form = LoginForm(initial={"username": typed.strip()})
    cool_off = get_cool_off(request)
    if cool_off:
        minutes = max(1, ceil(cool_off.total_seconds() / 60))
        message = ngettext(
            "Too many failed attempts: logging in to this account is blocked for %(minutes)d "
            "minute. Each new attempt during that time starts the wait again. Try again "
            "later, or ask the service desk to unlock the account.",
            "Too many failed attempts: logging in to this account is blocked for %(minutes)d "
            "minutes. Each new attempt during that time starts the wait again. Try again "
            "later, or ask the service desk to unlock the account.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = _(
            "Too many failed attempts: logging in to this account is blocked until the "
            "service desk unlocks it."
        )
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request), "lockout": message},
        status=429,
    )


@require_http_methods(["GET", "POST"])
def login_view(request):
    """Anyone: log in with mobile, e-mail or user name; staff go on to two-factor."""
    form = LoginForm(request.POST or None)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        # One throttling counter per account, whichever identifier and spelling is typed.
        user = authenticate(
            request,
            username=throttle_key(form.cleaned_data["username"]),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return lockout(request)
        if user is None:
            form.add_error(
                "password",
                _("The account or the password is wrong. Check both and try again."),
            )
        else:
            login(request, user)
            if needs_two_factor(user):
                request.session.set_expiry(settings.EGOV_STAFF_SESSION_SECONDS)
                query = urlencode({"next": next_url})
                return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")
            return HttpResponseRedirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    """Anyone: log out."""
    auth_logout(request)
    return redirect("/")


def _totp_qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def _seconds_to_wait(devices) -> int:
    """0 when a code may be checked now; otherwise how long django-otp's throttling (after
    wrong codes) still refuses every one of the user's devices."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        until = (data or {}).get("locked_until")
        waits.append(ceil((until - timezone.now()).total_seconds()) if until else 1)
    return max(1, min(waits)) if waits else 0


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Logged-in staff: confirm the second factor (TOTP); enrol the app on first use."""
    user = request.user
    next_url = _next_url(request)
    if not needs_two_factor(user):
        return staff_only(request)
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    candidates = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"))
    enrolled = bool(candidates)
    if enrolled:
        device = None
    else:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
        candidates = [device]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        wait = _seconds_to_wait(candidates)
        matched = None
        if not wait:
            matched = next((d for d in candidates if d.verify_token(token)), None)
        if matched is not None:
            if not matched.confirmed:
                matched.confirmed = True
                matched.save(update_fields=["confirmed"])
            otp_login(request, matched)
            request.session.set_expiry(settings.EGOV_STAFF_SESSION_SECONDS)
            return HttpResponseRedirect(next_url)
        if wait:
            message = ngettext(
                "Too many wrong codes in a row. Wait %(seconds)d second, then enter the code "
                "your app shows at that moment.",
                "Too many wrong codes in a row. Wait %(seconds)d seconds, then enter the code "
                "your app shows at that moment.",
                wait,
            ) % {"seconds": wait}
        else:
            message = _(
                "This code is not valid. Enter the code your app shows now; if it is refused "
                "again, check that the clock of your phone is right."
            )
        form.add_error("token", message)
    context = {"form": form, "next": next_url, "enrolled": enrolled}
    if device is not None:
        context["secret"] = b32encode(device.bin_key).decode()
        context["qr_svg"] = _totp_qr_svg(device)
    return render(request, "accounts/two_factor.html", context)


@require_http_methods(["GET", "POST"])
def register(request):
    """Anyone (external zone): create a citizen account with a mobile number or e-mail."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.register_citizen(
            mobile=form.cleaned_data["mobile"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="egov.accounts.backends.IdentifierBackend")
        messages.success(request, _("Your account is ready. Now add your real-name data."))
        return redirect("accounts:real_name")
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def real_name(request):
    """The logged-in citizen: give real-name data (name and ID number)."""
    instance = getattr(request.user, "citizen_identity", None)
    form = CitizenIdentityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.set_citizen_identity(
            request.user,
            real_name=form.cleaned_data["real_name"],
            id_number=form.cleaned_data["id_number"],
        )
        messages.success(request, _("Your real-name data has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/real_name.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise(request):
    """The logged-in user: register the enterprise they act for."""
    instance = getattr(request.user, "enterprise_identity", None)
    form = EnterpriseIdentityForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.set_enterprise_identity(request.user, **form.cleaned_data)
        messages.success(request, _("Your enterprise data has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/enterprise.html", {"form": form})


@login_required
def profile(request):
    """The logged-in user: their own account, with their own data masked on screen."""
    return render(request, "accounts/profile.html")
