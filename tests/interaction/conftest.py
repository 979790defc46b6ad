"""Fixtures of the letter tests: the Yongchuan bodies (each gets its mailbox when saved),
staff by body and role, ``new_letter(**changes)`` — a letter by post registered by the
district government's clerk — and ``clock(day)``, which sets the day "now" is (a fixed 2026
date, inside the working-day calendar)."""

from __future__ import annotations

import datetime
import time
import zoneinfo

import pytest
from django.utils import timezone

from egov.interaction import services
from egov.interaction.models import Mailbox
from tests.services.conftest import bodies, exchange_here, make_staff  # noqa: F401 - fixtures

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.date(2026, 9, 16)  # a Wednesday; 15 days on is 1 October (国庆节)


def person_check(seconds_ago: float = 30) -> dict:
    """The letter form's spam fields as a person fills them: an empty honeypot, a stamp
    served ``seconds_ago``, and the right answer to its question."""
    from egov.interaction.forms import LetterForm
    from egov.web.antispam import expected_answer

    stamp = LetterForm.new_stamp(at=time.time() - seconds_ago)
    return {
        "website": "",
        "stamp": stamp,
        "answer": str(expected_answer(LetterForm.stamp_salt, stamp)),
    }


WRITER = {
    "writer_name": "李四光",
    "phone": "13912345678",
    "email": "lisiguang@example.com",
    "address": "重庆市永川区中山路街道红旗路88号",
}


@pytest.fixture
def staff(make_staff, bodies):  # noqa: F811
    zf, scjg, mzj, jyw = (
        bodies["YC-ZF"],
        bodies["YC-SCJG"],
        bodies["YC-MZJ"],
        bodies["YC-JYW"],
    )
    return {
        # the district government's office receives the district head's mailbox
        "office": make_staff("office", zf, "window_clerk"),
        "office_head": make_staff("office_head", zf, "office_head"),
        "clerk": make_staff("clerk", scjg, "window_clerk"),
        "reviewer": make_staff("reviewer", scjg, "reviewer"),
        "approver": make_staff("approver", scjg, "approver"),
        "head": make_staff("head", scjg, "office_head"),
        "mzj": make_staff("mzj", mzj, "window_clerk"),
        "mzj_head": make_staff("mzj_head", mzj, "office_head"),
        "jyw": make_staff("jyw", jyw, "window_clerk"),
        "supervisor": make_staff("supervisor", bodies["YC"], "supervisor"),
    }


@pytest.fixture
def head_mailbox(bodies):  # noqa: F811
    return Mailbox.objects.get(code="head")


@pytest.fixture
def new_letter(staff, head_mailbox):
    def make(**changes):
        values = {
            "mailbox": head_mailbox,
            "category": "complaint",
            "subject": "小区噪音扰民",
            "text": "我是李四光，电话13912345678。红旗路夜间施工噪音严重，请查处。",
            "consent_to_publish": True,
            "received_on": RECEIVED,
            "by": staff["office"],
            **WRITER,
        }
        values.update(changes)
        return services.register(**values)

    return make


@pytest.fixture
def clock(monkeypatch):
    """``clock(day)`` makes ``timezone.now()`` 10:00 Beijing time on ``day``."""

    def set_day(day: datetime.date):
        moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=BEIJING)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_day
