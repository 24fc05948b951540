"""工作台: the unit's open decisions (待办议定事项) with the time left and the 预警 / 逾期 badge, and the reports that
wait for the zone's acceptance."""

from django.urls import reverse
from django.utils import timezone

from kaifaqu.core.workbench import SHORT_LIST, Entry, Item

from .models import Decision, DecisionState
from .queries import time_left


def inbox_queryset(user, scope):
    """The open decisions addressed to the user's own unit (among what the user may see)."""
    return (Decision.objects.visible_to(user).filter(owner_id=scope.org_id, state=DecisionState.OPEN)
            .select_related("meeting", "clock"))


def inbox(user, scope, today):
    """The unit's open decisions, nearest deadline first: a count and a short list with their clocks (two
    queries)."""
    if not (scope.has("meetings.act") and scope.org_id):
        return None
    mine = inbox_queryset(user, scope)
    now = timezone.now()
    items = []
    for d in mine.order_by("due_date", "id")[:SHORT_LIST]:
        items.append(Item(f"{d.meeting.get_kind_display()} · {d.content[:40]}", d.get_absolute_url(),
                          time_left(d.clock, now), d.clock.due_at if d.clock else d.due_date, d.clock))
    return Entry("meetings-inbox", "待办议定事项", reverse("meetings:decision-open"), count=mine.count(), items=items)


def zone_tasks(user, scope, today):
    """Decisions reported done, waiting for the zone to accept them or send them back."""
    if not scope.has("meetings.manage"):
        return None
    waiting = (Decision.objects.visible_to(user).filter(state=DecisionState.REPORTED)
               .select_related("owner", "clock"))
    items = [Item(f"{d.owner.name} · {d.content[:40]}", d.get_absolute_url(), "已报办结，待验收", d.reported_at)
             for d in waiting.order_by("reported_at", "id")[:SHORT_LIST]]
    return Entry("meetings-zone", "待验收的议定事项", f"{reverse('meetings:decision-list')}?state=reported",
                 count=waiting.count(), items=items)
