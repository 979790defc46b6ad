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


# --- duplicates -------------------------------------------------------------------------
#
# Two letters are similar when the same writer (same telephone) wrote both, or when the
# character-bigram Jaccard index of their normalised subjects and texts reaches
# ``EGOV_LETTER_DUPLICATE_THRESHOLD`` (0.6), received within ``EGOV_LETTER_DUPLICATE_DAYS``
# (30) days of each other. Normalised: NFKC, case folded, only letters and digits kept
# (Chinese has no spaces; punctuation and spacing say nothing of the matter). The bigrams are
# a set, so a repeated phrase counts once: |A ∩ B| / |A ∪ B|.


def normalise(text: str) -> str:
    import unicodedata

    return "".join(
        char for char in unicodedata.normalize("NFKC", text).casefold() if char.isalnum()
    )


def bigrams(text: str) -> frozenset[str]:
    text = normalise(text)
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard index of two texts, 0.0 to 1.0."""
    first, second = bigrams(a), bigrams(b)
    if not first and not second:
        return 0.0
    return len(first & second) / len(first | second)


def duplicate_settings() -> tuple[float, int]:
    from django.conf import settings

    return (
        float(getattr(settings, "EGOV_LETTER_DUPLICATE_THRESHOLD", 0.6)),
        int(getattr(settings, "EGOV_LETTER_DUPLICATE_DAYS", 30)),
    )


def _letter_text(letter: Letter) -> str:
    return f"{letter.subject}\n{letter.text}"


def similar_letters(letter: Letter, user) -> list[tuple[Letter, float, bool]]:
    """The letters ``user`` sees that look like ``letter``: (letter, similarity, same
    writer), the most similar first. Letters already merged into another are left out."""
    threshold, days = duplicate_settings()
    window = datetime.timedelta(days=days)
    candidates = (
        letters_visible_to(user)
        .exclude(pk=letter.pk)
        .filter(
            duplicate_of__isnull=True,
            received_on__gte=letter.received_on - window,
            received_on__lte=letter.received_on + window,
        )
        .select_related("handling_body")
    )
    text = _letter_text(letter)
    phone = normalise(letter.phone)
    found = []
    for other in candidates:
        score = similarity(text, _letter_text(other))
        same_writer = bool(phone) and normalise(other.phone) == phone
        if same_writer or score >= threshold:
            found.append((other, round(score, 2), same_writer))
    found.sort(key=lambda item: (-item[1], item[0].received_on, item[0].pk))
    return found


def merge(
    duplicate: Letter,
    *,
    into: Letter,
    by,
    reason: str = "",
    on: datetime.date | None = None,
    http_request=None,
) -> Letter:
    """Merge ``duplicate`` into the earlier letter ``into``: the duplicate is closed with a
    reference to it, and its writer is told which letter answers the matter."""
    day = _today(on)
    with transaction.atomic():
        duplicate = _lock(duplicate)
        _check_actor(duplicate, by, HANDLE)
        if not letters_visible_to(by).filter(pk=into.pk).exists():
            raise InteractionError(
                _("The original letter is not among the letters you may see."), "into"
            )
        into = Letter.objects.get(pk=into.pk)
        if into.pk == duplicate.pk:
            raise InteractionError(_("A letter cannot be merged into itself."), "into")
        if into.duplicate_of_id is not None:
            raise InteractionError(
                _("Letter %(number)s is itself merged into %(original)s: merge into that one.")
                % {"number": into.number, "original": into.duplicate_of.number},
                "into",
            )
        if (into.received_on, into.pk) > (duplicate.received_on, duplicate.pk):
            raise InteractionError(
                _("Merge the later letter into the earlier one: %(number)s came later.")
                % {"number": into.number},
                "into",
            )
        _require_status(duplicate, Status.REGISTERED, Status.ACCEPTED)
        for timer in (duplicate.acceptance_timer, duplicate.handling_timer):
            if timer is not None and timer.stopped_at is None:
                timers.stop_timer(timer, reason="merged into another letter", by=by)
        duplicate.duplicate_of = into
        duplicate.status = Status.CLOSED
        duplicate.closed_on = day
        note = str(
            _(
                "Your letter is about the same matter as letter %(number)s; it is handled "
                "and answered together with that letter."
            )
            % {"number": into.number}
        )
        reason = (reason or "").strip()
        _record(
            duplicate,
            "merged",
            on=day,
            by=by,
            body=duplicate.handling_body,
            note=note,
            detail={"into": into.number, "reason": reason},
            http_request=http_request,
        )
    return duplicate
