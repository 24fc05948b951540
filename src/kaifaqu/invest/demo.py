"""Demo investment projects (seed 000: 34 signed projects — 1 of at least 50 亿, 6 of at least 10 亿, 3 of at least
5 亿, 4 of at least 1 亿 — more than 150 亿 in all; third-party agents; seed 002: 招引与落地相脱节), plus leads and
negotiations, some of them stuck. Every row goes through the services and the workflow with the demo actor."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from kaifaqu.core.access import SystemActor
from kaifaqu.org.models import Org, Park

from . import money, queries, services
from .models import Project, Source, Stage

ACTOR = SystemActor("demo")
YI = Decimal(100000000)

# signed amounts in 亿元: 1 ≥ 50, 6 ≥ 10 (one exactly 10), 3 ≥ 5, 4 ≥ 1, 20 below 1
SIGNED_YI = ([Decimal("56.00")] + [Decimal(x) for x in ("10.00", "12.50", "15.00", "18.20", "11.00", "13.60")]
             + [Decimal(x) for x in ("5.00", "6.50", "8.20")] + [Decimal(x) for x in ("1.00", "2.20", "3.50", "4.80")]
             + [Decimal(x) / 100 for x in (30, 45, 52, 60, 38, 75, 88, 40, 66, 95, 35, 58, 72, 50, 42, 80, 62, 55,
                                            48, 90)])
NAMES = ["新能源汽车核心零部件", "智能安防视觉终端", "环保水处理装备", "锂电池储能系统", "集成电路封测", "工业机器人",
         "数字安防云平台", "高端医用耗材", "膜分离装备", "智能网联汽车电子", "直播电商基地", "软件研发中心",
         "精密模具", "物联网传感器", "可穿戴设备", "危废资源化利用", "智能仓储物流", "研发设计服务中心",
         "服务机器人", "环境监测仪器", "汽车轻量化部件", "光电显示模组", "应用软件外包", "新型建材",
         "医药制剂", "智慧园区运营", "节能风机", "电子元器件", "跨境电商仓", "水污染治理工程", "数据中心",
         "电池回收", "智能家居终端", "工程技术研究院"]
INDUSTRIES = ["3670", "3990", "3591", "3841", "3973", "3964", "6532", "2720", "3463", "3670", "5292", "6513",
              "3670", "6532", "3961", "7721", "5292", "7320", "3964", "3591", "3670", "3990", "6513", "30",
              "2720", "6532", "3463", "3990", "5292", "7721", "6513", "3841", "3961", "7320"]
PARK_OF = {"36": "zhizao", "39": "anfang", "35": "huanbao", "34": "huanbao", "38": "zhizao", "65": "shuzi",
           "52": "shuzi", "73": "kechuang", "77": "huanbao", "27": "kechuang", "30": "zhizao"}
CHAINS = {"36": "新能源汽车、汽车零部件", "39": "数字安防、智能终端", "35": "环保装备", "34": "环保装备",
          "38": "新能源、储能", "65": "软件、数字经济", "52": "直播电商", "73": "科技服务", "77": "节能环保服务",
          "27": "生物医药", "30": "新材料"}
AGENTS = ["长三角招商咨询有限公司", "沪杭产业促进中心", "深圳湾区招商服务公司"]
LEADERS = ["周建国", "王立新", "陈明", "刘海涛"]


def _project(zone, rng, i, name, code, lead_on, orgs, parks):
    source = (Source.OWN, Source.AGENT, Source.CHAMBER, Source.FUND)[i % 4]
    detail = {Source.AGENT: AGENTS[i % 3], Source.CHAMBER: "浙江温州商会", Source.FUND: "区产业引导基金"}.get(source, "")
    return services.do_create_project(
        ACTOR, zone, name=f"{name}项目", industry_code=code, lead_on=lead_on,
        investor=f"{name[:2]}{'科技实业控股集团'[i % 4:i % 4 + 4]}有限公司", park=parks.get(PARK_OF.get(code[:2])),
        chain_tags=CHAINS.get(code[:2], ""), source=source, source_detail=detail, responsible_org=orgs.get("zhaoshang"),
        responsible_person=["林嘉怡", "赵磊", "孙倩"][i % 3], paired_leader=LEADERS[i % 4])


def _walk(project, steps, dates, **amounts):
    for action, date in zip(steps, dates, strict=False):
        extra = {}
        if action == "sign":
            extra["signed_amount"] = amounts["signed"]
        if action in ("start", "produce"):
            extra["invested_amount"] = amounts["invested"][action]
        project = services.do_advance(ACTOR, project, action, date=date, **extra)
    return project


def load(zone, neighbour):
    rng = random.Random(16)
    today = timezone.localdate()
    orgs = {o.code: o for o in Org.objects.filter(zone=zone)}
    parks = {p.code: p for p in Park.objects.filter(zone=zone)}
    services.do_update_settings(ACTOR, zone, stuck_days=90)
    # signed projects, signed over the last three years; the older the signing, the further it has landed
    for i, amount_yi in enumerate(SIGNED_YI):
        signed_on = today - datetime.timedelta(days=20 + (i * 31) % 1000)
        lead_on = signed_on - datetime.timedelta(days=120 + rng.randint(0, 90))
        project = _project(zone, rng, i, NAMES[i], INDUSTRIES[i], lead_on, orgs, parks)
        age = (today - signed_on).days
        steps = ["negotiate", "sign"] + (["supply_land"] if age > 90 else []) + (["start"] if age > 200 else []) \
            + (["produce"] if age > 500 and i % 3 else [])
        dates = [lead_on + datetime.timedelta(days=40), signed_on, signed_on + datetime.timedelta(days=60),
                 signed_on + datetime.timedelta(days=150), signed_on + datetime.timedelta(days=420)]
        signed = amount_yi * YI
        _walk(project, steps, dates, signed=signed,
              invested={"start": (signed * Decimal("0.25")).quantize(Decimal(1)),
                        "produce": (signed * Decimal("0.7")).quantize(Decimal(1))})
    # leads and negotiations, some stuck (no stage change for more than 90 days)
    for j in range(12):
        lead_on = today - datetime.timedelta(days=15 + j * 17)
        project = _project(zone, rng, j, f"{['储能', '半导体', '氢能', '智能制造', '环保', '软件'][j % 6]}意向{j + 1}",
                           ["3841", "3973", "38", "3964", "3591", "6513"][j % 6], lead_on, orgs, parks)
        if j % 2:
            _walk(project, ["negotiate"], [lead_on + datetime.timedelta(days=10)])
    for j, reason in enumerate(("投资方资金链紧张，暂缓投资。", "选址未能达成一致，落户外地。")):
        lead_on = today - datetime.timedelta(days=300 + j * 40)
        project = _project(zone, rng, j, f"{['光伏组件', '新能源整车'][j]}", ["38", "36"][j], lead_on, orgs, parks)
        project = _walk(project, ["negotiate"], [lead_on + datetime.timedelta(days=30)])
        services.do_advance(ACTOR, project, "drop", date=lead_on + datetime.timedelta(days=120), note=reason)
    # the neighbour zone: a few projects, so scoping is visible
    n_park = Park.objects.filter(zone=neighbour).first()
    for k in range(3):
        p = services.do_create_project(ACTOR, neighbour, name=f"YY生物医药项目{k + 1}", industry_code="2720",
                                       lead_on=today - datetime.timedelta(days=200), park=n_park)
        _walk(p, ["negotiate", "sign"], [today - datetime.timedelta(days=180), today - datetime.timedelta(days=100)],
              signed=Decimal(300000000 + k * 100000000))


def figures(zone) -> dict:
    qs = Project.objects.filter(zone=zone)
    t = queries.tiers(qs, zone_ids=[zone.pk])
    counts = {row.tier: row.count for row in t["tiers"]}
    return {
        "签约项目（个）": t["total"].count,
        "签约金额（亿元）": money.yi(t["total"].amount),
        "50亿元及以上（个）": counts["tier1"], "10亿元及以上（个）": counts["tier2"],
        "5亿元及以上（个）": counts["tier3"], "1亿元及以上（个）": counts["tier4"], "1亿元以下（个）": counts["other"],
        "在谈与线索（个）": qs.filter(state__in=(Stage.LEAD, Stage.NEGOTIATING)).count(),
        "停滞项目（个）": queries.stuck(qs, timezone.localdate()).count(),
    }
