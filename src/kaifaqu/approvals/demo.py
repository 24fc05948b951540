"""Demo rows of the approvals module (seed 004: 12 windows, "项目审批不出经开区", 87 → 25 working days; seed 003:
多评合一、多审合一、拿地即开工; seed 002: 帮办代办). Written through the services with the demo actor."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from kaifaqu.core.access import SystemActor

from . import services
from .catalogue_data import COMMON, ITEMS, SPECIFIC, WINDOWS
from .models import ServiceItem, Window

ACTOR = SystemActor("demo")
TZ = ZoneInfo("Asia/Shanghai")
USERNAMES = ["chuangkou", "shenpi", "bangban"]


def _users(zone):
    from kaifaqu.accounts import services as account_services
    from kaifaqu.accounts.roles import Role
    from kaifaqu.demo.loader import demo_password
    from kaifaqu.org.models import Org

    centre = Org.objects.get(zone=zone, code="touzi")
    made = {}
    for username, name in (("chuangkou", "王晓敏"), ("shenpi", "赵文博"), ("bangban", "陈帮办")):
        made[username] = account_services.do_create_user(
            ACTOR, username=username, password=demo_password(), name=name, org=centre, role=Role.ZONE_STAFF,
            must_change_password=False)
    return made


def load_catalogue(zone):
    from kaifaqu.org.models import Org

    orgs = {o.code: o for o in Org.objects.filter(zone=zone)}
    windows = {n: services.do_create_window(ACTOR, zone, number=n, name=name, duties=duties)
               for n, name, duties in WINDOWS}
    count = 0
    for stage, rows in ITEMS.items():
        first, second = SPECIFIC[stage]
        for code, name, dept, window, promised, legal, fee, commitment, handling in rows:
            item = services.do_create_item(
                ACTOR, zone, code=f"KFQ-{code}", name=name, department=orgs[dept], window=windows[window],
                stage=stage, promised_limit=promised, legal_limit=legal, fee=Decimal(fee),
                fee_basis="不动产登记收费标准（发改价格规〔2016〕2559号）" if fee != "0" else "",
                handling=handling, commitment=commitment,
                power_code=f"3301{code}" if handling != "own" else "",
                conditions="申请人为依法设立的企业或项目单位，项目符合国土空间规划和产业政策。",
                basis="《中华人民共和国行政许可法》及相关法律法规")
            rows = [{"name": mname, "form": form, "count": n, "required": sort < 2, "note": note, "sort": sort}
                    for sort, (mname, form, n, _, note) in enumerate(COMMON)]
            rows.append({"name": first[0], "form": first[1], "count": first[2], "sort": 10})
            # Every other item lets its second specific material follow later (容缺受理).
            rows.append({"name": second[0], "form": second[1], "count": second[2], "may_follow": count % 2 == 0,
                         "sort": 11, "note": "可容缺受理，承诺期限内补交" if count % 2 == 0 else ""})
            services.do_set_checklist(ACTOR, item, rows)
            count += 1
    return windows


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(y, m, d, h=10, minute=0):
    return datetime.datetime(y, m, d, h, minute, tzinfo=TZ)


def _file(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{name}.pdf", PDF, content_type="application/pdf")


def _apply(item, applicant, title, when, *, skip=(), project=None):
    files = {m: _file(m.name) for m in item.materials.all() if m.required and m.name not in skip}
    case, _ = services.do_apply(ACTOR, item, title=title, applicant=applicant, project=project, files=files,
                                at=when)
    return case


def _decide(case, when, number):
    services.do_upload_decision(ACTOR, case, _file("审批决定书"))
    case = services.act(ACTOR, case, "approve", payload={"decision_no": number}, at=when)
    return services.act(ACTOR, case, "close", at=when + datetime.timedelta(hours=1))


def load_cases(zone, users):
    """Standalone cases: a supplement across the 2026 Spring Festival, conditional acceptances (one overdue), an
    extension awaiting its second signature, a refusal, and applications waiting at the windows."""
    from kaifaqu.org.models import Org

    ents = {o.code: o for o in Org.objects.filter(zone=zone, kind="enterprise")}
    qiye, lvyuan, hengtai, yunshang = (ents["ent-anshi"], ents["ent-lvyuan"], ents["ent-hengtai"],
                                       ents["ent-yunshang"])
    item = {i.code: i for i in ServiceItem.objects.filter(zone=zone).prefetch_related("materials")}
    # 补正 across the Spring Festival: accepted 2026-02-09, paused 2/12 → 2/25 (2/13, 2/14, 2/24, 2/25 counted as
    # paused), decided 3/3.
    case = _apply(item["KFQ-P01"], hengtai, "精密机械厂房建设工程规划许可", _at(2026, 2, 6, 9))
    case = services.act(ACTOR, case, "accept", at=_at(2026, 2, 9))
    case = services.act(ACTOR, case, "request_supplement", note="总平面图缺少消防车道标注，请一次性补正。",
                        at=_at(2026, 2, 12))
    services.do_provide_material(ACTOR, case, item["KFQ-P01"].materials.get(sort=10), _file("总平面图（补正）"),
                                 at=_at(2026, 2, 25, 14))
    case = services.act(ACTOR, case, "supply", at=_at(2026, 2, 25, 15))
    _decide(case, _at(2026, 3, 3), "经开规许〔2026〕18号")
    # 容缺受理, supplied in time (KFQ-L01 lets its second material follow later).
    follow = next(m for m in item["KFQ-L01"].materials.all() if m.may_follow)
    case = _apply(item["KFQ-L01"], lvyuan, "环保装备扩产项目备案", _at(2026, 11, 2, 9), skip=(follow.name,))
    case = services.act(ACTOR, case, "accept_conditionally", note="承诺 3 个工作日内补交用地红线图",
                        payload={"days": 3}, at=_at(2026, 11, 2))
    services.do_provide_material(ACTOR, case, follow, _file(follow.name), at=_at(2026, 11, 4, 9))
    case = services.act(ACTOR, case, "supply_deferred", at=_at(2026, 11, 4))
    # 容缺受理 whose materials are overdue (due 11/20, not supplied).
    follow = next(m for m in item["KFQ-L05"].materials.all() if m.may_follow)
    case = _apply(item["KFQ-L05"], qiye, "智能安防产业园二期用地规划许可", _at(2026, 11, 16, 9), skip=(follow.name,))
    services.act(ACTOR, case, "accept_conditionally", note="承诺 5 个工作日内补交用地红线图", payload={"days": 5},
                 at=_at(2026, 11, 16))
    # An extension asked by the window officer, awaiting a second person.
    case = _apply(item["KFQ-P04"], yunshang, "直播基地消防设计审查", _at(2026, 11, 23, 9))
    case = services.act(ACTOR, case, "accept", at=_at(2026, 11, 23))
    services.act(users["chuangkou"], case, "request_extension", note="需组织专家论证防火分区方案",
                 payload={"days": 5}, at=_at(2026, 11, 30))
    # A refusal, and two applications waiting at the windows.
    case = _apply(item["KFQ-G06"], yunshang, "道路货物运输经营许可", _at(2026, 11, 25, 9))
    services.act(ACTOR, case, "refuse", note="申请单位无营运车辆，不符合受理条件。", at=_at(2026, 11, 25, 15))
    _apply(item["KFQ-P02"], qiye, "研发楼设计方案审查", _at(2026, 12, 1, 9))
    _apply(item["KFQ-G02"], yunshang, "员工食堂食品经营许可", _at(2026, 12, 1, 14))


def load(zone, neighbour):
    users = _users(zone)
    windows = load_catalogue(zone)
    from kaifaqu.accounts.models import User

    services.do_set_window_staff(ACTOR, windows[12], [users["chuangkou"]])
    services.do_set_window_staff(ACTOR, windows[1], [users["shenpi"], users["chuangkou"]])
    services.do_set_window_staff(ACTOR, windows[3], list(User.objects.filter(username="zrzy")))
    services.do_set_window_staff(ACTOR, windows[4], list(User.objects.filter(username="jianshe")))
    services.do_set_window_staff(ACTOR, windows[6], [users["chuangkou"]])
    load_cases(zone, users)
    load_projects(zone)
    load_commitments(zone)
    load_land(zone)
    load_agent(zone, users["bangban"])
    # The neighbour zone has a small catalogue of its own (the scoping of every page is tried against it).
    from kaifaqu.org.models import Org

    n_dept = Org.objects.filter(zone=neighbour).order_by("id").last()
    n_window = services.do_create_window(ACTOR, neighbour, number=1, name="综合受理窗口")
    services.do_create_item(ACTOR, neighbour, code="YY-G01", name="企业设立登记", department=n_dept,
                            window=n_window, promised_limit=1, legal_limit=3)


def figures(zone) -> dict:
    from kaifaqu.approvals.models import Case, Material, Parcel, PostCheck, Project, ProjectAgent

    items = ServiceItem.objects.filter(zone=zone)
    return {
        "服务窗口": Window.objects.filter(zone=zone).count(),
        "政务服务事项": items.count(),
        "申请材料": Material.objects.filter(zone=zone).count(),
        "可容缺受理的事项": items.filter(materials__may_follow=True).distinct().count(),
        "告知承诺制事项": items.filter(commitment=True).count(),
        "办件": Case.objects.filter(zone=zone).count(),
        "容缺受理办件": Case.objects.filter(zone=zone, conditional=True).count(),
        "建设项目": Project.objects.filter(zone=zone).count(),
        "告知承诺制审批办件": Case.objects.filter(zone=zone, on_commitment=True).count(),
        "核查中": PostCheck.objects.filter(zone=zone, state="pending").count(),
        "核查不通过": PostCheck.objects.filter(zone=zone, state="failed").count(),
        "标准地地块": Parcel.objects.filter(zone=zone).count(),
        "未达标的标准地地块": Parcel.objects.filter(zone=zone, shortfall_count__gt=0).count(),
        "帮办代办项目": ProjectAgent.objects.filter(zone=zone, ended_at__isnull=True).count(),
        **_before_after(zone),
    }


# Projects (APPROVE-3/6) ------------------------------------------------------------------------------------------

# Per stage: (item code, share of the stage's working days, items it also satisfies)
STAGE_PLAN = {
    "land": [("KFQ-L05", 0, ()), ("KFQ-L16", -2, ("KFQ-L07", "KFQ-L08"))],
    "permit": [("KFQ-P13", 0, ("KFQ-P01", "KFQ-P03", "KFQ-P05"))],
    "construction": [("KFQ-C01", 0, ())],
    "acceptance": [("KFQ-A01", 0, ())],
}
STAGES = ("land", "permit", "construction", "acceptance")

# code, name, enterprise, park, kind, stage working days (land, permit, construction, acceptance), first day, stages
# done (4 = completed), fast start. General industrial projects completed in 2026: 23, 24, 25, 26, 27 working days.
PROJECTS = [
    ("2026-330100-01", "XX恒泰精密机械年产5万套精密部件项目", "ent-hengtai", "zhizao", "general_industrial",
     (8, 7, 4, 6), (2026, 2, 2), 4, False),
    ("2026-330100-02", "XX安视智能安防设备生产基地项目", "ent-anshi", "anfang", "general_industrial",
     (7, 7, 4, 6), (2026, 3, 16), 4, False),
    ("2026-330100-03", "XX绿源环保装备扩能技改项目", "ent-lvyuan", "huanbao", "general_industrial",
     (8, 6, 4, 5), (2026, 4, 13), 4, False),
    ("2026-330100-04", "XX恒泰汽车零部件智能工厂项目", "ent-hengtai", "zhizao", "general_industrial",
     (8, 7, 5, 6), (2026, 5, 11), 4, False),
    ("2026-330100-05", "XX安视视觉传感器产业化项目", "ent-anshi", "anfang", "general_industrial",
     (9, 7, 5, 6), (2026, 6, 15), 4, False),
    ("2026-330100-06", "XX绿源环保装备产业园（重大产业项目）", "ent-lvyuan", "huanbao", "major_industrial",
     (12, 10, 6, 8), (2026, 3, 2), 4, False),
    ("2026-330100-07", "XX云尚直播电商基地项目", "ent-yunshang", "shuzi", "service", (6, 5, 3, 4), (2026, 7, 6), 4,
     False),
    ("2026-330100-08", "XX安视研发中心项目", "ent-anshi", "kechuang", "general_industrial", (8, 7, 4, 6), None, 3,
     True),
    ("2026-330100-09", "XX恒泰热处理车间项目", "ent-hengtai", "zhizao", "general_industrial", (8, 7, 4, 6), None,
     3, False),
    ("2026-330100-10", "XX绿源膜材料生产线项目", "ent-lvyuan", "huanbao", "general_industrial", (8, 7, 4, 6),
     None, 2, False),
    ("2026-330100-11", "XX云尚智慧仓储物流中心项目", "ent-yunshang", "shuzi", "service", (7, 6, 4, 5), None, 2,
     False),
    ("2026-330100-12", "XX安视智能制造二期项目", "ent-anshi", "anfang", "general_industrial", (8, 7, 4, 6), None, 1,
     True),
    ("2026-330100-13", "XX恒泰精密铸造项目", "ent-hengtai", "zhizao", "major_industrial", (10, 8, 5, 6), None, 1,
     False),
    ("2026-330100-14", "XX云尚数字内容产业园项目", "ent-yunshang", "shuzi", "service", (6, 5, 3, 4), None, 0,
     False),
    ("2026-330100-15", "XX绿源再生资源利用项目", "ent-lvyuan", "huanbao", "general_industrial", (8, 7, 4, 6), None,
     0, False),
]


def _back(day, n, zone_id):
    """The working day n working days before ``day``."""
    from kaifaqu.core import calendar as cal

    while n > 0:
        day -= datetime.timedelta(days=1)
        if cal.is_workday(day, zone_id):
            n -= 1
    return day


def _case(item, ent, project, accept_day, k, covers=(), decide=True, pause=None):
    """A project case accepted on ``accept_day`` that uses ``k`` working days (its pause left out)."""
    from kaifaqu.core import calendar as cal

    case = _apply(item, ent, f"{project.name}：{item.name}", _at(accept_day.year, accept_day.month, accept_day.day, 9),
                  project=project)
    case = services.act(ACTOR, case, "accept", at=_at(accept_day.year, accept_day.month, accept_day.day))
    if covers:
        services.do_combine(ACTOR, case, covers)
    paused = 0
    if pause:
        start, end = pause
        case = services.act(ACTOR, case, "request_supplement", note="请补正：一次性告知需补充的材料见告知书。",
                            at=_at(start.year, start.month, start.day))
        case = services.act(ACTOR, case, "supply", at=_at(end.year, end.month, end.day, 15))
        paused = cal.workdays_between(start, end, zone_id=project.zone_id)
    if not decide:
        return case
    day = cal.add_workdays(accept_day, k + paused, zone_id=project.zone_id)
    _decide(case, _at(day.year, day.month, day.day, 16), f"经开审〔{day.year}〕{case.pk}号")
    return case


def load_projects(zone):
    from kaifaqu.core import calendar as cal
    from kaifaqu.org.models import Org, Park

    ents = {o.code: o for o in Org.objects.filter(zone=zone, kind="enterprise")}
    parks = {p.code: p for p in Park.objects.filter(zone=zone)}
    item = {i.code: i for i in ServiceItem.objects.filter(zone=zone).prefetch_related("materials")}
    services.do_record_baseline(ACTOR, zone, kind="general_industrial", working_days=87,
                                source="审批制度改革前一般工业投资项目总审批服务时限")
    # 区域评估: flood impact and mineral overlay assessed once for the whole 智能制造产业园.
    for code, title in (("KFQ-L09", "智能制造产业园区域洪水影响评价"), ("KFQ-L11", "智能制造产业园压覆矿产资源区域评估")):
        services.do_record_assessment(ACTOR, zone, park=parks["zhizao"], item=item[code], title=title,
                                      document_no="经开评〔2025〕3号", done_on=datetime.date(2025, 12, 18))
    today = datetime.datetime.now(TZ).date()
    for code, name, ent, park, kind, days, first, done, fast in PROJECTS:
        ent, park = ents[ent], parks[park]
        if first is None:  # in progress: the current stage began 3 working days ago
            first = _back(today, 3 + sum(days[:done]), zone.pk)
        else:
            first = datetime.date(*first)
        project = services.do_create_project(
            ACTOR, zone, code=code, name=name, enterprise=ent, park=park, kind=kind, fast_start=fast,
            investment=Decimal("120000000"), land_transferred_on=_back(first, 5, zone.pk))
        for stage in STAGES:
            for icode, _, covers in STAGE_PLAN[stage]:
                for c in (icode, *covers):
                    early = fast and stage == "permit"
                    services.do_add_project_item(ACTOR, project, item[c], early_start=early)
        if park.code == "zhizao":
            services.do_add_project_item(ACTOR, project, item["KFQ-L09"])
        if code.endswith("-12"):  # qiye's next application: utilities connection, started at land transfer
            services.do_add_project_item(ACTOR, project, item["KFQ-P09"], early_start=True)
        day = first
        for index, stage in enumerate(STAGES):
            if index > done:
                break
            length = days[index]
            for icode, share, covers in STAGE_PLAN[stage]:
                pause = None
                if code.endswith("-01") and icode == "KFQ-L05":  # 补正 across the 2026 Spring Festival
                    pause = (datetime.date(2026, 2, 12), datetime.date(2026, 2, 25))
                _case(item[icode], ent, project, day, length + share, covers=[item[c] for c in covers],
                      decide=index < done, pause=pause)
            if index < done:
                paused = 0
                if code.endswith("-01") and stage == "land":
                    paused = cal.workdays_between(datetime.date(2026, 2, 12), datetime.date(2026, 2, 25),
                                                  zone_id=zone.pk)
                day = cal.add_workdays(day, length + paused, zone_id=zone.pk)


def _before_after(zone) -> dict:
    from .queries import before_after

    ba = before_after(zone, "general_industrial", 2026)
    return {"一般工业项目改革前审批时间（工作日）": ba["baseline"], "一般工业项目实测中位数（工作日）": ba["median"],
            "节省时间": f"{ba['saving']}%" if ba["saving"] is not None else "—"}


# 告知承诺制, 标准地, 帮办代办 ------------------------------------------------------------------------------------------

PLEDGES = {
    "KFQ-L03": "本单位承诺：项目能源消费总量与强度符合节能审查要求，所报能源利用数据真实；如有不实或未履行承诺，"
               "愿承担撤销审批决定等法律责任。",
    "KFQ-P10": "本单位承诺：排水设施按设计文件建设，污水经预处理达到纳管标准后排入市政管网；如未履行承诺，"
               "愿接受限期整改直至撤销许可。",
}


def load_commitments(zone):
    """Two 告知承诺制 approvals: one whose post-check is under way (approved three working days ago), one whose
    check failed (rectification ordered)."""
    from kaifaqu.org.models import Org

    ents = {o.code: o for o in Org.objects.filter(zone=zone, kind="enterprise")}
    items = {i.code: i for i in ServiceItem.objects.filter(zone=zone, code__in=PLEDGES)}
    for code, text in PLEDGES.items():
        services.do_update_item(ACTOR, items[code], commitment_text=text)
    for item in ServiceItem.objects.filter(zone=zone, commitment=True).exclude(code__in=PLEDGES):
        services.do_update_item(ACTOR, item, commitment_text=f"本单位承诺符合「{item.name}」的审批条件和标准，"
                                                             "所报材料真实有效；如有不实，愿承担撤销审批决定等法律责任。")
    today = datetime.datetime.now(TZ).date()
    day = _back(today, 3, zone.pk)
    when = _at(day.year, day.month, day.day, 10)
    case = _apply(items["KFQ-L03"], ents["ent-anshi"], "智能安防产业园二期节能审查（告知承诺制）", when)
    case = services.act(ACTOR, case, "sign_commitment", at=when)
    services.act(ACTOR, case, "approve_on_commitment", payload={"decision_no": f"经开节能承诺〔{day.year}〕5号"},
                 at=when + datetime.timedelta(hours=1))
    when = _at(2026, 9, 1, 10)
    case = _apply(items["KFQ-P10"], ents["ent-lvyuan"], "膜材料生产线排水许可（告知承诺制）", when)
    case = services.act(ACTOR, case, "sign_commitment", at=when)
    case = services.act(ACTOR, case, "approve_on_commitment", payload={"decision_no": "经开排水承诺〔2026〕9号"},
                        at=when + datetime.timedelta(hours=1))
    services.act_check(ACTOR, case.post_check, "fail_check", payload={"consequence": "rectify"},
                       note="现场核查：污水预处理设施未建成，生产废水直排管网，与承诺不符；责令 30 日内整改。",
                       at=_at(2026, 9, 24, 15))


def load_land(zone):
    """标准地: the completed project of 恒泰 (-01) committed its indicators at land transfer; at completion
    acceptance its tax per mu and energy use fall short. 安视's completed project (-02) met every commitment."""
    from .models import Project

    short = Project.objects.get(zone=zone, code="2026-330100-01")
    met = Project.objects.get(zone=zone, code="2026-330100-02")
    committed = {"committed_investment_intensity": "320", "committed_plot_ratio": "1.50",
                 "committed_tax_per_mu": "30", "committed_energy_per_unit": "0.45", "committed_emission": "15"}
    for project, code, area, actual in (
            (short, "KFQ-2026-G01", "62.5", ("335", "1.62", "21.6", "0.52", "14")),
            (met, "KFQ-2026-G02", "48", ("340", "1.55", "32", "0.40", "11"))):
        parcel = services.do_record_parcel(ACTOR, project, code=code, location=f"{project.park}内", area_mu=Decimal(area),
                                           transferred_on=project.land_transferred_on, **committed)
        stems = ("investment_intensity", "plot_ratio", "tax_per_mu", "energy_per_unit", "emission")
        services.do_record_actuals(ACTOR, parcel, accepted_on=datetime.date(2026, 11, 10),
                                   **{f"actual_{s}": Decimal(v) for s, v in zip(stems, actual, strict=True)})


def load_agent(zone, agent):
    """帮办代办: 陈帮办 (bangban) is assigned to qiye's second-phase project and applies for its utilities
    connection on qiye's behalf."""
    from .models import Project

    project = Project.objects.get(zone=zone, code="2026-330100-12")
    services.do_assign_agent(ACTOR, project, agent)
    item = ServiceItem.objects.get(zone=zone, code="KFQ-P09")
    files = {m: _file(m.name) for m in item.materials.all() if m.required}
    services.do_apply(agent, item, title=f"{project.name}：{item.name}（帮办代办）", project=project, files=files)
