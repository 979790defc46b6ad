"""Read functions of service items.

Outside (the hall): the published catalogue, a read model written by the exchange handlers.
Inside (back-office, cases): the master catalogue, scoped to the bodies a staff member sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Q, QuerySet

from egov.directory.scoping import visible_to

from .choices import Audience
from .models import (
    PublishedServiceFile,
    PublishedServiceItem,
    PublishedServiceTag,
    ServiceItem,
    ServiceItemVersion,
)

# --- outside: the published catalogue --------------------------------------------------


def published_items(
    *,
    life_event: str | None = None,
    enterprise_stage: str | None = None,
    body_code: str | None = None,
    audience: str | None = None,
    item_type: str | None = None,
    query: str | None = None,
) -> QuerySet[PublishedServiceItem]:
    """The items offered now, filtered. ``audience`` "natural" (or "legal") also finds the
    items that serve both."""
    items = PublishedServiceItem.objects.all()
    if life_event:
        items = items.filter(tags__kind=PublishedServiceTag.Kind.LIFE_EVENT, tags__code=life_event)
    if enterprise_stage:
        items = items.filter(
            tags__kind=PublishedServiceTag.Kind.ENTERPRISE_STAGE, tags__code=enterprise_stage
        )
    if body_code:
        items = items.filter(body_code=body_code)
    if audience:
        items = items.filter(audience__in=[audience, Audience.BOTH])
    if item_type:
        items = items.filter(item_type=item_type)
    if query:
        items = items.filter(Q(name__icontains=query) | Q(name_en__icontains=query))
    return items


def published_item(implementation_code: str) -> PublishedServiceItem | None:
    return PublishedServiceItem.objects.filter(implementation_code=implementation_code).first()


def published_file(sha256: str) -> PublishedServiceFile | None:
    """A blank form or sample of a published item, by the SHA-256 the guide names."""
    return PublishedServiceFile.objects.filter(sha256=sha256).first()


# --- the key elements of a guide ---------------------------------------------------------

# The key elements of a service guide whose absence fails a government website (国办秘函〔2019〕
# 19号, single veto 6): 事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、
# 办理时间、联系电话、办理流程 — in that order. The portal's site health inspector uses the same
# keys (``egov.portal.inspector.rules.SERVICE_GUIDE_ELEMENTS``).
KEY_ELEMENTS = (
    "name",
    "legal_basis",
    "conditions",
    "materials",
    "place",
    "handling_body",
    "fees",
    "hours",
    "phone",
    "process",
)
KEY_ELEMENT_TERMS = dict(
    zip(
        KEY_ELEMENTS,
        "事项名称 设定依据 申请条件 办理材料 办理地点 办理机构 收费标准 办理时间 联系电话 办理流程".split(),
        strict=True,
    )
)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _rows(value, *, named_by: str) -> bool:
    """A non-empty list whose every row gives ``named_by``."""
    return (
        isinstance(value, list | tuple)
        and bool(value)
        and all(isinstance(row, Mapping) and row.get(named_by) for row in value)
    )


def _fee_given(fee) -> bool:
    return (
        isinstance(fee, Mapping)
        and _text(fee.get("name"))
        and (fee.get("amount") not in (None, "") or _text(fee.get("rule")))
    )


def guide_gaps(guide: Mapping, *, body: str) -> list[str]:
    """The key elements (``KEY_ELEMENTS``) that ``guide`` lacks, in that order; empty when
    it is complete.

    ``guide`` is a guide as published (``publication.GUIDE_SCHEMA``: the ``guide`` of a
    ``PublishedServiceItem``), or any mapping with the same keys; ``body`` is the name of the
    implementing body (办理机构). Texts are missing when blank; materials and the process
    when there are none (or one has no name / step); fees only when the item charges
    (``fee_charged``) and lists none, or a fee without its amount or rule — a free item
    has its 收费标准: free."""
    present = {
        "name": _text(guide.get("name")),
        "legal_basis": _text(guide.get("legal_basis")),
        "conditions": _text(guide.get("conditions")),
        "materials": _rows(guide.get("materials"), named_by="name"),
        "place": _text(guide.get("place")),
        "handling_body": _text(body),
        "fees": not guide.get("fee_charged")
        or (bool(guide.get("fees")) and all(_fee_given(fee) for fee in guide["fees"])),
        "hours": _text(guide.get("hours")),
        "phone": _text(guide.get("phone")),
        "process": _rows(guide.get("process"), named_by="step"),
    }
    return [key for key in KEY_ELEMENTS if not present[key]]


def published_guide_gaps(
    body_codes: Iterable[str] | None = None,
) -> list[tuple[PublishedServiceItem, list[str]]]:
    """The published items (of the bodies with these codes; all when None) whose guide lacks
    key elements, each with the elements it lacks (``guide_gaps``)."""
    items = PublishedServiceItem.objects.order_by("body_code", "implementation_code")
    if body_codes is not None:
        items = items.filter(body_code__in=list(body_codes))
    found = []
    for item in items.iterator(chunk_size=200):
        gaps = guide_gaps(item.guide or {}, body=item.body_name_zh)
        if gaps:
            found.append((item, gaps))
    return found


# --- inside: the master catalogue ------------------------------------------------------


def items_visible_to(user) -> QuerySet[ServiceItem]:
    """The items of the bodies ``user`` may see (directory.scoping)."""
    return visible_to(user, ServiceItem.objects.all(), body_field="body")


def versions_visible_to(user) -> QuerySet[ServiceItemVersion]:
    return visible_to(user, ServiceItemVersion.objects.all(), body_field="item__body")


def current_version(item: ServiceItem) -> ServiceItemVersion | None:
    """The version a new case starts on: the published one (None if withdrawn or never
    published)."""
    if item.is_withdrawn:
        return None
    return item.versions.filter(status=ServiceItemVersion.Status.PUBLISHED).first()
