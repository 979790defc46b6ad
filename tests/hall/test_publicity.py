"""双公示: a licensing decision is made public when its case closes — a person's name masked
and no ID number, an enterprise named with its credit code; other kinds of items are not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egov.cases import services as cases
from egov.exchange.transports import loopback
from egov.hall.models import PublicDecision
from egov.services.seed import demo_uscc
from tests.hall.conftest import ID_NUMBER, publish_and_deliver
from tests.services.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def run(version, staff, *, name, number, outcome="grant"):
    materials = {m.name: m for m in version.materials.all()}
    case = cases.open_case(
        version,
        applicant_name=name,
        applicant_id_number=number,
        materials=[
            (materials["申请书"], ("申请书.pdf", pdf_bytes("x"))),
            (materials["营业执照"], ("营业执照.png", png_bytes())),
        ],
    )
    cases.accept(case, by=staff["window_clerk"])
    cases.review(case, by=staff["reviewer"])
    reason = "" if outcome == "grant" else "申请材料不符合法定条件，不予许可。"
    cases.decide(case, by=staff["approver"], outcome=outcome, reason=reason)
    cases.close(case, by=staff["window_clerk"])
    loopback.deliver()
    return case


@pytest.fixture
def staff(make_staff, bodies):
    return {
        role: make_staff(role, bodies["YC-SCJG"], role)
        for role in ("window_clerk", "reviewer", "approver")
    }


def test_licensing_decisions_are_public_with_personal_data_masked(client, item, staff, bodies):
    version = item.versions.get(status="published")
    person = run(version, staff, name="张三丰", number=ID_NUMBER)
    uscc = demo_uscc(bodies["YC-SCJG"])
    enterprise = run(version, staff, name="重庆永川某某餐饮有限公司", number=uscc, outcome="refuse")

    first = PublicDecision.objects.get(reference=person.query_code)
    assert first.holder_kind == "natural" and first.holder_name != "张三丰"
    assert first.holder_name.startswith("张") and first.holder_code == ""
    assert first.decision == "grant" and len(first.licences) == 1
    second = PublicDecision.objects.get(reference=enterprise.query_code)
    assert (second.holder_name, second.holder_code, second.decision) == (
        "重庆永川某某餐饮有限公司",
        uscc,
        "refuse",
    )

    page = client.get(reverse("hall:publicity")).content.decode()
    assert person.query_code in page and enterprise.query_code in page
    assert "张三丰" not in page and ID_NUMBER not in page
    found = client.get(reverse("hall:publicity"), {"q": "餐饮"}).content.decode()
    assert enterprise.query_code in found and person.query_code not in found
    assert client.get(reverse("hall:publicity"), {"q": "x" * 101}).status_code == 400


def test_other_kinds_of_items_are_not_published(make_item, staff):
    version = make_item("YC-SCJG", name="公共服务事项").versions.get()
    version.item_type = "public_service"
    version.save()
    version = publish_and_deliver(version)
    run(version, staff, name="张三丰", number=ID_NUMBER)
    assert not PublicDecision.objects.exists()
