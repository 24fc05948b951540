"""Demo rows of the powers module: a provincial standard catalogue of 220 items, the first batch of 35 delegated
powers claimed from it and published (授权 and 委托, mixed types), the zone's own items, and a second version in
draft with a few changes so the diff shows something. Written through the services as the demo loader."""

import datetime

from django.db.models import Count

from kaifaqu.core.access import SystemActor
from kaifaqu.org.models import Org

from . import queries, services
from .models import Holding, ListState, ListVersion, PowerItem, PowerKind, StandardItem
from .workflow import LIST

ACTOR = SystemActor("demo")
USERNAMES = ["shuiwuju"]  # the parent department of the tax sub-bureau, who asks the zone's opinion

# (type, code prefix, [(name, sub-items, law, article)])
CATALOGUE = [
    (PowerKind.LICENSING, "XK", [
        ("建设工程规划许可证核发", ["建筑类", "市政类", "临时建设工程"], "中华人民共和国城乡规划法", "第四十条"),
        ("建设用地规划许可证核发", ["划拨用地", "出让用地"], "中华人民共和国城乡规划法", "第三十七条"),
        ("建筑工程施工许可证核发", ["新建", "变更"], "中华人民共和国建筑法", "第七条"),
        ("企业投资项目核准", ["新建", "变更", "延期"], "企业投资项目核准和备案管理条例", "第三条"),
        ("固定资产投资项目节能审查", ["新建项目", "改扩建项目"], "中华人民共和国节约能源法", "第十五条"),
        ("建设项目环境影响评价文件审批", ["报告书", "报告表"], "中华人民共和国环境影响评价法", "第二十二条"),
        ("排污许可证核发", ["重点管理", "简化管理"], "排污许可管理条例", "第三条"),
        ("危险化学品经营许可", ["首次申请", "延期", "变更"], "危险化学品安全管理条例", "第三十三条"),
        ("城市大型户外广告设置审批", [""], "城市市容和环境卫生管理条例", "第十一条"),
        ("占用、挖掘城市道路审批", ["占用", "挖掘"], "城市道路管理条例", "第三十条"),
        ("城镇污水排入排水管网许可", ["新办", "变更", "延续"], "城镇排水与污水处理条例", "第二十一条"),
        ("临时占用城市绿地审批", [""], "城市绿化条例", "第十九条"),
        ("砍伐城市树木审批", [""], "城市绿化条例", "第二十条"),
        ("商品房预售许可", ["首次", "变更"], "中华人民共和国城市房地产管理法", "第四十五条"),
        ("人防工程建设审批", ["结建", "易地建设"], "中华人民共和国人民防空法", "第二十二条"),
        ("食品经营许可", ["新办", "变更", "延续", "注销"], "中华人民共和国食品安全法", "第三十五条"),
        ("公共场所卫生许可", ["新办", "变更"], "公共场所卫生管理条例", "第八条"),
        ("特种设备使用登记", ["锅炉", "压力容器", "电梯"], "中华人民共和国特种设备安全法", "第三十三条"),
    ]),
    (PowerKind.PENALTY, "CF", [
        ("对未取得建设工程规划许可证进行建设的处罚", ["责令停止建设", "罚款"], "中华人民共和国城乡规划法", "第六十四条"),
        ("对未取得施工许可证擅自施工的处罚", [""], "中华人民共和国建筑法", "第六十四条"),
        ("对未依法进行环境影响评价擅自开工建设的处罚", [""], "中华人民共和国环境影响评价法", "第三十一条"),
        ("对超标排放大气污染物的处罚", [""], "中华人民共和国大气污染防治法", "第九十九条"),
        ("对生产经营单位未履行安全生产培训义务的处罚", [""], "中华人民共和国安全生产法", "第九十七条"),
        ("对未按规定设置安全警示标志的处罚", [""], "中华人民共和国安全生产法", "第九十九条"),
        ("对擅自占用、挖掘城市道路的处罚", ["占用", "挖掘"], "城市道路管理条例", "第四十二条"),
        ("对随意倾倒、抛撒建筑垃圾的处罚", ["单位", "个人"], "中华人民共和国固体废物污染环境防治法", "第一百一十一条"),
        ("对未经批准擅自设置户外广告的处罚", [""], "城市市容和环境卫生管理条例", "第三十六条"),
        ("对损毁城市绿化设施的处罚", [""], "城市绿化条例", "第二十六条"),
        ("对违法排放污水的处罚", [""], "城镇排水与污水处理条例", "第五十条"),
        ("对拒不执行停止施工决定的处罚", [""], "建设工程质量管理条例", "第五十七条"),
        ("对违反价格法律规定的处罚", ["不执行政府定价", "价格欺诈"], "中华人民共和国价格法", "第三十九条"),
        ("对经营不符合食品安全标准食品的处罚", [""], "中华人民共和国食品安全法", "第一百二十四条"),
        ("对违法使用特种设备的处罚", [""], "中华人民共和国特种设备安全法", "第八十四条"),
        ("对未按规定报送统计资料的处罚", [""], "中华人民共和国统计法", "第四十一条"),
    ]),
    (PowerKind.COERCION, "QZ", [
        ("查封、扣押违法排污设施设备", [""], "中华人民共和国环境保护法", "第二十五条"),
        ("查封违法建设施工现场", [""], "中华人民共和国城乡规划法", "第六十八条"),
        ("对存在重大事故隐患的设施设备予以查封", [""], "中华人民共和国安全生产法", "第六十五条"),
        ("强制拆除违法建筑物、构筑物", [""], "中华人民共和国城乡规划法", "第六十八条"),
        ("查封、扣押不符合食品安全标准的食品", [""], "中华人民共和国食品安全法", "第一百一十条"),
        ("加处罚款", [""], "中华人民共和国行政强制法", "第四十五条"),
    ]),
    (PowerKind.LEVY, "ZS", [
        ("城市基础设施配套费征收", [""], "城市房地产开发经营管理条例", "第十三条"),
        ("防空地下室易地建设费征收", [""], "中华人民共和国人民防空法", "第二十二条"),
        ("污水处理费征收", [""], "城镇排水与污水处理条例", "第三十二条"),
        ("土地闲置费征收", [""], "闲置土地处置办法", "第十四条"),
    ]),
    (PowerKind.PAYMENT, "JF", [
        ("企业稳岗返还", [""], "失业保险条例", "第十条"),
        ("高校毕业生就业补贴发放", ["社保补贴", "一次性补贴"], "中华人民共和国就业促进法", "第十五条"),
        ("最低生活保障金给付", [""], "社会救助暂行办法", "第九条"),
    ]),
    (PowerKind.INSPECTION, "JC", [
        ("建设工程质量安全监督检查", ["地基基础", "主体结构", "竣工验收"], "建设工程质量管理条例", "第四十七条"),
        ("生产经营单位安全生产监督检查", ["危险化学品", "工贸行业", "有限空间"], "中华人民共和国安全生产法", "第六十五条"),
        ("排污单位现场检查", [""], "中华人民共和国环境保护法", "第二十四条"),
        ("城市道路设施检查", [""], "城市道路管理条例", "第二十一条"),
        ("户外广告设施安全检查", [""], "城市市容和环境卫生管理条例", "第十一条"),
        ("食品生产经营监督检查", [""], "中华人民共和国食品安全法", "第一百一十条"),
        ("特种设备安全监督检查", [""], "中华人民共和国特种设备安全法", "第五十七条"),
        ("统计执法检查", [""], "中华人民共和国统计法", "第三十五条"),
        ("劳动保障监察", [""], "劳动保障监察条例", "第十一条"),
        ("消防监督检查", [""], "中华人民共和国消防法", "第五十三条"),
    ]),
    (PowerKind.CONFIRMATION, "QR", [
        ("建设工程竣工验收备案", [""], "建设工程质量管理条例", "第四十九条"),
        ("高新技术企业认定初审", [""], "中华人民共和国促进科技成果转化法", "第三十四条"),
        ("建设工程消防验收备案", [""], "中华人民共和国消防法", "第十三条"),
        ("企业投资项目备案", ["新建", "变更"], "企业投资项目核准和备案管理条例", "第十三条"),
        ("工伤认定", [""], "工伤保险条例", "第十七条"),
    ]),
    (PowerKind.REWARD, "JL", [
        ("对安全生产工作成绩显著单位和个人的奖励", [""], "中华人民共和国安全生产法", "第十九条"),
        ("对举报环境违法行为的奖励", [""], "中华人民共和国环境保护法", "第五十七条"),
        ("招商引资有功单位和个人奖励", [""], "优化营商环境条例", "第八条"),
    ]),
    (PowerKind.ADJUDICATION, "CJ", [
        ("土地权属争议调处", [""], "中华人民共和国土地管理法", "第十四条"),
        ("林木林地权属争议处理", [""], "中华人民共和国森林法", "第二十二条"),
    ]),
    (PowerKind.OTHER, "QT", [
        ("国有建设用地使用权出让前期审查", [""], "中华人民共和国土地管理法", "第五十四条"),
        ("建设项目选址意见书核发", [""], "中华人民共和国城乡规划法", "第三十六条"),
        ("政府投资项目初步设计审批", [""], "政府投资条例", "第十一条"),
        ("政府投资项目可行性研究报告审批", [""], "政府投资条例", "第九条"),
    ]),
    (PowerKind.PUBLIC_SERVICE, "GG", [
        ("企业开办一窗通办", [""], "优化营商环境条例", "第十九条"),
        ("项目代办帮办服务", ["立项", "规划", "施工"], "优化营商环境条例", "第三十四条"),
        ("政策兑现咨询服务", [""], "优化营商环境条例", "第三十一条"),
        ("人才公寓申请受理", [""], "优化营商环境条例", "第八条"),
    ]),
]

AREA_CODE = "3706"


def _standards():
    rows = []
    for kind, prefix, items in CATALOGUE:
        n = 0
        for name, subs, law, article in items:
            for sub in subs:
                n += 1
                rows.append({"code": f"{AREA_CODE}{prefix}{n:04d}", "name": name, "sub_name": sub, "kind": kind,
                             "basis": f"《{law}》{article}"})
    return rows


def _pad(rows, at_least=220):
    """More 检查 and 处罚 sub-items (by industry), as the provincial catalogue lists them, up to ``at_least``."""
    industries = ["化工", "冶金", "建材", "机械", "轻工", "纺织", "烟草", "商贸", "仓储", "物流", "电子", "医药", "食品",
                  "印刷", "造纸", "涂装", "铸造", "锻造", "电镀", "焊接", "木材加工", "塑料制品", "橡胶制品", "玻璃",
                  "陶瓷", "家具", "汽车零部件", "光伏", "锂电", "数据中心", "冷链", "粉尘涉爆", "涉氨制冷", "有限空间",
                  "危险废物", "建筑施工", "城镇燃气", "加油站", "人员密集场所", "高层建筑"]
    n = 0
    i = 0
    while len(rows) < at_least:
        industry = industries[i % len(industries)]
        i += 1
        n += 1
        rows.append({"code": f"{AREA_CODE}JC{100 + n:04d}", "name": "重点行业领域安全生产专项检查", "sub_name": industry,
                     "kind": PowerKind.INSPECTION, "basis": "《中华人民共和国安全生产法》第六十五条第一款"})
    return rows


DUTIES = ["受理责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或不予受理。",
          "审查责任：对申请材料进行审查，提出审查意见。",
          "决定责任：作出决定（不予许可的告知理由），按时办结。",
          "送达责任：制发证件或文书，依法送达并公开。",
          "事后监管责任：开展定期和不定期检查，依法处理。"]
ACCOUNTABILITY = ["对符合条件的申请不予受理、不予办理或不在法定期限内作出决定的；",
                  "对不符合条件的申请准予办理或超越法定职权作出决定的；",
                  "在办理过程中滥用职权、玩忽职守、徇私舞弊的；",
                  "索取或者收受他人财物或者谋取其他利益的。"]


def load(zone, neighbour):
    rows = _pad(_standards())
    for row in rows:
        services.do_create_standard(ACTOR, zone, **row)
    for row in rows[:30]:
        services.do_create_standard(ACTOR, neighbour, **row)
    departments = {o.code: o for o in Org.objects.filter(zone=zone)}
    body = "浙江省XX经济开发区管理委员会"
    batch1 = services.do_create_batch(
        ACTOR, zone, name="第一批赋权事项", document_no="X政发〔2022〕12号", document_date=datetime.date(2022, 3, 15),
        effective_on=datetime.date(2022, 4, 1), note="市政府赋予开发区第一批行政权力 35 项，使用开发区管理专用章（2号章）。")
    batch2 = services.do_create_batch(
        ACTOR, zone, name="第二批赋权事项", document_no="X政发〔2026〕5号", document_date=datetime.date(2026, 9, 1),
        effective_on=datetime.date(2026, 10, 1), note="第二批拟赋权事项，随清单第二版审核发布。")
    standards = {s.code: s for s in StandardItem.objects.filter(zone=zone)}
    units = ["jianshe", "guihua", "jingji", "qiyefuwu", "jianshe"]
    # The first batch: 35 delegated items across the types, by 授权 (the zone acts in its own name) or 委托.
    picks = ([f"{AREA_CODE}XK{n:04d}" for n in range(1, 16)] + [f"{AREA_CODE}CF{n:04d}" for n in range(1, 9)]
             + [f"{AREA_CODE}QZ{n:04d}" for n in range(1, 3)] + [f"{AREA_CODE}ZS{n:04d}" for n in range(1, 3)]
             + [f"{AREA_CODE}JC{n:04d}" for n in range(1, 5)] + [f"{AREA_CODE}QR{n:04d}" for n in range(1, 3)]
             + [f"{AREA_CODE}QT{n:04d}" for n in range(1, 3)])
    assert len(picks) == 35
    for i, code in enumerate(picks):
        unit = departments[units[i % len(units)]]
        holding = Holding.AUTHORISED if i % 3 else Holding.ENTRUSTED
        services.do_claim(
            ACTOR, standards[code], implementing_body=body if holding == Holding.AUTHORISED else "XX市行政审批服务局",
            undertaking_unit=unit.name, duties=DUTIES, accountability=ACCOUNTABILITY,
            exercise_basis="《XX市人民政府关于赋予XX经济开发区第一批行政权力的决定》（X政发〔2022〕12号）",
            supervision_phone="0571-8888" + f"{1200 + i % 5}", holding=holding, holding_doc_no=batch1.document_no,
            holding_doc_date=batch1.document_date, batch=batch1, effective_on=batch1.effective_on)
    # The zone's own items (自有): public services the zone offers without a standard item.
    for code, name, sub in (("KFQ-GG-001", "项目全程代办", "工业项目"), ("KFQ-GG-002", "企业服务专员联系", ""),
                            ("KFQ-GG-003", "产业政策申报辅导", "")):
        services.do_create_item(ACTOR, zone, code=code, name=name, sub_name=sub, kind=PowerKind.PUBLIC_SERVICE,
                                basis="《优化营商环境条例》第三十四条", implementing_body=body,
                                undertaking_unit=departments["qiyefuwu"].name, duties=DUTIES[:2],
                                holding=Holding.OWN, supervision_phone="0571-88881299")
    v1 = services.open_version(zone.pk)
    v1 = services.do_update_version(ACTOR, v1, title="XX经济开发区权责清单")
    v1 = LIST.perform(ACTOR, v1, "submit")
    v1 = LIST.perform(ACTOR, v1, "approve")
    v1 = LIST.perform(ACTOR, v1, "publish", payload={"publish_no": "X开发委〔2022〕8号",
                                                     "date": datetime.date(2022, 4, 1)})
    _matrix(zone, departments)
    load_functions(zone)
    v2 = services.do_start_draft(ACTOR, zone, title="XX经济开发区权责清单（2026年调整）")
    items = {i.code: i for i in PowerItem.objects.filter(list_version=v2)}
    services.do_update_item(ACTOR, items[f"{AREA_CODE}XK0001"], undertaking_unit=departments["guihua"].name,
                            supervision_phone="0571-88881266")
    services.do_update_item(ACTOR, items[f"{AREA_CODE}CF0001"], holding=Holding.ENTRUSTED,
                            implementing_body="XX市综合行政执法局")
    services.do_remove_item(ACTOR, items["KFQ-GG-003"], reason="并入企业服务专员联系。")
    for code in (f"{AREA_CODE}JC0005", f"{AREA_CODE}JC0006"):
        services.do_claim(ACTOR, standards[code], implementing_body=body, undertaking_unit=departments["jingji"].name,
                          duties=DUTIES, accountability=ACCOUNTABILITY, holding=Holding.AUTHORISED,
                          holding_doc_no=batch2.document_no, holding_doc_date=batch2.document_date, batch=batch2,
                          effective_on=batch2.effective_on)
    # One item without an implementing body yet: the draft cannot be published until it is filled in.
    services.do_claim(ACTOR, standards[f"{AREA_CODE}QR0005"], undertaking_unit=departments["jingji"].name)
    load_stationed(zone)


def load_stationed(zone):
    """POWER-5: a consented appointment at the tax sub-bureau (waiting for 组织人事 to record it), a dismissal at
    the audit sub-bureau still waiting for the zone's opinion, and the assessment right over every agency."""
    from kaifaqu.accounts import services as account_services
    from kaifaqu.accounts.models import User
    from kaifaqu.accounts.roles import Role
    from kaifaqu.demo.loader import demo_password
    from kaifaqu.org.models import OrgKind

    from .models import AssessmentPeriod, HeadChangeKind
    from .workflow import HEAD_CHANGE

    orgs = {o.code: o for o in Org.objects.filter(zone=zone)}
    account_services.do_create_user(ACTOR, username="shuiwuju", password=demo_password(), name="冯立新",
                                    org=orgs["swj"], role=Role.CITY_DEPT_STAFF, must_change_password=False)
    appointed = services.do_request_head_change(
        ACTOR, orgs["shuiwu"], kind=HeadChangeKind.APPOINT, nominee=User.objects.get(username="shuiwu"),
        person_name="何丽", post="税务分局局长", reason="原局长交流任职，拟由何丽同志任经济开发区税务分局局长。")
    HEAD_CHANGE.perform(ACTOR, appointed, "consent",
                        note="经党工委会议研究，同意何丽同志任经济开发区税务分局局长。")
    services.do_request_head_change(
        ACTOR, orgs["shenji"], kind=HeadChangeKind.DISMISS, person_name="陶建明", post="审计分局局长",
        reason="到龄退休，拟免去陶建明同志经济开发区审计分局局长职务。", limit_days=5)
    for agency in Org.objects.filter(zone=zone, kind=OrgKind.STATIONED).order_by("sort", "id"):
        services.do_record_assessment(ACTOR, agency, scheme="XX经济开发区派驻机构年度综合考核办法",
                                      period=AssessmentPeriod.YEAR, since=datetime.date(2023, 1, 1),
                                      note="开发区对派驻机构的考核结果作为其负责人考核和任免的重要依据。")


MATTERS = ["安全生产", "市政园林", "环境卫生", "建成区维修", "征地拆迁", "招商", "基础设施"]
# Who leads each matter inside a park (the zone's departments) and inside a street's area (the street itself).
PARK_LEADS = {"安全生产": "jingji", "市政园林": "jianshe", "环境卫生": "jianshe", "建成区维修": "jianshe",
              "征地拆迁": "guihua", "招商": "zhaoshang", "基础设施": "pingtai"}
STREET_LEADS = {"招商": "zhaoshang", "基础设施": "pingtai"}
GAP = ("征地拆迁", "科创服务园")  # left without a lead so the report shows it (and the draft waits for it)


def _matrix(zone, departments):
    from kaifaqu.org.models import OrgKind, Park

    from .models import AreaKind, Duty

    matters = [services.do_create_matter(ACTOR, zone, name=name, sort=i) for i, name in enumerate(MATTERS)]
    areas = [services.do_create_area(ACTOR, zone, kind=AreaKind.PARK, name=p.name, park=p, sort=p.sort)
             for p in Park.objects.filter(zone=zone).order_by("sort")]
    streets = list(Org.objects.filter(zone=zone, kind=OrgKind.STREET).order_by("sort"))
    areas += [services.do_create_area(ACTOR, zone, kind=AreaKind.STREET, name=s.name, street=s, sort=20 + i)
              for i, s in enumerate(streets)]
    # Each park lies in a street: the street supports the social matters there.
    park_street = {a.pk: streets[i % len(streets)] for i, a in enumerate(a for a in areas if a.kind == AreaKind.PARK)}
    for matter in matters:
        for area in areas:
            if (matter.name, area.name) == GAP:
                continue
            if area.kind == AreaKind.PARK:
                lead = departments[PARK_LEADS[matter.name]]
                services.do_assign(ACTOR, matter, area, lead, duty=Duty.LEAD)
                if matter.name in ("安全生产", "环境卫生", "征地拆迁"):
                    services.do_assign(ACTOR, matter, area, park_street[area.pk], duty=Duty.SUPPORT)
            else:
                code = STREET_LEADS.get(matter.name)
                lead = departments[code] if code else area.street
                services.do_assign(ACTOR, matter, area, lead, duty=Duty.LEAD)
                if code:
                    services.do_assign(ACTOR, matter, area, area.street, duty=Duty.SUPPORT)


def figures(zone):
    published = ListVersion.objects.filter(zone=zone, state=ListState.PUBLISHED).order_by("-seq").first()
    items = PowerItem.objects.filter(list_version=published)
    by_holding = dict(items.values_list("holding").annotate(n=Count("id")).order_by())
    report = queries.matrix_report(zone.pk)
    functions = queries.function_counts(zone.pk)
    return {
        "标准事项目录（项）": StandardItem.objects.filter(zone=zone).count(),
        "已发布清单事项（项）": items.count(),
        "第一批赋权事项（项）": items.filter(batch__name="第一批赋权事项").count(),
        "其中授权（项）": by_holding.get(Holding.AUTHORISED, 0),
        "其中委托（项）": by_holding.get(Holding.ENTRUSTED, 0),
        "草稿版本事项（项）": PowerItem.objects.filter(list_version__zone=zone, list_version__state=ListState.DRAFT).count(),
        "责任清单格数": report["cells"],
        "责任清单缺主责（格）": len(report["gaps"]),
        **{f"{c['label']}（类/项）": f"{len(c['categories'])}/{c['total']}" for c in functions.values()},
        "剥离职能已确认/待确认/有异议": "/".join(str(functions["stripped"]["states"][s])
                                      for s in ("confirmed", "pending", "disputed")),
        **_stationed_figures(zone),
    }


def _stationed_figures(zone):
    from .models import AssessmentRight, HeadChange, HeadChangeState

    states = dict(HeadChange.objects.filter(zone=zone).values_list("state").annotate(n=Count("id")).order_by())
    return {"派驻机构负责人任免 已同意/待意见": f"{states.get(HeadChangeState.CONSENTED, 0)}/"
                                       f"{states.get(HeadChangeState.REQUESTED, 0)}",
            "已登记考核权的派驻机构（个）": AssessmentRight.objects.filter(zone=zone).values("agency").distinct().count()}


RETAINED = {
    "规划建设": ["园区发展规划编制", "产业布局规划", "基础设施建设项目管理", "重大项目建设协调"],
    "招商引资": ["招商引资统筹", "项目洽谈签约", "招商政策兑现"],
    "投资服务": ["项目代办帮办", "企业投资项目服务", "营商环境建设", "企业服务专员"],
    "产业发展": ["产业培育", "科技创新与人才引进", "亩均效益评价"],
    "经济运行": ["经济运行监测", "财政金融服务", "国有资产运营管理", "统计分析"],
}
STRIPPED = {
    "社会治安": ["社会治安综合治理", "矛盾纠纷排查调处", "流动人口服务管理", "平安创建", "群防群治"],
    "信访维稳": ["信访接待", "信访事项办理", "维稳工作"],
    "民政事务": ["社会救助", "养老服务", "殡葬管理", "社区建设", "残疾人服务"],
    "劳动保障": ["劳动监察", "就业服务", "社会保险经办"],
    "教育": ["义务教育", "学前教育管理"],
    "卫生健康": ["公共卫生", "爱国卫生运动", "计划生育服务", "基层医疗卫生服务"],
    "文化体育": ["公共文化服务", "全民健身", "文物保护协管"],
    "环境卫生": ["城乡环境卫生", "垃圾分类", "公厕管理", "河道保洁"],
    "市政管理": ["市政设施养护", "园林绿化养护", "城市照明", "违法建设查处协管"],
    "征地拆迁": ["征地拆迁实施", "安置房建设管理", "被征地农民保障"],
    "农业农村": ["农村土地承包管理", "农业生产服务", "村级组织建设", "农村集体资产管理"],
    "退役军人事务": ["退役军人服务", "优抚安置"],
    "应急管理": ["防汛防台", "森林防火", "基层应急救援"],
    "人口管理": ["户籍协管", "人口普查", "出租房屋管理"],
    "市场秩序": ["个体工商户日常监管", "食品安全协管"],
    "基层党建": ["社区党组织建设", "党员教育管理", "群团工作", "基层选举", "村务公开", "精神文明建设"],
}
# Street functions go to the streets; a few to the city departments that run them.
DEPARTMENT_OF = {"劳动保障": "rsj", "应急管理": "yjj", "市场秩序": "scjg"}


def load_functions(zone):
    from .models import Catalogue
    from .workflow import HANDOVER

    for i, (category, names) in enumerate(RETAINED.items()):
        for j, name in enumerate(names):
            services.do_create_function(ACTOR, zone, catalogue=Catalogue.RETAINED, category=category, name=name,
                                        sort=i * 10 + j)
    orgs = {o.code: o for o in Org.objects.filter(zone=zone)}
    streets = [orgs[c] for c in ("chengxi", "xinqiao", "donghu")]
    made = []
    for i, (category, names) in enumerate(STRIPPED.items()):
        for j, name in enumerate(names):
            receiver = orgs[DEPARTMENT_OF[category]] if category in DEPARTMENT_OF else streets[(i + j) % 3]
            made.append(services.do_create_function(
                ACTOR, zone, catalogue=Catalogue.STRIPPED, category=category, name=name, receiver=receiver,
                handover_on=datetime.date(2022, 1, 1), sort=i * 10 + j))
    # Most are confirmed by their receivers; four still pending, one disputed.
    for n, item in enumerate(made):
        if n in (3, 17, 29, 44):
            continue
        if n == 36:
            HANDOVER.perform(ACTOR, item, "dispute", note="该职能涉及的安置房资产尚未移交，暂不具备承接条件。")
            continue
        HANDOVER.perform(ACTOR, item, "confirm")
