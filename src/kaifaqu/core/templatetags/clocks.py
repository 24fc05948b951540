"""`{% load clocks %}{% clock_badge clock %}`: the display status of a deadline clock as a Bootstrap badge.

Lists annotate ``status`` in SQL (``DeadlineClock.objects.with_status(now)``) so the badge costs no query; a clock
without the annotation is evaluated in Python at the current time. The pause counter shows in the tooltip.
"""

from django import template
from django.utils import timezone

from kaifaqu.core.clock_models import ClockStatus

register = template.Library()

COLOURS = {
    ClockStatus.NORMAL: "text-bg-success",
    ClockStatus.WARNING: "text-bg-warning",
    ClockStatus.OVERDUE: "text-bg-danger",
    ClockStatus.PAUSED: "text-bg-secondary",
    ClockStatus.MET: "text-bg-primary",
    ClockStatus.MET_LATE: "text-bg-dark",
}


@register.inclusion_tag("core/clock_badge.html")
def clock_badge(clock, now=None):
    status = getattr(clock, "status", None)
    status = ClockStatus(status) if status else clock.status_at(now or timezone.now())
    paused = ""
    if clock.pause_count:
        total = f"{clock.paused_total:g}"
        paused = f"暂停 {clock.pause_count} 次，累计 {total} {clock.get_unit_display()}"
    return {"status": status, "label": status.label, "colour": COLOURS[status], "clock": clock, "paused": paused}
