"""The 工作台 warns whoever maintains the calendar 60 days before it runs out."""

from django.urls import reverse

from kaifaqu.core import calendar
from kaifaqu.core.workbench import Entry, Kind


def calendar_expiry(user, scope, today):
    if not scope.has("calendar.manage"):
        return None
    message = calendar.expiry_warning(today)
    if not message:
        return None
    return Entry("calendar-expiry", "工作日历即将到期", reverse("core:override-list"), kind=Kind.ALERT,
                 message=message, link_label="去录入")
