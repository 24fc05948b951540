"""The home page warns whoever maintains the calendar 60 days before it runs out."""

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
    return {"title": "工作日历即将到期", "template": "core/widget_calendar.html",
            "context": {"message": message, "url": reverse("core:override-list")}}
