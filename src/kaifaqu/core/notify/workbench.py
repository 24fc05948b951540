"""工作台: the user's unread notifications."""

from django.urls import reverse

from kaifaqu.core.notify.models import Notification
from kaifaqu.core.workbench import SHORT_LIST, Entry, Item


def unread(user, scope, today):
    inbox = Notification.objects.visible_to(user).unread()
    shown = inbox.only("id", "title", "created_at").order_by("-created_at", "-id")
    items = [Item(n.title, n.get_absolute_url(), "", n.created_at) for n in shown[:SHORT_LIST]]
    return Entry("notify-unread", "未读通知", f"{reverse('core:notification-list')}?status=unread",
                 count=inbox.count(), items=items)
