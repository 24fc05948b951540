"""The department's workbook of indicator values (ECON-3), on the core import engine.

Rows are matched by enterprise (统一社会信用代码, among the register the user may see), indicator code, year and
period. Besides the engine's checks (unknown credit codes, duplicates, non-numbers, each by row and column), every
row must fall within one of the submitting department's tasks: a period outside them is an error on 期别.

A file replaces the whole period of each task it holds rows for: the check compares the file with every stored
value of those periods (the engine is given no existing rows, so that it hands over every row of the file,
unchanged ones included): a different value is a change, an equal one unchanged, and a stored value of an
enterprise absent from the file is removed (``plan.removed``) when the plan is applied.
"""

from django.db.models import Q

from kaifaqu.core.imports.engine import FkSpec, Importer, Row

from . import services
from .layouts import VALUE_LAYOUT
from .models import Enterprise, Indicator, IndicatorValue, SubmissionTask


def _tasks(user, zone_id):
    tasks = SubmissionTask.objects.visible_to(user).filter(zone_id=zone_id)
    org_id = getattr(user, "org_id", None)
    return tasks.filter(org_id=org_id) if org_id is not None else tasks.none()


def _existing(user, zone_id):
    """None for the engine's own diff: ``_replace`` compares the file with the stored periods (see above)."""
    return IndicatorValue.objects.none()


def _stored(zone_id, keys):
    if not keys:
        return IndicatorValue.objects.none()
    condition = Q()
    for indicator_id, year, period in keys:
        condition |= Q(indicator_id=indicator_id, year=year, period=period)
    return IndicatorValue.objects.filter(zone_id=zone_id).filter(condition)


def _replace(user, zone_id, plan):
    """Sort the file's rows (all in ``plan.new`` so far) into new, changed and unchanged against the stored values
    of the periods the file holds, and list the stored values the file leaves out as removed (one query)."""
    pos = {f: plan.fields.index(f) for f in ("enterprise_id", "indicator_id", "year", "period", "value")}
    periods = {(r.cells[pos["indicator_id"]], r.cells[pos["year"]], r.cells[pos["period"]]) for r in plan.new}
    stored = {(e, i, y, p): (pk, v) for pk, e, i, y, p, v in _stored(zone_id, periods).values_list(
        "pk", "enterprise_id", "indicator_id", "year", "period", "value")}
    if not stored:
        return
    new, seen = [], set()
    for row in plan.new:
        key = tuple(row.cells[pos[f]] for f in ("enterprise_id", "indicator_id", "year", "period"))
        seen.add(key)
        found = stored.get(key)
        if found is None:
            new.append(row)
            continue
        pk, old = found
        value = row.cells[pos["value"]]
        if value == old:
            plan.unchanged += 1
            continue
        plan.changed.append(Row(row.number, row.cells, row.fields, pk=pk, before={"value": old},
                                changes={"value": value}))
    plan.new[:] = new
    plan.removed[:] = [(pk, *key, old) for key, (pk, old) in sorted(stored.items()) if key not in seen]


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
    _replace(user, zone_id, plan)


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
