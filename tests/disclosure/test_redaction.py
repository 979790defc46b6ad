"""Redaction: which rules apply, what they hide in text, the staff preview, the refusal of
unsafe patterns, and attachments (DOCX in place, PDF as a text copy, plain text, the rest)."""

import base64
import datetime
import io
import re
import time

import pytest
from django.core.exceptions import ValidationError

from egov.directory.models import Organisation
from egov.disclosure.models import DisclosureRequest, RedactionRule
from egov.disclosure.redaction import (
    MASK,
    RedactionError,
    RuleSet,
    clean_rule,
    extract_text,
    preview,
    redact_file,
    redact_request_file,
    redact_text,
    rules_for,
    validate_rule,
)
from tests.disclosure.leaks import docx_parts, found_in_docx, found_in_pdf, pdf_extracted

SECRET = "张三丰"
ID_NUMBER = "500101199001011234"
ID_PATTERN = r"\d{17}[\dXx]"
EMAIL = "zhangsanfeng@example.com"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def rule(value, kind="text", scope="all", reason="个人隐私", **fields):
    """An unsaved rule, for the functions that take rules."""
    return RedactionRule(kind=kind, value=value, scope=scope, reason=reason, **fields)


# --- which rules apply ---------------------------------------------------------------------


@pytest.fixture
def bodies(db):
    return (
        Organisation.objects.create(code="YC-GK-A", name_zh="甲局", kind="department"),
        Organisation.objects.create(code="YC-GK-B", name_zh="乙局", kind="department"),
    )


def make_request(body, number="YCGK-2026-00001", **fields):
    values = {
        "number": number,
        "year": 2026,
        "body": body,
        "applicant_type": "person",
        "applicant_name": "王小明",
        "applicant_id_number": "110101199003074514",
        "phone": "13800000000",
        "description": "某项目的审批文件",
        "form": "electronic",
        "channel": "online",
        "received_on": datetime.date(2026, 3, 2),
    }
    values.update(fields)
    return DisclosureRequest.objects.create(**values)


def test_the_rules_of_every_body_the_body_and_the_request_apply_and_no_others(bodies):
    body, other = bodies
    request = make_request(body)
    another_request = make_request(body, number="YCGK-2026-00002")
    create = RedactionRule.objects.create
    create(kind="text", value="every body", scope="all", reason="r")
    create(kind="text", value="this body", scope="answers", body=body, reason="r")
    create(kind="text", value="this request", scope="all", request=request, reason="r")
    create(kind="text", value="attachments only", scope="attachments", reason="r")
    create(kind="text", value="other body", scope="all", body=other, reason="r")
    create(kind="text", value="other request", scope="all", request=another_request, reason="r")
    create(kind="text", value="inactive", scope="all", body=body, reason="r", active=False)

    answers = [r.value for r in rules_for(request, "answers")]
    attachments = [r.value for r in rules_for(request, "attachments")]
    assert answers == ["every body", "this body", "this request"]
    assert attachments == ["every body", "this request", "attachments only"]
    with pytest.raises(ValueError, match="scope"):
        rules_for(request, "all")


def test_another_bodys_rule_and_an_inactive_rule_leave_the_text_alone(bodies):
    body, other = bodies
    request = make_request(body)
    RedactionRule.objects.create(kind="text", value="王五", scope="all", body=other, reason="r")
    RedactionRule.objects.create(
        kind="text", value="赵六", scope="all", body=body, reason="r", active=False
    )
    RedactionRule.objects.create(kind="text", value=SECRET, scope="all", body=body, reason="r")
    result = redact_text(f"王五、赵六和{SECRET}", rules_for(request, "answers"))
    assert result.text == f"王五、赵六和{MASK}"
    assert result.count == 1


# --- text ----------------------------------------------------------------------------------


def test_every_match_becomes_the_same_mask_whatever_its_length():
    rules = [rule("李四"), rule("欧阳娜娜娜娜"), rule(ID_PATTERN, kind="pattern")]
    result = redact_text(f"李四与欧阳娜娜娜娜，身份证号{ID_NUMBER}。", rules)
    assert result.text == f"{MASK}与{MASK}，身份证号{MASK}。"
    assert [(s.start, s.end) for s in result.spans] == [(0, 2), (3, 9), (14, 32)]
    assert result.original[14:32] == ID_NUMBER


def test_a_text_rule_ignores_case_line_breaks_and_full_width_forms():
    rules = [rule(SECRET), rule("Li Ming"), rule(ID_PATTERN, kind="pattern")]
    text = "张 三\n丰；LI  MING；１２３４５６７８９０１２３４５６７８"
    result = redact_text(text, rules)
    assert result.text == f"{MASK}；{MASK}；{MASK}"
    assert result.spans[2].end == len(text)


def test_overlapping_and_adjacent_matches_are_one_span():
    result = redact_text("甲乙丙丁戊", [rule("甲乙丙"), rule("乙丙丁"), rule("戊")])
    assert result.text == MASK
    assert result.count == 1


def test_the_preview_escapes_the_text_and_shows_what_is_hidden_only_in_marks():
    text = f"<script>x</script>申请人{SECRET}，身份证{ID_NUMBER}，住址保密"
    shown = preview(text, [rule(SECRET, reason="个人姓名"), rule(ID_PATTERN, kind="pattern")])
    assert shown.count == 2
    assert "<script>" not in shown.html
    assert "&lt;script&gt;x&lt;/script&gt;" in shown.html
    marks = re.findall(r'<mark class="redacted" title="([^"]*)">(.*?)</mark>', shown.html)
    assert marks == [("个人姓名", SECRET), ("个人隐私", ID_NUMBER)]
    outside = re.sub(r"<mark[^>]*>.*?</mark>", "", shown.html)
    assert SECRET not in outside and ID_NUMBER not in outside
    assert "住址保密" in outside


# --- validating rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "code", "message"),
    [
        ("([0-9]", "invalid_pattern", "not a valid regular expression"),
        (r"(a+)+$", "dangerous_pattern", "practically forever"),
        (r"(\d|\d\d)*x", "dangerous_pattern", "character class"),
        (r"(?:张|李)+", "dangerous_pattern", "quantifier or an alternative"),
        (r"(\d)\1", "backreference", "Backreferences"),
        (r"(?P<n>a)(?P=n)", "backreference", "Backreferences"),
        (r"\d*", "matches_empty", "matches empty text"),
        ("   ", "empty", "Enter the text"),
        ("x" * 501, "too_long", "at most 500"),
    ],
)
def test_an_unusable_pattern_is_refused_with_a_message(pattern, code, message):
    with pytest.raises(ValidationError) as refused:
        validate_rule("pattern", pattern)
    assert refused.value.code == code
    assert message in str(refused.value.messages[0] % (refused.value.params or {}))


@pytest.mark.parametrize(
    "pattern", [ID_PATTERN, r"1[3-9]\d{9}", r"(\d{3})+", r"\p{Han}{2,4}某", r"(?i)abc"]
)
def test_ordinary_patterns_are_accepted(pattern):
    validate_rule("pattern", pattern)


def test_any_text_is_a_valid_text_rule_and_is_matched_literally():
    validate_rule("text", "(a+)+$")
    assert redact_text("aaa (a+)+$ b", [rule("(a+)+$")]).text == f"aaa {MASK} b"


def test_a_rule_is_for_a_body_or_a_request_not_both(bodies):
    body, _ = bodies
    request = make_request(body)
    with pytest.raises(ValidationError) as refused:
        clean_rule(rule("x", body=body, request=request))
    assert set(refused.value.message_dict) == {"body"}
    clean_rule(rule("x", request=request))


def test_a_pattern_that_runs_too_long_stops_and_nothing_is_returned(settings):
    # Saved without validation (as by a migration or the shell): the time limit still holds.
    settings.EGOV_REDACTION_SECONDS = 0.3
    started = time.monotonic()
    with pytest.raises(RedactionError, match="longer than 0.3 seconds"):
        redact_text("x" * 5000, [rule(r"(x+x+)+y", kind="pattern")])
    assert time.monotonic() - started < 3


def test_a_text_too_long_is_refused(settings):
    settings.EGOV_REDACTION_MAX_CHARS = 100
    redact_text("a" * 100, [rule("b")])
    with pytest.raises(RedactionError, match="too long"):
        redact_text("a" * 101, [rule("b")])


def test_a_stored_pattern_that_does_not_compile_stops_redaction():
    with pytest.raises(RedactionError, match="cannot be used"):
        redact_text("text", [rule("([", kind="pattern")])


# --- attachments: DOCX ---------------------------------------------------------------------


def build_docx(*, picture=False, tracked_deletion=False, style_named=None):
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    document = Document()
    paragraph = document.add_paragraph("申请人：")
    paragraph.add_run("张三").bold = True  # the name is split over two runs
    paragraph.add_run("丰，电话13800000000。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "身份证号"
    table.cell(0, 1).text = ID_NUMBER
    section = document.sections[0]
    section.header.paragraphs[0].text = f"经办：{SECRET}"
    section.footer.paragraphs[0].text = f"页脚 {ID_NUMBER}"
    # A link whose text and target (a relationship outside the XML of the text) are hidden.
    link = document.part.relate_to(f"mailto:{EMAIL}", RT.HYPERLINK, is_external=True)
    document.add_paragraph("邮箱：")._p.append(
        parse_xml(
            f'<w:hyperlink xmlns:w="{W}" xmlns:r="{R}" r:id="{link}">'
            f"<w:r><w:t>{EMAIL}</w:t></w:r></w:hyperlink>"
        )
    )
    comment_paragraph = document.add_paragraph("本段有批注")
    document.add_comment(comment_paragraph.runs, text=f"问{SECRET}", author=SECRET, initials="Z")
    document.core_properties.title = f"{SECRET}的申请"
    document.core_properties.author = SECRET
    if picture:
        document.add_picture(io.BytesIO(PNG))
    if tracked_deletion:
        paragraph._p.append(
            parse_xml(
                f'<w:del xmlns:w="{W}" w:id="1" w:author="x" w:date="2026-01-01T00:00:00Z">'
                f"<w:r><w:delText>{SECRET}</w:delText></w:r></w:del>"
            )
        )
    if style_named:
        document.styles.add_style(style_named, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("结尾可以公开的内容")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_RULES = [rule(SECRET), rule(ID_PATTERN, kind="pattern"), rule(EMAIL)]


def test_docx_text_is_hidden_everywhere_even_across_runs():
    from docx import Document

    original = build_docx()
    assert found_in_docx(original, SECRET)  # the finder sees it when it is there
    assert found_in_docx(original, ID_NUMBER)
    result = redact_file(f"{SECRET}答复.docx", original, DOCX_RULES, strict=True)

    assert found_in_docx(result.data, SECRET) == []
    assert found_in_docx(result.data, ID_NUMBER) == []
    assert found_in_docx(result.data, "三丰") == []  # nothing of the second run is left
    assert found_in_docx(original, EMAIL)
    assert found_in_docx(result.data, EMAIL) == []
    assert f"mailto:{MASK}".encode() in docx_parts(result.data)["word/_rels/document.xml.rels"]
    assert found_in_docx(result.data, "结尾可以公开的内容")
    assert result.name == f"{MASK}答复.docx"
    # The thumbnail (a picture of the first page as it was) is left out, with its references.
    assert "docProps/thumbnail.jpeg" in docx_parts(original)
    assert "docProps/thumbnail.jpeg" not in docx_parts(result.data)
    assert b"thumbnail" not in docx_parts(result.data)["_rels/.rels"]
    # body run-spanning 1 + table 1 + header 1 + footer 1 + link text 1 + link target 1
    # + comment text 1 + comment author 1 + title 1 + author 1 + the file name 1
    assert result.hidden == 11
    document = Document(io.BytesIO(result.data))
    first = document.paragraphs[0]
    assert first.text == f"申请人：{MASK}，电话13800000000。"
    assert [run.text for run in first.runs] == ["申请人：", MASK, "，电话13800000000。"]
    assert first.runs[1].bold  # the mask keeps the formatting of where the match began
    assert document.tables[0].cell(0, 1).text == MASK
    assert document.sections[0].header.paragraphs[0].text == f"经办：{MASK}"
    assert document.core_properties.title == f"{MASK}的申请"


def test_a_docx_picture_is_refused_for_a_partial_disclosure_and_listed_otherwise():
    original = build_docx(picture=True)
    with pytest.raises(RedactionError, match=r"contains an image \(word/media/image1.png\)"):
        redact_file("a.docx", original, DOCX_RULES, strict=True)
    result = redact_file("a.docx", original, DOCX_RULES, strict=False)
    assert result.unchecked == ("word/media/image1.png",)
    assert docx_parts(result.data)["word/media/image1.png"] == PNG
    assert found_in_docx(result.data, SECRET) == []


def test_a_docx_with_tracked_deletions_is_refused():
    with pytest.raises(RedactionError, match="tracked changes"):
        redact_file("a.docx", build_docx(tracked_deletion=True), DOCX_RULES, strict=False)


def test_hidden_text_in_the_docx_internals_is_refused_not_sent():
    original = build_docx(style_named=f"{SECRET}样式")
    with pytest.raises(RedactionError, match=r"internal data \(word/styles.xml\)"):
        redact_file("a.docx", original, DOCX_RULES, strict=False)


# --- attachments: PDF, text, the rest --------------------------------------------------------


def build_pdf(lines):
    from reportlab.pdfgen import canvas

    from egov.disclosure.documents import PDF_FONT, _register_pdf_font

    _register_pdf_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.setFont(PDF_FONT, 12)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 20 * number, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_a_pdf_is_replaced_by_a_redacted_text_copy_that_says_so():
    original = build_pdf([f"申请人{SECRET}，身份证号{ID_NUMBER}", "审批意见：同意。"])
    assert found_in_pdf(original, SECRET)
    assert found_in_pdf(original, ID_NUMBER)
    result = redact_file("批复.pdf", original, DOCX_RULES, strict=True)

    assert result.text_copy
    assert result.name == "批复（删除处理文本副本）.pdf"
    assert result.content_type == "application/pdf"
    assert result.hidden == 2
    assert found_in_pdf(result.data, SECRET) == []
    assert found_in_pdf(result.data, ID_NUMBER) == []
    text = re.sub(r"\s+", "", pdf_extracted(result.data))
    assert "删除处理文本副本" in text and "Redactedtextcopy" in text
    assert f"申请人{MASK}，身份证号{MASK}" in text
    assert "审批意见：同意。" in text


def test_a_pdf_without_text_is_refused_for_a_partial_disclosure():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 200, 200, fill=1)
    page.showPage()
    page.save()
    scan = buffer.getvalue()
    with pytest.raises(RedactionError, match="No text could be read"):
        redact_file("scan.pdf", scan, DOCX_RULES, strict=True)
    passed = redact_file("scan.pdf", scan, DOCX_RULES, strict=False)
    assert passed.data == scan and passed.unchecked == ("scan.pdf",)


def test_a_plain_text_file_in_gb18030_is_redacted_to_utf8():
    original = f"申请人{SECRET}\n身份证号{ID_NUMBER}\n".encode("gb18030")
    result = redact_file("名单.txt", original, DOCX_RULES, strict=True)
    assert result.data.decode("utf-8") == f"申请人{MASK}\n身份证号{MASK}\n"
    assert result.content_type == "text/plain; charset=utf-8"
    assert extract_text("名单.txt", original) == original.decode("gb18030")


def test_an_image_is_refused_for_a_partial_disclosure_with_a_message():
    with pytest.raises(RedactionError, match="“photo.png” cannot be redacted automatically"):
        redact_file("photo.png", PNG, DOCX_RULES, strict=True)
    passed = redact_file("photo.png", PNG, DOCX_RULES, strict=False)
    assert passed.data == PNG and passed.unchecked == ("photo.png",)


def test_without_rules_a_file_goes_as_it_is():
    original = build_docx()
    assert redact_file("a.docx", original, [], strict=True).data == original
    assert not RuleSet([])


def test_a_request_file_uses_the_requests_attachment_rules_and_is_strict_when_partial(bodies):
    body, other = bodies
    request = make_request(body, answer_kind="disclosed")
    RedactionRule.objects.create(kind="text", value=SECRET, scope="attachments", reason="r")
    RedactionRule.objects.create(kind="text", value="王五", scope="all", body=other, reason="r")
    RedactionRule.objects.create(kind="text", value="赵六", scope="answers", reason="r")
    text = f"{SECRET}、王五、赵六".encode()
    assert redact_request_file(request, "a.txt", text).data.decode() == f"{MASK}、王五、赵六"
    assert redact_request_file(request, "photo.png", PNG).unchecked == ("photo.png",)

    request.answer_kind = "partial"
    request.save()
    with pytest.raises(RedactionError, match="cannot be redacted automatically"):
        redact_request_file(request, "photo.png", PNG)
