"""The case workbench under /staff/cases/: the queue, the detail page (audited), the verbs'
forms with their messages, and the data scope (another body's case is not found)."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from egov.cases import services as cases
from egov.cases.models import Case
from egov.core.audit import PERSON_VIEW
from egov.core.models import AuditEntry
from tests.conftest import login_verified

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def detail_url(case):
    return reverse("cases:detail", args=[case.query_code])


def act_url(case, verb):
    return reverse("cases:act", args=[case.query_code, verb])


def views_of(case):
    return AuditEntry.objects.filter(
        action=PERSON_VIEW, object_type="cases.case", object_id=str(case.pk)
    )


def test_the_detail_page_shows_everything_and_is_audited(client, promised_version, staff, new_case):
    case = new_case(promised_version)
    login_verified(client, staff["clerk"])
    response = client.get(detail_url(case), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "张三丰" in page and "11010519491231002X" in page  # in full, on the detail only
    assert "申请书.pdf" in page and "营业执照.png" in page
    assert "Applicant&#x27;s name" in page or "Applicant's name" in page
    entry = views_of(case).get()
    assert entry.actor == staff["clerk"] and entry.purpose == "case processing"
    assert entry.body_id == case.body_id

    # Downloading a material is a view of the person's data too.
    material = case.materials.first()
    download = client.get(reverse("cases:material", args=[case.query_code, material.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert views_of(case).count() == 2


def test_the_queue_masks_names_and_sorts_by_deadline_with_text(
    client, promised_version, staff, new_case
):
    today = timezone.localdate()
    late = new_case(promised_version, applicant_name="王小明")
    cases.accept(late, by=staff["clerk"], on=date(2026, 1, 5))  # long overdue
    fresh = new_case(promised_version, applicant_name="李大华")
    cases.accept(fresh, by=staff["clerk"], on=today)
    for case in (late, fresh):
        cases.claim(case, by=staff["clerk"])
    login_verified(client, staff["clerk"])
    response = client.get(reverse("cases:queue"), **EN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "王小明" not in page and "李大华" not in page
    assert "王*" in page or "王**" in page
    assert page.index(late.query_code) < page.index(fresh.query_code)
    assert "due-overdue" in page and "Overdue" in page
    assert not views_of(late).exists()  # masked lists are not person views


def test_the_queue_filters_by_step_and_shows_unclaimed_cases(
    client, promised_version, staff, new_case
):
    submitted = new_case(promised_version)
    accepted = new_case(promised_version)
    cases.accept(accepted, by=staff["clerk"], on=date(2026, 3, 2))
    login_verified(client, staff["clerk"])
    mine = client.get(reverse("cases:queue"), **EN).content.decode()
    assert submitted.query_code not in mine  # nobody claimed it yet
    page = client.get(reverse("cases:queue"), {"view": "unclaimed", "status": "accepted"}, **EN)
    text = page.content.decode()
    assert accepted.query_code in text and submitted.query_code not in text

    response = client.post(reverse("cases:claim", args=[submitted.query_code]))
    assert response.status_code == 302
    assert Case.objects.get(pk=submitted.pk).assignee == staff["clerk"]
    mine = client.get(reverse("cases:queue"), **EN).content.decode()
    assert submitted.query_code in mine


def test_another_bodys_case_is_not_found_and_cannot_be_acted_on(
    client, promised_version, staff, new_case
):
    case = new_case(promised_version)
    login_verified(client, staff["other"])
    assert client.get(detail_url(case)).status_code == 404
    assert client.post(act_url(case, "accept"), {}).status_code == 404
    assert client.post(reverse("cases:claim", args=[case.query_code])).status_code == 404
    material = case.materials.first()
    assert (
        client.get(reverse("cases:material", args=[case.query_code, material.pk])).status_code
        == 404
    )
    queue = client.get(reverse("cases:queue"), {"view": "all"}).content.decode()
    assert case.query_code not in queue
    assert Case.objects.get(pk=case.pk).status == "submitted"
    assert not views_of(case).exists()


def test_a_window_clerk_cannot_decide_but_an_approver_can(
    client, promised_version, staff, new_case
):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=date(2026, 3, 2))
    cases.review(case, by=staff["reviewer"])
    login_verified(client, staff["clerk"])
    page = client.get(detail_url(case), **EN).content.decode()
    assert act_url(case, "decide") not in page
    response = client.post(act_url(case, "decide"), {"decide-outcome": "grant"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "reviewed"

    client.logout()
    login_verified(client, staff["approver"])
    page = client.get(detail_url(case), **EN).content.decode()
    assert act_url(case, "decide") in page
    response = client.post(act_url(case, "decide"), {"decide-outcome": "grant"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).decision == "grant"


def test_a_refusal_without_reason_keeps_what_was_entered_with_the_message_by_the_field(
    client, promised_version, staff, new_case
):
    case = new_case(promised_version)
    login_verified(client, staff["clerk"])
    response = client.post(
        act_url(case, "refuse_acceptance"), {"refuse_acceptance-reason": "不符合条件"}, **EN
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least 10 characters" in page
    assert 'id="id_refuse_acceptance-reason_error"' in page
    assert "不符合条件</textarea>" in page
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_a_skipped_step_posted_anyway_is_refused_with_a_message(
    client, promised_version, staff, new_case
):
    case = new_case(promised_version)
    login_verified(client, staff["head"])
    response = client.post(act_url(case, "close"), {}, follow=True, **EN)
    assert "No step can be skipped" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_the_correction_forms_on_the_page(client, promised_version, staff, new_case):
    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=timezone.localdate())
    login_verified(client, staff["clerk"])
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        act_url(case, "request_correction"),
        {
            "request_correction-items": "申请书缺少签名\n\n营业执照不清晰",
            "request_correction-deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    correction = case.corrections.get()
    assert correction.items == ["申请书缺少签名", "营业执照不清晰"]
    material = promised_version.materials.get(name="申请书")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.services.conftest import pdf_bytes

    response = client.post(
        act_url(case, "answer_correction"),
        {
            "answer_correction-note": "已补",
            "answer_correction-material": str(material.pk),
            "answer_correction-file": SimpleUploadedFile("补正.pdf", pdf_bytes("fix")),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted"
    assert case.materials.filter(correction=correction).get().name == "申请书"


def test_a_renamed_file_in_a_correction_answer_is_refused_by_the_field(
    client, promised_version, staff, new_case
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = new_case(promised_version)
    cases.accept(case, by=staff["clerk"], on=timezone.localdate())
    cases.request_correction(
        case,
        by=staff["clerk"],
        items=["补交申请书"],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    material = promised_version.materials.get(name="申请书")
    login_verified(client, staff["clerk"])
    response = client.post(
        act_url(case, "answer_correction"),
        {
            "answer_correction-note": "已补交申请书",
            "answer_correction-material": str(material.pk),
            "answer_correction-file": SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00" * 64),
        },
        **EN,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_answer_correction-file_error"' in page and "by its content" in page
    assert "已补交申请书</textarea>" in page
    assert Case.objects.get(pk=case.pk).status == "correction"


def test_an_office_head_assigns_to_a_member_of_the_body(client, promised_version, staff, new_case):
    case = new_case(promised_version)
    login_verified(client, staff["head"])
    response = client.post(
        reverse("cases:assign", args=[case.query_code]), {"assign-to": str(staff["reviewer"].pk)}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == staff["reviewer"]
    # Someone of another body is not among the choices.
    response = client.post(
        reverse("cases:assign", args=[case.query_code]), {"assign-to": str(staff["other"].pk)}
    )
    assert response.status_code == 400
    # A clerk may not assign.
    client.logout()
    login_verified(client, staff["clerk"])
    response = client.post(
        reverse("cases:assign", args=[case.query_code]), {"assign-to": str(staff["clerk"].pk)}
    )
    assert response.status_code == 403


def test_the_workbench_needs_a_staff_role(client, promised_version, staff, new_case, make_staff):
    nobody = make_staff("nobody")
    login_verified(client, nobody)
    assert client.get(reverse("cases:queue")).status_code == 403
