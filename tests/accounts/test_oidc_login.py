"""Issue 10's acceptance: a relying party in its own process (tests/accounts/oidc_rp.py, built
with authlib) logs a staff member in through the running egov server — password, then the
TOTP code, over HTTP as a browser would — receives the claims its policy allows (the ID
token verified with egov's JWKS), and is refused after the staff member logs out of egov."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import OidcSubject
from tests.accounts.oidc_helpers import STAFF_PASSWORD, make_client, make_staff
from tests.conftest import subprocess_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RP_SCRIPT = Path(__file__).with_name("oidc_rp.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _csrf(browser: requests.Session) -> str:
    return browser.cookies["csrftoken"]


def _form_post(browser, response, data) -> requests.Response:
    """Submit the page's form as a browser does (same address, the page's CSRF token)."""
    assert re.search(r'name="csrfmiddlewaretoken"', response.text), response.url
    return browser.post(response.url, data={"csrfmiddlewaretoken": _csrf(browser), **data})


@pytest.fixture
def relying_party(live_server):
    port = _free_port()
    redirect = f"http://127.0.0.1:{port}/callback"
    application = make_client(
        redirect=redirect,
        name="District archive system",
        policy={"allow_name": True, "allow_body": True, "allow_roles": True},
    )
    issuer = f"{live_server.url}/oauth"
    process = subprocess.Popen(
        [
            sys.executable,
            str(RP_SCRIPT),
            issuer,
            application.client_id,
            "rp-secret-for-tests-0123456789",
            str(port),
        ],
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", process.stderr.read()
        yield {"url": f"http://127.0.0.1:{port}", "application": application, "issuer": issuer}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_relying_party_logs_a_staff_member_in_and_is_refused_after_logout(relying_party):
    staff = make_staff()
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"

    # The system sends the browser to egov, which asks for the password first.
    page = browser.get(f"{relying_party['url']}/login", timeout=20)
    assert "/accounts/login/" in page.url and "next=/oauth/authorize/" in page.url
    page = _form_post(browser, page, {"username": staff.username, "password": STAFF_PASSWORD})
    # Staff: the second factor before the system gets anything.
    assert "/accounts/two-factor/" in page.url, page.url
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    result = _form_post(browser, page, {"token": str(code).zfill(device.digits)})
    # ... then back to the authorization endpoint, and (a trusted system) to the callback.
    assert result.url.startswith(f"{relying_party['url']}/callback"), result.url
    data = result.json()
    assert "error" not in data, data

    claims = data["id_token"]  # verified by the relying party with egov's JWKS
    assert claims["iss"] == relying_party["issuer"]
    assert claims["aud"] == relying_party["application"].client_id
    assert claims["sub"] == str(OidcSubject.objects.get(user=staff).sub)
    assert claims["name"] == "王芳"
    assert claims["body"] == [{"code": "YC-OIDC-wang.fang", "name": "区档案馆"}]
    assert claims["roles"] == [
        {"body": "YC-OIDC-wang.fang", "role": staff.memberships.get().role.code}
    ]
    assert "phone_number" not in claims  # not allowed by the system's policy
    assert data["userinfo_status"] == 200
    assert data["introspection"]["active"] is True

    # The staff member logs out of egov: the system's token is refused from then on.
    egov = relying_party["issuer"].removesuffix("/oauth")
    browser.post(
        f"{egov}/accounts/logout/",
        data={"csrfmiddlewaretoken": _csrf(browser)},
        timeout=20,
    )
    after = browser.get(f"{relying_party['url']}/check", timeout=20).json()
    assert after["userinfo_status"] == 401
    assert after["introspection_status"] == 200
    assert after["introspection"] == {"active": False}


@pytest.mark.browser
def test_a_citizen_consents_in_a_browser_and_axe_finds_nothing(live_server, browser):
    """The consent and logout pages, in a real browser without JavaScript: a citizen logs in
    with the normal login, allows an untrusted system, and is asked before logging out."""
    from urllib.parse import urlencode

    from tests.accounts.oidc_helpers import CITIZEN_PASSWORD, make_citizen, pkce
    from tests.portal.test_browser import check_with_axe

    make_citizen()
    landing = f"{live_server.url}/healthz"
    application = make_client(
        redirect=landing,
        trusted=False,
        audience="public",
        name="镇街便民服务系统",
        policy={"allow_name": True, "allow_phone": True, "purpose": "预约上门服务"},
    )
    _verifier, challenge = pkce()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": landing,
            "scope": "openid profile phone",
            "state": "s1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/oauth/authorize/?{query}")
        assert "/accounts/login/" in page.url
        page.fill("input[name=username]", "13912345678")
        page.fill("input[name=password]", CITIZEN_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert "/oauth/authorize/" in page.url
        assert "镇街便民服务系统" in page.locator("h1").inner_text()
        assert "预约上门服务" in page.inner_text("main")
        assert check_with_axe(browser, page.url, context.cookies()) == []
        page.click("button[name=allow]")
        page.wait_for_load_state()
        assert page.url.startswith(landing + "?code=") and "state=s1" in page.url

        page.goto(f"{live_server.url}/oauth/logout/")
        assert check_with_axe(browser, page.url, context.cookies()) == []
        page.click("button[name=allow]")
        page.wait_for_load_state()
        assert "sessionid" not in {c["name"] for c in context.cookies()}
    finally:
        context.close()
