"""egov as an OpenID Connect provider, through Django's test client: claims filtered by the
client system's policy, staff two-factor before a code, citizens log in, redirect addresses
checked, consent, logout revoking tokens (egov's and RP-initiated), back-channel logout,
discovery and the signing key."""

from __future__ import annotations

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.test import override_settings
from jwcrypto import jwk, jwt
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from egov.accounts.models import ClientPolicy, OidcSubject
from egov.core.models import AuditEntry
from tests.accounts.oidc_helpers import (
    REDIRECT,
    SECRET,
    make_citizen,
    make_client,
    make_staff,
    pkce,
)
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

ALL_CLAIMS = {"allow_name": True, "allow_body": True, "allow_roles": True, "allow_phone": True}


def authorize(client, application, scope="openid", redirect=REDIRECT, **extra):
    verifier, challenge = pkce()
    query = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": redirect,
        "scope": scope,
        "state": "st-1",
        "nonce": "n-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    response = client.get("/oauth/authorize/?" + urlencode(query), HTTP_ACCEPT_LANGUAGE="en")
    return response, verifier


def code_from(response) -> str:
    assert response.status_code == 302, response.content[:500]
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    params = parse_qs(location.query)
    assert "code" in params, params
    assert params["state"] == ["st-1"]
    return params["code"][0]


def exchange(client, application, code, verifier) -> dict:
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()


def id_token_claims(client, id_token: str) -> dict:
    jwks = client.get("/oauth/.well-known/jwks.json").json()
    keys = jwk.JWKSet.from_json(json.dumps(jwks))
    token = jwt.JWT(jwt=id_token, key=keys, algs=["RS256"])
    return json.loads(token.claims)


def login_through(client, application, scope="openid") -> dict:
    response, verifier = authorize(client, application, scope)
    return exchange(client, application, code_from(response), verifier)


def userinfo(client, access_token):
    return client.get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}")


# --- claims -------------------------------------------------------------------------------


def test_claims_are_only_those_the_policy_allows_and_the_scope_asks(client):
    staff = make_staff()
    application = make_client(policy={"allow_name": True, "allow_body": True})
    login_verified(client, staff)
    tokens = login_through(client, application, "openid profile body")
    claims = id_token_claims(client, tokens["id_token"])
    assert claims["aud"] == application.client_id
    assert claims["nonce"] == "n-1"
    assert claims["name"] == "王芳"
    assert claims["body"] == [{"code": "YC-OIDC-wang.fang", "name": "区档案馆"}]
    assert "roles" not in claims and "phone_number" not in claims
    # sub: stable, opaque, neither the user name nor the database id.
    assert claims["sub"] == str(OidcSubject.objects.get(user=staff).sub)
    assert claims["sub"] not in (staff.username, str(staff.pk))
    info = userinfo(client, tokens["access_token"])
    assert info.status_code == 200
    assert info.json() == {"sub": claims["sub"], "name": "王芳", "body": claims["body"]}
    released = AuditEntry.objects.get(action="oidc.login")
    assert released.actor_id == staff.pk
    assert released.detail == {"client_id": application.client_id, "claims": ["name", "body"]}


def test_a_scope_the_policy_does_not_allow_is_refused(client):
    staff = make_staff()
    application = make_client(policy={"allow_name": True})
    login_verified(client, staff)
    response, _verifier = authorize(client, application, "openid profile roles")
    assert response.status_code == 302
    assert parse_qs(urlparse(response["Location"]).query)["error"] == ["invalid_scope"]
    assert not Grant.objects.exists()


def test_all_claims_when_all_are_allowed_with_the_phone_masked(client):
    staff = make_staff()
    application = make_client(policy=ALL_CLAIMS)
    login_verified(client, staff)
    tokens = login_through(client, application, "openid profile body roles phone")
    claims = id_token_claims(client, tokens["id_token"])
    assert claims["phone_number"] == "139****4321"
    assert claims["roles"] == [
        {"body": "YC-OIDC-wang.fang", "role": staff.memberships.get().role.code}
    ]


def test_a_system_without_a_policy_learns_the_subject_only(client):
    staff = make_staff()
    application = make_client(policy=None)
    login_verified(client, staff)
    response, _verifier = authorize(client, application, "openid profile")
    assert parse_qs(urlparse(response["Location"]).query)["error"] == ["invalid_scope"]
    tokens = login_through(client, application, "openid")
    claims = id_token_claims(client, tokens["id_token"])
    assert set(claims) == {"sub", "aud", "iss", "exp", "iat", "auth_time", "jti", "nonce"} | (
        {"at_hash"} & set(claims)
    )


# --- who logs in --------------------------------------------------------------------------


def test_staff_without_two_factor_are_sent_to_it_and_get_no_code(client):
    staff = make_staff()
    application = make_client(policy={"allow_name": True})
    client.force_login(staff)  # password only
    response, _verifier = authorize(client, application, "openid profile")
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == "/accounts/two-factor/"
    assert parse_qs(location.query)["next"][0].startswith("/oauth/authorize/?")
    assert not Grant.objects.exists()
    # After the second factor, the same request gives the system its code.
    login_verified(client, staff)
    assert code_from(client.get(parse_qs(location.query)["next"][0]))


def test_anonymous_visitors_are_sent_to_egov_login_and_back(client):
    application = make_client(policy={})
    response, _verifier = authorize(client, application)
    location = urlparse(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"][0].startswith("/oauth/authorize/?")


def test_a_citizen_logs_in_with_the_normal_login(client):
    citizen = make_citizen()
    application = make_client(policy={"allow_name": True, "allow_phone": True})
    client.force_login(citizen)  # no second factor for citizens
    tokens = login_through(client, application, "openid profile phone")
    claims = id_token_claims(client, tokens["id_token"])
    assert claims["name"] == "李四光"  # the real name
    assert claims["phone_number"] == "139****5678"
    assert claims["sub"] != citizen.username


def test_the_policy_says_who_may_log_in(client):
    citizen = make_citizen()
    staff_only = make_client(policy={}, audience=ClientPolicy.Audience.STAFF)
    client.force_login(citizen)
    response, _verifier = authorize(client, staff_only)
    assert response.status_code == 403
    assert not Grant.objects.exists()
    # Nor by posting the consent form directly.
    _verifier, challenge = pkce()
    posted = client.post(
        "/oauth/authorize/",
        {
            "allow": "on",
            "client_id": staff_only.client_id,
            "redirect_uri": REDIRECT,
            "scope": "openid",
            "response_type": "code",
            "state": "st-1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    assert posted.status_code == 403
    assert not Grant.objects.exists()
    staff = make_staff()
    login_verified(client, staff)
    assert code_from(authorize(client, staff_only)[0])


def test_an_unregistered_redirect_address_is_refused_without_going_there(client):
    staff = make_staff()
    application = make_client(policy={})
    login_verified(client, staff)
    response, _verifier = authorize(
        client, application, redirect="https://attacker.example.com/callback"
    )
    assert response.status_code == 400
    assert b"attacker.example.com" not in response.get("Location", "").encode()
    assert b"invalid_request" in response.content or b"Mismatching" in response.content
    assert not Grant.objects.exists()


def test_a_code_without_pkce_is_refused(client):
    staff = make_staff()
    application = make_client(policy={})
    login_verified(client, staff)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": REDIRECT,
            "scope": "openid",
            "state": "st-1",
        }
    )
    response = client.get("/oauth/authorize/?" + query)
    assert "error=invalid_request" in response["Location"]
    assert not Grant.objects.exists()


# --- consent ------------------------------------------------------------------------------


def test_an_untrusted_system_asks_for_consent_and_a_refusal_is_told_to_it(client):
    staff = make_staff()
    application = make_client(trusted=False, policy={"allow_name": True, "purpose": "档案查询"})
    login_verified(client, staff)
    response, verifier = authorize(client, application, "openid profile")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Log in to Archive system with egov" in page
    assert "Your name" in page and "档案查询" in page
    fields = {f: response.context["form"][f].value() for f in response.context["form"].fields}
    fields = {k: v for k, v in fields.items() if v is not None and k != "allow"}
    refused = client.post("/oauth/authorize/?" + urlencode(fields), fields)
    assert "error=access_denied" in refused["Location"]
    allowed = client.post("/oauth/authorize/", {**fields, "allow": "on"})
    assert exchange(client, application, code_from(allowed), verifier)["id_token"]


# --- logout -------------------------------------------------------------------------------


def test_egov_logout_revokes_the_tokens_of_client_systems(client):
    staff = make_staff()
    application = make_client(policy={"allow_name": True})
    login_verified(client, staff)
    tokens = login_through(client, application, "openid profile")
    assert userinfo(client, tokens["access_token"]).status_code == 200
    client.post("/accounts/logout/")
    assert userinfo(client, tokens["access_token"]).status_code == 401
    introspection = client.post(
        "/oauth/introspect/",
        {"token": tokens["access_token"]},
        HTTP_AUTHORIZATION="Basic "
        + base64.b64encode(f"{application.client_id}:{SECRET}".encode()).decode(),
    )
    assert introspection.json() == {"active": False}
    assert not AccessToken.objects.filter(user=staff).exists()
    assert not RefreshToken.objects.filter(user=staff, revoked__isnull=True).exists()
    entry = AuditEntry.objects.filter(action="oidc.tokens_revoked").get()
    assert entry.detail["clients"] == [application.client_id]


def test_rp_initiated_logout_ends_the_session_and_the_tokens(client):
    staff = make_staff()
    application = make_client(policy={})
    login_verified(client, staff)
    tokens = login_through(client, application)
    after = "https://rp.example.gov.cn/logged-out"
    response = client.get(
        "/oauth/logout/?"
        + urlencode(
            {
                "id_token_hint": tokens["id_token"],
                "post_logout_redirect_uri": after,
                "state": "bye",
            }
        )
    )
    assert response.status_code == 302
    assert response["Location"] == after + "?state=bye"
    assert userinfo(client, tokens["access_token"]).status_code == 401
    assert client.get("/staff/").status_code == 302  # the egov session ended too


def test_rp_initiated_logout_without_a_token_asks_first(client):
    staff = make_staff()
    login_verified(client, staff)
    response = client.get("/oauth/logout/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Log out of egov" in response.content.decode()
    client.post("/oauth/logout/", {"allow": "on"})
    assert "_auth_user_id" not in client.session


def test_back_channel_logout_posts_a_signed_logout_token(
    client, django_capture_on_commit_callbacks
):
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(parse_qs(self.rfile.read(length).decode()))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        staff = make_staff()
        uri = f"http://127.0.0.1:{server.server_port}/backchannel"
        application = make_client(policy={"backchannel_logout_uri": uri})
        login_verified(client, staff)
        login_through(client, application)
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/accounts/logout/")
        thread.join(10)
    finally:
        server.server_close()
    assert received, "no back-channel logout arrived"
    token = received[0]["logout_token"][0]
    claims = id_token_claims(client, token)
    assert claims["aud"] == application.client_id
    assert claims["sub"] == str(staff.oidc_subject.sub)
    assert "http://schemas.openid.net/event/backchannel-logout" in claims["events"]
    assert claims["iss"].endswith("/oauth")


# --- discovery, keys, back-office -----------------------------------------------------------


def test_discovery_and_jwks(client):
    for path in ("/.well-known/openid-configuration", "/oauth/.well-known/openid-configuration"):
        document = client.get(path).json()
        assert document["issuer"] == "http://testserver/oauth"
        assert document["jwks_uri"] == "http://testserver/oauth/.well-known/jwks.json"
        assert document["end_session_endpoint"] == "http://testserver/oauth/logout/"
        assert document["response_types_supported"] == ["code"]
        assert {"sub", "name", "body", "roles", "phone_number"} <= set(document["claims_supported"])
    keys = client.get("/oauth/.well-known/jwks.json").json()["keys"]
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert "d" not in keys[0]  # the public half only


def test_the_signing_key_is_made_once_outside_the_repository(tmp_path):
    from egov.settings.base import EGOV_OIDC_SIGNING_KEY, _oidc_signing_key

    path = tmp_path / "oidc" / "signing.pem"
    first = _oidc_signing_key(path)
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o777 == 0o600
    assert _oidc_signing_key(path) == first
    from django.conf import settings

    assert EGOV_OIDC_SIGNING_KEY.is_relative_to(settings.DATA_DIR) or (
        "EGOV_OIDC_SIGNING_KEY" in os.environ
    )


def test_administrators_register_a_client_system_with_its_claims(client, settings):
    from egov.accounts.models import User

    admin = User.objects.create_superuser("root", password="Root-test-2026!", kind="staff")
    login_verified(client, admin)
    page = client.get("/backoffice/oauth2_provider/application/add/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="egov_policy-0-allow_body"' in html
    assert 'name="redirect_uris"' in html
    response = client.post(
        "/backoffice/oauth2_provider/application/add/",
        {
            "client_id": "archive",
            "client_secret": SECRET,
            "hash_client_secret": "on",
            "name": "Archive",
            "client_type": "confidential",
            "authorization_grant_type": "authorization-code",
            "redirect_uris": REDIRECT,
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
            "algorithm": "RS256",
            "skip_authorization": "on",
            "egov_policy-TOTAL_FORMS": "1",
            "egov_policy-INITIAL_FORMS": "0",
            "egov_policy-MIN_NUM_FORMS": "0",
            "egov_policy-MAX_NUM_FORMS": "1",
            "egov_policy-0-purpose": "档案",
            "egov_policy-0-audience": "staff",
            "egov_policy-0-allow_body": "on",
            "egov_policy-0-backchannel_logout_uri": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    policy = ClientPolicy.objects.get(application__client_id="archive")
    assert policy.allow_body and not policy.allow_name
    assert policy.allowed_scopes() == {"openid", "body"}
    entry = AuditEntry.objects.get(action="oidc.client_registered")
    assert entry.detail["claims"] == ["body"] and entry.detail["trusted"] is True


@override_settings(LANGUAGE_CODE="en")
def test_the_token_endpoint_still_serves_client_credentials(client):
    from oauth2_provider.models import Application

    system = Application.objects.create(
        name="Consumer",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=SECRET,
    )
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": system.client_id,
            "client_secret": SECRET,
            "scope": "read",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["scope"] == "read"
    # Without a scope: the defaults, which the claims policy does not restrict (no person).
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": system.client_id,
            "client_secret": SECRET,
        },
    )
    assert response.status_code == 200, response.content


def test_a_client_system_is_registered_from_the_command_line(client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "oidc_client",
        "Town portal",
        "--redirect-uri",
        REDIRECT,
        "--audience",
        "public",
        "--claims",
        "name,phone",
        "--trusted",
        stdout=out,
    )
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    policy = ClientPolicy.objects.get(application__client_id=lines["client_id"])
    assert policy.allowed_scopes() == {"openid", "profile", "phone"}
    assert policy.audience == "public" and policy.application.skip_authorization
    secret = lines["client_secret"].split()[0]
    citizen = make_citizen()
    client.force_login(citizen)
    response, verifier = authorize(client, policy.application, "openid profile")
    token = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code_from(response),
            "redirect_uri": REDIRECT,
            "client_id": lines["client_id"],
            "client_secret": secret,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200
    assert id_token_claims(client, token.json()["id_token"])["name"] == "李四光"
