"""Load the demo catalogue (``manage.py seed_services``): the items of ``seed_data``, each
created as a draft and published through ``services``, so that the same messages reach the
external zone as for an item entered in the back-office.

Idempotent: an item is identified by its body and basic code; one that exists (whatever
was done to it since) is left exactly as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction

from egov.core.validators import USCC_ALPHABET, uscc_check_char
from egov.directory.models import Organisation
from egov.directory.services import import_organisations, read_organisations_csv

from . import services
from .choices import HandlingKind, MaterialForm, Step
from .forms import FORMAT_VERSION
from .models import FAQ, Fee, Material, ProcessStep, Result, ServiceItem
from .seed_data import APPLICANT_FIELDS, ITEMS, ItemSeed

YONGCHUAN_AREA_CODE = "500118"
HOURS = "工作日上午9:00—12:00，下午14:00—18:00（法定节假日除外）"
CENTRE = "永川区政务服务中心（演示地址）"
# Where each body's items are handled (demo addresses and numbers).
WINDOWS = {
    "YC-SCJG": ("二楼市场准入综合窗口", "023-49801001"),
    "YC-RSJ": ("一楼人力社保综合窗口", "023-49801002"),
    "YC-MZJ": ("一楼民政综合窗口", "023-49801003"),
    "YC-JYW": ("三楼教育综合窗口", "023-49801004"),
    "YC-ZJW": ("三楼工程建设项目审批窗口", "023-49801005"),
    "YC-WJW": ("二楼卫生健康综合窗口", "023-49801006"),
    "YC-JTJ": ("三楼交通运输综合窗口", "023-49801007"),
    "YC-GAJ": ("一楼户籍证件窗口", "023-49801008"),
    "YC-YBJ": ("一楼医疗保障综合窗口", "023-49801009"),
}
COMPLAINTS = (
    "12345政务服务便民热线；区政务服务管理办公室监督电话 023-49800000（演示号码）；"
    "也可在本网站“好差评”中评价。"
)


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already there
    missing_bodies: list[str] = field(default_factory=list)


def demo_uscc(body: Organisation) -> str:
    """The body's unified social credit code, or a made-up one for the demo (机关 11 +
    Yongchuan's area code + a code derived from the body's code + the check character)."""
    if body.uscc:
        return body.uscc
    digest = hashlib.sha256(body.code.encode()).digest()
    organisation_code = "".join(USCC_ALPHABET[byte % len(USCC_ALPHABET)] for byte in digest[:9])
    first17 = "11" + YONGCHUAN_AREA_CODE + organisation_code
    return first17 + uscc_check_char(first17)


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF with an ASCII title (the demo's blank forms and samples)."""
    safe = "".join(c for c in title if 32 <= ord(c) < 127 and c not in "()\\")
    content = f"BT /F1 14 Tf 72 770 Td (egov demo: {safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _steps(seed: ItemSeed) -> list[tuple[str, int, str, str]]:
    """(step, limit, unit, description) from the promised limit: accept and decide take a
    day each where the limit allows, review the rest; close and deliver the same day."""
    if seed.promised is None:
        return [
            (Step.ACCEPT, 0, "working", "当场受理。"),
            (Step.REVIEW, 0, "working", seed.review),
            (Step.DECIDE, 0, "working", "当场作出决定。"),
            (Step.CLOSE, 0, "working", "当场办结。"),
            (Step.DELIVER, 0, "working", "当场领取，或者免费邮寄送达。"),
        ]
    days, unit = seed.promised
    accept = 1 if days >= 3 else 0
    decide = 1 if days >= 2 else 0
    review = days - accept - decide
    return [
        (Step.ACCEPT, accept, unit, "审查申请材料是否齐全、是否符合法定形式，决定是否受理。"),
        (Step.REVIEW, review, unit, seed.review),
        (Step.DECIDE, decide, unit, "作出准予或者不予的决定；不予的，说明理由。"),
        (Step.CLOSE, 0, unit, "办结。"),
        (Step.DELIVER, 0, unit, "窗口领取、免费邮寄，或者在本网站下载电子证照。"),
    ]


def _online_form(seed: ItemSeed) -> dict | None:
    if seed.depth < 3:
        return None
    return {
        "version": FORMAT_VERSION,
        "fields": [*APPLICANT_FIELDS[seed.audience], *seed.form_fields],
    }


def _place(body: Organisation) -> tuple[str, str]:
    if body.code in WINDOWS:
        window, phone = WINDOWS[body.code]
        return f"{CENTRE}{window}", f"{phone}（演示号码）"
    return f"{body.name_zh}便民服务中心（演示地址）", "023-49801099（演示号码）"


def _file(field, name: str, title: str) -> None:
    field.save(f"{name}.pdf", ContentFile(demo_pdf(title)), save=False)


def _create(seed: ItemSeed, body: Organisation) -> ServiceItem:
    place, phone = _place(body)
    promised_days, promised_unit = seed.promised or (0, "working")
    statutory_days, statutory_unit = seed.statutory
    item = services.create_item(
        body=body,
        basic_code=seed.basic_code,
        implementation_code=demo_uscc(body) + seed.basic_code,
        name=seed.name,
        name_en=seed.name_en,
        item_type=seed.item_type,
        audience=seed.audience,
        legal_basis=seed.legal_basis,
        conditions=seed.conditions,
        statutory_limit=statutory_days,
        statutory_unit=statutory_unit,
        handling_kind=HandlingKind.IMMEDIATE if seed.promised is None else HandlingKind.PROMISED,
        promised_limit=promised_days,
        promised_unit=promised_unit,
        fee_charged=bool(seed.fees),
        wait_for_payment=seed.wait_for_payment,
        place=place,
        hours=HOURS,
        phone=phone,
        complaint_channel=COMPLAINTS,
        visits_needed=seed.visits,
        online_depth=seed.depth,
        life_events=list(seed.life_events),
        enterprise_stages=list(seed.enterprise_stages),
        online_form=_online_form(seed),
        change_note="演示数据首次发布。",
    )
    draft = item.versions.get()
    for order, material in enumerate(seed.materials, start=1):
        row = Material(
            version=draft,
            order=order,
            name=material.name,
            form=material.form,
            copies=material.copies,
            required=material.required,
            requirement_note=material.requirement_note,
            source=material.source,
            issuing_body=material.issuing_body,
            licence_type=material.licence_type,
            notes=material.notes,
        )
        if material.form == MaterialForm.ELECTRONIC:
            row.accepted_types = ["application/pdf"]
        if material.blank_form:
            _file(row.blank_form, material.name, f"blank form {seed.basic_code}-{order}")
        if material.sample:
            _file(row.sample, f"{material.name}（示例）", f"sample {seed.basic_code}-{order}")
        row.save()
    for order, fee in enumerate(seed.fees, start=1):
        Fee.objects.create(
            version=draft,
            order=order,
            name=fee.name,
            amount=fee.amount,
            rule=fee.rule,
            legal_basis=fee.legal_basis,
        )
    for order, (step, limit, unit, description) in enumerate(_steps(seed), start=1):
        ProcessStep.objects.create(
            version=draft, order=order, step=step, limit=limit, unit=unit, description=description
        )
    for order, result in enumerate(seed.results, start=1):
        row = Result(
            version=draft,
            order=order,
            name=result.name,
            kind=result.kind,
            grants_licence=bool(result.licence_type),
            licence_type=result.licence_type,
        )
        if result.sample:
            _file(row.sample, f"{result.name}（样本）", f"result sample {seed.basic_code}-{order}")
        row.save()
    for order, (question, answer) in enumerate(seed.faqs, start=1):
        FAQ.objects.create(version=draft, order=order, question=question, answer=answer)
    services.publish_version(draft, None)
    return item


def seed_services() -> SeedReport:
    """Create and publish the demo items that are missing (one transaction per item)."""
    report = SeedReport()
    if not Organisation.objects.filter(code__in={seed.body for seed in ITEMS}).exists():
        import_organisations(read_organisations_csv(), update_existing=False)
    bodies = {
        org.code: org for org in Organisation.objects.filter(code__in={s.body for s in ITEMS})
    }
    existing = set(ServiceItem.objects.values_list("body__code", "basic_code"))
    for seed in ITEMS:
        body = bodies.get(seed.body)
        if body is None:
            report.missing_bodies.append(seed.body)
            continue
        if (seed.body, seed.basic_code) in existing:
            report.skipped.append(seed.name)
            continue
        with transaction.atomic():
            _create(seed, body)
        report.created.append(seed.name)
    return report
