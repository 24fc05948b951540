"""API of the whistle module: whistles (blow, list with filters, detail with the timeline, the zone's actions,
the unit figures) and assignments (the unit's actions). Action endpoints come from the state tables."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kaifaqu.core.api import ErrorSerializer, ServiceViewSet, StrictSerializer, VisibleRelatedField
from kaifaqu.core.clock.api import ClockSerializer
from kaifaqu.core.errors import InvalidInput, NotFound
from kaifaqu.core.workflow.api import WorkflowActionsMixin

from . import queries, services
from .filters import AssignmentFilter, WhistleFilter
from .models import Assignment, AssignmentRole, AssignmentState, Rating, Whistle, WhistleKind, WhistleState
from .periods import SCHEMA_PATTERN, PeriodError
from .workflow import ASSIGNMENT, WHISTLE


def code_field(choices, **kwargs):
    """A code shown as text with its values in the description: the schema names enum components by field name,
    and ``state`` or ``kind`` mean another set of values in every module."""
    codes = "、".join(f"{c} {label}" for c, label in choices)
    return serializers.CharField(read_only=True, help_text=f"{kwargs.pop('help_text', '代码')}：{codes}", **kwargs)


class AssignmentSerializer(serializers.ModelSerializer):
    role = code_field(AssignmentRole.choices)
    state = code_field(AssignmentState.choices)
    whistle_number = serializers.CharField(source="whistle.number", read_only=True)
    whistle_title = serializers.CharField(source="whistle.title", read_only=True)
    kind = code_field(WhistleKind.choices, source="whistle.kind", help_text="吹哨类别")
    org_name = serializers.CharField(source="org.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    report_clock = ClockSerializer(read_only=True, allow_null=True)
    plan_clock = ClockSerializer(read_only=True, allow_null=True)
    solve_clock = ClockSerializer(read_only=True, allow_null=True)
    time_left = serializers.SerializerMethodField(help_text="当前时限的剩余或超时时间（中文）")

    class Meta:
        model = Assignment
        fields = ["id", "whistle", "whistle_number", "whistle_title", "kind", "org", "org_name", "role",
                  "role_label", "state", "state_label", "dispatched_at", "reported_at", "reported_on_time",
                  "planned_at", "plan", "committed_date", "solved_at", "solved_on_time", "result", "returned_at",
                  "return_reason", "replaces", "report_clock", "plan_clock", "solve_clock", "time_left",
                  "ext_amount", "ext_reason", "ext_requested_at", "extensions", "urge_count", "supervise_count",
                  "escalated_at", "rework_count", "version"]
        read_only_fields = fields

    def get_time_left(self, obj) -> str:
        return queries.time_left(obj.current_clock, timezone.now())


class WhistleSerializer(serializers.ModelSerializer):
    kind = code_field(WhistleKind.choices)
    state = code_field(WhistleState.choices)
    rating = code_field(Rating.choices, help_text="评价（未评价为空）")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)
    park_name = serializers.CharField(source="park.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Whistle
        fields = ["id", "zone", "number", "kind", "kind_label", "title", "matter", "park", "park_name", "place",
                  "state", "state_label", "blower_name", "blower_org", "lead_proposed", "blown_at", "solved_at",
                  "visited_at", "rating", "rating_label", "rework_count", "escalated_at", "version"]
        read_only_fields = fields


class TimelineStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField(help_text="时间")
    label = serializers.CharField(help_text="步骤")
    actor = serializers.CharField(help_text="办理人（系统步骤为空或“demo”等）")
    unit = serializers.CharField(help_text="承办单位")
    note = serializers.CharField(help_text="说明")
    since_blow = serializers.CharField(help_text="距吹哨（工作日与小时）")
    kind = serializers.CharField(help_text="whistle / assignment / system")


class WhistleDetailSerializer(WhistleSerializer):
    description = serializers.CharField(read_only=True)
    visit_note = serializers.CharField(read_only=True)
    rating_comment = serializers.CharField(read_only=True)
    assignments = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(WhistleSerializer.Meta):
        fields = [*WhistleSerializer.Meta.fields, "description", "visit_note", "rating_comment", "assignments",
                  "timeline"]
        read_only_fields = fields

    def _assignments(self, obj):
        if not hasattr(obj, "_shown"):
            obj._shown = queries.assignments_of(self.context["request"].user, obj)
        return obj._shown

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, obj) -> list:
        return AssignmentSerializer(self._assignments(obj), many=True, context=self.context).data

    @extend_schema_field(TimelineStepSerializer(many=True))
    def get_timeline(self, obj) -> list:
        steps = queries.timeline(self.context["request"].user, obj, self._assignments(obj))
        return TimelineStepSerializer(steps, many=True).data


class BlowSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=WhistleKind.choices, label="类别")
    title = serializers.CharField(max_length=200, label="标题")
    description = serializers.CharField(max_length=10000, label="情况描述")
    matter = serializers.CharField(max_length=50, label="事项类别")
    park = VisibleRelatedField(queryset=None, required=False, allow_null=True, default=None, label="园区")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label="地点")
    lead = serializers.IntegerField(required=False, allow_null=True, default=None,
                                    label="牵头单位ID（不填则按责任清单建议）")
    supporters = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                       max_length=30, label="配合单位ID")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.apps import apps

        self.fields["park"].queryset = apps.get_model("org", "Park").objects.all()


class MetricsQuerySerializer(serializers.Serializer):
    period = serializers.CharField(max_length=7, help_text="2026、2026-Q3 或 2026-07")


class UnitFigureSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="单位ID")
    org_name = serializers.CharField(help_text="单位")
    rank = serializers.IntegerField(help_text="综合得分排名")
    received = serializers.IntegerField(help_text="接哨数")
    reported_on_time = serializers.IntegerField(help_text="按时报到数")
    response_rate = serializers.FloatField(allow_null=True, help_text="响应率 %")
    solved = serializers.IntegerField(help_text="已解决数")
    solve_rate = serializers.FloatField(allow_null=True, help_text="解决率 %")
    solved_on_time = serializers.IntegerField(help_text="按时办结数")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按时办结率 %")
    rated = serializers.IntegerField(help_text="参评数（牵头单位）")
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意率 %（基本满意按系数折算）")
    returned = serializers.IntegerField(help_text="退回数")
    return_rate = serializers.FloatField(allow_null=True, help_text="回退率 %")
    reworked = serializers.IntegerField(help_text="重办数")
    rework_rate = serializers.FloatField(allow_null=True, help_text="重办率 %")
    mean_workdays = serializers.FloatField(allow_null=True, help_text="平均解决用时（工作日，暂停不计）")
    urges = serializers.IntegerField(help_text="被催办次数")
    supervisions = serializers.IntegerField(help_text="被督办次数")
    score = serializers.FloatField(allow_null=True, help_text="综合得分")


class MetricsSerializer(serializers.Serializer):
    period = serializers.CharField()
    zone = serializers.IntegerField()
    units = UnitFigureSerializer(many=True)


PERIOD = {"type": "string", "pattern": SCHEMA_PATTERN}


@extend_schema_view(
    list=extend_schema(summary="吹哨列表", parameters=[OpenApiParameter("period", PERIOD,
                                                                        description="期间：2026、2026-Q3 或 2026-07")]),
    retrieve=extend_schema(summary="吹哨详情（含承办单位与时间线）", responses=WhistleDetailSerializer),
    create=extend_schema(summary="吹哨", request=BlowSerializer, responses={201: WhistleDetailSerializer}),
)
class WhistleViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """吹哨报到：开发区向牵头单位与配合单位吹哨。"""

    queryset = Whistle.objects.all()
    serializer_class = WhistleSerializer
    filterset_class = WhistleFilter
    ordering_fields = ["blown_at", "number", "id"]
    select_related = ("park",)
    write_perm = "whistle.dispatch"
    action_perms = {"create": "whistle.blow"}
    workflow = WHISTLE
    complete = None  # automatic (system) steps have no endpoint
    rework = None

    def get_serializer_class(self):
        if self.action == "retrieve":
            return WhistleDetailSerializer
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        data = self.validated(BlowSerializer)
        user = request.user
        zone = user.org.zone if user.org_id else None
        if zone is None:
            raise InvalidInput("您不属于任何开发区，不能吹哨。")
        whistle = services.do_blow(user, zone, **data)
        return Response(WhistleDetailSerializer(whistle, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def workflow_result(self, obj):
        return Whistle.objects.get(pk=obj.pk)

    @extend_schema(parameters=[OpenApiParameter("period", PERIOD, required=True,
                                                description="期间：2026、2026-Q3 或 2026-07")],
                   responses={200: MetricsSerializer, 400: ErrorSerializer, 403: ErrorSerializer,
                              404: ErrorSerializer}, summary="单位考核指标（接哨、响应率、解决率、按时办结率、满意率 …）")
    @action(detail=False, methods=["get"], url_path="metrics", filter_backends=[], pagination_class=None)
    def metrics(self, request):
        from kaifaqu.core.access import require

        require(request.user, "whistle.view_all")
        period = request.query_params.get("period", "")
        zone_id = request.user.org.zone_id if request.user.org_id else None
        if zone_id is None:
            raise NotFound("未找到开发区。")
        try:
            rows = queries.unit_figures(zone_id, period)
        except PeriodError as exc:
            raise InvalidInput(str(exc), fields={"period": [str(exc)]}) from None
        return Response(MetricsSerializer({"period": period, "zone": zone_id, "units": rows}).data)


@extend_schema_view(list=extend_schema(summary="承办列表（本单位的待办与已办）"), retrieve=extend_schema(summary="承办详情"))
class AssignmentViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """吹哨承办：每个被吹哨单位一条，各有报到、方案、解决时限。"""

    queryset = Assignment.objects.all()
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["dispatched_at", "id"]
    select_related = ("whistle", "org", "report_clock", "plan_clock", "solve_clock")
    write_perm = "whistle.act"
    workflow = ASSIGNMENT
    urge = None  # the ladder's steps and the rework are run by the system, not called
    supervise = None
    escalate = None
    rework = None

    def workflow_result(self, obj):
        return self.get_queryset().get(pk=obj.pk)


ROUTES = [
    ("whistles", WhistleViewSet, "whistle"),
    ("whistle-assignments", AssignmentViewSet, "whistle-assignment"),
]
