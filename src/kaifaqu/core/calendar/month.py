"""The month view of the working-day calendar (节假日月历): one month as a grid, for every signed-in user.

Each day carries whether it is worked, why (holiday name, 调休上班, an override's reason) and where that comes from:
法定节假日 (the built-in official calendar), 国务院通知 (a platform-wide row entered from the State Council's notice,
or a 调休 day of the official calendar), 本区调整 (the zone's own row) or 预估 (a statutory day of a provisional year).
The page is read-only; the system administrator (``calendar.manage``) gets the links to enter overrides and to
confirm a year as published. ``GET /api/v1/calendar/month?year=&month=&zone=`` answers the same data as JSON.
"""

import datetime

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core import calendar
from kaifaqu.core.access import scope_of
from kaifaqu.core.api import parse_query
from kaifaqu.core.calendar.api import MonthQuery
from kaifaqu.core.calendar.models import WorkdayOverride
from kaifaqu.core.errors import RuleViolation
from kaifaqu.core.tenancy import tenant_model
from kaifaqu.core.web.views import PermRequiredMixin

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def _month_days(year: int, month: int, zone_id) -> list[dict]:
    d = datetime.date(year, month, 1)
    days = []
    while d.month == month:
        info = calendar.day_info(d, zone_id)
        info["weekend"] = d.weekday() >= 5
        info["weekday_label"] = WEEKDAYS[d.weekday()]
        days.append(info)
        d = datetime.date.fromordinal(d.toordinal() + 1)
    return days


def month_data(year: int, month: int, zone_id=None) -> dict:
    """The month as data: its status (official / provisional) and every day (see calendar.day_info). A year the
    calendar cannot compute raises CalendarYearUnknown."""
    status = calendar.year_status(year)
    return {"year": year, "month": month, "zone": zone_id, "status": status,
            "status_label": calendar.STATUS_LABELS[status], "days": _month_days(year, month, zone_id)}


def _weeks(days: list[dict]) -> list[list]:
    """Rows of seven cells (Monday first); cells outside the month are None."""
    cells = [None] * days[0]["date"].weekday() + list(days)
    cells += [None] * (-len(cells) % 7)
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def _number(value, lo, hi, default):
    if value in (None, ""):
        return default
    if not (str(value).isascii() and str(value).isdigit()) or not lo <= int(value) <= hi:
        return None
    return int(value)


class MonthView(PermRequiredMixin, View):
    """节假日月历: read-only for everyone signed in; the zone selector lists the zones the user sees."""

    model = WorkdayOverride  # what it shows of the database: the overrides of the zones the user sees
    template_name = "core/calendar_month.html"

    def get(self, request):
        today = timezone.localdate()
        zones = list(tenant_model().objects.visible_to(request.user).order_by("name"))
        year = _number(request.GET.get("year"), 1990, 2100, today.year)
        month = _number(request.GET.get("month"), 1, 12, today.month)
        zone_param = request.GET.get("zone")
        zone = None
        if zone_param is None:
            zone = zones[0] if zones else None
        elif zone_param:
            zone = next((z for z in zones if str(z.pk) == zone_param), None)
        error = ""
        if year is None or month is None:
            year, month, error = today.year, today.month, "年份或月份无效，已显示本月。"
        data, refused = None, ""
        try:
            data = month_data(year, month, zone.pk if zone else None)
        except calendar.CalendarYearUnknown as exc:
            refused = str(exc)
        scope = scope_of(request.user)
        manage = scope.has("calendar.manage")
        prev, nxt = _shift(year, month, -1), _shift(year, month, 1)
        zone_query = f"&zone={zone.pk}" if zone else "&zone="
        ctx = {
            "title": "节假日月历", "breadcrumbs": (("节假日月历", None),),
            "year": year, "month": month, "data": data, "refused": refused, "error": error,
            "weeks": _weeks(data["days"]) if data else [], "weekdays": WEEKDAYS,
            "special": [d for d in data["days"] if d["source"]] if data else [],
            "zones": zones, "zone": zone,
            "prev_url": f"?year={prev[0]}&month={prev[1]}{zone_query}" if prev[0] >= 1990 else "",
            "next_url": f"?year={nxt[0]}&month={nxt[1]}{zone_query}" if nxt[0] <= 2100 else "",
            "today_url": f"?year={today.year}&month={today.month}{zone_query}",
            "months": range(1, 13), "today": today,
            "manage": manage,
            "override_url": reverse("core:override-create") if manage else "",
            "confirm_url": (reverse("core:calendar-confirm-year") + f"?year={year}"
                            if manage and data and data["status"] == calendar.PROVISIONAL else ""),
            "coverage_warning": calendar.expiry_warning(today) if manage else "",
            "official_until": calendar.known_until(today),
        }
        return render(request, self.template_name, ctx)


class MonthDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_workday = serializers.BooleanField()
    reason = serializers.CharField()
    source = serializers.ChoiceField(choices=["", *calendar.SOURCE_LABELS])
    source_label = serializers.CharField()
    provisional = serializers.BooleanField()


class MonthApiView(APIView):
    model = WorkdayOverride  # what it shows of the database: the overrides of the zones the user sees
    schema_error_statuses = (422,)  # a year the calendar does not know (calendar_year_unknown)

    @extend_schema(parameters=[MonthQuery],
                   responses=inline_serializer("CalendarMonth", {
                       "year": serializers.IntegerField(), "month": serializers.IntegerField(),
                       "zone": serializers.IntegerField(allow_null=True),
                       "status": serializers.ChoiceField(choices=[calendar.OFFICIAL, calendar.PROVISIONAL]),
                       "status_label": serializers.CharField(), "days": MonthDaySerializer(many=True)}),
                   summary="一个月的工作日历", tags=["工作日历"],
                   description="source：statutory 法定节假日、notice 国务院通知、zone 本区调整、provisional 预估（按法定节假日"
                               "预估，该年度节假日安排尚未正式发布），普通工作日与周末为空；status 为 provisional 时"
                               "全月均为预估。超出预估范围的年份返回 422（calendar_year_unknown）。")
    def get(self, request):
        query = parse_query(request, MonthQuery)
        year, month, zone = query["year"], query["month"], query["zone"]
        try:
            data = month_data(year, month, zone)
        except calendar.CalendarYearUnknown as exc:
            raise RuleViolation(str(exc), code="calendar_year_unknown") from None
        days = [{"date": d["date"], "is_workday": d["is_workday"], "reason": d["reason"], "source": d["source"],
                 "source_label": d["source_label"], "provisional": d["provisional"]} for d in data["days"]]
        return Response({**data, "days": days})
