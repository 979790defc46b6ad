"""Issuing e-licences (internal zone) and checking them (both zones).

When a granted case closes (办结), every result of its version that grants a licence
(``Result.grants_licence``) becomes a ``Licence``: a number from the year's counter, the
holder (the applicant as the case has them), a PDF with a QR code pointing to the public
verification page, and an Ed25519 signature of the platform (the zone's exchange key, the
one the other zone already trusts) over the canonical JSON of the licence's record, which
includes the PDF's SHA-256. The licence goes outside as ``licences.issued`` (the PDF as its
attachment) in the same transaction.
"""

from __future__ import annotations

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from egov import exchange
from egov.core.validators import validate_id_number
from egov.exchange import keys
from egov.exchange.canonical import canonical_bytes

from .messages import ISSUED, key
from .models import Licence, LicenceCounter, LicenceFields

PDF_FONT = "STSong-Light"  # one of the Adobe CJK fonts every PDF reader has; not embedded


def holder_kind(id_number: str) -> str:
    try:
        validate_id_number(id_number)
    except ValidationError:
        return "legal"
    return "natural"


def next_number(year: int) -> str:
    LicenceCounter.objects.get_or_create(year=year)
    counter = LicenceCounter.objects.select_for_update().get(year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return f"YCZZ-{year}-{counter.last_sequence:06d}"


def verification_path(licence: LicenceFields) -> str:
    """The page's path in the external zone (``licences:verify``; written out, because the
    internal zone, which issues, does not serve it)."""
    return f"/licences/verify/{licence.number}/{licence.verification_code}/"


def verification_url(licence: LicenceFields) -> str:
    return settings.EGOV_PUBLIC_URL.rstrip("/") + verification_path(licence)


def render_pdf(licence: LicenceFields) -> bytes:
    """The licence as a one-page A4 PDF: its data and the QR code of its verification page."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setTitle(f"{licence.name} {licence.number}")
    page.setAuthor(licence.issuing_body_name)
    width, height = A4
    page.setFont(PDF_FONT, 26)
    page.drawCentredString(width / 2, height - 120, licence.name)
    page.setFont(PDF_FONT, 13)
    lines = [
        f"证照编号：{licence.number}",
        f"持证主体：{licence.holder_name}",
        f"证件号码：{licence.holder_id_number}",
        f"发证机关：{licence.issuing_body_name}",
        f"发证日期：{licence.issued_on.isoformat()}",
        f"有效期至：{licence.valid_until.isoformat() if licence.valid_until else '长期'}",
        f"事项：{licence.item_name}",
        f"办件查询码：{licence.query_code}",
    ]
    y = height - 200
    for line in lines:
        page.drawString(90, y, line)
        y -= 28
    url = verification_url(licence)
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    size = 150
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, page, width - 90 - size, 120)
    page.setFont(PDF_FONT, 10)
    page.drawString(90, 150, "扫描二维码核验本电子证照的真实性与有效性。")
    page.drawString(90, 132, url[:90])
    page.showPage()
    page.save()
    return buffer.getvalue()


def sign(licence: LicenceFields) -> None:
    signer = keys.signer()
    licence.key_id = signer.key_id
    licence.signature = signer.sign(canonical_bytes(licence.signed_record())).hex()


def signature_valid(licence: LicenceFields) -> bool:
    """Whether the signature matches the record, by a key of the issuing (internal) zone."""
    try:
        keys.verifier(exchange.INTERNAL).verify(
            licence.key_id,
            canonical_bytes(licence.signed_record()),
            bytes.fromhex(licence.signature),
        )
    except Exception:  # any doubt (unknown key, bad hex, bad signature) is "not valid"
        return False
    return True


def payload(licence: Licence) -> dict:
    return {
        **licence.signed_record(),
        "verification_code": licence.verification_code,
        "status": licence.status,
        "key_id": licence.key_id,
        "signature": licence.signature,
    }


def issue_for_case(case, *, by=None) -> list[Licence]:
    """The licences a granted, closed case gives (call it in the closing transaction)."""
    if case.decision != "grant":
        return []
    issued = []
    today = timezone.localdate()
    for result in case.version.results.filter(grants_licence=True).order_by("pk"):
        if Licence.objects.filter(case=case, licence_type=result.licence_type).exists():
            continue
        licence = Licence(
            number=next_number(today.year),
            licence_type=result.licence_type or "other",
            name=result.name,
            holder_kind=holder_kind(case.applicant_id_number),
            holder_name=case.applicant_name,
            holder_id_number=case.applicant_id_number,
            issuing_body=case.body,
            issuing_body_name=case.body.name_zh,
            issued_on=today,
            query_code=case.query_code,
            item_name=case.version.name,
            case=case,
        )
        data = render_pdf(licence)
        licence.pdf_sha256 = hashlib.sha256(data).hexdigest()
        sign(licence)
        licence.pdf.save(f"{licence.number}.pdf", ContentFile(data), save=False)
        with transaction.atomic():
            licence.save()
            exchange.publish(
                ISSUED,
                payload(licence),
                key=key(licence.number),
                attachments=[(f"{licence.number}.pdf", "application/pdf", data)],
            )
        issued.append(licence)
    return issued
