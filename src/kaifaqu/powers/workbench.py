"""工作台: versions of the power list waiting for the user's review or publication (not the user's own: four eyes)."""

from django.urls import reverse

from kaifaqu.core.workbench import SHORT_LIST, Entry, Item

from .models import ListState, ListVersion


def versions_to_review(user, scope, today):
    if not scope.has("powers.review") or not scope.zone_ids:
        return None
    waiting = (ListVersion.objects.visible_to(user).filter(state__in=(ListState.SUBMITTED, ListState.APPROVED))
               .exclude(author_id=scope.user_id))
    shown = waiting.order_by("seq", "id")
    items = [Item(str(v), v.get_absolute_url(), "待审核" if v.state == ListState.SUBMITTED else "待发布")
             for v in shown[:SHORT_LIST]]
    return Entry("powers-versions-to-review", "待审核/发布的权责清单", reverse("powers:version-list"),
                 count=waiting.count(), items=items)


def handovers_to_confirm(user, scope, today):
    """Stripped functions addressed to the user's unit that wait for its confirmation (交接确认)."""
    from .models import FunctionItem, HandoverState

    if not scope.has("powers.handover") or scope.org_id is None or not scope.zone_ids:
        return None
    waiting = FunctionItem.objects.visible_to(user).filter(receiver_id=scope.org_id, state=HandoverState.PENDING)
    items = [Item(str(f), f.get_absolute_url(), f"{f.handover_on:%Y-%m-%d} 交接" if f.handover_on else "待确认",
                  f.handover_on)
             for f in waiting.order_by("handover_on", "id")[:SHORT_LIST]]
    return Entry("powers-handovers", "待确认承接的职能", reverse("powers:function-received"), count=waiting.count(),
                 items=items)
