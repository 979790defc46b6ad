"""Rendering an official document to PDF and DOCX in the layout of GB/T 9704-2012.

The page (A4, 210 × 297 mm) has a text block (版心) of 156 × 225 mm whose top edge is 37 mm
below the top of the sheet (天头) and whose left edge is 28 mm from the binding edge (订口).
The block holds 22 lines of 28 characters of 3号 (16 pt) body text: a line pitch of
225/22 mm and a character pitch of 156/28 mm. Every line of the document — heading, title,
body, signature, 版记 — sits on that grid, each character in its cell (the em box of a
line's characters is centred in its line), so a full page of text has exactly 22 lines.

- 版头: 份号, 密级和保密期限 and 紧急程度 on the first three lines (left); the red
  发文机关标志 centred, its top 35 mm below the block's top; the 发文字号 centred on line 7
  (for 请示 and 报告, 上行文: on the left, with 签发人 on the right); a red separator line
  4 mm below it.
- 主体: the title in 2号 (22 pt) 小标宋, centred, from line 9; 主送机关; the text with a
  two-character indent; 附件说明; 发文机关署名 and 成文日期 on the right with the seal (a red
  ring, or the body's image when configured); 附注.
- 版记: 抄送机关 and 印发机关和印发日期 in 4号 (14 pt) on the last lines of the last page,
  between black rules.
- 页码: "— n —" in 4号, 7 mm below the block; odd pages on the right, even on the left,
  one character in from the block's edge.

Fonts are set by ``settings.OA_FONTS`` (role → a TrueType file path, or the name of a font
reportlab knows). Without them, the official fonts (方正小标宋, 仿宋_GB2312, 黑体) are looked
for in the usual places, then the free substitutes Debian packages (fonts-arphic-uming,
fonts-arphic-ukai, fonts-wqy-zenhei); the last resort is reportlab's built-in STSong-Light,
which needs no file (not embedded: the reader's own Song font shows it). docs/oa.md.
"""

from __future__ import annotations

import io
import logging
import math
import os
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT = 28 * MM
TOP_MARGIN = 37 * MM
BLOCK_W, BLOCK_H = 156 * MM, 225 * MM
LINES, CHARS = 22, 28
PITCH = BLOCK_H / LINES  # line pitch
CELL = BLOCK_W / CHARS  # character pitch
BLOCK_TOP = PAGE_H - TOP_MARGIN
BLOCK_BOTTOM = BLOCK_TOP - BLOCK_H
BODY_PT, TITLE_PT, SMALL_PT, MARK_PT = 16, 22, 14, 36
RED = (0.85, 0.0, 0.0)
ASCENT = 0.88  # of the em box above the baseline (the rest, 0.12, below)

# Candidate files per role: the official fonts first, then Debian's free substitutes.
CANDIDATES = {
    "title": [
        "/usr/share/fonts/truetype/founder/FZXBSJW.TTF",
        "/usr/share/fonts/truetype/windows/FZXBSJW.TTF",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ],
    "body": [
        "/usr/share/fonts/truetype/windows/simfang.ttf",
        "/usr/share/fonts/truetype/fangsong/FangSong_GB2312.ttf",
        "/usr/share/fonts/truetype/arphic/ukai.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ],
    "heading": [
        "/usr/share/fonts/truetype/windows/simhei.ttf",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ],
}
CID_FALLBACK = "STSong-Light"
# What the DOCX names (Word and WPS substitute what is missing).
DOCX_FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading": "黑体"}


def _register(role: str) -> str:
    """The reportlab font name for ``role``, registered on first use."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    configured = (getattr(settings, "OA_FONTS", {}) or {}).get(role, "")
    paths = [configured] if configured and os.sep in configured else []
    if configured and os.sep not in configured:
        if configured in pdfmetrics.getRegisteredFontNames():
            return configured
    for path in [*paths, *CANDIDATES.get(role, [])]:
        if not os.path.exists(path):
            continue
        name = f"oa-{role}-{os.path.basename(path)}"
        if name not in pdfmetrics.getRegisteredFontNames():
            try:
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
            except Exception:  # noqa: BLE001 - an unusable file: try the next one
                logger.warning("oa: font file %s cannot be used; trying the next", path)
                continue
        return name
    if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def fonts_in_use() -> dict[str, str]:
    return {role: _register(role) for role in ("title", "body", "heading")}


# --- laying out lines -----------------------------------------------------------------------

NO_LINE_START = set("，。、；：？！）》」』】〕”’,.;:?!)%")


def _width(ch: str) -> float:
    """Cells a character takes: half for Latin letters, digits and ASCII punctuation."""
    return 0.5 if ord(ch) < 0x2000 else 1.0


def wrap(text: str, cells: float, first_indent: float = 0) -> list[tuple[str, float]]:
    """``text`` broken into lines of at most ``cells`` cells; (line, indent in cells)."""
    lines: list[tuple[str, float]] = []
    for paragraph in text.splitlines() or [""]:
        paragraph = paragraph.strip()
        indent = first_indent
        current, used = "", indent
        for ch in paragraph:
            if used + _width(ch) > cells + 1e-6:
                if ch in NO_LINE_START and current:
                    # keep closing punctuation with the line it closes (avoid a line start)
                    moved = current[-1]
                    current = current[:-1]
                    lines.append((current, indent))
                    current, used, indent = moved, _width(moved), 0
                else:
                    lines.append((current, indent))
                    current, used, indent = "", 0, 0
            current += ch
            used += _width(ch)
        lines.append((current, indent))
    return lines


@dataclass
class Line:
    text: str
    role: str = "body"  # body, title, heading, small
    align: str = "left"  # left, center, right
    indent: float = 0  # cells from the left (or from the right for "right")
    red: bool = False
    size: float = BODY_PT


def _cells(text: str) -> float:
    return sum(_width(ch) for ch in text)


def _date_zh(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def layout(document) -> tuple[list[list[Line | None]], dict]:
    """The document as pages of 22 grid lines (``None`` = an empty line), and the facts
    about page one's head (which lines hold the mark and the red rule)."""
    first: list[Line | None] = [None] * 8
    if document.copy_number:
        first[0] = Line(document.copy_number, role="heading")
    if document.secrecy_mark:
        first[1] = Line(document.secrecy_mark, role="heading")
    if document.urgency_mark:
        first[2] = Line(document.urgency_mark, role="heading")
    number = document.number or "〔　〕号"
    upward = document.doc_type in ("request", "report")
    if upward:
        first[6] = Line(number, indent=1)
    else:
        first[6] = Line(number, align="center")
    lines: list[Line | None] = []
    for text, _ in wrap(document.title, math.floor(BLOCK_W / (TITLE_PT * 1.0))):
        lines.append(Line(text, role="title", align="center", size=TITLE_PT))
    lines.append(None)
    recipients = "、".join(body.name_zh for body in document.main_to.all())
    if recipients:
        for text, indent in wrap(recipients + "：", CHARS):
            lines.append(Line(text, indent=indent))
    for text, indent in wrap(document.text, CHARS, first_indent=2):
        lines.append(Line(text, indent=indent))
    notes = [n.strip() for n in document.attachment_note.splitlines() if n.strip()]
    if notes:
        lines.append(None)
        for index, note in enumerate(notes, 1):
            label = ("附件：" if index == 1 else "　　　") + (
                f"{index}. " if len(notes) > 1 else ""
            )
            for text, indent in wrap(label + note, CHARS - 2):
                lines.append(Line(text, indent=2 + (indent and 3)))
    lines.append(None)
    lines.append(None)
    date_text = _date_zh(document.written_on) or "　年　月　日"
    date_line = Line(date_text, align="right", indent=4)
    sign_indent = 4 + (_cells(date_text) - _cells(document.signature)) / 2
    lines.append(Line(document.signature, align="right", indent=max(sign_indent, 0)))
    lines.append(date_line)
    if document.remark:
        lines.append(Line(f"（{document.remark}）", indent=2))
    # 版记 (14 pt): 抄送 and 印发, on the last lines of the last page.
    footer: list[Line] = []
    copied = "、".join(body.name_zh for body in document.copy_to.all())
    per_line = math.floor(BLOCK_W / SMALL_PT) - 2
    if copied:
        for text, _ in wrap("抄送：" + copied + "。", per_line):
            footer.append(Line(text, role="small", indent=1, size=SMALL_PT))
    printed = _date_zh(document.printed_on) + "印发" if document.printed_on else "　年　月　日印发"
    footer.append(Line(document.printing_body + "\t" + printed, role="small", size=SMALL_PT))

    pages: list[list[Line | None]] = []
    page = list(first) + [None]  # line 7 blank under the red rule; title on line 9 (index 8)
    for line in lines:
        if len(page) == LINES:
            pages.append(page)
            page = []
        page.append(line)
    room = LINES - len(page)
    if room < len(footer) + 1:
        page.extend([None] * room)
        pages.append(page)
        page = []
    page.extend([None] * (LINES - len(page) - len(footer)))
    page.extend(footer)
    pages.append(page)
    return pages, {"footer_lines": len(footer)}


def count_pages(document) -> int:
    return len(layout(document)[0])


# --- PDF ----------------------------------------------------------------------------------


def baseline(index: int, size: float = BODY_PT) -> float:
    """The baseline of grid line ``index`` (0 = top) for a font of ``size`` points: the em
    box centred in the line."""
    band_top = BLOCK_TOP - index * PITCH
    return band_top - (PITCH - size) / 2 - ASCENT * size


def _draw_chars(canvas, text: str, x: float, y: float, cell: float) -> None:
    for ch in text:
        if ch.strip():
            canvas.drawString(x + (cell * _width(ch) - canvas._fontsize * _width(ch)) / 2, y, ch)
        x += cell * _width(ch)


def _draw_line(canvas, line: Line, index: int, fonts: dict[str, str]) -> None:
    role = {"small": "body"}.get(line.role, line.role)
    canvas.setFont(fonts[role], line.size)
    canvas.setFillColorRGB(*(RED if line.red else (0, 0, 0)))
    y = baseline(index, line.size)
    cell = CELL if line.size == BODY_PT else line.size
    if "\t" in line.text:  # 印发机关 on the left, 印发日期 on the right, one cell in
        left, right = line.text.split("\t", 1)
        _draw_chars(canvas, left, LEFT + cell, y, cell)
        _draw_chars(canvas, right, LEFT + BLOCK_W - cell - _cells(right) * cell, y, cell)
        return
    width = _cells(line.text) * cell
    if line.align == "center":
        x = LEFT + (BLOCK_W - width) / 2
    elif line.align == "right":
        x = LEFT + BLOCK_W - line.indent * cell - width
    else:
        x = LEFT + line.indent * cell
    _draw_chars(canvas, line.text, x, y, cell)


def _draw_head(canvas, document, fonts: dict[str, str]) -> None:
    """The red mark and the red rule of page one; 签发人 for 上行文."""
    mark_size = MARK_PT
    width = canvas.stringWidth(document.mark, fonts["title"], mark_size)
    scale = min(1.0, BLOCK_W / width) if width else 1.0
    canvas.saveState()
    canvas.setFillColorRGB(*RED)
    canvas.setFont(fonts["title"], mark_size)
    top = BLOCK_TOP - 35 * MM
    x = LEFT + (BLOCK_W - width * scale) / 2
    canvas.translate(x, top - ASCENT * mark_size)
    canvas.scale(scale, 1)
    canvas.drawString(0, 0, document.mark)
    canvas.restoreState()
    if document.doc_type in ("request", "report") and document.signers:
        canvas.setFont(fonts["body"], BODY_PT)
        label = "签发人："
        name = document.signers
        x = LEFT + BLOCK_W - CELL - _cells(label + name) * CELL
        canvas.setFillColorRGB(0, 0, 0)
        _draw_chars(canvas, label, x, baseline(6), CELL)
        canvas.setFont(fonts["title"], BODY_PT)
        _draw_chars(canvas, name, x + _cells(label) * CELL, baseline(6), CELL)
    canvas.setStrokeColorRGB(*RED)
    canvas.setLineWidth(1.0)
    rule = baseline(6) - 0.12 * BODY_PT - 4 * MM
    canvas.line(LEFT, rule, LEFT + BLOCK_W, rule)


def _draw_seal(canvas, document, page: list[Line | None], fonts) -> None:
    for index, line in enumerate(page):
        if line is not None and line.text == document.signature and line.align == "right":
            width = _cells(line.text) * CELL
            cx = LEFT + BLOCK_W - line.indent * CELL - width / 2
            cy = baseline(index) + BODY_PT * 0.3 - PITCH / 2
            canvas.saveState()
            canvas.setStrokeColorRGB(*RED)
            canvas.setLineWidth(2)
            canvas.circle(cx, cy, 21 * MM, stroke=1, fill=0)
            canvas.setFillColorRGB(*RED)
            canvas.setFont(fonts["title"], 24)
            canvas.drawCentredString(cx, cy - 8, "★")
            canvas.restoreState()
            return


def _draw_footer_rules(canvas, count: int) -> None:
    """Black rules above, between and below the 版记's lines (full width of the block)."""
    canvas.setStrokeColorRGB(0, 0, 0)
    first = LINES - count
    for index in range(first, LINES + 1):
        y = BLOCK_TOP - index * PITCH
        canvas.setLineWidth(1.0 if index in (first, LINES) else 0.7)
        canvas.line(LEFT, y, LEFT + BLOCK_W, y)


def page_number_text(number: int) -> str:
    return f"— {number} —"


def _draw_page_number(canvas, number: int, fonts) -> None:
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(fonts["body"], SMALL_PT)
    text = page_number_text(number)
    width = canvas.stringWidth(text, fonts["body"], SMALL_PT)
    y = BLOCK_BOTTOM - 7 * MM - ASCENT * SMALL_PT  # its top edge 7 mm below the block
    if number % 2:
        canvas.drawString(LEFT + BLOCK_W - SMALL_PT - width, y, text)
    else:
        canvas.drawString(LEFT + SMALL_PT, y, text)


def pdf_bytes(document) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    fonts = fonts_in_use()
    pages, facts = layout(document)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1)
    canvas.setTitle(document.title)
    canvas.setAuthor(document.signature)
    canvas.setCreator("egov")
    for number, page in enumerate(pages, 1):
        if number == 1:
            _draw_head(canvas, document, fonts)
        for index, line in enumerate(page):
            if line is not None:
                _draw_line(canvas, line, index, fonts)
        if document.sealed and document.signed_at:
            _draw_seal(canvas, document, page, fonts)
        if number == len(pages):
            _draw_footer_rules(canvas, facts["footer_lines"])
        _draw_page_number(canvas, number, fonts)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- DOCX ---------------------------------------------------------------------------------


def docx_bytes(document) -> bytes:
    """The same lines in a DOCX whose section has the standard's page, margins and line
    grid (22 lines, exact line pitch), different odd and even footers for the page number."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    word = Docx()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.bottom_margin, section.right_margin = Mm(297 - 37 - 225), Mm(210 - 28 - 156)
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7 - 5)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(PITCH / MM * 56.6929)))  # twips
    grid.set(qn("w:charSpace"), "0")
    word.settings.odd_and_even_pages_header_footer = True

    def style_run(run, role: str, size: float, red: bool = False):
        run.font.size = Pt(size)
        run.font.name = DOCX_FONTS[role]
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONTS[role])
        if red:
            run.font.color.rgb = RGBColor(0xD9, 0, 0)

    def paragraph(text, role="body", size=BODY_PT, align="left", indent=0.0, red=False):
        para = word.add_paragraph()
        fmt = para.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(PITCH)
        fmt.space_before = fmt.space_after = Pt(0)
        para.alignment = {
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        if indent and align == "right":
            fmt.right_indent = Pt(indent * size)
        elif indent:
            fmt.left_indent = Pt(indent * size)
        style_run(para.add_run(text), role, size, red)
        return para

    pages, _facts = layout(document)
    for number, page in enumerate(pages):
        if number:
            word.add_page_break()
        for index, line in enumerate(page):
            if number == 0 and index == 4:
                paragraph(document.mark, "title", MARK_PT, "center", red=True)
                continue
            if line is None:
                paragraph("")
                continue
            text = line.text.replace("\t", "　　　　")
            role = {"small": "body"}.get(line.role, line.role)
            para = paragraph(text, role, line.size, line.align, line.indent)
            if number == 0 and index == 6:
                border = OxmlElement("w:pBdr")
                bottom = OxmlElement("w:bottom")
                for key, value in (
                    ("val", "single"),
                    ("sz", "8"),
                    ("space", "6"),
                    ("color", "D90000"),
                ):
                    bottom.set(qn(f"w:{key}"), value)
                border.append(bottom)
                para._p.get_or_add_pPr().append(border)

    def number_footer(footer, align):
        para = footer.paragraphs[0]
        para.alignment = align
        style_run(para.add_run("— "), "body", SMALL_PT)
        run = para.add_run()
        style_run(run, "body", SMALL_PT)
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                field = OxmlElement("w:fldChar")
                field.set(qn("w:fldCharType"), kind)
                run._r.append(field)
            else:
                instr = OxmlElement("w:instrText")
                instr.text = text
                run._r.append(instr)
        style_run(para.add_run(" —"), "body", SMALL_PT)

    number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    props = word.core_properties
    props.title = document.title
    props.author = document.signature
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
