import datetime

import django_filters
from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core import calendar, clock
from kaifaqu.core.access import require
from kaifaqu.core.api import ScopedQuerysetMixin
from kaifaqu.core.calendar import services as calendar_services
from kaifaqu.core.calendar.models import WorkdayOverride, WorkingPeriod
from kaifaqu.core.errors import InvalidInput, RuleViolation
from kaifaqu.core.tenancy import tenant_model


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
    if not (zone.isascii() and zone.isdigit()) or int(zone) not in request.user.scope.zone_ids:
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


class CalendarDayView(APIView):
    @extend_schema(parameters=[OpenApiParameter("date", str, required=True), ZONE],
                   responses=inline_serializer("WorkdayIs", {"date": serializers.DateField(),
                                                             "is_workday": serializers.BooleanField(),
                                                             "reason": serializers.CharField()}),
                   summary="某日是否工作日及原因", tags=["工作日历"])
    def get(self, request):
        d, zone = _date(request, "date"), _zone(request)
        try:
            return Response({"date": d, "is_workday": calendar.is_workday(d, zone),
                             "reason": calendar.day_reason(d, zone)})
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None


class CalendarCoverageView(APIView):
    @extend_schema(responses=inline_serializer("CalendarCoverage", {"known_until": serializers.DateField(),
                                                                    "days_left": serializers.IntegerField(),
                                                                    "warning": serializers.CharField()}),
                   summary="工作日历覆盖至何日", tags=["工作日历"],
                   description="days_left 为负表示今年的节假日安排尚未录入；warning 在剩余 60 天内给出提示，否则为空。")
    def get(self, request):
        from django.utils import timezone

        today = timezone.localdate()
        until = calendar.known_until(today)
        return Response({"known_until": until, "days_left": until.toordinal() - today.toordinal(),
                         "warning": calendar.expiry_warning(today)})


# Overrides and working hours: the API counterpart of the 工作日历调整 pages, through calendar_services. -------------

def _zone_object(user, value, field="zone"):
    """A zone id from a request body: None for platform-wide; an id outside the caller's zones is a bad field (400)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not (str(value).isascii() and str(value).isdigit()) or int(value) not in user.scope.zone_ids:
        raise InvalidInput("开发区无效。", fields={field: ["开发区无效。"]})
    zone = tenant_model().objects.filter(pk=int(value)).first()
    if zone is None:
        raise InvalidInput("开发区无效。", fields={field: ["开发区无效。"]})
    return zone


class OverrideSerializer(serializers.ModelSerializer):
    zone_name = serializers.SerializerMethodField()

    class Meta:
        model = WorkdayOverride
        fields = ["id", "date", "is_workday", "reason", "zone", "zone_name", "updated_at"]
        read_only_fields = fields

    def get_zone_name(self, obj) -> str:
        return obj.zone.name if obj.zone_id else "全平台"


class OverrideWriteSerializer(serializers.Serializer):
    date = serializers.DateField(label="日期")
    is_workday = serializers.BooleanField(label="当天是否上班")
    reason = serializers.CharField(label="原因", allow_blank=True, max_length=100)
    zone = serializers.IntegerField(label="开发区 ID（空为全平台）", required=False, allow_null=True)


class _IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class OverrideApiFilter(django_filters.FilterSet):
    year = _IntegerFilter(field_name="date__year", label="年份", min_value=1990, max_value=2100)
    zone = django_filters.CharFilter(method="filter_zone", label="开发区 ID，或 platform（全平台）")
    is_workday = django_filters.BooleanFilter(label="当天是否上班")

    class Meta:
        model = WorkdayOverride
        fields = ["year", "zone", "is_workday"]

    def filter_zone(self, queryset, name, value):
        if value == "platform":
            return queryset.filter(zone__isnull=True)
        if not (value.isascii() and value.isdigit()):
            raise ValidationError({"zone": ["须为开发区 ID 或 platform。"]})
        if len(value) > 12:  # no such zone; a huge integer overflows SQLite
            return queryset.none()
        return queryset.filter(zone_id=int(value))


class _ManageFirst:
    """calendar.manage is checked before any lookup or validation: other roles get 403, never 404 or 400."""

    manage_methods = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.manage_methods or request.method in self.manage_methods:
            require(request.user, "calendar.manage")


@extend_schema(tags=["工作日历"])
class WorkdayOverrideViewSet(_ManageFirst, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             viewsets.GenericViewSet):
    """工作日历调整（国务院通知的节假日与调休、各区的本区调整）。仅系统管理员（calendar.manage）。"""

    queryset = WorkdayOverride.objects.all()
    serializer_class = OverrideSerializer
    filterset_class = OverrideApiFilter
    select_related = ("zone",)
    ordering_fields = ["date"]

    @extend_schema(request=OverrideWriteSerializer, responses={201: OverrideSerializer},
                   summary="录入或修改某日调整（同一范围同一日期再次提交即修改）")
    def create(self, request):
        form = OverrideWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        zone = _zone_object(request.user, data.get("zone"))
        row = calendar_services.do_set_override(request.user, date=data["date"], is_workday=data["is_workday"],
                                                reason=data["reason"], zone=zone)
        return Response(OverrideSerializer(row).data, status=201)

    @extend_schema(request=inline_serializer("OverrideRemove", {"reason": serializers.CharField(required=False)}),
                   responses={204: None}, summary="删除调整（审计记录保留原内容）")
    def destroy(self, request, pk=None):
        row = self.get_object()
        reason = request.data.get("reason") if hasattr(request.data, "get") else None
        reason = str(reason or request.query_params.get("reason") or "接口删除")[:200]
        calendar_services.do_remove_override(request.user, row, reason=reason)
        return Response(status=204)


def _working_hours(zone_id):
    rows = WorkingPeriod.objects.filter(zone_id=zone_id) if zone_id else WorkingPeriod.objects.filter(zone__isnull=True)
    own = rows.exists()
    if own:
        source = "zone" if zone_id else "platform"
    elif zone_id and WorkingPeriod.objects.filter(zone__isnull=True).exists():
        source = "platform"
    else:
        source = "default"
    periods = [f"{lo:%H:%M}-{hi:%H:%M}" for lo, hi in calendar.working_periods(zone_id)]
    return {"zone": zone_id, "periods": periods, "own": own, "source": source}


WorkingHours = inline_serializer("WorkingHours", {
    "zone": serializers.IntegerField(allow_null=True), "periods": serializers.ListField(child=serializers.CharField()),
    "own": serializers.BooleanField(), "source": serializers.ChoiceField(choices=["zone", "platform", "default"])})


class WorkingHoursView(_ManageFirst, APIView):
    manage_methods = ("PUT",)

    @extend_schema(parameters=[OpenApiParameter("zone", int, required=False, description="开发区 ID；不填为全平台")],
                   responses=WorkingHours, summary="工作时间", tags=["工作日历"],
                   description="source：zone 本区自设、platform 采用全平台、default 采用默认 08:30-12:00、13:30-17:30；"
                               "own 表示所查范围是否有自己的工作时间表。")
    def get(self, request):
        return Response(_working_hours(_zone(request)))

    @extend_schema(request=inline_serializer("WorkingHoursSet", {
                       "zone": serializers.IntegerField(allow_null=True, required=False),
                       "periods": serializers.ListField(child=serializers.CharField())}),
                   responses=WorkingHours, summary="设置工作时间（空列表恢复为上级工作时间）", tags=["工作日历"])
    def put(self, request):
        data = request.data if hasattr(request.data, "get") else {}
        zone = _zone_object(request.user, data.get("zone"))
        items = data.get("periods")
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise InvalidInput("工作时间段须为列表，如 [\"08:30-12:00\", \"13:30-17:30\"]。",
                               fields={"periods": ["须为时间段列表，如 [\"08:30-12:00\", \"13:30-17:30\"]。"]})
        periods = calendar_services.parse_periods(",".join(items))
        calendar_services.do_set_working_hours(request.user, periods=periods, zone=zone)
        return Response(_working_hours(zone.pk if zone else None))


ROUTES = [("calendar/overrides", WorkdayOverrideViewSet, "calendar-override")]
