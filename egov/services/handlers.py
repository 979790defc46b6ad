"""Exchange handlers of the external zone: they keep the published catalogue (the read model
``PublishedServiceItem``) in step with the publications of the internal zone.

Each runs inside the transaction that records the message in the inbox, once per message,
in the order of its key (docs/exchange/). Files are written to storage before the row that
names them; if the transaction rolls back, a file may stay behind unnamed (harmless: the next
delivery of the same bytes finds and reuses it by its SHA-256).
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from egov import exchange

from .choices import MAX_GUIDE_FILE_BYTES
from .models import PublishedServiceFile, PublishedServiceItem, PublishedServiceTag
from .publication import (
    GUIDE_FILE_TYPES,
    MAX_PAYLOAD_BYTES,
    PUBLISHED,
    PUBLISHED_SCHEMA,
    WITHDRAWN,
    WITHDRAWN_SCHEMA,
)

DIRECTION = (exchange.INTERNAL, exchange.EXTERNAL)


def _file_refs(guide: dict) -> list[dict]:
    refs = []
    for material in guide["materials"]:
        refs += [ref for ref in (material["blank_form"], material["sample"]) if ref]
    refs += [result["sample"] for result in guide["results"] if result["sample"]]
    return refs


def _store_file(ref: dict, data: bytes) -> None:
    if PublishedServiceFile.objects.filter(sha256=ref["sha256"]).exists():
        return
    row = PublishedServiceFile(
        sha256=ref["sha256"], name=ref["name"], content_type=ref["content_type"], size=len(data)
    )
    row.file.save(ref["name"], ContentFile(data), save=False)
    row.save()


@exchange.handler(
    PUBLISHED,
    direction=DIRECTION,
    schema=PUBLISHED_SCHEMA,
    max_bytes=MAX_PAYLOAD_BYTES,
    attachment_types=GUIDE_FILE_TYPES,
    max_attachment_bytes=MAX_GUIDE_FILE_BYTES,
)
def apply_publication(message) -> None:
    """A version was published inside: show it outside (replacing the previous one)."""
    payload = message.payload
    item, version, guide = payload["item"], payload["version"], payload["guide"]
    code = item["implementation_code"]
    current = PublishedServiceItem.objects.filter(implementation_code=code).first()
    if current is not None and current.version_number > version["number"]:
        return  # an older version: the newer one stays
    for ref in _file_refs(guide):
        _store_file(ref, message.attachments[ref["sha256"]])
    values = {
        "basic_code": item["basic_code"],
        "body_code": item["body"]["code"],
        "body_name_zh": item["body"]["name_zh"],
        "body_name_en": item["body"]["name_en"],
        "name": guide["name"],
        "name_en": guide["name_en"],
        "item_type": guide["item_type"],
        "audience": guide["audience"],
        "handling_kind": guide["handling_kind"],
        "online_depth": guide["online_depth"],
        "fee_charged": guide["fee_charged"],
        "has_online_form": guide["online_form"] is not None,
        "version_number": version["number"],
        "published_at": datetime.datetime.fromisoformat(version["published_at"]),
        "guide": guide,
    }
    row, _ = PublishedServiceItem.objects.update_or_create(
        implementation_code=code, defaults=values
    )
    row.tags.all().delete()
    Kind = PublishedServiceTag.Kind
    PublishedServiceTag.objects.bulk_create(
        [PublishedServiceTag(item=row, kind=Kind.LIFE_EVENT, code=c) for c in guide["life_events"]]
        + [
            PublishedServiceTag(item=row, kind=Kind.ENTERPRISE_STAGE, code=c)
            for c in guide["enterprise_stages"]
        ]
    )


@exchange.handler(WITHDRAWN, direction=DIRECTION, schema=WITHDRAWN_SCHEMA)
def apply_withdrawal(message) -> None:
    """An item was withdrawn (停用) inside: it is no longer offered outside."""
    payload = message.payload
    PublishedServiceItem.objects.filter(
        implementation_code=payload["implementation_code"],
        version_number__lte=payload["version"],
    ).delete()
