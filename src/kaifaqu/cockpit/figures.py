"""The cockpit's figures, each a table (title, columns, rows) that the page draws as a chart, prints as a table and
downloads as a workbook; each row links to the list behind it. Computed through the investment and economy
modules' queries when those modules are installed (``apps.is_installed``), for the zones (and park) asked."""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import reverse
from django.utils import timezone


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
                        url + _q(signed_year=r["year"], **base)] for r in invest.by_year(qs)], plot=(2, 3)))
    out.append(Figure("landing", "落地率（按签约年度）",
                      [("签约年度", "text"), ("签约项目", "integer"), ("开工率", "percent"), ("投产率", "percent")],
                      [[r["year"], r["signed"], r["started_rate"], r["producing_rate"],
                        url + _q(signed_year=r["year"], **base)] for r in invest.landing(qs)], chart="line", plot=(2, 3),
                      note="签约项目中已开工、已投产的比例（含签约后终止的项目）。"))
    stuck = invest.stuck(qs, timezone.localdate()).count()
    out.append(Figure("pipeline", "在谈与推进中的项目（按阶段）", [("阶段", "text"), ("项目数", "integer")],
                      [[r["label"], r["count"], url + _q(state=r["state"], **base)] for r in invest.by_stage(qs)],
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
    indicators = list(Indicator.objects.visible_to(user).filter(zone_id__in=zone_ids, key=True)
                      .order_by("sort", "id"))
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


def all_figures(user, zone_ids, park_id, year) -> list[Figure]:
    return invest_figures(user, zone_ids, park_id, year) + economy_figures(user, zone_ids, park_id, year)
