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


def _head_changes(user, state):
    from kaifaqu.core.clock.models import DeadlineClock

    from .models import HeadChange

    waiting = HeadChange.objects.visible_to(user).filter(state=state).select_related("agency")
    shown = list(waiting.order_by("requested_at", "id")[:SHORT_LIST])
    clocks = {}
    if shown:
        from django.contrib.contenttypes.models import ContentType

        from .workflow import KIND_CONSENT

        for c in DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(HeadChange),
                                              object_id__in=[str(h.pk) for h in shown], kind=KIND_CONSENT):
            clocks[c.object_id] = c
    return waiting, shown, clocks


def head_changes_to_answer(user, scope, today):
    """Head changes of stationed agencies waiting for the zone's opinion, with their working-day clocks."""
    from .models import HeadChangeState

    if not scope.has("powers.consent") or not scope.zone_ids:
        return None
    waiting, shown, clocks = _head_changes(user, HeadChangeState.REQUESTED)
    items = [Item(str(h), h.get_absolute_url(), "待提出意见", clock=clocks.get(str(h.pk))) for h in shown]
    return Entry("powers-head-changes", "待提出意见的派驻机构负责人任免", reverse("powers:headchange-list"),
                 count=waiting.count(), items=items)


def head_changes_to_record(user, scope, today):
    """Consented head changes the zone's 组织人事 has still to record in the organisation's record."""
    from .models import HeadChange, HeadChangeState

    if not scope.has("org.change") or not scope.zone_ids:
        return None
    waiting = HeadChange.objects.visible_to(user).filter(state=HeadChangeState.CONSENTED).select_related("agency")
    items = [Item(str(h), h.get_absolute_url(), "开发区已同意，待记入机构信息")
             for h in waiting.order_by("decided_at", "id")[:SHORT_LIST]]
    return Entry("powers-head-changes-to-record", "待记入机构信息的负责人任免", reverse("powers:headchange-list"),
                 count=waiting.count(), items=items)
