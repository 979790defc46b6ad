"""What crosses to the external zone when a version is published or an item withdrawn: the
message types, their JSON Schemas, and the payload built from a version.

``services.item.published`` (internal → external) carries the public part of one version —
every element of the guide, its materials, fees, steps, results, FAQ and online form — with
its blank forms and samples as attachments (named in the payload by SHA-256).
``services.item.withdrawn`` (internal → external) says an item is no longer offered. Both use
the key ``services.item:<implementation code>``, so the external zone applies them in the
order they were published.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from egov.exchange.policy import real_content_type

from .choices import (
    BLANK_FORM_TYPES,
    SAMPLE_TYPES,
    Audience,
    EnterpriseStage,
    HandlingKind,
    ItemType,
    LicenceType,
    LifeEvent,
    MaterialForm,
    MaterialSource,
    OnlineDepth,
    ResultKind,
    Step,
    Unit,
    UploadType,
)
from .forms import FORM_DEFINITION_SCHEMA

PUBLISHED = "services.item.published"
WITHDRAWN = "services.item.withdrawn"
GUIDE_FILE_TYPES = frozenset(BLANK_FORM_TYPES | SAMPLE_TYPES)
MAX_PAYLOAD_BYTES = 512 * 1024  # the largest demo guide is about 8 KB


def message_key(implementation_code: str) -> str:
    return f"services.item:{implementation_code}"


# --- schemas -------------------------------------------------------------------------------

_TEXT = {"type": "string"}
_SHORT = {"type": "string", "maxLength": 300}
_COUNT = {"type": "integer", "minimum": 0}
_LIMIT = {
    "type": "object",
    "required": ["days", "unit"],
    "properties": {"days": _COUNT, "unit": {"enum": Unit.values}},
    "additionalProperties": False,
}
_FILE = {
    "type": ["object", "null"],
    "required": ["sha256", "name", "content_type", "size"],
    "properties": {
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "name": {"type": "string", "minLength": 1, "maxLength": 255},
        "content_type": {"enum": sorted(GUIDE_FILE_TYPES)},
        "size": _COUNT,
    },
    "additionalProperties": False,
}
_CODES = {"type": "array", "items": {"type": "string"}}


def _object(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    return {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "properties": properties,
        "additionalProperties": False,
    }


_FORM = {key: value for key, value in FORM_DEFINITION_SCHEMA.items() if key not in {"$schema"}}

GUIDE_SCHEMA = _object(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "name_en": _SHORT,
        "item_type": {"enum": ItemType.values},
        "legal_basis": _TEXT,
        "conditions": _TEXT,
        "audience": {"enum": Audience.values},
        "statutory_limit": _LIMIT,
        "promised_limit": _LIMIT,
        "handling_kind": {"enum": HandlingKind.values},
        "fee_charged": {"type": "boolean"},
        "wait_for_payment": {"type": "boolean"},
        "fees": {
            "type": "array",
            "items": _object(
                {
                    "name": _TEXT,
                    "amount": {"type": ["string", "null"], "pattern": r"^\d+(\.\d{1,2})?$"},
                    "rule": _TEXT,
                    "legal_basis": _TEXT,
                }
            ),
        },
        "process": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "step": {"enum": Step.values},
                    "name": _TEXT,
                    "limit": _COUNT,
                    "unit": {"enum": Unit.values},
                    "description": _TEXT,
                }
            ),
        },
        "place": _TEXT,
        "hours": _SHORT,
        "phone": _SHORT,
        "complaint_channel": _TEXT,
        "visits_needed": _COUNT,
        "online_depth": {"enum": OnlineDepth.values},
        "life_events": {**_CODES, "items": {"enum": LifeEvent.values}},
        "enterprise_stages": {**_CODES, "items": {"enum": EnterpriseStage.values}},
        "materials": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "name": _TEXT,
                    "form": {"enum": MaterialForm.values},
                    "copies": _COUNT,
                    "required": {"type": "boolean"},
                    "requirement_note": _TEXT,
                    "source": {"enum": MaterialSource.values},
                    "issuing_body": _TEXT,
                    "licence_type": {"enum": ["", *LicenceType.values]},
                    "accepted_types": {"type": "array", "items": {"enum": UploadType.values}},
                    "max_upload_bytes": _COUNT,
                    "notes": _TEXT,
                    "blank_form": _FILE,
                    "sample": _FILE,
                }
            ),
        },
        "results": {
            "type": "array",
            "items": _object(
                {
                    "name": _TEXT,
                    "kind": {"enum": ResultKind.values},
                    "grants_licence": {"type": "boolean"},
                    "licence_type": {"enum": ["", *LicenceType.values]},
                    "sample": _FILE,
                }
            ),
        },
        "faqs": {"type": "array", "items": _object({"question": _TEXT, "answer": _TEXT})},
        "online_form": {"anyOf": [{"type": "null"}, _FORM]},
        "change_note": _TEXT,
    }
)

_ITEM = _object(
    {
        "basic_code": {"type": "string", "pattern": "^[0-9A-Z]{12}$"},
        "implementation_code": {"type": "string", "pattern": "^[0-9A-Z]{12,36}$"},
        "body": _object(
            {
                "code": {"type": "string", "minLength": 1, "maxLength": 40},
                "name_zh": _TEXT,
                "name_en": _TEXT,
            }
        ),
    }
)

PUBLISHED_SCHEMA = _object(
    {
        "item": _ITEM,
        "version": _object(
            {"number": {"type": "integer", "minimum": 1}, "published_at": {"type": "string"}}
        ),
        "guide": GUIDE_SCHEMA,
    }
)

WITHDRAWN_SCHEMA = _object(
    {
        "implementation_code": {"type": "string", "pattern": "^[0-9A-Z]{12,36}$"},
        "basic_code": {"type": "string", "pattern": "^[0-9A-Z]{12}$"},
        "version": {"type": "integer", "minimum": 1},
        "withdrawn_at": {"type": "string"},
        "reason": _TEXT,
    }
)


# --- building the payload ------------------------------------------------------------------


class _Files:
    """The attachments of one message: each distinct file once."""

    def __init__(self):
        self.attachments: list[tuple[str, str, bytes]] = []
        self._seen: set[str] = set()

    def add(self, field_file) -> dict | None:
        if not field_file:
            return None
        field_file.open("rb")
        try:
            data = field_file.read()
        finally:
            field_file.close()
        sha256 = hashlib.sha256(data).hexdigest()
        name = PurePosixPath(field_file.name).name
        content_type = real_content_type(data) or "application/octet-stream"
        if sha256 not in self._seen:
            self._seen.add(sha256)
            self.attachments.append((name, content_type, data))
        return {"sha256": sha256, "name": name, "content_type": content_type, "size": len(data)}


def build(version) -> tuple[dict, list[tuple[str, str, bytes]]]:
    """The payload of ``services.item.published`` for a published ``version``, and its
    attachments as (name, content type, bytes)."""
    item = version.item
    body = item.body
    files = _Files()
    guide = {
        "name": version.name,
        "name_en": version.name_en,
        "item_type": version.item_type,
        "legal_basis": version.legal_basis,
        "conditions": version.conditions,
        "audience": version.audience,
        "statutory_limit": {"days": version.statutory_limit, "unit": version.statutory_unit},
        "promised_limit": {"days": version.promised_limit, "unit": version.promised_unit},
        "handling_kind": version.handling_kind,
        "fee_charged": version.fee_charged,
        "wait_for_payment": version.wait_for_payment,
        "fees": [
            {
                "name": fee.name,
                "amount": None if fee.amount is None else f"{fee.amount:.2f}",
                "rule": fee.rule,
                "legal_basis": fee.legal_basis,
            }
            for fee in version.fees.all()
        ],
        "process": [
            {
                "step": step.step,
                "name": step.name or str(Step(step.step).label),
                "limit": step.limit,
                "unit": step.unit,
                "description": step.description,
            }
            for step in version.steps.all()
        ],
        "place": version.place,
        "hours": version.hours,
        "phone": version.phone,
        "complaint_channel": version.complaint_channel,
        "visits_needed": version.visits_needed,
        "online_depth": version.online_depth,
        "life_events": list(version.life_events),
        "enterprise_stages": list(version.enterprise_stages),
        "materials": [
            {
                "name": material.name,
                "form": material.form,
                "copies": material.copies,
                "required": material.required,
                "requirement_note": material.requirement_note,
                "source": material.source,
                "issuing_body": material.issuing_body,
                "licence_type": material.licence_type,
                "accepted_types": list(material.accepted_types),
                "max_upload_bytes": material.max_upload_mb * 1024 * 1024,
                "notes": material.notes,
                "blank_form": files.add(material.blank_form),
                "sample": files.add(material.sample),
            }
            for material in version.materials.all()
        ],
        "results": [
            {
                "name": result.name,
                "kind": result.kind,
                "grants_licence": result.grants_licence,
                "licence_type": result.licence_type,
                "sample": files.add(result.sample),
            }
            for result in version.results.all()
        ],
        "faqs": [{"question": faq.question, "answer": faq.answer} for faq in version.faqs.all()],
        "online_form": version.online_form,
        "change_note": version.change_note,
    }
    payload = {
        "item": {
            "basic_code": item.basic_code,
            "implementation_code": item.implementation_code,
            "body": {"code": body.code, "name_zh": body.name_zh, "name_en": body.name_en},
        },
        "version": {"number": version.number, "published_at": version.published_at.isoformat()},
        "guide": guide,
    }
    return payload, files.attachments
