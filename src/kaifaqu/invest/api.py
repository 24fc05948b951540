"""API of investment projects: the pipeline with its stage actions, the summary by tier, service logs, settings."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kaifaqu.core import zones
from kaifaqu.core.api import (
    CreateMixin,
    PatchMixin,
    ServiceViewSet,
    VersionedWriteSerializer,
    WriteSerializer,
    ZoneField,
    display_field,
    parse_query,
)
from kaifaqu.core.workflow.api import WorkflowActionsMixin
from kaifaqu.economy.apifields import amount_field, choice_field, industry_field

from . import queries, services
from .filters import ProjectFilter, ServiceLogFilter
from .models import InvestSettings, LogKind, Project, ServiceLog, Source
from .workflow import PROJECT

AMOUNT_HELP = "单位：元（页面以万元/亿元显示）"


class ProjectSerializer(serializers.ModelSerializer):
    zone_name = display_field("zone.name")
    park_name = display_field("park.name")
    responsible_org_name = display_field("responsible_org.name")
    state_label = display_field("get_state_display")
    source_label = display_field("get_source_display")
    industry_label = serializers.SerializerMethodField()
    signed_amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, allow_null=True,
                                             help_text=AMOUNT_HELP)
    invested_amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True,
                                               help_text=AMOUNT_HELP)
    source = choice_field(Source.choices, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "zone", "zone_name", "name", "investor", "park", "park_name", "industry_code",
                  "industry_label", "chain_tags", "source", "source_label", "source_detail", "responsible_org",
                  "responsible_org_name", "responsible_person", "paired_leader", "enterprise_name", "signed_amount",
                  "invested_amount", "state", "state_label", "lead_on", "negotiating_on", "signed_on", "land_on",
                  "started_on", "producing_on", "dropped_on", "drop_reason", "stage_on", "description", "version"]
        read_only_fields = fields

    def get_industry_label(self, obj) -> str:
        from kaifaqu.economy import industry

        return industry.label(obj.industry_code)


class ProjectCreateSerializer(WriteSerializer):
    invested_amount = amount_field(required=False, help_text=AMOUNT_HELP)
    industry_code = industry_field()
    source = choice_field(Source.choices, required=False)

    class Meta:
        model = Project
        fields = ["zone", "lead_on", *sorted(services.PROJECT_FIELDS)]
        extra_kwargs = {"lead_on": {"required": False}}


class ProjectWriteSerializer(VersionedWriteSerializer):
    invested_amount = amount_field(required=False, help_text=AMOUNT_HELP)
    industry_code = industry_field(required=False)
    source = choice_field(Source.choices, required=False)

    class Meta:
        model = Project
        fields = [*sorted(services.PROJECT_FIELDS), "version"]


class SummaryQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100,
                                    help_text="签约年度；不填为全部年度")
    zone = ZoneField(required=False, help_text="开发区；不填为可见的全部开发区")


class TierSerializer(serializers.Serializer):
    tier = serializers.CharField(help_text="档次：tier1…tier4、other，合计为 total")
    label = serializers.CharField(help_text="档次名称，如“10亿元及以上”")
    count = serializers.IntegerField(help_text="项目数")
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, help_text=AMOUNT_HELP)


class SummarySerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True, help_text="签约年度；全部年度为空")
    tiers = TierSerializer(many=True)
    total = TierSerializer()


def _tier(row):
    return {"tier": row.tier, "label": row.label, "count": row.count, "amount": f"{row.amount:.2f}"}


@extend_schema(tags=["招商引资"])
@extend_schema_view(list=extend_schema(summary="招商项目列表"), retrieve=extend_schema(summary="招商项目"),
                    create=extend_schema(summary="新增招商项目（线索）"), partial_update=extend_schema(summary="修改招商项目"))
class ProjectViewSet(WorkflowActionsMixin, CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     ServiceViewSet):
    """招商项目：线索 → 洽谈 → 已签约 → 已供地 → 已开工 → 已投产（或终止）。金额单位为元。"""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    create_serializer_class = ProjectCreateSerializer
    write_serializer_class = ProjectWriteSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["signed_on", "signed_amount", "name", "stage_on", "id"]
    select_related = ("zone", "park", "responsible_org")
    write_perm = "invest.change"
    create_parent = "zone"
    create_service = services.do_create_project
    update_service = services.do_update_project
    workflow = PROJECT

    @extend_schema(summary="签约项目按档次汇总", parameters=[SummaryQuery], responses={200: SummarySerializer},
                   description="指定年度签约（未终止）项目的个数与签约金额（元），按各开发区设置的档次及合计。")
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request):
        params = parse_query(request, SummaryQuery)
        qs = self.get_queryset()
        zone_ids = sorted(zones.user_zones(request.user).values_list("pk", flat=True)) \
            if params.get("zone") is None else [params["zone"]]
        if params.get("zone") is not None:
            qs = qs.filter(zone_id=params["zone"])
        result = queries.tiers(qs, params.get("year"), zone_ids=zone_ids)
        return Response({"year": params.get("year"), "tiers": [_tier(r) for r in result["tiers"]],
                         "total": _tier(result["total"])})


class ServiceLogSerializer(serializers.ModelSerializer):
    project_name = display_field("project.name")
    kind_label = display_field("get_kind_display")
    kind = choice_field(LogKind.choices, read_only=True)

    class Meta:
        model = ServiceLog
        fields = ["id", "zone", "project", "project_name", "kind", "kind_label", "date", "content", "by_name",
                  "created_at", "whistle_id", "whistle_number"]
        read_only_fields = fields
        extra_kwargs = {"whistle_id": {"help_text": "问题转为吹哨后的吹哨 ID（吹哨报到模块）"},
                        "whistle_number": {"help_text": "吹哨编号"}}


class ServiceLogCreateSerializer(WriteSerializer):
    kind = choice_field(LogKind.choices)

    class Meta:
        model = ServiceLog
        fields = ["project", "kind", "date", "content", "by_name"]
        extra_kwargs = {"by_name": {"required": False}}


@extend_schema(tags=["招商引资"])
@extend_schema_view(list=extend_schema(summary="项目服务记录列表"), retrieve=extend_schema(summary="项目服务记录"),
                    create=extend_schema(summary="登记项目服务（走访、问题、帮扶）"))
class ServiceLogViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """项目全生命周期服务记录。"""

    queryset = ServiceLog.objects.all()
    serializer_class = ServiceLogSerializer
    create_serializer_class = ServiceLogCreateSerializer
    filterset_class = ServiceLogFilter
    ordering_fields = ["date", "id"]
    select_related = ("project",)
    write_perm = "invest.change"
    create_parent = "project"
    create_service = services.do_add_log


class InvestSettingsSerializer(serializers.ModelSerializer):
    zone_name = display_field("zone.name")

    class Meta:
        model = InvestSettings
        fields = ["id", "zone", "zone_name", "tier1_yi", "tier2_yi", "tier3_yi", "tier4_yi", "stuck_days", "version"]
        read_only_fields = fields


class InvestSettingsWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = InvestSettings
        fields = [*sorted(services.SETTINGS_FIELDS), "version"]


@extend_schema(tags=["招商引资"])
@extend_schema_view(list=extend_schema(summary="招商设置列表"), retrieve=extend_schema(summary="招商设置"),
                    partial_update=extend_schema(summary="修改档次标准与停滞天数"))
class InvestSettingsViewSet(PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """各开发区的签约档次标准（亿元）与停滞天数。"""

    queryset = InvestSettings.objects.all()
    serializer_class = InvestSettingsSerializer
    write_serializer_class = InvestSettingsWriteSerializer
    select_related = ("zone",)
    write_perm = "invest.settings"

    @staticmethod
    def update_service(actor, obj, version=None, **changes):
        return services.do_update_settings(actor, obj.zone, version=version, **changes)


ROUTES = [
    ("investment-projects", ProjectViewSet, "investment-project"),
    ("investment-service-logs", ServiceLogViewSet, "investment-service-log"),
    ("investment-settings", InvestSettingsViewSet, "investment-settings"),
]
