"""Public replies: what of a letter may be published (with the writer's consent), and how it
crosses to the portal.

``public_texts(letter)`` is the one function that makes the public texts — the staff preview
and the publication both call it, so staff see exactly what will be public. Personal data is
masked with ``egov.core.masking.mask``: every occurrence of the letter's own personal fields
(the writer's name, telephone, e-mail, address), and any mobile number, identity card number
or e-mail address written in the texts. Staff may shorten or reword the question and the
answer first; masking applies to what they give too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from egov import exchange
from egov.core.masking import mask

MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])")
MIN_ADDRESS_TAIL = 4  # the shortest end of the writer's address masked on its own
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class PublicTexts:
    subject: str
    question: str
    answer: str


def _personal_values(letter) -> list[tuple[str, str]]:
    values = [
        (letter.writer_name, "name"),
        (letter.phone, "mobile"),
        (letter.email, "email"),
        (letter.address, "address"),
    ]
    # Longest first, so that an address holding the name is masked as an address.
    return sorted(
        ((value.strip(), kind) for value, kind in values if value and value.strip()),
        key=lambda pair: -len(pair[0]),
    )


def _address_tails(address: str) -> list[str]:
    """The ends of the part of the address that its mask hides, longest first: "红旗路88号"
    of "重庆市永川区中山路街道红旗路88号" is the writer's address too."""
    address = (address or "").strip()
    masked = mask("address", address)
    hidden_from = next(
        (i for i, (a, b) in enumerate(zip(address, masked, strict=False)) if a != b),
        len(address),
    )
    hidden = address[hidden_from:]
    return [hidden[i:] for i in range(len(hidden) - MIN_ADDRESS_TAIL + 1)]


def mask_text(text: str, letter) -> str:
    """``text`` with the letter's personal data (its fields, and the end of the address on
    its own), and any mobile, ID number or e-mail, masked."""
    text = text or ""
    char = getattr(settings, "EGOV_MASK_CHAR", "*")
    for value, kind in _personal_values(letter):
        text = text.replace(value, mask(kind, value))
    for tail in _address_tails(letter.address):
        text = text.replace(tail, char * len(tail))
    text = EMAIL.sub(lambda match: mask("email", match.group(0)), text)
    text = ID_NUMBER.sub(lambda match: mask("id_number", match.group(0)), text)
    text = MOBILE.sub(lambda match: mask("mobile", match.group(0)), text)
    return text


def public_texts(letter, *, question: str = "", answer: str = "") -> PublicTexts:
    return PublicTexts(
        subject=mask_text(letter.subject, letter),
        question=mask_text((question or "").strip() or letter.text, letter),
        answer=mask_text((answer or "").strip() or letter.reply_text, letter),
    )


def payload(letter, texts: PublicTexts) -> dict:
    return {
        "number": letter.number,
        "mailbox": letter.mailbox.code,
        "category": letter.category,
        "body": letter.handling_body.name_zh,
        "subject": texts.subject,
        "question": texts.question,
        "answer": texts.answer,
        "asked_on": letter.received_on.isoformat(),
        "replied_on": letter.replied_on.isoformat(),
        "published_at": (letter.published_at or timezone.now()).isoformat(),
    }


def send(letter, texts: PublicTexts):
    from .messages import REPLY_PUBLISHED

    return exchange.publish(
        REPLY_PUBLISHED, payload(letter, texts), key=f"interaction-public:{letter.number}"
    )


class Preview:
    """A published reply as the public page shows it, made from a letter not yet published
    (the staff preview renders it with the same template as the public page)."""

    def __init__(self, letter, texts: PublicTexts):
        from .models import Category

        self.number = letter.number
        self.mailbox = letter.mailbox
        self.category = letter.category
        self.body_name = letter.handling_body.name_zh
        self.subject = texts.subject
        self.question = texts.question
        self.answer = texts.answer
        self.asked_on = letter.received_on
        self.replied_on = letter.replied_on
        self._category_label = Category(letter.category).label

    def get_category_display(self):
        return self._category_label
