"""Reads of the meetings module shared by pages, API, workbench, demo and other modules (the assessment module may
read the decisions' figures per unit)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from kaifaqu.core.clock.models import ClockStatus, DeadlineClock

from .models import Decision, DecisionState


def time_left(c, now) -> str:
    """剩余 / 已超 the clock's time in days, with the due time."""
    if c is None:
        return "无计时"
    if c.due_at is None:
        return "已暂停"
    delta = c.due_at - now
    seconds = abs(delta.total_seconds())
    text = f"{seconds / 3600:.1f} 小时" if seconds < 86400 * 2 else f"{seconds / 86400:.1f} 天"
    due = timezone.localtime(c.due_at)
    return (f"已超时 {text}" if delta.total_seconds() < 0 else f"剩余 {text}") + f"（{due:%m-%d} 到期）"


def open_decisions(user):
    """The open decisions the user sees (办理中 and 待验收), with their clocks annotated with the badge status."""
    now = timezone.now()
    return (Decision.objects.visible_to(user).filter(state__in=[DecisionState.OPEN, DecisionState.REPORTED])
            .select_related("owner", "meeting", "clock")
            .order_by("owner__sort", "owner_id", "due_date", "id")), now


@dataclass
class UnitDecisions:
    org_id: int
    name: str
    decisions: list = field(default_factory=list)
    overdue: int = 0
    warning: int = 0


def by_unit(user) -> list[UnitDecisions]:
    """Open decisions grouped by owner unit, each with its clock's status (正常 / 预警 / 逾期) and time left; the
    units with the most overdue first. Two queries (the decisions with their clocks, and the clocks' status)."""
    qs, now = open_decisions(user)
    rows = list(qs)
    status = dict(DeadlineClock.objects.filter(pk__in=[d.clock_id for d in rows if d.clock_id])
                  .with_status(now).values_list("pk", "status"))
    units: dict[int, UnitDecisions] = {}
    for d in rows:
        group = units.setdefault(d.owner_id, UnitDecisions(d.owner_id, d.owner.name))
        if d.clock is not None:
            d.clock.status = status.get(d.clock_id, ClockStatus.NORMAL)
        d.left = time_left(d.clock, now) if d.state == DecisionState.OPEN else "待开发区验收"
        if d.state == DecisionState.OPEN and d.clock is not None:
            group.overdue += d.clock.status == ClockStatus.OVERDUE
            group.warning += d.clock.status == ClockStatus.WARNING
        group.decisions.append(d)
    return sorted(units.values(), key=lambda u: (-u.overdue, -u.warning, u.name))


def unit_figures(zone_id) -> list[dict]:
    """Per owner unit of the zone: decisions received, done (accepted), reported on time, open, overdue now,
    urged and supervised. One query."""
    now = timezone.now()
    late = Q(state=DecisionState.OPEN) & (Q(clock__state="overdue") | Q(clock__state="running",
                                                                      clock__due_at__lte=now))
    rows = (Decision.objects.filter(zone_id=zone_id).values("owner_id", "owner__name")
            .annotate(received=Count("id"), accepted=Count("id", filter=Q(state=DecisionState.ACCEPTED)),
                      on_time=Count("id", filter=Q(reported_on_time=True)),
                      open=Count("id", filter=Q(state__in=[DecisionState.OPEN, DecisionState.REPORTED])),
                      overdue=Count("id", filter=late), urged=Count("id", filter=Q(urge_count__gt=0)),
                      supervised=Count("id", filter=Q(supervise_count__gt=0)))
            .order_by("owner__name"))
    return [dict(r) for r in rows]


def decision_counts(zone_id) -> dict:
    now = timezone.now()
    late = Q(state=DecisionState.OPEN) & (Q(clock__state="overdue") | Q(clock__state="running",
                                                                      clock__due_at__lte=now))
    return Decision.objects.filter(zone_id=zone_id).aggregate(
        total=Count("id"), open=Count("id", filter=Q(state=DecisionState.OPEN)),
        reported=Count("id", filter=Q(state=DecisionState.REPORTED)),
        accepted=Count("id", filter=Q(state=DecisionState.ACCEPTED)), overdue=Count("id", filter=late))
