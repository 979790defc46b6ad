"""Registration, real-name data and enterprise data: the journey, and bad input on each form
(a clear message next to the field, a summary at the top, nothing typed is lost)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

from egov.accounts import services
from egov.accounts.models import CitizenIdentity, EnterpriseIdentity, User
from egov.core.validators import validate_id_number, validate_mobile, validate_uscc

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PASSWORD = "Yongchuan-2026!"
VALID_ID = "500118199003071233"  # Yongchuan, born 1990-03-07, correct check character
OTHER_VALID_ID = "11010519491231002X"
VALID_USCC = "11500383009338112H"

pytestmark = pytest.mark.django_db


def field_block(html: str, name: str) -> str:
    """The HTML of one field's block (label, help, errors, input), as includes/field.html
    renders it."""
    match = re.search(rf'<(input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input named {name!r} in the page"
    start = html.rfind('<div class="field', 0, match.start())
    assert start != -1, f"the input {name!r} is not inside a field block"
    return html[start : match.end()]


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def validator_message(validator, value) -> str:
    """The English message that ``validator`` gives for ``value`` (the validators own their
    wording; these tests prove that it reaches the page next to the right field)."""
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        validator(value)
    with translation.override("en"):
        return str(caught.value.messages[0])


def assert_error_next_to(html: str, name: str, text: str) -> None:
    """The message is inside the field's block, and the input points to it for screen
    readers; the summary at the top links to the field."""
    text = escape(text)
    block = field_block(html, name)
    assert "field-error" in block.split(">", 1)[0]
    assert text in block, f"{text!r} not next to {name!r}: {block}"
    tag = input_tag(html, name)
    assert 'aria-invalid="true"' in tag
    assert f"id_{name}_error" in re.search(r'aria-describedby="([^"]*)"', tag).group(1)
    assert f'id="id_{name}_error"' in block
    summary = html.split('<div class="form-summary"', 1)[1].split("</div>", 1)[0]
    assert f'href="#id_{name}"' in summary and text in summary


def value_of(html: str, name: str) -> str | None:
    match = re.search(r'value="([^"]*)"', input_tag(html, name))
    return match.group(1) if match else None


def citizen(client, **kwargs) -> User:
    user = services.register_citizen(password=PASSWORD, **kwargs)
    client.force_login(user)
    return user


# --- the journey -----------------------------------------------------------------------


def test_register_then_real_name_then_profile_shows_only_masked_data(client):
    response = client.post(
        "/accounts/register/",
        {
            "mobile": "138 0013 8000",
            "email": "Zhang.San@Example.cn",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/real-name/"
    user = User.objects.get(mobile="13800138000")
    assert user.kind == User.Kind.CITIZEN
    assert user.email == "zhang.san@example.cn"
    assert user.check_password(PASSWORD)

    response = client.post(
        "/accounts/real-name/", {"real_name": "张三丰", "id_number": " ５００１１８199003071233 "}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    identity = CitizenIdentity.objects.get(user=user)
    assert (identity.real_name, identity.id_number) == ("张三丰", VALID_ID)

    html = client.get("/accounts/profile/").content.decode()
    assert "138****8000" in html
    assert "z********@example.cn" in html
    assert "张**" in html
    assert "500118********1233" in html
    for full in ("13800138000", "zhang.san@example.cn", "张三丰", VALID_ID):
        assert full not in html, f"{full} is shown unmasked"


def test_many_citizens_register_with_a_mobile_number_only(client):
    """A missing e-mail address is stored as NULL, so the unique constraint allows many."""
    for mobile in ("13800138000", "13900139000"):
        client.post("/accounts/logout/")
        response = client.post(
            "/accounts/register/",
            {"mobile": mobile, "password1": PASSWORD, "password2": PASSWORD},
        )
        assert response.status_code == 302
    assert list(User.objects.values_list("email", flat=True)) == [None, None]


def test_registration_with_email_only_then_login_by_email(client):
    response = client.post(
        "/accounts/register/",
        {"email": "li@example.cn", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="li@example.cn")
    assert user.mobile is None
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "LI@example.cn", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_enterprise_data_makes_the_user_an_enterprise_user(client):
    user = citizen(client, mobile="13900139000")
    response = client.post(
        "/accounts/enterprise/",
        {
            "name": "重庆永川示例有限公司",
            "uscc": VALID_USCC.lower(),
            "legal_representative": "王五",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.kind == User.Kind.ENTERPRISE
    assert EnterpriseIdentity.objects.get(user=user).uscc == VALID_USCC


@pytest.mark.parametrize(
    "url", ["/accounts/real-name/", "/accounts/enterprise/", "/accounts/profile/"]
)
def test_own_data_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    citizen(client, mobile="13700137000")
    assert client.get(url).status_code == 200


def test_changed_real_name_data_is_no_longer_verified():
    user = services.register_citizen(mobile="13600136000", password=PASSWORD)
    identity = services.set_citizen_identity(user, real_name="张三", id_number=VALID_ID)
    services.mark_verified(identity)
    same = services.set_citizen_identity(user, real_name="张三", id_number=VALID_ID)
    assert same.verified_at is not None
    changed = services.set_citizen_identity(user, real_name="张三", id_number=OTHER_VALID_ID)
    assert changed.pk == identity.pk
    assert changed.verified_at is None
    user.refresh_from_db()
    assert user.display_name == "张*"


# --- bad input: registration -----------------------------------------------------------


def test_registration_with_an_invalid_mobile_keeps_the_email_and_says_why(client):
    response = client.post(
        "/accounts/register/",
        {
            "mobile": "1234",
            "email": "wang@example.cn",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **EN,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert_error_next_to(html, "mobile", validator_message(validate_mobile, "1234"))
    assert value_of(html, "mobile") == "1234"
    assert value_of(html, "email") == "wang@example.cn"
    assert value_of(html, "password1") is None  # passwords are never sent back
    assert not User.objects.exists()


def test_registration_without_mobile_or_email_asks_for_one(client):
    html = client.post(
        "/accounts/register/", {"password1": PASSWORD, "password2": PASSWORD}, **EN
    ).content.decode()
    assert_error_next_to(html, "mobile", "Enter a mobile number or an e-mail address.")


def test_registration_with_different_passwords_keeps_mobile_and_email(client):
    html = client.post(
        "/accounts/register/",
        {
            "mobile": "13800138000",
            "email": "wang@example.cn",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
        },
        **EN,
    ).content.decode()
    assert_error_next_to(html, "password2", "The two passwords are not the same.")
    assert value_of(html, "mobile") == "13800138000"
    assert value_of(html, "email") == "wang@example.cn"


def test_registration_refuses_a_weak_password(client):
    html = client.post(
        "/accounts/register/",
        {"mobile": "13800138000", "password1": "12345678", "password2": "12345678"},
        **EN,
    ).content.decode()
    assert_error_next_to(html, "password1", "This password is entirely numeric.")
    assert value_of(html, "mobile") == "13800138000"


def test_registration_refuses_a_taken_mobile_and_email(client):
    services.register_citizen(mobile="13800138000", email="wang@example.cn", password=PASSWORD)
    html = client.post(
        "/accounts/register/",
        {
            "mobile": "+86 138-0013-8000",
            "email": "WANG@example.cn",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **EN,
    ).content.decode()
    assert_error_next_to(html, "mobile", "This mobile number is already registered")
    assert_error_next_to(html, "email", "This e-mail address is already registered")
    assert User.objects.count() == 1


def test_registration_with_a_malformed_email_keeps_the_mobile(client):
    html = client.post(
        "/accounts/register/",
        {
            "mobile": "13800138000",
            "email": "wang@",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **EN,
    ).content.decode()
    assert_error_next_to(html, "email", "Enter an e-mail address such as name@example.com.")
    assert value_of(html, "mobile") == "13800138000"
    assert value_of(html, "email") == "wang@"


# --- bad input: real-name data ---------------------------------------------------------


def test_real_name_with_30_february_keeps_the_name_and_the_typed_id(client):
    citizen(client, mobile="13800138000")
    typed = "500118199002301234"
    response = client.post("/accounts/real-name/", {"real_name": "张三", "id_number": typed}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    message = validator_message(validate_id_number, typed)
    assert "1990-02-30" in message
    assert_error_next_to(html, "id_number", message)
    assert value_of(html, "real_name") == "张三"
    assert value_of(html, "id_number") == typed
    assert not CitizenIdentity.objects.exists()


def test_real_name_with_a_wrong_check_character_says_so(client):
    citizen(client, mobile="13800138000")
    typed = "500118199003071234"
    html = client.post(
        "/accounts/real-name/", {"real_name": "张三", "id_number": typed}, **EN
    ).content.decode()
    assert_error_next_to(html, "id_number", validator_message(validate_id_number, typed))
    assert value_of(html, "real_name") == "张三"


def test_real_name_refuses_an_id_number_of_another_account(client):
    other = services.register_citizen(mobile="13900139000", password=PASSWORD)
    services.set_citizen_identity(other, real_name="李四", id_number=VALID_ID)
    citizen(client, mobile="13800138000")
    html = client.post(
        "/accounts/real-name/", {"real_name": "张三", "id_number": VALID_ID}, **EN
    ).content.decode()
    assert_error_next_to(html, "id_number", "already linked to another account")


def test_real_name_with_a_missing_name_keeps_the_id(client):
    citizen(client, mobile="13800138000")
    html = client.post(
        "/accounts/real-name/", {"real_name": "", "id_number": VALID_ID}, **EN
    ).content.decode()
    assert_error_next_to(html, "real_name", "Enter your full name as on your identity card.")
    assert value_of(html, "id_number") == VALID_ID


# --- bad input: enterprise data --------------------------------------------------------


def test_enterprise_with_a_wrong_check_character_keeps_name_and_representative(client):
    citizen(client, mobile="13800138000")
    typed = "11500383009338112J"
    html = client.post(
        "/accounts/enterprise/",
        {"name": "重庆永川示例有限公司", "uscc": typed, "legal_representative": "王五"},
        **EN,
    ).content.decode()
    assert_error_next_to(html, "uscc", validator_message(validate_uscc, typed))
    assert value_of(html, "name") == "重庆永川示例有限公司"
    assert value_of(html, "legal_representative") == "王五"
    assert value_of(html, "uscc") == typed
    assert not EnterpriseIdentity.objects.exists()


def test_enterprise_with_letters_outside_the_alphabet_names_them(client):
    citizen(client, mobile="13800138000")
    typed = "11500383009338112O"
    html = client.post(
        "/accounts/enterprise/",
        {"name": "示例公司", "uscc": typed, "legal_representative": "王五"},
        **EN,
    ).content.decode()
    message = validator_message(validate_uscc, typed)
    assert "O" in message
    assert_error_next_to(html, "uscc", message)


def test_enterprise_without_a_representative_keeps_the_rest(client):
    citizen(client, mobile="13800138000")
    html = client.post(
        "/accounts/enterprise/",
        {"name": "示例公司", "uscc": VALID_USCC, "legal_representative": " "},
        **EN,
    ).content.decode()
    assert_error_next_to(html, "legal_representative", "Enter the legal representative")
    assert value_of(html, "uscc") == VALID_USCC
    assert value_of(html, "name") == "示例公司"


def test_messages_follow_the_visitor_language(client):
    """The same bad input, asked for in English, gets the English message (the Chinese text
    arrives with the zh-hans catalogue)."""
    citizen(client, mobile="13800138000")
    with translation.override("en"):
        html = client.post(
            "/accounts/real-name/", {"real_name": "张三", "id_number": "12345"}, **EN
        ).content.decode()
    assert 'lang="en"' in html
    assert_error_next_to(html, "id_number", validator_message(validate_id_number, "12345"))
