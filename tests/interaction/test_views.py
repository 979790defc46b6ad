"""The pages of letters: the form (login, bad input, attachments by content, throttling),
the writer's own letters by query code, the staff pages (scoped, audited, each verb a form),
reports hidden from the body they report on, and public replies without personal data."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.core.models import AuditEntry
from egov.exchange.transports import loopback
from egov.interaction import services
from egov.interaction.forms import LetterForm
from egov.interaction.models import Letter, Mailbox, OnlineLetter, PublicReply
from tests.conftest import login_verified
from tests.hall.conftest import citizen
from tests.services.conftest import pdf_bytes

from .conftest import WRITER, person_check

D = datetime.date
GOOD = {
    "category": "consultation",
    "subject": "老年人乘车优惠怎么办理",
    "text": "请问65岁以上老人办理公交优惠卡需要什么材料？我的电话13912345678。",
    "writer_name": "李四光",
    "phone": "13912345678",
    "email": "lisiguang@example.com",
    "address": "重庆市永川区中山路街道红旗路88号",
    "consent": "on",
}


@pytest.fixture
def writer(client, bodies):
    user = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    client.force_login(user)
    return user


def _write(client, **changes):
    data = {**GOOD, "mailbox": Mailbox.objects.get(code="head").pk, **person_check(), **changes}
    return client.post("/interaction/write/", data, HTTP_ACCEPT_LANGUAGE="en")


def _staff(user) -> Client:
    other = Client()
    login_verified(other, user)
    return other


def test_the_form_needs_a_residents_login(client, bodies, staff):
    assert client.get("/interaction/").status_code == 200
    response = client.get("/interaction/write/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(staff["clerk"])
    assert client.get("/interaction/write/").status_code == 403


def test_the_form_is_prefilled_and_bad_input_is_named_next_to_its_field(client, writer):
    page = client.get("/interaction/write/?mailbox=YC-SCJG").content.decode()
    assert 'value="李四光"' in page and 'value="13912345678"' in page
    response = _write(client, subject="", email="not-an-address")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_subject_error"' in page and 'id="id_email_error"' in page
    assert "请问65岁以上老人" in page  # the text typed is kept
    assert OnlineLetter.objects.count() == 0


# --- the CAPTCHA: a text question, with the honeypot and the time stamp -------------------


def _served_check(page: str) -> tuple[str, str]:
    """The stamp and the question label of a served letter form."""
    stamp = re.search(r'name="stamp" value="([^"]+)"', page).group(1)
    label = re.search(r'<label for="id_answer">([^<]+)', page).group(1)
    return stamp, label


def test_the_form_asks_a_text_question_without_script_or_image(client, writer):
    page = client.get("/interaction/write/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    stamp, label = _served_check(page)
    numbers = signing.loads(stamp, salt=LetterForm.stamp_salt)["q"]
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    assert label.startswith("Question for people: what is ")
    assert f"{words[numbers[0]]} plus {words[numbers[1]]}" in label  # read out like any label
    assert 'name="answer"' in page and 'id="id_answer_helptext"' in page
    assert re.search(r'<div hidden>.*?name="website"', page, re.S)  # the honeypot is hidden
    # no image; the only script is the FAQ's suggestions (decision 0023), not the question
    assert "<img" not in page
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/interaction/faq-suggest.js" defer>'
    ]


def test_a_letter_without_an_answer_is_refused_and_keeps_what_was_typed(client, writer):
    response = _write(client, answer="")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_answer_error"' in page and "Answer the question, in digits." in page
    assert "请问65岁以上老人" in page and 'value="老年人乘车优惠怎么办理"' in page
    assert OnlineLetter.objects.count() == 0


def test_a_wrong_answer_is_refused_with_a_new_question(client, writer):
    check = person_check()
    right = int(check["answer"])
    response = _write(client, **{**check, "answer": str(right + 1)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "That is not the answer. Answer the new question, in digits." in page
    assert "请问65岁以上老人" in page and 'value="lisiguang@example.com"' in page
    stamp, _label = _served_check(page)
    assert stamp != check["stamp"]  # a new question
    assert re.search(r'name="answer"[^>]*aria-invalid="true"', page)
    assert 'name="answer" value=' not in page  # the wrong answer is not kept
    assert OnlineLetter.objects.count() == 0


@pytest.mark.parametrize("written", ["{n}", "{wide}", "{zh}", " {n} "])
def test_the_right_answer_is_accepted_in_digits_or_chinese_numerals(client, writer, written):
    check = person_check()
    n = int(check["answer"])
    wide = "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    zh = "零一二三四五六七八九十"[n] if n <= 10 else "十" + "零一二三四五六七八九"[n - 10]
    answer = written.format(n=n, wide=wide, zh=zh)
    assert _write(client, **{**check, "answer": answer}).status_code == 302
    assert OnlineLetter.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"website": "http://spam.example"},  # the honeypot filled in
        {"stamp": "forged"},
        {"stamp_at": 0},  # sent back at once
        {"stamp_at": 2 * 24 * 3600},  # two days old
    ],
)
def test_a_right_answer_does_not_pass_the_other_checks(client, writer, changes):
    check = person_check(changes.pop("stamp_at", 30))
    response = _write(client, **{**check, **changes})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The letter could not be accepted as sent." in page
    assert "请问65岁以上老人" in page
    assert OnlineLetter.objects.count() == 0


def test_a_right_answer_is_kept_while_another_field_is_corrected(client, writer):
    check = person_check()
    page = _write(client, **check, subject="").content.decode()
    assert 'id="id_subject_error"' in page
    stamp, _label = _served_check(page)
    assert stamp == check["stamp"] and f'value="{check["answer"]}"' in page
    assert _write(client, **check).status_code == 302


def test_attachments_are_judged_by_their_content(client, writer):
    exe = SimpleUploadedFile("照片.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = _write(client, attachments=exe)
    assert response.status_code == 400
    assert 'id="id_attachments_error"' in response.content.decode()
    good = SimpleUploadedFile("证明.pdf", pdf_bytes("proof"), "application/pdf")
    assert _write(client, attachments=good).status_code == 302
    assert OnlineLetter.objects.get().attachment_names == ["证明.pdf"]
    assert loopback.deliver().quarantined == 0
    stored = Letter.objects.get().files.get()
    assert stored.content_type == "application/pdf" and stored.name == "证明.pdf"


def test_a_report_cannot_go_to_the_mailbox_of_the_body_it_reports_on(client, writer, bodies):
    response = _write(
        client,
        category="report",
        mailbox=Mailbox.objects.get(code="YC-SCJG").pk,
        accused_body=bodies["YC-SCJG"].pk,
    )
    assert response.status_code == 400
    assert 'id="id_mailbox_error"' in response.content.decode()


def test_throttling_engages_and_keeps_what_was_typed(client, writer, settings):
    settings.EGOV_LETTER_DAILY_LIMIT = 2
    assert _write(client).status_code == 302
    assert _write(client).status_code == 302
    response = _write(client, subject="第三封信")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'value="第三封信"' in page and "24" in page
    assert OnlineLetter.objects.count() == 2


def test_a_writer_cannot_read_another_writers_letter_even_with_its_code(client, writer, bodies):
    _write(client)
    row = OnlineLetter.objects.get()
    assert len(row.query_code) == 19 and row.query_code.count("-") == 3
    assert client.get(f"/interaction/letters/{row.query_code}/").status_code == 200
    found = client.get("/interaction/query/", {"code": row.query_code.lower()})
    assert found.status_code == 302 and row.query_code in found.url
    other = Client()
    other.force_login(citizen(name="王五", id_number="11010519491231002X", mobile="13700000000"))
    assert other.get(f"/interaction/letters/{row.query_code}/").status_code == 404
    assert other.post(f"/interaction/letters/{row.query_code}/rating/").status_code == 404
    refused = other.get("/interaction/query/", {"code": row.query_code})
    assert refused.status_code == 404 and "李四光" not in refused.content.decode()
    guessed = client.get("/interaction/letters/ABCD-EFGH-JKMN-PQRS/")
    assert guessed.status_code == 404
    anonymous = Client()
    assert anonymous.get(f"/interaction/letters/{row.query_code}/").status_code == 302


def test_staff_pages_are_scoped_audited_and_every_verb_is_a_form(new_letter, staff):
    letter = new_letter()
    office = _staff(staff["office"])
    listing = office.get("/staff/interaction/")
    assert listing.status_code == 200 and letter.number in listing.content.decode()
    assert "李*" in listing.content.decode() and "李四光" not in listing.content.decode()
    assert AuditEntry.objects.filter(action="person.list").exists()
    detail = office.get(f"/staff/interaction/{letter.number}/")
    assert detail.status_code == 200 and "13912345678" in detail.content.decode()
    assert AuditEntry.objects.filter(action="person.view", object_id=str(letter.pk)).exists()
    # another body's clerk: not in the list, "not found"
    clerk = _staff(staff["clerk"])
    assert letter.number not in clerk.get("/staff/interaction/").content.decode()
    assert clerk.get(f"/staff/interaction/{letter.number}/").status_code == 404
    # a citizen, or staff without the role, are refused
    nobody = _staff(staff["supervisor"])
    assert nobody.get(f"/staff/interaction/{letter.number}/").status_code == 200
    assert nobody.post(f"/staff/interaction/{letter.number}/do/accept/", {}).status_code == 403
    # bad input: the message next to the field, what was typed kept
    declined = office.post(f"/staff/interaction/{letter.number}/do/decline/", {"reason": "太短"})
    assert declined.status_code == 400
    assert 'id="id_reason_error"' in declined.content.decode()
    assert "太短" in declined.content.decode()
    assert office.post(f"/staff/interaction/{letter.number}/do/accept/", {}).status_code == 302
    routed = office.post(
        f"/staff/interaction/{letter.number}/do/route/",
        {"to_body": staff["clerk"].memberships.get().organisation.pk},
    )
    assert routed.status_code == 302
    letter.refresh_from_db()
    assert letter.handling_body.code == "YC-SCJG" and letter.status == "accepted"
    sent_back = clerk.post(
        f"/staff/interaction/{letter.number}/do/refuse_routing/",
        {"reason": "噪音执法不属于本局职责。"},
    )
    assert sent_back.status_code == 302 and sent_back.url == "/staff/interaction/"
    again = office.post(
        f"/staff/interaction/{letter.number}/do/route/",
        {"to_body": staff["mzj"].memberships.get().organisation.pk, "reason": ""},
    )
    assert again.status_code == 400
    assert 'id="id_reason_error"' in again.content.decode()


def test_a_report_is_never_shown_to_the_staff_of_the_body_it_reports_on(new_letter, staff, bodies):
    report = new_letter(
        category="report",
        subject="举报市场监管局工作人员",
        text="市场监管局某科室人员收受商户好处。",
        accused_body=bodies["YC-SCJG"],
    )
    services.accept(report, by=staff["office"])
    services.route(report, by=staff["office"], to_body=bodies["YC-MZJ"])
    for name in ("clerk", "reviewer", "approver", "head"):
        other = _staff(staff[name])
        page = other.get("/staff/interaction/?status=all").content.decode()
        assert report.number not in page and "李四光" not in page
        assert other.get(f"/staff/interaction/{report.number}/").status_code == 404
        assert other.post(f"/staff/interaction/{report.number}/do/draft/", {}).status_code == 404
    assert _staff(staff["mzj"]).get(f"/staff/interaction/{report.number}/").status_code == 200


def _replied(new_letter, staff, **changes):
    mailbox = Mailbox.objects.get(code="YC-SCJG")
    letter = new_letter(mailbox=mailbox, by=staff["clerk"], **changes)
    letter = services.accept(letter, by=staff["clerk"], on=D(2026, 9, 18))
    letter = services.draft_reply(
        letter,
        by=staff["clerk"],
        text="李四光同志：经查，施工单位已停止夜间施工。如有疑问请联系lisiguang@example.com以外的本局邮箱。",
    )
    letter = services.review_reply(letter, by=staff["reviewer"], approve=True)
    letter = services.sign_off(letter, by=staff["approver"])
    return services.reply(letter, by=staff["clerk"], on=D(2026, 10, 9))


PERSONAL = [*WRITER.values(), "lisiguang"]


def _article(page: str) -> str:
    start = page.index('<article class="public-reply"')
    return page[start : page.index("</article>", start) + len("</article>")]


def test_a_published_reply_holds_no_personal_data_and_is_what_staff_previewed(
    client, new_letter, staff
):
    letter = _replied(new_letter, staff)
    clerk = _staff(staff["clerk"])
    page = clerk.get(f"/staff/interaction/{letter.number}/").content.decode()
    start = page.index('<article class="public-reply"')
    preview = page[start : page.index("</article>", start) + len("</article>")]
    for value in PERSONAL:
        assert value not in preview
    assert "李*" in preview and "139****5678" in preview
    published = clerk.post(
        f"/staff/interaction/{letter.number}/do/publish/", {"question": "", "answer": ""}
    )
    assert published.status_code == 302
    assert loopback.deliver().quarantined == 0
    reply = PublicReply.objects.get(number=letter.number)
    html = client.get(f"/interaction/replies/{reply.number}/").content.decode()
    for value in PERSONAL:
        assert value not in html, value
    assert "经查，施工单位已停止夜间施工。" in html
    start = html.index('<article class="public-reply"')
    assert html[start : html.index("</article>", start) + len("</article>")] == preview
    listing = client.get("/interaction/replies/").content.decode()
    assert letter.subject in listing
    for value in PERSONAL:
        assert value not in listing


def test_without_consent_or_for_a_report_nothing_is_published(new_letter, staff):
    letter = _replied(new_letter, staff, consent_to_publish=False)
    with pytest.raises(services.InteractionError):
        services.publish_reply(letter, by=staff["clerk"])
    clerk = _staff(staff["clerk"])
    assert clerk.post(f"/staff/interaction/{letter.number}/do/publish/", {}).status_code == 400
    assert not PublicReply.objects.exists()


def test_staff_register_a_letter_by_post_for_their_own_mailboxes(new_letter, staff, bodies):
    clerk = _staff(staff["clerk"])
    page = clerk.get("/staff/interaction/register/").content.decode()
    assert "区市场监管局" in page and "District head" not in page and "区长" not in page
    data = {
        "mailbox": Mailbox.objects.get(code="YC-SCJG").pk,
        "received_on": "2026-09-16",
        "category": "help",
        "subject": "求助：低保申请",
        "text": "来信人到窗口递交书面求助信。",
        "writer_name": "王五",
        "phone": "13700000000",
    }
    future = clerk.post("/staff/interaction/register/", {**data, "received_on": "2099-01-01"})
    assert future.status_code == 400
    assert 'id="id_received_on_error"' in future.content.decode()
    assert 'value="求助：低保申请"' in future.content.decode()
    other = clerk.post(
        "/staff/interaction/register/", {**data, "mailbox": Mailbox.objects.get(code="head").pk}
    )
    assert other.status_code == 400 and 'id="id_mailbox_error"' in other.content.decode()
    done = clerk.post("/staff/interaction/register/", data)
    assert done.status_code == 302
    letter = Letter.objects.get(subject="求助：低保申请")
    assert letter.number.startswith("YCXX-2026-N") and not letter.online
    assert letter.acceptance_timer.due_date == D(2026, 10, 8)
    assert _staff(staff["supervisor"]).get("/staff/interaction/register/").status_code == 403


def test_staff_may_publish_a_shortened_question_and_then_see_it_as_published(new_letter, staff):
    letter = _replied(new_letter, staff)
    clerk = _staff(staff["clerk"])
    shortened = {"question": "红旗路88号附近夜间施工噪音如何处理？", "answer": ""}
    preview = clerk.post(
        f"/staff/interaction/{letter.number}/do/publish/", {**shortened, "preview": "on"}
    )
    page = preview.content.decode()
    assert preview.status_code == 200 and "附近夜间施工噪音如何处理？" in page
    assert "红旗路88号附近" not in _article(page)
    assert "红旗路88号附近" in page  # what was typed stays in the form
    assert (
        clerk.post(f"/staff/interaction/{letter.number}/do/publish/", shortened).status_code == 302
    )
    loopback.deliver()
    reply = PublicReply.objects.get()
    assert reply.question == "******附近夜间施工噪音如何处理？"
    page = clerk.get(f"/staff/interaction/{letter.number}/").content.decode()
    article = _article(page)
    assert "******附近夜间施工噪音如何处理？" in article and "我是李" not in article
