"""Read-side figures of the register and the indicators (ECON-1, ECON-2), shared by pages, API, cockpit and demo.

- Total of an indicator for year Y through period N (1–N月): the sum of the single-period values of periods 1…N,
  or, for an indicator reported cumulatively, the sum of the values of period N.
- Year-on-year growth: (total Y through N − total Y−1 through N) / total Y−1 through N; none when last year's
  total is zero or missing.
- Rankings within the zone: enterprises (or parks) by that total, largest first.
"""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from .models import Enterprise, IndicatorValue, Status

ZERO = Decimal(0)


def register_figures(enterprises) -> dict:
    """Counts by status, the above-designated-size ones, employees and land (one query: one group per status and
    size, added up here)."""
    agg = {"total": 0, "above_size": 0, "employees": 0, "land": ZERO, **{s.value: 0 for s in Status}}
    for status, above, n, employees, land in (enterprises.order_by().values_list("status", "above_size")
                                              .annotate(n=Count("id"), e=Coalesce(Sum("employees"), 0),
                                                        land=Coalesce(Sum("land_mu"), ZERO))):
        agg["total"] += n
        agg["above_size"] += n if above else 0
        agg["employees"] += employees
        agg["land"] += land
        agg[status] = agg.get(status, 0) + n
    agg["by_status"] = [{"status": s.value, "label": s.label, "count": agg[s.value]} for s in Status]
    return agg


def by_park(enterprises) -> list[dict]:
    return list(enterprises.order_by("park__sort", "park_id").values("park_id", "park__name")
                .annotate(count=Count("id"), above_size=Count("id", filter=Q(above_size=True)),
                          employees=Coalesce(Sum("employees"), 0)))


def _period_filter(indicator, through: int) -> Q:
    return Q(period=through) if indicator.cumulative else Q(period__lte=through)


def values_of(indicator, user=None):
    qs = IndicatorValue.objects.visible_to(user) if user is not None else IndicatorValue.objects.all()
    return qs.filter(indicator=indicator)


def total(values, indicator, year: int, through: int) -> Decimal:
    return values.filter(_period_filter(indicator, through), year=year).aggregate(
        s=Coalesce(Sum("value"), ZERO))["s"]


def growth(current, previous):
    if not previous:
        return None
    return (Decimal(current) - Decimal(previous)) / Decimal(previous)


def figure(values, indicator, year: int, through: int) -> dict:
    """This year's and last year's total through the period and the y/y growth (one query)."""
    agg = values.filter(_period_filter(indicator, through), year__in=(year, year - 1)).aggregate(
        current=Coalesce(Sum("value", filter=Q(year=year)), ZERO),
        previous=Coalesce(Sum("value", filter=Q(year=year - 1)), ZERO))
    return {"year": year, "through": through, **agg, "growth": growth(agg["current"], agg["previous"])}


def park_totals(values, indicator, year: int, through: int) -> list[dict]:
    rows = (values.filter(_period_filter(indicator, through), year__in=(year, year - 1))
            .order_by("enterprise__park__sort", "enterprise__park_id")
            .values("enterprise__park_id", "enterprise__park__name")
            .annotate(current=Coalesce(Sum("value", filter=Q(year=year)), ZERO),
                      previous=Coalesce(Sum("value", filter=Q(year=year - 1)), ZERO)))
    out = [{"park_id": r["enterprise__park_id"], "park": r["enterprise__park__name"] or "未定园区",
            "current": r["current"], "previous": r["previous"], "growth": growth(r["current"], r["previous"])}
           for r in rows]
    for rank, row in enumerate(sorted(out, key=lambda r: -r["current"]), start=1):
        row["rank"] = rank
    return out


def ranking(values, indicator, year: int, through: int, limit: int = 10) -> list[dict]:
    rows = (values.filter(_period_filter(indicator, through), year=year).values("enterprise_id", "enterprise__name")
            .annotate(total=Sum("value")).order_by("-total", "enterprise_id")[:limit])
    return [{"rank": i, "enterprise_id": r["enterprise_id"], "name": r["enterprise__name"], "total": r["total"]}
            for i, r in enumerate(rows, start=1)]


def trend(values, indicator, years) -> dict:
    """{year: [total through period 1, 2, …]} for each year (one query): the line of each year's 1–N totals."""
    rows = values.filter(year__in=list(years)).order_by().values("year", "period").annotate(s=Sum("value"))
    return lines_of({(r["year"], r["period"]): r["s"] for r in rows}, indicator, years)


def lines_of(single: dict, indicator, years) -> dict:
    """The trend lines from the sums per (year, period) (None where a period has no value)."""
    from .models import PERIODS

    n = PERIODS[indicator.period_kind]
    out = {}
    for year in years:
        line, running = [], ZERO
        for period in range(1, n + 1):
            value = single.get((year, period))
            if not indicator.cumulative:
                running = running + value if value is not None else running
                value = running if (year, period) in single else None
            line.append(value)
        out[year] = line
    return out


def key_indicators(indicators) -> list:
    """One indicator per code among these (the first by sort and id), in that order: the code's name, unit and
    kind when the figures add up across zones. Two queries, whatever the number of zones."""
    from django.db.models import Min

    from .models import Indicator

    firsts = dict(indicators.order_by().values("code").annotate(first=Min("id")).values_list("code", "first"))
    found = {i.pk: i for i in Indicator.objects.filter(pk__in=list(firsts.values()))}
    return sorted(found.values(), key=lambda i: (i.sort, i.pk))


def key_figures(totals, indicators, year: int) -> list[dict]:
    """Every indicator's figure through its last period with data in ``year`` and its trend (this year and last),
    from the roll-up (``IndicatorTotal``) or the values, added up across zones by indicator code, in one query.
    ``indicators``: a queryset of the indicators asked (one per zone and code); the first of each code gives the
    name, unit and kind (``key_indicators``). Returns, in sort order, ``{"indicator", "through", "current",
    "previous", "growth", "trend"}``."""
    first = {ind.code: ind for ind in key_indicators(indicators)}
    sums: dict = {}
    for code, y, period, total in (totals.filter(indicator__in=indicators.values("pk"), year__in=(year, year - 1))
                                   .order_by().values_list("indicator__code", "year", "period")
                                   .annotate(s=Sum("value"))):
        sums.setdefault(code, {})[(y, period)] = total
    out = []
    for code, ind in first.items():
        single = sums.get(code, {})
        periods = [p for y, p in single if y == year]
        through = max(periods) if periods else None
        row = {"indicator": ind, "through": through, "current": None, "previous": None, "growth": None,
               "trend": lines_of(single, ind, [year, year - 1])}
        if through is not None:
            def upto(y, ind=ind, single=single, through=through):
                if ind.cumulative:
                    return single.get((y, through)) or ZERO
                return sum((v for (yy, p), v in single.items() if yy == y and p <= through), ZERO)

            row.update(current=upto(year), previous=upto(year - 1))
            row["growth"] = growth(row["current"], row["previous"])
        out.append(row)
    return out


def latest_period(values, year: int) -> int | None:
    return values.filter(year=year).order_by("-period").values_list("period", flat=True).first()


def enterprises_of(user):
    return Enterprise.objects.visible_to(user)
