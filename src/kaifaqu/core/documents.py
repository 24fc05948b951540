"""Word documents in the official document layout (GB/T 9704-2012 practice), built with python-docx.

Used for minutes, notices and reports. The layout: A4, margins 37/35/28/26 mm; the issuing authority's mark
(发文机关标志) in red 小标宋 centred, the document number (文号) below it and a red rule; the title in 2号小标宋;
the body in 3号仿宋 with first-line indent of two characters; level-1 headings "一、" in 黑体, level-2 "（一）" in
楷体; the signature (落款) and the date in Arabic numerals ("2026年11月24日") right-aligned.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
RED = RGBColor(0xC0, 0x00, 0x00)
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Table:
    header: list[str]
    rows: list[list]


@dataclass
class OfficialDocument:
    title: str
    body: list = field(default_factory=list)  # str (paragraph) | Heading | Table
    issuer: str = ""  # 发文机关标志, e.g. "浙江省XX经济开发区管理委员会文件"
    number: str = ""  # 文号, e.g. "X开管〔2026〕12号"
    addressee: str = ""  # 主送机关
    signature: str = ""  # 落款
    date: datetime.date | None = None


def chinese_date(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _font(run, name, size, bold=False, color=None):
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _para(doc, text, font, size, align=None, indent=False, bold=False, color=None, space_after=0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = Pt(28.9)  # 22 lines on the type area, as GB/T 9704 sets
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph):
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.append(border)


def render(document: OfficialDocument) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    if document.issuer:
        _para(doc, document.issuer, FONT_TITLE, Pt(36), WD_ALIGN_PARAGRAPH.CENTER, color=RED, space_after=12)
    if document.number or document.issuer:
        p = _para(doc, document.number, FONT_BODY, SIZE_3, WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
        _red_rule(p)
        _para(doc, "", FONT_BODY, SIZE_3)
    _para(doc, document.title, FONT_TITLE, SIZE_2, WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    if document.addressee:
        _para(doc, f"{document.addressee}：", FONT_BODY, SIZE_3)
    for block in document.body:
        if isinstance(block, Heading):
            font = FONT_H1 if block.level == 1 else FONT_H2
            _para(doc, block.text, font, SIZE_3, indent=True)
        elif isinstance(block, Table):
            _table(doc, block)
        else:
            _para(doc, str(block), FONT_BODY, SIZE_3, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    if document.signature or document.date:
        _para(doc, "", FONT_BODY, SIZE_3)
        if document.signature:
            _para(doc, document.signature, FONT_BODY, SIZE_3, WD_ALIGN_PARAGRAPH.RIGHT)
        if document.date:
            _para(doc, chinese_date(document.date), FONT_BODY, SIZE_3, WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc, table: Table):
    t = doc.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(t.rows[0].cells, table.header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), FONT_H1, SIZE_4)
    for row in table.rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), FONT_BODY, SIZE_4)
    _para(doc, "", FONT_BODY, SIZE_3)
