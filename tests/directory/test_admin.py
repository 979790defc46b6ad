"""The directory's back-office pages: who may open them, and what editing validates."""

import django_otp
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.models import User
from egov.directory.models import Membership, Organisation, Role
from egov.directory.services import import_organisations, read_organisations_csv

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:directory_organisation_changelist",
    "admin:directory_organisation_add",
    "admin:directory_role_changelist",
    "admin:directory_membership_changelist",
    "admin:directory_membership_add",
]


def make_user(username: str, **fields) -> User:
    user = User(username=username, email=None, kind=User.Kind.STAFF, is_staff=True, **fields)
    user.set_password("Backoffice-test-2026")
    user.save()
    return user


def login_verified(client, user: User) -> None:
    """Log in as if the user had passed two-factor (what django_otp.login records)."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def tree():
    import_organisations(read_organisations_csv())
    scjg = Organisation.objects.get(code="YC-SCJG")
    Organisation.objects.create(code="YC-SCJG-DJK", name_zh="登记注册科", kind="other", parent=scjg)
    return {org.code: org for org in Organisation.objects.all()}


@pytest.fixture
def superuser_client(client, tree):
    login_verified(client, make_user("root", is_superuser=True))
    return client


def change_form_data(org: Organisation, **changes) -> dict:
    data = {
        "code": org.code,
        "name_zh": org.name_zh,
        "name_en": org.name_en,
        "kind": org.kind,
        "parent": org.parent_id or "",
        "is_active": "on" if org.is_active else "",
        "uscc": org.uscc,
        "functions": org.functions,
        "address": org.address,
        "office_hours": org.office_hours,
        "phone": org.phone,
        "head": org.head,
        "sort_order": org.sort_order,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_verified_superuser_opens_the_directory_pages(superuser_client, name):
    response = superuser_client.get(reverse(name))

    assert response.status_code == 200


def test_the_organisation_list_shows_searches_and_filters(superuser_client):
    listing = superuser_client.get(reverse("admin:directory_organisation_changelist"))
    assert "YC-SCJG" in listing.text and "区市场监管局" in listing.text

    found = superuser_client.get(reverse("admin:directory_organisation_changelist"), {"q": "青峰"})
    assert "YC-QF" in found.text and "YC-JL" not in found.text

    towns = superuser_client.get(
        reverse("admin:directory_organisation_changelist"), {"kind__exact": "town"}
    )
    assert "YC-JL" in towns.text and "YC-SCJG" not in towns.text


def test_the_change_page_shows_the_path_read_only_and_the_memberships(superuser_client, tree):
    clerk = make_user("clerk")
    Membership.objects.create(
        user=clerk, organisation=tree["YC-SCJG"], role=Role.objects.get(code="window_clerk")
    )

    response = superuser_client.get(
        reverse("admin:directory_organisation_change", args=[tree["YC-SCJG"].pk])
    )

    assert response.status_code == 200
    assert "/YC/YC-ZF/YC-SCJG/" in response.text
    assert 'name="path"' not in response.text
    assert 'name="memberships-0-role"' in response.text


def test_editing_refuses_a_wrong_uscc_and_keeps_what_was_typed(superuser_client, tree):
    government = tree["YC-ZF"]
    url = reverse("admin:directory_organisation_change", args=[government.pk])

    response = superuser_client.post(
        url, change_form_data(government, uscc="11500383009338112A", phone="023-12345678")
    )

    assert response.status_code == 200
    assert "uscc" in response.context["adminform"].form.errors
    assert 'value="023-12345678"' in response.text
    government.refresh_from_db()
    assert government.uscc == ""


def test_editing_accepts_and_normalises_a_valid_uscc(superuser_client, tree):
    government = tree["YC-ZF"]
    url = reverse("admin:directory_organisation_change", args=[government.pk])

    response = superuser_client.post(url, change_form_data(government, uscc="11500383009338112h"))

    assert response.status_code == 302
    government.refresh_from_db()
    assert government.uscc == "11500383009338112H"


def test_editing_refuses_a_parent_inside_the_body_own_subtree(superuser_client, tree):
    scjg = tree["YC-SCJG"]
    url = reverse("admin:directory_organisation_change", args=[scjg.pk])

    response = superuser_client.post(url, change_form_data(scjg, parent=tree["YC-SCJG-DJK"].pk))

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    scjg.refresh_from_db()
    assert scjg.parent == tree["YC-ZF"]


def test_moving_a_body_in_the_back_office_moves_its_subtree(superuser_client, tree):
    scjg = tree["YC-SCJG"]
    url = reverse("admin:directory_organisation_change", args=[scjg.pk])

    response = superuser_client.post(url, change_form_data(scjg, parent=tree["YC-ZWFW"].pk))

    assert response.status_code == 302
    assert Organisation.objects.get(code="YC-SCJG-DJK").path == (
        "/YC/YC-ZF/YC-ZWFW/YC-SCJG/YC-SCJG-DJK/"
    )


@pytest.mark.parametrize("name", CHANGELISTS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, tree, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", CHANGELISTS)
def test_staff_who_have_not_passed_two_factor_are_sent_to_it(client, tree, name):
    client.force_login(make_user("root", is_superuser=True))

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor"))


def test_a_verified_staff_member_without_permissions_cannot_open_the_directory(client, tree):
    login_verified(client, make_user("clerk"))

    response = client.get(reverse("admin:directory_organisation_changelist"))

    assert response.status_code == 403
