"""The disclosure pages: a citizen files a request online, it crosses to the internal zone
(loopback exchange), staff handle it, and the citizen follows it; bad input is named next to
its field and kept; nobody sees another person's request; staff see only their bodies'."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from egov.core.models import AuditEntry
from egov.disclosure.models import DisclosureRequest, OnlineRequest
from egov.exchange.transports import loopback
from tests.conftest import login_verified
from tests.hall.conftest import citizen
from tests.services.conftest import png_bytes

from .conftest import ID_NUMBER
from .leaks import found_in_docx, found_in_pdf, pdf_extracted

pytestmark = pytest.mark.usefixtures("exchange_here")


def _docx(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


GOOD = {
    "phone": "13800000000",
    "address": "重庆市永川区人民大道1号",
    "postcode": "402160",
    "description": "2025年度食品安全抽检结果",
    "form": "electronic",
    "channel": "online",
}


def _file(client, bodies, **changes):
    data = {**GOOD, "body": bodies["YC-SCJG"].pk, **changes}
    return client.post("/disclosure/apply/", data)


@pytest.fixture
def applicant(client, bodies):
    user = citizen()
    client.force_login(user)
    return user


def test_the_guide_and_form_need_no_javascript_and_the_form_needs_an_account(client, bodies):
    guide = client.get("/disclosure/")
    assert guide.status_code == 200
    assert "20个工作日" in guide.content.decode() or "20 working days" in guide.content.decode()
    response = client.get("/disclosure/apply/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_account_without_real_name_data_is_asked_for_it(client, bodies):
    from egov.accounts import services as accounts

    client.force_login(accounts.register_citizen(mobile="13900000000", password="Citizen-2026x"))
    response = client.get("/disclosure/apply/")
    assert response.status_code == 403
    assert (
        "/accounts/real-name/" in response.content.decode()
        or "real_name" in response.content.decode()
    )


def test_bad_input_is_named_next_to_its_field_and_what_was_typed_is_kept(client, applicant, bodies):
    response = _file(client, bodies, channel="post", address="", description="", postcode="12")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_address_error"' in page and 'id="id_description_error"' in page
    assert 'id="id_postcode_error"' in page
    assert "邮政编码为6位数字" in page or "A postcode is 6 digits." in page
    assert 'value="13800000000"' in page  # kept
    assert OnlineRequest.objects.count() == 0


def test_a_request_filed_online_is_handled_inside_and_followed_outside(
    client, applicant, bodies, staff
):
    response = _file(client, bodies)
    assert response.status_code == 302
    row = OnlineRequest.objects.get()
    year = timezone.localdate().year
    assert row.number == f"YCGK-{year}-00001"
    assert (row.applicant_name, row.applicant_id_number) == ("张三丰", ID_NUMBER)
    assert row.applicant_type == "person"
    page = client.get(response.url).content.decode()
    assert row.number in page

    report = loopback.deliver()
    assert report.quarantined == 0, report
    inside = DisclosureRequest.objects.get(number=row.number)
    assert inside.online and inside.body.code == "YC-SCJG"
    assert inside.received_on == timezone.localdate()
    assert inside.timer.due_date is not None

    loopback.deliver()  # the "received" step comes back outside
    row.refresh_from_db()
    assert row.due_date == inside.timer.due_date
    assert [step["action"] for step in row.steps] == ["received"]

    # Staff ask for a correction; the citizen sends it; the clock starts again.
    staff_client = client.__class__()
    login_verified(staff_client, staff["clerk"])
    detail = staff_client.get(f"/staff/disclosure/{row.number}/")
    assert detail.status_code == 200 and "张三丰" in detail.content.decode()
    assert AuditEntry.objects.filter(action="person.view", object_id=str(inside.pk)).exists()
    asked = staff_client.post(
        f"/staff/disclosure/{row.number}/do/ask_correction/",
        {"text": "请写明所需信息的文件名称或文号。", "days": 15},
    )
    assert asked.status_code == 302, asked.content.decode()
    loopback.deliver()
    row.refresh_from_db()
    assert row.status == "correction" and row.correction_due is not None
    page = client.get(f"/disclosure/requests/{row.number}/").content.decode()
    assert "请写明所需信息的文件名称或文号。" in page
    sent = client.post(
        f"/disclosure/requests/{row.number}/correction/", {"description": "永市监〔2025〕12号"}
    )
    assert sent.status_code == 302
    loopback.deliver()
    inside.refresh_from_db()
    assert inside.status == "received" and inside.corrected_on == timezone.localdate()
    assert inside.description == "永市监〔2025〕12号"

    # A part is hidden (staff's verb), then the answer: the hidden text never goes outside.
    hidden = staff_client.post(
        f"/staff/disclosure/{row.number}/do/redact/",
        {"kind": "text", "value": "某食品公司", "scope": "all", "reason": "第三方商业秘密"},
    )
    assert hidden.status_code == 302, hidden.content.decode()
    refused = staff_client.post(
        f"/staff/disclosure/{row.number}/do/redact/",
        {"kind": "pattern", "value": "(a+)+", "scope": "all", "reason": "测试"},
    )
    assert refused.status_code == 400
    assert 'value="(a+)+"' in refused.content.decode()  # kept, with the reason it is refused
    # A file of the answer: a DOCX naming the company; an image cannot be checked: refused.
    refused_file = staff_client.post(
        f"/staff/disclosure/{row.number}/attach/",
        {"file": SimpleUploadedFile("照片.png", png_bytes(), content_type="image/png")},
    )
    assert refused_file.status_code == 400
    assert 'id="id_file_error"' in refused_file.content.decode()
    attached = staff_client.post(
        f"/staff/disclosure/{row.number}/attach/",
        {"file": SimpleUploadedFile("抽检结果.docx", _docx("某食品公司的抽检结果：合格。"))},
    )
    assert attached.status_code == 302, attached.content.decode()
    answered = staff_client.post(
        f"/staff/disclosure/{row.number}/do/answer/",
        {
            "kind": "partial",
            "text": "经审查，部分公开。某食品公司的抽检数据涉及商业秘密。",
            "legal_basis": "《政府信息公开条例》第三十七条",
            "fee_method": "none",
        },
    )
    assert answered.status_code == 302, answered.content.decode()
    staff_page = staff_client.get(f"/staff/disclosure/{row.number}/").content.decode()
    assert '<mark class="redacted"' in staff_page  # staff see what is hidden, marked
    assert staff_client.get(f"/staff/disclosure/{row.number}/letter.docx").status_code == 200
    loopback.deliver()
    row.refresh_from_db()
    assert row.status == "answered" and row.answer_kind == "partial"
    page = client.get(f"/disclosure/requests/{row.number}/").content.decode()
    assert "经审查，部分公开。" in page
    assert "某食品公司" not in page
    letter = client.get(f"/disclosure/requests/{row.number}/letter/")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    data = b"".join(letter.streaming_content)
    assert "经审查，部分公开。" in pdf_extracted(data)
    assert found_in_pdf(data, "某食品公司") == []
    stored = row.answer_files.get()
    download = client.get(f"/disclosure/requests/{row.number}/files/{stored.pk}/")
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert found_in_docx(data, "某食品公司") == []
    assert "的抽检结果：合格。" in "".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    # the original stays inside, for staff
    inside_file = inside.files.get(kind="answer")
    original = staff_client.get(f"/staff/disclosure/{row.number}/files/{inside_file.pk}/")
    assert found_in_docx(b"".join(original.streaming_content), "某食品公司") != []


def test_nobody_sees_another_persons_request(client, applicant, bodies):
    _file(client, bodies)
    number = OnlineRequest.objects.get().number
    assert client.get(f"/disclosure/requests/{number}/").status_code == 200
    other = citizen(name="李四", id_number="110105194912310037", mobile="13700000000")
    client.force_login(other)
    assert client.get(f"/disclosure/requests/{number}/").status_code == 404
    assert (
        client.post(f"/disclosure/requests/{number}/correction/", {"description": "x"}).status_code
        == 404
    )
    assert number not in client.get("/disclosure/requests/").content.decode()


def test_staff_see_only_their_bodies_requests_and_act_only_with_their_roles(
    client, new_request, staff
):
    request = new_request()
    login_verified(client, staff["other"])
    assert client.get(f"/staff/disclosure/{request.number}/").status_code == 404
    assert request.number not in client.get("/staff/disclosure/").content.decode()
    assert (
        client.post(
            f"/staff/disclosure/{request.number}/do/answer/",
            {"kind": "disclosed", "text": "予以公开。", "fee_method": "none"},
        ).status_code
        == 404
    )
    login_verified(client, staff["supervisor"])
    page = client.get(f"/staff/disclosure/{request.number}/")
    assert page.status_code == 200
    assert "do/answer/" not in page.content.decode()  # the supervisor watches, does not act
    refused = client.post(
        f"/staff/disclosure/{request.number}/do/answer/",
        {"kind": "disclosed", "text": "予以公开。", "fee_method": "none"},
    )
    assert refused.status_code == 403
    login_verified(client, staff["clerk"])
    listing = client.get("/staff/disclosure/").content.decode()
    assert request.number in listing and "张**" in listing or "张*丰" in listing
    extend = client.post(
        f"/staff/disclosure/{request.number}/do/extend/",
        {"days": 10, "reason": "涉及多个科室，需调取档案。"},
    )
    assert extend.status_code == 403  # only the office head approves an extension
    request.refresh_from_db()
    assert request.extension_days == 0


def test_a_staff_verb_with_bad_input_says_why_and_changes_nothing(client, new_request, staff):
    request = new_request(received_on=datetime.date(2026, 9, 24))
    login_verified(client, staff["clerk"])
    response = client.post(
        f"/staff/disclosure/{request.number}/do/answer/",
        {"kind": "not_ours", "text": "非本机关负责公开。", "fee_method": "none"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name the body that holds the information." in page or "请写明" in page
    assert "非本机关负责公开。" in page  # kept
    request.refresh_from_db()
    assert request.status == "received"
