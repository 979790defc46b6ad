"""Shared fixtures of the notices, meetings and tasks tests: a few bodies of the district
(the district government, its general office, two departments), their staff by role, a
room, ``later(days, hour)`` (an aware moment in the future) and ``pdf_bytes``.

A test module makes the fixtures it uses visible to pytest by naming them::

    from tests.oa import office_fixtures

    office_bodies = office_fixtures.office_bodies
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from egov.accounts.models import User
from egov.directory.models import Membership, Organisation, Role
from egov.oa import services_meetings as meetings

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def office_bodies(db) -> dict[str, Organisation]:
    def body(code, name, kind, parent=None):
        return Organisation.objects.create(code=code, name_zh=name, kind=kind, parent=parent)

    yc = body("YC", "永川区", "district")
    zf = body("YC-ZF", "永川区人民政府", "government", yc)
    return {
        "YC": yc,
        "YC-ZF": zf,
        "YC-ZF-BGS": body("YC-ZF-BGS", "区政府办公室", "department", zf),
        "YC-SCJG": body("YC-SCJG", "区市场监管局", "department", zf),
        "YC-MZJ": body("YC-MZJ", "区民政局", "department", zf),
    }


def make_member(username: str, body: Organisation, role: str, name: str = "") -> User:
    user = User.objects.create_user(
        username=username,
        kind=User.Kind.STAFF,
        is_staff=True,
        password="Staff-test-2026",
        first_name=name,
    )
    Membership.objects.create(user=user, organisation=body, role=Role.objects.get(code=role))
    return User.objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def office_staff(office_bodies) -> dict[str, User]:
    b = office_bodies
    return {
        # the district government's general office runs notices, meetings and 督查督办
        "office": make_member("bgs_head", b["YC-ZF-BGS"], "office_head", "王主任"),
        "leader": make_member("leader", b["YC-ZF"], "approver", "李区长"),
        "scjg_head": make_member("scjg_head", b["YC-SCJG"], "office_head", "赵局长"),
        "scjg_clerk": make_member("scjg_clerk", b["YC-SCJG"], "window_clerk", "钱科员"),
        "scjg_reviewer": make_member("scjg_reviewer", b["YC-SCJG"], "reviewer", "孙科员"),
        "mzj_clerk": make_member("mzj_clerk", b["YC-MZJ"], "window_clerk", "周科员"),
        "supervisor": make_member("supervisor", b["YC"], "supervisor", "吴监察"),
    }


@pytest.fixture
def room(office_bodies, office_staff):
    return meetings.add_room(
        by=office_staff["office"],
        body=office_bodies["YC-ZF-BGS"],
        name="第一会议室",
        capacity=20,
        location="区政府大楼三楼",
        shared=True,
    )


def later(days: int = 1, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware moment ``days`` from today at ``hour``:``minute`` local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )
