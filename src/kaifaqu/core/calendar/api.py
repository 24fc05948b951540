import datetime

import django_filters
from django import forms
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core import calendar, clock, zones
from kaifaqu.core.access import require
from kaifaqu.core.api import RULE, ScopedQuerysetMixin, ZoneField, parse_query
from kaifaqu.core.calendar import services as calendar_services
from kaifaqu.core.calendar.models import WorkdayOverride, WorkingPeriod
from kaifaqu.core.errors import InvalidInput, RuleViolation

# Query parameters ----------------------------------------------------------------------------------------------


def _date_field():
    return serializers.DateField(input_formats=["iso-8601"], error_messages={"invalid": "日期应为 YYYY-MM-DD。"})


def _int_field(lo, hi):
    message = f"须在 {lo} 到 {hi} 之间。"
    return serializers.IntegerField(min_value=lo, max_value=hi, error_messages={
        "invalid": "须为整数。", "min_value": message, "max_value": message, "max_string_length": "须为整数。"})


class MomentField(serializers.Field):
    """A start or pause time: ISO 8601, naive = Asia/Shanghai, between 1990 and 2100 (``clock.check_moment``)."""

    default_error_messages = {"invalid": "应为 ISO 8601 时间，如 2026-02-13T10:00。"}

    def to_internal_value(self, data):
        try:
            value = datetime.datetime.fromisoformat(str(data))
        except ValueError:
            self.fail("invalid")
        try:
            return clock.check_moment(value, self.field_name)
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.detail) from None


class ZoneQuery(serializers.Serializer):
    zone = ZoneField(required=False, default=None, help_text="开发区 ID（采用该区的调整）")


class MonthQuery(ZoneQuery):
    year = _int_field(1990, 2100)
    month = _int_field(1, 12)


class AddQuery(ZoneQuery):
    date = _date_field()
    days = _int_field(0, 2500)


class BetweenQuery(ZoneQuery):
    start = _date_field()
    end = _date_field()


class DayQuery(ZoneQuery):
    date = _date_field()


class DeadlineQuery(ZoneQuery):
    unit = serializers.ChoiceField(choices=list(clock.MAX_LIMIT), error_messages={
        "invalid_choice": f"须为 {clock.UNITS_TEXT}。", "required": f"须为 {clock.UNITS_TEXT}。"})
    limit = serializers.IntegerField(error_messages={"invalid": "须为整数。", "max_string_length": "须为整数。"})
    start = MomentField()
    pause = serializers.ListField(child=serializers.CharField(allow_blank=True, trim_whitespace=False),
                                  required=False, default=list)

    def validate_pause(self, items):
        pauses = []
        for item in items:
            lo, slash, hi = item.partition("/")
            if not slash:
                raise serializers.ValidationError("暂停区间应写作 FROM/TO。")
            field = MomentField()
            field.bind("pause", self)
            pauses.append((field.to_internal_value(lo), field.to_internal_value(hi)))
        return pauses

    def validate(self, data):
        # Checked once every field is valid, so a bad zone alone answers 400 and a reversed pause alone 422.
        if any(hi < lo for lo, hi in data.get("pause", ())):
            raise serializers.ValidationError({"pause": ["暂停结束早于开始。"]}, code=RULE)
        top = clock.MAX_LIMIT[data["unit"]]
        if not 1 <= data["limit"] <= top:
            raise serializers.ValidationError({"limit": [f"须在 1 到 {top} 之间。"]},
                                              code=RULE if 1 <= data["limit"] <= max(clock.MAX_LIMIT.values()) else None)
        return data


def _unknown(exc):
    return RuleViolation(str(exc), code="calendar_year_unknown")


# A moment as the API reads it: ISO 8601 date and time to the minute or second, 1990–2100, naive = Asia/Shanghai.
_MOMENT = r"(199[1-9]|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?"
MOMENT = {"type": "string", "pattern": f"^{_MOMENT}$", "example": "2026-02-13T10:00"}
PAUSE = {"type": "string", "pattern": f"^{_MOMENT}/{_MOMENT}$", "example": "2026-02-13T10:00/2026-02-14T10:00"}
# The largest limit of any unit; each unit's own ceiling (LIMITS_TEXT) is a rule across limit and unit: 422.
LIMIT = {"type": "integer", "minimum": 1, "maximum": max(clock.MAX_LIMIT.values())}
LIMITS_TEXT = "、".join(f"{unit} ≤ {top}" for unit, top in clock.MAX_LIMIT.items())
ZONE = OpenApiParameter("zone", int, required=False, description="开发区 ID（采用该区的调整）")


class CalendarAddView(APIView):
    schema_error_statuses = (422,)  # a year the calendar does not know (calendar_year_unknown)

    @extend_schema(parameters=[AddQuery],
                   responses=inline_serializer("WorkdaysAdd", {"date": serializers.DateField(),
                                                               "days": serializers.IntegerField(),
                                                               "result": serializers.DateField(),
                                                               "provisional": serializers.BooleanField()}),
                   summary="第 N 个工作日", tags=["工作日历"])
    def get(self, request):
        q = parse_query(request, AddQuery)
        d, n, zone = q["date"], q["days"], q["zone"]
        try:
            result = calendar.add_workdays(d, n, zone)
            return Response({"date": d, "days": n, "result": result,
                             "provisional": calendar.touches_provisional(d, result)})
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None


class CalendarBetweenView(APIView):
    schema_error_statuses = (422,)  # a year the calendar does not know (calendar_year_unknown)

    @extend_schema(parameters=[BetweenQuery],
                   responses=inline_serializer("WorkdaysBetween", {"start": serializers.DateField(),
                                                                   "end": serializers.DateField(),
                                                                   "workdays": serializers.IntegerField()}),
                   summary="区间内工作日数 (start, end]", tags=["工作日历"])
    def get(self, request):
        q = parse_query(request, BetweenQuery)
        a, b, zone = q["start"], q["end"], q["zone"]
        try:
            return Response({"start": a, "end": b, "workdays": calendar.workdays_between(a, b, zone)})
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None


class CalendarDeadlineView(APIView):
    schema_error_statuses = (422,)  # a year the calendar does not know (calendar_year_unknown)

    @extend_schema(parameters=[OpenApiParameter("start", MOMENT, required=True, description=MomentField.__doc__),
                               OpenApiParameter("limit", LIMIT, required=True,
                                                description="时限数量，上限依 unit 而定：" + LIMITS_TEXT),
                               OpenApiParameter("unit", str, required=True,
                                                enum=["workdays", "days", "workhours", "hours", "minutes"],
                                                description="workdays 工作日、days 自然日、workhours 工作小时、hours 自然小时、"
                                                            "minutes 分钟"),
                               OpenApiParameter("pause", {"type": "array", "items": PAUSE}, description="FROM/TO，可多次"), ZONE],
                   responses=inline_serializer("Deadline", {"due_at": serializers.DateTimeField(),
                                                            "provisional": serializers.BooleanField()}),
                   description="provisional 为 true（预估）表示计算经过节假日安排尚未正式发布的年份，按法定节假日预估。",
                   summary="时限到期时间", tags=["工作日历"])
    def get(self, request):
        from django.utils import timezone

        q = parse_query(request, DeadlineQuery)
        try:
            due = clock.compute(q["unit"], q["limit"], q["start"], q["pause"], 0, q["zone"])
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None
        return Response({"due_at": timezone.localtime(due.due_at).isoformat(), "provisional": due.provisional})


class CalendarDayView(APIView):
    schema_error_statuses = (422,)  # a year the calendar does not know (calendar_year_unknown)

    @extend_schema(parameters=[DayQuery],
                   responses=inline_serializer("WorkdayIs", {"date": serializers.DateField(),
                                                             "is_workday": serializers.BooleanField(),
                                                             "reason": serializers.CharField()}),
                   summary="某日是否工作日及原因", tags=["工作日历"])
    def get(self, request):
        q = parse_query(request, DayQuery)
        d, zone = q["date"], q["zone"]
        try:
            return Response({"date": d, "is_workday": calendar.is_workday(d, zone),
                             "reason": calendar.day_reason(d, zone)})
        except calendar.CalendarYearUnknown as exc:
            raise _unknown(exc) from None


class CalendarCoverageView(APIView):
    @extend_schema(responses=inline_serializer("CalendarCoverage", {"known_until": serializers.DateField(),
                                                                    "days_left": serializers.IntegerField(),
                                                                    "provisional_until": serializers.DateField(),
                                                                    "warning": serializers.CharField()}),
                   summary="工作日历正式覆盖至何日", tags=["工作日历"],
                   description="known_until：正式安排（国务院办公厅通知）覆盖至何日；days_left 为负表示今年的节假日安排"
                               "尚未正式录入；provisional_until：按法定节假日预估至何日；warning 在剩余 60 天内给出"
                               "提示，否则为空。")
    def get(self, request):
        from django.utils import timezone

        today = timezone.localdate()
        until = calendar.known_until(today)
        return Response({"known_until": until, "days_left": until.toordinal() - today.toordinal(),
                         "provisional_until": datetime.date(max(calendar.horizon(), until.year), 12, 31),
                         "warning": calendar.expiry_warning(today)})


# Overrides and working hours: the API counterpart of the 工作日历调整 pages, through calendar_services. -------------

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
    reason = serializers.CharField(label="原因", max_length=100, error_messages={"blank": "请填写原因。"})
    zone = serializers.IntegerField(label="开发区 ID（空为全平台）", required=False, allow_null=True)


@extend_schema_field({"type": "integer", "minimum": 1990, "maximum": 2100})
class _YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class OverrideApiFilter(django_filters.FilterSet):
    year = _YearFilter(field_name="date__year", label="年份", min_value=1990, max_value=2100)
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
        zone = zones.resolve_zone_object(request.user, data.get("zone"), required=False)
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


PERIOD_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$"  # 08:30-12:00


class WorkingHoursView(_ManageFirst, APIView):
    manage_methods = ("PUT",)

    @extend_schema(parameters=[OpenApiParameter("zone", int, required=False, description="开发区 ID；不填为全平台")],
                   responses=WorkingHours, summary="工作时间", tags=["工作日历"],
                   description="source：zone 本区自设、platform 采用全平台、default 采用默认 08:30-12:00、13:30-17:30；"
                               "own 表示所查范围是否有自己的工作时间表。")
    def get(self, request):
        return Response(_working_hours(parse_query(request, ZoneQuery)["zone"]))

    @extend_schema(request=inline_serializer("WorkingHoursSet", {
                       "zone": serializers.IntegerField(allow_null=True, required=False),
                       "periods": serializers.ListField(child=serializers.RegexField(PERIOD_PATTERN),
                                                        max_length=calendar_services.MAX_PERIODS)}),
                   responses=WorkingHours, summary="设置工作时间（空列表恢复为上级工作时间）", tags=["工作日历"])
    def put(self, request):
        data = request.data if hasattr(request.data, "get") else {}
        zone = zones.resolve_zone_object(request.user, data.get("zone"), required=False)
        items = data.get("periods")
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise InvalidInput("工作时间段须为列表，如 [\"08:30-12:00\", \"13:30-17:30\"]。",
                               fields={"periods": ["须为时间段列表，如 [\"08:30-12:00\", \"13:30-17:30\"]。"]})
        periods = calendar_services.parse_periods(",".join(items))
        calendar_services.do_set_working_hours(request.user, periods=periods, zone=zone)
        return Response(_working_hours(zone.pk if zone else None))


ROUTES = [("calendar/overrides", WorkdayOverrideViewSet, "calendar-override")]
