"""Fixtures of the hall's tests.

- ``exchange_here`` (autouse), ``bodies``, ``make_item`` — from tests/services: a combined
  zone whose exchange runs on loopback under ``tmp_path``, the directory, a complete draft;
- ``seeded`` — ``manage.py seed_services`` run and delivered: the published catalogue of the
  31 demo items, by name;
- ``publish_and_deliver(version)`` — publish a draft inside and deliver it outside;
- ``citizen(...)`` — a citizen account with real-name data; ``applicant`` — one, logged in
  on ``client``;
- ``item`` — a published, delivered 承诺件 of 区市场监管局 with an online form and two
  materials (申请书: PDF; 营业执照: PDF, JPEG or PNG), depth 4.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from egov.accounts import services as accounts
from egov.exchange.transports import loopback
from egov.services import services
from egov.services.models import PublishedServiceItem
from tests.services.conftest import bodies, exchange_here, make_item, make_staff  # noqa: F401


@pytest.fixture
def seeded(bodies):  # noqa: F811
    call_command("seed_services", stdout=io.StringIO(), stderr=io.StringIO())
    return {row.name: row for row in PublishedServiceItem.objects.all()}


def publish_and_deliver(version, by=None):
    published = services.publish_version(version, by)
    report = loopback.deliver()
    assert (report.applied, report.quarantined) == (1, 0), report
    return published


@pytest.fixture
def item(make_item):  # noqa: F811
    version = make_item("YC-SCJG", name="食品经营许可").versions.get()
    services.publish_version(version, None)
    loopback.deliver()  # (a transactional test has delivered it on commit already)
    code = version.item.implementation_code
    assert PublishedServiceItem.objects.filter(implementation_code=code).exists()
    return version.item


ID_NUMBER = "11010519491231002X"
OTHER_ID = "110105194912310021"


def citizen(name="张三丰", id_number=ID_NUMBER, mobile="13800138000"):
    user = accounts.register_citizen(mobile=mobile, password="Citizen-test-2026")
    accounts.set_citizen_identity(user, real_name=name, id_number=id_number)
    return user


@pytest.fixture
def applicant(client):
    user = citizen()
    client.force_login(user)
    return user
