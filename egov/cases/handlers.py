"""The internal receivers of the hall's messages: an online application opens a case, an
answer to a correction request is recorded on it (docs/hall.md, "From the hall to a case").

Each runs once per message, inside the transaction that records it in the inbox; a problem
(an unknown item or version, a file that fails the content check here too, a late answer)
raises, and the exchange quarantines the message for staff to look at — nothing is dropped
silently. The files are checked again by content on this side: the internal zone trusts the
other zone's signature, not its judgement of a file.
"""

from __future__ import annotations

import datetime

from egov import exchange
from egov.hall import messages
from egov.licences.models import Licence, LicenceStatus
from egov.services.models import ServiceItemVersion

from . import payments, ratings, services
from .models import Case


def _materials(version: ServiceItemVersion, refs: list[dict], attachments) -> list:
    by_name = {material.name: material for material in version.materials.all()}
    handed_in = []
    for ref in refs:
        material = by_name.get(ref["material"])
        if material is None:
            raise services.CaseError(
                f"the item's version {version.number} has no material {ref['material']!r}"
            )
        handed_in.append((material, (ref["file_name"], attachments[ref["sha256"]])))
    return handed_in


def _licences(version: ServiceItemVersion, refs: list[dict], holder: str) -> list:
    """The register's licences named in place of materials: each must exist, be valid, be
    the holder's and be of the type the material asks for."""
    by_name = {material.name: material for material in version.materials.all()}
    handed_in = []
    for ref in refs:
        material = by_name.get(ref["material"])
        licence = Licence.objects.filter(number=ref["number"]).first()
        if (
            material is None
            or licence is None
            or licence.status != LicenceStatus.VALID
            or licence.holder_id_number != holder
            or licence.licence_type != material.licence_type
        ):
            raise services.CaseError(
                f"licence {ref['number']} cannot stand in for {ref['material']!r}"
            )
        handed_in.append((material, licence))
    return handed_in


# What both of the hall's messages may carry.
LIMITS = {
    "direction": messages.DIRECTION,
    "max_bytes": messages.MAX_PAYLOAD_BYTES,
    "attachment_types": messages.ATTACHMENT_TYPES,
    "max_attachment_bytes": messages.MAX_FILE_BYTES,
}


@exchange.handler(messages.SUBMITTED, schema=messages.SUBMITTED_SCHEMA, **LIMITS)
def open_from_hall(message) -> None:
    payload = message.payload
    if Case.objects.filter(query_code=payload["query_code"]).exists():
        return  # opened already (the exchange applies a message once; this guards a replay)
    version = (
        ServiceItemVersion.objects.select_related("item", "item__body")
        .filter(
            item__implementation_code=payload["implementation_code"],
            number=payload["version"],
        )
        .first()
    )
    if version is None:
        raise services.CaseError(
            f"no version {payload['version']} of item {payload['implementation_code']}"
        )
    applicant = payload["applicant"]
    services.open_case(
        version,
        applicant_name=applicant["name"],
        applicant_id_number=applicant["id_number"],
        answers=payload["answers"],
        materials=_materials(version, payload["materials"], message.attachments)
        + _licences(version, payload.get("licences", []), applicant["id_number"]),
        channel="online",
        query_code=payload["query_code"],
        submitted_at=datetime.datetime.fromisoformat(payload["submitted_at"]),
    )


@exchange.handler(messages.CORRECTION_ANSWERED, schema=messages.CORRECTION_SCHEMA, **LIMITS)
def record_correction(message) -> None:
    payload = message.payload
    case = Case.objects.select_related("version").get(query_code=payload["query_code"])
    services.answer_correction_online(
        case,
        note=payload["note"],
        materials=_materials(case.version, payload["materials"], message.attachments),
        on=datetime.date.fromisoformat(payload["answered_on"]),
    )


@exchange.handler(
    messages.RATING_GIVEN,
    direction=messages.DIRECTION,
    schema=messages.RATING_SCHEMA,
    max_bytes=16 * 1024,
)
def record_rating(message) -> None:
    payload = message.payload
    ratings.receive_rating(
        Case.objects.select_related("body").get(query_code=payload["query_code"]),
        score=payload["score"],
        comment=payload["comment"],
        rated_at=datetime.datetime.fromisoformat(payload["rated_at"]),
    )


@exchange.handler(
    messages.PAYMENT_PAID,
    direction=messages.DIRECTION,
    schema=messages.PAID_SCHEMA,
    max_bytes=16 * 1024,
)
def record_payment(message) -> None:
    payload = message.payload
    payments.record_payment(
        payload["number"],
        amount=payload["amount"],
        paid_at=datetime.datetime.fromisoformat(payload["paid_at"]),
        provider=payload["provider"],
        transaction_id=payload["transaction_id"],
    )
