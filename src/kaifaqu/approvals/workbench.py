"""工作台: the cases waiting at the user's windows (to accept, 容缺 materials overdue, supplements supplied) and the
post-checks (核查) charged to the user's department."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from kaifaqu.core.workbench import SHORT_LIST, Entry, Item

from .models import Case, CaseEvent, CaseState, CheckState, PostCheck, Window


def waiting_at_my_windows(user, now=None):
    """Open cases of the items of the windows the user staffs that need the window now, each annotated with why."""
    now = now or timezone.now()
    windows = Window.staff.through.objects.filter(user_id=user.pk).values("window_id")
    supplied = CaseEvent.objects.filter(case_id=OuterRef("pk"), action="supply")
    waiting = Q(state=CaseState.SUBMITTED)
    deferred_late = Q(conditional=True, deferred_supplied_at__isnull=True, deferred_due_at__lte=now,
                      state__in=(CaseState.REVIEWING, CaseState.SUPPLEMENTING))
    return (Case.objects.visible_to(user).filter(item__window_id__in=windows)
            .annotate(supplied=Exists(supplied))
            .filter(waiting | deferred_late | Q(state=CaseState.REVIEWING, supplied=True))
            .select_related("item", "applicant"))


def _why(case, now):
    if case.state == CaseState.SUBMITTED:
        return "待受理"
    if case.conditional and case.deferred_supplied_at is None and case.deferred_due_at and case.deferred_due_at <= now:
        return "容缺材料已超过补齐期限"
    return "申请人已补正，待审查"


def window_cases(user, scope, today):
    if not scope.has("approvals.handle") or not Window.staff.through.objects.filter(user_id=user.pk).exists():
        return None
    now = timezone.now()
    qs = waiting_at_my_windows(user, now)
    items = [Item(f"{c.number} · {c.item.name} · {c.applicant.name}", c.get_absolute_url(), _why(c, now))
             for c in qs.order_by("applied_at", "id")[:SHORT_LIST]]
    return Entry("approvals-window", "我的窗口待办件", f"{reverse('approvals:case-list')}", count=qs.count(),
                 items=items)


def department_checks(user, scope, today):
    """Post-checks charged to the user's department, the nearest deadline first."""
    if not (scope.has("approvals.handle") and scope.org_id):
        return None
    qs = (PostCheck.objects.visible_to(user).filter(department_id=scope.org_id, state=CheckState.PENDING)
          .select_related("case", "case__item"))
    now = timezone.now()
    count = qs.count()
    if not count:
        return None
    items = [Item(f"{c.case.number} · {c.case.item.name}", c.get_absolute_url(),
                  "已超过核查期限" if c.due_at and c.due_at <= now else "待核查", c.due_at)
             for c in qs.order_by("due_at", "id")[:SHORT_LIST]]
    return Entry("approvals-checks", "待核查的告知承诺事项", f"{reverse('approvals:check-list')}?state=pending",
                 count=count, items=items)
