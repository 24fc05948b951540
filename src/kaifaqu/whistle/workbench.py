"""工作台: the unit's whistle inbox (待办吹哨) with the time left and the 预警 badge, and what waits for the zone."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kaifaqu.core.workbench import SHORT_LIST, Entry, Item

from .models import Assignment, AssignmentState, Whistle, WhistleState
from .queries import time_left

OPEN = (AssignmentState.DISPATCHED, AssignmentState.REPORTED, AssignmentState.PLANNED)


def inbox_queryset(user, scope, open_only=True):
    """What is addressed to the user's own unit (among what the user may see)."""
    qs = (Assignment.objects.visible_to(user).filter(org_id=scope.org_id)
          .select_related("whistle", "org", "report_clock", "plan_clock", "solve_clock"))
    return qs.filter(state__in=OPEN) if open_only else qs


def inbox(user, scope, today):
    """The unit's open assignments, oldest first (a count and a short list with their clocks: two queries)."""
    if not (scope.has("whistle.act") and scope.org_id):
        return None
    mine = inbox_queryset(user, scope)
    now = timezone.now()
    items = []
    for a in mine.order_by("dispatched_at", "id")[:SHORT_LIST]:
        c = a.current_clock
        items.append(Item(f"{a.whistle.get_kind_display()} · {a.whistle.title}", a.get_absolute_url(),
                          f"{a.get_state_display()}，{time_left(c, now)}", c.due_at if c else None, c))
    return Entry("whistle-inbox", "待办吹哨", reverse("whistle:inbox"), count=mine.count(), items=items)


def zone_waiting(user):
    return (Whistle.objects.visible_to(user)
            .filter(Q(state__in=[WhistleState.SOLVED, WhistleState.VISITED])
                    | Q(state=WhistleState.OPEN, pk__in=Assignment.objects.filter(
                        Q(ext_requested_at__isnull=False)
                        | Q(state=AssignmentState.RETURNED, replaced_by__isnull=True)).values("whistle_id"))))


def zone_tasks(user, scope, today):
    """Whistles waiting for the zone: an extension to answer, a returned assignment to re-dispatch, a visit or a
    rating to make."""
    if not scope.has("whistle.dispatch"):
        return None
    waiting = zone_waiting(user)
    items = [Item(f"{w.number} · {w.title}", w.get_absolute_url(), w.get_state_display())
             for w in waiting.order_by("blown_at", "id")[:SHORT_LIST]]
    return Entry("whistle-zone", "待开发区处理的吹哨", f"{reverse('whistle:whistle-list')}?needs=zone",
                 count=waiting.count(), items=items)
