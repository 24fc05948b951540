"""The minutes (会议纪要) of a meeting as a Word document in the official layout (core.documents): title, time,
place, convener, attendance (present and absent), the agenda, and the decisions with their owner units and dates."""

from django.utils import timezone

from kaifaqu.core.documents import Heading, OfficialDocument, Table, chinese_date, render

from .models import AgendaSource, Meeting

CHINESE_NUMBERS = "一二三四五六七八九十"


def _ordinal(i: int) -> str:
    if i <= 10:
        return CHINESE_NUMBERS[i - 1]
    if i < 20:
        return "十" + CHINESE_NUMBERS[i - 11]
    return str(i)


def minutes_document(meeting: Meeting) -> OfficialDocument:
    zone = meeting.zone
    when = timezone.localtime(meeting.held_at or meeting.starts_at)
    attendance = list(meeting.attendance.select_related("org").order_by("sort", "id"))
    agenda = list(meeting.agenda.filter(withdrawn=False).select_related("presenter").order_by("seq", "id"))
    decisions = list(meeting.decisions.select_related("owner", "agenda_item").order_by("seq", "id"))
    present = [a for a in attendance if a.present]
    absent = [a for a in attendance if not a.present]

    def who(a):
        return "".join(p for p in ((a.org.name if a.org_id else ""), (f"（{a.person}）" if a.org_id and a.person
                                                                         else a.person)) if p)

    body = [
        f"{chinese_date(when.date())}{when:%H:%M}，{meeting.convener_name}在{meeting.place}主持召开"
        f"{meeting.get_kind_display()}，"
        f"研究{'、'.join(i.title for i in agenda[:3])}{'等' if len(agenda) > 3 else ''}事项。现将会议议定事项纪要如下。",
        Heading("一、会议基本情况"),
        Table(["项目", "内容"], [
            ["会议名称", meeting.title],
            ["会议时间", f"{chinese_date(when.date())} {when:%H:%M}"],
            ["会议地点", meeting.place],
            ["主持人/召集人", meeting.convener_name],
            ["记录人", meeting.recorder or "—"],
        ]),
        Heading("二、出席情况"),
        Table(["序号", "单位/人员", "身份", "出席情况", "说明"],
              [[i, who(a), a.get_role_display(), "出席" if a.present else "缺席", a.note]
               for i, a in enumerate(attendance, 1)] or [["—", "未登记", "", "", ""]]),
        f"出席 {len(present)} 个单位（人），缺席 {len(absent)} 个单位（人）"
        + (f"：{'、'.join(who(a) + (f'（{a.note}）' if a.note else '') for a in absent)}。" if absent else "。"),
        Heading("三、会议议题"),
    ]
    for i, item in enumerate(agenda, 1):
        source = "" if item.source == AgendaSource.FREE else f"（{item.get_source_display()}{item.source_ref and ' ' + item.source_ref}）"
        body.append(Heading(f"（{_ordinal(i)}）{item.title}{source}", level=2))
        if item.description:
            body.append(item.description)
        if item.presenter_id:
            body.append(f"汇报单位：{item.presenter.name}。")
    if not agenda:
        body.append("本次会议无议题。")
    body.append(Heading("四、议定事项"))
    if decisions:
        body.append(Table(["序号", "议定事项", "责任单位", "办结期限"],
                          [[i, d.content, d.owner.name, chinese_date(d.due_date)] for i, d in enumerate(decisions, 1)]))
        for i, d in enumerate(decisions, 1):
            body.append(f"{_ordinal(i)}、{d.content}由{d.owner.name}负责，{chinese_date(d.due_date)}前办结并报送办理情况。")
    else:
        body.append("本次会议无议定事项。")
    body.append("各责任单位要按照议定事项和办结期限抓紧落实，办理情况按期报联席会议办公室；逾期未办结的，由系统自动催办、督办。")
    return OfficialDocument(
        title=f"{meeting.title}纪要",
        issuer=f"{zone.name}联席会议",
        number=f"会议纪要〔{when.year}〕{meeting.number}号",
        body=body,
        signature=f"{zone.name}联席会议办公室",
        date=timezone.localtime(meeting.minutes_issued_at).date() if meeting.minutes_issued_at else when.date(),
    )


def minutes_docx(meeting: Meeting) -> bytes:
    return render(minutes_document(meeting))
