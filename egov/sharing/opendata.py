"""Open data across the zones: what the internal zone sends to the external one.

The catalogue lives in the internal zone; the open data pages and the anonymous API are
served outside. Each change of a resource open to the public is sent through the data
exchange centre (docs/exchange/), written to the outbox in the transaction of the change:

``sharing.resource.published`` (internal → external) carries the resource's metadata, its
*public* fields and its rows with the values of those fields only — a personal field, or a
value of one, never leaves. ``sharing.resource.withdrawn`` (internal → external) says a
resource is no longer open (no longer open to the public, made "not shared", given a row
provider, or deleted). Both carry the resource's **version** (``OpenDataPublication``: one
more at each message of the code) and use the key ``sharing.resource:<code>``; the
external zone's handlers (``handlers.py``) apply a version only if it is newer than the copy
they hold, so a message applied twice or late changes nothing.

A resource is open (``is_open``) when it is marked open to the public, is shared (not
"not shared") and its rows are the ones the platform keeps (``ResourceRow``): a resource
whose rows come from a provider function (the base registries, ``registries.PROVIDERS``)
is never open data.

When: ``sync(resource)`` publishes the resource's present state. It runs from the model
signals (``connect_signals``: a resource, one of its fields or one of its rows saved or
deleted; a resource deleted) — so every path that changes them through the ORM publishes —
and the verbs that change several things at once wrap them in ``batched()``, which sends one
message per resource when the block ends (still inside the caller's transaction).
``QuerySet.update`` and ``bulk_create`` send no signal: call ``sync`` after them.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from django.utils.translation import gettext

from egov import exchange
from egov.exchange.policy import PolicyError

PUBLISHED = "sharing.resource.published"
WITHDRAWN = "sharing.resource.withdrawn"
DIRECTION = (exchange.INTERNAL, exchange.EXTERNAL)
MAX_PAYLOAD_BYTES = 512 * 1024  # the rows travel in the payload; no larger (decision 0026)


def message_key(code: str) -> str:
    return f"sharing.resource:{code}"


# --- schemas -------------------------------------------------------------------------------

_TEXT = {"type": "string"}
_VERSION = {"type": "integer", "minimum": 1}
_CODE = {"type": "string", "minLength": 1, "maxLength": 40}
_VALUE = {"type": ["string", "integer", "boolean", "null"]}


def _object(properties: dict) -> dict:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


PUBLISHED_SCHEMA = _object(
    {
        "version": _VERSION,
        "published_at": _TEXT,
        "resource": _object(
            {
                "code": _CODE,
                "name": {"type": "string", "maxLength": 200},
                "provider": _object(
                    {
                        "code": {"type": "string", "maxLength": 40},
                        "name_zh": {"type": "string", "maxLength": 100},
                        "name_en": {"type": "string", "maxLength": 200},
                    }
                ),
                "description": _TEXT,
                "sharing_type": {"enum": ["unconditional", "conditional"]},
                "update_frequency": {"type": "string", "maxLength": 20},
                "data_format": {"type": "string", "maxLength": 20},
                "access": {"type": "string", "maxLength": 300},
                "updated_at": _TEXT,
            }
        ),
        # The public fields only: the schema has no room for "personal".
        "fields": {
            "type": "array",
            "items": _object(
                {
                    "name": {"type": "string", "minLength": 1, "maxLength": 60},
                    "label": {"type": "string", "maxLength": 100},
                    "field_type": {"type": "string", "maxLength": 10},
                    "meaning": {"type": "string", "maxLength": 300},
                }
            ),
        },
        "rows": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": _VALUE},
        },
    }
)

WITHDRAWN_SCHEMA = _object({"code": _CODE, "version": _VERSION, "withdrawn_at": _TEXT})


# --- what is open, and the payload -----------------------------------------------------------


def is_open(resource) -> bool:
    """Open data: marked open to the public, shared, and its rows kept by the platform."""
    from . import registries
    from .models import SharingType

    return (
        resource.open_to_public
        and resource.sharing_type != SharingType.NONE
        and resource.code not in registries.PROVIDERS
    )


def _value(value):
    """A row's value as canonical JSON carries it (no floats: a number that is not whole
    travels as its decimal text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return str(value)


def payload(resource, version: int, now=None) -> dict:
    """The ``sharing.resource.published`` payload of ``resource``: never a personal field."""
    from .models import ResourceRow

    now = now or timezone.now()
    fields = [field for field in resource.fields.all() if not field.personal]
    names = [field.name for field in fields]
    rows = (
        ResourceRow.objects.filter(resource=resource).order_by("pk").values_list("data", flat=True)
    )
    provider = resource.provider
    return {
        "version": version,
        "published_at": now.isoformat(),
        "resource": {
            "code": resource.code,
            "name": resource.name,
            "provider": {
                "code": provider.code,
                "name_zh": provider.name_zh,
                "name_en": provider.name_en or "",
            },
            "description": resource.description,
            "sharing_type": resource.sharing_type,
            "update_frequency": resource.update_frequency,
            "data_format": resource.data_format,
            "access": resource.access,
            "updated_at": now.isoformat(),
        },
        "fields": [
            {
                "name": field.name,
                "label": field.label,
                "field_type": field.field_type,
                "meaning": field.meaning,
            }
            for field in fields
        ],
        "rows": [{name: _value((row or {}).get(name)) for name in names} for row in rows],
    }


# --- sending ---------------------------------------------------------------------------------


def _next(code: str, resource_pk):
    from .models import OpenDataPublication

    state, _ = OpenDataPublication.objects.select_for_update().get_or_create(code=code)
    state.version += 1
    state.sent_at = timezone.now()
    if resource_pk is not None:
        state.resource_pk = resource_pk
    return state


def _withdraw(state, source_body: str = "") -> None:
    exchange.publish(
        WITHDRAWN,
        {"code": state.code, "version": state.version, "withdrawn_at": state.sent_at.isoformat()},
        key=message_key(state.code),
        source_body=source_body,
    )
    state.published = False
    state.save()


@transaction.atomic
def sync(resource) -> None:
    """Send the present state of ``resource`` (a Resource or its pk) to the external zone:
    published if it is open, withdrawn if it was open and is no longer. Nothing is sent for
    a resource that is not open and was not. In the caller's transaction."""
    from .models import OpenDataPublication, Resource

    pk = getattr(resource, "pk", resource)
    resource = Resource.objects.select_related("provider").filter(pk=pk).first()
    if resource is None:
        return
    # A code changed under the same resource: the old code is withdrawn outside.
    for old in OpenDataPublication.objects.filter(resource_pk=pk, published=True).exclude(
        code=resource.code
    ):
        _withdraw(_next(old.code, pk), resource.provider.code)
    if is_open(resource):
        state = _next(resource.code, pk)
        try:
            exchange.publish(
                PUBLISHED,
                payload(resource, state.version, state.sent_at),
                key=message_key(resource.code),
                source_body=resource.provider.code,
            )
        except PolicyError as error:  # e.g. more rows than one message carries
            raise ValidationError(
                gettext("The open data could not be sent to the external zone: %(error)s")
                % {"error": error.message}
            ) from error
        state.published = True
        state.save()
        return
    if OpenDataPublication.objects.filter(code=resource.code, published=True).exists():
        _withdraw(_next(resource.code, pk), resource.provider.code)


@transaction.atomic
def withdraw_deleted(code: str, source_body: str = "") -> None:
    """A resource of code ``code`` is being deleted: withdraw it outside if it was open."""
    from .models import OpenDataPublication

    if OpenDataPublication.objects.filter(code=code, published=True).exists():
        _withdraw(_next(code, None), source_body)


# --- when: signals, batched -------------------------------------------------------------------

_local = threading.local()


@contextmanager
def batched():
    """Within the block, changes are noted and each changed resource is sent once when the
    (outermost) block ends without an error. Use it inside the transaction of the change."""
    depth = getattr(_local, "depth", 0)
    if depth == 0:
        _local.pending = {}
    _local.depth = depth + 1
    try:
        yield
    except BaseException:
        _local.depth -= 1
        if _local.depth == 0:
            _local.pending = {}
        raise
    _local.depth -= 1
    if _local.depth == 0:
        pending, _local.pending = _local.pending, {}
        for pk in pending:
            sync(pk)


def changed(resource_pk) -> None:
    """Resource ``resource_pk`` (or one of its fields or rows) changed."""
    if resource_pk is None or resource_pk in _deleting():
        return
    if getattr(_local, "depth", 0):
        _local.pending[resource_pk] = True
    else:
        sync(resource_pk)


def _resource_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        changed(instance.pk)


def _part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        changed(instance.resource_id)


def _deleting() -> set:
    if not hasattr(_local, "deleting"):
        _local.deleting = set()
    return _local.deleting


def _resource_deleting(sender, instance, **kwargs):
    # Its fields and rows are deleted with it: what they signal is not a change to send.
    _deleting().add(instance.pk)
    if getattr(_local, "depth", 0):
        _local.pending.pop(instance.pk, None)
    withdraw_deleted(instance.code, getattr(instance.provider, "code", ""))


def _resource_deleted(sender, instance, **kwargs):
    _deleting().discard(instance.pk)


def connect_signals() -> None:
    from .models import Resource, ResourceField, ResourceRow

    post_save.connect(_resource_saved, sender=Resource, dispatch_uid="sharing.opendata.resource")
    pre_delete.connect(
        _resource_deleting, sender=Resource, dispatch_uid="sharing.opendata.resource.deleting"
    )
    post_delete.connect(
        _resource_deleted, sender=Resource, dispatch_uid="sharing.opendata.resource.deleted"
    )
    for model in (ResourceField, ResourceRow):
        name = model._meta.model_name
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"sharing.opendata.{name}")
        post_delete.connect(
            _part_changed, sender=model, dispatch_uid=f"sharing.opendata.{name}.deleted"
        )
