"""Shared set-up of the OpenID Connect tests: a registered client system, staff with a body
and roles, a citizen with real-name data, and PKCE."""

from __future__ import annotations

import base64
import hashlib
import secrets

from oauth2_provider.models import Application

from egov.accounts.models import CitizenIdentity, ClientPolicy, User
from egov.directory.models import Membership, Organisation, Role

SECRET = "rp-secret-for-tests-0123456789"
REDIRECT = "https://rp.example.gov.cn/callback"
STAFF_PASSWORD = "Staff-test-2026!"
CITIZEN_PASSWORD = "Citizen-test-2026"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return verifier, challenge


def make_client(
    *,
    redirect: str = REDIRECT,
    trusted: bool = True,
    audience: str = ClientPolicy.Audience.EVERYONE,
    policy: dict | None = None,
    name: str = "Archive system",
    **extra,
) -> Application:
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=SECRET,
        redirect_uris=redirect,
        post_logout_redirect_uris=redirect.rsplit("/", 1)[0] + "/logged-out",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=trusted,
        **extra,
    )
    if policy is not None:
        ClientPolicy.objects.create(application=application, audience=audience, **policy)
    return application


def make_staff(username: str = "wang.fang") -> User:
    user = User.objects.create_user(
        username=username,
        password=STAFF_PASSWORD,
        kind=User.Kind.STAFF,
        display_name="王芳",
        mobile="13987654321",
    )
    body = Organisation.objects.create(
        code=f"YC-OIDC-{username}", name_zh="区档案馆", kind=Organisation.Kind.DEPARTMENT
    )
    role, _created = Role.objects.get_or_create(
        code="oidc-clerk", defaults={"name_zh": "档案员", "name_en": "Archivist", "scope": "own"}
    )
    Membership.objects.create(user=user, organisation=body, role=role)
    return user


def make_citizen() -> User:
    user = User.objects.create_citizen(mobile="13912345678", password=CITIZEN_PASSWORD)
    CitizenIdentity.objects.create(user=user, real_name="李四光", id_number="110105194912310021")
    return user
