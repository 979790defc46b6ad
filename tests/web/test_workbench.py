"""The staff workbench lists the work areas the member's roles open, and no other."""

import pytest

from egov.accounts.models import User
from egov.directory.models import Membership, Organisation, Role
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db


def member(username: str, role: str) -> User:
    body, _ = Organisation.objects.get_or_create(
        code="YC-WB", defaults={"name_zh": "测试局", "kind": "department"}
    )
    user = User.objects.create(username=username, kind=User.Kind.STAFF, is_staff=True)
    Membership.objects.create(user=user, organisation=body, role=Role.objects.get(code=role))
    return user


@pytest.mark.parametrize(
    ("role", "cases", "supervision", "backoffice", "participation"),
    [
        ("supervisor", True, True, True, False),
        ("window_clerk", True, False, True, False),
        ("system_admin", False, False, True, False),
        ("editor", False, False, False, True),
    ],
)
def test_the_workbench_links_what_the_roles_open(
    client, role, cases, supervision, backoffice, participation
):
    login_verified(client, member("m", role))
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ('href="/staff/cases/"' in page) is cases
    assert ('href="/staff/supervision/"' in page) is supervision
    assert ('href="/backoffice/"' in page) is backoffice
    assert ('href="/interaction/manage/"' in page) is participation
    assert 'href="/staff/sharing/"' in page  # every role browses the resource catalogue
    opened = cases or supervision or backoffice or participation
    assert ("Your roles open no work area yet" in page) is not opened


def test_without_a_role_the_workbench_opens_no_shared_area(client):
    user = User.objects.create(username="nobody", kind=User.Kind.STAFF, is_staff=True)
    login_verified(client, user)
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/staff/sharing/"' not in page
    assert 'href="/staff/oa/notices/"' not in page
