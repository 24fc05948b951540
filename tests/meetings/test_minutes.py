"""The minutes (会议纪要): a .docx in the official layout, opened with python-docx and read back."""

import datetime
import io

from docx import Document

from kaifaqu.core.files.services import attachment_path
from kaifaqu.meetings import services
from kaifaqu.meetings.models import Meeting
from tests.meetings.conftest import at


def text_of(doc):
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_minutes_docx_holds_the_meeting(units, held, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9, 30), tick=False)
    m = held(at(2026, 3, 2, 9, 30))
    services.do_set_attendance(w.leader, m, [
        {"org": w.street2, "present": False, "note": "请假（防汛值班）"},
        {"org": w.city_dept, "person": "许晨", "present": True},
        {"org": w.platform_org, "present": True, "role": "invited"},
    ])
    services.do_add_decision(w.leader, m, content="东城街道完成三期地块青苗补偿", owner=w.street_org,
                             due_date=datetime.date(2026, 3, 13), agenda_item=m.agenda.get())
    services.do_add_decision(w.leader, m, content="自然资源和规划局出具规划条件", owner=w.city_dept,
                             due_date=datetime.date(2026, 3, 20))
    m.refresh_from_db()
    services.act(w.leader, m, "issue_minutes")
    m = Meeting.objects.select_related("minutes").get(pk=m.pk)
    assert m.minutes.mime.endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(attachment_path(m.minutes.sm3).read_bytes()))
    text = text_of(doc)
    assert doc.paragraphs[0].text == "示范经济开发区联席会议"  # the issuer's mark
    assert doc.paragraphs[0].runs[0].font.color.rgb is not None  # in red
    assert "会议纪要〔2026〕LX2026001号" in text
    assert "示范经济开发区2026年第一次联席会议纪要" in text
    assert "2026年3月2日 09:30" in text and "管委会三楼会议室" in text and "韩志红" in text
    assert "市自然资源和规划局（许晨） | 成员单位 | 出席" in text
    assert "西城街道 | 成员单位 | 缺席 | 请假（防汛值班）" in text
    assert "开发建设公司 | 列席 | 出席" in text
    assert "缺席 1 个单位（人）：西城街道（请假（防汛值班））" in text
    assert "（一）重点项目要素保障" in text and "汇报单位：经济发展处。" in text
    assert "1 | 东城街道完成三期地块青苗补偿 | 东城街道 | 2026年3月13日" in text
    assert "2 | 自然资源和规划局出具规划条件 | 市自然资源和规划局 | 2026年3月20日" in text
    assert doc.paragraphs[-1].text == "2026年3月2日" and doc.paragraphs[-2].text == "示范经济开发区联席会议办公室"
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37
