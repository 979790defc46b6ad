"""The sharing API (django-ninja), described by OpenAPI at ``/api/openapi.json``.

``/api/sharing/…`` — for the district's other systems. A consuming system authenticates
with a bearer token obtained with its one credential (an OAuth 2 client of the
client-credentials grant, django-oauth-toolkit's ``Application``, linked to its body by
``Consumer``). Each call is rate-limited per consumer (429), answered only with the granted
fields of a grant in force (403 otherwise), the personal fields masked unless the grant
says otherwise, and logged (``CallLog``) with the grant's purpose and the purpose the call
states in its ``X-Purpose`` header.

``/api/open-data/…`` — anonymous reading of the resources open to the public; personal
fields are never published.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from . import access
from .models import Consumer, Resource, SharingType

PAGING = {"limit", "offset"}


class ConsumerToken(HttpBearer):
    """A bearer token of django-oauth-toolkit, not expired, whose client is an active
    consumer of an active body."""

    def authenticate(self, request, token):
        from oauth2_provider.models import get_access_token_model

        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        found = (
            get_access_token_model()
            .objects.select_related("application")
            .filter(token_checksum=checksum)
            .first()
        )
        if found is None or found.is_expired() or found.application_id is None:
            return None
        consumer = (
            Consumer.objects.select_related("body")
            .filter(application_id=found.application_id, is_active=True, body__is_active=True)
            .first()
        )
        if consumer is None:
            raise HttpError(403, "This client is not a registered consuming system.")
        request.consumer = consumer
        return consumer


class RateLimitedError(Exception):
    def __init__(self, wait: int):
        self.wait = wait


class Error(Schema):
    detail: Any


class FieldOut(Schema):
    name: str
    label: str
    type: str
    meaning: str
    personal: bool


class GrantedResource(Schema):
    code: str
    name: str
    provider: str
    purpose: str
    fields: list[FieldOut]
    masked_fields: list[str]
    expires_on: str | None


class Rows(Schema):
    resource: str
    fields: list[str]
    masked_fields: list[str]
    offset: int
    count: int
    rows: list[dict[str, Any]]


class OpenResource(Schema):
    code: str
    name: str
    provider: str
    description: str
    update_frequency: str
    format: str
    updated_at: str
    fields: list[FieldOut]
    downloads: dict[str, str]


class Paging(Schema):
    limit: int = Field(100, ge=1, le=access.MAX_ROWS)
    offset: int = Field(0, ge=0, le=1_000_000)


api = NinjaAPI(
    title="egov — information resource sharing",
    version="1",
    description=(
        "The district's information resource sharing: granted resources for consuming "
        "systems (OAuth 2 client credentials, bearer token) and open data for anyone."
    ),
    urls_namespace="sharing_api",
    docs_url=None,
)


@api.exception_handler(RateLimitedError)
def _rate_limited(request, exc: RateLimitedError):
    response = api.create_response(
        request, {"detail": "Too many calls; try again later."}, status=429
    )
    response["Retry-After"] = str(exc.wait)
    return response


sharing = Router(tags=["sharing"], auth=ConsumerToken())

REFUSALS = {401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


def _field_out(field) -> dict:
    return {
        "name": field.name,
        "label": field.label,
        "type": field.field_type,
        "meaning": field.meaning,
        "personal": field.personal,
    }


def _admit(request):
    """Count the call against the consumer's rate; refuse (429, logged) when over."""
    consumer = request.consumer
    wait = access.take_rate(consumer)
    if wait:
        access.log_call(
            consumer=consumer,
            path=request.path,
            status_code=429,
            stated_purpose=request.headers.get("X-Purpose", ""),
        )
        raise RateLimitedError(wait)
    return consumer


@sharing.get(
    "/resources/",
    response={200: list[GrantedResource], **REFUSALS},
    summary="The resources granted to the caller's body",
)
def granted_resources(request):
    consumer = _admit(request)
    out, seen = [], set()
    for grant in access.grants_in_force(consumer.body):
        resource = grant.resource
        if resource.code in seen:
            continue
        seen.add(resource.code)
        fields = [f for f in resource.fields.all() if f.name in set(grant.fields_granted)]
        out.append(
            {
                "code": resource.code,
                "name": resource.name,
                "provider": resource.provider.name_zh,
                "purpose": grant.purpose,
                "fields": [_field_out(f) for f in fields],
                "masked_fields": access.masked_fields(
                    resource, list(grant.fields_granted), grant.unmasked
                ),
                "expires_on": grant.expires_on.isoformat() if grant.expires_on else None,
            }
        )
    access.log_call(
        consumer=consumer,
        path=request.path,
        status_code=200,
        rows=len(out),
        stated_purpose=request.headers.get("X-Purpose", ""),
    )
    return Status(200, out)


@sharing.get(
    "/resources/{code}/rows",
    response={200: Rows, 400: Error, **REFUSALS},
    summary="Rows of a granted resource (only the granted fields)",
    description=(
        "Any other query parameter named after a granted field filters the rows by exact "
        "value, e.g. `?id_number=…`. The `X-Purpose` header, when given, is logged with the "
        "grant's purpose."
    ),
)
def granted_rows(request, code: str, paging: Query[Paging]):
    consumer = _admit(request)
    stated = request.headers.get("X-Purpose", "")
    resource = Resource.objects.filter(code=code).first()
    if resource is None:
        access.log_call(
            consumer=consumer, path=request.path, status_code=404, resource_code=code,
            stated_purpose=stated,
        )  # fmt: skip
        return Status(404, {"detail": "No such resource."})
    grant = None
    if resource.sharing_type != SharingType.NONE:
        grant = access.grant_in_force(consumer.body, resource)
    if grant is None:
        access.log_call(
            consumer=consumer, path=request.path, status_code=403, resource_code=code,
            stated_purpose=stated,
        )  # fmt: skip
        return Status(403, {"detail": "Your body holds no grant in force for this resource."})
    filters = {k: v for k, v in request.GET.items() if k not in PAGING}
    outside = sorted(set(filters) - set(grant.fields_granted))
    if outside:
        access.log_call(
            consumer=consumer, path=request.path, status_code=400, resource_code=code,
            grant=grant, stated_purpose=stated,
        )  # fmt: skip
        return Status(
            400, {"detail": f"Filter only on granted fields; not on: {', '.join(outside)}."}
        )
    rows = access.granted_rows(grant, filters, paging.limit, paging.offset)
    fields = list(grant.fields_granted)
    access.log_call(
        consumer=consumer,
        path=request.path,
        status_code=200,
        resource_code=code,
        grant=grant,
        fields=fields,
        rows=len(rows),
        stated_purpose=stated,
    )
    return Status(
        200,
        {
            "resource": code,
            "fields": fields,
            "masked_fields": access.masked_fields(resource, fields, grant.unmasked),
            "offset": paging.offset,
            "count": len(rows),
            "rows": rows,
        },
    )


def _downloads(resource: Resource) -> dict[str, str]:
    """The open data page's download addresses (none in the internal zone)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return {
            kind: reverse("open_data:download", args=[resource.code, kind])
            for kind in ("csv", "json", "xlsx")
        }
    except NoReverseMatch:
        return {}


def _open_out(resource: Resource) -> dict:
    return {
        "code": resource.code,
        "name": resource.name,
        "provider": resource.provider.name_zh,
        "description": resource.description,
        "update_frequency": resource.update_frequency,
        "format": resource.data_format,
        "updated_at": timezone.localtime(resource.updated_at).isoformat(),
        "fields": [_field_out(f) for f in access.public_fields(resource)],
        "downloads": _downloads(resource),
    }


def open_resources(request):
    return [_open_out(resource) for resource in access.open_resources()]


def open_resource(request, code: str):
    resource = access.open_resources().filter(code=code).first()
    if resource is None:
        return Status(404, {"detail": "No such open resource."})
    return Status(200, _open_out(resource))


def open_rows(request, code: str, paging: Query[Paging]):
    resource = access.open_resources().filter(code=code).first()
    if resource is None:
        return Status(404, {"detail": "No such open resource."})
    rows = access.public_rows(resource, paging.limit, paging.offset)
    return Status(
        200,
        {
            "resource": code,
            "fields": [f.name for f in access.public_fields(resource)],
            "masked_fields": [],
            "offset": paging.offset,
            "count": len(rows),
            "rows": rows,
        },
    )


def open_data_router() -> Router:
    """The anonymous open data routes (a new router for each API that serves them)."""
    router = Router(tags=["open data"])
    router.get("/resources/", response=list[OpenResource], summary="Open data resources")(
        open_resources
    )
    router.get(
        "/resources/{code}",
        response={200: OpenResource, 404: Error},
        summary="One open data resource: its metadata",
    )(open_resource)
    router.get(
        "/resources/{code}/rows",
        response={200: Rows, 404: Error, 422: Error},
        summary="Rows of an open data resource (never a personal field)",
    )(open_rows)
    return router


api.add_router("/sharing", sharing)
api.add_router("/open-data", open_data_router())

# The internet-facing zone serves only open data (architecture.md: "open data pages"
# outside; the catalogue, grants and the granted API inside).
public_api = NinjaAPI(
    title="egov — open data",
    version="1",
    description="The resources open to the public, for anonymous reading.",
    urls_namespace="open_data_api",
    docs_url=None,
)
public_api.add_router("/open-data", open_data_router())
