"""Online applications in the hall (combined zone, loopback exchange): a citizen applies, the
case runs inside, the progress comes back; and every refusal the issue names — invalid
values, a renamed executable, an oversized file, a double submit, a stale draft, a late
correction — with its message next to the field and nothing lost."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov.accounts import services as accounts
from egov.cases import services as cases
from egov.cases.models import Case
from egov.exchange.models import OutboxMessage
from egov.exchange.transports import loopback
from egov.hall import applications
from egov.hall.models import Application, Notification, Progress
from egov.licences.models import Licence, WalletLicence
from egov.services import services as catalogue
from tests.hall.conftest import ID_NUMBER, OTHER_ID, citizen
from tests.services.conftest import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

ACCEPTED_ON = date(2026, 9, 30)  # Wednesday; 1–7 October holiday; Saturday 10 October worked


def apply_url(item):
    return reverse("hall:apply", args=[item.implementation_code])


def pdf(name="申请书.pdf", text="application"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def png(name="营业执照.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def open_form(client, item):
    response = client.get(apply_url(item))
    assert response.status_code == 200
    application = Application.objects.get(
        implementation_code=item.implementation_code,
        applicant=response.wsgi_request.user,
        status="draft",
    )
    return response, application


def post(client, item, application, action="save", **data):
    values = {
        "token": str(application.token),
        "revision": str(application.revision),
        "action": action,
        "applicant_name": "张三丰",
        "applicant_id_number": ID_NUMBER,
        **data,
    }
    return client.post(apply_url(item), values)


def submitted(client, item) -> Application:
    """A complete application, submitted through the pages."""
    _response, application = open_form(client, item)
    post(client, item, application, material_0=pdf(), material_1=png())
    application.refresh_from_db()
    post(client, item, application, action="submit")
    application.refresh_from_db()
    return application


def staff_of(make_staff, bodies, role, body="YC-SCJG", name=None):
    return make_staff(name or role, bodies[body], role)


def test_a_citizen_applies_and_follows_the_case_across_national_day(
    client,
    item,
    applicant,
    make_staff,
    make_item,
    bodies,
    monkeypatch,
):
    # The guide links to the form; the form starts with the real-name data.
    guide = client.get(reverse("hall:item", args=[item.implementation_code]))
    assert apply_url(item) in guide.content.decode()
    response, application = open_form(client, item)
    page = response.content.decode()
    assert 'value="张三丰"' in page and f'value="{ID_NUMBER}"' in page

    # A draft with one material, resumed later (another device: the same account).
    response = post(client, item, application, has_shop="on", shop_area="", material_0=pdf())
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "draft" and application.answers["has_shop"] is True
    assert [f.material_name for f in application.files.all()] == ["申请书"]

    # Submitting without the second material and the shop's area: both told at once, next
    # to their fields; the answers stay.
    response = post(client, item, application, action="submit", has_shop="on")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page or "此项为必填项" in page
    assert re.search(r'id="id_shop_area_error"', page)
    assert re.search(r'id="id_material_1_error"', page)
    application.refresh_from_db()
    assert application.status == "draft" and application.answers["has_shop"] is True
    assert OutboxMessage.objects.filter(type="hall.application.submitted").count() == 0

    application.refresh_from_db()
    response = post(
        client,
        item,
        application,
        action="submit",
        has_shop="on",
        shop_area="35.5",
        material_1=png(),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    year = date.today().year
    assert application.status == "submitted"
    assert re.fullmatch(rf"YC-{year}-\d{{6}}", application.query_code)
    assert application.answers["shop_area"] == "35.50"
    receipt = client.get(response.url)
    assert application.query_code in receipt.content.decode()

    # Inside: the case opens with the same query code, both files checked again.
    report = loopback.deliver()
    assert report.quarantined == 0, report
    case = Case.objects.get(query_code=application.query_code)
    assert case.channel == "online" and case.applicant_name == "张三丰"
    assert case.applicant_id_number == ID_NUMBER
    assert [(m.name, m.content_type) for m in case.materials.all()] == [
        ("申请书", "application/pdf"),
        ("营业执照", "image/png"),
    ]
    loopback.deliver()
    assert Progress.objects.get(query_code=case.query_code).status == "submitted"

    clerk = staff_of(make_staff, bodies, "window_clerk", name="clerk")
    cases.accept(case, by=clerk, on=ACCEPTED_ON)
    loopback.deliver()
    progress = Progress.objects.get(query_code=case.query_code)
    # 5 working days after 30 September: 8, 9, 10 (make-up Saturday), 12, 13 October.
    assert progress.due_date == date(2026, 10, 13)

    cases.request_correction(
        case,
        by=clerk,
        items=["申请书缺少签名"],
        deadline=date(2026, 10, 20),
        on=date(2026, 10, 9),
    )
    loopback.deliver()
    page = client.get(reverse("hall:application", args=[case.query_code])).content.decode()
    assert "申请书缺少签名" in page and "2026-10-20" in page

    # The citizen answers on Monday 12 October, uploading what was asked.
    monkeypatch.setattr(applications, "today", lambda: date(2026, 10, 12))
    response = client.post(
        reverse("hall:answer_correction", args=[case.query_code]),
        {"note": "已补签名", "correction-material_0": pdf("申请书-补正.pdf", "signed")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = loopback.deliver()
    assert report.quarantined == 0, report
    case.refresh_from_db()
    assert case.status == "accepted"
    assert case.materials.filter(correction__isnull=False).count() == 1
    # Resumed on 12 October with 3 days owed: 13, 14, 15 October.
    assert case.timer.due_date == date(2026, 10, 15)
    loopback.deliver()
    progress.refresh_from_db()
    assert progress.due_date == date(2026, 10, 15) and progress.correction is None

    cases.review(case, by=staff_of(make_staff, bodies, "reviewer"))
    cases.decide(case, by=staff_of(make_staff, bodies, "approver"), outcome="grant")
    cases.close(case, by=clerk)
    cases.deliver(case, by=clerk)
    loopback.deliver()
    progress.refresh_from_db()
    assert progress.status == "delivered" and progress.decision == "grant"
    page = client.get(reverse("hall:application", args=[case.query_code])).content.decode()
    for label in ("Accepted (受理)", "Decided (决定)", "Result delivered (送达)"):
        assert label in page or label.split(" (")[1].rstrip(")") in page
    # Nothing personal came back out.
    for step in progress.steps:
        assert "张三丰" not in str(step) and ID_NUMBER not in str(step)

    # The grant issued the e-licence: signed inside, in the citizen's wallet outside.
    licence = Licence.objects.get(case=case)
    assert (licence.name, licence.licence_type) == ("测试许可证", "food_business_licence")
    assert licence.holder_id_number == ID_NUMBER and licence.holder_kind == "natural"
    held = WalletLicence.objects.get(number=licence.number)
    assert held.signature == licence.signature and held.pdf_sha256 == licence.pdf_sha256
    pdf_bytes_ = client.get(reverse("licences:pdf", args=[held.number]))
    body = b"".join(pdf_bytes_.streaming_content)
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == held.pdf_sha256
    verify_url = reverse("licences:verify", args=[held.number, held.verification_code])
    assert verify_url in page and held.number in page  # the result on the applicant's page
    client.logout()  # anyone can verify (the QR code's address)
    verified = client.get(verify_url).content.decode()
    assert "verify-valid" in verified
    assert "张三丰" not in verified and ID_NUMBER not in verified  # masked
    assert client.get(verify_url.replace(held.verification_code, "x" * 16)).status_code == 404
    # A record changed after signing no longer verifies.
    WalletLicence.objects.filter(pk=held.pk).update(holder_name="李四")
    assert "verify-invalid" in client.get(verify_url).content.decode()
    WalletLicence.objects.filter(pk=held.pk).update(holder_name=held.holder_name)

    # A second application: the licence stands in for a material, from the wallet.
    client.force_login(applicant)
    second = make_item("YC-SCJG", name="食品经营许可（延续）").versions.get()
    second.materials.filter(name="营业执照").update(licence_type="food_business_licence")
    catalogue.publish_version(second, None)
    loopback.deliver()
    response, draft = open_form(client, second.item)
    assert held.number in response.content.decode()
    response = post(
        client,
        second.item,
        draft,
        action="submit",
        material_0=pdf(),
        licence_1=held.number,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.licences == {"营业执照": held.number}
    assert loopback.deliver().quarantined == 0
    second_case = Case.objects.get(query_code=draft.query_code)
    attached = second_case.materials.get(name="营业执照")
    assert attached.licence == licence and attached.content_type == "application/pdf"


def test_a_double_submit_makes_one_application_and_one_case(client, item, applicant):
    _response, application = open_form(client, item)
    post(client, item, application, material_0=pdf(), material_1=png())
    application.refresh_from_db()
    first = post(client, item, application, action="submit")
    second = post(client, item, application, action="submit")  # the same page, sent again
    assert first.status_code == second.status_code == 302
    application.refresh_from_db()
    assert first.url == second.url == reverse("hall:application", args=[application.query_code])
    assert OutboxMessage.objects.filter(type="hall.application.submitted").count() == 1
    loopback.deliver()
    assert Case.objects.count() == 1


def test_invalid_values_are_told_next_to_the_field_and_kept(client, item, applicant):
    _response, application = open_form(client, item)
    response = post(
        client,
        item,
        application,
        action="submit",
        applicant_id_number="110105194912310022",  # wrong check digit
        has_shop="on",
        shop_area="abc",
        material_0=pdf(),
        material_1=png(),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_applicant_id_number_error"' in page and 'id="id_shop_area_error"' in page
    assert 'value="110105194912310022"' in page and 'value="abc"' in page
    application.refresh_from_db()
    assert application.status == "draft"
    assert application.answers["shop_area"] == "abc"  # saved as typed
    assert application.files.count() == 2  # the files were kept


def test_a_renamed_executable_and_an_oversized_file_are_refused(client, item, applicant):
    _response, application = open_form(client, item)
    exe = SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = post(client, item, application, applicant_name="张三", material_0=exe)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_material_0_error"' in page
    assert "renamed" in page or "冒充" in page or "改名" in page
    application.refresh_from_db()
    assert application.answers["applicant_name"] == "张三"  # the answers were saved
    assert application.files.count() == 0

    big = SimpleUploadedFile("申请书.pdf", pdf_bytes("x") + b"0" * (5 * 1024 * 1024))
    response = post(client, item, application, material_0=big)
    assert response.status_code == 400
    assert 'id="id_material_0_error"' in response.content.decode()
    assert application.files.count() == 0


def test_a_stale_draft_is_not_saved_over_a_newer_one(client, item, applicant):
    _response, application = open_form(client, item)
    opened_at = application.revision
    post(client, item, application, applicant_name="设备一")  # saved on the phone
    application.refresh_from_db()
    stale = Application(pk=application.pk, token=application.token, revision=opened_at)
    response = post(client, item, stale, applicant_name="设备二")  # the laptop's old page
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="设备二"' in page  # what was typed is shown again
    assert f'name="revision" value="{application.revision}"' in page
    application.refresh_from_db()
    assert application.answers["applicant_name"] == "设备一"  # nothing overwritten
    # Saving again from the page shown (now current) keeps the laptop's entries.
    response = post(client, item, application, applicant_name="设备二")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.answers["applicant_name"] == "设备二"


def test_a_correction_after_its_deadline_is_refused_with_nothing_sent(
    client,
    item,
    applicant,
    make_staff,
    bodies,
    monkeypatch,
):
    application = submitted(client, item)
    loopback.deliver()
    case = Case.objects.get()
    clerk = staff_of(make_staff, bodies, "window_clerk", name="clerk")
    cases.accept(case, by=clerk, on=ACCEPTED_ON)
    cases.request_correction(
        case, by=clerk, items=["缺少签名"], deadline=date(2026, 10, 20), on=date(2026, 10, 9)
    )
    loopback.deliver()
    monkeypatch.setattr(applications, "today", lambda: date(2026, 10, 21))
    response = client.post(
        reverse("hall:answer_correction", args=[application.query_code]),
        {"note": "迟到的补正", "correction-material_0": pdf()},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "2026-10-20" in page
    assert "迟到的补正" in page  # the note is still in the form
    assert OutboxMessage.objects.filter(type="hall.correction.answered").count() == 0


def test_a_citizen_cannot_reach_another_citizens_application(client, item, applicant):
    application = submitted(client, item)
    own = reverse("hall:application", args=[application.query_code])
    assert client.get(own).status_code == 200

    other = citizen("李四", OTHER_ID, "13900139000")
    client.force_login(other)
    assert client.get(own).status_code == 404
    guessed = re.sub(r"\d{6}$", "000002", application.query_code)
    assert client.get(reverse("hall:application", args=[guessed])).status_code == 404
    response = client.post(
        reverse("hall:answer_correction", args=[application.query_code]), {"note": "x"}
    )
    assert response.status_code == 404
    # Posting to the other's draft token does nothing either.
    response = client.post(
        apply_url(item),
        {"token": str(application.token), "revision": "1", "action": "submit"},
    )
    assert response.status_code == 302 and response.url == apply_url(item)
    assert client.get(reverse("hall:applications")).status_code == 200
    assert application.query_code not in client.get(reverse("hall:applications")).content.decode()

    client.logout()
    response = client.get(own)
    assert response.status_code == 302 and "login" in response.url


def test_an_account_without_real_name_data_is_asked_for_it(client, item):
    user = accounts.register_citizen(mobile="13700137000", password="Citizen-test-2026")
    client.force_login(user)
    response = client.get(apply_url(item))
    assert response.status_code == 403
    assert reverse("accounts:real_name") in response.content.decode()
    assert not Application.objects.exists()


def test_an_item_without_online_handling_has_no_form(client, make_item, applicant):
    version = make_item("YC-SCJG", name="窗口事项").versions.get()
    version.online_depth = 2
    version.save()
    catalogue.publish_version(version, None)
    loopback.deliver()
    guide = client.get(reverse("hall:item", args=[version.item.implementation_code]))
    assert apply_url(version.item) not in guide.content.decode()
    assert client.get(apply_url(version.item)).status_code == 404


def test_staff_of_another_body_cannot_see_the_case_from_the_hall(
    client,
    item,
    applicant,
    make_staff,
    bodies,
):
    submitted(client, item)
    loopback.deliver()
    case = Case.objects.get()
    own = staff_of(make_staff, bodies, "window_clerk", name="own")
    other = staff_of(make_staff, bodies, "window_clerk", body="YC-MZJ", name="other")
    assert cases.cases_visible_to(own).filter(pk=case.pk).exists()
    assert not cases.cases_visible_to(other).filter(pk=case.pk).exists()
    with pytest.raises(cases.CasePermissionError):
        cases.accept(case, by=other)


def test_the_applicant_is_told_in_the_hall_by_mail_and_by_sms(
    client,
    item,
    applicant,
    make_staff,
    bodies,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    settings.EGOV_SMS = {**settings.EGOV_SMS, "LOG_FILE": str(tmp_path / "sms.log")}
    applicant.email = "zhang@example.cn"
    applicant.save()
    application = submitted(client, item)
    loopback.deliver()
    case = Case.objects.get()
    clerk = staff_of(make_staff, bodies, "window_clerk", name="clerk")
    cases.accept(case, by=clerk, on=ACCEPTED_ON)
    cases.request_correction(
        case, by=clerk, items=["缺少签名"], deadline=date(2026, 10, 20), on=date(2026, 10, 9)
    )
    with django_capture_on_commit_callbacks(execute=True):  # mail and SMS go on commit
        loopback.deliver()

    actions = list(Notification.objects.values_list("action", flat=True))
    assert sorted(actions) == ["accept", "request_correction"]  # not "submit": they know
    assert len(mail.outbox) == 2
    assert all(m.to == ["zhang@example.cn"] for m in mail.outbox)
    assert any("2026-10-20" in m.body and application.query_code in m.body for m in mail.outbox)
    lines = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all("13800138000" not in line for line in lines)
    assert all('"138****8000"' in line for line in lines)

    page = client.get(reverse("hall:notifications")).content.decode()
    assert application.query_code in page and page.count('class="unread"') == 2
    client.post(reverse("hall:notifications"))
    assert not Notification.objects.filter(read_at=None).exists()

    client.force_login(citizen("李四", OTHER_ID, "13900139000"))
    assert application.query_code not in client.get(reverse("hall:notifications")).content.decode()
