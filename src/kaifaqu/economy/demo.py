"""Demo register and indicators (seed 004: 370 enterprises, 260 in production, 128 above designated size, about
35 000 employees; "主营业务收入90.1亿元，排全市第3位、全省第19位，同比增长14.4%").

The enterprises are registered in one bulk call (one audit event), as are each indicator's three years of monthly
values. The values are generated so that the totals computed from them come out at the seed's figures: this
year's January–March 主营业务收入 of the above-size enterprises is 901 000 万元 (90.1 亿), last year's 787 587.41 万元
(+14.4 %). Submission tasks are in flight for the tax office (shuiwu), one of them late."""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kaifaqu.core import uscc
from kaifaqu.core.access import SystemActor
from kaifaqu.org.models import Org, Park

from . import queries, services
from .models import Enterprise, Indicator, IndicatorValue, PeriodKind, Status

ACTOR = SystemActor("demo")
CENT = Decimal("0.01")

INDICATORS = [
    # code, name, unit, cumulative, key, monthly level per above-size enterprise (roughly)
    ("revenue", "主营业务收入", "万元", False, True),
    ("profit", "利润总额", "万元", False, True),
    ("value_added", "工业增加值", "万元", False, True),
    ("tax", "税收", "万元", False, True),
    ("fixed_investment", "固定资产投资", "万元", False, False),
    ("trade", "进出口总额", "万元", False, False),
    ("power", "用电量", "万千瓦时", False, False),
    ("employment", "从业人员", "人", False, False),
]
SHARE = {"profit": Decimal("0.062"), "value_added": Decimal("0.24"), "tax": Decimal("0.035"),
         "fixed_investment": Decimal("0.09"), "trade": Decimal("0.18"), "power": Decimal("0.05")}
Q1_REVENUE = Decimal("901000.00")  # 万元 = 90.1 亿
Q1_REVENUE_LAST = (Q1_REVENUE / Decimal("1.144")).quantize(CENT, ROUND_HALF_UP)  # 787 587.41
GROWTH = Decimal("1.144")
INDUSTRY = ["3990", "3591", "3670", "3841", "6513", "5292", "7320", "3463", "3973", "2720", "6532", "7721"]
PARK_OF = {"39": "anfang", "35": "huanbao", "34": "huanbao", "77": "huanbao", "36": "zhizao", "38": "zhizao",
           "65": "shuzi", "52": "shuzi", "64": "shuzi", "73": "kechuang", "27": "kechuang"}
WORDS = ["华", "恒", "信", "安", "瑞", "泰", "中", "新", "宏", "金", "汇", "博", "凯", "联", "鼎", "诚", "天", "远",
         "达", "智", "科", "创", "嘉", "盛", "禾", "迅", "海", "正", "通", "益"]
KIND = ["电子科技", "环保装备", "汽车部件", "新能源", "软件", "电子商务", "研究院", "机械", "微电子", "药业", "物联科技",
        "环境工程"]


def _code(rng) -> str:
    body = "91330100" + "".join(rng.choice(uscc.ALPHABET[:10]) for _ in range(9))
    return body + uscc.check_char(body)


def _spread(total: Decimal, weights: list) -> list[Decimal]:
    """Split ``total`` by ``weights`` into cents that add up exactly to it."""
    s = sum(weights)
    parts = [(total * Decimal(w) / Decimal(s)).quantize(CENT, ROUND_HALF_UP) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _register(zone, rng, parks):
    statuses = [Status.PRODUCING] * 260 + [Status.BUILDING] * 52 + [Status.SIGNED] * 38 + \
        [Status.SUSPENDED] * 12 + [Status.CANCELLED] * 8
    above = set(range(128))  # the first 128 producing ones
    # employees: 128 above-size ones ≈ 196 each, the rest ≈ 39, adjusted to 35 000 exactly
    employees = [rng.randint(120, 270) if i in above else rng.randint(5, 70) for i in range(370)]
    employees[-1] = 0
    employees[0] += 35000 - sum(employees)
    rows, used = [], set()
    for i, status in enumerate(statuses):
        code = _code(rng)
        while code in used:
            code = _code(rng)
        used.add(code)
        ind = INDUSTRY[i % len(INDUSTRY)]
        name = f"{''.join(rng.sample(WORDS, 2))}{KIND[i % len(KIND)]}有限公司"
        rows.append({
            "name": f"浙江{name}" if i % 3 else f"杭州{name}", "uscc": code, "park": parks.get(PARK_OF[ind[:2]]),
            "industry_code": ind, "status": status, "above_size": i in above,
            "above_size_year": 2015 + i % 10 if i in above else None,
            "employees": employees[i] if status != Status.CANCELLED else 0,
            "land_mu": Decimal(rng.randint(5, 300)) if status in (Status.PRODUCING, Status.SUSPENDED) else Decimal(0),
            "contact_name": f"{rng.choice('王李张刘陈杨赵黄周吴')}{rng.choice(['经理', '总', '主任'])}",
            "contact_phone": f"13{rng.randint(100000000, 999999999)}",
            "registered_on": datetime.date(2012 + i % 13, 1 + i % 12, 1 + i % 27),
        })
    # the cancelled ones keep their last head count at 0: move theirs to the first producing one
    moved = 35000 - sum(r["employees"] for r in rows)
    rows[0]["employees"] += moved
    services.do_bulk_register(ACTOR, zone, rows)


def _revenue(rng, ids, year, months, q1_total):
    """Monthly revenue per enterprise: weights per enterprise and a seasonal curve; Jan–Mar adds up to q1_total."""
    size = {e: rng.uniform(0.3, 3.0) for e in ids}
    season = [0.9, 0.8, 1.1, 1.0, 1.02, 1.05, 1.0, 0.98, 1.04, 1.06, 1.08, 1.2]
    q1 = _spread(q1_total, [size[e] * season[m] * rng.uniform(0.9, 1.1) for e in ids for m in range(3)])
    out = {}
    for k, (e, m) in enumerate((e, m) for e in ids for m in range(3)):
        out[(e, m + 1)] = q1[k]
    for m in range(4, months + 1):
        for e in ids:
            out[(e, m)] = (q1_total / 3 / len(ids) * Decimal(size[e] * season[m - 1] * rng.uniform(0.9, 1.1))
                           ).quantize(CENT, ROUND_HALF_UP)
    return {(e, year, m): v for (e, m), v in out.items()}


def _values(zone, rng, indicators, today):
    ids = list(Enterprise.objects.filter(zone=zone, above_size=True).order_by("pk").values_list("pk", flat=True))
    this = today.year
    months = {this - 2: 12, this - 1: 12, this: today.month - 1 or 1}
    revenue = {}
    q1 = {this: Q1_REVENUE, this - 1: Q1_REVENUE_LAST, this - 2: (Q1_REVENUE_LAST / GROWTH).quantize(CENT)}
    for year, n in months.items():
        revenue.update(_revenue(rng, ids, year, n, q1[year]))
    heads = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "employees"))
    for code, indicator in indicators.items():
        if code == "revenue":
            rows = [(e, y, m, v) for (e, y, m), v in revenue.items()]
        elif code == "employment":
            rows = [(e, y, m, Decimal(heads[e])) for (e, y, m) in revenue]
        else:
            share = SHARE[code]
            rows = [(e, y, m, (v * share * Decimal(rng.uniform(0.8, 1.2))).quantize(CENT)) for (e, y, m), v in
                    revenue.items()]
        if code == "tax":  # the tax office's last two months are what its tasks ask for: left for the submissions
            rows = [r for r in rows if not (r[1] == this and r[2] >= months[this] - 1)]
        services.do_bulk_values(ACTOR, indicator, rows)


def load(zone, neighbour):
    rng = random.Random(4)
    today = timezone.localdate()
    parks = {p.code: p for p in Park.objects.filter(zone=zone)}
    _register(zone, rng, parks)
    indicators = {}
    for sort, (code, name, unit, cumulative, key) in enumerate(INDICATORS, start=1):
        indicators[code] = services.do_create_indicator(ACTOR, zone, code=code, name=name, unit=unit,
                                                        period_kind=PeriodKind.MONTH, cumulative=cumulative,
                                                        key=key, sort=sort * 10)
    _values(zone, rng, indicators, today)
    revenue = indicators["revenue"]
    for scope, rank in (("全市", 3), ("全省", 19)):
        services.do_record_ranking(ACTOR, revenue, year=today.year, period=3, scope=scope, rank=rank,
                                   source="市统计局一季度经济运行通报")
    # the tax office's tasks: last month's tax (in flight) and the month before (late: due, not submitted)
    tax_office = Org.objects.filter(zone=zone, code="shuiwu").first()
    stats = Org.objects.filter(zone=zone, code="jingji").first()
    last = today.month - 1 or 1
    if tax_office is not None:
        services.do_issue_task(ACTOR, indicators["tax"], org=tax_office, year=today.year, period=last, workdays=10,
                               issued_on=today, note="请按企业报送上月入库税收（万元）。")
        late_period = max(last - 1, 1)
        if late_period != last:
            services.do_issue_task(ACTOR, indicators["tax"], org=tax_office, year=today.year, period=late_period,
                                   workdays=5, issued_on=today - datetime.timedelta(days=30),
                                   note="请按企业报送入库税收（万元）。")
    if stats is not None:
        services.do_issue_task(ACTOR, indicators["power"], org=stats, year=today.year, period=last, workdays=8,
                               issued_on=today)
    # the neighbour zone: a small register so that scoping shows
    n_park = Park.objects.filter(zone=neighbour).first()
    services.do_bulk_register(ACTOR, neighbour, [
        {"name": f"YY生物医药{k}号有限公司", "uscc": _code(rng), "park": n_park, "industry_code": "2720",
         "status": Status.PRODUCING, "employees": 80} for k in range(1, 6)])


def figures(zone) -> dict:
    reg = queries.register_figures(Enterprise.objects.filter(zone=zone))
    revenue = Indicator.objects.filter(zone=zone, code="revenue").first()
    out = {"企业（家）": reg["total"], "投产企业（家）": reg["producing"], "规上企业（家）": reg["above_size"],
           "从业人员（人）": reg["employees"]}
    if revenue is not None:
        year = timezone.localdate().year
        fig = queries.figure(IndicatorValue.objects.filter(indicator=revenue), revenue, year, 3)
        out["一季度主营业务收入（亿元）"] = (fig["current"] / 10000).quantize(CENT)
        out["一季度主营业务收入同比"] = f"{fig['growth'] * 100:.1f}%" if fig["growth"] is not None else "—"
    return out
