"""The citizen's whole path in split mode: an external and an internal egov as separate
processes with their own databases, and only the gap directory between them (the two-zone
harness of tests/exchange). Every step runs in its zone (``manage.py shell``); every message
crosses by ``exchange_ferry export`` on one side and ``import`` on the other.

Inside: the catalogue is published; outside: a citizen applies for a 承诺件 with two
materials; inside: accepted on 30 September, correction requested; outside: the citizen
answers on 12 October; inside: reviewed, granted, closed — the e-licence is issued; outside:
the citizen sees the result, the licence verifies, and a second application takes it from
the wallet; inside: that case holds the licence. Due dates in working days across National
Day, as in the combined test (tests/hall/test_apply.py).
"""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.exchange.zone_harness import make_zones

pytestmark = pytest.mark.slow

PRELUDE = """
import json
from datetime import date
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.services.conftest import pdf_bytes, png_bytes
ID_NUMBER = "11010519491231002X"
def out(value):
    print("RESULT " + json.dumps(value, default=str))
"""

INTERNAL_SETUP = """
from egov.accounts.models import User
from egov.directory.models import Membership, Organisation, Role
from egov.directory.services import import_organisations, read_organisations_csv
from egov.services import services
from tests.services.conftest import complete_draft
import_organisations(read_organisations_csv(), update_existing=False)
body = Organisation.objects.get(code="YC-SCJG")
for role in ("window_clerk", "reviewer", "approver"):
    user = User.objects.create_user(username=role, kind="staff", is_staff=True)
    Membership.objects.create(user=user, organisation=body, role=Role.objects.get(code=role))
codes = []
for number, name in enumerate(["食品经营许可", "食品经营许可（延续）"], start=1):
    item = services.create_item(
        body=body, basic_code=f"0106{number:08d}",
        implementation_code=f"11500118TEST{number:06d}0106{number:08d}", name=name, by=None)
    version = item.versions.get()
    complete_draft(version, name=name)
    if number == 2:  # the second item takes the first one's licence as a material
        version.materials.filter(name="营业执照").update(licence_type="food_business_licence")
    services.publish_version(version, None)
    codes.append(item.implementation_code)
out(codes)
"""

APPLY = """
from egov.accounts import services as accounts
from egov.accounts.models import User
from egov.hall import applications
from egov.services.models import PublishedServiceItem
user = User.objects.filter(mobile="13800138000").first()
if user is None:
    user = accounts.register_citizen(mobile="13800138000", password="Citizen-test-2026")
    accounts.set_citizen_identity(user, real_name="张三丰", id_number=ID_NUMBER)
item = PublishedServiceItem.objects.get(implementation_code=CODE)
identity = applications.identity_for(user, item)
draft, _ = applications.draft_for(user, item, identity)
wallet = applications.wallet_by_type(user, identity)
uploads = {"申请书": SimpleUploadedFile("申请书.pdf", pdf_bytes("application"))}
licences = {}
if wallet:
    licences = {"营业执照": wallet["food_business_licence"][0].number}
else:
    uploads["营业执照"] = SimpleUploadedFile("营业执照.png", png_bytes())
refused = applications.save_draft(
    draft, answers={**draft.answers, "has_shop": True, "shop_area": "35.5"},
    revision=draft.revision, uploads=uploads, licences=licences, wallet=wallet)
assert not refused, refused
application, created = applications.submit(draft, token=draft.token, identity=identity)
again, created_again = applications.submit(draft, token=draft.token, identity=identity)
out({"code": application.query_code, "created": created, "again": created_again})
"""

INTERNAL_ACCEPT = """
from egov.accounts.models import User
from egov.cases import services as cases
from egov.cases.models import Case
case = Case.objects.get(query_code=CODE)
clerk = User.objects.get(username="window_clerk")
cases.accept(case, by=clerk, on=date(2026, 9, 30))
cases.request_correction(case, by=clerk, items=["申请书缺少签名"],
                         deadline=date(2026, 10, 20), on=date(2026, 10, 9))
case.refresh_from_db()
out({"status": case.status, "materials": [m.name for m in case.materials.all()],
     "name": case.applicant_name, "id": case.applicant_id_number})
"""

ANSWER = """
from egov.hall import applications
from egov.hall.models import Application, Progress
applications.today = lambda: date(2026, 10, 12)
application = Application.objects.get(query_code=CODE)
progress = Progress.objects.get(query_code=CODE)
before = {"status": progress.status, "due": progress.due_date.isoformat(),
          "correction": progress.correction}
refused = applications.answer_correction(application, progress, note="已补签名", uploads={
    "申请书": SimpleUploadedFile("申请书-补正.pdf", pdf_bytes("signed"))})
assert not refused, refused
out(before)
"""

INTERNAL_DECIDE = """
from egov.accounts.models import User
from egov.cases import services as cases
from egov.cases.models import Case
from egov.licences.models import Licence
case = Case.objects.get(query_code=CODE)
answered = {"status": case.status, "due": case.timer.due_date.isoformat()}
cases.review(case, by=User.objects.get(username="reviewer"))
cases.decide(case, by=User.objects.get(username="approver"), outcome="grant")
cases.close(case, by=User.objects.get(username="window_clerk"))
licence = Licence.objects.get(case=case)
out({**answered, "licence": licence.number})
"""

RESULT = """
from egov.hall.models import Progress
from egov.licences.issue import signature_valid
from egov.licences.models import WalletLicence
progress = Progress.objects.get(query_code=CODE)
held = WalletLicence.objects.get(query_code=CODE)
out({"status": progress.status, "decision": progress.decision,
     "due": progress.due_date.isoformat(), "licence": held.number,
     "signature": signature_valid(held),
     "personal": any("张三丰" in str(step) or ID_NUMBER in str(step) for step in progress.steps)})
"""

SECOND_CASE = """
from egov.cases.models import Case
case = Case.objects.get(query_code=CODE)
out([(m.name, m.licence.number if m.licence else None) for m in case.materials.all()])
"""


def run(zone, script: str, **values):
    """Run ``script`` in ``zone`` (manage.py shell); return what it passed to ``out``."""
    assignments = "".join(f"{name} = {json.dumps(value)}\n" for name, value in values.items())
    code = textwrap.dedent(PRELUDE) + assignments + textwrap.dedent(script)
    result = zone.manage("shell", "--no-imports", "-c", code)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1].removeprefix("RESULT "))


def cross(sender, receiver):
    """Carry what ``sender`` published to ``receiver``, and the acknowledgements back."""
    sender.ferry("export")
    receiver.ferry("import")
    sender.ferry("import")


def test_apply_outside_process_inside_publish_outside(tmp_path):
    external, internal, cleanup = make_zones(tmp_path)
    try:
        first, second = run(internal, INTERNAL_SETUP)
        cross(internal, external)

        submitted = run(external, APPLY, CODE=first)
        assert submitted["created"] is True and submitted["again"] is False  # idempotent
        code = submitted["code"]
        cross(external, internal)

        accepted = run(internal, INTERNAL_ACCEPT, CODE=code)
        assert accepted == {
            "status": "correction",
            "materials": ["申请书", "营业执照"],
            "name": "张三丰",
            "id": "11010519491231002X",
        }
        cross(internal, external)

        seen = run(external, ANSWER, CODE=code)
        # 5 working days after 30 September: 8, 9, 10 (make-up Saturday), 12, 13 October.
        assert seen["status"] == "correction" and seen["due"] == "2026-10-13"
        assert seen["correction"] == {"items": ["申请书缺少签名"], "deadline": "2026-10-20"}
        cross(external, internal)

        decided = run(internal, INTERNAL_DECIDE, CODE=code)
        # Resumed on 12 October with 3 days owed: 13, 14, 15 October.
        assert decided["status"] == "accepted" and decided["due"] == "2026-10-15"
        cross(internal, external)

        result = run(external, RESULT, CODE=code)
        assert result == {
            "status": "closed",
            "decision": "grant",
            "due": "2026-10-15",
            "licence": decided["licence"],
            "signature": True,
            "personal": False,
        }

        again = run(external, APPLY, CODE=second)
        cross(external, internal)
        materials = run(internal, SECOND_CASE, CODE=again["code"])
        assert materials == [["申请书", None], ["营业执照", decided["licence"]]]
        assert internal.report()["quarantine"] == {}
        assert external.report()["quarantine"] == {}
    finally:
        cleanup()
