"""Writing disclosure documents (answer letters, redacted text copies) as PDF and DOCX.

A document is a sequence of ``Block``s of plain text, each with a style; both writers take
the same blocks, so the PDF and the DOCX say the same thing. The text is written as given:
whatever must be hidden has to be hidden before (``egov.disclosure.redaction``).

The PDF uses STSong-Light, one of the Adobe CJK fonts every PDF reader has (not embedded), as
``egov.licences.issue`` does; the DOCX names 宋体 for East Asian text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

PDF_FONT = "STSong-Light"
DOCX_FONT = "宋体"

# style: (font size in points, alignment, first-line indent in characters, space after)
STYLES = {
    "heading": (13, "center", 0, 4),
    "title": (20, "center", 0, 10),
    "number": (12, "center", 0, 14),
    "plain": (13, "left", 0, 6),
    "body": (13, "justify", 2, 6),
    "right": (13, "right", 0, 2),
    "note": (10, "left", 0, 4),
}


@dataclass(frozen=True)
class Block:
    text: str
    style: str = "body"

    def __post_init__(self):
        if self.style not in STYLES:
            raise ValueError(f"unknown block style {self.style!r}")


def _register_pdf_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


def pdf_bytes(blocks: list[Block], *, title: str, author: str) -> bytes:
    """An A4 PDF of the blocks, lines broken as Chinese text is (any character may end one)."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    _register_pdf_font()
    alignments = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
    styles = {
        name: ParagraphStyle(
            name,
            fontName=PDF_FONT,
            fontSize=size,
            leading=size * 1.6,
            alignment=alignments[align],
            firstLineIndent=indent * size,
            spaceAfter=after,
            wordWrap="CJK",
        )
        for name, (size, align, indent, after) in STYLES.items()
    }
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=30 * mm,
        bottomMargin=28 * mm,
        title=title,
        author=author,
        subject="",
        creator="egov",
        invariant=1,
    )
    flowables = [
        Paragraph(escape(block.text).replace("\n", "<br/>"), styles[block.style])
        for block in blocks
    ]
    document.build(flowables)
    return buffer.getvalue()


def docx_bytes(blocks: list[Block], *, title: str, author: str) -> bytes:
    """A DOCX of the blocks (python-docx's default template, 宋体 for East Asian text)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    alignments = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(STYLES["body"][0])
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    for block in blocks:
        size, align, indent, after = STYLES[block.style]
        paragraph = document.add_paragraph()
        paragraph.alignment = alignments[align]
        paragraph.paragraph_format.space_after = Pt(after)
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(indent * size)
        lines = block.text.split("\n")
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.font.size = Pt(size)
            run.bold = block.style == "title"
            if number < len(lines) - 1:
                run.add_break()
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.subject = ""
    properties.keywords = ""
    properties.comments = ""
    properties.category = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
