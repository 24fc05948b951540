"""Demo whistles: a year of history across the demo's units, in every state (overdue, urged, supervised,
escalated, returned and re-dispatched, extended, rated 不满意 and reworked), so the unit figures and the ranking
mean something.

Every row is written through the services with the demo's system actor. History is replayed with explicit times
(``now=``): the whistles' and assignments' business times, the clocks and the ladder steps (tick's clock jobs run
at the replayed moments) are those times; the audit trail and the process-event rows record when the demo was
loaded, as they must.
"""

import datetime
import heapq
import random

from django.db.models import Count, Q
from django.utils import timezone

from kaifaqu.accounts.models import User
from kaifaqu.core import calendar as cal
from kaifaqu.core import clock
from kaifaqu.core.access import SystemActor
from kaifaqu.org.models import Org, Park

from . import services
from .models import Assignment, AssignmentState, Urge, Whistle, WhistleKind, WhistleState

ACTOR = SystemActor("demo")
TZ = timezone.get_default_timezone()
USERNAMES: list[str] = []

# Unit codes of the demo zone (kaifaqu.demo.loader) with how reliably each answers: (report on time, solve on
# time, satisfied) probabilities, so the ranking has a top and a bottom.
UNITS = {
    "zrzy": (0.9, 0.8, 0.8), "chengxi": (0.95, 0.9, 0.85), "shuiwu": (0.85, 0.85, 0.75), "jianshe": (0.8, 0.7, 0.7),
    "xinqiao": (0.6, 0.5, 0.55), "donghu": (0.75, 0.7, 0.7), "zjj": (0.7, 0.6, 0.6), "sthj": (0.8, 0.75, 0.7),
    "yingji": (0.9, 0.85, 0.8),
}
TITLES = {
    "安全生产": ["企业厂房消防通道堵塞", "危化品仓库安全隐患", "在建工地塔吊违规作业"],
    "市政园林": ["园区主干道路面塌陷", "绿化带枯死补植", "路灯成片不亮"],
    "环境卫生": ["园区河道漂浮物", "建筑垃圾乱倒", "企业周边异味投诉"],
    "征地拆迁": ["项目地块青苗补偿未到位", "拆迁户阻工"],
    "项目审批": ["重点项目施工许可卡在规划条件", "环评批复进度滞后"],
    "规划用地": ["项目用地红线与道路冲突", "地块控规调整"],
    "企业诉求": ["企业用电增容迟迟未办", "企业员工通勤班车站点"],
    "基础设施": ["污水管网接入", "园区断水抢修"],
}


def _at(d, hour, minute=0):
    return datetime.datetime.combine(d, datetime.time(hour, minute), tzinfo=TZ)


def _workday_on_or_after(d):
    return d if cal.is_workday(d) else cal.next_workday(d)


def _next_workday(d, n=1):
    return cal.add_workdays(d, n)


class _Scheduler:
    """Plays the scripts of many whistles in the order of time, running tick's clock jobs (warnings, overdue, the
    ladder) at each moment first, so a unit that answers on time is never urged by a later whistle's replay.
    A script is a generator that yields the moment of its next step (then performs it), or ``("spawn", [scripts])``
    to run sub-scripts (one per assignment) and resume with their results once all have finished."""

    def __init__(self):
        self.heap, self.seq, self.now = [], 0, None

    def add(self, moment, script, parent=None):
        self.seq += 1
        heapq.heappush(self.heap, (moment, self.seq, script, parent, None))

    def run(self, until):
        waiting = {}  # parent seq -> [script, pending children, results]
        while self.heap:
            moment, seq, script, parent, value = heapq.heappop(self.heap)
            moment = max(moment, self.now) if self.now else moment
            if self.now is None or moment > self.now:
                if _anything_due(moment):
                    clock.run_due(moment)
                    clock.run_ladder(moment)
                self.now = moment
            try:
                step = script.send(value)
            except StopIteration as stop:
                if parent is not None:
                    entry = waiting[parent]
                    entry[2].append(stop.value)
                    entry[1] -= 1
                    if entry[1] == 0:
                        del waiting[parent]
                        heapq.heappush(self.heap, (self.now, parent, entry[0], entry[3], entry[2]))
                continue
            if isinstance(step, tuple) and step[0] == "spawn":
                waiting[seq] = [script, len(step[1]), [], parent]
                for child in step[1]:
                    self.seq += 1
                    heapq.heappush(self.heap, (self.now, self.seq, child, seq, None))
                continue
            heapq.heappush(self.heap, (step, seq, script, parent, None))
        clock.run_due(until)
        clock.run_ladder(until)


def _anything_due(moment):
    """Whether tick's clock jobs would find work at ``moment`` (one query instead of their half-dozen)."""
    from kaifaqu.core.clock.models import DeadlineClock

    return DeadlineClock.objects.filter(
        Q(next_step_at__lte=moment) | Q(state="running", due_at__lte=moment)
        | Q(state="running", warned_at__isnull=True, warn_at__lte=moment)).exists()


def load(zone, neighbour):
    rng = random.Random(14)
    orgs = {o.code: o for o in Org.objects.filter(zone=zone, code__in=list(UNITS))}
    units = [orgs[c] for c in UNITS if c in orgs]
    if len(units) < 4:
        return
    leader = User.objects.filter(username="leader").first()
    jianshe_user = User.objects.filter(username="jianshe").first()
    parks = list(Park.objects.filter(zone=zone).order_by("sort", "id"))
    services.do_set_policy(ACTOR, zone, WhistleKind.KEY_TASK, report_in_limit=1, plan_limit=3, solve_limit=20,
                           supervise_after=2, escalate_after=3)
    today = timezone.localdate()
    scheduler = _Scheduler()
    day = _workday_on_or_after(today - datetime.timedelta(days=365))
    while day < today - datetime.timedelta(days=50):
        moment = _at(day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
        blower = leader if rng.random() < 0.6 or jianshe_user is None else jianshe_user
        scheduler.add(moment, _history_whistle(random.Random(rng.random()), zone, units, parks, blower, moment))
        day = _workday_on_or_after(day + datetime.timedelta(days=rng.choice((12, 14, 16, 18))))
    for moment, script in _current_whistles(rng, zone, orgs, units, parks, leader, today):
        scheduler.add(moment, script)
    scheduler.run(timezone.now())


def _blow(rng, zone, units, parks, blower, moment, *, kind=None, lead=None, supporters=None, matter=None):
    kind = kind or (WhistleKind.EMERGENCY if rng.random() < 0.3 else WhistleKind.KEY_TASK)
    matter = matter or rng.choice(list(TITLES))
    lead = lead or rng.choice(units)
    if supporters is None:
        supporters = rng.sample([u for u in units if u != lead], rng.choice((0, 0, 0, 1, 1)))
    return services.do_blow(ACTOR, zone, kind=kind, title=rng.choice(TITLES[matter]),
                            description=f"{rng.choice(TITLES[matter])}，请{lead.name}牵头尽快处置。", matter=matter,
                            lead=lead, supporters=supporters, park=rng.choice(parks) if parks else None,
                            place=rng.choice(("一号路", "科创大道", "园区北门", "三期地块", "滨河路")), now=moment,
                            on_behalf_of=blower)


def _act(target, action, moment, **kw):
    return services.act(ACTOR, target, action, now=moment, **kw)


def _work(rng, a, moment, profile, *, allow_return=True, allow_extension=True):
    """One assignment answered as its unit would (a script): returns the time it was solved, None if returned."""
    on_time, solve_ok, _ = profile
    if a.whistle.kind == WhistleKind.EMERGENCY:
        minutes = rng.randint(5, 25) if rng.random() < on_time else rng.randint(40, 90)
        report = moment + datetime.timedelta(minutes=minutes)
    else:
        days = rng.choice((0, 1)) if rng.random() < on_time else 2
        report = max(_at(_next_workday(moment.date(), days) if days else moment.date(), rng.randint(9, 16)),
                     moment + datetime.timedelta(minutes=20))
    if allow_return and rng.random() < 0.08:
        yield report
        _act(a, "return", report, note="经核实不属于本单位职责范围，建议改派属地街道。")
        return None
    yield report
    _act(a, "report_in", report)
    if a.whistle.kind == WhistleKind.EMERGENCY:
        done = report + datetime.timedelta(hours=rng.randint(2, 20) if rng.random() < solve_ok else rng.randint(26, 40))
        yield done
        _act(a, "solve", done, payload={"result": "已到场处置完毕，现场恢复正常。"})
        return done
    if rng.random() < 0.45:
        done = max(_at(_next_workday(report.date(), rng.choice((1, 1, 2))), rng.randint(9, 17)),
                   report + datetime.timedelta(hours=1))
        yield done
        _act(a, "solve", done, payload={"result": "已即时解决并反馈。"})
        return done
    plan_day = _next_workday(report.date(), rng.choice((1, 2, 2, 3)) if rng.random() < solve_ok else rng.choice((4, 5)))
    committed = _next_workday(plan_day, rng.randint(4, 12))
    yield _at(plan_day, 10)
    _act(a, "plan", _at(plan_day, 10), note="需多部门会商，进入个案研究。",
         payload={"plan": "会同相关单位现场会商，分步实施。", "committed_date": committed})
    yield _at(_next_workday(plan_day, 2), 15)
    _act(a, "progress", _at(_next_workday(plan_day, 2), 15), note="已完成现场会商，正在实施。")
    if allow_extension and rng.random() < 0.15:
        ask = _at(_next_workday(plan_day, 3), 11)
        yield ask
        _act(a, "request_extension", ask, note="涉及施工季节，申请延期。", payload={"amount": 3})
        yield ask + datetime.timedelta(hours=3)
        _act(a.whistle, "grant_extension", ask + datetime.timedelta(hours=3), payload={"assignment": a.pk})
        committed = _next_workday(committed, 3)
    finish = committed if rng.random() < solve_ok else _next_workday(committed, rng.randint(1, 4))
    done = _at(finish, rng.randint(9, 17))
    yield done
    _act(a, "solve", done, payload={"result": "按方案完成整改，已验收。"})
    return done


def _lead_work(rng, w, a, moment, units):
    """The lead's (or a supporter's) script, with a re-dispatch when the unit returns it."""
    done = yield from _work(rng, a, moment, UNITS[a.org.code])
    if done is not None:
        return done
    a.refresh_from_db()
    again = _at(_next_workday(timezone.localtime(a.returned_at).date()), 9)
    yield again
    taken = set(w.assignments.values_list("org_id", flat=True))
    other = next(u for u in units if u.pk not in taken)
    _act(w, "redispatch", again, payload={"assignment": a.pk, "org": other.pk}, note="原单位退回，改派。")
    new = w.assignments.select_related("org", "whistle").get(replaces=a)
    return (yield from _work(rng, new, again, UNITS[new.org.code], allow_return=False))


def _history_whistle(rng, zone, units, parks, blower, moment):
    w = _blow(rng, zone, units, parks, blower, moment)
    yield moment
    solved = yield ("spawn", [_lead_work(rng, w, a, moment, units)
                              for a in w.assignments.select_related("org", "whistle").order_by("id")])
    w.refresh_from_db()
    if w.state != WhistleState.SOLVED:
        return
    lead = w.assignments.exclude(state=AssignmentState.RETURNED).select_related("org").get(role="lead")
    visit = _at(_next_workday(max(solved).date()), 10)
    yield visit
    _act(w, "visit", visit, note="电话回访吹哨单位与企业，问题已解决。")
    roll = rng.random()
    satisfied = UNITS[lead.org.code][2]
    rating = "satisfied" if roll < satisfied else ("basic" if roll < satisfied + 0.15 else "unsatisfied")
    yield visit + datetime.timedelta(hours=2)
    _act(w, "rate", visit + datetime.timedelta(hours=2),
         payload={"rating": rating, "comment": "仍有遗留问题，需重新处置。" if rating == "unsatisfied" else "处置及时。"})
    if rating != "unsatisfied":
        return
    again = visit + datetime.timedelta(days=2, hours=3)
    yield again
    lead.refresh_from_db()
    _act(lead, "solve", again, payload={"result": "重办完成，遗留问题已解决。"})
    visit2 = _at(_next_workday(again.date()), 10)
    yield visit2
    _act(w, "visit", visit2, note="重办后回访，已解决。")
    yield visit2 + datetime.timedelta(hours=1)
    _act(w, "rate", visit2 + datetime.timedelta(hours=1), payload={"rating": "satisfied", "comment": "重办后满意。"})


def _current_whistles(rng, zone, orgs, units, parks, leader, today):
    """The whistles still in flight, one for every state a user should find: (blow moment, script)."""
    zrzy, street, shuiwu = orgs["zrzy"], orgs["chengxi"], orgs["shuiwu"]
    now = timezone.now()

    def ago(n, hour=10):
        d = today
        for _ in range(n):
            d = d - datetime.timedelta(days=1)
            while not cal.is_workday(d):
                d = d - datetime.timedelta(days=1)
        return min(_at(d, hour), now - datetime.timedelta(minutes=5))

    def blow(moment, **kw):
        return _blow(rng, zone, units, parks, leader, moment, **kw)

    def escalated():  # 新桥镇 never reported in: 催办 → 督办 → 提交联席会议
        yield ago(12)
        blow(ago(12), kind=WhistleKind.KEY_TASK, lead=orgs["xinqiao"], supporters=[], matter="征地拆迁")

    def supervised():  # reported in, the plan overdue for several working days
        yield ago(8)
        w = blow(ago(8), kind=WhistleKind.KEY_TASK, lead=orgs["zjj"], supporters=[], matter="项目审批")
        yield ago(8, 15)
        _act(w.assignments.get(), "report_in", ago(8, 15))

    def urged():  # an emergency unanswered for two hours
        yield now - datetime.timedelta(hours=2)
        blow(now - datetime.timedelta(hours=2), kind=WhistleKind.EMERGENCY, lead=orgs["yingji"], supporters=[],
             matter="安全生产")

    def waiting():  # zrzy's inbox: report in (time left, 预警), with 城西街道 supporting
        yield now - datetime.timedelta(hours=1)
        blow(now - datetime.timedelta(hours=1), kind=WhistleKind.KEY_TASK, lead=zrzy, supporters=[street],
             matter="规划用地")

    def extended():  # the tax office: planned, extended, in progress
        yield ago(5)
        w = blow(ago(5), kind=WhistleKind.KEY_TASK, lead=shuiwu, supporters=[], matter="企业诉求")
        a = w.assignments.get()
        yield ago(5, 14)
        _act(a, "report_in", ago(5, 14))
        yield ago(4)
        _act(a, "plan", ago(4), note="需核实企业历史欠税。",
             payload={"plan": "分期办理，先行开具证明。", "committed_date": _next_workday(today, 5)})
        yield ago(2)
        _act(a, "request_extension", ago(2), note="企业材料未齐。", payload={"amount": 2})
        yield ago(2, 15)
        _act(w, "grant_extension", ago(2, 15), payload={"assignment": a.pk})
        yield ago(1)
        _act(a, "progress", ago(1), note="已开具完税证明。")

    def returned():  # returned by zrzy, waiting for the zone to re-dispatch
        yield ago(1)
        w = blow(ago(1), kind=WhistleKind.KEY_TASK, lead=zrzy, supporters=[], matter="环境卫生")
        yield ago(1, 15)
        _act(w.assignments.get(), "return", ago(1, 15), note="属地环境卫生由街道负责，请改派城西街道。")

    def asking():  # 城西街道 asks for an extension, waiting for the zone's answer
        yield ago(3)
        w = blow(ago(3), kind=WhistleKind.KEY_TASK, lead=street, supporters=[], matter="市政园林")
        a = w.assignments.get()
        yield ago(3, 11)
        _act(a, "report_in", ago(3, 11))
        yield ago(2)
        _act(a, "plan", ago(2), note="需采购材料。",
             payload={"plan": "采购路灯配件后统一更换。", "committed_date": _next_workday(today, 3)})
        yield ago(1, 16)
        _act(a, "request_extension", ago(1, 16), note="配件到货延迟。", payload={"amount": 2})

    def solved(visited):  # solved, waiting for the visit (or visited, waiting for the rating)
        yield ago(4)
        w = blow(ago(4), kind=WhistleKind.EMERGENCY, lead=street, supporters=[], matter="基础设施")
        a = w.assignments.get()
        yield ago(4) + datetime.timedelta(minutes=12)
        _act(a, "report_in", ago(4) + datetime.timedelta(minutes=12))
        yield ago(4) + datetime.timedelta(hours=5)
        _act(a, "solve", ago(4) + datetime.timedelta(hours=5), payload={"result": "抢修完毕，恢复供水。"})
        if visited:
            yield ago(2)
            _act(w, "visit", ago(2), note="企业反映已恢复供水。")

    return [(ago(12), escalated()), (ago(8), supervised()), (now - datetime.timedelta(hours=2), urged()),
            (now - datetime.timedelta(hours=1), waiting()), (ago(5), extended()), (ago(1), returned()),
            (ago(3), asking()), (ago(4), solved(False)), (ago(4), solved(True))]


def figures(zone) -> dict:
    counts = Whistle.objects.filter(zone=zone).aggregate(
        total=Count("id"), open=Count("id", filter=Q(state=WhistleState.OPEN)),
        escalated=Count("id", filter=Q(escalated_at__isnull=False)), reworked=Count("id", filter=Q(rework_count__gt=0)))
    returned = Assignment.objects.filter(zone=zone, state=AssignmentState.RETURNED).count()
    return {
        "吹哨总数": counts["total"], "办理中": counts["open"], "已提交联席会议": counts["escalated"],
        "重办过的吹哨": counts["reworked"], "退回的承办": returned,
        "催办次数": Urge.objects.filter(zone=zone, level="urge").count(),
        "督办次数": Urge.objects.filter(zone=zone, level="supervise").count(),
    }
