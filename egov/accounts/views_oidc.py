"""egov's OpenID Connect endpoints where they differ from django-oauth-toolkit's: the
authorization endpoint (staff confirm their second factor first; the system's policy says
who may log in to it) and the consent and logout pages in egov's look and languages."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from oauth2_provider.models import get_application_model
from oauth2_provider.views import AuthorizationView, RPInitiatedLogoutView

from .middleware import needs_two_factor
from .oidc import SCOPE_DESCRIPTIONS, policy_of, revoke_client_tokens


def _refused(request, message):
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


class EgovAuthorizationView(AuthorizationView):
    """Anyone logged in (the mixin sends others to egov's login and back): staff must have
    passed egov's two-factor login in this session before a client system gets a code."""

    template_name = "oauth2_provider/authorize.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and needs_two_factor(user) and not user.is_verified():
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")
        if user.is_authenticated:
            application = (
                get_application_model()
                .objects.filter(
                    client_id=request.POST.get("client_id") or request.GET.get("client_id") or ""
                )
                .first()
            )
            policy = policy_of(application)
            if policy is not None and not policy.admits(user):
                return _refused(
                    request,
                    _(
                        "This system is for government staff only. Your account is a citizen "
                        "or enterprise account."
                    )
                    if policy.audience == policy.Audience.STAFF
                    else _("This system is for citizens and enterprises, not for staff."),
                )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scopes = context.get("scopes") or []
        context["scopes_descriptions"] = [SCOPE_DESCRIPTIONS.get(s, s) for s in scopes]
        application = context.get("application")
        context["policy"] = policy_of(application)
        return context


class EgovLogoutView(RPInitiatedLogoutView):
    """OpenID Connect RP-initiated logout (end_session_endpoint); the tokens of the person
    are revoked by the logout signal (egov.accounts.oidc.on_user_logged_out)."""

    template_name = "oauth2_provider/logout_confirm.html"

    def do_logout(
        self, application=None, post_logout_redirect_uri=None, state=None, token_user=None
    ):
        # The ID token's person may not be logged in here (their egov session already ended):
        # their tokens are revoked all the same.
        if token_user is not None and token_user != self.request.user:
            revoke_client_tokens(token_user)
        return super().do_logout(application, post_logout_redirect_uri, state, token_user)
