"""The 工作台 warns whoever maintains the calendar from 60 days before its official coverage ends (next year's
State Council notice not yet entered and confirmed)."""

from django.urls import reverse

from kaifaqu.core import calendar
from kaifaqu.core.workbench import Entry, Kind


def calendar_expiry(user, scope, today):
    if not scope.has("calendar.manage"):
        return None
    message = calendar.expiry_warning(today)
    if not message:
        return None
    return Entry("calendar-expiry", "下一年度节假日安排尚未录入", reverse("core:override-list"), kind=Kind.ALERT,
                 message=message, link_label="去录入")
