"""The rendered PDF of a demo 通知, measured with pypdf: A4, the text block where GB/T
9704-2012 puts it (±1 mm), 22 lines on a full page, 28 characters on a full line, the page
numbers "— n —" in 4号 on the right of odd pages and the left of even ones; the DOCX has
the same page and margins."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from pypdf import PdfReader

from egov.oa import rendering
from tests.oa.conftest import TEXT

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
ASCENT = 0.88  # the renderer centres each line's em box in its line: 0.88 above the baseline


@pytest.fixture(scope="module")
def demo_text():
    return "\n".join(
        f"{n}. " + TEXT * 2 for n in range(1, 11)
    )  # ten long paragraphs: more than three pages


@pytest.fixture
def rendered(outgoing, demo_text):
    document = outgoing(
        "sent",
        text=demo_text,
        attachment_note="安全生产检查表\n隐患整改台账",
        remark="联系人：张三，电话：49800000",
        copy_number="000001",
        urgency="urgent",
    )
    return document, rendering.pdf_bytes(document)


def _texts(page):
    """(text, x, y, font size) of every string drawn on the page."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # the position in user space: the text matrix, then the current matrix
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y, size * (tm[3] or 1)))

    page.extract_text(visitor_text=visit)
    return found


def _body_lines(page):
    """Baselines of 3号 (16 pt) text, top to bottom, each with the x of its characters."""
    lines = defaultdict(list)
    for _text, x, y, size in _texts(page):
        if abs(size - 16) < 0.1:
            lines[round(y, 1)].append(x)
    return [(y, sorted(xs)) for y, xs in sorted(lines.items(), reverse=True)]


def test_the_demo_notice_is_a4_with_the_standard_text_block(rendered):
    document, pdf = rendered
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width / MM - 210) <= 1 and abs(height / MM - 297) <= 1

    full = _body_lines(reader.pages[1])  # page two is all body text
    assert len(full) == 22  # 22 lines on a full page
    first_y, last_y = full[0][0], full[-1][0]
    pitch = (first_y - last_y) / 21
    top = first_y + ASCENT * 16 + (pitch - 16) / 2
    bottom = last_y - (1 - ASCENT) * 16 - (pitch - 16) / 2
    assert abs((297 - 37) - top / MM) <= 1  # the block's top edge is 37 mm from the top
    assert abs((top - bottom) / MM - 225) <= 1  # 225 mm high
    full_lines = [xs for _, xs in full if len(xs) == 28]  # lines of 28 Chinese characters
    assert full_lines, "a full page has full lines"
    xs = full_lines[0]
    cell = (xs[-1] - xs[0]) / 27
    glyph_gap = (cell - 16) / 2  # each 16 pt character centred in its cell
    left = xs[0] - glyph_gap
    right = xs[-1] - glyph_gap + cell
    assert abs(left / MM - 28) <= 1  # 28 mm binding margin
    assert abs((right - left) / MM - 156) <= 1  # 156 mm wide
    # no body line on any page outside the block
    for page in reader.pages:
        for y, xs in _body_lines(page):
            assert bottom - 1 <= y <= top and xs[0] >= left - 1 and xs[-1] <= right + 1


def test_page_numbers_are_dashed_4hao_odd_right_even_left(rendered):
    _, pdf = rendered
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, 1):
        found = [(t, x, y, s) for t, x, y, s in _texts(page) if t == f"— {number} —"]
        assert len(found) == 1, number
        _, x, y, size = found[0]
        assert abs(size - 14) < 0.1
        assert y < (297 - 37 - 225) * MM  # below the text block
        if number % 2:
            assert x > 105 * MM  # odd: on the right
        else:
            assert abs(x / MM - (28 + 14 / MM)) <= 1  # even: one character in from the left


def test_the_head_has_the_number_the_title_and_the_elements(rendered):
    document, pdf = rendered
    reader = PdfReader(io.BytesIO(pdf))
    first = "".join(t for t, *_ in _texts(reader.pages[0]))
    everything = "".join(t for page in reader.pages for t, *_ in _texts(page))
    for element in ("000001", "加急", document.number, "重庆市永川区教育委员会："):
        assert element in first, element
    assert "重庆市永川区人民政府文件" in first
    titles = [t for t, x, y, s in _texts(reader.pages[0]) if abs(s - 22) < 0.1]
    assert "".join(titles).startswith("重庆市永川区人民政府关于")
    for element in ("附件：1.", "联系人", "抄送：", "印发", "年"):
        assert element in everything, element


def test_the_docx_has_the_standard_page_and_margins(rendered):
    from docx import Document as Docx

    document, _ = rendered
    word = Docx(io.BytesIO(rendering.docx_bytes(document)))
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 156
    text = "\n".join(p.text for p in word.paragraphs)
    assert document.number in text and "重庆市永川区人民政府文件" in text
