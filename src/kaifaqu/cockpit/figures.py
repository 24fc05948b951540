"""The cockpit's figures, each a table (title, columns, rows) that the page draws as a chart, prints as a table and
downloads as a workbook; each row links to the list behind it. Computed through the investment and economy
modules' queries when those modules are installed (``apps.is_installed``), for the zones (and park) asked."""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from kaifaqu.core.access import scope_of


@dataclass
class Figure:
    key: str
    title: str
    columns: list  # (header, kind) — kind "text", "integer", "decimal", "percent"
    rows: list = field(default_factory=list)  # each a list of cells, then the link (or "")
    chart: str = "bar"  # bar | line | pie
    unit: str = ""
    note: str = ""
    plot: tuple = ()  # the columns drawn (default: every numeric one); the table shows them all

    @property
    def series(self) -> dict:
        """What the chart draws: the first column as categories, every numeric column as a series."""
        numeric = self.plot or [i for i, (_, kind) in enumerate(self.columns)
                                if kind in ("integer", "decimal", "percent")]

        def value(cell, kind):
            if cell is None:
                return None
            return round(float(cell) * 100, 1) if kind == "percent" else float(cell)

        return {"type": self.chart, "unit": self.unit,
                "categories": [str(r[0]) for r in self.rows],
                "series": [{"name": self.columns[i][0] + ("（%）" if self.columns[i][1] == "percent" else ""),
                            "data": [value(r[i], self.columns[i][1]) for r in self.rows]}
                           for i in numeric],
                "links": [r[-1] for r in self.rows]}


def _q(**params) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def invest_figures(user, zone_ids, park_id, year) -> list[Figure]:
    if not apps.is_installed("kaifaqu.invest"):
        return []
    from kaifaqu.invest import money
    from kaifaqu.invest import queries as invest
    from kaifaqu.invest.models import Project

    qs = Project.objects.visible_to(user).filter(zone_id__in=zone_ids)
    if park_id:
        qs = qs.filter(park_id=park_id)
    url = reverse("invest:project-list")
    base = {"zone": zone_ids[0] if len(zone_ids) == 1 else None, "park": park_id}
    tiers = invest.tiers(qs, year, zone_ids=zone_ids)
    years, landed = invest.cohorts(qs)
    stage_rows, stuck = invest.stages(qs, zone_ids, timezone.localdate())
    out = [Figure("tiers", f"{year} 年签约项目按档次", [("档次", "text"), ("项目数", "integer"),
                                                   ("签约金额（亿元）", "decimal")],
                  [[t.label, t.count, money.yi(t.amount),
                    url + _q(tier=t.tier, signed_year=year, **base)] for t in tiers["tiers"]]
                  + [["合计", tiers["total"].count, money.yi(tiers["total"].amount),
                      url + _q(signed_year=year, **base)]], unit="个")]
    out.append(Figure("years", "签约项目与实际到位投资（按签约年度）",
                      [("签约年度", "text"), ("项目数", "integer"), ("签约金额（亿元）", "decimal"),
                       ("实际到位投资（亿元）", "decimal")],
                      [[r["year"], r["count"], money.yi(r["amount"]), money.yi(r["invested"]),
                        url + _q(signed_year=r["year"], **base)] for r in years], plot=(2, 3)))
    out.append(Figure("landing", "落地率（按签约年度）",
                      [("签约年度", "text"), ("签约项目", "integer"), ("开工率", "percent"), ("投产率", "percent")],
                      [[r["year"], r["signed"], r["started_rate"], r["producing_rate"],
                        url + _q(signed_year=r["year"], **base)] for r in landed], chart="line", plot=(2, 3),
                      note="签约项目中已开工、已投产的比例（含签约后终止的项目）。"))
    out.append(Figure("pipeline", "在谈与推进中的项目（按阶段）", [("阶段", "text"), ("项目数", "integer")],
                      [[r["label"], r["count"], url + _q(state=r["state"], **base)] for r in stage_rows],
                      note=f"其中停滞项目 {stuck} 个。", unit="个"))
    return out


def economy_figures(user, zone_ids, park_id, year) -> list[Figure]:
    if not apps.is_installed("kaifaqu.economy"):
        return []
    from kaifaqu.economy import queries as economy
    from kaifaqu.economy.models import Enterprise, Indicator, IndicatorTotal

    enterprises = Enterprise.objects.visible_to(user).filter(zone_id__in=zone_ids)
    if park_id:
        enterprises = enterprises.filter(park_id=park_id)
    url = reverse("economy:enterprise-list")
    base = {"zone": zone_ids[0] if len(zone_ids) == 1 else None, "park": park_id}
    reg = economy.register_figures(enterprises)
    out = [
        Figure("status", "企业按状态", [("状态", "text"), ("企业数", "integer")],
               [[r["label"], r["count"], url + _q(status=r["status"], **base)] for r in reg["by_status"]],
               chart="pie", unit="家", note=f"共 {reg['total']} 家，从业人员 {reg['employees']} 人。"),
        Figure("size", "企业按规模", [("规模", "text"), ("企业数", "integer")],
               [["规上企业", reg["above_size"], url + _q(above_size="true", **base)],
                ["规下企业", reg["total"] - reg["above_size"], url + _q(above_size="false", **base)]],
               chart="pie", unit="家"),
    ]
    indicators = Indicator.objects.visible_to(user).filter(zone_id__in=zone_ids, key=True)
    # The maintained roll-up (zone × park × period sums, economy/rollup.py) gives the same totals as the values;
    # one query for every key indicator, added up across zones by code.
    totals = IndicatorTotal.objects.visible_to(user)
    if park_id:
        totals = totals.filter(park_id=park_id)
    rows, trends = [], []
    for fig in economy.key_figures(totals, indicators, year):
        first, through = fig["indicator"], fig["through"]
        link = reverse("economy:indicator-detail", args=[first.pk]) + _q(year=year)
        if through is None:
            rows.append([first.name, first.unit, None, None, None, link])
            continue
        rows.append([f"{first.name}（1–{through}期）", first.unit, fig["current"], fig["previous"], fig["growth"],
                     link])
        lines = fig["trend"]
        n = len(lines[year])
        trends.append(Figure(f"trend-{first.code}", f"{first.name}各期累计（{first.unit}）",
                             [("期别", "text"), (f"{year} 年", "decimal"), (f"{year - 1} 年", "decimal")],
                             [[f"1–{p + 1}", lines[year][p], lines[year - 1][p], link] for p in range(n)],
                             chart="line", unit=first.unit))
    out.append(Figure("indicators", f"{year} 年重点指标", [("指标", "text"), ("单位", "text"), ("本年累计", "decimal"),
                                                        ("上年同期", "decimal"), ("同比", "percent")], rows,
                      chart="bar", plot=(4,), note="各指标截至本年已有数据的最后一期；同比为与上年同期相比。"))
    return out + trends


def _zone_names(zone_ids) -> dict:
    from kaifaqu.org.models import Zone

    return dict(Zone.objects.filter(pk__in=zone_ids).values_list("pk", "name"))


def _home(zone_id, year) -> str:
    return reverse("cockpit:home") + _q(zone=zone_id, year=year)


def whistle_figures(user, zone_ids, park_id, year) -> list[Figure]:
    """吹哨报到: counts of the year's whistles and the open ones (each the whistle list with the same filter), and
    the on-time report and solve rates (WHISTLE-5's formulas: on time ÷ (received − returned)) of the units (one
    zone: ``whistle.queries.unit_figures``) or of each zone (several), with the total of all asked."""
    if not apps.is_installed("kaifaqu.whistle") or not scope_of(user).has("whistle.view_all"):
        return []
    from django.db.models import Count, Q

    from kaifaqu.whistle import queries as whistle
    from kaifaqu.whistle.filters import overdue_condition
    from kaifaqu.whistle.models import Assignment, AssignmentState, Whistle, WhistleState
    from kaifaqu.whistle.periods import period_range

    start, end = period_range(str(year))
    whistles = Whistle.objects.visible_to(user).filter(zone_id__in=zone_ids)
    assignments = Assignment.objects.visible_to(user).filter(zone_id__in=zone_ids, dispatched_at__gte=start,
                                                             dispatched_at__lt=end)
    if park_id:
        whistles, assignments = whistles.filter(park_id=park_id), assignments.filter(whistle__park_id=park_id)
    late = Assignment.objects.filter(overdue_condition(timezone.now()), state__in=[
        AssignmentState.DISPATCHED, AssignmentState.REPORTED, AssignmentState.PLANNED]).values("whistle_id")
    in_year = Q(blown_at__gte=start, blown_at__lt=end)
    counts = whistles.aggregate(blown=Count("id", filter=in_year),
                                closed=Count("id", filter=in_year & Q(state=WhistleState.CLOSED)),
                                open=Count("id", filter=Q(state=WhistleState.OPEN)),
                                overdue=Count("id", filter=Q(pk__in=late)))
    url = reverse("whistle:whistle-list")
    park = {"park": park_id}
    out = [Figure("whistle", f"吹哨报到（{year} 年）", [("项目", "text"), ("件数", "integer")], [
        ["本年吹哨", counts["blown"], url + _q(period=year, **park)],
        ["其中已办结", counts["closed"], url + _q(period=year, state=WhistleState.CLOSED, **park)],
        ["当前办理中", counts["open"], url + _q(state=WhistleState.OPEN, **park)],
        ["有单位逾期", counts["overdue"], url + _q(overdue="true", **park)],
    ], unit="件", note="办理中、有逾期为当前数（不限年度）。")]

    by_zone = {r["zone_id"]: r for r in assignments.order_by().values("zone_id").annotate(
        received=Count("id"), returned=Count("id", filter=Q(state=AssignmentState.RETURNED)),
        reported=Count("id", filter=Q(reported_on_time=True) & ~Q(state=AssignmentState.RETURNED)),
        solved=Count("id", filter=Q(state=AssignmentState.SOLVED, solved_on_time=True)))}

    def rates(rows):
        received = sum(r["received"] for r in rows)
        due = received - sum(r["returned"] for r in rows)
        return (received, sum(r["reported"] for r in rows) / due if due else None,
                sum(r["solved"] for r in rows) / due if due else None)

    rows = []
    if len(zone_ids) == 1 and not park_id:
        for unit in whistle.unit_figures(zone_ids[0], str(year)):
            if unit["received"]:
                rows.append([unit["org_name"], unit["received"],
                             None if unit["response_rate"] is None else unit["response_rate"] / 100,
                             None if unit["on_time_rate"] is None else unit["on_time_rate"] / 100,
                             url + _q(unit=unit["org"], period=year)])
        title = f"各单位按时报到率与按时办结率（{year} 年）"
    elif len(zone_ids) > 1:
        names = _zone_names(zone_ids)
        for zone_id in sorted(by_zone, key=lambda z: names.get(z, "")):
            rows.append([names.get(zone_id, ""), *rates([by_zone[zone_id]]), _home(zone_id, year)])
        title = f"各开发区按时报到率与按时办结率（{year} 年）"
    else:
        title = f"按时报到率与按时办结率（{year} 年）"
    rows.append(["合计", *rates(list(by_zone.values())), url + _q(period=year, **park)])
    out.append(Figure("whistle-rates", title, [("单位", "text"), ("派发（次）", "integer"), ("按时报到率", "percent"),
                                               ("按时办结率", "percent")], rows, plot=(2, 3),
                      note="按本年派发的任务计：按时报到（办结）数 ÷（派发数 − 退回数）。"))
    return out


def approval_figures(user, zone_ids, park_id, year) -> list[Figure]:
    """审批时间: each recorded baseline against the measured median working days of that kind's projects completed
    in the year (``approvals.queries.before_after``), and the cases open and overdue now (one zone:
    ``approvals.queries.zone_overview``; several: the same count per zone in one query). The zone's figures, also
    when a park is chosen (cases are not kept by park)."""
    if not apps.is_installed("kaifaqu.approvals") or not scope_of(user).has("approvals.view_all"):
        return []
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Q

    from kaifaqu.approvals import queries as approvals
    from kaifaqu.approvals.models import Baseline, Case
    from kaifaqu.approvals.workflow import CASE_KIND
    from kaifaqu.core.clock.models import OPEN_STATES, DeadlineClock

    url = reverse("approvals:figures")
    several = len(zone_ids) > 1
    names = _zone_names(zone_ids) if several else {}
    rows = []
    for baseline in (Baseline.objects.visible_to(user).filter(zone_id__in=zone_ids).select_related("zone")
                     .order_by("zone__code", "kind")):
        ba = approvals.before_after(baseline.zone, baseline.kind, year)
        label = baseline.get_kind_display() + (f"（{baseline.zone.name}）" if several else "")
        rows.append([label, ba["baseline"], ba["median"], None if ba["saving"] is None else ba["saving"] / 100,
                     ba["projects"], url + _q(zone=baseline.zone_id if several else None, year=year)])
    note = "改革前为记录的基准；实测为本年完成全部四个阶段的项目所用工作日的中位数。"
    out = [Figure("approvals", f"审批时间：改革前后（{year} 年，工作日）",
                  [("项目类型", "text"), ("改革前", "decimal"), ("实测中位数", "decimal"), ("压缩比例", "percent"),
                   ("完成项目", "integer")], rows, plot=(1, 2), unit="工作日",
                  note=note + ("（全开发区数）" if park_id else ""))]
    if several:
        now = timezone.now()
        counts = {r["zone_id"]: r for r in DeadlineClock.objects.filter(
            zone_id__in=zone_ids, kind=CASE_KIND, content_type=ContentType.objects.get_for_model(Case))
            .order_by().values("zone_id").annotate(
                open=Count("id", filter=Q(state__in=OPEN_STATES)),
                overdue=Count("id", filter=Q(state="overdue") | Q(state="running", due_at__lte=now)))}
        cases = [[names.get(z, ""), counts[z]["open"], counts[z]["overdue"], url + _q(zone=z, year=year)]
                 for z in sorted(counts, key=lambda z: names.get(z, ""))]
        cases.append(["合计", sum(c[1] for c in cases), sum(c[2] for c in cases), ""])
    else:
        from kaifaqu.org.models import Zone

        zone = Zone.objects.get(pk=zone_ids[0])
        overview = approvals.zone_overview(zone)
        cases = [[zone.name, overview["open"], overview["overdue"], url + _q(year=year)]]
    out.append(Figure("approval-cases", "审批办件：在办与逾期（当前）", [("开发区", "text"), ("在办", "integer"),
                                                                ("逾期", "integer")], cases, unit="件",
                      note="逾期：时限已到仍未办结的办件。" + ("（全开发区数）" if park_id else "")))
    return out


def all_figures(user, zone_ids, park_id, year) -> list[Figure]:
    return (invest_figures(user, zone_ids, park_id, year) + economy_figures(user, zone_ids, park_id, year)
            + whistle_figures(user, zone_ids, park_id, year) + approval_figures(user, zone_ids, park_id, year))
