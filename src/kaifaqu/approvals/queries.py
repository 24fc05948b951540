"""Read-side figures of the approvals module (pages, API, demo figures), each in a fixed number of queries."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from kaifaqu.core import clock as clocks
from kaifaqu.core.clock.models import OPEN_STATES

from .models import OPEN_CASE_STATES, Case, ServiceItem


def case_workdays(deadline, now=None) -> float:
    """Working days a case's limit has used (pauses excluded), as core's clock counts them."""
    return round(clocks.elapsed(deadline, now or timezone.now()), 1)


def deferred_overdue(case, deadline, now=None) -> bool:
    """容缺 materials not supplied by their own due date."""
    if deadline is None or case.deferred_supplied_at is not None:
        return False
    now = now or timezone.now()
    return deadline.state in OPEN_STATES and deadline.due_at is not None and deadline.due_at <= now


def window_workload(window, today: datetime.date) -> dict:
    """A window's queue and workload: open cases now, accepted today, decided this month (two queries)."""
    tz = timezone.get_current_timezone()
    day = datetime.datetime.combine(today, datetime.time.min, tzinfo=tz)
    month = day.replace(day=1)
    cases = Case.objects.filter(zone_id=window.zone_id, item__window=window)
    counts = cases.aggregate(
        open=Count("id", filter=Q(state__in=OPEN_CASE_STATES)),
        waiting=Count("id", filter=Q(state="submitted")),
        accepted_today=Count("id", filter=Q(accepted_at__gte=day, accepted_at__lt=day + datetime.timedelta(days=1))),
        applied_month=Count("id", filter=Q(applied_at__gte=month)),
        decided_month=Count("id", filter=Q(decided_at__gte=month)),
    )
    counts["queue"] = list(cases.filter(state__in=OPEN_CASE_STATES).select_related("item", "applicant")
                           .order_by("applied_at", "id")[:20])
    return counts


# Projects (APPROVE-3/6) ------------------------------------------------------------------------------------------

def _local(dt):
    return timezone.localtime(dt).date()


def running_days(deadline, pauses, today, zone_id) -> set:
    """The working dates a case's clock ran on: (start date, end date], pauses' (start, end] dates left out — as
    core's clock counts working days."""
    from kaifaqu.core import calendar as cal

    start = _local(deadline.started_at)
    end = _local(deadline.finished_at) if deadline.finished_at else today
    spans = [(_local(s), _local(e) if e else end) for s, e in pauses]
    days, d = set(), start + datetime.timedelta(days=1)
    while d <= end:
        if cal.is_workday(d, zone_id) and not any(a < d <= b for a, b in spans):
            days.add(d)
        d += datetime.timedelta(days=1)
    return days


def project_timeline(project, today=None) -> dict:
    """The project's four stages with their items: each item's case (or the combined case or regional assessment
    that satisfies it), working days used (pauses excluded) against its limit; a stage is complete when its
    required items are satisfied; the project's working days are the dates on which any of its cases' clocks ran
    (parallel items count once). Five queries whatever the size."""
    from django.contrib.contenttypes.models import ContentType

    from kaifaqu.core.clock.models import DeadlineClock

    from .models import NATIONAL_LIMIT, PROJECT_STAGES, CaseState, ProjectItem, RegionalAssessment
    from .workflow import CASE_KIND

    today = today or timezone.localdate()
    needs = list(ProjectItem.objects.filter(project=project).select_related("item").order_by("item__code"))
    cases = list(project.cases.exclude(state=CaseState.REFUSED).prefetch_related("covers").order_by("applied_at"))
    clocks = {int(c.object_id): c for c in DeadlineClock.objects.filter(
        zone_id=project.zone_id,  # the clock_owner index leads with the zone
        content_type=ContentType.objects.get_for_model(Case), object_id__in=[str(c.pk) for c in cases],
        kind=CASE_KIND).prefetch_related("pauses")}
    assessed = {a.item_id: a for a in RegionalAssessment.objects.filter(park_id=project.park_id)} \
        if project.park_id else {}
    by_item, covering = {}, {}
    decided_states = (CaseState.APPROVED, CaseState.CLOSED)
    for case in cases:  # an item's case: its first decided one, else its latest application
        current = by_item.get(case.item_id)
        if current is None or current.state not in decided_states:
            by_item[case.item_id] = case
        for other in case.covers.all():
            covering.setdefault(other.pk, case)
    run = {case.pk: running_days(clocks[case.pk], [(p.started_at, p.ended_at) for p in clocks[case.pk].pauses.all()],
                                 today, project.zone_id)
           for case in cases if case.pk in clocks}
    all_days, stages, last = set(), [], None
    for stage in PROJECT_STAGES:
        rows, stage_days, complete = [], set(), True
        for need in (n for n in needs if n.item.stage == stage):
            case = by_item.get(need.item_id)
            via = ""
            if case is None and need.item_id in covering:
                case, via = covering[need.item_id], "combined"
            if case is None and need.item_id in assessed:
                via = "assessed"
            decided = case is not None and case.state in (CaseState.APPROVED, CaseState.CLOSED)
            done = decided or via == "assessed"
            if need.required and not done:
                complete = False
            days = run.get(case.pk, set()) if case is not None and via != "combined" else set()
            stage_days |= days
            deadline = clocks.get(case.pk) if case is not None else None
            if decided and case.decided_at and (last is None or case.decided_at > last):
                last = case.decided_at
            rows.append({"need": need, "item": need.item, "case": case, "via": via, "done": done,
                         "assessment": assessed.get(need.item_id), "used": len(days) if via != "combined" else None,
                         "limit": need.item.promised_limit, "clock": deadline,
                         "start": _local(deadline.started_at) if deadline else None,
                         "end": _local(deadline.finished_at) if deadline and deadline.finished_at else None,
                         "over": deadline is not None and len(days) > deadline.limit})
        all_days |= stage_days
        stages.append({"stage": stage, "label": stage.label, "rows": rows, "complete": complete,
                       "used": len(stage_days)})
    finished = all(s["complete"] for s in stages)
    return {"stages": stages, "used": len(all_days), "limit": NATIONAL_LIMIT, "complete": finished,
            "completed_on": _local(last) if finished and last else None,
            "current": next((s["label"] for s in stages if not s["complete"]), "已完成全部阶段")}


def timeline_chart(timeline) -> dict:
    """The ECharts data of a project's timeline: one bar per item from its start to its end (or today)."""
    bars = []
    for stage in timeline["stages"]:
        for row in stage["rows"]:
            if row["start"] is None:
                continue
            bars.append({"name": row["item"].name, "stage": stage["label"], "start": row["start"].isoformat(),
                         "end": (row["end"] or timezone.localdate()).isoformat(), "used": row["used"],
                         "limit": row["limit"], "over": row["over"]})
    return {"bars": bars}


def _median(values):
    values = sorted(values)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _p90(values):
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, max(0, -(-len(values) * 9 // 10) - 1))]


def before_after(zone, kind, year: int) -> dict:
    """The recorded baseline of ``kind`` against the measured median working days of the zone's projects of that
    kind that completed all four stages in ``year``; saving = (baseline − median) / baseline."""
    from .models import Baseline, Project

    baseline = Baseline.objects.filter(zone=zone, kind=kind).first()
    measured = []
    for project in Project.objects.filter(zone=zone, kind=kind):
        t = project_timeline(project)
        if t["complete"] and t["completed_on"] and t["completed_on"].year == year:
            measured.append(t["used"])
    median = _median(measured)
    saving = None
    if baseline and median is not None:
        saving = round((baseline.working_days - median) / baseline.working_days * 100)
    return {"baseline": baseline.working_days if baseline else None, "median": median, "projects": len(measured),
            "saving": saving}


def bottleneck(zone, year: int) -> dict:
    """Items and departments by median and p90 working days of the cases decided in ``year`` (pauses excluded),
    their overdue rate and supplements per case; from the case clocks in two queries."""
    from django.contrib.contenttypes.models import ContentType

    from kaifaqu.core import calendar as cal
    from kaifaqu.core.clock.models import ClockState, DeadlineClock

    from .workflow import CASE_KIND

    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    finished = list(DeadlineClock.objects.filter(
        zone_id=zone.pk, kind=CASE_KIND, content_type=ContentType.objects.get_for_model(Case),
        finished_at__gte=start, finished_at__lt=end).values_list("object_id", "started_at", "finished_at",
                                                                 "paused_total", "pause_count", "state"))
    # The cases decided in the year (one indexed range, not an IN list of thousands of ids); a clock finished in
    # the year whose case was decided outside it is looked up by id.
    cases = dict(Case.objects.filter(zone_id=zone.pk, decided_at__gte=start, decided_at__lt=end)
                 .values_list("pk", "item_id"))
    rest = [int(f[0]) for f in finished if int(f[0]) not in cases]
    if rest:
        cases.update(Case.objects.filter(pk__in=rest).values_list("pk", "item_id"))
    items = {i.pk: i for i in ServiceItem.objects.filter(pk__in=set(cases.values())).select_related("department")}
    groups, depts = {}, {}
    tz = timezone.get_current_timezone()
    for object_id, started, done, paused, pauses, state in finished:
        item = items.get(cases.get(int(object_id)))
        if item is None:
            continue
        used = cal.workdays_between(started.astimezone(tz).date(), done.astimezone(tz).date(), zone_id=zone.pk) - paused
        row = (used, state == ClockState.MET_LATE, pauses)
        groups.setdefault(item, []).append(row)
        depts.setdefault(item.department, []).append(row)

    def summary(key, rows):
        used = [r[0] for r in rows]
        return {"key": key, "cases": len(rows), "median": _median(used), "p90": _p90(used),
                "overdue_rate": round(sum(r[1] for r in rows) / len(rows) * 100, 1),
                "supplements": round(sum(r[2] for r in rows) / len(rows), 2)}

    by_item = sorted((summary(i, rows) for i, rows in groups.items()), key=lambda s: (-(s["median"] or 0), s["key"].code))
    by_dept = sorted((summary(d, rows) for d, rows in depts.items()), key=lambda s: (-(s["median"] or 0), s["key"].name))
    return {"items": by_item, "departments": by_dept, "year": year}


def zone_overview(zone, today=None) -> dict:
    """Open and overdue cases of the zone (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from kaifaqu.core.clock.models import DeadlineClock

    from .workflow import CASE_KIND

    now = timezone.now()
    clocks = DeadlineClock.objects.filter(zone_id=zone.pk, kind=CASE_KIND,
                                          content_type=ContentType.objects.get_for_model(Case))
    return clocks.aggregate(open=Count("id", filter=Q(state__in=OPEN_STATES)),
                            overdue=Count("id", filter=Q(state="overdue") | Q(state="running", due_at__lte=now)))



# 告知承诺制 post-checks -------------------------------------------------------------------------------------------

def check_overdue(check, now=None) -> bool:
    """A pending check past its own due time."""
    from .models import CheckState

    now = now or timezone.now()
    return check.state == CheckState.PENDING and check.due_at is not None and check.due_at <= now


def overdue_checks(qs, now=None):
    from .models import CheckState

    return qs.filter(state=CheckState.PENDING, due_at__lte=now or timezone.now())


# 标准地 ------------------------------------------------------------------------------------------------------------

def indicator_rows(parcel) -> list:
    """Each indicator of the parcel: committed, actual, whether it falls short and by how much (the gap, in the
    indicator's unit, and as a percentage of the commitment). Higher is better for 投资强度, 容积率 and 亩均税收;
    lower is better for 单位能耗 and 排放."""
    from decimal import ROUND_HALF_UP, Decimal

    from .models import INDICATORS

    rows = []
    for stem, label, unit, higher in INDICATORS:
        committed = getattr(parcel, f"committed_{stem}")
        actual = getattr(parcel, f"actual_{stem}")
        if committed is None:
            continue
        gap = None
        if actual is not None:
            short = committed - actual if higher else actual - committed
            gap = short if short > 0 else None
        pct = ((gap / committed * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
               if gap is not None and committed else None)
        rows.append({"indicator": stem, "label": label, "unit": unit, "higher_is_better": higher,
                     "committed": committed, "actual": actual, "short": gap is not None, "gap": gap,
                     "gap_pct": pct})
    return rows


def shortfalls(parcel) -> list:
    return [row for row in indicator_rows(parcel) if row["short"]]
