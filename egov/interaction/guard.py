"""Guarding the mailboxes: the moderation queue for abusive content, finding and merging
duplicate letters, and the statistics per body.

Moderation: a letter whose subject or text contains an active ``AbusiveTerm`` is held when
it is registered, and staff may flag a letter they see (``flag``). A held letter is neither
accepted nor routed until a holder of ``interaction.moderate_letter`` releases it (handling
goes on) or rejects it with a reason told to the writer (the letter is not accepted and
closed). While it is held its acceptance limit is paused (``pause_while_held``): the days
held do not count, and a release resumes the limit with the days still owed from the day of
the release (``resume_after_hold``), ending on a working day like every letter limit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


HOLD_PAUSE_REASON = "held for moderation"


def pause_while_held(letter: Letter, day: datetime.date, by=None) -> None:
    """Pause the letter's acceptance limit on ``day`` (it is held): a moderator's time is
    not the responsible body's. A limit already stopped (accepted) or paused stays so."""
    timer = letter.acceptance_timer
    if timer is not None and timer.stopped_at is None and timer.paused_at is None:
        timers.pause_timer(timer, reason=HOLD_PAUSE_REASON, on=day, by=by)


def resume_after_hold(letter: Letter, day: datetime.date, by=None) -> None:
    """Resume the acceptance limit paused while the letter was held: the days held do not
    count, so the limit owes ``ACCEPT_DAYS`` less the days it ran before the hold, from
    ``day``, and ends on the next working day when that day is not one (``legal_due``)."""
    from .services import legal_due, limits

    timer = letter.acceptance_timer
    if timer is None or timer.stopped_at is not None or timer.paused_at is None:
        return
    pause = timer.pauses.filter(resumed_on=None).order_by("-paused_on", "-id").first()
    if pause is None or pause.reason != HOLD_PAUSE_REASON:
        return  # paused for another reason: whoever paused it resumes it
    day = max(day, timer.paused_at)
    ran = (pause.paused_on - timer.start_date).days
    owed = max(limits()["ACCEPT_DAYS"] - ran, 0)
    # what the clock owes from ``day`` (resume_timer adds the pause's days owed)
    pause.remaining = (legal_due(day, owed) - day).days
    pause.save(update_fields=["remaining"])
    timers.resume_timer(timer, on=day, by=by)


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
        pause_while_held(letter, day, by)
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
        resume_after_hold(letter, day, by)
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


# --- statistics per body ----------------------------------------------------------------


@dataclass(frozen=True)
class BodyStatistics:
    """The letters a body was responsible for, received in a period. ``received`` leaves
    out letters merged into another (counted once, by their original); ``on_time``: replied,
    and every reply sent within the limit then running (as recorded on the reply's event); ``average_days``: received to replied, in
    days, over the replied letters; ``satisfaction``: satisfied or basically satisfied among
    the rated letters (None when none is rated)."""

    body_id: int
    body_name: str
    received: int
    replied: int
    on_time: int
    average_days: float | None
    rated: int
    satisfied: int
    basically: int
    dissatisfied: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None

    @property
    def satisfaction(self) -> float | None:
        return (self.satisfied + self.basically) / self.rated if self.rated else None


def statistics(body_ids, start: datetime.date, end: datetime.date) -> list[BodyStatistics]:
    """The figures per responsible body, of letters received from ``start`` to ``end``
    (both included). No scoping here: callers pass the bodies the user may see (the staff
    page) or the bodies they inspect (the portal's inspector)."""
    from django.db.models import (
        Count,
        DurationField,
        Exists,
        ExpressionWrapper,
        F,
        OuterRef,
        Q,
        Sum,
    )

    from egov.directory.models import Organisation

    from .models import LetterEvent, Rating

    replied = Q(replied_on__isnull=False)
    # as recorded when each reply went out (a bad rating gives the letter a new limit)
    late = LetterEvent.objects.filter(
        letter=OuterRef("pk"), action="replied", detail__on_time=False
    )
    rows = (
        Letter.objects.filter(
            handling_body_id__in=list(body_ids),
            received_on__gte=start,
            received_on__lte=end,
            duplicate_of__isnull=True,
        )
        .values("handling_body_id")
        .annotate(
            received=Count("pk"),
            replied=Count("pk", filter=replied),
            on_time=Count("pk", filter=replied & ~Exists(late)),
            handling=Sum(
                ExpressionWrapper(F("replied_on") - F("received_on"), output_field=DurationField()),
                filter=replied,
            ),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
            basically=Count("pk", filter=Q(rating=Rating.BASICALLY)),
            dissatisfied=Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
        )
    )
    names = dict(Organisation.objects.filter(pk__in=list(body_ids)).values_list("pk", "name_zh"))
    found = []
    for row in rows:
        handling = row["handling"]
        days = handling.days if isinstance(handling, datetime.timedelta) else handling
        found.append(
            BodyStatistics(
                body_id=row["handling_body_id"],
                body_name=names.get(row["handling_body_id"], ""),
                received=row["received"],
                replied=row["replied"],
                on_time=row["on_time"],
                average_days=round(days / row["replied"], 1) if row["replied"] else None,
                rated=row["satisfied"] + row["basically"] + row["dissatisfied"],
                satisfied=row["satisfied"],
                basically=row["basically"],
                dissatisfied=row["dissatisfied"],
            )
        )
    found.sort(key=lambda item: (item.body_name, item.body_id))
    return found
