"""Fixtures of the official-document tests: three bodies (the district government, which
issues; two departments that receive), staff by body and role, clearances, and
``outgoing(**changes)`` — a 通知 drafted by the government's clerk, up to a status."""

from __future__ import annotations

import pytest

from egov.accounts.models import User
from egov.directory.models import Membership, Organisation, Role
from egov.oa import services_documents as docs
from egov.oa.models import BodyDocumentSettings, Clearance, DocumentType

TEXT = (
    "为切实做好全区冬季安全生产工作，有效防范和遏制各类生产安全事故发生，保障人民群众生命财产"
    "安全，经区政府同意，现将有关事项通知如下。"
)


def make_body(code: str, name: str, parent=None) -> Organisation:
    return Organisation.objects.create(
        code=code, name_zh=name, kind=Organisation.Kind.DEPARTMENT, parent=parent
    )


@pytest.fixture
def oa_bodies(db):
    district = make_body("T-ZF", "重庆市永川区人民政府")
    district.kind = Organisation.Kind.GOVERNMENT
    district.save()
    BodyDocumentSettings.objects.create(
        body=district, mark="重庆市永川区人民政府文件", prefix="永川府发", review_rounds=2
    )
    return {
        "zf": district,
        "edu": make_body("T-JW", "重庆市永川区教育委员会"),
        "health": make_body("T-WJ", "重庆市永川区卫生健康委员会"),
    }


@pytest.fixture
def make_user(db):
    def make(username: str, body=None, role: str = "window_clerk", clearance: int = 0):
        user = User.objects.create_user(
            username=username, kind=User.Kind.STAFF, is_staff=True, password="Staff-test-2026"
        )
        if body is not None:
            Membership.objects.create(
                user=user, organisation=body, role=Role.objects.get(code=role)
            )
        if clearance:
            Clearance.objects.create(user=user, level=clearance)
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def people(oa_bodies, make_user):
    zf, edu, health = oa_bodies["zf"], oa_bodies["edu"], oa_bodies["health"]
    return {
        "drafter": make_user("drafter", zf, "window_clerk", 3),
        "reviewer": make_user("reviewer", zf, "reviewer", 3),
        "reviewer2": make_user("reviewer2", zf, "office_head", 3),
        "signer": make_user("signer", zf, "approver", 3),
        "clerk": make_user("zfclerk", zf, "window_clerk", 3),
        "edu_clerk": make_user("edu_clerk", edu, "window_clerk", 3),
        "edu_reviewer": make_user("edu_reviewer", edu, "reviewer", 3),
        "edu_head": make_user("edu_head", edu, "office_head", 3),
        "edu_uncleared": make_user("edu_uncleared", edu, "office_head"),
        "health_clerk": make_user("health_clerk", health, "window_clerk", 3),
    }


ORDER = ["draft", "reviewing", "to_sign", "signed", "checked", "registered", "printed", "sent"]


@pytest.fixture
def outgoing(oa_bodies, people):
    """``outgoing(until="sent", **fields)``: a 通知 of the district government to the
    education commission (copied to the health commission), taken up to ``until``."""

    def make(until: str = "draft", **fields):
        values = {
            "doc_type": DocumentType.NOTICE,
            "title": "重庆市永川区人民政府关于做好冬季安全生产工作的通知",
            "text": TEXT,
            **fields,
        }
        document = docs.draft(
            by=people["drafter"],
            body=oa_bodies["zf"],
            main_to=[oa_bodies["edu"]],
            copy_to=[oa_bodies["health"]],
            **values,
        )
        steps = ORDER[: ORDER.index(until) + 1]
        if "reviewing" in steps:
            document = docs.submit(document, by=people["drafter"])
        if "to_sign" in steps:
            document = docs.review(document, by=people["reviewer"], approve=True, note="同意")
            document = docs.review(document, by=people["reviewer2"], approve=True)
        if "signed" in steps:
            document = docs.sign(document, by=people["signer"], note="同意印发")
        if "checked" in steps:
            document = docs.check(document, by=people["clerk"])
        if "registered" in steps:
            document = docs.register(document, by=people["clerk"])
        if "printed" in steps:
            document = docs.print_document(document, by=people["clerk"], pages=1)
        if "sent" in steps:
            docs.dispatch(document, by=people["clerk"])
            document.refresh_from_db()
        return document

    return make
