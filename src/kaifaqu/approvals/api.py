"""API of APPROVE-1 … 7: serializers and viewsets, thin (validate, call a service, serialize).

Related objects are written and read as ids with ``*_name`` labels; an id the caller may not see is refused like one
that does not exist. Lists run a fixed number of queries whatever the page size.
"""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from kaifaqu.core.access import require
from kaifaqu.core.api import (
    CoreAutoSchema,
    CreateMixin,
    PatchMixin,
    ScopedQuerysetMixin,
    ServiceViewSet,
    StrictSerializer,
    VersionedWriteSerializer,
    VisibleRelatedField,
    WriteSerializer,
    display_field,
)
from kaifaqu.core.errors import InvalidInput
from kaifaqu.core.workflow.api import WorkflowActionsMixin

from . import queries, services
from .filters import (
    CaseFilter,
    MaterialFilter,
    ParcelFilter,
    PostCheckFilter,
    ProjectFilter,
    ServiceItemFilter,
    WindowFilter,
)
from .models import (
    INDICATORS,
    Case,
    CaseMaterial,
    CaseState,
    CheckState,
    Material,
    Parcel,
    PostCheck,
    Project,
    ProjectAgent,
    ServiceItem,
    Window,
)
from .workflow import CASE, CHECK, acts_as_agent

TAG = "一站式审批"

AMOUNT_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,2})?$"


class AmountField(serializers.RegexField):
    """An amount in 元 written as plain digits with up to two decimals ("1200", "80.50"): the schema states exactly
    what is accepted (a decimal field's pattern would also admit "", "-" or non-ASCII digits)."""

    pattern = AMOUNT_PATTERN
    message = "金额须为不含符号的数字，最多两位小数。"

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": self.message})
        super().__init__(self.pattern, **kwargs)

    def to_internal_value(self, data):
        import re
        from decimal import Decimal

        value = super().to_internal_value(data)
        if not re.fullmatch(self.pattern, value, flags=re.ASCII):  # checked before the conversion (validators run after)
            self.fail("invalid")
        return Decimal(value)


class IndicatorField(AmountField):
    """A 标准地 indicator value: plain digits, up to two decimals."""

    pattern = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
    message = "指标须为不含符号的数字，最多两位小数。"


# Windows -------------------------------------------------------------------------------------------------------

class WindowSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True, help_text="进驻事项数")

    class Meta:
        model = Window
        fields = ["id", "zone", "number", "name", "duties", "item_count", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Window")
class WindowCreateSerializer(WriteSerializer):
    class Meta:
        model = Window
        fields = ["zone", "number", "name", "duties"]


@extend_schema_serializer(component_name="Window")
class WindowWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = Window
        fields = ["number", "name", "duties", "version"]


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="新增服务窗口"), partial_update=extend_schema(summary="修改服务窗口"))
class WindowViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """政务服务中心的窗口。"""

    queryset = Window.objects.all()
    serializer_class = WindowSerializer
    create_serializer_class = WindowCreateSerializer
    write_serializer_class = WindowWriteSerializer
    filterset_class = WindowFilter
    ordering_fields = ["number", "name"]
    write_perm = "approvals.manage"
    create_parent = "zone"
    create_service = services.do_create_window
    update_service = services.do_update_window

    def get_queryset(self):
        return super().get_queryset().annotate(item_count=Count("items", filter=Q(items__is_active=True)))


# Catalogue -----------------------------------------------------------------------------------------------------

class MaterialSerializer(serializers.ModelSerializer):
    form_label = display_field("get_form_display")

    class Meta:
        model = Material
        fields = ["id", "item", "name", "form", "form_label", "count", "required", "may_follow", "note", "sort",
                  "version"]
        read_only_fields = fields


class ServiceItemSerializer(serializers.ModelSerializer):
    department_name = display_field("department.name")
    window_name = display_field("window.name")
    stage_label = display_field("get_stage_display")
    handling_label = display_field("get_handling_display")
    materials = MaterialSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceItem
        fields = ["id", "zone", "code", "name", "department", "department_name", "window", "window_name", "stage",
                  "stage_label", "legal_limit", "promised_limit", "fee", "fee_basis", "handling", "handling_label",
                  "power_code", "commitment", "conditions", "basis", "is_active", "materials", "version"]
        read_only_fields = fields


_ITEM_WRITE = sorted(services.ITEM_FIELDS)


@extend_schema_serializer(component_name="ServiceItem")
class ServiceItemCreateSerializer(WriteSerializer):
    fee = AmountField(label="收费标准（元）", required=False)

    class Meta:
        model = ServiceItem
        fields = ["zone", *_ITEM_WRITE]


@extend_schema_serializer(component_name="ServiceItem")
class ServiceItemWriteSerializer(VersionedWriteSerializer):
    fee = AmountField(label="收费标准（元）", required=False)

    class Meta:
        model = ServiceItem
        fields = [*_ITEM_WRITE, "version"]


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="新增政务服务事项"),
                    partial_update=extend_schema(summary="修改政务服务事项"))
class ServiceItemViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """政务服务事项目录（含一次性告知的申请材料）。"""

    queryset = ServiceItem.objects.all()
    serializer_class = ServiceItemSerializer
    create_serializer_class = ServiceItemCreateSerializer
    write_serializer_class = ServiceItemWriteSerializer
    filterset_class = ServiceItemFilter
    ordering_fields = ["code", "name", "stage"]
    select_related = ("department", "window")
    prefetch_related = ("materials",)
    write_perm = "approvals.manage"
    create_parent = "zone"
    create_service = services.do_create_item
    update_service = services.do_update_item


@extend_schema_serializer(component_name="Material")
class MaterialCreateSerializer(WriteSerializer):
    class Meta:
        model = Material
        fields = ["item", *sorted(services.MATERIAL_FIELDS)]


@extend_schema_serializer(component_name="Material")
class MaterialWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = Material
        fields = [*sorted(services.MATERIAL_FIELDS), "version"]


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="新增申请材料"), partial_update=extend_schema(summary="修改申请材料"))
class MaterialViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """事项的申请材料（一次性告知清单）。"""

    queryset = Material.objects.all()
    serializer_class = MaterialSerializer
    create_serializer_class = MaterialCreateSerializer
    write_serializer_class = MaterialWriteSerializer
    filterset_class = MaterialFilter
    ordering_fields = ["sort", "name"]
    write_perm = "approvals.manage"
    create_parent = "item"
    create_service = services.do_add_material
    update_service = services.do_update_material


# Cases ---------------------------------------------------------------------------------------------------------

_STATES = "、".join(f"{v}（{label}）" for v, label in CaseState.choices)


class CaseSerializer(serializers.ModelSerializer):
    # A plain string in the schema: "state" enums of several modules would collide in the component names.
    state = serializers.CharField(read_only=True, help_text=f"状态：{_STATES}")
    item_name = display_field("item.name")
    applicant_name = display_field("applicant.name")
    state_label = display_field("get_state_display")

    class Meta:
        model = Case
        fields = ["id", "zone", "number", "item", "item_name", "project", "applicant", "applicant_name", "title",
                  "state", "state_label", "applied_at", "accepted_at", "decided_at", "closed_at", "conditional",
                  "deferred_due_at", "deferred_supplied_at", "decision_no", "extension_days", "pledged_at",
                  "on_commitment", "version"]
        read_only_fields = fields


class CaseApplySerializer(StrictSerializer):
    item = VisibleRelatedField(queryset=ServiceItem.objects.all(), label="事项")
    project = VisibleRelatedField(queryset=Project.objects.all(), label="所属项目", required=False, allow_null=True)
    title = serializers.CharField(label="申请事由", max_length=200)


class CaseAppliedSerializer(CaseSerializer):
    query_code = serializers.CharField(read_only=True, help_text="查询码（仅在申请时返回一次，用于公开查询进度）")

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "query_code"]
        read_only_fields = fields


class CaseMaterialUploadSerializer(serializers.Serializer):
    material = serializers.IntegerField(label="申请材料", min_value=1)
    file = serializers.FileField(label="文件")


class CaseMaterialSerializer(serializers.ModelSerializer):
    material_name = display_field("material.name")

    class Meta:
        model = CaseMaterial
        fields = ["id", "case", "material", "material_name", "attachment", "deferred", "provided_at"]
        read_only_fields = fields


@extend_schema(tags=[TAG])
@extend_schema_view(list=extend_schema(summary="办件列表"), retrieve=extend_schema(summary="办件详情"))
class CaseViewSet(WorkflowActionsMixin, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """审批办件：申请、受理（含容缺受理）、补正、延期、决定、办结。"""

    queryset = Case.objects.all()
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["applied_at", "number"]
    select_related = ("item", "applicant")
    workflow = CASE
    schema = CoreAutoSchema()

    @extend_schema(request=CaseApplySerializer, responses={201: CaseAppliedSerializer}, summary="申请办件（企业）")
    def create(self, request, *args, **kwargs):
        if not acts_as_agent(request.user):  # a 帮办代办 agent applies for a project assigned to them
            require(request.user, "approvals.apply")
        serializer = CaseApplySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case, code = services.do_apply(request.user, data["item"], title=data["title"], project=data.get("project"))
        case.query_code = code
        return Response(CaseAppliedSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": CaseMaterialUploadSerializer},
                   responses={201: CaseMaterialSerializer}, summary="提交办件材料（企业）")
    @action(detail=True, methods=["post"], url_path="materials", parser_classes=[MultiPartParser, FormParser])
    def materials(self, request, pk=None):
        case = self.get_object()  # 404 outside the scope before the service's permission check (403)
        serializer = CaseMaterialUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        material = Material.objects.filter(pk=serializer.validated_data["material"], item_id=case.item_id).first()
        if material is None:
            raise InvalidInput("材料不属于该事项。", fields={"material": ["材料不属于该事项。"]})
        row = services.do_provide_material(request.user, case, material, serializer.validated_data["file"])
        return Response(CaseMaterialSerializer(row).data, status=status.HTTP_201_CREATED)


# Projects ------------------------------------------------------------------------------------------------------

class ApprovalProjectSerializer(serializers.ModelSerializer):
    enterprise_name = display_field("enterprise.name")
    kind_label = display_field("get_kind_display")

    class Meta:
        model = Project
        fields = ["id", "zone", "code", "name", "enterprise", "enterprise_name", "park", "kind", "kind_label",
                  "investment", "land_transferred_on", "fast_start", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Project")
class ProjectCreateSerializer(WriteSerializer):
    investment = AmountField(label="总投资（元）", required=False)

    class Meta:
        model = Project
        fields = ["zone", *sorted(services.PROJECT_FIELDS)]


class TimelineRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="事项")
    item_name = serializers.CharField()
    case = serializers.IntegerField(allow_null=True, help_text="办件（合并办理时为满足该事项的办件）")
    via = serializers.CharField(help_text="combined 合并办理、assessed 区域评估，或空")
    done = serializers.BooleanField(help_text="已满足")
    used = serializers.IntegerField(allow_null=True, help_text="已用工作日（暂停不计）")
    limit = serializers.IntegerField(help_text="承诺时限（工作日）")


class TimelineStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    complete = serializers.BooleanField()
    used = serializers.IntegerField(help_text="该阶段用时（工作日，并联事项只计一次）")
    rows = TimelineRowSerializer(many=True)


class TimelineSerializer(serializers.Serializer):
    used = serializers.IntegerField(help_text="项目用时（工作日，暂停不计，并联事项只计一次）")
    limit = serializers.IntegerField(help_text="全流程上限（120 个工作日）")
    complete = serializers.BooleanField()
    completed_on = serializers.DateField(allow_null=True)
    current = serializers.CharField(help_text="当前阶段")
    stages = TimelineStageSerializer(many=True)


def _timeline_data(timeline):
    return {**{k: timeline[k] for k in ("used", "limit", "complete", "completed_on", "current")},
            "stages": [{"stage": s["stage"], "label": s["label"], "complete": s["complete"], "used": s["used"],
                        "rows": [{"item": r["item"].pk, "item_name": r["item"].name,
                                  "case": r["case"].pk if r["case"] else None, "via": r["via"], "done": r["done"],
                                  "used": r["used"], "limit": r["limit"]} for r in s["rows"]]}
                       for s in timeline["stages"]]}


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="登记建设项目"))
class ProjectViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """建设项目：四个阶段的并联审批。"""

    queryset = Project.objects.all()
    serializer_class = ApprovalProjectSerializer
    create_serializer_class = ProjectCreateSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["code", "name"]
    select_related = ("enterprise",)
    write_perm = "approvals.manage"
    create_parent = "zone"
    create_service = services.do_create_project

    @extend_schema(responses={200: TimelineSerializer}, summary="项目审批时间轴（各阶段事项、用时与时限）")
    @action(detail=True, methods=["get"], url_path="timeline", filter_backends=[])
    def timeline(self, request, pk=None):
        return Response(TimelineSerializer(_timeline_data(queries.project_timeline(self.get_object()))).data)


# 告知承诺制 post-checks -------------------------------------------------------------------------------------------

_CHECK_STATES = "、".join(f"{v}（{label}）" for v, label in CheckState.choices)


class PostCheckSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=f"状态：{_CHECK_STATES}")
    state_label = display_field("get_state_display")
    case_number = display_field("case.number")
    department_name = display_field("department.name")
    consequence = serializers.CharField(read_only=True, help_text="处理结果：revoke（撤销审批决定）、rectify（限期整改）、other（其他）")
    consequence_label = display_field("get_consequence_display")
    overdue = serializers.SerializerMethodField(help_text="待核查且已超过核查期限")

    class Meta:
        model = PostCheck
        fields = ["id", "zone", "case", "case_number", "department", "department_name", "state", "state_label",
                  "created_at", "due_at", "overdue", "checked_at", "checked_by", "consequence", "consequence_label",
                  "findings", "version"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return queries.check_overdue(obj)


@extend_schema(tags=[TAG])
@extend_schema_view(list=extend_schema(summary="承诺事项核查列表"), retrieve=extend_schema(summary="承诺事项核查详情"))
class PostCheckViewSet(WorkflowActionsMixin, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """告知承诺制审批后的核查：核查通过，或核查不通过并登记处理结果。"""

    queryset = PostCheck.objects.all()
    serializer_class = PostCheckSerializer
    filterset_class = PostCheckFilter
    ordering_fields = ["due_at", "created_at"]
    select_related = ("case", "department")
    workflow = CHECK
    schema = CoreAutoSchema()


# 标准地 ------------------------------------------------------------------------------------------------------------

class ShortfallSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="指标")
    label = serializers.CharField()
    unit = serializers.CharField()
    higher_is_better = serializers.BooleanField(help_text="是：实际值不得低于承诺值；否：不得高于")
    committed = serializers.DecimalField(max_digits=12, decimal_places=2)
    actual = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    short = serializers.BooleanField(help_text="未达标")
    gap = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True, help_text="差距（指标单位）")
    gap_pct = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True, help_text="差距占承诺值的百分比")


_COMMITTED = [f"committed_{stem}" for stem, *_ in INDICATORS]
_ACTUAL = [f"actual_{stem}" for stem, *_ in INDICATORS]


class ParcelSerializer(serializers.ModelSerializer):
    project_name = display_field("project.name")
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = Parcel
        fields = ["id", "zone", "project", "project_name", "code", "location", "area_mu", "transferred_on",
                  *_COMMITTED, "accepted_on", *_ACTUAL, "shortfall_count", "indicators", "version"]
        read_only_fields = fields

    @extend_schema_field(ShortfallSerializer(many=True))
    def get_indicators(self, obj):
        return ShortfallSerializer(queries.indicator_rows(obj), many=True).data


def _indicator_fields(names, **kwargs):
    from .models import Parcel as P

    return {name: IndicatorField(label=P._meta.get_field(name).verbose_name, **kwargs) for name in names}


ParcelCreateSerializer = extend_schema_serializer(component_name="Parcel")(type("ParcelCreateSerializer", (WriteSerializer,), {
    **_indicator_fields(_COMMITTED, required=False),
    "area_mu": IndicatorField(label="面积（亩）"),
    "Meta": type("Meta", (), {"model": Parcel, "fields": ["project", "code", "location", "area_mu",
                                                           "transferred_on", *_COMMITTED]}),
}))

ParcelActualsSerializer = type("ParcelActualsSerializer", (StrictSerializer,), {
    **_indicator_fields(_ACTUAL, required=False),
    "accepted_on": serializers.DateField(label="竣工验收日期"),
    "version": serializers.IntegerField(required=False, min_value=1, help_text="读取时的版本号；已被他人修改时返回 409。"),
})


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="登记标准地地块（出让时的承诺指标）"))
class ParcelViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """标准地：出让时的承诺指标与竣工验收时的实际值，未达标的指标及差距。"""

    queryset = Parcel.objects.all()
    serializer_class = ParcelSerializer
    create_serializer_class = ParcelCreateSerializer
    filterset_class = ParcelFilter
    ordering_fields = ["code", "shortfall_count"]
    select_related = ("project",)
    write_perm = "approvals.manage"
    create_parent = "project"
    create_service = services.do_record_parcel

    @extend_schema(request=ParcelActualsSerializer, responses={200: ParcelSerializer},
                   summary="登记竣工验收实际指标")
    @action(detail=True, methods=["post"], url_path="actuals", filter_backends=[])
    def actuals(self, request, pk=None):
        parcel = self.get_object()
        data = self.validated(ParcelActualsSerializer)
        version = data.pop("version", None)
        return self.respond(services.do_record_actuals(request.user, parcel, accepted_on=data.pop("accepted_on"),
                                                       version=version, **data))


# 帮办代办 agents ---------------------------------------------------------------------------------------------------

class ProjectAgentSerializer(serializers.ModelSerializer):
    project_name = display_field("project.name")
    agent_name = display_field("agent.get_full_name")

    class Meta:
        model = ProjectAgent
        fields = ["id", "zone", "project", "project_name", "agent", "agent_name", "assigned_at", "assigned_by",
                  "ended_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="ProjectAgent")
class ProjectAgentCreateSerializer(WriteSerializer):
    class Meta:
        model = ProjectAgent
        fields = ["project", "agent"]


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="指派帮办代办员"))
class ProjectAgentViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """帮办代办：为项目指派的代办员，代企业申请、提交与补正材料（审计同时记录代办员与被代办企业）。"""

    queryset = ProjectAgent.objects.all()
    serializer_class = ProjectAgentSerializer
    create_serializer_class = ProjectAgentCreateSerializer
    ordering_fields = ["assigned_at"]
    select_related = ("project", "agent")
    write_perm = "approvals.manage"
    create_parent = "project"
    create_service = services.do_assign_agent

    @extend_schema(request=None, responses={200: ProjectAgentSerializer}, summary="结束帮办代办")
    @action(detail=True, methods=["post"], url_path="end", filter_backends=[])
    def end(self, request, pk=None):
        return self.respond(services.do_end_agent(request.user, self.get_object()))


ROUTES = [
    ("approval-checks", PostCheckViewSet, "approval-check"),
    ("approval-parcels", ParcelViewSet, "approval-parcel"),
    ("approval-agents", ProjectAgentViewSet, "approval-agent"),
    ("approval-projects", ProjectViewSet, "approval-project"),
    ("approval-cases", CaseViewSet, "approval-case"),
    ("approval-windows", WindowViewSet, "approval-window"),
    ("approval-items", ServiceItemViewSet, "approval-item"),
    ("approval-materials", MaterialViewSet, "approval-material"),
]
