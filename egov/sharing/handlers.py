"""Exchange handlers of the external zone: they keep the copy of the open data
(``PublishedResource``, ``PublishedRow``) in step with the catalogue inside
(``egov.sharing.opendata``).

Each runs inside the transaction that records the message in the inbox. A message is applied
only if its version is newer than the copy's: the same message applied twice, or an older
one arriving after a newer, changes nothing. A withdrawal keeps the resource as a tombstone
(not open, no rows) holding the version, so that a late older publication stays ignored.
"""

from __future__ import annotations

import datetime

from egov import exchange
from egov.portal.search import index_text

from .models import PublishedResource, PublishedRow
from .opendata import (
    DIRECTION,
    MAX_PAYLOAD_BYTES,
    PUBLISHED,
    PUBLISHED_SCHEMA,
    WITHDRAWN,
    WITHDRAWN_SCHEMA,
)


def _current(code: str) -> PublishedResource | None:
    return PublishedResource.objects.select_for_update().filter(code=code).first()


def _search_text(resource: dict, fields: list[dict]) -> str:
    provider = resource["provider"]
    parts = [
        resource["code"],
        resource["name"],
        resource["description"],
        provider["name_zh"],
        provider["name_en"],
    ]
    for field in fields:
        parts += [field["name"], field["label"], field["meaning"]]
    return " " + index_text("\n".join(part for part in parts if part)) + " "


@exchange.handler(
    PUBLISHED, direction=DIRECTION, schema=PUBLISHED_SCHEMA, max_bytes=MAX_PAYLOAD_BYTES
)
def apply_publication(message) -> None:
    """A resource open to the public was saved inside: show this version outside."""
    payload = message.payload
    resource, fields, version = payload["resource"], payload["fields"], payload["version"]
    current = _current(resource["code"])
    if current is not None and current.version >= version:
        return  # applied already, or older than the copy
    provider = resource["provider"]
    names = [field["name"] for field in fields]
    values = {
        "is_open": True,
        "version": version,
        "name": resource["name"],
        "provider_code": provider["code"],
        "provider_name_zh": provider["name_zh"],
        "provider_name_en": provider["name_en"],
        "description": resource["description"],
        "sharing_type": resource["sharing_type"],
        "update_frequency": resource["update_frequency"],
        "data_format": resource["data_format"],
        "access": resource["access"],
        "field_list": fields,
        "search_text": _search_text(resource, fields),
        "updated_at": datetime.datetime.fromisoformat(resource["updated_at"]),
    }
    row, _ = PublishedResource.objects.update_or_create(code=resource["code"], defaults=values)
    row.rows.all().delete()
    PublishedRow.objects.bulk_create(
        PublishedRow(resource=row, position=position, data={name: data.get(name) for name in names})
        for position, data in enumerate(payload["rows"])
    )


@exchange.handler(WITHDRAWN, direction=DIRECTION, schema=WITHDRAWN_SCHEMA)
def apply_withdrawal(message) -> None:
    """A resource is no longer open inside (or was deleted): it is no longer shown outside."""
    payload = message.payload
    current = _current(payload["code"])
    if current is not None and current.version >= payload["version"]:
        return
    row, _ = PublishedResource.objects.update_or_create(
        code=payload["code"],
        defaults={
            "is_open": False,
            "version": payload["version"],
            "updated_at": datetime.datetime.fromisoformat(payload["withdrawn_at"]),
        },
    )
    row.rows.all().delete()
