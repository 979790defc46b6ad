"""From 1 November, administrators see a banner when next year's calendar is missing or only
provisional — on the staff workbench and in the back-office; other staff and the public do
not."""

from datetime import date

import pytest
from django.utils import timezone

from egov.directory.models import Membership, Organisation, Role
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

BANNER = ("no complete entry", "is provisional")


def no_banner(page: str) -> bool:
    return not any(words in page for words in BANNER)


@pytest.fixture
def on_day(monkeypatch):
    def _set(day: date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return _set


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("root", password="x-Secret-123")


@pytest.fixture
def clerk(django_user_model):
    body = Organisation.objects.create(code="T1", name_zh="青峰镇", kind="town")
    user = django_user_model.objects.create_user(
        "clerk", password="x-Secret-123", is_staff=True, kind="staff"
    )
    Membership.objects.create(
        user=user, organisation=body, role=Role.objects.get(code="window_clerk")
    )
    return user


@pytest.mark.parametrize("path", ["/backoffice/", "/staff/"])
def test_administrators_see_the_banner_from_november(client, admin_user, on_day, path):
    login_verified(client, admin_user)
    on_day(date(2026, 11, 2))
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "calendar of 2027 is provisional" in page
    assert 'role="alert"' in page


def test_without_the_provisional_days_the_banner_says_the_year_is_missing(
    client, admin_user, on_day, published_calendar_only
):
    login_verified(client, admin_user)
    on_day(date(2026, 11, 2))
    page = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no complete entry for 2027" in page


def test_no_banner_in_october(client, admin_user, on_day):
    login_verified(client, admin_user)
    on_day(date(2026, 10, 30))
    assert no_banner(client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode())


def test_other_staff_and_the_public_see_no_banner(client, clerk, on_day):
    on_day(date(2026, 11, 2))
    assert no_banner(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    login_verified(client, clerk)
    assert no_banner(client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
