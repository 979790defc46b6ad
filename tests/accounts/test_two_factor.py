"""Staff reach the back-office only after two-factor login (TOTP), enrolled on first use;
citizens never do; staff sessions expire."""

import re
import time
from base64 import b32encode
from urllib.parse import quote

import pytest
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import services
from egov.accounts.models import User

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PASSWORD = "Yongchuan-2026!"
TWO_FACTOR = "/accounts/two-factor/"

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{token:0{device.digits}d}"


def a_wrong_code(device: TOTPDevice) -> str:
    """A code that no step the device accepts now would give."""
    valid = {code_for(device, offset) for offset in range(-2, 3)}
    return next(c for c in ("123456", "654321", "111111", "222222") if c not in valid)


@pytest.fixture
def admin_user():
    return User.objects.create_user(
        username="admin1",
        password=PASSWORD,
        kind=User.Kind.STAFF,
        is_staff=True,
        is_superuser=True,
        mobile="13500135000",
    )


@pytest.fixture
def citizen():
    return services.register_citizen(mobile="13800138000", password=PASSWORD)


def password_login(client, username: str):
    return client.post(
        "/accounts/login/?next=/backoffice/", {"username": username, "password": PASSWORD}
    )


def test_anonymous_back_office_visit_goes_to_login(client):
    for path in ("/backoffice/", "/staff/", "/cms/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={quote(path, safe='')}"


def test_staff_with_password_only_is_sent_to_two_factor(client, admin_user):
    response = password_login(client, "admin1")
    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?next=%2Fbackoffice%2F"
    assert client.session["_auth_user_id"] == str(admin_user.pk)
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_enrolment_on_first_use_then_back_office(client, admin_user):
    password_login(client, "admin1")
    page = client.get(f"{TWO_FACTOR}?next=/backoffice/", **EN)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed
    html = page.content.decode()
    assert b32encode(device.bin_key).decode() in html
    assert "<svg" in html
    # Reloading the page shows the same key: one pending device, not a new one each time.
    client.get(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1

    response = client.post(TWO_FACTOR, {"token": code_for(device), "next": "/backoffice/"})
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/backoffice/").status_code == 200


def test_wrong_code_is_refused_with_the_message_next_to_the_field(client, admin_user):
    password_login(client, "admin1")
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=admin_user)
    wrong = a_wrong_code(device)
    response = client.post(TWO_FACTOR, {"token": wrong}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    block = html[html.rfind('<div class="field', 0, html.index('name="token"')) :]
    block = block[: block.index(">", block.index('name="token"')) + 1]
    assert "This code is not valid. Enter the code your app shows now" in block
    assert 'aria-invalid="true"' in block
    assert f'value="{wrong}"' in block
    assert 'href="#id_token"' in html
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/backoffice/").status_code == 302


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12ab56", "The code is made of digits only"),
        ("123", "The code has 6 digits; you typed fewer."),
        ("", "Enter the 6-digit code that your authenticator app shows now."),
    ],
)
def test_malformed_codes_say_what_is_wrong(client, admin_user, typed, message):
    password_login(client, "admin1")
    html = client.post(TWO_FACTOR, {"token": typed}, **EN).content.decode()
    assert message in html
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="token"[^>]*>', html).group(0)


def test_after_wrong_codes_the_next_try_must_wait(client, admin_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 600  # a wait far longer than this test takes
    password_login(client, "admin1")
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=admin_user)
    client.post(TWO_FACTOR, {"token": a_wrong_code(device)}, **EN)
    html = client.post(TWO_FACTOR, {"token": code_for(device)}, **EN).content.decode()
    assert "Too many wrong codes in a row. Wait" in html
    assert DEVICE_ID_SESSION_KEY not in client.session
    device.refresh_from_db()
    assert not device.confirmed


def test_enrolled_staff_confirm_with_their_device(client, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    password_login(client, "admin1")
    page = client.get(TWO_FACTOR).content.decode()
    assert b32encode(device.bin_key).decode() not in page  # the key is never shown again
    response = client.post(TWO_FACTOR, {"token": code_for(device), "next": "/backoffice/"})
    assert response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


def test_verified_superuser_reaches_the_back_office(verified_client, admin_user):
    client = verified_client(admin_user)
    assert client.get("/backoffice/").status_code == 200
    # Already verified: the two-factor page sends them on.
    response = client.get(f"{TWO_FACTOR}?next=/backoffice/")
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"


def test_citizen_cannot_use_two_factor_nor_reach_the_back_office(client, citizen):
    password_login(client, "13800138000")
    assert client.session["_auth_user_id"] == str(citizen.pk)
    response = client.get(TWO_FACTOR, **EN)
    assert response.status_code == 403
    assert "government staff only" in response.content.decode()
    assert client.post(TWO_FACTOR, {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    for path in ("/backoffice/", "/backoffice/accounts/user/", "/staff/", "/cms/"):
        assert client.get(path).status_code == 403, path


def test_citizen_with_a_device_in_session_still_never_reaches_the_back_office(
    verified_client, citizen
):
    client = verified_client(citizen)
    assert client.get("/backoffice/").status_code == 403


def test_staff_session_expires_and_citizen_session_keeps_the_default(client, admin_user, citizen):
    password_login(client, "admin1")
    assert 0 < client.session.get_expiry_age() <= settings.EGOV_STAFF_SESSION_SECONDS
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=admin_user)
    client.post(TWO_FACTOR, {"token": code_for(device)})
    assert 0 < client.session.get_expiry_age() <= settings.EGOV_STAFF_SESSION_SECONDS
    client.get("/backoffice/")
    assert 0 < client.session.get_expiry_age() <= settings.EGOV_STAFF_SESSION_SECONDS

    client.post("/accounts/logout/")
    password_login(client, "13800138000")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE > settings.EGOV_STAFF_SESSION_SECONDS


def test_staff_session_ends_after_idle_time(client, admin_user, settings):
    settings.EGOV_STAFF_SESSION_SECONDS = 1
    password_login(client, "admin1")
    session_key = client.session.session_key
    time.sleep(1.5)
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.session.session_key != session_key
