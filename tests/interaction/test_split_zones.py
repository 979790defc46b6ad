"""A letter's whole path in split mode: an external and an internal egov as separate
processes with their own databases, only the gap directory between them (the two-zone
harness of tests/exchange). Each zone has the directory, so each makes the same mailboxes.

Outside: a resident writes to the district head's mailbox on 16 September 2026; inside:
registered (told by 8 October, after National Day), accepted, routed, refused, re-routed once,
answered and published; outside: the writer sees the reply, the public reply holds nothing of
them, and they rate it; inside: the letter is closed; outside: the copy says so.
"""

from __future__ import annotations

import pytest

from tests.exchange.zone_harness import make_zones
from tests.hall.test_split_zones import cross, run

pytestmark = pytest.mark.slow

CLOCK = """
import datetime, zoneinfo
from django.utils import timezone
def clock(day):
    moment = datetime.datetime(*day, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    timezone.now = lambda: moment
"""

SETUP = """
from egov.directory.services import import_organisations, read_organisations_csv
import_organisations(read_organisations_csv(), update_existing=False)
from egov.interaction.models import Mailbox
out(sorted(Mailbox.objects.values_list("code", flat=True))[:3])
"""

STAFF = """
from egov.accounts.models import User
from egov.directory.models import Membership, Organisation, Role
for name, code, role in [("office", "YC-ZF", "window_clerk"), ("mzj", "YC-MZJ", "window_clerk"),
                         ("clerk", "YC-SCJG", "window_clerk"), ("reviewer", "YC-SCJG", "reviewer"),
                         ("approver", "YC-SCJG", "approver")]:
    user = User.objects.create_user(username=name, kind="staff", is_staff=True)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(code=code),
                              role=Role.objects.get(code=role))
out("ok")
"""

WRITE = """
from egov.accounts import services as accounts
from egov.interaction import online
from egov.interaction.models import Mailbox
clock((2026, 9, 16))
user = accounts.register_citizen(mobile="13912345678", password="Citizen-test-2026")
row = online.submit(user, {
    "mailbox": Mailbox.objects.get(code="head"), "category": "complaint",
    "subject": "红旗路夜间施工噪音", "text": "我是李四光，住红旗路88号，电话13912345678。工地每晚施工。",
    "consent": True, "writer_name": "李四光", "phone": "13912345678",
    "email": "lisiguang@example.com", "address": "重庆市永川区中山路街道红旗路88号"},
    [("现场.png", "image/png", png_bytes())])
out({"number": row.number, "code": row.query_code})
"""

HANDLE = """
from egov.accounts.models import User
from egov.directory.models import Organisation
from egov.interaction import services
from egov.interaction.models import Letter
staff = {user.username: user for user in User.objects.filter(kind="staff")}
letter = Letter.objects.get(number=NUMBER)
seen = {"received": letter.received_on.isoformat(), "files": letter.files.count(),
        "acceptance_due": letter.acceptance_timer.due_date.isoformat()}
clock((2026, 9, 22))
letter = services.accept(letter, by=staff["office"])
seen["handling_due"] = letter.handling_timer.due_date.isoformat()
clock((2026, 9, 23))
letter = services.route(letter, by=staff["office"], to_body=Organisation.objects.get(code="YC-MZJ"))
clock((2026, 9, 24))
letter = services.refuse_routing(letter, by=staff["mzj"], reason="施工噪音执法不属于本局职责。")
clock((2026, 9, 28))
letter = services.route(letter, by=staff["office"], to_body=Organisation.objects.get(code="YC-SCJG"),
                        reason="民政局退回，改由市场监管局牵头办理。")
clock((2026, 10, 12))
letter = services.draft_reply(letter, by=staff["clerk"], text="李四光同志：工地已停止22时后施工。")
letter = services.review_reply(letter, by=staff["reviewer"], approve=True)
letter = services.sign_off(letter, by=staff["approver"])
letter = services.reply(letter, by=staff["clerk"])
services.publish_reply(letter, by=staff["clerk"])
out(seen)
"""

FOLLOW = """
from egov.interaction import online
from egov.interaction.models import OnlineLetter, PublicReply
row = OnlineLetter.objects.get(number=NUMBER)
reply = PublicReply.objects.get(number=NUMBER)
public = " ".join([reply.subject, reply.question, reply.answer, reply.body_name])
seen = {"status": row.status, "reply": row.reply_text, "body": row.handling_body_name,
        "steps": [step["action"] for step in row.steps],
        "personal": [v for v in ("李四光", "13912345678", "红旗路88号", "lisiguang") if v in public]}
clock((2026, 10, 13))
online.rate(row, "satisfied", "")
out(seen)
"""

CLOSED_INSIDE = """
from egov.interaction.models import Letter
letter = Letter.objects.get(number=NUMBER)
out({"status": letter.status, "rating": letter.rating, "closed": letter.closed_on.isoformat()})
"""

CLOSED_OUTSIDE = """
from egov.interaction.models import OnlineLetter
row = OnlineLetter.objects.get(number=NUMBER)
out({"status": row.status, "rating": row.rating})
"""


def test_write_outside_handle_inside_follow_and_rate_outside(tmp_path):
    external, internal, cleanup = make_zones(tmp_path)

    def zone_run(zone, script, **values):
        return run(zone, CLOCK + script, **values)

    try:
        assert zone_run(internal, SETUP) == zone_run(external, SETUP)
        zone_run(internal, STAFF)
        written = zone_run(external, WRITE)
        number = written["number"]
        assert number == "YCXX-2026-00001"
        cross(external, internal)
        seen = zone_run(internal, HANDLE, NUMBER=number)
        assert seen == {
            "received": "2026-09-16",
            "files": 1,
            "acceptance_due": "2026-10-08",  # 1 October is National Day
            "handling_due": "2026-11-23",  # 21 November is a Saturday
        }
        cross(internal, external)
        followed = zone_run(external, FOLLOW, NUMBER=number)
        assert followed == {
            "status": "replied",
            "reply": "李四光同志：工地已停止22时后施工。",
            "body": "区市场监管局",
            "steps": ["registered", "accepted", "routed", "rerouted", "replied"],
            "personal": [],
        }
        cross(external, internal)
        assert zone_run(internal, CLOSED_INSIDE, NUMBER=number) == {
            "status": "closed",
            "rating": "satisfied",
            "closed": "2026-10-13",
        }
        cross(internal, external)
        assert zone_run(external, CLOSED_OUTSIDE, NUMBER=number) == {
            "status": "closed",
            "rating": "satisfied",
        }
        assert internal.report()["quarantine"] == {}
        assert external.report()["quarantine"] == {}
    finally:
        cleanup()
