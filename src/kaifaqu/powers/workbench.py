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
