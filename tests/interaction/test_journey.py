"""End to end in the combined zone, through the pages and the exchange: a letter written
outside, registered and routed inside, refused and re-routed once, extended, answered,
published masked and rated — each limit right across a holiday or a weekend (fixed 2026
dates), each step followed outside, and e-supervision watching the letter's timers."""

from __future__ import annotations

import datetime

from django.test import Client

from egov.core.models import Timer
from egov.exchange.transports import loopback
from egov.interaction.models import Letter, Mailbox, OnlineLetter, PublicReply
from egov.supervision import sweep
from egov.supervision.models import Signal
from tests.conftest import login_verified
from tests.hall.conftest import citizen

from .conftest import WRITER, person_check

D = datetime.date


def _deliver():
    report = loopback.deliver()
    assert report is None or report.quarantined == 0, report
    return report


def _staff(user) -> Client:
    """A staff member logged in (two-factor) now: a staff session ends after 30 idle
    minutes, and the journey's days pass between the steps."""
    other = Client()
    login_verified(other, user)
    return other


def _act(user, number, verb, data=None):
    response = _staff(user).post(f"/staff/interaction/{number}/do/{verb}/", data or {})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "/accounts/" not in response.url, response.url
    _deliver()
    return response


def test_a_letter_from_the_form_to_the_rating(client, bodies, staff, clock):
    writer = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    client.force_login(writer)

    # 16 September: written to the district head's mailbox.
    clock(D(2026, 9, 16))
    response = client.post(
        "/interaction/write/",
        {
            "mailbox": Mailbox.objects.get(code="head").pk,
            "category": "complaint",
            "subject": "红旗路夜间施工噪音",
            "text": "我是李四光（13912345678），住红旗路88号。红旗路工地每晚施工到凌晨，请查处。",
            "consent": "on",
            **WRITER,
            **person_check(),
        },
    )
    assert response.status_code == 302
    row = OnlineLetter.objects.get()
    assert row.number == "YCXX-2026-00001"
    _deliver()  # inside: registered
    letter = Letter.objects.get(number=row.number)
    assert letter.received_on == D(2026, 9, 16) and letter.online
    # 15 days on is 1 October (国庆节): the writer is told by 8 October.
    assert letter.acceptance_timer.due_date == D(2026, 10, 8)
    _deliver()  # outside: the step comes back
    row.refresh_from_db()
    assert row.due_date == D(2026, 10, 8) and row.status == "registered"

    office, mzj, head = staff["office"], staff["mzj"], staff["head"]
    clerk, reviewer, approver = staff["clerk"], staff["reviewer"], staff["approver"]

    # 22 September: accepted; 60 days end on Saturday 21 November, so on Monday the 23rd.
    clock(D(2026, 9, 22))
    _act(office, row.number, "accept", {"note": "已受理，将转有关部门办理。"})
    letter.refresh_from_db()
    assert letter.handling_timer.due_date == D(2026, 11, 23)
    row.refresh_from_db()
    assert row.status == "accepted" and row.due_date == D(2026, 11, 23)

    # Routed to 区民政局, which refuses; re-routed once, with a reason, to 区市场监管局 with
    # 区教委 jointly.
    clock(D(2026, 9, 23))
    _act(office, row.number, "route", {"to_body": bodies["YC-MZJ"].pk})
    clock(D(2026, 9, 24))
    _act(mzj, row.number, "refuse_routing", {"reason": "施工噪音执法不属于本局职责。"})
    clock(D(2026, 9, 28))
    _act(
        office,
        row.number,
        "route",
        {
            "to_body": bodies["YC-SCJG"].pk,
            "joint": [bodies["YC-JYW"].pk],
            "reason": "民政局退回，改由市场监管局牵头办理。",
        },
    )
    letter.refresh_from_db()
    assert letter.handling_body.code == "YC-SCJG"
    timer = Timer.objects.get(pk=letter.handling_timer_id)
    assert timer.owner_body.code == "YC-SCJG" and timer.due_date == D(2026, 11, 23)
    assert _staff(mzj).get(f"/staff/interaction/{row.number}/").status_code == 404
    row.refresh_from_db()
    assert row.handling_body_name == bodies["YC-SCJG"].name_zh
    assert [step["action"] for step in row.steps] == [
        "registered",
        "accepted",
        "routed",
        "rerouted",
    ]

    # 9 October: extended by 10 days with the head's approval: 70 days from 22 September.
    clock(D(2026, 10, 9))
    refused = _staff(clerk).post(
        f"/staff/interaction/{row.number}/do/extend/", {"days": 10, "reason": "需现场监测噪音。"}
    )
    assert refused.status_code == 403  # no approval permission
    _act(head, row.number, "extend", {"days": 10, "reason": "需委托第三方夜间监测噪音。"})
    letter.refresh_from_db()
    assert letter.handling_timer.due_date == D(2026, 12, 1)
    twice = _staff(head).post(
        f"/staff/interaction/{row.number}/do/extend/",
        {"days": 5, "reason": "需委托第三方夜间监测噪音。"},
    )
    assert twice.status_code == 400 and 'id="id_days_error"' in twice.content.decode()

    # The reply: drafted, reviewed, signed off, sent.
    clock(D(2026, 10, 12))
    _act(
        clerk,
        row.number,
        "draft",
        {"text": "李四光同志：经夜间监测，工地已停止22时后施工，违规单位已被处罚。"},
    )
    _act(reviewer, row.number, "review", {"decision": "approve"})
    _act(approver, row.number, "sign_off", {"decision": "approve"})
    _act(clerk, row.number, "reply", {"confirm": "on"})
    letter.refresh_from_db()
    assert letter.status == "replied" and letter.handling_timer.stopped_at is not None
    row.refresh_from_db()
    assert row.status == "replied" and row.reply_text.startswith("李四光同志")
    page = client.get(f"/interaction/letters/{row.query_code}/").content.decode()
    assert "违规单位已被处罚" in page and 'name="rating"' in page

    # Published masked: the preview first, then the publication.
    preview = _staff(clerk).post(
        f"/staff/interaction/{row.number}/do/publish/",
        {"question": "", "answer": "", "preview": "on"},
    )
    assert preview.status_code == 200 and "李**同志" in preview.content.decode()
    assert not PublicReply.objects.exists()
    _act(clerk, row.number, "publish", {"question": "", "answer": ""})
    public = Client().get(f"/interaction/replies/{row.number}/").content.decode()
    assert "违规单位已被处罚" in public
    for value in [*WRITER.values(), row.query_code, "13912345678", "红旗路88号"]:
        assert value not in public, value

    # The writer rates: satisfied closes the letter inside and the copy outside says so.
    clock(D(2026, 10, 13))
    rated = client.post(f"/interaction/letters/{row.query_code}/rating/", {"rating": "satisfied"})
    assert rated.status_code == 302
    _deliver()  # inside
    letter.refresh_from_db()
    assert letter.status == "closed" and letter.rating == "satisfied"
    _deliver()  # outside
    row.refresh_from_db()
    assert row.status == "closed" and row.rating == "satisfied"


def test_supervision_watches_a_letter_left_unaccepted(new_letter, staff):
    letter = new_letter()
    assert letter.acceptance_timer.due_date == D(2026, 10, 8)
    sweep(today=D(2026, 10, 20))
    signals = Signal.objects.filter(timer=letter.acceptance_timer)
    assert signals.exists()
    assert {signal.body.code for signal in signals} == {"YC-ZF"}
    page = _staff(staff["supervisor"]).get(f"/staff/supervision/signals/{signals[0].pk}/")
    assert page.status_code == 200
    assert f'href="/staff/interaction/{letter.number}/"' in page.content.decode()
