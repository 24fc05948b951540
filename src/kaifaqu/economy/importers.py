"""The department's workbook of indicator values (ECON-3), on the core import engine.

Rows are matched by enterprise (统一社会信用代码, among the register the user may see), indicator code, year and
period. Besides the engine's checks (unknown credit codes, duplicates, non-numbers, each by row and column), every
row must fall within one of the submitting department's tasks: a period outside them is an error on 期别.
"""

from django.db.models import Q

from kaifaqu.core.imports.engine import FkSpec, Importer

from . import services
from .layouts import VALUE_LAYOUT
from .models import Enterprise, Indicator, IndicatorValue, SubmissionTask


def _tasks(user, zone_id):
    tasks = SubmissionTask.objects.visible_to(user).filter(zone_id=zone_id)
    org_id = getattr(user, "org_id", None)
    return tasks.filter(org_id=org_id) if org_id is not None else tasks.none()


def _existing(user, zone_id):
    keys = list(_tasks(user, zone_id).values_list("indicator_id", "year", "period"))
    if not keys:
        return IndicatorValue.objects.none()
    condition = Q()
    for indicator_id, year, period in keys:
        condition |= Q(indicator_id=indicator_id, year=year, period=period)
    return IndicatorValue.objects.filter(zone_id=zone_id).filter(condition)


def _within_tasks(user, zone_id, plan):
    tasks = {(i, y, p): label for i, y, p, label in
             ((t.indicator_id, t.year, t.period, f"{t.indicator.name} {t.period_label}")
              for t in _tasks(user, zone_id).select_related("indicator"))}
    indicators = {i for i, _y, _p in tasks}
    pos = {f: plan.fields.index(f) for f in ("indicator_id", "year", "period")}
    headers = {a: c.header for _, c, a in plan.columns}
    shown = "、".join(sorted(set(tasks.values()))) or "无"
    refused = set()
    for row in (*plan.new, *plan.changed):
        indicator_id, year, period = (row.cells[pos[f]] for f in ("indicator_id", "year", "period"))
        if (indicator_id, year, period) in tasks:
            continue
        if indicator_id not in indicators:
            plan.error(row.number, headers["indicator_id"], "", f"该指标不在本单位的报送任务内（任务：{shown}）。")
        else:
            plan.error(row.number, headers["period"], f"{year}-{period}",
                       f"期别不在报送任务内（任务：{shown}）。")
        refused.add(row.number)
    if refused:
        plan.new[:] = [r for r in plan.new if r.number not in refused]
        plan.changed[:] = [r for r in plan.changed if r.number not in refused]


VALUE_IMPORTER = Importer(
    layout=VALUE_LAYOUT, model=IndicatorValue, key=("enterprise_id", "indicator_id", "year", "period"),
    perm="economy.submit", list_url="economy:task-list",
    existing=_existing,
    apply=services.do_submit_values,
    fks={
        "enterprise": FkSpec(lambda user, zone_id: Enterprise.objects.visible_to(user).filter(zone_id=zone_id),
                             keys=("uscc",)),
        "indicator": FkSpec(lambda user, zone_id: Indicator.objects.visible_to(user).filter(zone_id=zone_id),
                            keys=("code",)),
    },
    check=_within_tasks,
)
