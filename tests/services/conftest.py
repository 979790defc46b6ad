"""Fixtures of the service-item tests.

- ``exchange_here`` (autouse) — a combined-zone exchange on loopback whose keys, trust store,
  attachment store, archive and spool live under ``tmp_path``;
- ``bodies`` — the Yongchuan directory (the shipped CSV), by code;
- ``make_staff(username, body, role)`` — a staff member with a membership;
- ``make_item(body, **changes)`` — an item whose first draft is complete (materials with a
  blank form and a sample, a fee, the five steps, a result granting an e-licence, a FAQ, an
  online form), ready to publish;
- ``pdf_bytes()``, ``png_bytes()`` — small real files.
"""

from __future__ import annotations

import itertools
import struct
import zlib

import pytest
from django.core.files.base import ContentFile

from egov.accounts.models import User
from egov.directory.models import Membership, Organisation, Role
from egov.directory.services import import_organisations, read_organisations_csv
from egov.exchange import keys
from egov.services import services
from egov.services.models import FAQ, Fee, Material, ProcessStep, Result
from egov.services.seed import demo_pdf

_numbers = itertools.count(1)

FORM = {
    "version": 1,
    "fields": [
        {
            "name": "applicant_name",
            "type": "text",
            "label": {"zh-hans": "申请人姓名", "en": "Applicant's name"},
            "required": True,
            "prefill": "real_name",
            "validation": {"max_length": 50},
        },
        {
            "name": "applicant_id_number",
            "type": "id-number",
            "label": {"zh-hans": "公民身份号码"},
            "required": True,
            "prefill": "id_number",
        },
        {"name": "has_shop", "type": "boolean", "label": {"zh-hans": "是否有门店"}},
        {
            "name": "shop_area",
            "type": "number",
            "label": {"zh-hans": "门店面积"},
            "required": True,
            "validation": {"min": 1, "max": 1000, "decimal_places": 2},
            "shown_if": {"field": "has_shop", "equals": True},
        },
    ],
}


def pdf_bytes(text: str = "form") -> bytes:
    return demo_pdf(text)


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def exchange_here(tmp_path, settings):
    settings.EGOV_ZONE = "combined"
    settings.EGOV_EXCHANGE = {
        **settings.EGOV_EXCHANGE,
        "SIGNING_KEY": str(tmp_path / "keys" / "signing.key"),
        "TRUSTED_KEYS_DIR": str(tmp_path / "trusted"),
        "TRANSPORT": "loopback",
        "SPOOL_DIR": str(tmp_path / "spool"),
        "ATTACHMENT_DIR": str(tmp_path / "blobs"),
        "ARCHIVE_DIR": str(tmp_path / "archive"),
    }
    yield settings.EGOV_EXCHANGE
    keys.reset()


@pytest.fixture
def bodies(db):
    import_organisations(read_organisations_csv(), update_existing=False)
    return {org.code: org for org in Organisation.objects.all()}


@pytest.fixture
def make_staff(db):
    def make(username: str, body: Organisation | None = None, role: str = "window_clerk"):
        user = User.objects.create_user(
            username=username, kind=User.Kind.STAFF, is_staff=True, password="Staff-test-2026"
        )
        if body is not None:
            Membership.objects.create(
                user=user, organisation=body, role=Role.objects.get(code=role)
            )
        return User.objects.get(pk=user.pk)  # fresh: no cached permissions

    return make


def complete_draft(version, *, name: str = "测试事项") -> None:
    """Fill a draft so that it can be published."""
    version.name = name
    version.item_type = "licensing"
    version.audience = "both"
    version.legal_basis = "《中华人民共和国行政许可法》第二十九条。"
    version.conditions = "申请人符合法定条件。"
    version.statutory_limit = 20
    version.statutory_unit = "working"
    version.handling_kind = "promised"
    version.promised_limit = 5
    version.promised_unit = "working"
    version.fee_charged = True
    version.place = "永川区政务服务中心（测试）"
    version.hours = "工作日 9:00-17:00"
    version.phone = "023-49800000"
    version.complaint_channel = "12345"
    version.visits_needed = 0
    version.online_depth = 4
    version.life_events = ["employment"]
    version.enterprise_stages = ["start", "permits"]
    version.online_form = FORM
    version.save()
    material = Material(
        version=version,
        order=1,
        name="申请书",
        form="electronic",
        accepted_types=["application/pdf"],
        max_upload_mb=5,
    )
    material.blank_form.save("申请书.pdf", ContentFile(pdf_bytes("blank")), save=False)
    material.sample.save("申请书示例.png", ContentFile(png_bytes()), save=False)
    material.save()
    Material.objects.create(
        version=version,
        order=2,
        name="营业执照",
        form="copy",
        source="government",
        licence_type="business_licence",
    )
    Fee.objects.create(version=version, name="工本费", amount="20.00", legal_basis="测试依据")
    for order, (step, limit) in enumerate(
        [("accept", 1), ("review", 2), ("decide", 1), ("close", 0), ("deliver", 0)], start=1
    ):
        ProcessStep.objects.create(version=version, order=order, step=step, limit=limit)
    result = Result(
        version=version,
        name="测试许可证",
        kind="licence",
        grants_licence=True,
        licence_type="food_business_licence",
    )
    result.sample.save("样本.pdf", ContentFile(pdf_bytes("sample")), save=False)
    result.save()
    FAQ.objects.create(version=version, question="要多久？", answer="5个工作日。")


@pytest.fixture
def make_item(bodies):
    def make(body: Organisation | str = "YC-SCJG", *, name: str = "测试事项", by=None):
        if isinstance(body, str):
            body = bodies[body]
        number = next(_numbers)
        basic = f"0106{number:08d}"
        item = services.create_item(
            body=body,
            basic_code=basic,
            implementation_code=f"11500118TEST{number:06d}{basic}",
            name=name,
            by=by,
        )
        complete_draft(item.versions.get(), name=name)
        return item

    return make
