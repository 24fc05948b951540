"""The home page warns whoever maintains the calendar from 60 days before its official coverage ends (next year's
State Council notice not yet entered and confirmed)."""

from django.urls import reverse
from django.utils import timezone

from kaifaqu.core import calendar
from kaifaqu.core.access import scope_of
from kaifaqu.core.web.pages import register_widget


@register_widget
def calendar_expiry(request):
    if not scope_of(request.user).has("calendar.manage"):
        return None
    message = calendar.expiry_warning(timezone.localdate())
    if not message:
        return None
    return {"title": "下一年度节假日安排尚未录入", "template": "core/widget_calendar.html",
            "context": {"message": message, "url": reverse("core:override-list")}}
