"""Guarding the mailboxes: the moderation queue (abusive terms as data, flags by staff,
release and rejection by moderators, told to the writer), permission-checked and audited."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from egov.core.models import AuditEntry
from egov.exchange.transports import loopback
from egov.interaction import guard, services
from egov.interaction.models import AbusiveTerm, Letter, Moderation, OnlineLetter, Status
from egov.interaction.services import InteractionError, InteractionPermissionError
from tests.conftest import login_verified

ABUSIVE = "你们这帮废物，红旗路夜间施工噪音严重，请查处。"


@pytest.fixture
def terms(db):
    AbusiveTerm.objects.create(term="废物")
    AbusiveTerm.objects.create(term="滚蛋", is_active=False)


def _staff(user) -> Client:
    other = Client()
    login_verified(other, user)
    return other


# --- holding ----------------------------------------------------------------------------


def test_a_letter_with_an_abusive_term_is_held_and_not_routed(new_letter, staff, terms):
    letter = new_letter(text=ABUSIVE)
    assert letter.moderation == Moderation.HELD and "废物" in letter.held_reason
    assert letter.events.filter(action="held", public=False).exists()
    with pytest.raises(InteractionError, match="held for moderation"):
        services.accept(letter, by=staff["office"])
    assert Letter.objects.get(pk=letter.pk).status == Status.REGISTERED


def test_an_inactive_term_or_a_clean_letter_is_not_held(new_letter, terms):
    assert new_letter(text="滚蛋吧噪音，请查处。").moderation == Moderation.NONE
    assert new_letter().moderation == Moderation.NONE


def test_terms_are_matched_without_regard_to_case(new_letter, db):
    AbusiveTerm.objects.create(term="Idiot")
    assert guard.abusive_terms_in("you IDIOTS", "") == ["Idiot"]
    assert new_letter(subject="idiot clerks").is_held


def test_staff_flag_a_letter_with_a_reason_before_it_is_routed(new_letter, staff, bodies):
    letter = new_letter()
    with pytest.raises(InteractionError):
        guard.flag(letter, by=staff["office"], reason="短")
    with pytest.raises(InteractionPermissionError):
        guard.flag(letter, by=staff["clerk"], reason="信中有人身攻击的内容。")  # not their letter
    letter = guard.flag(letter, by=staff["office"], reason="信中有人身攻击的内容。")
    assert letter.is_held
    assert AuditEntry.objects.filter(action="interaction.held", actor=staff["office"]).exists()
    routed = services.accept(new_letter(), by=staff["office"])
    routed = services.route(routed, by=staff["office"], to_body=bodies["YC-SCJG"])
    with pytest.raises(InteractionError):
        guard.flag(routed, by=staff["head"], reason="信中有人身攻击的内容。")


# --- release and rejection --------------------------------------------------------------


def test_a_moderator_releases_and_handling_goes_on(new_letter, staff, terms):
    letter = new_letter(text=ABUSIVE)
    with pytest.raises(InteractionPermissionError):
        guard.release(letter, by=staff["office"])  # a clerk is no moderator
    letter = guard.release(letter, by=staff["office_head"], note="情绪化表达，内容属实。")
    assert letter.moderation == Moderation.RELEASED and letter.moderated_by == staff["office_head"]
    assert AuditEntry.objects.filter(action="interaction.released").exists()
    assert services.accept(letter, by=staff["office"]).status == Status.ACCEPTED
    with pytest.raises(InteractionError):
        guard.release(letter, by=staff["office_head"])  # no longer held


def test_a_rejection_closes_the_letter_and_tells_the_writer(new_letter, staff, terms):
    letter = new_letter(text=ABUSIVE)
    with pytest.raises(InteractionError):
        guard.reject(letter, by=staff["office_head"], reason="不行")
    letter = guard.reject(
        letter, by=staff["office_head"], reason="来信含有侮辱性语言，请文明表述后重新来信。"
    )
    assert letter.status == Status.NOT_ACCEPTED and letter.moderation == Moderation.REJECTED
    assert letter.closed_on is not None
    letter.acceptance_timer.refresh_from_db()
    assert letter.acceptance_timer.stopped_at is not None
    event = letter.events.get(action="not_accepted")
    assert event.public and "侮辱性语言" in event.note


def test_the_writer_online_reads_the_reason_of_the_rejection(client, staff, terms, bodies):
    from tests.hall.conftest import citizen

    from .conftest import person_check
    from .test_views import GOOD, Mailbox

    client.force_login(citizen(name="李四光", id_number="110105194912310021", mobile="13912345678"))
    data = {**GOOD, "text": ABUSIVE, "mailbox": Mailbox.objects.get(code="head").pk}
    assert client.post("/interaction/write/", {**data, **person_check()}).status_code == 302
    loopback.deliver()
    letter = Letter.objects.get()
    assert letter.is_held
    guard.reject(
        letter, by=staff["office_head"], reason="来信含有侮辱性语言，请文明表述后重新来信。"
    )
    loopback.deliver()
    row = OnlineLetter.objects.get()
    assert row.status == Status.NOT_ACCEPTED
    page = client.get(f"/interaction/letters/{row.query_code}/").content.decode()
    assert "请文明表述后重新来信" in page
    assert "废物" not in str(row.steps)  # the held reason is internal


# --- the pages --------------------------------------------------------------------------


def test_the_queue_is_for_moderators_and_audited(new_letter, staff, terms):
    held = new_letter(text=ABUSIVE)
    new_letter()  # not held
    assert _staff(staff["office"]).get("/staff/interaction/moderation/").status_code == 403
    response = _staff(staff["office_head"]).get("/staff/interaction/moderation/")
    assert response.status_code == 200
    page = response.content.decode()
    assert held.number in page and page.count("/staff/interaction/YCXX-") == 1
    assert "李**" in page and "李四光" not in page
    entry = AuditEntry.objects.filter(action="person.list", actor=staff["office_head"]).get()
    assert str(held.pk) in str(entry.detail)


def test_a_moderator_of_another_body_does_not_see_the_letter(new_letter, staff, terms):
    held = new_letter(text=ABUSIVE)
    page = _staff(staff["head"]).get("/staff/interaction/moderation/").content.decode()
    assert held.number not in page
    with pytest.raises(InteractionPermissionError):
        guard.release(held, by=staff["head"])


def test_the_detail_page_offers_release_and_reject_to_moderators_only(new_letter, staff, terms):
    held = new_letter(text=ABUSIVE)
    url = f"/staff/interaction/{held.number}/"
    clerk_page = _staff(staff["office"]).get(url).content.decode()
    assert "/do/release/" not in clerk_page and "/do/accept/" not in clerk_page
    response = _staff(staff["office"]).post(url + "do/release/", {"note": ""})
    assert response.status_code == 403
    head = _staff(staff["office_head"])
    page = head.get(url).content.decode()
    assert "/do/release/" in page and "/do/reject/" in page and "废物" in page
    response = head.post(url + "do/reject/", {"reason": "短"})
    assert response.status_code == 400 and 'id="id_reason_error"' in response.content.decode()
    assert head.post(url + "do/release/", {"note": "可以办理。"}).status_code == 302
    assert Letter.objects.get(pk=held.pk).moderation == Moderation.RELEASED


def test_a_clerk_flags_through_the_page(new_letter, staff):
    letter = new_letter()
    url = f"/staff/interaction/{letter.number}/"
    office = _staff(staff["office"])
    assert "/do/flag/" in office.get(url).content.decode()
    response = office.post(url + "do/flag/", {"reason": "x"})
    assert response.status_code == 400
    assert office.post(url + "do/flag/", {"reason": "信中有人身攻击的内容。"}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).is_held


# --- duplicates -------------------------------------------------------------------------


def test_similarity_is_the_bigram_jaccard_of_the_normalised_texts():
    assert guard.normalise("红旗路，夜间 施工！ABC") == "红旗路夜间施工abc"
    assert guard.bigrams("噪音噪音") == {"噪音", "音噪"}  # a set: repeats count once
    assert guard.similarity("红旗路施工", "红旗路施工。") == 1.0
    # 红旗/旗路/路施/施工 against 红旗/旗路/路噪/噪音: 2 shared of 6
    assert guard.similarity("红旗路施工", "红旗路噪音") == pytest.approx(2 / 6)
    assert guard.similarity("", "") == 0.0


def test_similar_letters_by_text_or_writer_within_the_window(new_letter, staff, settings):
    settings.EGOV_LETTER_DUPLICATE_DAYS = 10
    first = new_letter()
    same_text = new_letter(
        writer_name="王五", phone="13800138000", text=first.text + "谢谢！", subject=first.subject
    )
    same_writer = new_letter(subject="公园路灯不亮", text="中山公园的路灯坏了一个月。")
    other = new_letter(
        writer_name="王五", phone="13800138000", subject="公园路灯不亮", text="中山公园的路灯坏了。"
    )
    far = new_letter(received_on=first.received_on - datetime.timedelta(days=11))
    found = {
        row.number: (score, writer)
        for row, score, writer in guard.similar_letters(first, staff["office"])
    }
    assert same_text.number in found and found[same_text.number][0] >= 0.6
    assert found[same_writer.number][1] is True
    assert other.number not in found and far.number not in found
    assert first.number not in found
    assert guard.similar_letters(first, staff["clerk"]) == []  # letters they do not see


def test_a_duplicate_is_merged_into_the_original_and_its_writer_told(new_letter, staff):
    original = new_letter()
    duplicate = new_letter(text=original.text + "请尽快！")
    with pytest.raises(InteractionError):
        guard.merge(original, into=duplicate, by=staff["office"])  # the later into the earlier
    with pytest.raises(InteractionPermissionError):
        guard.merge(duplicate, into=original, by=staff["clerk"])
    merged = guard.merge(duplicate, into=original, by=staff["office"], reason="同一事项。")
    assert merged.status == Status.CLOSED and merged.duplicate_of == original
    merged.acceptance_timer.refresh_from_db()
    assert merged.acceptance_timer.stopped_at is not None
    event = merged.events.get(action="merged")
    assert event.public and original.number in event.note
    assert AuditEntry.objects.filter(action="interaction.merged", actor=staff["office"]).exists()
    assert Letter.objects.get(pk=original.pk).status == Status.REGISTERED  # untouched
    third = new_letter(text=original.text)
    with pytest.raises(InteractionError, match="merge into that one"):
        guard.merge(third, into=merged, by=staff["office"])
    assert [row for row, _s, _w in guard.similar_letters(third, staff["office"])] == [original]


def test_the_staff_page_shows_similar_letters_and_merges(new_letter, staff):
    original = new_letter()
    duplicate = new_letter(text=original.text + "请尽快！")
    office = _staff(staff["office"])
    url = f"/staff/interaction/{duplicate.number}/"
    page = office.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Similar letters" in page and original.number in page and "/do/merge/" in page
    response = office.post(url + "do/merge/", {"into": "YCXX-2026-N99999", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_into_error"' in html and "YCXX-2026-N99999" in html
    assert (
        _staff(staff["clerk"]).post(url + "do/merge/", {"into": original.number}).status_code == 404
    )
    assert office.post(url + "do/merge/", {"into": original.number}).status_code == 302
    assert Letter.objects.get(pk=duplicate.pk).duplicate_of_id == original.pk
    assert original.number in office.get(url).content.decode()


# --- statistics per body ----------------------------------------------------------------


def _reply(new_letter, staff, *, received, replied, rating=""):
    from egov.interaction.models import Mailbox

    letter = new_letter(
        mailbox=Mailbox.objects.get(code="YC-SCJG"), by=staff["clerk"], received_on=received
    )
    letter = services.accept(letter, by=staff["clerk"], on=received)
    if replied is None:
        return letter
    letter = services.draft_reply(letter, by=staff["clerk"], text="经查，施工单位已停止夜间施工。")
    letter = services.review_reply(letter, by=staff["reviewer"], approve=True)
    letter = services.sign_off(letter, by=staff["approver"])
    letter = services.reply(letter, by=staff["clerk"], on=replied)
    if rating:
        letter = services.rate(letter, rating=rating, by=staff["clerk"], follow_up=True)
    return letter


@pytest.fixture
def figures(new_letter, staff):
    D = datetime.date
    _reply(new_letter, staff, received=D(2026, 9, 1), replied=D(2026, 9, 11), rating="satisfied")
    _reply(new_letter, staff, received=D(2026, 9, 2), replied=D(2026, 9, 22), rating="basically")
    _reply(  # 60 days from 3 September end on 2 November: late
        new_letter, staff, received=D(2026, 9, 3), replied=D(2026, 11, 20), rating="dissatisfied"
    )
    _reply(new_letter, staff, received=D(2026, 9, 4), replied=D(2026, 9, 14))
    _reply(new_letter, staff, received=D(2026, 9, 5), replied=None)
    original = new_letter(received_on=D(2026, 9, 6))  # the district government's mailbox
    guard.merge(new_letter(received_on=D(2026, 9, 7)), into=original, by=staff["office"])
    new_letter(mailbox=None or original.mailbox, received_on=D(2025, 12, 31))  # before


def test_statistics_agree_with_the_raw_counts(figures, bodies):
    D = datetime.date
    rows = {
        row.body_name: row
        for row in guard.statistics(
            [bodies["YC-SCJG"].pk, bodies["YC-ZF"].pk], D(2026, 1, 1), D(2026, 12, 31)
        )
    }
    scjg = rows[bodies["YC-SCJG"].name_zh]
    letters = Letter.objects.filter(handling_body=bodies["YC-SCJG"])
    replied = [row for row in letters if row.replied_on]
    assert scjg.received == letters.count() == 5
    assert scjg.replied == len(replied) == 4
    assert (
        scjg.on_time
        == sum(
            not row.events.filter(action="replied", detail__on_time=False).exists()
            for row in replied
        )
        == 3
    )
    assert (
        scjg.average_days
        == round(sum((row.replied_on - row.received_on).days for row in replied) / len(replied), 1)
        == round((10 + 20 + 78 + 10) / 4, 1)
    )
    assert (scjg.rated, scjg.satisfied, scjg.basically, scjg.dissatisfied) == (3, 1, 1, 1)
    assert scjg.satisfaction == pytest.approx(2 / 3) and scjg.on_time_rate == 0.75
    zf = rows[bodies["YC-ZF"].name_zh]
    assert zf.received == 1  # the merged duplicate counts once; 2025 is outside the period
    assert zf.replied == 0 and zf.average_days is None and zf.satisfaction is None


def test_the_statistics_page_is_scoped(figures, staff, bodies):
    url = "/staff/interaction/statistics/?start=2026-01-01&end=2026-12-31"
    supervisor = _staff(staff["supervisor"]).get(url)
    assert supervisor.status_code == 200
    page = supervisor.content.decode()
    assert bodies["YC-SCJG"].name_zh in page and bodies["YC-ZF"].name_zh in page
    clerk = _staff(staff["clerk"]).get(url).content.decode()
    assert bodies["YC-SCJG"].name_zh in clerk
    assert f'<th scope="row">{bodies["YC-ZF"].name_zh}</th>' not in clerk
    assert _staff(staff["mzj"]).get(url).content.decode().count('scope="row"') == 0


def test_the_statistics_page_is_refused_without_the_role(client, db, bodies):
    from tests.hall.conftest import citizen

    client.force_login(citizen(name="李四光", id_number="110105194912310021", mobile="13912345678"))
    assert client.get("/staff/interaction/statistics/").status_code == 403


def test_a_bad_date_is_named_next_to_its_field(staff):
    response = _staff(staff["clerk"]).get("/staff/interaction/statistics/?start=2026-13-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_start_error"' in page and 'value="2026-13-01"' in page


def test_the_inspector_gets_the_consultations_of_the_letters(figures, new_letter, staff, bodies):
    from egov.interaction.inspector import LetterConsultations

    asked = new_letter(category="consultation", received_on=datetime.date(2026, 9, 8))
    found = list(
        LetterConsultations().consultations(
            [bodies["YC-ZF"].pk], datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        )
    )
    # Every letter of the body's mailboxes counts (decision 0022), this one among them.
    (item,) = [item for item in found if item.reference == asked.number]
    assert item.answered_at is None and item.valid


def test_office_heads_edit_the_abusive_terms_in_the_back_office_audited(staff):
    head = _staff(staff["office_head"])
    response = head.post(
        "/backoffice/interaction/abusiveterm/add/", {"term": "垃圾", "is_active": "on", "note": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    term = AbusiveTerm.objects.get(term="垃圾")
    assert AuditEntry.objects.filter(
        action="interaction.abusive_term.added", actor=staff["office_head"]
    ).exists()
    clerk = _staff(staff["office"])
    assert clerk.get("/backoffice/interaction/abusiveterm/").status_code in (302, 403)
    response = clerk.post(f"/backoffice/interaction/abusiveterm/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code in (302, 403) and AbusiveTerm.objects.filter(pk=term.pk).exists()
    head.post(f"/backoffice/interaction/abusiveterm/{term.pk}/delete/", {"post": "yes"})
    assert not AbusiveTerm.objects.filter(pk=term.pk).exists()
    assert AuditEntry.objects.filter(action="interaction.abusive_term.deleted").exists()
