"""工作台: secondments of people the user may see that end within 30 days (挂职即将到期)."""

import datetime

from django.urls import reverse

from kaifaqu.core.workbench import SHORT_LIST, Entry, Item

from .models import Secondment, Staff

ENDING_DAYS = 30


def _left(end, today) -> str:
    days = (end - today).days
    return f"{end:%Y-%m-%d} 结束（{'今天' if days == 0 else f'还剩 {days} 天'}）"


def secondments_ending(user, scope, today):
    if not (scope.has("staff.view_all") or scope.has("staff.view_own")):
        return None
    until = today + datetime.timedelta(days=ENDING_DAYS)  # "within 30 days": calendar days, not a working-day limit
    ending = (Secondment.objects.visible_to(user)
              .filter(staff__in=Staff.objects.visible_to(user).values("pk"), end__gte=today, end__lte=until,
                      ended_early_on__isnull=True))
    shown = ending.select_related("staff").order_by("end", "id")
    items = [Item(f"{s.staff.name} · {s.post}", s.get_absolute_url(), _left(s.end, today), s.end)
             for s in shown[:SHORT_LIST]]
    return Entry("org-secondments-ending", f"{ENDING_DAYS} 天内结束的挂职", reverse("org:secondment-list"),
                 count=ending.count(), items=items)
