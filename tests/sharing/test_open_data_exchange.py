"""Open data in the split deployment: a resource open to the public is sent to the external
zone through the exchange (loopback here, the spool between split zones) in the transaction
of its change — never a personal field or value — and withdrawn when it stops being open;
the external zone's copy answers /open-data/ and the anonymous API, and its handlers ignore
a message applied twice or an older version."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from egov.exchange.envelope import Envelope
from egov.exchange.models import OutboxMessage
from egov.exchange.transports import loopback
from egov.sharing import handlers, opendata, registries, services
from egov.sharing.models import PublishedResource, Resource, ResourceRow

from .conftest import make_resource

pytestmark = pytest.mark.django_db

FIELDS = [
    {"name": "market", "label": "市场名称", "personal": False},
    {"name": "address", "label": "地址", "personal": False},
    {"name": "manager", "label": "管理人", "personal": True, "mask_kind": "name"},
]


def sent(type_):
    """The payloads of the outbox messages of ``type_``, oldest first."""
    messages = OutboxMessage.objects.filter(type=type_).order_by("seq")
    return [Envelope.from_bytes(bytes(m.envelope), sealed=False).payload for m in messages]


def deliver():
    report = loopback.deliver()
    assert report.quarantined == 0, report
    return report


@pytest.fixture
def markets(staff, bodies):
    resource = make_resource(
        staff["scjg"], bodies["YC-SCJG"], "SCJG-MARKETS", "农贸市场名录", "unconditional",
        fields=FIELDS, open_to_public=True, description="全区农贸市场",
    )  # fmt: skip
    for i in range(2):
        ResourceRow.objects.create(
            resource=resource,
            data={"market": f"永川第{i}农贸市场", "address": f"人民大道{i}号", "manager": "赵六"},
        )
    return resource


def test_an_open_resource_is_published_without_personal_fields_or_values(markets):
    raw = b"".join(bytes(m.envelope) for m in OutboxMessage.objects.filter(type=opendata.PUBLISHED))
    assert "赵六".encode() not in raw and b"manager" not in raw  # never leaves
    payloads = sent(opendata.PUBLISHED)
    # Saved once (the resource and its fields: one message), then one per row.
    assert [p["version"] for p in payloads] == [1, 2, 3]
    last = payloads[-1]
    assert [f["name"] for f in last["fields"]] == ["market", "address"]
    assert last["rows"] == [
        {"market": "永川第0农贸市场", "address": "人民大道0号"},
        {"market": "永川第1农贸市场", "address": "人民大道1号"},
    ]
    assert last["resource"]["provider"]["code"] == "YC-SCJG"
    assert OutboxMessage.objects.filter(key="sharing.resource:SCJG-MARKETS").count() == 3


def test_the_copy_outside_serves_the_open_data_pages_and_api(
    markets, client, settings, bodies, staff
):
    deliver()
    copy = PublishedResource.objects.get(code="SCJG-MARKETS")
    assert (copy.is_open, copy.version, copy.rows.count()) == (True, 3, 2)

    settings.EGOV_ZONE = "external"  # the external zone reads its copy, not the catalogue
    settings.ROOT_URLCONF = "egov.urls.external"
    Resource.objects.filter(code="SCJG-MARKETS").update(name="(not what the outside sees)")
    listed = client.get("/api/open-data/resources/").json()
    assert [r["name"] for r in listed] == ["农贸市场名录"]
    assert [f["name"] for f in listed[0]["fields"]] == ["market", "address"]
    assert listed[0]["provider"] == "区市场监管局"
    rows = client.get("/api/open-data/resources/SCJG-MARKETS/rows?limit=1&offset=1").json()
    assert rows["rows"] == [{"market": "永川第1农贸市场", "address": "人民大道1号"}]
    page = client.get("/open-data/SCJG-MARKETS/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "永川第0农贸市场" in page.content.decode()
    assert "赵六" not in page.content.decode()
    assert "SCJG-MARKETS" in client.get("/open-data/?q=农贸市场").content.decode()
    csv_text = b"".join(client.get("/open-data/SCJG-MARKETS/data.csv").streaming_content)
    assert csv_text.decode("utf-8-sig").splitlines()[0] == "market,address"
    assert client.get("/open-data/SCJG-NONE/").status_code == 404


def test_a_resource_no_longer_open_or_deleted_is_withdrawn_outside(
    markets, client, settings, staff, bodies
):
    deliver()
    markets.open_to_public = False
    services.save_resource(markets, by=staff["scjg"])
    withdrawn = sent(opendata.WITHDRAWN)
    assert [(w["code"], w["version"]) for w in withdrawn] == [("SCJG-MARKETS", 4)]
    ResourceRow.objects.create(resource=markets, data={"market": "x"})  # not open: nothing
    assert OutboxMessage.objects.filter(key="sharing.resource:SCJG-MARKETS").count() == 4
    deliver()
    copy = PublishedResource.objects.get(code="SCJG-MARKETS")
    assert (copy.is_open, copy.version, copy.rows.count()) == (False, 4, 0)
    settings.EGOV_ZONE = "external"
    settings.ROOT_URLCONF = "egov.urls.external"
    assert client.get("/open-data/SCJG-MARKETS/").status_code == 404
    assert client.get("/api/open-data/resources/").json() == []
    settings.EGOV_ZONE = "combined"

    # Opened again, then deleted: the version goes on counting, the deletion withdraws it.
    markets.open_to_public = True
    services.save_resource(markets, by=staff["scjg"])
    Resource.objects.get(pk=markets.pk).delete()
    versions = [(m.type, m.seq) for m in OutboxMessage.objects.order_by("seq")][-2:]
    assert versions == [(opendata.PUBLISHED, 5), (opendata.WITHDRAWN, 6)]
    assert sent(opendata.WITHDRAWN)[-1]["version"] == 6
    deliver()
    assert PublishedResource.objects.get(code="SCJG-MARKETS").is_open is False


def test_a_base_registry_is_never_open_data(staff, bodies):
    people = next(
        r for r in registries.install_base_registries(bodies["YC-DSJ"]) if r.code == "BR-PEOPLE"
    )
    people.open_to_public = True
    with pytest.raises(ValidationError):
        people.full_clean(exclude=["search_text"])
    people.save()  # even past the form, nothing is sent
    assert not opendata.is_open(people)
    assert not OutboxMessage.objects.filter(type=opendata.PUBLISHED).exists()


def _message(payload):
    return SimpleNamespace(payload=payload)


def test_the_handlers_are_idempotent_and_ignore_older_versions(markets):
    resource = Resource.objects.get(pk=markets.pk)
    v1 = opendata.payload(resource, 1)
    resource.name = "新名称"
    v2 = opendata.payload(resource, 2)

    handlers.apply_publication(_message(v2))
    first = PublishedResource.objects.get(code="SCJG-MARKETS")
    handlers.apply_publication(_message(v2))  # the same again: nothing changes
    again = PublishedResource.objects.get(code="SCJG-MARKETS")
    assert (again.received_at, again.rows.count()) == (first.received_at, 2)
    assert list(again.rows.values_list("pk", flat=True)) == list(
        first.rows.values_list("pk", flat=True)
    )
    handlers.apply_publication(_message(v1))  # older: ignored
    assert PublishedResource.objects.get(code="SCJG-MARKETS").name == "新名称"

    withdrawal = {"code": "SCJG-MARKETS", "version": 3, "withdrawn_at": v2["published_at"]}
    handlers.apply_withdrawal(_message(withdrawal))
    handlers.apply_withdrawal(_message(withdrawal))
    handlers.apply_publication(_message(v2))  # a late publication stays withdrawn
    copy = PublishedResource.objects.get(code="SCJG-MARKETS")
    assert (copy.is_open, copy.version, copy.rows.count()) == (False, 3, 0)
    # A withdrawal of a code never seen leaves a tombstone that blocks older publications.
    handlers.apply_withdrawal(_message({**withdrawal, "code": "OTHER", "version": 9}))
    handlers.apply_publication(_message({**v2, "resource": {**v2["resource"], "code": "OTHER"}}))
    assert PublishedResource.objects.get(code="OTHER").is_open is False


def test_the_message_is_written_in_the_transaction_of_the_change(markets, settings):
    from django.db import transaction

    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        ResourceRow.objects.create(resource=markets, data={"market": "回滚", "address": "-"})
        assert OutboxMessage.objects.count() == before + 1
        raise RuntimeError("the change is rolled back")
    assert OutboxMessage.objects.count() == before  # with its message


def test_an_open_data_set_too_large_for_one_message_is_refused_when_saved(
    markets, staff, monkeypatch
):
    import dataclasses

    from egov.exchange import registry

    small = dataclasses.replace(registry.get(opendata.PUBLISHED), max_bytes=2000)
    monkeypatch.setitem(registry._types, opendata.PUBLISHED, small)
    before = OutboxMessage.objects.count()
    markets.description = "很长的说明" * 200
    with pytest.raises(ValidationError, match="could not be sent to the external zone"):
        services.save_resource(markets, by=staff["scjg"])
    assert OutboxMessage.objects.count() == before
    assert Resource.objects.get(pk=markets.pk).description == "全区农贸市场"  # rolled back


def test_the_back_office_form_sends_one_message_for_the_resource_and_its_fields(
    markets, verified_client, django_user_model
):
    admin = django_user_model.objects.create_superuser("opendata-admin", password="x-Admin-2026")
    client = verified_client(admin)
    before = OutboxMessage.objects.filter(type=opendata.PUBLISHED).count()
    data = {
        "code": "SCJG-MARKETS", "name": "农贸市场名录（新）", "provider": markets.provider_id,
        "description": "全区农贸市场", "sharing_type": "unconditional", "refusal_basis": "",
        "open_to_public": "on", "update_frequency": "monthly", "data_format": "table",
        "access": "", "fields-TOTAL_FORMS": "3", "fields-INITIAL_FORMS": "3",
        "fields-MIN_NUM_FORMS": "0", "fields-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, field in enumerate(markets.fields.order_by("order")):
        data |= {
            f"fields-{i}-id": field.pk, f"fields-{i}-resource": markets.pk,
            f"fields-{i}-name": field.name, f"fields-{i}-label": field.label + "!",
            f"fields-{i}-field_type": field.field_type, f"fields-{i}-meaning": "",
            f"fields-{i}-mask_kind": field.mask_kind, f"fields-{i}-order": field.order,
        }  # fmt: skip
        if field.personal:
            data[f"fields-{i}-personal"] = "on"
    response = client.post(f"/backoffice/sharing/resource/{markets.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    payloads = sent(opendata.PUBLISHED)
    assert len(payloads) == before + 1  # the resource and three fields: one message
    assert payloads[-1]["resource"]["name"] == "农贸市场名录（新）"
    assert [f["label"] for f in payloads[-1]["fields"]] == ["市场名称!", "地址!"]
