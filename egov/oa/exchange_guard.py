"""The office system's refuser for the exchange: a classified document (密级 秘密 and above)
is never given to the exchange, in any direction and whatever the sender marks it
(``egov.exchange.policy.register_refuser``; registered in ``OaConfig.ready``).

A message is refused when its payload names a classified document or incoming record — by
its identifier (uid) or its document number, anywhere in the payload, keys or values — or
when one of its attachments has the bytes of a classified document's file."""

from __future__ import annotations

import hashlib
import re
import uuid

UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)
NUMBER_RE = re.compile(r"(\S{1,20})〔(\d{4})〕(\d{1,6})号")


def _strings(value, found: list[str], depth: int = 0) -> None:
    if depth > 30:
        return
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            found.append(str(key))
            _strings(item, found, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _strings(item, found, depth + 1)


def refuse_classified(name: str, payload: dict, attachments: list) -> str:
    from django.db.models import Q

    from .models import Document, DocumentFile, Receipt

    strings: list[str] = []
    _strings(payload, strings)
    uids = set()
    numbers: list[tuple[str, int, int]] = []
    for text in strings:
        for match in UUID_RE.findall(text):
            try:
                uids.add(uuid.UUID(match))
            except ValueError:
                continue
        for prefix, year, seq in NUMBER_RE.findall(text):
            numbers.append((prefix, int(year), int(seq)))
    classified = Document.objects.filter(secrecy__gt=0)
    if uids and (
        classified.filter(uid__in=uids).exists()
        or Receipt.objects.filter(secrecy__gt=0, uid__in=uids).exists()
    ):
        return "the payload names a classified official document; it never leaves the office system"
    for prefix, year, seq in numbers:
        for known in classified.filter(number_year=year, number_seq=seq).values_list(
            "number_prefix", flat=True
        ):
            if known and prefix.endswith(known):
                return (
                    "the payload names a classified official document by its number; it "
                    "never leaves the office system"
                )
    hashes = [hashlib.sha256(bytes(item[2])).hexdigest() for item in attachments]
    if (
        hashes
        and DocumentFile.objects.filter(
            Q(document__secrecy__gt=0) | Q(receipt__secrecy__gt=0), sha256__in=hashes
        ).exists()
    ):
        return "an attachment is a file of a classified official document"
    return ""
