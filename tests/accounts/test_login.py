"""Login by user name, mobile number or e-mail; wrong passwords; throttling and lockout."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from egov.accounts import services
from egov.accounts.backends import normalise_identifier, throttle_key
from egov.accounts.models import User

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PASSWORD = "Yongchuan-2026!"
WRONG = "not-the-password"

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang():
    return services.register_citizen(
        mobile="13800138000", email="wang@example.cn", password=PASSWORD, username="wangwu"
    )


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def field_block(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    start = html.rfind('<div class="field', 0, match.start())
    return html[start : match.end()]


def username_value(html: str) -> str | None:
    tag = re.search(r'<input[^>]*name="username"[^>]*>', html).group(0)
    match = re.search(r'value="([^"]*)"', tag)
    return match.group(1) if match else None


@pytest.mark.parametrize(
    "identifier",
    ["wangwu", "13800138000", "+86 138 0013 8000", "１３８００１３８０００", "WANG@Example.cn"],
)
def test_login_by_user_name_mobile_or_email(client, wang, identifier):
    response = client.post("/accounts/login/", {"username": identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == str(wang.pk)


def test_login_goes_to_a_safe_next_page_only(client, wang):
    response = client.post(
        "/accounts/login/?next=/accounts/profile/",
        {"username": "wangwu", "password": PASSWORD},
    )
    assert response["Location"] == "/accounts/profile/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/",
        {"username": "wangwu", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_wrong_password_says_so_next_to_the_field_and_keeps_the_identifier(client, wang):
    response = client.post("/accounts/login/", {"username": "13800138000", "password": WRONG}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    block = field_block(html, "password")
    assert "The account or the password is wrong. Check both and try again." in block
    assert 'aria-invalid="true"' in block
    assert 'aria-describedby="id_password_error"' in block
    assert 'href="#id_password"' in html  # the summary at the top links to the field
    assert username_value(html) == "13800138000"
    assert WRONG not in html
    assert logged_in_as(client) is None


def test_unknown_account_gets_the_same_message_as_a_wrong_password(client, wang):
    html = client.post(
        "/accounts/login/", {"username": "nobody@example.cn", "password": WRONG}, **EN
    ).content.decode()
    assert "The account or the password is wrong." in field_block(html, "password")
    assert username_value(html) == "nobody@example.cn"


def test_empty_login_form_asks_for_each_field(client):
    html = client.post("/accounts/login/", {"username": "", "password": ""}, **EN).content.decode()
    assert "Enter your mobile number, e-mail address or user name." in field_block(html, "username")
    assert "Enter your password." in field_block(html, "password")


def test_inactive_account_cannot_log_in(client, wang):
    wang.is_active = False
    wang.save()
    client.post("/accounts/login/", {"username": "wangwu", "password": PASSWORD})
    assert logged_in_as(client) is None


# --- throttling -------------------------------------------------------------------------


def fail(client, identifier: str, times: int):
    return [
        client.post("/accounts/login/", {"username": identifier, "password": WRONG}, **EN)
        for _ in range(times)
    ]


def test_lockout_after_the_failure_limit(client, wang):
    limit = settings.AXES_FAILURE_LIMIT
    responses = fail(client, "13800138000", limit)
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed attempts" in html
    assert "blocked for 15 minutes" in html
    assert username_value(html) == "13800138000"
    assert WRONG not in html
    assert 'lang="en"' in html


def test_correct_password_during_lockout_is_refused(client, wang):
    fail(client, "wangwu", settings.AXES_FAILURE_LIMIT)
    response = client.post("/accounts/login/", {"username": "wangwu", "password": PASSWORD}, **EN)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert logged_in_as(client) is None


def test_below_the_limit_the_right_password_still_works(client, wang):
    fail(client, "wangwu", settings.AXES_FAILURE_LIMIT - 1)
    response = client.post("/accounts/login/", {"username": "wangwu", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client) == str(wang.pk)
    # Success resets the counter: a new run of failures starts from zero.
    client.post("/accounts/logout/")
    assert fail(client, "wangwu", 1)[0].status_code == 200


def test_every_spelling_of_one_account_counts_against_one_counter(client, wang):
    """Typing the user name, the e-mail and the mobile number in different spellings does
    not buy more attempts."""
    spellings = ["13800138000", "+86 138 0013 8000", "wangwu", "WANG@example.cn", "138-0013-8000"]
    assert len(spellings) == settings.AXES_FAILURE_LIMIT
    statuses = [fail(client, s, 1)[0].status_code for s in spellings]
    assert statuses[-1] == 429
    response = client.post("/accounts/login/", {"username": "wangwu", "password": PASSWORD})
    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == "wangwu"


def test_another_account_is_not_locked(client, wang):
    other = services.register_citizen(mobile="13900139000", password=PASSWORD)
    fail(client, "13800138000", settings.AXES_FAILURE_LIMIT)
    response = client.post("/accounts/login/", {"username": "13900139000", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client) == str(other.pk)


def test_lockout_page_is_in_the_default_language_without_a_preference(client, wang):
    responses = [
        client.post("/accounts/login/", {"username": "wangwu", "password": WRONG})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    html = responses[-1].content.decode()
    assert responses[-1].status_code == 429
    assert 'lang="zh-Hans"' in html
    assert username_value(html) == "wangwu"


# --- identifiers ------------------------------------------------------------------------

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


@given(mobiles, st.sampled_from(["", "+86", "+86 "]), st.booleans(), st.booleans())
def test_any_spelling_of_a_mobile_number_is_the_same_identifier(mobile, prefix, spaced, wide):
    text = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}" if spaced else mobile
    text = prefix + text
    if wide:
        text = full_width(text)
    assert normalise_identifier(f"  {text} ") == mobile


def test_throttle_key_is_the_account_user_name_whatever_was_typed(wang):
    for typed in ("wangwu", "13800138000", "+8613800138000", "Wang@Example.CN"):
        assert throttle_key(typed) == "wangwu"
    assert throttle_key(" Nobody@Example.cn ") == "nobody@example.cn"
    assert throttle_key("+86 139 0013 9000") == "13900139000"
    assert not User.objects.filter(username="nobody@example.cn").exists()
