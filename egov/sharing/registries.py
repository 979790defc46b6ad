"""Row providers: where a resource's rows come from, keyed by the resource's code.

A provider is a function ``provider(filters, limit, offset) -> list[dict]``: ``filters``
maps field names to values that must match exactly (already restricted to the fields the
caller may see), the rows are dicts of *all* the resource's fields — the caller keeps the
granted ones and masks the personal ones (``egov.sharing.access``). A resource without a
provider serves the rows the platform keeps for it (``ResourceRow``).

The base registries (基础库) are resources whose rows come from the platform's own tables,
so that a body asks the platform instead of the citizen: people (real-name accounts),
legal entities (enterprise accounts), e-licences (the licence register).
``install_base_registries(body)`` puts them in the catalogue, provided by ``body``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Frequency, Resource, ResourceField, ResourceRow, SharingType

Provider = Callable[[dict, int, int], list[dict]]
PROVIDERS: dict[str, Provider] = {}

PEOPLE = "BR-PEOPLE"
ENTITIES = "BR-ENTITIES"
LICENCES = "BR-LICENCES"


def provider(code: str):
    """Register the decorated function as the row provider of resource ``code``."""

    def register(function: Provider) -> Provider:
        PROVIDERS[code] = function
        return function

    return register


def _day(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.isoformat()


def _filtered(queryset, filters: dict, columns: dict[str, str]):
    for name, value in filters.items():
        if name in columns:
            queryset = queryset.filter(**{columns[name]: value})
        else:
            return queryset.none()  # a filter on a field the source cannot filter on
    return queryset


@provider(PEOPLE)
def people(filters: dict, limit: int, offset: int) -> list[dict]:
    from egov.accounts.models import CitizenIdentity

    columns = {"real_name": "real_name", "id_number": "id_number", "mobile": "user__mobile"}
    rows = _filtered(
        CitizenIdentity.objects.select_related("user").order_by("pk"), filters, columns
    )
    return [
        {
            "real_name": row.real_name,
            "id_number": row.id_number,
            "mobile": row.user.mobile or "",
            "verified_on": _day(row.verified_at),
        }
        for row in rows[offset : offset + limit]
    ]


@provider(ENTITIES)
def entities(filters: dict, limit: int, offset: int) -> list[dict]:
    from egov.accounts.models import EnterpriseIdentity

    columns = {"name": "name", "uscc": "uscc", "legal_representative": "legal_representative"}
    rows = _filtered(EnterpriseIdentity.objects.order_by("pk"), filters, columns)
    return [
        {
            "name": row.name,
            "uscc": row.uscc,
            "legal_representative": row.legal_representative,
            "verified_on": _day(row.verified_at),
        }
        for row in rows[offset : offset + limit]
    ]


LICENCE_COLUMNS = (
    "number",
    "licence_type",
    "name",
    "holder_kind",
    "holder_name",
    "holder_id_number",
    "issuing_body_name",
    "status",
)


@provider(LICENCES)
def licences(filters: dict, limit: int, offset: int) -> list[dict]:
    from egov.licences.models import Licence

    rows = _filtered(
        Licence.objects.order_by("pk"), filters, {name: name for name in LICENCE_COLUMNS}
    )
    return [
        {
            **{name: getattr(row, name) for name in LICENCE_COLUMNS},
            "issued_on": _day(row.issued_on),
            "valid_until": _day(row.valid_until),
        }
        for row in rows[offset : offset + limit]
    ]


def stored_rows(resource: Resource, filters: dict, limit: int, offset: int) -> list[dict]:
    rows = ResourceRow.objects.filter(resource=resource).order_by("pk")
    for name, value in filters.items():
        rows = rows.filter(**{f"data__{name}": value})
    return [row.data for row in rows[offset : offset + limit]]


def rows_of(resource: Resource, filters: dict, limit: int, offset: int) -> list[dict]:
    """The rows of ``resource`` (all its fields): from its provider, or stored."""
    source = PROVIDERS.get(resource.code)
    if source is not None:
        return source(filters, limit, offset)
    return stored_rows(resource, filters, limit, offset)


# --- the base registries in the catalogue ------------------------------------------------

# code → (name, description, fields: (name, label, type, meaning, personal, mask kind))
BASE_REGISTRIES = {
    PEOPLE: (
        _("Population base registry (real-name accounts)"),
        _("People whose identity the platform verified when they registered (实名认证)."),
        [
            ("real_name", _("Name"), "text", _("The person's real name"), True, "name"),
            (
                "id_number",
                _("Resident ID number"),
                "text",
                _("The 18-character resident ID number"),
                True,
                "id_number",
            ),
            ("mobile", _("Mobile number"), "text", _("The account's mobile"), True, "mobile"),
            ("verified_on", _("Verified on"), "date", _("Day of the real-name check"), False, ""),
        ],
    ),
    ENTITIES: (
        _("Legal entity base registry (enterprise accounts)"),
        _("Enterprises and organisations verified by their unified social credit code."),
        [
            ("name", _("Name"), "text", _("The entity's registered name"), False, ""),
            (
                "uscc",
                _("Unified social credit code"),
                "text",
                _("The 18-character code (GB 32100)"),
                False,
                "",
            ),
            (
                "legal_representative",
                _("Legal representative"),
                "text",
                _("Who represents the entity in law"),
                True,
                "name",
            ),
            ("verified_on", _("Verified on"), "date", _("Day of the check"), False, ""),
        ],
    ),
    LICENCES: (
        _("E-licence registry"),
        _("Every e-licence the platform issued, with its holder and validity."),
        [
            ("number", _("Licence number"), "text", "", False, ""),
            ("licence_type", _("Licence type"), "text", "", False, ""),
            ("name", _("Licence name"), "text", "", False, ""),
            ("holder_kind", _("Holder kind"), "text", _("natural or legal"), False, ""),
            ("holder_name", _("Holder"), "text", "", True, "name"),
            (
                "holder_id_number",
                _("Holder's ID number or credit code"),
                "text",
                "",
                True,
                "id_number",
            ),
            ("issuing_body_name", _("Issued by"), "text", "", False, ""),
            ("issued_on", _("Issued on"), "date", "", False, ""),
            ("valid_until", _("Valid until"), "date", "", False, ""),
            ("status", _("Status"), "text", _("valid or revoked"), False, ""),
        ],
    ),
}


@transaction.atomic
def install_base_registries(body) -> list[Resource]:
    """Put the base registries in the catalogue, provided by ``body`` (conditional
    sharing, real time, reached through the API). Their fields are reset to the platform's;
    what staff wrote in their description stays. Returns the three resources."""
    from . import catalogue, opendata

    with opendata.batched():  # a base registry is never open: withdrawn if it was
        return _install_base_registries(body, catalogue)


def _install_base_registries(body, catalogue) -> list[Resource]:
    resources = []
    for code, (name, description, fields) in BASE_REGISTRIES.items():
        resource, created = Resource.objects.get_or_create(
            code=code,
            defaults={
                "name": str(name),
                "description": str(description),
                "provider": body,
                "sharing_type": SharingType.CONDITIONAL,
                "update_frequency": Frequency.REAL_TIME,
                "data_format": "api",
                "access": f"/api/sharing/resources/{code}/rows",
            },
        )
        known = set()
        for order, (field, label, kind, meaning, personal, mask_kind) in enumerate(fields):
            known.add(field)
            ResourceField.objects.update_or_create(
                resource=resource,
                name=field,
                defaults={
                    "label": str(label),
                    "field_type": kind,
                    "meaning": str(meaning),
                    "personal": personal,
                    "mask_kind": mask_kind,
                    "order": order,
                },
            )
        resource.fields.exclude(name__in=known).delete()
        catalogue.reindex(resource)
        resources.append(resource)
    return resources
