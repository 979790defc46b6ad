"""Shared fixtures: verified staff logins, and the browser (Debian's Chromium via Playwright)."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("EGOV_CHROMIUM", "/usr/bin/chromium")
BROWSER_REQUIRED = os.environ.get("EGOV_REQUIRE_BROWSER") == "1"


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Messages raised outside a request are checked in English; a request still chooses its
    own language (zh-hans by default, as a visitor sees it)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _seeded_reference_data(request):
    """Data migrations seed the working-day calendar and the roles; a transactional test
    empties every table when it ends, so the transactional tests after it get them back."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if not ("transactional_db" in names or (marker and marker.kwargs.get("transaction"))):
        return  # the other database tests run first, on the migrated data
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from egov.core.calendar import extend_provisionally, provisional_horizon, seed_from_package
    from egov.core.models import CalendarDay
    from egov.directory.models import Role

    if not CalendarDay.objects.exists():
        seed_from_package(range(2020, 2027))
        extend_provisionally(provisional_horizon())
    if not Role.objects.exists():
        import_module("egov.directory.migrations.0002_roles").seed_roles(apps, None)
        from egov.directory.permissions import grant_defaults

        grant_defaults()


@pytest.fixture
def published_calendar_only(db):
    """The calendar as it was before the provisional rule (decision 0019): only the years the
    package publishes, so that the edge of the table is reached."""
    from egov.core import calendar
    from egov.core.models import CalendarDay

    CalendarDay.objects.filter(source__startswith=calendar.PROVISIONAL_SOURCE_PREFIX).delete()
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


def subprocess_env(**overrides) -> dict:
    """The environment for a child process of egov: this one's, less what only tests set."""
    env = {**os.environ, **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def login_verified(client, user):
    """Log ``user`` in on the test client as if they had passed two-factor login."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def verified_client(client):
    """A client factory: ``verified_client(user)`` returns the client logged in with 2FA."""

    def _login(user):
        login_verified(client, user)
        return client

    return _login


@pytest.fixture(scope="session")
def chromium_path():
    if os.path.exists(CHROMIUM) and shutil.which(CHROMIUM):
        return CHROMIUM
    message = (
        f"browser tests need Chromium at {CHROMIUM}: install it with "
        "'apt-get install chromium' (or set EGOV_CHROMIUM) to run them"
    )
    if BROWSER_REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
