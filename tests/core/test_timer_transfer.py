"""transfer_timer: another body answers for a running timer; the due date stays; a stopped
timer cannot be transferred."""

import datetime

import pytest

from egov.core import timers
from egov.directory.models import Organisation


@pytest.mark.django_db
def test_a_timer_changes_body_but_not_its_due_date(django_capture_on_commit_callbacks):
    first = Organisation.objects.create(code="A", name_zh="甲", kind="department")
    second = Organisation.objects.create(code="B", name_zh="乙", kind="department")
    timer = timers.start_timer(
        purpose="test.transfer",
        subject=("test.thing", 1),
        limit=10,
        unit=timers.Unit.NATURAL_DAYS,
        start_date=datetime.date(2026, 9, 1),
        owner_body=first,
    )
    seen = []
    timers.timer_changed.connect(
        lambda sender, timer, change, **kw: seen.append(change),
        weak=False,
        dispatch_uid="t-transfer",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            timers.transfer_timer(timer, owner_body=second)
    finally:
        timers.timer_changed.disconnect(dispatch_uid="t-transfer")
    timer.refresh_from_db()
    assert timer.owner_body == second and timer.due_date == datetime.date(2026, 9, 11)
    assert "transferred" in seen
    timers.stop_timer(timer)
    with pytest.raises(timers.TimerStateError):
        timers.transfer_timer(timer, owner_body=first)
