"""EGOV_ZONE decides which URLs a deployment answers (architecture principle 2)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.conftest import login_verified, subprocess_env

REPO = Path(__file__).resolve().parents[2]

INTERNAL_ONLY = [
    "/backoffice/",
    "/backoffice/directory/organisation/",
    "/staff/",
    "/staff/supervision/",
]
PUBLIC_ONLY = [
    "/bodies/YC/",
    "/accounts/register/",
    "/accounts/real-name/",
    "/cms/",
    "/report-error/",
    "/hall/",
]


@pytest.fixture(autouse=True)
def district(db):
    from egov.directory.models import Organisation

    return Organisation.objects.create(code="YC", name_zh="永川区", kind="district")


def _settings_in_zone(zone: str) -> subprocess.CompletedProcess:
    env = subprocess_env(EGOV_ZONE=zone, DJANGO_SETTINGS_MODULE="egov.settings.base")
    code = "import django; django.setup(); from django.conf import settings; print(settings.ROOT_URLCONF)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("zone", ["combined", "external", "internal"])
def test_the_zone_setting_picks_that_zones_urls(zone):
    result = _settings_in_zone(zone)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"egov.urls.{zone}"


def test_an_unknown_zone_is_refused_with_a_clear_error():
    result = _settings_in_zone("dmz")
    assert result.returncode != 0
    assert "EGOV_ZONE must be one of combined, external, internal" in result.stderr


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="egov.urls.external")
@pytest.mark.parametrize("path", INTERNAL_ONLY)
def test_external_deployment_answers_no_internal_url(client, django_user_model, path):
    admin = django_user_model.objects.create_superuser("root", password="x-Secret-123")
    login_verified(client, admin)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="egov.urls.internal")
@pytest.mark.parametrize("path", PUBLIC_ONLY)
def test_internal_deployment_answers_no_public_url(client, django_user_model, path):
    admin = django_user_model.objects.create_superuser("root", password="x-Secret-123")
    login_verified(client, admin)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="egov.urls.internal")
def test_internal_root_leads_to_the_staff_workbench(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["external", "internal"])
def test_every_zone_serves_login_and_health(client, zone):
    with override_settings(ROOT_URLCONF=f"egov.urls.{zone}"):
        assert client.get("/accounts/login/").status_code == 200
        health = client.get("/healthz")
        assert health.status_code == 200


@pytest.mark.django_db
def test_combined_deployment_serves_both(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-Secret-123")
    assert client.get("/bodies/YC/").status_code == 200
    assert client.get("/accounts/register/").status_code == 200
    login_verified(client, admin)
    assert client.get("/backoffice/").status_code == 200
    assert client.get("/staff/").status_code == 200
