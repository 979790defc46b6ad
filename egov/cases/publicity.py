"""双公示 inside: when a case of an administrative licensing item closes with a decision, the
decision is made public — told to the external zone as ``cases.decision.public``, with the
personal data masked here, before it leaves (a person's name masked, no ID number; an
enterprise's name and credit code in full, as the 信用信息公示 rules ask)."""

from __future__ import annotations

from egov import exchange
from egov.core.masking import mask
from egov.services.choices import ItemType

from .messages import DECISION_PUBLIC


def payload(case, licence_numbers: list[str]) -> dict:
    from egov.licences.issue import holder_kind

    kind = holder_kind(case.applicant_id_number) if case.applicant_id_number else "natural"
    return {
        "reference": case.query_code,
        "item_name": case.version.name,
        "body_name": case.body.name_zh,
        "holder_kind": kind,
        "holder_name": case.applicant_name
        if kind == "legal"
        else mask("name", case.applicant_name),
        "holder_code": case.applicant_id_number if kind == "legal" else "",
        "decision": case.decision,
        "decided_on": case.closed_at.date().isoformat(),
        "licences": licence_numbers,
    }


def publish_decision(case, licences=()) -> bool:
    """Make a licensing decision public (call it in the closing transaction)."""
    if case.version.item_type != ItemType.LICENSING or not case.decision:
        return False
    exchange.publish(
        DECISION_PUBLIC,
        payload(case, [licence.number for licence in licences]),
        key=f"case:{case.query_code}",
    )
    return True
