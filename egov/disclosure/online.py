"""The external zone's side of requests filed online: the applicant's copy is numbered and
kept here, and sent inside in the same transaction (``disclosure.request.submitted``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from egov import exchange

from . import messages
from .choices import ApplicantType
from .models import OnlineRequest
from .services import online_number


def submit(user, identity, data: dict) -> OnlineRequest:
    """File a request for ``user`` as ``identity`` (hall.applications.Identity, verified)
    with the cleaned fields of ``forms.RequestForm``."""
    applicant_type = ApplicantType.PERSON if identity.kind == "natural" else data["applicant_type"]
    now = timezone.now()
    with transaction.atomic():
        row = OnlineRequest(
            number=online_number(timezone.localdate(now).year),
            applicant=user,
            body=data["body"],
            applicant_type=applicant_type,
            applicant_name=identity.name,
            applicant_id_number=identity.id_number,
            identity_kind=identity.kind,
            contact_name=data.get("contact_name") or "",
            phone=data["phone"],
            email=data.get("email") or "",
            address=data.get("address") or "",
            postcode=data.get("postcode") or "",
            description=data["description"],
            form=data["form"],
            channel=data["channel"],
            submitted_at=now,
        )
        row.save()
        exchange.publish(
            messages.SUBMITTED,
            {
                "number": row.number,
                "body": row.body.code,
                "submitted_at": now.isoformat(),
                "applicant": {
                    "type": row.applicant_type,
                    "name": row.applicant_name,
                    "id_number": row.applicant_id_number,
                    "contact_name": row.contact_name,
                    "phone": row.phone,
                    "email": row.email,
                    "address": row.address,
                    "postcode": row.postcode,
                },
                "description": row.description,
                "form": row.form,
                "channel": row.channel,
                "identity": identity.kind,
            },
            key=f"disclosure:{row.number}",
        )
    return row


def correct(row: OnlineRequest, description: str) -> OnlineRequest:
    """Send the corrected request inside; the day it is sent is the day it counts from."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = OnlineRequest.objects.select_for_update().get(pk=row.pk)
        locked.description = description
        locked.correction_due = None
        locked.steps = [*locked.steps, {"action": "correction_sent", "on": today.isoformat()}]
        locked.save()
        exchange.publish(
            messages.CORRECTION_ANSWERED,
            {
                "number": locked.number,
                "description": description,
                "corrected_on": today.isoformat(),
            },
            key=f"disclosure:{locked.number}",
        )
    return locked
