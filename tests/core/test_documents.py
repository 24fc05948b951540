import datetime
import io

from docx import Document
from docx.shared import Mm

from kaifaqu.core.documents import Heading, OfficialDocument, Table, chinese_date, render


def test_official_document_layout_and_text():
    content = render(OfficialDocument(
        issuer="浙江省XX经济开发区管理委员会文件", number="X开管〔2026〕12号", title="关于印发权责清单的通知",
        addressee="各处室、各中心", body=[Heading("一、总体要求"), "按照“一个平台、一个主体、一套班子”的要求……",
                                      Heading("（一）工作目标", 2), Table(["事项", "数量"], [["保留", 18], ["剥离", 56]])],
        signature="浙江省XX经济开发区管理委员会", date=datetime.date(2026, 11, 24),
    ))
    doc = Document(io.BytesIO(content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "浙江省XX经济开发区管理委员会文件"
    assert "X开管〔2026〕12号" in texts
    assert "关于印发权责清单的通知" in texts
    assert "各处室、各中心：" in texts
    assert texts[-1] == "2026年11月24日" and texts[-2] == "浙江省XX经济开发区管理委员会"
    assert doc.tables[0].rows[2].cells[1].text == "56"
    section = doc.sections[0]
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)
    heading_run = next(p for p in doc.paragraphs if p.text == "一、总体要求").runs[0]
    assert heading_run.font.name == "黑体"


def test_chinese_date():
    assert chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
