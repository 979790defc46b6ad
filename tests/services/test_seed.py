"""manage.py seed_services: about thirty realistic, valid, published items; twice creates
nothing new; the external read model gets them all."""

import io

import pytest
from django.core.management import CommandError, call_command

from egov.exchange.models import OutboxMessage
from egov.services.choices import EnterpriseStage, LifeEvent
from egov.services.forms import form_definition_problems
from egov.services.models import (
    Fee,
    Material,
    PublishedServiceItem,
    ServiceItem,
    ServiceItemVersion,
)
from egov.services.seed import demo_uscc
from egov.services.seed_data import ITEMS
from egov.services.services import version_problems

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("seed_services", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (
        ServiceItem.objects.count(),
        ServiceItemVersion.objects.count(),
        Material.objects.count(),
        OutboxMessage.objects.count(),
        PublishedServiceItem.objects.count(),
    )


def test_the_seed_publishes_a_realistic_catalogue_and_twice_creates_nothing(bodies):
    output = run()
    assert f"created and published: {len(ITEMS)}" in output
    assert f"Delivered to the published catalogue: {len(ITEMS)}" in output
    first = counts()
    assert first[0] == first[1] == first[4] == len(ITEMS) >= 30

    assert "nothing created" in run()
    assert counts() == first

    versions = ServiceItemVersion.objects.select_related("item__body")
    assert {v.status for v in versions} == {"published"}
    assert len({v.item.body.code for v in versions}) >= 8
    handling = [v.handling_kind for v in versions]
    assert handling.count("immediate") >= 1
    assert handling.count("promised") >= 20
    assert {v.statutory_unit for v in versions} | {v.promised_unit for v in versions} == {
        "working",
        "natural",
    }
    assert Fee.objects.filter(amount__gt=0).count() >= 2
    assert versions.filter(fee_charged=True, wait_for_payment=True).exists()
    assert set().union(*(v.life_events for v in versions)) >= {
        LifeEvent.BIRTH,
        LifeEvent.SCHOOLING,
        LifeEvent.EMPLOYMENT,
        LifeEvent.MARRIAGE,
        LifeEvent.HOUSING,
        LifeEvent.SOCIAL_INSURANCE,
        LifeEvent.OLD_AGE,
        LifeEvent.AFTER_DEATH,
    }
    assert set().union(*(v.enterprise_stages for v in versions)) >= {
        EnterpriseStage.START,
        EnterpriseStage.PERMITS,
        EnterpriseStage.OPERATION,
        EnterpriseStage.CHANGE,
        EnterpriseStage.CLOSURE,
    }
    # Materials an e-licence can replace, results that issue one.
    assert Material.objects.filter(licence_type="business_licence").exists()
    assert Material.objects.filter(licence_type="resident_id_card").exists()
    assert Material.objects.exclude(blank_form="").count() >= 20
    assert versions.filter(results__grants_licence=True).distinct().count() >= 10


def test_every_seeded_item_is_valid_and_arrives_outside_whole(bodies):
    run()
    for version in ServiceItemVersion.objects.select_related("item__body"):
        assert version_problems(version) == [], version.name
        if version.online_form is not None:
            assert form_definition_problems(version.online_form) == [], version.name
        item = version.item
        assert item.implementation_code == demo_uscc(item.body) + item.basic_code
        row = PublishedServiceItem.objects.get(implementation_code=item.implementation_code)
        assert row.name == version.name
        assert len(row.guide["materials"]) == version.materials.count()
        for material in row.guide["materials"]:
            if material["blank_form"]:
                assert material["blank_form"]["content_type"] == "application/pdf"
    # A body's own code is used where the directory has it; the demo codes are valid ones.
    government = bodies["YC-ZF"]
    government.uscc = "11500383009338112H"
    assert demo_uscc(government) == "11500383009338112H"
    from egov.core.validators import validate_uscc

    assert validate_uscc(demo_uscc(bodies["YC-SCJG"])) == demo_uscc(bodies["YC-SCJG"])


def test_an_item_changed_in_the_back_office_is_left_alone(bodies):
    run()
    item = ServiceItem.objects.get(basic_code="010601001000")
    from egov.services import services

    draft = services.new_draft(item)
    draft.name = "个体工商户登记（区里改过）"
    draft.save()
    services.publish_version(draft, None)
    run()
    item.refresh_from_db()
    assert item.name == "个体工商户登记（区里改过）"
    assert item.versions.count() == 2


def test_the_external_zone_does_not_seed_the_master_catalogue(bodies, settings):
    settings.EGOV_ZONE = "external"
    with pytest.raises(CommandError, match="internal zone"):
        run()
    assert not ServiceItem.objects.exists()
