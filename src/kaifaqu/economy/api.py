"""API of the enterprise register, the indicators with their figures, and submission tasks."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kaifaqu.core.access import scope_of
from kaifaqu.core.api import (
    CreateMixin,
    PatchMixin,
    ServiceViewSet,
    VersionedWriteSerializer,
    WriteSerializer,
    display_field,
    parse_query,
)

from . import industry, queries, services
from .apifields import amount_field, choice_field, industry_field
from .filters import EnterpriseFilter, IndicatorFilter, SubmissionFilter, TaskFilter, ValueFilter
from .models import (
    Enterprise,
    ExternalRanking,
    Indicator,
    IndicatorValue,
    PeriodKind,
    Status,
    Submission,
    SubmissionTask,
    TaskState,
)

TAGS = ["企业库与经济运行"]


class EnterpriseSerializer(serializers.ModelSerializer):
    zone_name = display_field("zone.name")
    park_name = display_field("park.name")
    status = choice_field(Status.choices, read_only=True)
    status_label = display_field("get_status_display")
    industry_label = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField(help_text="联系人；无权查看时为空")
    contact_phone = serializers.SerializerMethodField(help_text="联系电话（库中加密保存）；无权查看时为空")

    class Meta:
        model = Enterprise
        fields = ["id", "zone", "zone_name", "name", "uscc", "park", "park_name", "industry_code", "industry_label",
                  "status", "status_label", "above_size", "above_size_year", "employees", "land_mu", "contact_name",
                  "contact_phone", "registered_on", "version"]
        read_only_fields = fields

    def _contacts(self) -> bool:
        request = self.context.get("request")
        return scope_of(getattr(request, "user", None)).has("economy.view_contacts")

    def get_industry_label(self, obj) -> str:
        return industry.label(obj.industry_code)

    def get_contact_name(self, obj) -> str | None:
        return obj.contact_name if self._contacts() else None

    def get_contact_phone(self, obj) -> str | None:
        return obj.contact_phone if self._contacts() else None



class EnterpriseCreateSerializer(WriteSerializer):
    status = choice_field(Status.choices, required=False)
    industry_code = industry_field()
    land_mu = amount_field(10, 2, required=False, help_text="亩")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, help_text="联系电话")

    class Meta:
        model = Enterprise
        fields = ["zone", *sorted(services.ENTERPRISE_FIELDS - {"contact_phone"}), "contact_phone"]


class EnterpriseWriteSerializer(VersionedWriteSerializer):
    status = choice_field(Status.choices, required=False)
    industry_code = industry_field(required=False)
    land_mu = amount_field(10, 2, required=False, help_text="亩")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, help_text="联系电话")

    class Meta:
        model = Enterprise
        fields = [*sorted(services.ENTERPRISE_FIELDS - {"contact_phone"}), "contact_phone", "version"]


@extend_schema(tags=TAGS)
@extend_schema_view(list=extend_schema(summary="企业库"), retrieve=extend_schema(summary="企业"),
                    create=extend_schema(summary="登记企业"), partial_update=extend_schema(summary="修改企业信息"))
class EnterpriseViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """企业库：统一社会信用代码按 GB 32100-2015 校验；联系人仅对有权限的角色显示。"""

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    create_serializer_class = EnterpriseCreateSerializer
    write_serializer_class = EnterpriseWriteSerializer
    filterset_class = EnterpriseFilter
    ordering_fields = ["name", "employees", "id"]
    select_related = ("zone", "park")
    write_perm = "economy.change"
    create_parent = "zone"
    create_service = services.do_create_enterprise
    update_service = services.do_update_enterprise


class IndicatorSerializer(serializers.ModelSerializer):
    period_kind = choice_field(PeriodKind.choices, read_only=True)
    period_kind_label = display_field("get_period_kind_display")

    class Meta:
        model = Indicator
        fields = ["id", "zone", "code", "name", "unit", "period_kind", "period_kind_label", "cumulative", "key",
                  "sort", "version"]
        read_only_fields = fields


class IndicatorCreateSerializer(WriteSerializer):
    period_kind = choice_field(PeriodKind.choices, required=False)

    class Meta:
        model = Indicator
        fields = ["zone", *sorted(services.INDICATOR_FIELDS)]


class IndicatorWriteSerializer(VersionedWriteSerializer):
    period_kind = choice_field(PeriodKind.choices, required=False)

    class Meta:
        model = Indicator
        fields = [*sorted(services.INDICATOR_FIELDS), "version"]


class FiguresQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=1990, max_value=2100, help_text="年度")
    through = serializers.IntegerField(required=False, min_value=1, max_value=12,
                                       help_text="截至期别（1–N 期）；不填为该年已有数据的最后一期")


class ParkFigureSerializer(serializers.Serializer):
    park_id = serializers.IntegerField(allow_null=True)
    park = serializers.CharField()
    current = serializers.DecimalField(max_digits=24, decimal_places=4)
    previous = serializers.DecimalField(max_digits=24, decimal_places=4)
    growth = serializers.FloatField(allow_null=True, help_text="同比增长（小数，0.144 即 14.4%）")
    rank = serializers.IntegerField()


class RankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    enterprise_id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.DecimalField(max_digits=24, decimal_places=4)


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    through = serializers.IntegerField(allow_null=True)
    current = serializers.DecimalField(max_digits=24, decimal_places=4, help_text="本年 1–N 期合计")
    previous = serializers.DecimalField(max_digits=24, decimal_places=4, help_text="上年同期合计")
    growth = serializers.FloatField(allow_null=True, help_text="同比增长（小数）")
    parks = ParkFigureSerializer(many=True)
    ranking = RankSerializer(many=True)


def _num(value) -> str:
    return f"{value or 0:.4f}"


def _float(value):
    return None if value is None else float(value)


@extend_schema(tags=TAGS)
@extend_schema_view(list=extend_schema(summary="经济指标"), retrieve=extend_schema(summary="经济指标"),
                    create=extend_schema(summary="新增经济指标"), partial_update=extend_schema(summary="修改经济指标"))
class IndicatorViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """可配置的经济指标（单位、报告期、累计或当期）。"""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    create_serializer_class = IndicatorCreateSerializer
    write_serializer_class = IndicatorWriteSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["sort", "code", "id"]
    write_perm = "economy.manage"
    create_parent = "zone"
    create_service = services.do_create_indicator
    update_service = services.do_update_indicator

    @extend_schema(summary="指标合计、同比、园区合计与企业排名", parameters=[FiguresQuery],
                   responses={200: FiguresSerializer})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def figures(self, request, pk=None):
        indicator = self.get_object()
        params = parse_query(request, FiguresQuery)
        values = queries.values_of(indicator, request.user)
        through = params.get("through") or queries.latest_period(values, params["year"])
        if through is None:
            return Response({"year": params["year"], "through": None, "current": _num(0), "previous": _num(0),
                             "growth": None, "parks": [], "ranking": []})
        fig = queries.figure(values, indicator, params["year"], through)
        parks = queries.park_totals(values, indicator, params["year"], through)
        return Response({
            "year": params["year"], "through": through, "current": _num(fig["current"]),
            "previous": _num(fig["previous"]), "growth": _float(fig["growth"]),
            "parks": [{**p, "current": _num(p["current"]), "previous": _num(p["previous"]),
                       "growth": _float(p["growth"])} for p in parks],
            "ranking": [{**r, "total": _num(r["total"])} for r in queries.ranking(values, indicator, params["year"],
                                                                                  through)],
        })


class ValueSerializer(serializers.ModelSerializer):
    enterprise_name = display_field("enterprise.name")
    indicator_name = display_field("indicator.name")

    class Meta:
        model = IndicatorValue
        fields = ["id", "zone", "indicator", "indicator_name", "enterprise", "enterprise_name", "year", "period",
                  "value"]
        read_only_fields = fields


@extend_schema(tags=TAGS)
@extend_schema_view(list=extend_schema(summary="指标数值"), retrieve=extend_schema(summary="指标数值"))
class ValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """企业各期指标数值（由部门报送或统计导入写入）。"""

    queryset = IndicatorValue.objects.all()
    serializer_class = ValueSerializer
    filterset_class = ValueFilter
    ordering_fields = ["year", "period", "value", "id"]
    select_related = ("enterprise", "indicator")


class RankingSerializer(serializers.ModelSerializer):
    indicator_name = display_field("indicator.name")

    class Meta:
        model = ExternalRanking
        fields = ["id", "zone", "indicator", "indicator_name", "year", "period", "scope", "rank", "source"]
        read_only_fields = fields


class RankingCreateSerializer(WriteSerializer):
    class Meta:
        model = ExternalRanking
        fields = ["indicator", *sorted(services.RANKING_FIELDS)]


@extend_schema(tags=TAGS)
@extend_schema_view(list=extend_schema(summary="外部排名"), retrieve=extend_schema(summary="外部排名"),
                    create=extend_schema(summary="记录外部排名（如全市第3位）"))
class RankingViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """市、省通报的排名，按通报记录。"""

    queryset = ExternalRanking.objects.all()
    serializer_class = RankingSerializer
    create_serializer_class = RankingCreateSerializer
    select_related = ("indicator",)
    write_perm = "economy.manage"
    create_parent = "indicator"
    create_service = services.do_record_ranking


class TaskSerializer(serializers.ModelSerializer):
    indicator_name = display_field("indicator.name")
    org_name = display_field("org.name")
    period_label = serializers.CharField(read_only=True)
    state = choice_field(TaskState.choices, read_only=True)
    state_label = display_field("get_state_display")
    overdue = serializers.SerializerMethodField(help_text="逾期：报送晚于截止日期，或截止后仍未报送")

    class Meta:
        model = SubmissionTask
        fields = ["id", "zone", "indicator", "indicator_name", "org", "org_name", "year", "period", "period_label",
                  "issued_on", "workdays", "due_on", "state", "state_label", "submitted_at", "late", "overdue",
                  "note", "version"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.late or (obj.state == TaskState.OPEN and obj.due_on < timezone.localdate())


class TaskCreateSerializer(WriteSerializer):
    class Meta:
        model = SubmissionTask
        fields = ["indicator", "org", "year", "period", "workdays", "issued_on", "note"]
        extra_kwargs = {"issued_on": {"required": False}}


@extend_schema(tags=TAGS)
@extend_schema_view(list=extend_schema(summary="报送任务"), retrieve=extend_schema(summary="报送任务"),
                    create=extend_schema(summary="下达报送任务（截止日期按工作日计算）"))
class TaskViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """向部门下达的数据报送任务；部门通过导入（指标数据报送）上传工作簿。"""

    queryset = SubmissionTask.objects.all()
    serializer_class = TaskSerializer
    create_serializer_class = TaskCreateSerializer
    filterset_class = TaskFilter
    ordering_fields = ["due_on", "id"]
    select_related = ("indicator", "org")
    write_perm = "economy.manage"
    create_parent = "indicator"
    create_service = services.do_issue_task


class SubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = ["id", "zone", "task", "submitted_at", "by_name", "file_name", "created", "changed", "removed",
                  "late"]
        read_only_fields = fields


@extend_schema(tags=TAGS)
@extend_schema_view(list=extend_schema(summary="报送记录"), retrieve=extend_schema(summary="报送记录"))
class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """每次报送（含重新报送）的记录。"""

    queryset = Submission.objects.all()
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    ordering_fields = ["submitted_at", "id"]


ROUTES = [
    ("enterprises", EnterpriseViewSet, "enterprise"),
    ("indicators", IndicatorViewSet, "indicator"),
    ("indicator-values", ValueViewSet, "indicator-value"),
    ("external-rankings", RankingViewSet, "external-ranking"),
    ("submission-tasks", TaskViewSet, "submission-task"),
    ("submissions", SubmissionViewSet, "submission"),
]
