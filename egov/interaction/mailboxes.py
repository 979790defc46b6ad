"""Mailboxes from the directory: one per active body of the kinds that answer the public,
and the district head's mailbox, received by the district government. The same rule runs
in both zones (each has the directory), so a mailbox's code means the same on both sides."""

from __future__ import annotations

from egov.directory.models import Organisation

from .models import Mailbox

HEAD_CODE = "head"
MAILBOX_KINDS = (
    Organisation.Kind.GOVERNMENT,
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.TOWN,
    Organisation.Kind.SUBDISTRICT,
    Organisation.Kind.STATIONED,
)


def sync_body(body: Organisation) -> Mailbox | None:
    """Create or update the mailbox of ``body`` (called when a body is saved); the first
    government body also receives the district head's mailbox."""
    if body.kind not in MAILBOX_KINDS:
        Mailbox.objects.filter(code=body.code, kind=Mailbox.Kind.BODY).update(is_active=False)
        return None
    mailbox, _created = Mailbox.objects.update_or_create(
        code=body.code,
        defaults={
            "kind": Mailbox.Kind.BODY,
            "body": body,
            "is_active": body.is_active,
            "sort_order": body.sort_order + 1,
        },
    )
    if body.kind == Organisation.Kind.GOVERNMENT and body.is_active:
        Mailbox.objects.get_or_create(
            code=HEAD_CODE, defaults={"kind": Mailbox.Kind.HEAD, "body": body, "sort_order": 0}
        )
    return mailbox


def sync_all() -> int:
    """Make the mailboxes of every body (after an import that bypassed ``save``)."""
    count = 0
    for body in Organisation.objects.order_by("sort_order", "code"):
        if sync_body(body) is not None:
            count += 1
    return count


def active_mailboxes():
    return Mailbox.objects.filter(is_active=True).select_related("body")
