import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import calendar, clock
from .errors import InvalidInput, RuleViolation


def _date(request, name):
    value = request.query_params.get(name, "")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("日期格式无效。", fields={name: ["日期应为 YYYY-MM-DD。"]}) from None


def _int(request, name, lo, hi):
    try:
        value = int(request.query_params.get(name, ""))
    except ValueError:
        raise InvalidInput("须为整数。", fields={name: ["须为整数。"]}) from None
    if not lo <= value <= hi:
        raise InvalidInput(f"须在 {lo} 到 {hi} 之间。", fields={name: [f"须在 {lo} 到 {hi} 之间。"]})
    return value


def _zone(request):
    zone = request.query_params.get("zone")
    if not zone:
        return None
    if not zone.isdigit() or int(zone) not in request.user.scope.zone_ids:
        raise InvalidInput("开发区无效。", fields={"zone": ["开发区无效。"]})
    return int(zone)


def _unknown(exc):
    return RuleViolation(str(exc), code="calendar_year_unknown")


ZONE = OpenApiParameter("zone", int, required=False, description="开发区 ID（采用该区的调整）")


class CalendarAddView(APIView):
    @extend_schema(parameters=[OpenApiParameter("date", str, required=True), OpenApiParameter("days", int, required=True),
                               ZONE],
                   responses=inline_serializer("WorkdaysAdd", {"date": serializers.DateField(),
                                                               "days": serializers.IntegerField(),
                                                               "result": serializers.DateField()}),
                   summary="第 N 个工作日", tags=["工作日历"])
    def get(self, request):
        d, n, zone = _date(request, "date"), _int(request, "days", 0, 2500), _zone(request)
        try:
            return Response({"date": d, "days": n, "result": calendar.add_workdays(d, n, zone)})
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None


class CalendarBetweenView(APIView):
    @extend_schema(parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("end", str, required=True),
                               ZONE],
                   responses=inline_serializer("WorkdaysBetween", {"start": serializers.DateField(),
                                                                   "end": serializers.DateField(),
                                                                   "workdays": serializers.IntegerField()}),
                   summary="区间内工作日数 (start, end]", tags=["工作日历"])
    def get(self, request):
        a, b, zone = _date(request, "start"), _date(request, "end"), _zone(request)
        try:
            return Response({"start": a, "end": b, "workdays": calendar.workdays_between(a, b, zone)})
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None


class CalendarDeadlineView(APIView):
    @extend_schema(parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("limit", int, required=True),
                               OpenApiParameter("unit", str, required=True,
                                                enum=["workdays", "days", "workhours", "hours"],
                                                description="workdays 工作日、days 自然日、workhours 工作小时、hours 自然小时"),
                               OpenApiParameter("pause", str, many=True, description="FROM/TO，可多次"), ZONE],
                   responses=inline_serializer("Deadline", {"due_at": serializers.DateTimeField()}),
                   summary="时限到期时间", tags=["工作日历"])
    def get(self, request):
        from django.utils import timezone

        def dt(text, field):
            try:
                value = datetime.datetime.fromisoformat(text)
            except ValueError:
                raise InvalidInput("时间格式无效。", fields={field: ["应为 ISO 8601 时间，如 2026-02-13T10:00。"]}) from None
            return clock.check_moment(value, field)  # naive = Asia/Shanghai; 1990–2100

        unit = request.query_params.get("unit", "")
        if unit not in clock.MAX_LIMIT:
            raise InvalidInput("单位无效。", fields={"unit": [f"须为 {clock.UNITS_TEXT}。"]})
        limit = _int(request, "limit", 1, clock.MAX_LIMIT[unit])
        start = dt(request.query_params.get("start", ""), "start")
        pauses = []
        for item in request.query_params.getlist("pause"):
            lo, slash, hi = item.partition("/")
            if not slash:
                raise InvalidInput("暂停区间应写作 FROM/TO。", fields={"pause": ["暂停区间应写作 FROM/TO。"]})
            lo, hi = dt(lo, "pause"), dt(hi, "pause")
            if hi < lo:
                raise InvalidInput("暂停结束早于开始。", fields={"pause": ["暂停结束早于开始。"]})
            pauses.append((lo, hi))
        try:
            due = clock.compute(unit, limit, start, pauses, 0, _zone(request))
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None
        return Response({"due_at": timezone.localtime(due.due_at).isoformat()})
