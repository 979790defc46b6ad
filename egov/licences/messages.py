"""``licences.issued`` (internal → external): a licence's signed record, its verification
code and status, the PDF as the attachment. Key ``licence:<number>``."""

from __future__ import annotations

from egov import exchange

ISSUED = "licences.issued"
DIRECTION = (exchange.INTERNAL, exchange.EXTERNAL)

_TEXT = {"type": "string", "maxLength": 200}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
ISSUED_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "number",
        "licence_type",
        "name",
        "holder_kind",
        "holder_name",
        "holder_id_number",
        "issuing_body_name",
        "issued_on",
        "valid_until",
        "query_code",
        "item_name",
        "pdf_sha256",
        "verification_code",
        "status",
        "key_id",
        "signature",
    ],
    "properties": {
        "number": {"type": "string", "pattern": "^YCZZ-[0-9]{4}-[0-9]{6,}$"},
        "licence_type": {"type": "string", "maxLength": 40},
        "name": _TEXT,
        "holder_kind": {"enum": ["natural", "legal"]},
        "holder_name": _TEXT,
        "holder_id_number": {"type": "string", "maxLength": 36},
        "issuing_body_name": _TEXT,
        "issued_on": _DATE,
        "valid_until": {"anyOf": [{"type": "null"}, _DATE]},
        "query_code": {"type": "string", "maxLength": 20},
        "item_name": _TEXT,
        "pdf_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "verification_code": {"type": "string", "minLength": 8, "maxLength": 30},
        "status": {"enum": ["valid", "revoked"]},
        "key_id": {"type": "string", "maxLength": 80},
        "signature": {"type": "string", "pattern": "^[0-9a-f]{2,200}$"},
    },
}


def key(number: str) -> str:
    return f"licence:{number}"
