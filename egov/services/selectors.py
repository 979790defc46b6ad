"""Read functions of service items.

Outside (the hall): the published catalogue, a read model written by the exchange handlers.
Inside (back-office, cases): the master catalogue, scoped to the bodies a staff member sees.
"""

from __future__ import annotations

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
