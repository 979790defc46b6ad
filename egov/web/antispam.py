"""Keeping spam out of public forms, shared by the portal's error reports and the letters.

Three checks, none needing JavaScript or sight:

- a **honeypot** field (``website``) that people never see (the template puts it in a
  ``hidden`` block, so neither eyes nor screen readers meet it) must stay empty;
- a signed **time stamp** (``stamp``, a hidden field): the form must come back at least
  ``min_seconds`` after it was served and within ``max_age_seconds``;
- optionally (``ask_question = True``) a **text question** (``answer``): a small sum written
  in words ("What is three plus four?"), answered in digits (half- or full-width) or in
  Chinese numerals. It is the CAPTCHA of the form and is itself non-visual: a screen reader
  reads it like any label, nothing depends on an image or on JavaScript. The two numbers
  travel in the signed stamp; a wrong answer gets a new question.

A text question stops generic bots, not one written for this site; throttling and the
moderation queue of the letters do the rest.
"""

from __future__ import annotations

import secrets
import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NUMBER_WORDS = (
    _("zero"),
    _("one"),
    _("two"),
    _("three"),
    _("four"),
    _("five"),
    _("six"),
    _("seven"),
    _("eight"),
    _("nine"),
)
CHINESE_NUMERALS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def issue_stamp(salt: str, at: float | None = None, question: bool = False) -> str:
    """The signed time the form was served (``at``, seconds since the epoch; now if not
    given), with the two numbers of a new question when ``question``."""
    payload: dict = {"t": int(at if at is not None else time.time())}
    if question:
        payload["q"] = [secrets.randbelow(9) + 1, secrets.randbelow(9) + 1]
    return signing.dumps(payload, salt=salt)


def read_stamp(salt: str, stamp: str) -> dict | None:
    try:
        payload = signing.loads(stamp or "", salt=salt)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int):
        return None
    return payload


def expected_answer(salt: str, stamp: str) -> int | None:
    """The answer to the stamp's question (for the form, and for tests acting as a person)."""
    payload = read_stamp(salt, stamp)
    numbers = (payload or {}).get("q")
    if not (isinstance(numbers, list) and len(numbers) == 2):
        return None
    return int(numbers[0]) + int(numbers[1])


def parse_answer(text: str) -> int | None:
    """``7``, ``７``, ``七``, ``十二``, ``二十`` → the number; anything else → None."""
    text = "".join(text.split())
    if not text:
        return None
    digits = "".join(chr(ord(char) - 0xFEE0) if "０" <= char <= "９" else char for char in text)
    if digits.isascii() and digits.isdigit():
        return int(digits)
    if any(char not in CHINESE_NUMERALS for char in text):
        return None
    if "十" not in text:
        return CHINESE_NUMERALS[text] if len(text) == 1 else None
    tens, _sep, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in tens + units:
        return None
    return (CHINESE_NUMERALS[tens] if tens else 1) * 10 + (CHINESE_NUMERALS[units] if units else 0)


def question_text(numbers) -> str:
    a, b = numbers
    return str(
        _("Question for people: what is %(a)s plus %(b)s?")
        % {"a": NUMBER_WORDS[a], "b": NUMBER_WORDS[b]}
    )


class AntiSpamForm(forms.Form):
    """A form with the honeypot, the time stamp and, with ``ask_question``, the question.

    Subclasses set ``stamp_salt`` and ``refused_message`` (shown above the form when the
    honeypot or the time stamp fails). Views serve an unbound form with
    ``initial={"stamp": form_class.new_stamp()}`` and call ``refresh_stamp()`` before
    serving a refused form again: everything typed is kept."""

    stamp_salt = "web.antispam"
    min_seconds = 3
    max_age_seconds = 24 * 3600
    ask_question = False
    refused_message = _(
        "The form could not be accepted as sent. Check it and send it again; what you typed "
        "is kept."
    )

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    answer = forms.CharField(
        label=_("Question for people"),
        required=False,
        max_length=10,
        help_text=_("Write the answer in digits, e.g. 12. This keeps automated spam out."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.ask_question:
            del self.fields["answer"]
        else:
            self.fields["answer"].required = True
            self.fields["answer"].error_messages["required"] = _("Answer the question, in digits.")
            self._label_question()

    @classmethod
    def new_stamp(cls, at: float | None = None) -> str:
        return issue_stamp(cls.stamp_salt, at=at, question=cls.ask_question)

    def _current_stamp(self) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix("stamp"), "")
        return self.initial.get("stamp", "")

    def _label_question(self) -> None:
        payload = read_stamp(self.stamp_salt, self._current_stamp()) or {}
        numbers = payload.get("q")
        if isinstance(numbers, list) and len(numbers) == 2:
            self.fields["answer"].label = question_text(numbers)

    def clean(self):
        cleaned = super().clean()
        payload = read_stamp(self.stamp_salt, cleaned.get("stamp") or "")
        if self.ask_question and "answer" in cleaned and payload is not None:
            expected = expected_answer(self.stamp_salt, cleaned.get("stamp") or "")
            self._answered = expected is not None and parse_answer(cleaned["answer"]) == expected
            if not self._answered:
                self.add_error(
                    "answer",
                    ValidationError(
                        _("That is not the answer. Answer the new question, in digits."),
                        code="wrong_answer",
                    ),
                )
        if self.errors:
            return cleaned  # refused anyway; the fields' messages are what a person needs
        not_accepted = ValidationError(self.refused_message, code="spam")
        if cleaned.get("website") or payload is None:
            raise not_accepted
        if not self.min_seconds <= time.time() - payload["t"] <= self.max_age_seconds:
            raise not_accepted
        return cleaned

    _answered = False

    def refresh_stamp(self) -> None:
        """Serve the form again with a new time stamp (and a new question, its answer
        emptied), keeping everything else typed. A question answered right is kept with its
        answer while its stamp is good, so a person correcting another field answers once."""
        self.data = self.data.copy()
        if self.ask_question and self._answered and "__all__" not in self.errors:
            return
        self.data[self.add_prefix("stamp")] = self.new_stamp()
        if self.ask_question:
            self.data[self.add_prefix("answer")] = ""
            self._label_question()
