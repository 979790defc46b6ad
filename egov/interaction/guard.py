"""Guarding the mailboxes: the moderation queue for abusive content, finding and merging
duplicate letters, and the statistics per body.

Moderation: a letter whose subject or text contains an active ``AbusiveTerm`` is held when
it is registered, and staff may flag a letter they see (``flag``). A held letter is neither
accepted nor routed until a holder of ``interaction.moderate_letter`` releases it (handling
goes on) or rejects it with a reason told to the writer (the letter is not accepted and
closed). Its acceptance limit keeps running: moderators act within it.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from egov.core import timers

from .models import AbusiveTerm, Letter, Moderation, Status
from .services import (
    HANDLE,
    MIN_REASON,
    InteractionError,
    InteractionPermissionError,
    _check_actor,
    _lock,
    _record,
    _require_status,
    _text,
    _today,
    letters_visible_to,
)

MODERATE = "interaction.moderate_letter"


# --- moderation -------------------------------------------------------------------------


def abusive_terms_in(*texts: str) -> list[str]:
    """The active abusive terms found in ``texts`` (case-insensitive), sorted."""
    haystack = " ".join(texts).casefold()
    return sorted(
        term
        for term in AbusiveTerm.objects.filter(is_active=True).values_list("term", flat=True)
        if term.strip() and term.strip().casefold() in haystack
    )


def hold_if_abusive(letter: Letter) -> bool:
    """Called by ``services.register`` in its transaction, before the letter's first event:
    holds the letter when it contains abusive terms."""
    found = abusive_terms_in(letter.subject, letter.text)
    if not found:
        return False
    letter.moderation = Moderation.HELD
    letter.held_reason = str(_("Contains: %(terms)s") % {"terms": "、".join(found)})
    return True


def check_not_held(letter: Letter) -> None:
    if letter.is_held:
        raise InteractionError(
            _("Letter %(number)s is held for moderation: a moderator releases or rejects it first.")
            % {"number": letter.number}
        )


def moderation_queue(user):
    """The held letters ``user`` may see and moderate, the earliest received first."""
    if not user.has_perm(MODERATE):
        raise InteractionPermissionError(_("Your roles do not allow this action."))
    return (
        letters_visible_to(user)
        .filter(moderation=Moderation.HELD)
        .select_related("mailbox", "handling_body")
        .order_by("received_on", "pk")
    )


def flag(
    letter: Letter, *, by, reason: str, on: datetime.date | None = None, http_request=None
) -> Letter:
    """Hold a letter for moderation (staff of the responsible body, before it is routed)."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _check_actor(letter, by, HANDLE)
        _require_status(letter, Status.REGISTERED, Status.ACCEPTED)
        if letter.moderation in (Moderation.HELD, Moderation.RELEASED):
            raise InteractionError(
                _("Letter %(number)s was already held for moderation.") % {"number": letter.number}
            )
        if letter.routings.exists():
            raise InteractionError(_("A routed letter is no longer held for moderation."))
        letter.moderation = Moderation.HELD
        letter.held_reason = _text(reason, what=_("reason"), minimum=MIN_REASON, field="reason")
        _record(
            letter,
            "held",
            on=day,
            by=by,
            body=letter.handling_body,
            note=letter.held_reason,
            detail={"flagged": True},
            public=False,
            http_request=http_request,
        )
    return letter


def _moderator(letter: Letter, by) -> None:
    if by is None or not letters_visible_to(by).filter(pk=letter.pk).exists():
        raise InteractionPermissionError(_("This letter is not among the letters you may see."))
    if not by.has_perm(MODERATE):
        raise InteractionPermissionError(_("Your roles do not allow this action."))
    if not letter.is_held:
        raise InteractionError(
            _("Letter %(number)s is not held for moderation.") % {"number": letter.number}
        )


def release(
    letter: Letter, *, by, note: str = "", on: datetime.date | None = None, http_request=None
) -> Letter:
    """The held letter is not abusive (or no longer matters): its handling goes on."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _moderator(letter, by)
        letter.moderation = Moderation.RELEASED
        letter.moderated_by = by
        letter.moderation_note = (note or "").strip()
        _record(
            letter,
            "released",
            on=day,
            by=by,
            body=letter.handling_body,
            note=letter.moderation_note,
            public=False,
            http_request=http_request,
        )
    return letter


def reject(
    letter: Letter, *, by, reason: str, on: datetime.date | None = None, http_request=None
) -> Letter:
    """The held letter is refused for its content: not accepted and closed, the writer told
    the reason (as for any letter not accepted)."""
    day = _today(on)
    with transaction.atomic():
        letter = _lock(letter)
        _moderator(letter, by)
        reason = _text(reason, what=_("reason"), minimum=MIN_REASON, field="reason")
        letter.moderation = Moderation.REJECTED
        letter.moderated_by = by
        letter.moderation_note = reason
        letter.not_accepted_reason = reason
        for timer in (letter.acceptance_timer, letter.handling_timer):
            if timer is not None and timer.stopped_at is None:
                timers.stop_timer(timer, reason="rejected in moderation", by=by)
        letter.status = Status.NOT_ACCEPTED
        letter.closed_on = day
        _record(
            letter,
            "not_accepted",
            on=day,
            by=by,
            body=letter.handling_body,
            note=reason,
            detail={"moderation": "rejected"},
            http_request=http_request,
        )
    return letter
