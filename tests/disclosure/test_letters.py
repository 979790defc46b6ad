"""The answer letter: its content for each kind of answer, and the redaction rules for
answers applied to every text of it before it is written as HTML, PDF or DOCX."""

import datetime
import io
import re

import pytest

from egov.directory.models import Organisation
from egov.disclosure.letters import (
    REMEDY,
    compose,
    letter_docx,
    letter_html,
    letter_pdf,
)
from egov.disclosure.models import DisclosureRequest, RedactionRule
from egov.disclosure.redaction import MASK
from tests.disclosure.leaks import found_in_docx, found_in_pdf, pdf_extracted

pytestmark = pytest.mark.django_db

HIDDEN = {
    "the request's own rule": "张三丰",
    "the body's rule": "李四光",
    "a rule for every body": "500101199001011234",
}
VISIBLE = {
    "the applicant": "王小明",
    "another body's rule": "赵六",
    "an inactive rule": "孙七",
    "an attachments-only rule": "示范街道",
}


@pytest.fixture
def body():
    return Organisation.objects.create(code="YC-GK-A", name_zh="永川区甲局", kind="department")


def make_request(body, **fields):
    values = {
        "number": "YCGK-2026-00007",
        "year": 2026,
        "body": body,
        "applicant_type": "person",
        "applicant_name": "王小明",
        "applicant_id_number": "110101199003074514",
        "phone": "13800000000",
        "description": "2025年示范街道改造项目的审批文件",
        "form": "electronic",
        "channel": "online",
        "received_on": datetime.date(2026, 3, 2),
        "answered_on": datetime.date(2026, 3, 20),
        "answer_kind": "disclosed",
        "outcome": "disclosed",
    }
    values.update(fields)
    return DisclosureRequest.objects.create(**values)


@pytest.fixture
def redacted_request(body):
    other = Organisation.objects.create(code="YC-GK-B", name_zh="乙局", kind="department")
    request = make_request(
        body,
        description="2025年示范街道改造项目中张三丰（身份证号500101199001011234）的审批文件",
        answer_kind="partial",
        outcome="partial",
        answer_text=(
            "审批文件中李四光的联系方式、赵六的意见和孙七的签名之外的内容已提供。\n\n"
            "张 三\n丰的身份证号５００１０１１９９００１０１１２３４不予公开。"
        ),
        legal_basis="第十五条",
    )
    create = RedactionRule.objects.create
    create(kind="text", value="张三丰", scope="answers", request=request, reason="个人隐私")
    create(kind="text", value="李四光", scope="all", body=body, reason="个人隐私")
    create(kind="pattern", value=r"\d{17}[\dXx]", scope="all", reason="身份证号")
    create(kind="text", value="赵六", scope="all", body=other, reason="另一机关")
    create(kind="text", value="孙七", scope="answers", reason="停用", active=False)
    create(kind="text", value="示范街道", scope="attachments", reason="仅附件")
    return request


def test_the_letter_hides_every_rules_text_and_nothing_else(redacted_request):
    letter = compose(redacted_request)
    everything = "\n".join(
        [letter.body_name, letter.title, letter.number, letter.addressee, *letter.paragraphs]
    )
    for text in HIDDEN.values():
        assert text not in everything
    for why, text in VISIBLE.items():
        assert text in everything, why
    # in the description (2), the answer text (3 — one with spaces, one full-width)
    assert letter.hidden == 5
    assert f"审批文件中{MASK}的联系方式" in everything
    assert f"{MASK}的身份证号{MASK}不予公开" in everything


def test_no_hidden_text_in_the_html(redacted_request):
    html = letter_html(redacted_request)
    for text in HIDDEN.values():
        assert text not in html
    for why, text in VISIBLE.items():
        assert text in html, why
    assert "政府信息公开申请答复书" in html and "第三十七条" in html


def test_no_hidden_text_in_the_pdf_bytes_streams_strings_or_extracted_text(redacted_request):
    data = letter_pdf(redacted_request)
    assert data.startswith(b"%PDF-")
    for why, text in HIDDEN.items():
        assert found_in_pdf(data, text) == [], why
    for why, text in VISIBLE.items():
        # the finders see a text that is there, in the strings and in the extracted text
        assert {"PDF strings", "extracted text"} <= set(found_in_pdf(data, text)), why
    text = re.sub(r"\s+", "", pdf_extracted(data))
    for expected in (
        "政府信息公开申请答复书",
        "王小明：",
        "2026年3月2日",
        "第三十七条、第十五条",
        REMEDY,
        "永川区甲局",
        "2026年3月20日",
    ):
        assert expected in text


def test_no_hidden_text_in_the_docx_parts(redacted_request):
    from docx import Document

    data = letter_docx(redacted_request)
    for why, text in HIDDEN.items():
        assert found_in_docx(data, text) == [], why
    for why, text in VISIBLE.items():
        assert "word/document.xml" in found_in_docx(data, text), why
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[1] == "政府信息公开申请答复书"
    assert paragraphs[3] == "王小明："
    assert REMEDY in paragraphs
    assert document.core_properties.author == "永川区甲局"


def test_a_rule_can_hide_text_of_the_letter_itself(body):
    # The rules see the whole letter, the parts written by the platform included.
    request = make_request(body, applicant_name="欧阳娜娜")
    RedactionRule.objects.create(kind="text", value="欧阳娜娜", scope="answers", reason="r")
    RedactionRule.objects.create(kind="text", value="甲局", scope="answers", reason="r")
    letter = compose(request)
    assert letter.addressee == f"{MASK}："
    assert letter.body_name == letter.signature == f"永川区{MASK}"
    data = letter_pdf(request)
    assert found_in_pdf(data, "欧阳娜娜") == [] and found_in_pdf(data, "甲局") == []
    assert found_in_docx(letter_docx(request), "甲局") == []


@pytest.mark.parametrize(
    ("kind", "outcome", "fields", "expected"),
    [
        (
            "already_public",
            "disclosed",
            {"where_public": "本局网站政府信息公开专栏"},
            ["第三十六条第（一）项", "本局网站政府信息公开专栏"],
        ),
        ("disclosed", "disclosed", {}, ["第三十六条第（二）项", "现向您提供该政府信息"]),
        (
            "withheld",
            "third_party",
            {},
            ["第十五条、第三十六条第（三）项", "对第三方合法权益造成损害", "决定不予公开"],
        ),
        ("not_exist", "not_held", {}, ["第三十六条第（四）项", "该政府信息不存在"]),
        (
            "not_ours",
            "not_held",
            {"right_body": "永川区乙局"},
            ["第三十六条第（五）项", "该政府信息由永川区乙局负责公开"],
        ),
        ("repeat", "repeat", {}, ["第三十六条第（六）项", "不予重复处理"]),
        ("special_regime", "other", {}, ["第三十六条第（七）项", "特别规定"]),
        ("partial", "partial", {}, ["第三十七条", "作区分处理", f"以“{MASK}”标示"]),
        ("cannot_provide", "needs_making", {}, ["第三十八条", "需要另行制作"]),
        ("not_handled", "petition", {}, ["第三十九条第一款", "信访、投诉、举报"]),
        (
            "not_handled",
            "confirmation",
            {"legal_basis": "《国务院办公厅关于政府信息公开的有关规定》"},
            ["根据《国务院办公厅关于政府信息公开的有关规定》的规定"],
        ),
    ],
)
def test_each_kind_of_answer_cites_its_article(body, kind, outcome, fields, expected):
    request = make_request(body, answer_kind=kind, outcome=outcome, **fields)
    letter = compose(request)
    answer = letter.paragraphs[1]
    for text in expected:
        assert text in answer
    assert letter.paragraphs[0].startswith("本机关于2026年3月2日收到您提交的政府信息公开申请")
    assert REMEDY in letter.paragraphs


def test_the_legal_basis_recorded_is_cited_after_the_article(body):
    request = make_request(body, answer_kind="withheld", outcome="process", legal_basis="第十四条")
    assert (
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项、第十四条"
        in (compose(request).paragraphs[1])
    )


def test_a_fee_is_stated_with_its_method(body):
    request = make_request(body, fee_method="by_pages", fee_pages=45, fee_amount=150)
    assert any(
        p.endswith("本次申请按量计收信息处理费150元（共45页）。")
        for p in compose(request).paragraphs
    )
    free = make_request(body, number="YCGK-2026-00008")
    assert not any("信息处理费" in p for p in compose(free).paragraphs)


def test_no_letter_without_an_answer(body):
    with pytest.raises(ValueError, match="no answer"):
        compose(make_request(body, answer_kind="", outcome=""))
