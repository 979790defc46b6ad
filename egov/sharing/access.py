"""What a consuming system may read, and the record of what it read.

- ``grant_in_force(body, resource)`` — the grant that answers a call: granted, not past its
  expiry, not revoked (the newest if several);
- ``shape(resource, rows, fields, unmasked)`` — only the granted fields; personal fields
  masked (``egov.core.masking.mask``) unless the grant says otherwise;
- ``open_resources`` / ``public_fields`` / ``public_rows`` — open data: never a personal
  field; read from the external zone's copy in a split deployment (``reads_copy``);
- ``take_rate(consumer)`` — the per-consumer rate limit, counted in Django's cache;
- ``log_call`` — one ``CallLog`` row per call, answered or refused.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from egov.core.masking import mask

from . import registries
from .models import CallLog, Grant, GrantStatus, PublishedResource, Resource, SharingType

MAX_ROWS = 500


def grant_in_force(body, resource: Resource) -> Grant | None:
    today = timezone.localdate()
    return (
        Grant.objects.filter(resource=resource, consumer_body=body, status=GrantStatus.GRANTED)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .order_by("-decided_at", "-pk")
        .first()
    )


def grants_in_force(body):
    today = timezone.localdate()
    return (
        Grant.objects.filter(consumer_body=body, status=GrantStatus.GRANTED)
        .exclude(resource__sharing_type=SharingType.NONE)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("resource", "resource__provider")
        .order_by("resource__code", "-decided_at")
    )


def shape(resource: Resource, rows: list[dict], fields: list[str], unmasked: bool) -> list[dict]:
    """The rows with only ``fields``; the personal ones masked unless ``unmasked``."""
    kinds = {
        field.name: (field.mask_kind or "name")
        for field in resource.fields.all()
        if field.personal and not unmasked
    }
    shaped = []
    for row in rows:
        out = {}
        for name in fields:
            value = row.get(name)
            out[name] = mask(kinds[name], value) if name in kinds and value is not None else value
        shaped.append(out)
    return shaped


def masked_fields(resource: Resource, fields: list[str], unmasked: bool) -> list[str]:
    if unmasked:
        return []
    personal = set(resource.fields.filter(personal=True).values_list("name", flat=True))
    return [name for name in fields if name in personal]


def granted_rows(grant: Grant, filters: dict, limit: int, offset: int) -> list[dict]:
    rows = registries.rows_of(grant.resource, filters, min(limit, MAX_ROWS), offset)
    return shape(grant.resource, rows, list(grant.fields_granted), grant.unmasked)


# --- open data ---------------------------------------------------------------------------
#
# Combined and internal zones read the catalogue itself; the external zone reads its copy,
# kept by the exchange handlers (``handlers.py``, ``opendata.py``). The pages and the API use
# these functions only, and both kinds of resource answer them alike.


def reads_copy() -> bool:
    """Whether open data is read from the external zone's copy (split deployment, outside)."""
    return settings.EGOV_ZONE == "external"


def open_resources():
    if reads_copy():
        return PublishedResource.objects.filter(is_open=True)
    return (
        Resource.objects.filter(open_to_public=True)
        .exclude(sharing_type=SharingType.NONE)
        .exclude(code__in=list(registries.PROVIDERS))  # a base registry is never open data
        .select_related("provider")
        .prefetch_related("fields")
    )


def public_fields(resource) -> list:
    if isinstance(resource, PublishedResource):
        return resource.public_fields
    return [field for field in resource.fields.all() if not field.personal]


def public_rows(resource, limit: int, offset: int) -> list[dict]:
    names = [field.name for field in public_fields(resource)]
    limit = min(limit, MAX_ROWS)
    if isinstance(resource, PublishedResource):
        stored = resource.rows.order_by("position").values_list("data", flat=True)
        rows = list(stored[offset : offset + limit])
    else:
        rows = registries.rows_of(resource, {}, limit, offset)
    return [{name: row.get(name) for name in names} for row in rows]


def all_public_rows(resource, chunk: int = MAX_ROWS):
    """Every public row of an open resource, read a chunk at a time (the downloads)."""
    offset = 0
    while True:
        rows = public_rows(resource, chunk, offset)
        yield from rows
        if len(rows) < chunk:
            return
        offset += chunk


# --- rate limit and log ------------------------------------------------------------------


def rate_limit() -> tuple[int, int]:
    """(calls, seconds): how many calls one consumer may make in a window."""
    calls, seconds = getattr(settings, "EGOV_SHARING_RATE_LIMIT", (120, 60))
    return int(calls), max(1, int(seconds))


def take_rate(consumer) -> int:
    """Count one call of ``consumer``; returns 0 when allowed, otherwise the seconds to
    wait. Fixed windows in the cache (shared by every process when the cache is Redis)."""
    calls, seconds = rate_limit()
    now = time.time()
    window = int(now // seconds)
    key = f"egov:sharing:rate:{consumer.pk}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    if count > calls:
        return max(1, int((window + 1) * seconds - now) + 1)
    return 0


def log_call(
    *,
    consumer,
    path: str,
    status_code: int,
    resource_code: str = "",
    grant: Grant | None = None,
    fields: list[str] | None = None,
    rows: int = 0,
    stated_purpose: str = "",
) -> CallLog:
    return CallLog.objects.create(
        consumer=consumer,
        body=consumer.body if consumer is not None else None,
        grant=grant,
        resource_code=resource_code[:40],
        path=path[:300],
        purpose=grant.purpose if grant is not None else "",
        stated_purpose=(stated_purpose or "")[:300],
        fields=list(fields or []),
        rows_returned=rows,
        status_code=status_code,
        unmasked=bool(grant and grant.unmasked),
    )
