"""The verbs of service items; each is one transaction and writes the audit log.

- ``create_item`` — a new item with its first draft;
- ``new_draft`` — a draft copied from the current version, to change an item;
- ``publish_version`` — publish a draft: the previous version is superseded in the same
  transaction, and a ``services.item.published`` message goes to the external zone;
- ``withdraw_item`` — 停用: the item is no longer offered, and the external zone is told;
- ``delete_draft`` — throw a draft away;
- ``version_problems`` — what keeps a draft from being published.

A published version never changes again: cases keep the version they started on.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from egov import exchange
from egov.core import audit
from egov.exchange.policy import PolicyError

from . import publication
from .choices import REQUIRED_STEPS, STEP_ORDER, HandlingKind, OnlineDepth, Step
from .models import PARTS, ServiceItem, ServiceItemVersion
from .selectors import KEY_ELEMENT_TERMS, guide_gaps

Status = ServiceItemVersion.Status
# Fields of a version that belong to the version itself, not to what the guide says.
_OWN_FIELDS = {
    "id",
    "item",
    "number",
    "status",
    "change_note",
    "created_at",
    "created_by",
    "published_at",
    "published_by",
    "superseded_at",
}


class ServicesError(ValueError):
    """A request refused; ``problems`` lists what to fix (translated sentences)."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))


@transaction.atomic
def create_item(
    *, body, basic_code: str, implementation_code: str, name: str, by=None, **guide
) -> ServiceItem:
    """A new item of ``body`` with its first draft (version 1) named ``name``; ``guide``
    gives further fields of the draft. Raises ValidationError for bad codes."""
    item = ServiceItem(
        body=body,
        basic_code=basic_code,
        implementation_code=implementation_code,
        name=name,
        created_by=by,
    )
    item.full_clean()
    item.save()
    ServiceItemVersion.objects.create(item=item, number=1, name=name, created_by=by, **guide)
    audit.record(
        "services.item.created",
        actor=by,
        body=body,
        obj=item,
        detail={"implementation_code": implementation_code, "name": name},
    )
    return item


def _copy_version(source: ServiceItemVersion, *, number: int, by) -> ServiceItemVersion:
    values = {
        field.attname: copy.deepcopy(getattr(source, field.attname))
        for field in ServiceItemVersion._meta.concrete_fields
        if field.name not in _OWN_FIELDS
    }
    draft = ServiceItemVersion.objects.create(
        item_id=source.item_id, number=number, created_by=by, **values
    )
    for part in PARTS:
        rows = []
        for row in part.objects.filter(version=source).order_by("order", "pk"):
            row.pk = None
            row.id = None
            row.version = draft
            row._state.adding = True
            for field in part._meta.concrete_fields:
                if field.get_internal_type() == "JSONField":
                    setattr(row, field.attname, copy.deepcopy(getattr(row, field.attname)))
            rows.append(row)
        part.objects.bulk_create(rows)  # the files are shared: a stored file never changes
    return draft


@transaction.atomic
def new_draft(item: ServiceItem, *, by=None, request=None) -> ServiceItemVersion:
    """A new draft of ``item``: a copy of its latest published or superseded version (with
    its materials, fees, steps, results and FAQ). Refused if a draft exists already."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    existing = item.versions.filter(status=Status.DRAFT).first()
    if existing is not None:
        raise ServicesError(
            gettext(
                "%(item)s already has a draft (version %(number)d): change that one, or "
                "delete it first."
            )
            % {"item": item, "number": existing.number}
        )
    number = (item.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    source = item.versions.order_by("-number").first()
    if source is None:  # every draft was deleted before anything was published
        draft = ServiceItemVersion.objects.create(
            item=item, number=number, name=item.name, created_by=by
        )
    else:
        draft = _copy_version(source, number=number, by=by)
    audit.record(
        "services.draft.created",
        actor=by,
        body=item.body,
        obj=draft,
        request=request,
        detail={
            "implementation_code": item.implementation_code,
            "number": number,
            "copied_from": source.number if source else None,
        },
    )
    return draft


def _field_problems(instance) -> list[str]:
    try:
        # Uniqueness and constraints are the database's to enforce.
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = []
        for field, messages in error.message_dict.items():
            if field == "__all__":
                problems += messages
                continue
            label = instance._meta.get_field(field).verbose_name
            problems += [f"{label}: {message}" for message in messages]
        return problems
    return []


def version_problems(version: ServiceItemVersion) -> list[str]:
    """What must be fixed before ``version`` can be published (empty when it can be).

    The key elements of a guide whose absence fails a government website
    (国办秘函〔2019〕19号): name, legal basis, conditions, materials, place, body, fees,
    hours, phone and process — all required here, with the limits and steps coherent."""
    problems = _field_problems(version)
    materials = list(version.materials.all())
    fees = list(version.fees.all())
    steps = list(version.steps.all())
    results = list(version.results.all())
    for part_rows in (materials, fees, steps, results, list(version.faqs.all())):
        for row in part_rows:
            problems += [f"{row._meta.verbose_name} “{row}”: {p}" for p in _field_problems(row)]
    if not materials:
        problems.append(gettext("List the materials (办理材料) an applicant hands in."))
    if not results:
        problems.append(gettext("Say what the applicant receives (办理结果)."))
    if version.fee_charged and not fees:
        problems.append(gettext("The item charges fees: list each fee with its legal basis."))
    if fees and not version.fee_charged:
        problems.append(gettext("Fees are listed, but the item is marked as free."))
    problems += _step_problems(version, steps)
    if version.online_depth >= OnlineDepth.PRE_CHECK and not version.online_form:
        problems.append(
            gettext(
                "An item that can be applied for online (depth level 3 or 4) needs its online form."
            )
        )
    if not problems:  # the inspector's rule, in case the checks above let one through
        problems += _key_element_problems(version, materials, fees, steps)
    return problems


def _key_element_problems(version, materials, fees, steps) -> list[str]:
    """The key elements ``selectors.guide_gaps`` (the rule the portal's inspector applies to
    published guides) finds missing, e.g. a legal basis of blanks only."""
    guide = {
        **{
            name: getattr(version, name)
            for name in ("name", "legal_basis", "conditions", "place", "hours", "phone")
        },
        "fee_charged": version.fee_charged,
        "fees": [{"name": f.name, "amount": f.amount, "rule": f.rule} for f in fees],
        "materials": [{"name": m.name} for m in materials],
        "process": [{"step": s.step} for s in steps],
    }
    gaps = guide_gaps(guide, body=version.item.body.name_zh)
    if not gaps:
        return []
    return [
        gettext("The guide lacks key elements of a government website check: %(elements)s.")
        % {"elements": "、".join(KEY_ELEMENT_TERMS[key] for key in gaps)}
    ]


def _step_problems(version: ServiceItemVersion, steps) -> list[str]:
    problems = []
    if not steps:
        return [
            gettext("Describe the process (办理流程): at least accept (受理) and close (办结).")
        ]
    present = [step.step for step in steps]
    missing = [str(Step(code).label) for code in REQUIRED_STEPS if code not in present]
    if missing:
        problems.append(
            gettext("The process needs the steps %(steps)s.") % {"steps": ", ".join(missing)}
        )
    ranks = [STEP_ORDER[code] for code in present]
    if ranks != sorted(ranks):
        problems.append(
            gettext(
                "The steps are out of order: a case runs 受理, 审查, 决定, 办结, 送达, in this "
                "order (leave out those it does not have)."
            )
        )
    if version.handling_kind == HandlingKind.IMMEDIATE:
        if any(step.limit for step in steps):
            problems.append(
                gettext("An on-the-spot item (即办件) is done the same day: every step limit is 0.")
            )
    else:
        total = sum(step.limit for step in steps if step.unit == version.promised_unit)
        if total > version.promised_limit:
            problems.append(
                gettext(
                    "The step limits add up to %(total)d days, more than the promised limit "
                    "of %(limit)d."
                )
                % {"total": total, "limit": version.promised_limit}
            )
    return problems


@transaction.atomic
def publish_version(version: ServiceItemVersion, by, *, request=None) -> ServiceItemVersion:
    """Publish the draft ``version``: the item's published version (if any) becomes
    superseded, this one published, and the public part goes to the external zone — all in
    one transaction. Raises ServicesError with the problems that keep it from publication."""
    item = ServiceItem.objects.select_for_update().select_related("body").get(pk=version.item_id)
    version = ServiceItemVersion.objects.get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ServicesError(
            gettext("Version %(number)d is %(status)s already; only a draft can be published.")
            % {"number": version.number, "status": version.get_status_display()}
        )
    problems = version_problems(version)
    if problems:
        raise ServicesError(problems)
    now = timezone.now()
    superseded = list(
        item.versions.filter(status=Status.PUBLISHED).values_list("number", flat=True)
    )
    item.versions.filter(status=Status.PUBLISHED).update(
        status=Status.SUPERSEDED, superseded_at=now
    )
    ServiceItemVersion.objects.filter(pk=version.pk).update(
        status=Status.PUBLISHED, published_at=now, published_by=by
    )
    version.refresh_from_db()
    item.name = version.name
    item.withdrawn_at = None
    item.withdrawn_by = None
    item.withdrawal_reason = ""
    item.save(update_fields=["name", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    payload, attachments = publication.build(version)
    try:
        exchange.publish(
            publication.PUBLISHED,
            payload,
            key=publication.message_key(item.implementation_code),
            attachments=attachments,
            source_body=item.body.code,
        )
    except PolicyError as error:
        raise ServicesError(
            gettext("The version could not be sent to the external zone: %(error)s")
            % {"error": error.message}
        ) from error
    audit.record(
        "services.version.published",
        actor=by,
        body=item.body,
        obj=version,
        request=request,
        detail={
            "implementation_code": item.implementation_code,
            "number": version.number,
            "superseded": superseded,
        },
    )
    return version


@transaction.atomic
def withdraw_item(item: ServiceItem, by, *, reason: str, request=None) -> ServiceItem:
    """停用: the item is no longer offered; the external zone removes it from the hall.
    Its versions are kept (cases refer to them). Publishing a new version offers it again."""
    item = ServiceItem.objects.select_for_update().select_related("body").get(pk=item.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ServicesError(gettext("Say why the item is withdrawn."))
    if item.is_withdrawn:
        raise ServicesError(gettext("%(item)s is withdrawn already.") % {"item": item})
    published = item.versions.filter(status=Status.PUBLISHED).first()
    if published is None:
        raise ServicesError(
            gettext("%(item)s was never published: delete its draft instead.") % {"item": item}
        )
    now = timezone.now()
    item.withdrawn_at = now
    item.withdrawn_by = by
    item.withdrawal_reason = reason[:500]
    item.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    exchange.publish(
        publication.WITHDRAWN,
        {
            "implementation_code": item.implementation_code,
            "basic_code": item.basic_code,
            "version": published.number,
            "withdrawn_at": now.isoformat(),
            "reason": item.withdrawal_reason,
        },
        key=publication.message_key(item.implementation_code),
        source_body=item.body.code,
    )
    audit.record(
        "services.item.withdrawn",
        actor=by,
        body=item.body,
        obj=item,
        request=request,
        detail={"implementation_code": item.implementation_code, "reason": reason},
    )
    return item


@transaction.atomic
def delete_draft(version: ServiceItemVersion, by, *, request=None) -> None:
    """Throw away a draft (published and superseded versions are kept for ever)."""
    version = ServiceItemVersion.objects.select_related("item__body").get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ServicesError(
            gettext("Version %(number)d is %(status)s: it is kept, only drafts can be deleted.")
            % {"number": version.number, "status": version.get_status_display()}
        )
    detail = {"implementation_code": version.item.implementation_code, "number": version.number}
    audit.record(
        "services.draft.deleted",
        actor=by,
        body=version.item.body,
        obj=version,
        request=request,
        detail=detail,
    )
    version.delete()
