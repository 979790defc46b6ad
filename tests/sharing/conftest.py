"""Fixtures of the sharing tests: the Yongchuan bodies; office heads of 区大数据发展局
(``dsj``: provides the base registries), 区市场监管局 (``scjg``: provides a conditional
resource) and 区民政局 (``mzj``: asks); a window clerk of 区民政局 (``clerk``: browses only);
``catalogue`` — the base registries, a conditional resource with a personal field, an
unconditional open one with rows, one not shared; ``consumer(body)`` — a consuming
system of a body with a bearer token (``consumer.token``)."""

from __future__ import annotations

import datetime
import secrets

import pytest
from django.core.cache import cache
from django.utils import timezone

from egov.accounts import services as accounts
from egov.sharing import registries, services
from egov.sharing.models import Resource, ResourceRow
from tests.services.conftest import bodies, make_staff  # noqa: F401 - fixtures

TEST_FIELDS = [
    {"name": "name", "label": "企业名称", "field_type": "text", "meaning": "", "personal": False},
    {"name": "uscc", "label": "统一社会信用代码", "field_type": "text", "personal": False},
    {"name": "owner", "label": "负责人", "personal": True, "mask_kind": "name"},
    {"name": "phone", "label": "联系电话", "personal": True, "mask_kind": "mobile"},
]


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(make_staff, bodies):  # noqa: F811
    return {
        "dsj": make_staff("dsj-head", bodies["YC-DSJ"], "office_head"),
        "scjg": make_staff("scjg-head", bodies["YC-SCJG"], "office_head"),
        "mzj": make_staff("mzj-head", bodies["YC-MZJ"], "office_head"),
        "clerk": make_staff("mzj-clerk", bodies["YC-MZJ"], "window_clerk"),
        "nobody": make_staff("no-membership"),
    }


def make_resource(by, body, code, name, sharing_type, fields=TEST_FIELDS, **extra):
    resource = Resource(
        code=code,
        name=name,
        provider=body,
        sharing_type=sharing_type,
        update_frequency=extra.pop("update_frequency", "monthly"),
        data_format=extra.pop("data_format", "table"),
        **extra,
    )
    return services.save_resource(resource, by=by, fields=[dict(f) for f in fields])


@pytest.fixture
def catalogue(staff, bodies):  # noqa: F811
    registries.install_base_registries(bodies["YC-DSJ"])
    conditional = make_resource(
        staff["scjg"], bodies["YC-SCJG"], "SCJG-FOOD", "食品经营许可企业名录", "conditional",
        description="全区食品经营许可企业，含负责人联系方式。",
    )  # fmt: skip
    for i in range(3):
        ResourceRow.objects.create(
            resource=conditional,
            data={
                "name": f"永川餐饮{i}号店",
                "uscc": f"91500118MA5U{i:06d}",
                "owner": "王小明",
                "phone": f"1380013800{i}",
            },
        )
    unconditional = make_resource(
        staff["scjg"], bodies["YC-SCJG"], "SCJG-MARKETS", "农贸市场名录", "unconditional",
        fields=[
            {"name": "market", "label": "市场名称", "personal": False},
            {"name": "address", "label": "地址", "personal": False},
            {"name": "manager", "label": "管理人", "personal": True, "mask_kind": "name"},
        ],
        open_to_public=True,
    )  # fmt: skip
    for i in range(2):
        ResourceRow.objects.create(
            resource=unconditional,
            data={"market": f"永川第{i}农贸市场", "address": f"人民大道{i}号", "manager": "赵六"},
        )
    closed = make_resource(
        staff["scjg"], bodies["YC-SCJG"], "SCJG-CASES", "稽查案件线索", "none",
        refusal_basis="涉及执法秘密", fields=TEST_FIELDS[:2],
    )  # fmt: skip
    return {
        "conditional": conditional,
        "unconditional": unconditional,
        "closed": closed,
        "people": Resource.objects.get(code=registries.PEOPLE),
    }


@pytest.fixture
def consumer(db):
    from oauth2_provider.models import AccessToken

    def make(body, name="民政业务系统", expires_in=3600):
        system, _client_id, _secret = services.register_consumer(body=body, name=name)
        token = secrets.token_urlsafe(24)
        AccessToken.objects.create(
            token=token,
            application=system.application,
            expires=timezone.now() + datetime.timedelta(seconds=expires_in),
            scope="read",
        )
        system.token = token
        return system

    return make


@pytest.fixture
def people(db):
    for i, (name, number) in enumerate(
        [("张三丰", "11010519491231002X"), ("李四光", "110105194912310021")]
    ):
        user = accounts.register_citizen(mobile=f"1391234567{i}", password="Citizen-test-2026")
        accounts.set_citizen_identity(user, real_name=name, id_number=number)
