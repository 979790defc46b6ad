"""The FAQ / knowledge base (decision 0023): an entry proposed by a published reply holds
nothing personal of the letter; the published catalogue's guides give entries that follow the
catalogue; the search reads Chinese as the portal does (any order, synonyms); the suggestions
find what a writer types and nothing unpublished; the letter form's "check similar questions
first" keeps everything typed; curating needs the permission and the body."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from egov.core.models import AuditEntry
from egov.exchange.transports import loopback
from egov.interaction import faq, services
from egov.interaction.models import FaqEntry, Mailbox, OnlineLetter
from egov.portal.models import Synonym
from egov.services.models import PublishedServiceItem
from tests.conftest import login_verified
from tests.hall.conftest import citizen

from .conftest import person_check
from .test_participation import participation_editor
from .test_views import GOOD, PERSONAL, _replied

D = datetime.date


def _staff(user) -> Client:
    other = Client()
    login_verified(other, user)
    return other


def _published_item(body, code="11500118MB0000001A001", name="食品经营许可", **guide):
    complete = {
        "name": name,
        "fee_charged": False,
        "fees": [],
        "materials": [
            {"name": "食品经营许可申请书", "form": "original", "copies": 1, "required": True},
            {"name": "营业执照", "form": "copy", "copies": 1, "required": True},
        ],
        "place": "永川区政务服务中心2楼5号窗口",
        "hours": "工作日 9:00-17:00",
        "phone": "023-49888888",
        "promised_limit": {"days": 10, "unit": "working"},
        "statutory_limit": {"days": 20, "unit": "working"},
        "faqs": [{"question": "食品经营许可证有效期多久？", "answer": "有效期为5年。"}],
    }
    values = {
        "basic_code": code[:12],
        "body_code": body.code,
        "body_name_zh": body.name_zh,
        "name": name,
        "item_type": "licensing",
        "audience": "legal",
        "handling_kind": "promised",
        "online_depth": 2,
        "fee_charged": False,
        "has_online_form": False,
        "version_number": 1,
        "published_at": timezone.now(),
        "guide": {**complete, **guide},
    }
    row, _ = PublishedServiceItem.objects.update_or_create(
        implementation_code=code, defaults=values
    )
    return row


def _entry(body, question, answer, *, by, topic="", publish=True):
    return faq.create_entry(
        by=by, body=body, question=question, answer=answer, topic=topic, publish=publish
    )


# --- from a published reply ------------------------------------------------------------------


def test_a_published_reply_proposes_an_entry_without_personal_data(client, new_letter, staff):
    letter = _replied(new_letter, staff)
    services.publish_reply(letter, by=staff["clerk"])
    assert loopback.deliver().quarantined == 0
    entry = FaqEntry.objects.get()
    assert entry.source == FaqEntry.Source.REPLY and not entry.is_published
    assert entry.body == letter.handling_body and entry.question == letter.subject
    for value in PERSONAL:
        assert value not in f"{entry.question}{entry.context}{entry.answer}", value
    assert "139****5678" in entry.context  # the reply's masked question
    # proposed, not public
    assert client.get(f"/interaction/faq/{entry.pk}/").status_code == 404
    assert letter.subject not in client.get("/interaction/faq/").content.decode()

    head = _staff(staff["head"])  # 区市场监管局's office head: curates its entries
    assert letter.subject in head.get("/interaction/faq/manage/").content.decode()
    response = head.post(f"/interaction/faq/manage/{entry.pk}/publish/", {"publish": "1"})
    assert response.status_code == 302
    html = client.get(f"/interaction/faq/{entry.pk}/").content.decode()
    assert "经查，施工单位已停止夜间施工。" in html
    for value in PERSONAL:
        assert value not in html, value
    assert f"/interaction/replies/{letter.number}/" in html
    assert AuditEntry.objects.filter(action="interaction.faq.published").count() == 1


def test_staff_edits_are_masked_and_stop_following_the_reply(new_letter, staff, bodies):
    letter = _replied(new_letter, staff)
    services.publish_reply(letter, by=staff["clerk"])
    loopback.deliver()
    entry = FaqEntry.objects.get()
    faq.update_entry(
        entry,
        by=staff["head"],
        question="夜间施工噪音扰民怎么办？",
        answer="可拨打13912345678或写信lisiguang@example.com，身份证500118199001011234。",
        topic="城市管理",
    )
    entry.refresh_from_db()
    assert entry.curated and entry.topic == "城市管理"
    for value in ("13912345678", "lisiguang@", "199001011"):
        assert value not in entry.answer
    # the reply published again (shortened) no longer rewrites the edited entry
    services.publish_reply(letter, by=staff["clerk"], question="噪音问题")
    loopback.deliver()
    entry.refresh_from_db()
    assert entry.question == "夜间施工噪音扰民怎么办？"


def test_a_reply_to_a_letter_written_online_masks_the_writers_name_in_staff_edits(staff, bodies):
    writer = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    OnlineLetter.objects.create(
        number="YCXX-2026-00042",
        query_code="ABCD-EFGH-JKMN-PQRS",
        writer=writer,
        mailbox=Mailbox.objects.get(code="YC-SCJG"),
        category="consultation",
        subject="营业执照",
        text="……",
        writer_name="李四光",
        phone="13912345678",
        address="重庆市永川区中山路街道红旗路88号",
    )
    from egov.interaction.models import PublicReply

    reply = PublicReply.objects.create(
        number="YCXX-2026-00042",
        mailbox=Mailbox.objects.get(code="YC-SCJG"),
        category="consultation",
        body_name=bodies["YC-SCJG"].name_zh,
        subject="营业执照办理",
        question="请问营业执照怎么办理？",
        answer="请到政务服务中心办理。",
        asked_on=D(2026, 9, 1),
        replied_on=D(2026, 9, 10),
        published_at=timezone.now(),
    )
    entry = FaqEntry.objects.get(public_reply=reply)
    faq.update_entry(
        entry,
        by=staff["head"],
        question="营业执照怎么办理？",
        answer="李四光同志：住红旗路88号的，请到中心办理。",
    )
    entry.refresh_from_db()
    assert "李四光" not in entry.answer and "红旗路88号" not in entry.answer


# --- from the published catalogue ------------------------------------------------------------


def test_a_published_item_gives_entries_that_follow_the_catalogue(client, bodies, staff):
    scjg = bodies["YC-SCJG"]
    item = _published_item(scjg)
    entries = {
        e.service_key: e for e in FaqEntry.objects.filter(service_code=item.implementation_code)
    }
    assert set(entries) == {"materials", "time", "fees", "where", "faq0"}
    assert entries["materials"].question == "办理食品经营许可需要什么材料？"
    assert "营业执照" in entries["materials"].answer
    assert entries["time"].answer == "承诺办结时限为10个工作日（法定时限20个工作日）。"
    assert entries["fees"].answer == "不收费。"
    assert all(
        e.is_published and e.body == scjg and e.topic == "食品经营许可" for e in entries.values()
    )
    page = client.get(f"/interaction/faq/{entries['materials'].pk}/").content.decode()
    assert f"/hall/items/{item.implementation_code}/" in page

    # staff hide one; a new version rewrites the words and keeps it hidden
    faq.set_published(entries["where"], by=staff["head"], published=False)
    with pytest.raises(faq.FaqError):
        faq.update_entry(entries["fees"], by=staff["head"], question="x", answer="y")
    _published_item(
        scjg, fee_charged=True, fees=[{"name": "工本费", "amount": "10", "rule": ""}], faqs=[]
    )
    after = {
        e.service_key: e for e in FaqEntry.objects.filter(service_code=item.implementation_code)
    }
    assert set(after) == {"materials", "time", "fees", "where"}
    assert after["fees"].answer == "收费：工本费：10元。"
    assert not after["where"].is_published

    # withdrawn: its entries go
    PublishedServiceItem.objects.filter(pk=item.pk).delete()
    assert not FaqEntry.objects.filter(service_code=item.implementation_code).exists()
    _published_item(scjg, code="11500118MB0000009A001", name="酒类经营许可")
    FaqEntry.objects.filter(service_code="11500118MB0000009A001").delete()
    assert faq.sync_catalogue() == 1
    assert FaqEntry.objects.filter(service_code="11500118MB0000009A001").count() == 5


# --- search and suggestions -------------------------------------------------------------------


@pytest.fixture
def entries(staff, bodies):
    by, body = staff["office_head"], bodies["YC-ZF"]
    Synonym.objects.create(terms="社保, 社会保险")
    return {
        "card": _entry(
            body,
            "社会保险卡丢失了怎么补办？",
            "携带身份证到社保经办窗口挂失补办。",
            by=by,
            topic="社会保障",
        ),
        "fund": _entry(
            body, "住房公积金提取需要哪些条件？", "购房、租房或退休可以提取。", by=by, topic="住房"
        ),
        "hidden": _entry(
            body, "社会保险卡补办收费吗？", "内部草稿，尚未公开。", by=by, publish=False
        ),
        "bus": _entry(
            body,
            "老年人公交优惠卡在哪里办理？",
            "65岁以上老人到公交公司服务点办理。",
            by=by,
            topic="交通出行",
        ),
    }


def _found(query, **params):
    page = Client().get("/interaction/faq/", {"q": query, **params}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    return page.content.decode()


def test_search_reads_chinese_in_any_order_and_with_synonyms(entries):
    assert [e.pk for e in faq.search("提取 公积金")[1]] == [entries["fund"].pk]
    assert [e.pk for e in faq.search("公积金怎么提取")[1]] == [entries["fund"].pk]
    # 社保 is a synonym of 社会保险; 社保卡 finds 社会保险卡, but not the unpublished entry
    assert [e.pk for e in faq.search("社保卡补办")[1]] == [entries["card"].pk]
    html = _found("社保卡补办")
    assert "1 question found." in html and "<mark>补办</mark>" in html
    assert "尚未公开" not in html and "收费吗" not in html
    assert "No question matches" in _found("营业执照")
    assert "老年人公交优惠卡" in _found("", topic="交通出行")
    assert "住房公积金" not in _found("", topic="交通出行")


def test_suggestions_find_what_a_writer_types_and_nothing_unpublished(entries):
    response = Client().get(
        "/interaction/faq/suggest/",
        {"q": "社保卡丢了 我的社保卡上周丢了，请问去哪里补办，要不要收费？"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f"/interaction/faq/{entries['card'].pk}/" in html
    assert f"/interaction/faq/{entries['hidden'].pk}/" not in html and "尚未公开" not in html
    assert f"/interaction/faq/{entries['fund'].pk}/" not in html
    other = Client().get("/interaction/faq/suggest/", {"q": "路灯坏了"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "No similar question has been answered yet." in other.content.decode()
    assert "similar" not in Client().get("/interaction/faq/suggest/").content.decode()


def test_checking_similar_questions_without_javascript_keeps_the_letter(client, bodies, entries):
    writer = citizen(name="李四光", id_number="110105194912310021", mobile="13912345678")
    client.force_login(writer)
    data = {
        **GOOD,
        "subject": "社保卡丢了怎么补办",
        "text": "我的社会保险卡丢了，请问怎么补办？",
        "mailbox": Mailbox.objects.get(code="head").pk,
        **person_check(),
        "similar": "1",
    }
    response = client.post("/interaction/write/", data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and not OnlineLetter.objects.exists()
    assert f"/interaction/faq/{entries['card'].pk}/" in html and "挂失补办" in html
    for value in (
        "社保卡丢了怎么补办",
        "我的社会保险卡丢了，请问怎么补办？",
        "lisiguang@example.com",
    ):
        assert value in html
    assert 'value="consultation" checked' in html.replace("\n", " ") or "checked" in html
    assert f'value="{data["answer"]}"' in html and "error" not in html.split("<main")[1].split(
        "Similar questions already answered"
    )[0].replace("aria-describedby", "")
    # sent as it stands: the letter goes
    del data["similar"]
    response = client.post("/interaction/write/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        response.status_code == 302 and OnlineLetter.objects.get().subject == "社保卡丢了怎么补办"
    )


# --- who curates ------------------------------------------------------------------------------


def test_curating_needs_the_permission_and_the_body(staff, bodies, entries):
    card = entries["card"]  # 区人民政府's
    new = {
        "body": bodies["YC-ZF"].pk,
        "topic": "社会保障",
        "question": "医保怎么报销？",
        "answer": "凭票据报销。",
    }
    # a window clerk has no permission
    clerk = _staff(staff["office"])
    assert clerk.get("/interaction/faq/manage/").status_code == 403
    assert clerk.post("/interaction/faq/manage/new/", new).status_code == 403
    assert (
        clerk.post(f"/interaction/faq/manage/{card.pk}/publish/", {"publish": "0"}).status_code
        == 403
    )
    # an office head of another body: not this body's entries
    other = _staff(staff["mzj_head"])
    assert other.get("/interaction/faq/manage/").status_code == 200
    assert other.get(f"/interaction/faq/manage/{card.pk}/").status_code == 404
    assert (
        other.post(f"/interaction/faq/manage/{card.pk}/publish/", {"publish": "0"}).status_code
        == 404
    )
    refused = other.post("/interaction/faq/manage/new/", new)
    assert refused.status_code == 400 and 'id="id_body_error"' in refused.content.decode()
    with pytest.raises(PermissionDenied):
        faq.set_published(card, by=staff["mzj_head"], published=False)
    # residents and strangers
    resident = Client()
    resident.force_login(citizen())
    assert resident.get("/interaction/faq/manage/").status_code == 403
    assert Client().get("/interaction/faq/manage/").status_code == 302
    card.refresh_from_db()
    assert card.is_published

    # the body's website editor may: add, edit (masked), hide
    editor = _staff(participation_editor(staff, bodies))
    response = editor.post("/interaction/faq/manage/new/", {**new, "publish": "on"})
    assert response.status_code == 302
    added = FaqEntry.objects.get(question="医保怎么报销？")
    assert added.is_published and added.source == FaqEntry.Source.STAFF
    response = editor.post(
        f"/interaction/faq/manage/{card.pk}/",
        {
            "topic": "社会保障",
            "question": "社保卡丢了怎么补办？",
            "answer": "咨询电话13800138000。",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.question == "社保卡丢了怎么补办？" and "13800138000" not in card.answer
    assert (
        editor.post(f"/interaction/faq/manage/{card.pk}/publish/", {"publish": "0"}).status_code
        == 302
    )
    card.refresh_from_db()
    assert not card.is_published
    assert Client().get(f"/interaction/faq/{card.pk}/").status_code == 404
    assert {"interaction.faq.created", "interaction.faq.changed", "interaction.faq.hidden"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
    # an edit that is refused keeps what was typed
    bad = editor.post(
        f"/interaction/faq/manage/{card.pk}/",
        {"topic": "社会保障", "question": "", "answer": "保留的答案"},
    )
    assert bad.status_code == 400 and "保留的答案" in bad.content.decode()


def test_pages_in_both_languages(entries):
    for language in ("en", "zh-hans"):
        for url in (
            "/interaction/faq/",
            f"/interaction/faq/{entries['card'].pk}/",
            "/interaction/faq/?q=社保",
        ):
            assert Client().get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
