"""Fixtures of the disclosure tests: the Yongchuan bodies, staff of 区市场监管局 by role
(``clerk`` handles requests, ``head`` also approves extensions), a clerk of 区民政局
(``other``), and ``new_request(**changes)`` — a request by letter received by the clerk."""

from __future__ import annotations

import datetime

import pytest

from egov.disclosure import services
from tests.services.conftest import bodies, exchange_here, make_staff  # noqa: F401 - fixtures

ID_NUMBER = "11010519491231002X"
RECEIVED = datetime.date(2026, 9, 24)  # a Thursday; the 25th is 中秋节, 1–7 October 国庆节


@pytest.fixture
def staff(make_staff, bodies):  # noqa: F811
    scjg, mzj = bodies["YC-SCJG"], bodies["YC-MZJ"]
    return {
        "clerk": make_staff("clerk", scjg, "window_clerk"),
        "head": make_staff("head", scjg, "office_head"),
        "other": make_staff("other", mzj, "window_clerk"),
        "supervisor": make_staff("supervisor", bodies["YC"], "supervisor"),
    }


@pytest.fixture
def new_request(staff, bodies):  # noqa: F811
    def make(**changes):
        values = {
            "body": bodies["YC-SCJG"],
            "applicant_type": "person",
            "applicant_name": "张三丰",
            "applicant_id_number": ID_NUMBER,
            "phone": "13800000000",
            "address": "重庆市永川区人民大道1号",
            "description": "2025年度食品安全抽检结果及不合格产品处置情况",
            "form": "paper",
            "channel": "post",
            "received_on": RECEIVED,
            "by": staff["clerk"],
        }
        values.update(changes)
        return services.receive(**values)

    return make
