"""The verbs of the accounts domain. Views, commands and tests change people only here."""

from django.db import transaction
from django.utils import timezone

from .models import CitizenIdentity, EnterpriseIdentity, User


@transaction.atomic
def register_citizen(*, mobile: str = "", email: str = "", password: str, **extra) -> User:
    return User.objects.create_citizen(
        mobile=mobile or None, email=email or None, password=password, **extra
    )


@transaction.atomic
def set_citizen_identity(user: User, *, real_name: str, id_number: str) -> CitizenIdentity:
    identity, _ = CitizenIdentity.objects.update_or_create(
        user=user, defaults={"real_name": real_name, "id_number": id_number}
    )
    if not user.display_name:
        user.display_name = real_name
        user.save(update_fields=["display_name"])
    return identity


@transaction.atomic
def set_enterprise_identity(
    user: User, *, name: str, uscc: str, legal_representative: str
) -> EnterpriseIdentity:
    identity, _ = EnterpriseIdentity.objects.update_or_create(
        user=user,
        defaults={"name": name, "uscc": uscc, "legal_representative": legal_representative},
    )
    if user.kind == User.Kind.CITIZEN:
        user.kind = User.Kind.ENTERPRISE
        user.save(update_fields=["kind"])
    return identity


def mark_verified(identity) -> None:
    identity.verified_at = timezone.now()
    identity.save(update_fields=["verified_at"])
