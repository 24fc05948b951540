"""Demo joint meetings: the zone's body (convened by the city leader), two joint meetings and two project pairing
meetings (项目结对月例会) held over the last two months with attendance, agendas and decisions — accepted, waiting
for acceptance, open with their clocks, overdue (urged and supervised) — and their minutes; the latest joint
meeting carries the escalated whistles of the whistle demo, the pairing meetings the stuck projects of the invest
demo; one joint meeting is in preparation (whistles escalated until it is held join its agenda then).

Every row is written through the services with the demo's system actor, history replayed with explicit times
(``now=``); the ladder of the decisions' clocks runs at the moments its steps fell due. The audit trail and the
process events record when the demo was loaded, as they must.
"""

import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from kaifaqu.accounts.models import User
from kaifaqu.core import calendar as cal
from kaifaqu.core import clock
from kaifaqu.core.access import SystemActor
from kaifaqu.core.clock.models import DeadlineClock
from kaifaqu.org.models import Org

from . import queries, services
from .models import Meeting, MeetingKind
from .workflow import KIND_DECISION

ACTOR = SystemActor("demo")
TZ = timezone.get_default_timezone()
USERNAMES: list[str] = []

MEMBERS = ("dangzheng", "jingji", "zhaoshang", "jianshe", "guihua", "zrzy", "zjj", "sthj", "yjj", "shuiwu", "yingji",
           "chengxi", "xinqiao", "donghu", "pingtai")


def _at(d, hour, minute=0):
    return datetime.datetime.combine(d, datetime.time(hour, minute), tzinfo=TZ)


def _ago(today, n):
    d = today
    for _ in range(n):
        d -= datetime.timedelta(days=1)
        while not cal.is_workday(d):
            d -= datetime.timedelta(days=1)
    return d


def _after(d, n):
    return cal.add_workdays(d, n)


def _joint_title(zone, day, suffix=""):
    """The year's n-th joint meeting of the zone (第一次, 第二次 …)."""
    n = Meeting.objects.filter(zone=zone, kind=MeetingKind.JOINT, starts_at__year=day.year).count() + 1
    return f"{zone.name}{day.year}年第{'一二三四五六七八九十'[min(n, 10) - 1]}次联席会议{suffix}"


def _meeting(zone, kind, title, day, place, agenda=(), absent=(), hour=9):
    """A meeting scheduled two working days ahead of ``day``, with its free agenda items, held on ``day``."""
    scheduled = _at(_ago(day, 2), 10)
    m = services.do_schedule(ACTOR, zone, kind=kind, title=title, starts_at=_at(day, hour), place=place,
                             recorder="党政办公室 吴秀芳", now=scheduled)
    for item_title, presenter, description in agenda:
        services.do_add_agenda_item(ACTOR, m, title=item_title, presenter=presenter, description=description,
                                    now=scheduled)
    if absent:
        services.do_set_attendance(ACTOR, m, [{"org": org, "present": False, "note": note} for org, note in absent])
    _run_ladder(_at(day, hour + 2))
    return services.act(ACTOR, m, "hold", note="会议按时召开，议题逐项研究。", now=_at(day, hour + 2))


def _decide(m, day, content, owner, workdays, item=None):
    moment = timezone.localtime(m.held_at) + datetime.timedelta(minutes=30)
    return services.do_add_decision(ACTOR, m, content=content, owner=owner, due_date=_after(day, workdays),
                                    agenda_item=item, now=moment)


def _minutes(m, day):
    moment = timezone.localtime(m.held_at) + datetime.timedelta(hours=1)
    return services.act(ACTOR, Meeting.objects.get(pk=m.pk), "issue_minutes", now=moment)


def _report(d, day, text, hour=15):
    _run_ladder(_at(day, hour))
    return services.act(ACTOR, d, "report", payload={"report": text}, now=_at(day, hour))


def _accept(d, day):
    _run_ladder(_at(day, 10))
    return services.act(ACTOR, d, "accept", note="经核查，已按要求办结。", now=_at(day, 10))


def _run_ladder(until):
    """Fire the decisions' ladder steps at the moments they fell due, oldest first (提醒, 催办, then 督办)."""
    while True:
        due = (DeadlineClock.objects.filter(kind=KIND_DECISION, next_step_at__lte=until)
               .aggregate(m=Min("next_step_at"))["m"])
        if due is None:
            return
        clock.run_ladder(due)


def load(zone, neighbour):
    orgs = {o.code: o for o in Org.objects.filter(zone=zone, code__in=MEMBERS)}
    if not {"zrzy", "xinqiao", "zhaoshang", "zjj"} <= set(orgs):
        return
    city_leader = User.objects.filter(username="cityleader").first()
    services.do_set_body(
        ACTOR, zone, name=f"{zone.name}联席会议", convener_name=city_leader.name if city_leader else "韩志红",
        convener_title="XX市人民政府副市长", convener=city_leader,
        duties="联席会议由分管副市长召集，原则上每季度召开一次，必要时随时召开；研究吹哨报到中经催办、督办仍未解决的"
               "问题和重点项目推进中的难点；议定事项明确责任单位和办结期限，由联席会议办公室（党政办公室）跟踪督办。",
        members=[orgs[c] for c in MEMBERS if c in orgs])
    today = timezone.localdate()
    now = timezone.now()
    xinqiao, zjj, zrzy, zhaoshang = orgs["xinqiao"], orgs["zjj"], orgs["zrzy"], orgs["zhaoshang"]
    place = "管委会三楼第一会议室"

    # A joint meeting two months ago: one decision accepted, one reported late waiting for acceptance, one overdue.
    day = _ago(today, 40)
    first = _meeting(zone, MeetingKind.JOINT, _joint_title(zone, day), day, place, agenda=[
                         ("三期地块征地拆迁推进", xinqiao, "三期地块尚有 12 户未签订拆迁协议，影响两个签约项目供地。"),
                         ("园区污水管网接入", zjj, "智造园北区 6 家企业污水管网尚未接入市政管网。"),
                     ], absent=[(orgs["sthj"], "请假（参加省生态环境厅会议）")] if "sthj" in orgs else ())
    items = list(first.agenda.order_by("seq"))
    _decide(first, day, "新桥镇完成三期地块剩余 12 户拆迁协议签订，报送签约情况。", xinqiao, 15, items[0])
    done = _decide(first, day, "市住房和城乡建设局完成智造园北区污水管网接入方案审查。", zjj, 10, items[1])
    waiting = _decide(first, day, "市自然资源和规划局出具三期地块规划条件。", zrzy, 20, items[0])
    _minutes(first, day)
    _report(done, _after(day, 8), "接入方案已审查通过，施工单位已进场。")
    _accept(done, _after(day, 10))
    _report(waiting, _after(day, 22), "规划条件已出具，已函告招商处。")

    # A pairing meeting a month ago on the stuck projects: one followed up, one overdue.
    day = _ago(today, 22)
    pairing = _meeting(zone, MeetingKind.PAIRING, f"{day.year}年{day.month}月项目结对月例会", day, "管委会二楼会议室",
                       agenda=[("重点项目开工计划", orgs.get("jianshe"), "")], hour=14)
    projects = list(pairing.agenda.filter(source="project").order_by("seq"))
    if projects:
        first_project = _decide(pairing, day, f"招商处牵头与“{projects[0].title[:20]}”投资方重新对接，明确推进时间表。",
                                zhaoshang, 8, projects[0])
        _report(first_project, _after(day, 6), "已与投资方对接，投资方确认下月签订补充协议。")
        _accept(first_project, _after(day, 7))
    _decide(pairing, day, "招商处会同结对领导走访停滞项目投资方，形成分类处置意见。", zhaoshang, 10,
                      projects[1] if len(projects) > 1 else None)
    _decide(pairing, day, "市自然资源和规划局梳理停滞项目用地指标，提出盘活建议。", zrzy, 30,
            projects[0] if projects else None)
    _minutes(pairing, day)

    # The latest joint meeting: the escalated whistles are on its agenda (added when it was scheduled).
    day = _ago(today, 3)
    joint = _meeting(zone, MeetingKind.JOINT, _joint_title(zone, day, "（吹哨升级事项专题）"), day, place, agenda=[
        ("四季度安全生产大检查部署", orgs.get("yingji"), ""),
    ])
    escalated = list(joint.agenda.filter(source="whistle").order_by("seq"))
    for item in escalated:
        _decide(joint, day, f"{item.presenter or xinqiao}牵头，5 个工作日内解决“{item.title[:30]}”并报办理结果。",
                item.presenter or xinqiao, 5, item)
    _decide(joint, day, "市自然资源和规划局配合出具三期地块用地红线复核意见。", zrzy, 8,
            escalated[0] if escalated else None)
    _decide(joint, day, "应急管理站牵头组织园区企业安全生产大检查，月底前报送检查情况。", orgs.get("yingji", zjj), 12)
    _minutes(joint, day)

    # This month's pairing meeting: the stuck projects again, decisions just made.
    day = _ago(today, 1)
    second = _meeting(zone, MeetingKind.PAIRING, f"{day.year}年{day.month}月项目结对月例会", day, "管委会二楼会议室",
                      hour=14)
    again = list(second.agenda.filter(source="project").order_by("seq"))
    _decide(second, day, "招商处逐一明确停滞项目结对领导的走访时间，下周报送计划。", zhaoshang, 4, again[0] if again else None)
    _minutes(second, day)

    # The next joint meeting, in preparation: whistles escalated from now on join it when it is held.
    upcoming = _after(today, 8)
    services.do_schedule(ACTOR, zone, kind=MeetingKind.JOINT, title=_joint_title(zone, upcoming),
                         starts_at=_at(upcoming, 9), place=place, now=now)
    _run_ladder(now)
    clock.run_due(now)


def figures(zone) -> dict:
    counts = Meeting.objects.filter(zone=zone).aggregate(
        total=Count("id"), joint=Count("id", filter=Q(kind=MeetingKind.JOINT)),
        pairing=Count("id", filter=Q(kind=MeetingKind.PAIRING)), minuted=Count("id", filter=Q(minutes__isnull=False)))
    decisions = queries.decision_counts(zone.pk)
    return {
        "会议（个）": counts["total"], "联席会议": counts["joint"], "项目结对月例会": counts["pairing"],
        "已印发纪要": counts["minuted"], "议定事项（项）": decisions["total"],
        "议定事项未办结": decisions["open"] + decisions["reported"], "议定事项逾期": decisions["overdue"],
    }
