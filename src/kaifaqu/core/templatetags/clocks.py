"""`{% load clocks %}{% clock_badge clock %}`: the display status of a deadline clock as a Bootstrap badge.

Lists annotate ``status`` in SQL (``DeadlineClock.objects.with_status(now)``) so the badge costs no query; a clock
without the annotation is evaluated in Python at the current time. The pause counter shows in the tooltip; a due
time computed over a provisional year (节假日安排尚未正式发布) carries a second badge “预估”.
"""

from django import template
from django.utils import timezone

from kaifaqu.core.clock.models import ClockStatus, ClockUnit

register = template.Library()

COLOURS = {
    ClockStatus.NORMAL: "text-bg-success",
    ClockStatus.WARNING: "text-bg-warning",
    ClockStatus.OVERDUE: "text-bg-danger",
    ClockStatus.PAUSED: "text-bg-secondary",
    ClockStatus.MET: "text-bg-primary",
    ClockStatus.MET_LATE: "text-bg-dark",
}


def paused_text(total, unit) -> str:
    """Hour units as 小时/分钟 (1.1667 working hours → 1 工作小时 10 分钟), day units as whole days."""
    if unit in (ClockUnit.WORKHOURS, ClockUnit.HOURS):
        minutes = round(float(total) * 60)
        hours, minutes = divmod(minutes, 60)
        name = ClockUnit(unit).label
        if not hours:
            return f"{minutes} 分钟"
        return f"{hours} {name}" + (f" {minutes} 分钟" if minutes else "")
    if unit == ClockUnit.MINUTES:
        return f"{round(float(total))} 分钟"
    return f"{float(total):g} {ClockUnit(unit).label}"


@register.inclusion_tag("core/clock_badge.html")
def clock_badge(clock, now=None):
    status = getattr(clock, "status", None)
    status = ClockStatus(status) if status else clock.status_at(now or timezone.now())
    paused = ""
    if clock.pause_count:
        paused = f"暂停 {clock.pause_count} 次，累计 {paused_text(clock.paused_total, clock.unit)}"
    provisional = bool(getattr(clock, "provisional", False)) and clock.due_at is not None
    return {"status": status, "label": status.label, "colour": COLOURS[status], "clock": clock, "paused": paused,
            "provisional": provisional}
