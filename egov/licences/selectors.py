"""Outside: the licences in an account's wallet (matched by the account's real-name ID number
and its enterprise's credit code)."""

from __future__ import annotations

from .models import LicenceStatus, WalletLicence


def holder_numbers(user) -> list[str]:
    numbers = []
    person = getattr(user, "citizen_identity", None)
    if person is not None:
        numbers.append(person.id_number)
    enterprise = getattr(user, "enterprise_identity", None)
    if enterprise is not None:
        numbers.append(enterprise.uscc)
    return numbers


def wallet_of(user, *, licence_type: str | None = None, holder: str | None = None):
    numbers = holder_numbers(user) if user.is_authenticated else []
    if holder is not None:
        numbers = [number for number in numbers if number == holder]
    rows = WalletLicence.objects.filter(holder_id_number__in=numbers, status=LicenceStatus.VALID)
    if licence_type is not None:
        rows = rows.filter(licence_type=licence_type)
    return rows
