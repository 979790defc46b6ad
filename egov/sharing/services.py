"""The verbs of resource sharing: each one transaction, permission checked, audited.

- ``save_resource`` — a providing body describes one of its resources (and its fields);
- ``request_grant`` — a body asks for a resource with a purpose and the fields it needs
  (an unconditional resource is granted at once; one not shared cannot be asked for);
- ``approve`` (all the fields asked for or fewer, with an expiry, masked or not),
  ``refuse`` (with a reason) — the providing body decides;
- ``revoke`` — the providing body (or the body that holds it) ends a grant;
- ``register_consumer`` — a body's system gets its one credential (an OAuth 2 client of
  the client-credentials grant type).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.directory.scoping import visible_bodies

from . import catalogue, opendata
from .models import Consumer, Grant, GrantStatus, Resource, ResourceField, SharingType

VIEW = "sharing.view_resource"
EDIT = "sharing.change_resource"
ADD = "sharing.add_resource"
REQUEST = "sharing.request_grant"
DECIDE = "sharing.decide_grant"


def default_grant_days() -> int:
    return int(getattr(settings, "EGOV_SHARING_GRANT_DAYS", 365))


def _require(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("You may not do this."))


def may_act_for(user, body) -> bool:
    return body is not None and visible_bodies(user).filter(pk=body.pk).exists()


def may_edit(user, resource: Resource) -> bool:
    return user.has_perm(EDIT) and may_act_for(user, resource.provider)


def may_decide(user, grant: Grant) -> bool:
    return user.has_perm(DECIDE) and may_act_for(user, grant.resource.provider)


def requesting_bodies(user):
    """The bodies ``user`` may ask for resources for: their own memberships' bodies."""
    from egov.directory.models import Organisation

    if not user.has_perm(REQUEST):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, is_active=True).distinct()


@transaction.atomic
def save_resource(resource: Resource, *, by, fields: list[dict] | None = None) -> Resource:
    """Create or change ``resource`` (not yet saved, or changed in memory); ``fields``,
    when given, replaces its fields (dicts of ResourceField's attributes)."""
    _require(by, EDIT if resource.pk else ADD)
    if not may_act_for(by, resource.provider):
        raise PermissionDenied(_("You may only describe the resources of your own body."))
    if resource.pk:
        stored = Resource.objects.select_for_update().get(pk=resource.pk)
        if not may_act_for(by, stored.provider):
            raise PermissionDenied(_("You may only describe the resources of your own body."))
    with opendata.batched():  # one open data message for the resource and its fields
        return _save_resource(resource, by=by, fields=fields)


def _save_resource(resource: Resource, *, by, fields: list[dict] | None) -> Resource:
    created = resource.pk is None
    resource.full_clean(exclude=["search_text"])
    resource.save()
    if fields is not None:
        names = [field["name"] for field in fields]
        if len(names) != len(set(names)):
            raise ValidationError(_("Two fields have the same name."))
        resource.fields.exclude(name__in=names).delete()
        for order, values in enumerate(fields):
            values = {**values, "order": order}
            row = resource.fields.filter(name=values["name"]).first() or ResourceField(
                resource=resource
            )
            for key, value in values.items():
                setattr(row, key, value)
            row.full_clean()
            row.save()
    catalogue.reindex(resource)
    audit.record(
        "sharing.resource.created" if created else "sharing.resource.changed",
        actor=by,
        body=resource.provider,
        obj=resource,
        detail={"code": resource.code, "sharing_type": resource.sharing_type},
    )
    return resource


def _field_names(resource: Resource) -> list[str]:
    return list(resource.fields.values_list("name", flat=True))


@transaction.atomic
def request_grant(
    resource: Resource, *, body, purpose: str, fields: list[str], by, request=None
) -> Grant:
    _require(by, REQUEST)
    if not requesting_bodies(by).filter(pk=body.pk).exists():
        raise PermissionDenied(_("You may only ask for access for your own body."))
    if resource.sharing_type == SharingType.NONE:
        raise ValidationError(_("This resource is not shared; it cannot be asked for."))
    purpose = (purpose or "").strip()
    if len(purpose) < 4:
        raise ValidationError({"purpose": _("Say what the data is needed for.")})
    known = _field_names(resource)
    fields = [name for name in known if name in set(fields or [])]
    if not fields or len(fields) != len(set(fields or [])):
        raise ValidationError({"fields": _("Choose the fields needed, among the resource's.")})
    grant = Grant.objects.create(
        resource=resource,
        consumer_body=body,
        purpose=purpose,
        fields_requested=fields,
        requested_by=by,
    )
    audit.record(
        "sharing.grant.requested",
        actor=by,
        body=body,
        obj=grant,
        purpose=purpose[:200],
        request=request,
        detail={"resource": resource.code, "fields": fields},
    )
    if resource.sharing_type == SharingType.UNCONDITIONAL:
        grant.status = GrantStatus.GRANTED
        grant.fields_granted = fields
        grant.decided_at = timezone.now()
        grant.expires_on = timezone.localdate() + datetime.timedelta(days=default_grant_days())
        grant.save()
        audit.record(
            "sharing.grant.granted",
            actor=by,
            body=resource.provider,
            obj=grant,
            purpose=purpose[:200],
            request=request,
            detail={"resource": resource.code, "fields": fields, "unconditional": True},
        )
    return grant


def _locked(grant: Grant) -> Grant:
    return Grant.objects.select_for_update().select_related("resource").get(pk=grant.pk)


@transaction.atomic
def approve(
    grant: Grant,
    *,
    by,
    fields: list[str] | None = None,
    expires_on: datetime.date | None = None,
    unmasked: bool = False,
    request=None,
) -> Grant:
    """Grant the fields asked for, or fewer (narrowed), until ``expires_on``."""
    grant = _locked(grant)
    if not may_decide(by, grant):
        raise PermissionDenied(_("Only the providing body decides on access to its resource."))
    if grant.status != GrantStatus.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    chosen = set(grant.fields_requested if fields is None else fields)
    granted = [name for name in grant.fields_requested if name in chosen]
    if not granted or len(granted) != len(chosen):
        raise ValidationError(
            {"fields": _("Grant one or more of the fields asked for, and no others.")}
        )
    if expires_on is None:
        expires_on = timezone.localdate() + datetime.timedelta(days=default_grant_days())
    if expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": _("The expiry must be a day after today.")})
    personal = set(
        grant.resource.fields.filter(personal=True, name__in=granted).values_list("name", flat=True)
    )
    grant.status = GrantStatus.GRANTED
    grant.fields_granted = granted
    grant.expires_on = expires_on
    grant.unmasked = bool(unmasked and personal)
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.save()
    audit.record(
        "sharing.grant.granted",
        actor=by,
        body=grant.resource.provider,
        obj=grant,
        purpose=grant.purpose[:200],
        request=request,
        detail={
            "resource": grant.resource.code,
            "to": grant.consumer_body.code,
            "fields": granted,
            "narrowed": grant.narrowed,
            "expires_on": expires_on,
            "unmasked": grant.unmasked,
        },
    )
    return grant


@transaction.atomic
def refuse(grant: Grant, *, by, reason: str, request=None) -> Grant:
    grant = _locked(grant)
    if not may_decide(by, grant):
        raise PermissionDenied(_("Only the providing body decides on access to its resource."))
    if grant.status != GrantStatus.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": _("Give the reason for the refusal.")})
    grant.status = GrantStatus.REFUSED
    grant.reason = reason
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.save()
    audit.record(
        "sharing.grant.refused",
        actor=by,
        body=grant.resource.provider,
        obj=grant,
        purpose=grant.purpose[:200],
        request=request,
        detail={"resource": grant.resource.code, "to": grant.consumer_body.code, "reason": reason},
    )
    return grant


def may_revoke(user, grant: Grant) -> bool:
    return may_decide(user, grant) or (
        user.has_perm(REQUEST)
        and requesting_bodies(user).filter(pk=grant.consumer_body_id).exists()
    )


@transaction.atomic
def revoke(grant: Grant, *, by, reason: str, request=None) -> Grant:
    grant = _locked(grant)
    if not may_revoke(by, grant):
        raise PermissionDenied(_("You may not revoke this grant."))
    if grant.status != GrantStatus.GRANTED:
        raise ValidationError(_("Only a grant in force can be revoked."))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    grant.status = GrantStatus.REVOKED
    grant.reason = reason
    grant.revoked_at = timezone.now()
    grant.save()
    audit.record(
        "sharing.grant.revoked",
        actor=by,
        body=grant.resource.provider,
        obj=grant,
        purpose=grant.purpose[:200],
        request=request,
        detail={"resource": grant.resource.code, "to": grant.consumer_body.code, "reason": reason},
    )
    return grant


@transaction.atomic
def register_consumer(*, body, name: str, by=None) -> tuple[Consumer, str, str]:
    """Register a body's system: returns the consumer, its client id and its client secret
    (shown once: the platform keeps only its hash)."""
    from oauth2_provider.generators import generate_client_secret
    from oauth2_provider.models import get_application_model

    if by is not None:
        _require(by, "sharing.add_consumer")
        if not may_act_for(by, body):
            raise PermissionDenied(_("You may only register systems of your own body."))
    Application = get_application_model()
    secret = generate_client_secret()
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        user=None,
    )
    consumer = Consumer.objects.create(application=application, body=body, name=name)
    audit.record(
        "sharing.consumer.registered",
        actor=by,
        body=body,
        obj=consumer,
        detail={"client_id": application.client_id, "name": name},
    )
    return consumer, application.client_id, secret
