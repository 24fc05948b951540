"""API of APPROVE-1 … 7: serializers and viewsets, thin (validate, call a service, serialize).

Related objects are written and read as ids with ``*_name`` labels; an id the caller may not see is refused like one
that does not exist. Lists run a fixed number of queries whatever the page size.
"""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
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
from .filters import CaseFilter, MaterialFilter, ProjectFilter, ServiceItemFilter, WindowFilter
from .models import Case, CaseMaterial, CaseState, Material, Project, ServiceItem, Window
from .workflow import CASE

TAG = "一站式审批"

AMOUNT_PATTERN = r"^[0-9]{1,14}(\.[0-9]{1,2})?$"


class AmountField(serializers.RegexField):
    """An amount in 元 written as plain digits with up to two decimals ("1200", "80.50"): the schema states exactly
    what is accepted (a decimal field's pattern would also admit "", "-" or non-ASCII digits)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": "金额须为不含符号的数字，最多两位小数。"})
        super().__init__(AMOUNT_PATTERN, **kwargs)

    def to_internal_value(self, data):
        import re
        from decimal import Decimal

        value = super().to_internal_value(data)
        if not re.fullmatch(AMOUNT_PATTERN, value, flags=re.ASCII):  # checked before the conversion (validators run after)
            self.fail("invalid")
        return Decimal(value)


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
                  "deferred_due_at", "deferred_supplied_at", "decision_no", "extension_days", "version"]
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


ROUTES = [
    ("approval-projects", ProjectViewSet, "approval-project"),
    ("approval-cases", CaseViewSet, "approval-case"),
    ("approval-windows", WindowViewSet, "approval-window"),
    ("approval-items", ServiceItemViewSet, "approval-item"),
    ("approval-materials", MaterialViewSet, "approval-material"),
]
