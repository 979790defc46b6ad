"""Official documents: the outgoing and incoming flows, numbering, locking after 签发, the
circulation history, secrecy and search (egov.oa.services_documents)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.models import Timer
from egov.oa import services_documents as docs
from egov.oa.models import (
    Document,
    DocumentEvent,
    DocumentLockedError,
    DocumentRecordError,
    Receipt,
    Secrecy,
)

pytestmark = pytest.mark.django_db


def test_the_number_has_the_standard_form_and_follows_the_body_series(outgoing):
    first = outgoing("registered")
    second = outgoing("registered")
    year = first.number_year
    assert first.number == f"永川府发〔{year}〕1号"
    assert second.number == f"永川府发〔{year}〕2号"


@pytest.mark.parametrize("until", ["draft", "reviewing", "to_sign", "signed"])
def test_a_document_cannot_be_numbered_before_it_is_signed_and_checked(outgoing, people, until):
    document = outgoing(until)
    with pytest.raises(docs.DocumentStateError):
        docs.register(document, by=people["clerk"])
    document.refresh_from_db()
    assert document.number_seq is None
    assert document.number == ""


def test_numbering_needs_the_clerks_permission(outgoing, people):
    document = outgoing("checked")
    with pytest.raises(PermissionDenied):
        docs.register(document, by=people["drafter"].__class__.objects.get(username="reviewer"))
    assert docs.register(document, by=people["clerk"]).number_seq == 1


def test_review_rounds_follow_the_body_settings_and_a_return_restarts_them(outgoing, people):
    document = outgoing("reviewing")
    assert document.reviews_needed == 2
    document = docs.review(document, by=people["reviewer"], approve=True)
    assert document.status == Document.Status.REVIEWING
    document = docs.review(document, by=people["reviewer2"], approve=False, note="标题过长")
    assert document.status == Document.Status.DRAFT
    assert document.holder == people["drafter"]
    with pytest.raises(PermissionDenied):
        docs.sign(document, by=people["reviewer"])  # a reviewer does not sign


def test_nothing_is_editable_after_signing_except_by_a_recorded_reissue(outgoing, people):
    document = outgoing("signed")
    with pytest.raises(docs.DocumentStateError):
        docs.update_draft(document, by=people["drafter"], title="改过的标题")
    document.title = "改过的标题"
    with pytest.raises(DocumentLockedError):
        document.save()
    document.refresh_from_db()
    assert document.title.startswith("重庆市永川区人民政府关于")

    new = docs.reissue(document, by=people["drafter"], reason="主送机关有误")
    document.refresh_from_db()
    assert document.status == Document.Status.SUPERSEDED
    assert new.reissue_of == document and new.status == Document.Status.DRAFT
    assert list(document.events.values_list("action", flat=True))[-1] == "reissue"
    assert document.events.get(action="reissue").note == "主送机关有误"
    updated = docs.update_draft(new, by=people["drafter"], title="改过的标题")
    assert updated.title == "改过的标题"


def test_history_rows_are_kept_as_written(outgoing):
    event = outgoing().events.get()
    event.note = "changed"
    with pytest.raises(DocumentRecordError):
        event.save()
    with pytest.raises(DocumentRecordError):
        event.delete()


def test_dispatch_creates_incoming_records_for_main_and_copied_bodies(outgoing, oa_bodies):
    document = outgoing("sent")
    receipts = {r.body.code: r for r in document.receipts.all()}
    assert set(receipts) == {"T-JW", "T-WJ"}
    assert receipts["T-JW"].role == Receipt.Role.MAIN
    assert receipts["T-WJ"].role == Receipt.Role.COPY
    assert receipts["T-JW"].sender_number == document.number
    assert receipts["T-JW"].status == Receipt.Status.WAITING


def _through_incoming(receipt, people):
    receipt = docs.sign_for(receipt, by=people["edu_clerk"])
    receipt = docs.register_incoming(receipt, by=people["edu_clerk"])
    receipt = docs.screen(receipt, by=people["edu_reviewer"], accept=True)
    receipt = docs.propose(receipt, by=people["edu_reviewer"], proposal="请分管领导阅示")
    docs.comment(by=people["edu_head"], receipt=receipt, note="请安全科牵头办理", instruction=True)
    receipt = docs.instruct(
        receipt, by=people["edu_head"], instruction="安全科办理", handler=people["edu_clerk"]
    )
    receipt = docs.take_on(receipt, by=people["edu_clerk"])
    receipt = docs.circulate(
        receipt, by=people["edu_clerk"], readers=[people["edu_reviewer"]], note="请阅"
    )
    receipt = docs.urge(receipt, by=people["edu_head"], note="请本周内办结")
    receipt = docs.finish(receipt, by=people["edu_clerk"], answer="已部署落实")
    return docs.archive(receipt, by=people["edu_clerk"])


def test_the_circulation_history_is_complete_across_a_full_run(outgoing, people):
    document = outgoing("sent")
    receipt = _through_incoming(document.receipts.get(role=Receipt.Role.MAIN), people)
    assert receipt.status == Receipt.Status.ARCHIVED
    assert receipt.incoming_number.startswith("收〔")

    outgoing_actions = list(
        DocumentEvent.objects.filter(document=document, receipt=None).values_list(
            "action", flat=True
        )
    )
    assert outgoing_actions == [
        "draft",
        "submit",
        "review",
        "review",
        "sign",
        "check",
        "register",
        "print",
        "dispatch",
        "signed_for_by",
        "answered_by",
    ]
    incoming = list(receipt.events.values_list("action", "by__username", "note"))
    assert [action for action, _, _ in incoming] == [
        "arrive",
        "sign_for",
        "register",
        "screen",
        "propose",
        "instruction",
        "instruct",
        "take_on",
        "circulate",
        "urge",
        "finish",
        "archive",
    ]
    # who did each step, and the 批示 and comments in their order
    assert incoming[5] == ("instruction", "edu_head", "请安全科牵头办理")
    assert incoming[6] == ("instruct", "edu_head", "安全科办理")
    assert incoming[10] == ("finish", "edu_clerk", "已部署落实")
    # every row is in order of time, each with the body it happened in
    stamps = list(DocumentEvent.objects.filter(document=document).values_list("at", flat=True))
    assert stamps == sorted(stamps)
    assert set(receipt.events.values_list("body__code", flat=True)) == {"T-JW"}


def test_an_incoming_document_returned_at_screening_carries_its_reason(outgoing, people):
    document = outgoing("sent")
    receipt = document.receipts.get(role=Receipt.Role.MAIN)
    receipt = docs.sign_for(receipt, by=people["edu_clerk"])
    receipt = docs.register_incoming(receipt, by=people["edu_clerk"])
    with pytest.raises(ValueError):
        docs.screen(receipt, by=people["edu_reviewer"], accept=False, reason=" ")
    docs.screen(receipt, by=people["edu_reviewer"], accept=False, reason="不属于本单位职责")
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.RETURNED
    assert receipt.returned_reason == "不属于本单位职责"
    assert receipt.events.get(action="return").note == "不属于本单位职责"
    # the sender sees it too
    assert document.events.get(action="returned_by").note == "不属于本单位职责"


def test_who_may_take_each_incoming_step(outgoing, people):
    receipt = outgoing("sent").receipts.get(role=Receipt.Role.MAIN)
    with pytest.raises(PermissionDenied):
        docs.sign_for(receipt, by=people["health_clerk"])  # another body
    with pytest.raises(PermissionDenied):
        docs.sign_for(receipt, by=people["edu_reviewer"])  # not a clerk
    receipt = docs.sign_for(receipt, by=people["edu_clerk"])
    receipt = docs.register_incoming(receipt, by=people["edu_clerk"])
    with pytest.raises(PermissionDenied):
        docs.screen(receipt, by=people["edu_clerk"], accept=True)
    assert docs.screen(receipt, by=people["edu_reviewer"], accept=True).status == "screened"


def test_an_urgent_document_carries_a_deadline_on_the_one_clock(outgoing, people):
    document = outgoing("sent", urgency="very_urgent")
    receipt = docs.sign_for(document.receipts.get(role=Receipt.Role.MAIN), by=people["edu_clerk"])
    timer = Timer.objects.get(pk=receipt.timer_id)
    assert timer.purpose == docs.TIMER_PURPOSE
    assert timer.owner_body == receipt.body
    assert timer.unit == "working" and timer.limit == 1
    assert receipt.due_on == timer.due_date
    receipt = _through_incoming_from_signed(receipt, people)
    timer.refresh_from_db()
    assert timer.stopped_at is not None


def _through_incoming_from_signed(receipt, people):
    receipt = docs.register_incoming(receipt, by=people["edu_clerk"])
    receipt = docs.screen(receipt, by=people["edu_reviewer"], accept=True)
    return docs.finish(receipt, by=people["edu_clerk"], answer="已办")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 200


def test_a_paper_document_is_registered_by_hand_with_a_scan_checked_by_content(oa_bodies, people):
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    receipt = docs.register_external(
        by=people["edu_clerk"],
        body=oa_bodies["edu"],
        sender="重庆市教育委员会",
        sender_number="渝教发〔2026〕3号",
        title="关于开展校园安全检查的通知",
        scan=scan,
        urgency="urgent",
    )
    assert receipt.role == Receipt.Role.EXTERNAL
    assert receipt.files.get().content_type == "application/pdf"
    assert receipt.timer_id is not None
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all" * 10)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        docs.register_external(
            by=people["edu_clerk"],
            body=oa_bodies["edu"],
            sender="x",
            title="y",
            scan=fake,
        )
    assert Receipt.objects.count() == 1


# --- secrecy ------------------------------------------------------------------------------


def test_a_classified_document_is_invisible_to_an_uncleared_member_of_the_addressed_body(
    outgoing, people
):
    plain = outgoing("sent", title="关于普通事项的通知")
    secret = outgoing(
        "sent", secrecy=Secrecy.SECRET, secrecy_term="1年", title="关于机要事项的通知"
    )
    cleared, uncleared = people["edu_head"], people["edu_uncleared"]
    assert set(docs.documents_visible_to(cleared)) == {plain, secret}
    assert set(docs.documents_visible_to(uncleared)) == {plain}
    assert not docs.may_see_document(uncleared, secret)
    assert docs.receipts_visible_to(uncleared).filter(document=secret).count() == 0
    assert docs.receipts_visible_to(cleared).filter(document=secret).count() == 1
    found_docs, found_receipts = docs.search(uncleared, "机要事项")
    assert not found_docs.exists() and not found_receipts.exists()
    found_docs, found_receipts = docs.search(cleared, "机要事项")
    assert list(found_docs) == [secret]
    # the uncleared cannot act on it either
    with pytest.raises(PermissionDenied):
        docs.comment(by=uncleared, document=secret, note="看看")


def test_a_cleared_level_covers_the_levels_below_only(outgoing, people, make_user, oa_bodies):
    top = outgoing("sent", secrecy=Secrecy.TOP_SECRET, title="绝密件")
    reader = make_user("secret_only", oa_bodies["edu"], "office_head", Secrecy.CONFIDENTIAL)
    assert not docs.may_see_document(reader, top)
    assert docs.may_see_document(people["edu_head"], top)


def test_search_finds_visible_documents_by_words_of_the_title_and_text(outgoing, people):
    document = outgoing("sent")
    other = outgoing("draft", title="关于召开防汛工作会议的通知", text="定于下周召开会议。")
    found, _ = docs.search(people["signer"], "安全生产")
    assert list(found) == [document]
    found, _ = docs.search(people["signer"], "防汛")
    assert list(found) == [other]
    _, receipts = docs.search(people["edu_clerk"], "安全生产")
    assert [r.document for r in receipts] == [document]
    found, receipts = docs.search(people["health_clerk"], "防汛")  # not addressed to them
    assert not found.exists() and not receipts.exists()
