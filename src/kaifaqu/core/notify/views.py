import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kaifaqu.core import notify
from kaifaqu.core.access import get_visible_or_404
from kaifaqu.core.notify.models import Notification
from kaifaqu.core.tabular import Column, Layout
from kaifaqu.core.web.filters import BaseFilterSet
from kaifaqu.core.web.views import ScopedListView

NOTIFICATION_LAYOUT = Layout("notifications", "通知", (
    Column("标题", "title", width=40),
    Column("类别", "kind", getter=lambda n: notify.KINDS.get(n.kind, n.kind), width=14),
    Column("时间", "created_at", "datetime", width=20),
    Column("状态", "read_at", getter=lambda n: "已读" if n.read_at else "未读", width=8),
))


class NotificationFilter(BaseFilterSet):
    search_fields = ("title", "body")
    status = django_filters.ChoiceFilter(label="状态", choices=(("unread", "未读"), ("read", "已读")),
                                         method="filter_status")

    class Meta(BaseFilterSet.Meta):
        model = Notification
        fields = ["q", "status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(read_at__isnull=(value == "unread"))


class NotificationListView(ScopedListView):
    model = Notification
    filterset_class = NotificationFilter
    table = NOTIFICATION_LAYOUT
    title = "通知"
    breadcrumbs = (("通知", None),)
    template_name = "core/notification_list.html"


@login_required
def open_notification(request, pk):
    notification = get_visible_or_404(Notification.objects.all(), request.user, pk=pk)
    notify.mark_read(request.user, notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notification-list")


open_notification.model = Notification


@login_required
@require_POST
def read_all(request):
    n = notify.mark_read(request.user)
    messages.success(request, f"已将 {n} 条通知标为已读。")
    return redirect("core:notification-list")


@login_required
def preferences(request):
    prefs = dict(request.user.notification_preferences.values_list("kind", "email"))
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        for kind in notify.KINDS:
            if (kind in chosen) != prefs.get(kind, False):
                notify.set_email_preference(request.user, kind, kind in chosen)
        messages.success(request, "通知偏好已保存。")
        return redirect("core:notification-preferences")
    rows = [(kind, label, prefs.get(kind, False)) for kind, label in sorted(notify.KINDS.items())]
    return render(request, "core/notification_preferences.html", {
        "title": "通知偏好", "rows": rows, "has_email": bool(request.user.email),
        "breadcrumbs": (("通知", "/core/notifications/"), ("通知偏好", None)),
    })
