"""Fixtures of the e-supervision tests: bodies, staff with roles, timers on crafted dates."""

import datetime

import pytest

from egov.accounts.models import User
from egov.core import calendar
from egov.core.models import Timer
from egov.directory.models import Membership, Organisation, Role
from egov.supervision.models import Deduction, GradeThreshold, SupervisionRule


@pytest.fixture(autouse=True)
def supervision_defaults(db):
    """The defaults of the data migration (restored if a transactional test emptied them)."""
    calendar.invalidate_cache()
    SupervisionRule.objects.get_or_create(
        purpose="", body=None, defaults={"warning_days": 1, "yellow_days": 1, "red_days": 2}
    )
    for code, points in (("signal:yellow", "1.00"), ("signal:red", "1.50")):
        Deduction.objects.get_or_create(code=code, defaults={"label": code, "points": points})
    for grade, minimum in (("excellent", 95), ("good", 85), ("pass", 70)):
        GradeThreshold.objects.get_or_create(grade=grade, defaults={"min_score": minimum})
    yield
    calendar.invalidate_cache()


@pytest.fixture
def bodies():
    return {
        code: Organisation.objects.create(code=code, name_zh=name, kind="department")
        for code, name in (
            ("T-SCJG", "测试市场监管局"),
            ("T-FGW", "测试发改委"),
            ("T-JL", "测试镇"),
        )
    }


def make_user(username: str, **fields) -> User:
    user = User(username=username, email=None, **fields)
    user.set_unusable_password()
    user.save()
    return user


def staff(username: str, *grants) -> User:
    """A staff member holding (body, role code) memberships."""
    user = make_user(username, kind=User.Kind.STAFF, is_staff=True)
    for body, role_code in grants:
        Membership.objects.create(
            user=user, organisation=body, role=Role.objects.get(code=role_code)
        )
    return user


def make_timer(
    due: datetime.date,
    *,
    body=None,
    purpose="test.reply",
    category="",
    start: datetime.date | None = None,
    paused_at=None,
    stopped=False,
) -> Timer:
    """A timer with a crafted due date (the sweep reads due dates only)."""
    from django.utils import timezone

    return Timer.objects.create(
        purpose=purpose,
        subject_type="tests.thing",
        subject_id=str(Timer.objects.count() + 1),
        category=category,
        owner_body=body,
        start_date=start or due - datetime.timedelta(days=20),
        limit=10,
        unit=Timer.Unit.WORKING_DAYS,
        due_date=due,
        paused_at=paused_at,
        stopped_at=timezone.now() if stopped else None,
    )
