"""A letter held for moderation does not use up its acceptance limit: the limit is paused
while it is held (at registration, or when staff flag it) and resumed on release with the
days still owed, ending on a working day; a rejection stops it, paused or not."""

from __future__ import annotations

import datetime

from egov.core.timers import timer_state
from egov.interaction import guard, services

from .conftest import RECEIVED
from .test_guard import ABUSIVE, terms  # noqa: F401 - fixture

D = datetime.date


def test_a_letter_held_at_registration_resumes_its_limit_on_release(new_letter, staff, terms):  # noqa: F811
    letter = new_letter(text=ABUSIVE)  # received Wednesday 16 September, held at once
    timer = letter.acceptance_timer
    timer.refresh_from_db()
    assert timer_state(timer, RECEIVED) == "paused" and timer.paused_at == RECEIVED
    assert timer.pauses.get().reason == guard.HOLD_PAUSE_REASON
    # released on Friday 9 October: the 15 days count from then, none used before
    letter = guard.release(letter, by=staff["office_head"], on=D(2026, 10, 9))
    timer.refresh_from_db()
    assert timer.paused_at is None and timer.stopped_at is None
    assert timer.due_date == services.legal_due(D(2026, 10, 9), 15)
    assert timer.due_date >= D(2026, 10, 24) and timer.due_date > services.legal_due(RECEIVED, 15)
    assert services.accept(letter, by=staff["office"], on=D(2026, 10, 12)).status == "accepted"


def test_a_flagged_letter_owes_the_days_left_when_it_was_flagged(new_letter, staff):
    letter = new_letter()  # received 16 September, not held
    letter = guard.flag(
        letter, by=staff["office"], reason="信中有人身攻击的内容。", on=D(2026, 9, 18)
    )
    timer = letter.acceptance_timer
    timer.refresh_from_db()
    assert timer.paused_at == D(2026, 9, 18)
    guard.release(letter, by=staff["office_head"], on=D(2026, 9, 28))
    timer.refresh_from_db()
    # 2 days ran before the flag: 13 are owed from the release
    assert timer.due_date == services.legal_due(D(2026, 9, 28), 13)


def test_a_rejection_stops_the_paused_limit(new_letter, staff, terms):  # noqa: F811
    letter = new_letter(text=ABUSIVE)
    letter = guard.reject(
        letter, by=staff["office_head"], reason="来信含有侮辱性语言，请文明表述后重新来信。"
    )
    letter.acceptance_timer.refresh_from_db()
    assert letter.acceptance_timer.stopped_at is not None
