"""schemathesis (v4) against the sharing API's OpenAPI description, through the Django
WSGI application: no server error, no status code, content type or body that the
description does not allow — as a consuming system with a grant, and anonymously.
Deterministic (derandomized, no example database) and small (a few examples an operation)."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from egov.sharing import services

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 5


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the WSGI handler's request signals would close the
    test's database connection (inside its transaction) after each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_test_connection")
def test_the_api_conforms_to_its_openapi_description(catalogue, consumer, staff, bodies, settings):
    settings.ALLOWED_HOSTS = ["*"]  # schemathesis' WSGI client asks for localhost
    settings.EGOV_SHARING_RATE_LIMIT = (10_000, 60)
    grant = services.request_grant(
        catalogue["conditional"], body=bodies["YC-MZJ"], purpose="低保资格复核",
        fields=["name", "owner"], by=staff["mzj"],
    )  # fmt: skip
    services.approve(
        grant, by=staff["scjg"], expires_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    system = consumer(bodies["YC-MZJ"])
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    tried: list[int] = []
    for operation in operations:
        for headers in ({"Authorization": f"Bearer {system.token}"}, {}):
            _explore(operation, headers, tried)
    # The examples reached answers and refusals alike.
    assert {200, 401, 404} <= set(tried)


def _explore(operation, headers: dict, tried: list[int]) -> None:
    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        tried.append(response.status_code)

    check()
