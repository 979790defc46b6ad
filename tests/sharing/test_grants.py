"""The catalogue, the grant verbs and their permissions, and the base registries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from egov.core.models import AuditEntry
from egov.sharing import catalogue as catalogue_search
from egov.sharing import registries, services
from egov.sharing.models import Grant, Resource

pytestmark = pytest.mark.django_db

PURPOSE = "低保资格复核，核对申请人名下企业"


def test_search_finds_a_word_inside_a_chinese_name_and_in_field_meanings(catalogue):
    found = catalogue_search.search(Resource.objects.all(), "食品经营")
    assert [r.code for r in found] == ["SCJG-FOOD"]
    assert [r.code for r in catalogue_search.search(Resource.objects.all(), "许可企业")] == [
        "SCJG-FOOD"
    ]
    assert {
        r.code for r in catalogue_search.search(Resource.objects.all(), "resident ID number")
    } == {registries.PEOPLE}
    assert not catalogue_search.search(Resource.objects.all(), "公积金").exists()


def test_unconditional_is_granted_on_request_conditional_waits(catalogue, staff, bodies):
    now = services.request_grant(
        catalogue["unconditional"], body=bodies["YC-MZJ"], purpose=PURPOSE,
        fields=["market", "address"], by=staff["mzj"],
    )  # fmt: skip
    assert now.status == "granted" and now.in_force()
    assert now.fields_granted == ["market", "address"]
    later = services.request_grant(
        catalogue["conditional"], body=bodies["YC-MZJ"], purpose=PURPOSE,
        fields=["name", "owner"], by=staff["mzj"],
    )  # fmt: skip
    assert later.status == "requested" and not later.in_force()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("sharing.grant.requested") == 2
    assert actions.count("sharing.grant.granted") == 1


def test_a_resource_not_shared_cannot_be_asked_for(catalogue, staff, bodies):
    with pytest.raises(ValidationError):
        services.request_grant(
            catalogue["closed"], body=bodies["YC-MZJ"], purpose=PURPOSE,
            fields=["name"], by=staff["mzj"],
        )  # fmt: skip
    assert not Grant.objects.exists()


def test_only_own_bodies_and_only_with_permission(catalogue, staff, bodies):
    with pytest.raises(PermissionDenied):  # a clerk browses but does not ask
        services.request_grant(
            catalogue["conditional"], body=bodies["YC-MZJ"], purpose=PURPOSE,
            fields=["name"], by=staff["clerk"],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # not for another body
        services.request_grant(
            catalogue["conditional"], body=bodies["YC-GAJ"], purpose=PURPOSE,
            fields=["name"], by=staff["mzj"],
        )  # fmt: skip


def test_provider_narrows_with_expiry_and_only_the_provider_decides(catalogue, staff, bodies):
    grant = services.request_grant(
        catalogue["conditional"], body=bodies["YC-MZJ"], purpose=PURPOSE,
        fields=["name", "uscc", "owner"], by=staff["mzj"],
    )  # fmt: skip
    expiry = timezone.localdate() + datetime.timedelta(days=90)
    for wrong in (staff["mzj"], staff["dsj"], staff["clerk"]):
        with pytest.raises(PermissionDenied):
            services.approve(grant, by=wrong, fields=["name"], expires_on=expiry)
    with pytest.raises(ValidationError):  # a field not asked for
        services.approve(grant, by=staff["scjg"], fields=["name", "phone"], expires_on=expiry)
    with pytest.raises(ValidationError):  # an expiry in the past
        services.approve(grant, by=staff["scjg"], fields=["name"], expires_on=timezone.localdate())
    grant = services.approve(grant, by=staff["scjg"], fields=["name", "uscc"], expires_on=expiry)
    assert grant.status == "granted" and grant.narrowed
    assert grant.fields_granted == ["name", "uscc"] and grant.expires_on == expiry
    entry = AuditEntry.objects.filter(action="sharing.grant.granted").get()
    assert entry.detail["narrowed"] is True and entry.detail["fields"] == ["name", "uscc"]
    assert entry.actor_id == staff["scjg"].pk


def test_refusal_needs_a_reason_and_is_audited(catalogue, staff, bodies):
    grant = services.request_grant(
        catalogue["conditional"], body=bodies["YC-MZJ"], purpose=PURPOSE,
        fields=["name"], by=staff["mzj"],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.refuse(grant, by=staff["scjg"], reason="")
    grant = services.refuse(grant, by=staff["scjg"], reason="目的与所需字段不相称")
    assert grant.status == "refused"
    assert AuditEntry.objects.filter(action="sharing.grant.refused").get().detail["reason"] == (
        "目的与所需字段不相称"
    )
    with pytest.raises(ValidationError):  # decided already
        services.approve(grant, by=staff["scjg"])


def test_revocation_by_provider_or_holder_not_by_others(catalogue, staff, bodies):
    grant = services.request_grant(
        catalogue["unconditional"], body=bodies["YC-MZJ"], purpose=PURPOSE,
        fields=["market"], by=staff["mzj"],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.revoke(grant, by=staff["dsj"], reason="不再需要了")
    grant = services.revoke(grant, by=staff["scjg"], reason="数据口径调整，暂停共享")
    assert grant.status == "revoked" and not grant.in_force()
    assert AuditEntry.objects.filter(action="sharing.grant.revoked").count() == 1


def test_providers_edit_only_their_own_resources(catalogue, staff):
    resource = catalogue["conditional"]
    resource.name = "改名"
    with pytest.raises(PermissionDenied):
        services.save_resource(resource, by=staff["mzj"])
    resource.refresh_from_db()
    resource.description = "每月更新。"
    services.save_resource(resource, by=staff["scjg"])
    assert "每月" in Resource.objects.get(pk=resource.pk).search_text


def test_base_registries_read_the_platform_tables(catalogue, people):
    rows = registries.rows_of(catalogue["people"], {"id_number": "110105194912310021"}, 10, 0)
    assert rows == [
        {
            "real_name": "李四光",
            "id_number": "110105194912310021",
            "mobile": "13912345671",
            "verified_on": None,
        }
    ]
    codes = set(Resource.objects.values_list("code", flat=True))
    assert {registries.PEOPLE, registries.ENTITIES, registries.LICENCES} <= codes
    assert registries.rows_of(Resource.objects.get(code=registries.LICENCES), {}, 10, 0) == []
