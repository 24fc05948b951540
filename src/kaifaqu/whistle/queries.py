"""Reads of the whistle module shared by pages, API, workbench and other modules (the joint meeting reads the
escalated whistles, the assessment module the unit figures)."""

from dataclasses import dataclass

from django.utils import timezone

from kaifaqu.core import files

from .models import Assignment, AssignmentEvent, Urge, Whistle, WhistleEvent
from .workflow import ASSIGNMENT, WHISTLE, workdays_and_hours


def time_left(c, now) -> str:
    """剩余 / 已超 the clock's time, in the clock's own unit family (minutes and hours, or working days)."""
    if c is None:
        return "无计时"
    if c.due_at is None:
        return "已暂停"
    delta = c.due_at - now
    late = delta.total_seconds() < 0
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        text = f"{int(seconds // 60)} 分钟"
    elif seconds < 86400 * 2:
        text = f"{seconds / 3600:.1f} 小时"
    else:
        text = f"{seconds / 86400:.1f} 天"
    due = timezone.localtime(c.due_at)
    return (f"已超时 {text}" if late else f"剩余 {text}") + f"（{due:%m-%d %H:%M} 到期）"


def escalated_whistles(zone_id, since=None):
    """Whistles escalated to the joint meeting (for its agenda), oldest first."""
    qs = Whistle.objects.filter(zone_id=zone_id, escalated_at__isnull=False).order_by("escalated_at", "id")
    if since is not None:
        qs = qs.filter(escalated_at__gte=since)
    return qs


@dataclass
class Step:
    at: object
    label: str
    actor: str
    unit: str
    note: str
    since_blow: str
    kind: str  # whistle / assignment / system
    payload: dict


def timeline(user, whistle, assignments) -> list[Step]:
    """Every step of a whistle, oldest first: the blow, each dispatch, every action on the whistle and on the
    assignments the user sees, with who, when and how long after the blow (全程留痕)."""
    zone_id = whistle.zone_id
    steps = [Step(whistle.blown_at, "吹哨", whistle.blower_name, "", whistle.description[:200], "", "whistle", {})]
    ids = [a.pk for a in assignments]
    names = {a.pk: a.org.name for a in assignments}
    for a in assignments:
        steps.append(Step(a.dispatched_at, "派发" + ("（改派）" if a.replaces_id else ""), "", a.org.name,
                          a.get_role_display(), workdays_and_hours(whistle.blown_at, a.dispatched_at, zone_id),
                          "assignment", {}))
        if a.returned_at:
            steps.append(Step(a.returned_at, "退回（在错派单位用时）", "", a.org.name, a.return_reason,
                              workdays_and_hours(a.dispatched_at, a.returned_at, zone_id), "assignment", {}))
    for e in WhistleEvent.objects.filter(whistle=whistle).order_by("created_at", "id"):
        steps.append(Step(e.created_at, WHISTLE.action_label(e.action), e.actor_name, "", e.note,
                          workdays_and_hours(whistle.blown_at, e.created_at, zone_id), "whistle", e.payload))
    for e in AssignmentEvent.objects.filter(assignment_id__in=ids).order_by("created_at", "id"):
        system = e.actor_id is None
        steps.append(Step(e.created_at, ASSIGNMENT.action_label(e.action), e.actor_name, names[e.assignment_id],
                          e.note, workdays_and_hours(whistle.blown_at, e.created_at, zone_id),
                          "system" if system else "assignment", e.payload))
    steps.sort(key=lambda s: s.at)
    return steps


def assignments_of(user, whistle):
    return list(Assignment.objects.visible_to(user).filter(whistle=whistle)
                .select_related("org", "report_clock", "plan_clock", "solve_clock").order_by("id"))


def attachments_of(user, whistle, assignments):
    shown = list(files.for_object(user, whistle))
    for a in assignments:
        shown.extend(files.for_object(user, a))
    return shown


def urges_of(assignments):
    return list(Urge.objects.filter(assignment__in=assignments).order_by("created_at", "id"))


# Unit figures (WHISTLE-5; formulas in docs/modules/whistle.md) ------------------------------------------------

def _rate(num, den):
    return round(100.0 * num / den, 1) if den else None


def unit_figures(zone_id, period: str) -> list[dict]:
    """One row per addressable unit of the zone for the assignments dispatched in ``period`` (2026, 2026-Q3,
    2026-07), ranked by the composite score. Six queries whatever the number of units and whistles."""
    from django.db.models import Count, Q

    from kaifaqu.core import calendar as cal
    from kaifaqu.core.tenancy import org_model

    from .models import UNIT_KINDS, AssignmentRole, AssignmentState, Rating, UrgeLevel
    from .periods import period_range
    from .services import scoring_for

    start, end = period_range(period)
    scoring = scoring_for(zone_id)
    units = list(org_model().objects.filter(zone_id=zone_id, kind__in=UNIT_KINDS, is_active=True)
                 .order_by("sort", "id").values_list("pk", "name"))
    base = Assignment.objects.filter(zone_id=zone_id, dispatched_at__gte=start, dispatched_at__lt=end)
    counts = {row["org_id"]: row for row in base.values("org_id").annotate(
        received=Count("id"),
        returned=Count("id", filter=Q(state=AssignmentState.RETURNED)),
        reported_on_time=Count("id", filter=Q(reported_on_time=True) & ~Q(state=AssignmentState.RETURNED)),
        solved=Count("id", filter=Q(state=AssignmentState.SOLVED)),
        solved_on_time=Count("id", filter=Q(state=AssignmentState.SOLVED, solved_on_time=True)),
        reworked=Count("id", filter=Q(rework_count__gt=0)),
    )}
    urges = {}
    for org_id, level, n in (Urge.objects.filter(assignment__in=base).values_list("assignment__org_id", "level")
                             .annotate(n=Count("id")).order_by()):
        urges[(org_id, level)] = n
    days: dict[int, list] = {}
    for org_id, dispatched, solved in base.filter(state=AssignmentState.SOLVED).values_list(
            "org_id", "dispatched_at", "solved_at"):
        days.setdefault(org_id, []).append(cal.workdays_between(
            timezone.localtime(dispatched).date(), timezone.localtime(solved).date(), zone_id=zone_id))
    # Ratings belong to the lead unit of the whistle (every round: a 不满意 then a 满意 after rework are two).
    leads = dict(base.filter(role=AssignmentRole.LEAD).exclude(state=AssignmentState.RETURNED)
                 .values_list("whistle_id", "org_id"))
    ratings: dict[int, list] = {}
    for whistle_id, payload in WhistleEvent.objects.filter(whistle_id__in=list(leads), action="rate").values_list(
            "whistle_id", "payload"):
        ratings.setdefault(leads[whistle_id], []).append(payload.get("rating"))
    weight = float(scoring.basic_weight)
    rows = []
    for org_id, name in units:
        c = counts.get(org_id, {})
        received, returned = c.get("received", 0), c.get("returned", 0)
        due = received - returned
        rated = ratings.get(org_id, [])
        satisfied = sum(1 for r in rated if r == Rating.SATISFIED) + weight * sum(1 for r in rated if r == Rating.BASIC)
        solved_days = days.get(org_id, [])
        row = {
            "org": org_id, "org_name": name, "received": received,
            "reported_on_time": c.get("reported_on_time", 0), "response_rate": _rate(c.get("reported_on_time", 0), due),
            "solved": c.get("solved", 0), "solve_rate": _rate(c.get("solved", 0), due),
            "solved_on_time": c.get("solved_on_time", 0), "on_time_rate": _rate(c.get("solved_on_time", 0), due),
            "rated": len(rated), "satisfaction_rate": _rate(satisfied, len(rated)),
            "returned": returned, "return_rate": _rate(returned, received),
            "reworked": c.get("reworked", 0), "rework_rate": _rate(c.get("reworked", 0), due),
            "mean_workdays": round(sum(solved_days) / len(solved_days), 2) if solved_days else None,
            "urges": urges.get((org_id, UrgeLevel.URGE), 0),
            "supervisions": urges.get((org_id, UrgeLevel.SUPERVISE), 0),
        }
        row["score"] = composite(row, scoring)
        rows.append(row)
    ranked = sorted(rows, key=lambda r: (r["score"] is None, -(r["score"] or 0), r["org"]))
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    return ranked


def composite(row, scoring):
    """Σ weight × rate over the rates that have a denominator, scaled to the weights' total (a unit never rated is
    scored on the other rates), minus the return and rework penalties; None for a unit that received nothing."""
    if not row["received"]:
        return None
    terms = [(float(scoring.w_response), row["response_rate"]), (float(scoring.w_solve), row["solve_rate"]),
             (float(scoring.w_on_time), row["on_time_rate"]), (float(scoring.w_satisfaction), row["satisfaction_rate"])]
    total = sum(w for w, _ in terms)
    present = [(w, r) for w, r in terms if r is not None]
    weights = sum(w for w, _ in present)
    score = sum(w * r / 100 for w, r in present) * (total / weights) if weights else 0.0
    score -= float(scoring.penalty_return) * (row["return_rate"] or 0) / 100
    score -= float(scoring.penalty_rework) * (row["rework_rate"] or 0) / 100
    return round(score, 2)
