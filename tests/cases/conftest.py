"""Fixtures of the case tests (the service-item fixtures are reused from tests/services):

- ``promised_version`` — a published 承诺件 of 区市场监管局: 5 working days, two materials
  (申请书: PDF only; 营业执照: PDF, JPEG or PNG), the five steps;
- ``immediate_version`` — a published 即办件 of the same body (accept and close only);
- ``staff`` — one member per role of 区市场监管局 (``clerk``, ``reviewer``, ``approver``,
  ``head``), one window clerk of 区民政局 (``other``) and a ``supervisor``;
- ``new_case(version)`` — a case opened online with both materials.
"""

from __future__ import annotations

import pytest

from egov.cases import services as cases
from egov.services import services as catalogue
from egov.services.models import ProcessStep
from tests.services.conftest import (  # noqa: F401 - fixtures
    bodies,
    exchange_here,
    make_item,
    make_staff,
    pdf_bytes,
    png_bytes,
)

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def promised_version(make_item):  # noqa: F811
    item = make_item("YC-SCJG", name="食品经营许可")
    return catalogue.publish_version(item.versions.get(), None)


@pytest.fixture
def immediate_version(make_item):  # noqa: F811
    item = make_item("YC-SCJG", name="个体工商户名称变更")
    version = item.versions.get()
    version.handling_kind = "immediate"
    version.promised_limit = 0
    version.fee_charged = False
    version.save()
    version.fees.all().delete()
    ProcessStep.objects.filter(version=version).exclude(step__in=["accept", "close"]).delete()
    ProcessStep.objects.filter(version=version).update(limit=0)
    problems = catalogue.version_problems(version)
    assert not problems, problems
    return catalogue.publish_version(version, None)


@pytest.fixture
def staff(make_staff, bodies):  # noqa: F811
    scjg, mzj = bodies["YC-SCJG"], bodies["YC-MZJ"]
    return {
        "clerk": make_staff("clerk", scjg, "window_clerk"),
        "reviewer": make_staff("reviewer", scjg, "reviewer"),
        "approver": make_staff("approver", scjg, "approver"),
        "head": make_staff("head", scjg, "office_head"),
        "other": make_staff("other", mzj, "window_clerk"),
        "supervisor": make_staff("supervisor", bodies["YC"], "supervisor"),
    }


@pytest.fixture
def new_case():
    def make(version, **changes):
        materials = {m.name: m for m in version.materials.all()}
        values = {
            "applicant_name": "张三丰",
            "applicant_id_number": ID_NUMBER,
            "answers": {"applicant_name": "张三丰", "applicant_id_number": ID_NUMBER},
            "materials": [
                (materials["申请书"], ("申请书.pdf", pdf_bytes("application"))),
                (materials["营业执照"], ("营业执照.png", png_bytes())),
            ],
            "channel": "online",
        }
        values.update(changes)
        return cases.open_case(version, **values)

    return make
