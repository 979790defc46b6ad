"""The audit log's verbs: append an entry, record a staff view of a person's data, verify
the chain.

Every entry carries the hash of the entry before it::

    hash = sha256(prev_hash + canonical_json(entry)).hexdigest()

where ``prev_hash`` is the previous entry's hash (64 zeros for the first entry) and
``canonical_json`` is the JSON object of the fields in ``HASHED_FIELDS`` with sorted keys,
no spaces (separators ``,`` and ``:``), non-ASCII characters as themselves, encoded as
UTF-8; the time ``at`` is ISO 8601 in UTC with microseconds
(``2026-02-13T01:02:03.000004+00:00``), ``actor_id`` and ``body_id`` are integers or null,
``detail`` is a JSON object (nested keys sorted too; dates, decimals and floats stored as
text). The entry's own id is not hashed (the database assigns it); the order is kept by
``prev_hash``. ``AuditHead`` (one row) holds the last entry's id and hash, so that a deleted
tail is detected.

docs/decisions/0003-privacy-and-audit.md explains what ``verify_chain`` detects and what it
cannot.
"""

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from egov.core.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
HEAD_ID = 1
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "body_id",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "ip_address",
    "detail",
)

PERSON_VIEW = "person.view"
PERSON_LIST = "person.list"


def canonical_json(fields: dict) -> bytes:
    """The entry's hashed fields in the one canonical form (see the module docstring)."""
    data = {name: fields[name] for name in HASHED_FIELDS}
    data["at"] = data["at"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def entry_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(fields)).hexdigest()


def _field_limit(name: str, value: str) -> str:
    value = str(value or "")
    limit = AuditEntry._meta.get_field(name).max_length
    if len(value) > limit:
        raise ValueError(f"audit {name} is {len(value)} characters long; at most {limit} fit")
    return value


def _client_ip(request) -> str | None:
    """REMOTE_ADDR in the form the database gives back (so that the hash still matches)."""
    raw = request.META.get("REMOTE_ADDR") if request is not None else None
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None
    if address.version == 6:
        return clean_ipv6_address(str(address))
    return str(address)


def _without_floats(value):
    # PostgreSQL's jsonb keeps numbers as numeric: 1e20 would read back as an integer and
    # no longer hash the same. Floats are stored as text, as Decimals already are.
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return [_without_floats(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_floats(item) for key, item in value.items()}
    return value


def _as_stored_json(detail) -> dict:
    """``detail`` as it reads back from the database: what is hashed is what is stored."""
    if detail is None:
        return {}
    if not isinstance(detail, dict):
        raise TypeError(f"audit detail must be a dict, not {type(detail).__name__}")
    return _without_floats(json.loads(json.dumps(detail, cls=DjangoJSONEncoder, allow_nan=False)))


def record(
    action: str,
    *,
    actor=None,
    body=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    purpose: str = "",
    request=None,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log and return it.

    ``actor`` defaults to the request's user (when logged in), the address comes from the
    request; ``obj`` (a model instance) fills ``object_type`` (``app_label.model``) and
    ``object_id``. One transaction: the head row is locked, so concurrent writers append
    one after the other and the chain stays linear.
    """
    if not action:
        raise ValueError("an audit entry needs an action, such as 'person.view'")
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    fields = {
        "at": timezone.now(),
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": _field_limit("actor_label", actor.get_username() if actor else ""),
        "body_id": body.pk if body is not None else None,
        "action": _field_limit("action", action),
        "object_type": _field_limit("object_type", object_type),
        "object_id": _field_limit("object_id", object_id),
        "purpose": _field_limit("purpose", purpose),
        "ip_address": _client_ip(request),
        "detail": _as_stored_json(detail),
    }
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=HEAD_ID)
        entry = AuditEntry(
            **fields, prev_hash=head.last_hash, hash=entry_hash(head.last_hash, fields)
        )
        entry.save(force_insert=True)
        AuditHead.objects.filter(pk=HEAD_ID).update(last_id=entry.pk, last_hash=entry.hash)
    return entry


def record_person_view(request, person, *, purpose: str, body=None) -> AuditEntry:
    """THE call of every staff view of one person's data: who (the request's user), from
    where (REMOTE_ADDR), which person (any model instance), why."""
    if not purpose:
        raise ValueError("say why the person's data is viewed (purpose), e.g. 'case review'")
    return record(
        PERSON_VIEW,
        obj=person,
        purpose=purpose,
        body=body,
        request=request,
        detail={"path": request.path},
    )


def record_person_list_view(
    request, model, ids: Iterable, *, purpose: str, body=None
) -> AuditEntry:
    """A staff view of a list of people (one entry naming the ids shown)."""
    if not purpose:
        raise ValueError("say why the people's data is viewed (purpose), e.g. 'case review'")
    detail = {"path": request.path, "ids": [str(pk) for pk in ids]}
    query = request.GET.get("q")
    if query:
        detail["query"] = query
    return record(
        PERSON_LIST,
        object_type=model._meta.label_lower,
        purpose=purpose,
        body=body,
        request=request,
        detail=detail,
    )


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""

    def __bool__(self) -> bool:
        return self.intact


def _read_head() -> tuple[int, str] | None:
    head = AuditHead.objects.filter(pk=HEAD_ID).first()
    return (head.last_id, head.last_hash) if head else None


def verify_chain(chunk_size: int = 5000) -> ChainReport:
    """Walk the whole log in id order (streamed, constant memory) and report the first
    broken link: an edited entry (its hash does not match its content), a deleted entry (the
    next entry's prev_hash does not match), a deleted tail, a missing head, or an entry
    slipped in after the head without going through ``record``.

    Safe while entries are being appended: the walk stops at the entry the head named when
    the walk began."""
    head = _read_head()
    entries = AuditEntry.objects.order_by("id")
    if head is not None:
        entries = entries.filter(id__lte=head[0])
    rows = entries.values_list("id", "prev_hash", "hash", *HASHED_FIELDS).iterator(
        chunk_size=chunk_size
    )
    expected_prev, last_id, checked = GENESIS_HASH, 0, 0
    for row in rows:
        entry_id, prev_hash, stored_hash = row[:3]
        fields = dict(zip(HASHED_FIELDS, row[3:], strict=True))
        if entry_hash(prev_hash, fields) != stored_hash:
            return ChainReport(
                False,
                checked,
                entry_id,
                f"entry #{entry_id} does not match its hash: its content was changed",
            )
        if prev_hash != expected_prev:
            before = f"entry #{last_id}" if last_id else "the start of the log"
            return ChainReport(
                False,
                checked,
                entry_id,
                f"entry #{entry_id} does not follow {before}: an entry between them was "
                f"deleted, or {before} was rewritten",
            )
        expected_prev, last_id, checked = stored_hash, entry_id, checked + 1
    if head is None:
        if checked:
            return ChainReport(
                False, checked, last_id, f"the chain head is missing (last entry #{last_id})"
            )
        return ChainReport(True, 0)
    if head != (last_id, expected_prev):
        return ChainReport(
            False,
            checked,
            head[0],
            f"the chain head names entry #{head[0]} as the last, but the last entry found is "
            f"#{last_id}: entries at the end were deleted (or the head was changed)",
        )
    stray = AuditEntry.objects.filter(id__gt=head[0]).order_by("id").first()
    if stray is not None and _read_head() == head:
        return ChainReport(
            False,
            checked,
            stray.pk,
            f"entry #{stray.pk} lies after the chain head (#{head[0]}): it was added "
            "without going through the audit log",
        )
    return ChainReport(True, checked)
