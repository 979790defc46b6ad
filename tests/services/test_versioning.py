"""Versions of a service item: drafts, publication, supersession, immutability, withdrawal."""

import pytest
from django.db import IntegrityError, transaction

from egov.core.models import AuditEntry
from egov.exchange.models import OutboxMessage
from egov.exchange.policy import PolicyError
from egov.services import selectors, services
from egov.services.models import (
    Fee,
    Material,
    ProcessStep,
    ServiceItem,
    ServiceItemVersion,
    VersionFrozenError,
)
from egov.services.services import ServicesError

pytestmark = pytest.mark.django_db

Status = ServiceItemVersion.Status


def test_a_new_item_has_a_first_draft_and_publishing_it_offers_it(make_item, make_staff):
    head = make_staff("head")
    item = make_item(name="食品经营许可")
    draft = item.versions.get()
    assert (draft.number, draft.status) == (1, Status.DRAFT)
    assert selectors.current_version(item) is None

    published = services.publish_version(draft, head)

    assert (published.status, published.published_by) == (Status.PUBLISHED, head)
    assert published.published_at is not None
    assert selectors.current_version(item) == published
    item.refresh_from_db()
    assert item.name == "食品经营许可"
    message = OutboxMessage.objects.get()
    assert (message.type, message.key) == (
        "services.item.published",
        f"services.item:{item.implementation_code}",
    )
    entry = AuditEntry.objects.get(action="services.version.published")
    assert (entry.actor_id, entry.object_id) == (head.pk, str(published.pk))


def test_a_published_version_and_its_parts_never_change(make_item):
    item = make_item()
    version = services.publish_version(item.versions.get(), None)

    version.name = "改过的名称"
    with pytest.raises(VersionFrozenError):
        version.save()
    material = version.materials.first()
    material.name = "改过的材料"
    with pytest.raises(VersionFrozenError):
        material.save()
    with pytest.raises(VersionFrozenError):
        Material.objects.create(version=version, name="新材料")
    with pytest.raises(VersionFrozenError):
        version.steps.first().delete()
    with pytest.raises(VersionFrozenError):
        version.delete()
    with pytest.raises(VersionFrozenError):
        item.delete()  # the cascade would take the published version with it

    version.refresh_from_db()
    assert version.name == "测试事项"
    assert version.materials.count() == 2
    assert version.steps.count() == 5


def test_new_draft_copies_the_current_version_with_all_its_parts(make_item):
    item = make_item()
    first = services.publish_version(item.versions.get(), None)

    draft = services.new_draft(item)

    assert (draft.number, draft.status) == (2, Status.DRAFT)
    for field in ("name", "legal_basis", "promised_limit", "life_events", "online_form"):
        assert getattr(draft, field) == getattr(first, field)
    assert [m.name for m in draft.materials.all()] == [m.name for m in first.materials.all()]
    assert [s.step for s in draft.steps.all()] == ["accept", "review", "decide", "close", "deliver"]
    assert draft.fees.get().amount == first.fees.get().amount
    assert draft.results.get().licence_type == "food_business_licence"
    assert draft.faqs.count() == 1
    # The parts are copies: changing the draft leaves the published version as it was.
    draft_material = draft.materials.get(order=1)
    assert draft_material.pk != first.materials.get(order=1).pk
    assert draft_material.blank_form.name == first.materials.get(order=1).blank_form.name
    draft_material.name = "新申请书"
    draft_material.save()
    draft.life_events.append("housing")
    draft.save()
    first.refresh_from_db()
    assert first.materials.get(order=1).name == "申请书"
    assert first.life_events == ["employment"]


def test_only_one_draft_at_a_time(make_item):
    item = make_item()
    with pytest.raises(ServicesError, match="already has a draft"):
        services.new_draft(item)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItemVersion.objects.create(item=item, number=9, name="second draft")


def test_publishing_supersedes_the_previous_version_and_running_cases_keep_theirs(make_item):
    item = make_item()
    first = services.publish_version(item.versions.get(), None)
    started_on = first.pk  # what a case started on v1 refers to
    first_due = first.due_date(first.published_at)

    draft = services.new_draft(item)
    draft.name = "食品经营许可（第二版）"
    draft.promised_limit = 3
    draft.save()
    ProcessStep.objects.filter(version=draft, step="review").update(limit=1)
    Material.objects.filter(version=draft, order=2).delete()
    second = services.publish_version(draft, None)

    first = ServiceItemVersion.objects.get(pk=started_on)
    assert first.status == Status.SUPERSEDED
    assert first.superseded_at == second.published_at
    assert ServiceItemVersion.objects.filter(item=item, status=Status.PUBLISHED).get() == second
    # The case's version is unchanged: its name, its limit, its materials.
    assert first.name == "测试事项"
    assert first.promised_limit == 5
    assert first.due_date(first.published_at) == first_due
    assert first.materials.count() == 2
    assert second.materials.count() == 1
    assert selectors.current_version(item) == second
    item.refresh_from_db()
    assert item.name == "食品经营许可（第二版）"
    audit = AuditEntry.objects.filter(action="services.version.published").last()
    assert audit.detail["superseded"] == [1]


def test_a_draft_with_problems_is_not_published_and_nothing_changes(make_item):
    item = make_item()
    first = services.publish_version(item.versions.get(), None)
    draft = services.new_draft(item)
    draft.materials.all().delete()
    ProcessStep.objects.filter(version=draft, step="accept").update(order=9)
    draft.fee_charged = False  # a fee is still listed
    draft.promised_limit = 2  # the steps add up to 4
    draft.save()

    with pytest.raises(ServicesError) as refused:
        services.publish_version(draft, None)

    problems = " ".join(refused.value.problems)
    assert "List the materials" in problems
    assert "out of order" in problems
    assert "marked as free" in problems
    assert "add up to 4 days, more than the promised limit of 2" in problems
    draft.refresh_from_db()
    first.refresh_from_db()
    assert (draft.status, first.status) == (Status.DRAFT, Status.PUBLISHED)
    assert OutboxMessage.objects.count() == 1  # the first publication only


def test_limits_must_be_coherent(make_item):
    draft = make_item().versions.get()
    draft.handling_kind = "immediate"  # 即办件 with a promised limit of 5
    draft.save()
    with pytest.raises(ServicesError, match="promised limit is 0"):
        services.publish_version(draft, None)
    draft.handling_kind = "promised"
    draft.promised_limit = 30  # longer than the statutory 20 working days
    draft.save()
    with pytest.raises(ServicesError, match="longer than the statutory limit"):
        services.publish_version(draft, None)
    draft.promised_limit = 5
    draft.online_depth = 4
    draft.visits_needed = 1
    draft.save()
    with pytest.raises(ServicesError, match="needs no visit"):
        services.publish_version(draft, None)
    draft.visits_needed = 0
    draft.online_form = None
    draft.save()
    with pytest.raises(ServicesError, match="needs its online form"):
        services.publish_version(draft, None)


def test_only_a_draft_is_published(make_item):
    version = services.publish_version(make_item().versions.get(), None)
    with pytest.raises(ServicesError, match="only a draft can be published"):
        services.publish_version(version, None)


def test_a_refusal_at_the_exchange_rolls_the_publication_back(make_item, monkeypatch):
    item = make_item()
    first = services.publish_version(item.versions.get(), None)
    draft = services.new_draft(item)

    def refuse(*args, **kwargs):
        raise PolicyError("too_large", "the message is too large")

    monkeypatch.setattr("egov.exchange.publish", refuse)
    with pytest.raises(ServicesError, match="too large"):
        services.publish_version(draft, None)
    first.refresh_from_db()
    draft.refresh_from_db()
    assert (first.status, draft.status) == (Status.PUBLISHED, Status.DRAFT)


def test_withdrawal_needs_a_reason_and_a_publication(make_item, make_staff):
    head = make_staff("head")
    item = make_item()
    with pytest.raises(ServicesError, match="never published"):
        services.withdraw_item(item, head, reason="合并到其他事项")
    services.publish_version(item.versions.get(), head)
    with pytest.raises(ServicesError, match="Say why"):
        services.withdraw_item(item, head, reason="  ")

    services.withdraw_item(item, head, reason="事项已取消")

    item.refresh_from_db()
    assert item.is_withdrawn and item.withdrawal_reason == "事项已取消"
    assert selectors.current_version(item) is None
    assert item.published_version.status == Status.PUBLISHED  # kept for the record
    with pytest.raises(ServicesError, match="withdrawn already"):
        services.withdraw_item(item, head, reason="again")
    assert OutboxMessage.objects.filter(type="services.item.withdrawn").count() == 1

    # Publishing a new version offers the item again.
    services.publish_version(services.new_draft(item), head)
    item.refresh_from_db()
    assert not item.is_withdrawn
    assert selectors.current_version(item).number == 2


def test_drafts_can_be_deleted_published_versions_cannot(make_item):
    item = make_item()
    draft = item.versions.get()
    version = services.publish_version(draft, None)
    with pytest.raises(ServicesError, match="only drafts can be deleted"):
        services.delete_draft(version, None)

    second = services.new_draft(item)
    services.delete_draft(second, None)
    assert list(item.versions.values_list("number", flat=True)) == [1]
    assert not Material.objects.filter(version_id=second.pk).exists()
    assert AuditEntry.objects.filter(action="services.draft.deleted").count() == 1
    # A deleted draft never left the back-office: the next draft takes its number, so the
    # published versions stay numbered 1, 2, 3 … without gaps.
    assert services.new_draft(item).number == 2


def test_an_item_that_was_never_published_gets_a_fresh_draft(make_item):
    item = make_item(name="未发布事项")
    services.delete_draft(item.versions.get(), None)
    draft = services.new_draft(item)
    assert (draft.number, draft.name, draft.materials.count()) == (1, "未发布事项", 0)


def test_codes_are_checked(bodies):
    with pytest.raises(Exception, match="basic code"):
        services.create_item(
            body=bodies["YC-SCJG"], basic_code="12345", implementation_code="X" * 20, name="x"
        )
    with pytest.raises(Exception, match="implementation code"):
        services.create_item(
            body=bodies["YC-SCJG"],
            basic_code="010601999000",
            implementation_code="lower-case-code",
            name="x",
        )
    assert not ServiceItem.objects.exists()


def test_a_fee_needs_an_amount_or_a_rule(make_item):
    draft = make_item().versions.get()
    Fee.objects.filter(version=draft).update(amount=None, rule="")
    with pytest.raises(ServicesError, match="amount, or the rule"):
        services.publish_version(draft, None)
