"""The verbs of the accounts domain. Views, commands and tests change people only here."""

import uuid

from django.db import transaction
from django.utils import timezone

from egov.core.masking import mask

from .models import CitizenIdentity, EnterpriseIdentity, User


@transaction.atomic
def register_citizen(*, mobile: str = "", email: str = "", password: str, **extra) -> User:
    """Create a citizen account with a mobile number or an e-mail address (or both).

    A missing identifier is stored as NULL, never as "" (which the unique constraint would
    let only one account have): so the user is built here rather than with create_user(),
    whose e-mail normalisation turns None into ""."""
    extra.setdefault("kind", User.Kind.CITIZEN)
    username = extra.pop("username", None) or f"u{uuid.uuid4().hex[:16]}"
    user = User(
        username=username,
        mobile=mobile or None,
        email=User.objects.normalize_email(email) or None,
        **extra,
    )
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def set_citizen_identity(user: User, *, real_name: str, id_number: str) -> CitizenIdentity:
    """Save the user's real-name data. Changed data is no longer verified. The name shown in
    the page header becomes the masked real name (the full name is never on screen)."""
    identity = CitizenIdentity.objects.filter(user=user).first()
    if identity is None:
        identity = CitizenIdentity(user=user)
    if (identity.real_name, identity.id_number) != (real_name, id_number):
        identity.verified_at = None
    identity.real_name = real_name
    identity.id_number = id_number
    identity.save()
    if user.kind != User.Kind.STAFF:
        user.display_name = mask("name", real_name)
        user.save(update_fields=["display_name"])
    return identity


@transaction.atomic
def set_enterprise_identity(
    user: User, *, name: str, uscc: str, legal_representative: str
) -> EnterpriseIdentity:
    """Save the enterprise that the user acts for; changed data is no longer verified."""
    identity = EnterpriseIdentity.objects.filter(user=user).first()
    if identity is None:
        identity = EnterpriseIdentity(user=user)
    if (identity.name, identity.uscc, identity.legal_representative) != (
        name,
        uscc,
        legal_representative,
    ):
        identity.verified_at = None
    identity.name = name
    identity.uscc = uscc
    identity.legal_representative = legal_representative
    identity.save()
    if user.kind == User.Kind.CITIZEN:
        user.kind = User.Kind.ENTERPRISE
        user.save(update_fields=["kind"])
    return identity


@transaction.atomic
def mark_verified(identity: CitizenIdentity | EnterpriseIdentity) -> None:
    identity.verified_at = timezone.now()
    identity.save(update_fields=["verified_at"])
