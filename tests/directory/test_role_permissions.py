"""Roles grant back-office permissions: a staff member may do what the roles of their
memberships in active bodies allow, nothing more; defaults are granted once."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from egov.accounts.models import User
from egov.directory import permissions
from egov.directory.models import Membership, Organisation, Role
from tests.directory.test_admin import login_verified, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return Organisation.objects.create(code="YC-TEST", name_zh="测试局", kind="department")


def member(username: str, role_code: str, body, **fields) -> User:
    user = make_user(username, **fields)
    Membership.objects.create(user=user, organisation=body, role=Role.objects.get(code=role_code))
    return user


def test_migrate_granted_the_defaults_once():
    role = Role.objects.get(code="system_admin")
    names = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in role.permissions.select_related("content_type")
    }
    assert "directory.change_organisation" in names
    assert "directory.change_organisation" in role.granted_defaults
    assert (
        not Role.objects.get(code="window_clerk")
        .permissions.filter(codename="change_organisation")
        .exists()
    )


def test_a_permission_taken_away_is_not_granted_again():
    role = Role.objects.get(code="system_admin")
    role.permissions.remove(Permission.objects.get(codename="change_organisation"))
    assert permissions.grant_defaults() == 0
    assert not role.permissions.filter(codename="change_organisation").exists()


def test_a_new_default_reaches_an_existing_role(monkeypatch):
    monkeypatch.setitem(
        permissions.DIRECTORY_DEFAULTS, "window_clerk", ["directory.view_organisation"]
    )
    assert permissions.grant_defaults() == 1
    assert (
        Role.objects.get(code="window_clerk")
        .permissions.filter(codename="view_organisation")
        .exists()
    )
    assert permissions.grant_defaults() == 0


def test_permissions_come_from_memberships_in_active_bodies(body):
    admin = member("sysadmin", "system_admin", body)
    clerk = member("clerk", "window_clerk", body)
    assert admin.has_perm("directory.change_organisation")
    assert not clerk.has_perm("directory.change_organisation")

    body.is_active = False
    body.save()
    admin = User.objects.get(pk=admin.pk)  # a fresh object: permissions are cached per object
    assert not admin.has_perm("directory.change_organisation")


def test_a_citizen_gets_nothing_from_a_membership(body):
    user = member("odd", "system_admin", body)
    user.kind = User.Kind.CITIZEN
    user.save()
    user = User.objects.get(pk=user.pk)
    assert not user.has_perm("directory.change_organisation")


def test_back_office_allows_the_role_and_refuses_the_others(client, body):
    login_verified(client, member("sysadmin", "system_admin", body))
    url = reverse("admin:directory_organisation_changelist")
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("admin:directory_organisation_change", args=[body.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:directory_role_add")).status_code == 403

    client.logout()
    login_verified(client, member("clerk", "window_clerk", body))
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:directory_membership_changelist")).status_code == 403
