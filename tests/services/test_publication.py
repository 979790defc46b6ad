"""Publication outside: a version published inside arrives in the external zone's read model
through the exchange (loopback in combined mode, the spool between split zones); a
withdrawal removes it; what the gap refuses is quarantined."""

import hashlib

import pytest
from django.db import transaction

from egov.exchange import attachments as store
from egov.exchange import keys
from egov.exchange import services as exchange_services
from egov.exchange.envelope import Envelope, seal_batch
from egov.exchange.models import OutboxMessage, QuarantinedMessage
from egov.exchange.transports import loopback, spool
from egov.services import selectors, services
from egov.services.models import PublishedServiceFile, PublishedServiceItem, ServiceItemVersion
from tests.exchange.conftest import ExchangeSetup

from .conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def publish_and_deliver(version, by=None):
    published = services.publish_version(version, by)
    report = loopback.deliver()
    assert (report.applied, report.quarantined) == (1, 0), report
    return published


def test_a_publication_inside_arrives_outside_with_its_guide_and_files(make_item):
    item = make_item(name="食品经营许可")
    version = publish_and_deliver(item.versions.get())

    row = selectors.published_item(item.implementation_code)
    assert row is not None
    assert (row.name, row.version_number, row.body_code) == ("食品经营许可", 1, "YC-SCJG")
    assert (row.item_type, row.audience, row.handling_kind, row.online_depth) == (
        "licensing",
        "both",
        "promised",
        4,
    )
    assert row.fee_charged and row.has_online_form
    assert row.published_at == version.published_at
    guide = row.guide
    assert guide["promised_limit"] == {"days": 5, "unit": "working"}
    assert guide["fees"] == [
        {"name": "工本费", "amount": "20.00", "rule": "", "legal_basis": "测试依据"}
    ]
    assert [step["step"] for step in guide["process"]] == [
        "accept",
        "review",
        "decide",
        "close",
        "deliver",
    ]
    assert guide["process"][0]["name"] == "Accept (受理)"
    assert guide["materials"][1]["licence_type"] == "business_licence"
    assert guide["materials"][0]["max_upload_bytes"] == 5 * 1024 * 1024
    assert guide["results"][0]["licence_type"] == "food_business_licence"
    assert guide["faqs"] == [{"question": "要多久？", "answer": "5个工作日。"}]
    assert guide["online_form"]["fields"][0]["name"] == "applicant_name"
    assert sorted(tag.code for tag in row.tags.all()) == ["employment", "permits", "start"]

    # Blank form and samples arrived as attachments, stored outside with the same bytes.
    blank = guide["materials"][0]["blank_form"]
    sample = guide["materials"][0]["sample"]
    assert (blank["name"], blank["content_type"]) == ("申请书.pdf", "application/pdf")
    assert (sample["name"], sample["content_type"]) == ("申请书示例.png", "image/png")
    stored = selectors.published_file(blank["sha256"])
    with stored.file.open("rb") as file:
        assert file.read() == pdf_bytes("blank")
    assert hashlib.sha256(png_bytes()).hexdigest() == sample["sha256"]
    assert PublishedServiceFile.objects.count() == 3


def test_publication_is_delivered_when_the_transaction_commits(
    make_item, django_capture_on_commit_callbacks
):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(item.versions.get(), None)
        assert not PublishedServiceItem.objects.exists()  # nothing before the commit
    assert selectors.published_item(item.implementation_code) is not None
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.ACKED


def test_a_new_version_replaces_the_published_one_outside(make_item):
    item = make_item()
    publish_and_deliver(item.versions.get())
    draft = services.new_draft(item)
    draft.name = "新名称"
    draft.life_events = ["housing"]
    draft.enterprise_stages = []
    draft.save()
    publish_and_deliver(draft)

    row = PublishedServiceItem.objects.get()
    assert (row.name, row.version_number) == ("新名称", 2)
    assert [tag.code for tag in row.tags.all()] == ["housing"]
    # The files did not change: they are stored once.
    assert PublishedServiceFile.objects.count() == 3


def test_withdrawal_removes_the_item_outside_and_republication_brings_it_back(make_item):
    item = make_item()
    publish_and_deliver(item.versions.get())
    services.withdraw_item(item, None, reason="事项取消")
    assert loopback.deliver().applied == 1
    assert selectors.published_item(item.implementation_code) is None
    assert not selectors.published_items().exists()

    publish_and_deliver(services.new_draft(item))
    assert selectors.published_item(item.implementation_code).version_number == 2


def test_the_hall_finds_items_by_life_event_stage_body_and_audience(make_item):
    first = make_item("YC-SCJG", name="个体工商户设立登记")
    second = make_item("YC-MZJ", name="结婚登记")
    draft = second.versions.get()
    draft.audience = "natural"
    draft.life_events = ["marriage"]
    draft.enterprise_stages = []
    draft.save()
    publish_and_deliver(first.versions.get())
    publish_and_deliver(draft)

    def codes(**filters):
        return {row.name for row in selectors.published_items(**filters)}

    assert codes(life_event="marriage") == {"结婚登记"}
    assert codes(life_event="employment") == {"个体工商户设立登记"}
    assert codes(enterprise_stage="start") == {"个体工商户设立登记"}
    assert codes(body_code="YC-MZJ") == {"结婚登记"}
    assert codes(audience="natural") == {"个体工商户设立登记", "结婚登记"}  # "both" included
    assert codes(audience="legal") == {"个体工商户设立登记"}
    assert codes(query="结婚") == {"结婚登记"}
    assert codes(life_event="after_death") == set()


def test_a_forged_publication_is_quarantined_at_the_gap(make_item):
    bad = Envelope.new(
        "services.item.published",
        {"item": {"implementation_code": "X"}},
        source_zone="internal",
        key="services.item:X",
        seq=1,
    )
    [raw] = [envelope.to_bytes() for envelope in seal_batch([bad], keys.signer())]
    report = exchange_services.receive_batch([raw], batch_id="forged", attachment=store.get)
    assert report.reasons == {"schema_invalid": 1}
    assert QuarantinedMessage.objects.get().reason == "schema_invalid"
    assert not PublishedServiceItem.objects.exists()


def test_a_publication_from_the_external_zone_is_refused(make_item, settings):
    item = make_item()
    settings.EGOV_ZONE = "external"
    with pytest.raises(services.ServicesError, match="external zone"):
        services.publish_version(item.versions.get(), None)
    assert item.versions.get().status == ServiceItemVersion.Status.DRAFT


def test_between_split_zones_the_publication_crosses_the_spool(make_item, settings, tmp_path):
    setup = ExchangeSetup(tmp_path, settings)
    root = tmp_path / "gap"
    root.mkdir()

    def act(zone: str) -> spool.Gap:
        setup.configure(SIGNING_KEY=str(tmp_path / "keys" / f"{zone}.key"), TRANSPORT="spool")
        setup.zone(zone)
        return spool.Gap(root, zone)

    for zone in ("internal", "external"):
        act(zone)
        setup.trust(keys.signer(), zone)

    item = make_item()
    internal = act("internal")
    with transaction.atomic():
        services.publish_version(item.versions.get(), None)
    assert spool.export(internal).messages == 1
    assert not PublishedServiceItem.objects.exists()

    report = spool.import_(act("external"))
    assert (report.applied, report.quarantined) == (1, 0)
    row = selectors.published_item(item.implementation_code)
    assert row.guide["materials"][0]["blank_form"]["name"] == "申请书.pdf"
    assert spool.import_(act("internal")).acked_messages == 1
