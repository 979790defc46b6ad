"""egov as an OpenID Connect provider (docs/identity.md, decision 0027).

django-oauth-toolkit answers the protocol; this module decides what a client system learns:
the claims its administrator allowed (``ClientPolicy``) and the person granted by scope,
never more. Logging out of egov revokes the tokens issued to client systems.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings

from egov.core.audit import record
from egov.core.masking import mask

from .models import ClientPolicy, OidcSubject

log = logging.getLogger(__name__)

# The scopes a person is asked about, in their language (the settings' descriptions are for
# the discovery document only).
SCOPE_DESCRIPTIONS = {
    "openid": _("Sign you in with your egov account (an identifier that is not your name)"),
    "profile": _("Your name"),
    "body": _("The bodies you work for"),
    "roles": _("Your roles in those bodies"),
    "phone": _("Your mobile number, with its middle digits hidden"),
    "read": _("Read shared data"),
    "write": _("Write shared data"),
}

# Each claim egov gives, with the scope that carries it and the policy flag that allows it.
CLAIMS = {
    "name": ("profile", "allow_name"),
    "body": ("body", "allow_body"),
    "roles": ("roles", "allow_roles"),
    "phone_number": ("phone", "allow_phone"),
}
IDENTITY_SCOPES = {"profile", "body", "roles", "phone"}


def subject_of(user) -> str:
    """The person's stable subject identifier, made on first use."""
    subject, _created = OidcSubject.objects.get_or_create(user=user)
    return str(subject.sub)


def policy_of(application) -> ClientPolicy | None:
    if application is None:
        return None
    try:
        return application.egov_policy
    except ClientPolicy.DoesNotExist:
        return None


def person_name(user) -> str:
    identity = getattr(user, "citizen_identity", None)
    if identity is not None and identity.real_name:
        return identity.real_name
    return user.display_name or user.get_full_name() or ""


def user_bodies(user) -> list[dict]:
    from egov.directory.models import Organisation

    bodies = Organisation.objects.filter(memberships__user=user).distinct().order_by("path")
    return [{"code": body.code, "name": body.name_zh} for body in bodies]


def user_roles(user) -> list[dict]:
    from egov.directory.models import Membership

    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation", "role")
        .order_by("organisation__path", "role__code")
    )
    return [{"body": m.organisation.code, "role": m.role.code} for m in memberships]


def claim_value(claim: str, user):
    if claim == "name":
        return person_name(user)
    if claim == "body":
        return user_bodies(user)
    if claim == "roles":
        return user_roles(user)
    if claim == "phone_number":
        return mask("mobile", user.mobile) if user.mobile else None
    raise KeyError(claim)


def allowed_claims(application, scopes) -> list[str]:
    """The claims a client system receives for a token with ``scopes``: those its policy
    allows *and* the person granted. A system without a policy gets ``sub`` only."""
    policy = policy_of(application)
    if policy is None:
        return []
    return [
        claim
        for claim, (scope, flag) in CLAIMS.items()
        if scope in scopes and getattr(policy, flag)
    ]


def claims_for(user, application, scopes) -> dict:
    claims = {"sub": subject_of(user)}
    for claim in allowed_claims(application, scopes):
        value = claim_value(claim, user)
        if value not in (None, ""):
            claims[claim] = value
    return claims


class EgovOAuth2Validator(OAuth2Validator):
    """DOT's validator, with egov's subject, claims and the client's claims policy."""

    oidc_claim_scope = {
        "sub": "openid",
        **{claim: scope for claim, (scope, _flag) in CLAIMS.items()},
    }

    def get_discovery_claims(self, request):
        return ["sub", *CLAIMS]

    def get_oidc_claims(self, token, token_handler, request):
        return claims_for(request.user, request.client, request.scopes or [])

    def finalize_id_token(self, id_token, token, token_handler, request):
        """Sign the ID token, and write to the audit log which system received which of the
        person's claims (the release of personal data to another system)."""
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        record(
            "oidc.login",
            actor=request.user,
            obj=request.user,
            purpose=f"login to {request.client.client_id}",
            detail={
                "client_id": request.client.client_id,
                "claims": allowed_claims(request.client, request.scopes or []),
            },
        )
        return signed

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        """A client system may ask for the identity scopes its policy allows, no others."""
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        if getattr(request, "grant_type", None) == "client_credentials":
            return True  # a system acting for itself (the sharing API): no person's claims
        wanted = set(scopes) & (IDENTITY_SCOPES | {"openid"})
        if not wanted:
            return True
        policy = policy_of(client)
        allowed = policy.allowed_scopes() if policy else {"openid"}
        return wanted <= allowed


def revoke_client_tokens(user) -> int:
    """Revoke every token issued to client systems for ``user`` (access, refresh and ID
    tokens), so that a system checking a token (userinfo, introspection) is refused.
    Returns how many access tokens were revoked."""
    AccessToken = get_access_token_model()
    RefreshToken = get_refresh_token_model()
    with transaction.atomic():
        tokens = list(
            AccessToken.objects.filter(user=user).select_related("id_token", "application")
        )
        refresh = list(RefreshToken.objects.filter(user=user, revoked__isnull=True))
        applications = {t.application for t in tokens if t.application_id}
        for token in tokens:
            if token.id_token_id:
                token.id_token.revoke()
            token.revoke()
        for refresh_token in refresh:
            refresh_token.revoke()
        if tokens or refresh:
            record(
                "oidc.tokens_revoked",
                actor=user,
                obj=user,
                detail={
                    "access_tokens": len(tokens),
                    "clients": sorted(a.client_id for a in applications),
                },
            )
    return len(tokens)


def on_user_logged_out(sender, request, user, **kwargs):
    """Logout propagates: whatever ends an egov session (its logout page, a client system's
    RP-initiated logout) revokes the person's tokens in client systems."""
    if user is None or not user.is_authenticated:
        return
    applications = list(
        get_access_token_model()
        .objects.filter(user=user, application__isnull=False)
        .values_list("application", flat=True)
        .distinct()
    )
    revoke_client_tokens(user)
    if applications:
        from .backchannel import notify_logout

        issuer = oauth2_settings.oidc_issuer(request) if request is not None else ""
        transaction.on_commit(lambda: notify_logout(user.pk, applications, issuer))
