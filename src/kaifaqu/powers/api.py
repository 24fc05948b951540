"""API of POWER-1, POWER-4 and POWER-3: thin serializers and viewsets over the services.

Related objects are written and read as ids, with ``*_name`` read-only labels; an id the caller may not see is
refused exactly like one that does not exist. Lists run a fixed number of queries whatever the page size.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core.access import get_visible_or_404, require
from kaifaqu.core.api import (
    ERROR_RESPONSES,
    CreateMixin,
    PatchMixin,
    ServiceViewSet,
    StrictSerializer,
    VersionedWriteSerializer,
    VisibleRelatedField,
    WriteSerializer,
    ZoneField,
    display_field,
)
from kaifaqu.core.workflow.api import WorkflowActionsMixin

from . import queries, services
from .filters import BatchFilter, ListVersionFilter, PowerItemFilter, StandardItemFilter
from .models import Batch, Holding, ListVersion, PowerItem, PowerKind, StandardItem
from .workflow import LIST

TAG = "权责清单"


def _zone(zone):
    if zone is None:
        from kaifaqu.core.errors import InvalidInput

        raise InvalidInput("请指定开发区。", fields={"zone": ["请指定开发区。"]})
    return zone


class LegalBasisSerializer(serializers.Serializer):
    law = serializers.CharField(label="法律法规", max_length=200)
    article = serializers.CharField(label="条", max_length=30, required=False, allow_blank=True, default="")
    clause = serializers.CharField(label="款", max_length=30, required=False, allow_blank=True, default="")
    item = serializers.CharField(label="项", max_length=30, required=False, allow_blank=True, default="")


class PowerItemSerializer(serializers.ModelSerializer):
    power_type = serializers.ChoiceField(source="kind", choices=PowerKind.choices, read_only=True, allow_blank=True,
                                         help_text="事项类型（十类行政权力与公共服务）；空为未填")
    power_type_label = display_field("get_kind_display")
    holding_label = display_field("get_holding_display")
    batch_name = display_field("batch.name")
    is_custom = serializers.BooleanField(read_only=True, help_text="自有事项（未从标准目录认领）")
    duties = serializers.ListField(source="duty_list", child=serializers.CharField(), read_only=True)
    accountability = serializers.ListField(source="accountability_list", child=serializers.CharField(),
                                           read_only=True)
    legal_bases = LegalBasisSerializer(many=True, read_only=True)

    class Meta:
        model = PowerItem
        fields = ["id", "zone", "list_version", "standard", "is_custom", "code", "name", "sub_name", "power_type",
                  "power_type_label", "basis", "legal_bases", "implementing_body", "undertaking_unit", "exercise_basis",
                  "duties", "accountability", "supervision_phone", "holding", "holding_label", "holding_doc_no",
                  "holding_doc_date", "batch", "batch_name", "effective_on", "note", "version"]
        read_only_fields = fields



# Standard catalogue ------------------------------------------------------------------------------------------

class StandardItemSerializer(serializers.ModelSerializer):
    power_type = serializers.ChoiceField(source="kind", choices=PowerKind.choices, read_only=True)
    power_type_label = display_field("get_kind_display")

    class Meta:
        model = StandardItem
        fields = ["id", "zone", "code", "name", "sub_name", "power_type", "power_type_label", "basis", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="StandardItem")
class StandardItemCreateSerializer(WriteSerializer):
    power_type = serializers.ChoiceField(label="事项类型", source="kind", choices=PowerKind.choices)

    class Meta:
        model = StandardItem
        fields = ["zone", "code", "name", "sub_name", "power_type", "basis"]


class ClaimSerializer(StrictSerializer):
    implementing_body = serializers.CharField(label="实施主体", max_length=150, required=False, allow_blank=True)
    undertaking_unit = serializers.CharField(label="承办机构", max_length=150, required=False, allow_blank=True)
    exercise_basis = serializers.CharField(label="行使依据", max_length=5000, required=False, allow_blank=True)
    duties = serializers.ListField(label="责任事项", child=serializers.CharField(max_length=500), required=False,
                                   max_length=50)
    accountability = serializers.ListField(label="追责情形", child=serializers.CharField(max_length=500),
                                           required=False, max_length=50)
    supervision_phone = serializers.CharField(label="监督电话", max_length=40, required=False, allow_blank=True)
    holding = serializers.ChoiceField(label="行使方式", choices=Holding.choices, required=False)
    holding_doc_no = serializers.CharField(label="授权文号", max_length=100, required=False, allow_blank=True)
    holding_doc_date = serializers.DateField(label="授权日期", required=False, allow_null=True)
    batch = VisibleRelatedField(label="赋权批次", queryset=Batch.objects.all(), required=False, allow_null=True)
    effective_on = serializers.DateField(label="生效日期", required=False, allow_null=True)
    note = serializers.CharField(label="备注", max_length=300, required=False, allow_blank=True)
    legal_bases = LegalBasisSerializer(label="设定依据（结构化）", many=True, required=False, max_length=20)


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="新增标准事项（系统管理员）"),
                    claim=extend_schema(request=ClaimSerializer, responses={201: PowerItemSerializer},
                                        summary="认领标准事项到本开发区清单草稿"))
class StandardItemViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """省级标准事项目录。"""

    queryset = StandardItem.objects.all()
    serializer_class = StandardItemSerializer
    create_serializer_class = StandardItemCreateSerializer
    filterset_class = StandardItemFilter
    ordering_fields = ["code", "name"]
    write_perm = "powers.catalogue"
    action_perms = {"claim": "powers.change"}
    create_parent = "zone"
    create_service = services.do_create_standard

    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        standard = self.get_object()
        data = self.validated(ClaimSerializer)
        item = services.do_claim(request.user, standard, **data)
        return Response(PowerItemSerializer(item, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# Batches -----------------------------------------------------------------------------------------------------

class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Batch
        fields = ["id", "zone", "name", "document_no", "document_date", "effective_on", "note", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Batch")
class BatchCreateSerializer(WriteSerializer):
    class Meta:
        model = Batch
        fields = ["zone", *sorted(services.BATCH_FIELDS)]


@extend_schema_serializer(component_name="Batch")
class BatchWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = Batch
        fields = sorted(services.BATCH_FIELDS) + ["version"]


class CountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class BatchCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="事项数（最新发布版本，尚未发布时为草稿）")
    by_kind = CountSerializer(many=True)
    by_holding = CountSerializer(many=True)


def _counts(rows):
    return [{"code": c, "label": label, "count": n} for c, label, n in rows]


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(summary="新增赋权批次"), partial_update=extend_schema(summary="修改赋权批次"),
                    counts=extend_schema(responses=BatchCountsSerializer, summary="批次事项按类型和行使方式计数"))
class BatchViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """赋权批次（如第一批赋权 35 项），附赋权文号与日期。"""

    queryset = Batch.objects.all()
    serializer_class = BatchSerializer
    create_serializer_class = BatchCreateSerializer
    write_serializer_class = BatchWriteSerializer
    filterset_class = BatchFilter
    ordering_fields = ["name", "document_date"]
    write_perm = "powers.change"
    create_parent = "zone"
    create_service = services.do_create_batch
    update_service = services.do_update_batch

    @action(detail=True, methods=["get"], filter_backends=[])
    def counts(self, request, pk=None):
        c = queries.batch_counts(self.get_object())
        return Response({"total": c["total"], "by_kind": _counts(c["by_kind"]),
                         "by_holding": _counts(c["by_holding"])})


# Items -------------------------------------------------------------------------------------------------------

class _ItemFields(ClaimSerializer):
    code = serializers.CharField(label="事项编码", max_length=64)
    name = serializers.CharField(label="事项名称", max_length=200)
    sub_name = serializers.CharField(label="子项名称", max_length=200, required=False, allow_blank=True)
    power_type = serializers.ChoiceField(label="事项类型", source="kind", choices=PowerKind.choices, required=False,
                                         allow_blank=True)
    basis = serializers.CharField(label="设定依据", max_length=5000, required=False, allow_blank=True)


@extend_schema_serializer(component_name="PowerItem")
class PowerItemCreateSerializer(_ItemFields):
    zone = ZoneField(label="开发区", as_object=True)


@extend_schema_serializer(component_name="PowerItem")
class PowerItemWriteSerializer(_ItemFields):
    version = serializers.IntegerField(required=False, min_value=1, write_only=True,
                                       help_text="读取时的版本号；已被他人修改时返回 409。")


class RemoveSerializer(StrictSerializer):
    reason = serializers.CharField(label="原因", max_length=500, required=False, allow_blank=True, default="")


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(request=PowerItemCreateSerializer, summary="新增自有事项（写入清单草稿）"),
                    partial_update=extend_schema(request=PowerItemWriteSerializer,
                                                 summary="修改事项（仅草稿；认领事项的标准字段不可改）"),
                    remove=extend_schema(request=RemoveSerializer, responses={204: None}, summary="从草稿移出事项"))
class PowerItemViewSet(PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """权力事项（按清单版本）。"""

    queryset = PowerItem.objects.all()
    serializer_class = PowerItemSerializer
    write_serializer_class = PowerItemWriteSerializer
    filterset_class = PowerItemFilter
    ordering_fields = ["code", "name", "kind"]
    select_related = ("batch",)
    write_perm = "powers.change"
    update_service = services.do_update_item

    def create(self, request, *args, **kwargs):
        data = self.validated(PowerItemCreateSerializer)
        zone = _zone(data.pop("zone"))
        return self.respond(services.do_create_item(request.user, zone, **data), status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        item = self.get_object()
        data = self.validated(RemoveSerializer)
        services.do_remove_item(request.user, item, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Versions ----------------------------------------------------------------------------------------------------

class ListVersionSerializer(serializers.ModelSerializer):
    state_label = display_field("get_state_display")
    author_name = display_field("author.name")
    reviewer_name = display_field("reviewer.name")

    class Meta:
        model = ListVersion
        fields = ["id", "zone", "seq", "title", "state", "state_label", "based_on", "author", "author_name",
                  "reviewer", "reviewer_name", "publish_no", "published_on", "created_at", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="ListVersion")
class ListVersionCreateSerializer(StrictSerializer):
    zone = ZoneField(label="开发区", as_object=True)
    title = serializers.CharField(label="标题", max_length=150, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="ListVersion")
class ListVersionWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = ListVersion
        fields = ["title", "version"]


class DiffItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    sub_name = serializers.CharField()
    kind = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class ChangedItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    changes = FieldChangeSerializer(many=True)


class DiffSerializer(serializers.Serializer):
    old = serializers.IntegerField(source="old.pk")
    new = serializers.IntegerField(source="new.pk")
    added = DiffItemSerializer(many=True)
    removed = DiffItemSerializer(many=True)
    changed = ChangedItemSerializer(many=True)


class DiffQuery(serializers.Serializer):
    against = serializers.IntegerField(min_value=1, max_value=2147483647, required=False)


@extend_schema(tags=[TAG])
@extend_schema_view(
    create=extend_schema(request=ListVersionCreateSerializer, summary="新建清单草稿（复制最新发布版本的事项）"),
    partial_update=extend_schema(summary="修改草稿标题"),
    diff=extend_schema(parameters=[OpenApiParameter("against", OpenApiTypes.INT, description="比对的旧版本 id；"
                                                     "默认为本版本所基于的版本")],
                       responses={200: DiffSerializer, 400: ERROR_RESPONSES[400], 422: ERROR_RESPONSES[422]},
                       summary="两个版本的差异（新增、移出、逐字段变化）"),
)
class ListVersionViewSet(WorkflowActionsMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         ServiceViewSet):
    """权责清单版本：草稿 → 提交审核 → 审核通过 → 发布；发布后不可更改。"""

    queryset = ListVersion.objects.all()
    serializer_class = ListVersionSerializer
    write_serializer_class = ListVersionWriteSerializer
    filterset_class = ListVersionFilter
    ordering_fields = ["seq"]
    select_related = ("author", "reviewer")
    write_perm = "powers.change"
    update_service = services.do_update_version
    workflow = LIST

    def create(self, request, *args, **kwargs):
        data = self.validated(ListVersionCreateSerializer)
        zone = _zone(data.pop("zone"))
        return self.respond(services.do_start_draft(request.user, zone, **data), status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], filter_backends=[])
    def diff(self, request, pk=None):
        from kaifaqu.core.api import parse_query
        from kaifaqu.core.errors import RuleViolation

        new = self.get_object()
        against = parse_query(request, DiffQuery).get("against")
        if against is None:
            if new.based_on_id is None:
                raise RuleViolation("该版本没有基于的版本，请指定比对版本（against）。")
            against = new.based_on_id
        old = get_visible_or_404(ListVersion.objects.all(), request.user, pk=against)
        return Response(DiffSerializer(queries.diff(old, new)).data)


ROUTES = [
    ("power-standards", StandardItemViewSet, "power-standard"),
    ("power-batches", BatchViewSet, "power-batch"),
    ("power-items", PowerItemViewSet, "power-item"),
    ("power-versions", ListVersionViewSet, "power-version"),
]


# The responsibility matrix (POWER-3) -------------------------------------------------------------------------

from kaifaqu.org.models import Org, Park  # noqa: E402  (the matrix names the zone's parks and units)

from .models import Area, AreaKind, Assignment, Duty, Matter  # noqa: E402


class AreaSerializer(serializers.ModelSerializer):
    kind_label = display_field("get_kind_display")

    class Meta:
        model = Area
        fields = ["id", "zone", "kind", "kind_label", "name", "park", "street", "sort", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Area")
class AreaCreateSerializer(StrictSerializer):
    zone = ZoneField(label="开发区", as_object=True)
    kind = serializers.ChoiceField(label="区域类型", choices=AreaKind.choices)
    name = serializers.CharField(label="区域名称", max_length=100)
    park = VisibleRelatedField(label="园区", queryset=Park.objects.all(), required=False, allow_null=True)
    street = VisibleRelatedField(label="属地镇街", queryset=Org.objects.all(), required=False, allow_null=True)
    sort = serializers.IntegerField(label="排序", min_value=0, max_value=10000, required=False, default=0)


class MatterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Matter
        fields = ["id", "zone", "name", "sort", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Matter")
class MatterCreateSerializer(StrictSerializer):
    zone = ZoneField(label="开发区", as_object=True)
    name = serializers.CharField(label="事项", max_length=100)
    sort = serializers.IntegerField(label="排序", min_value=0, max_value=10000, required=False, default=0)


class ResponsibilityAssignmentSerializer(serializers.ModelSerializer):
    duty_label = display_field("get_duty_display")
    org_name = display_field("org.name")
    matter_name = display_field("matter.name")
    area_name = display_field("area.name")

    class Meta:
        model = Assignment
        fields = ["id", "zone", "matter", "matter_name", "area", "area_name", "org", "org_name", "duty",
                  "duty_label", "note"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Assignment")
class AssignmentCreateSerializer(StrictSerializer):
    matter = VisibleRelatedField(label="事项", queryset=Matter.objects.all())
    area = VisibleRelatedField(label="区域", queryset=Area.objects.all())
    org = VisibleRelatedField(label="责任单位", queryset=Org.objects.all())
    duty = serializers.ChoiceField(label="职责", choices=Duty.choices)
    note = serializers.CharField(label="说明", max_length=200, required=False, allow_blank=True, default="")


class _ZoneCreate:
    def create(self, request, *args, **kwargs):
        data = self.validated(self.create_serializer_class)
        zone = _zone(data.pop("zone"))
        return self.respond(type(self).create_service(request.user, zone, **data), status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(request=AreaCreateSerializer, summary="新增责任区域（园区、新增区域、镇街）"))
class AreaViewSet(_ZoneCreate, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """责任清单的区域（列）。"""

    queryset = Area.objects.all()
    serializer_class = AreaSerializer
    create_serializer_class = AreaCreateSerializer
    ordering_fields = ["sort"]
    write_perm = "powers.change"
    create_service = services.do_create_area


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(request=MatterCreateSerializer, summary="新增责任事项（行）"))
class MatterViewSet(_ZoneCreate, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """责任清单的事项（行）：安全生产、市政园林、环境卫生 ……"""

    queryset = Matter.objects.all()
    serializer_class = MatterSerializer
    create_serializer_class = MatterCreateSerializer
    ordering_fields = ["sort"]
    write_perm = "powers.change"
    create_service = services.do_create_matter


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(request=AssignmentCreateSerializer,
                                         summary="指定一格的主责或配合单位（一格只有一个主责）"),
                    remove=extend_schema(request=RemoveSerializer, responses={204: None}, summary="取消分工"))
class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """责任分工：事项 × 区域的主责（一个）与配合单位。"""

    queryset = Assignment.objects.all()
    serializer_class = ResponsibilityAssignmentSerializer
    ordering_fields = ["id"]
    select_related = ("org", "matter", "area")
    write_perm = "powers.change"

    def create(self, request, *args, **kwargs):
        data = self.validated(AssignmentCreateSerializer)
        obj = services.do_assign(request.user, data.pop("matter"), data.pop("area"), data.pop("org"), **data)
        return self.respond(obj, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        obj = self.get_object()
        data = self.validated(RemoveSerializer)
        services.do_unassign(request.user, obj, **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LookupAnswerSerializer(serializers.Serializer):
    matter = MatterSerializer()
    area = AreaSerializer()
    lead = UnitSerializer(many=True, help_text="主责单位（正常为一个；为空即缺位）")
    support = UnitSerializer(many=True, help_text="配合单位")


class LookupQuery(serializers.Serializer):
    matter = serializers.CharField(max_length=100, help_text="事项 id 或名称")
    area = serializers.CharField(max_length=100, help_text="区域 id 或名称")
    zone = ZoneField(required=False, help_text="开发区 id（多区用户须指定）")


def _by_id_or_name(qs, value, what):
    from kaifaqu.core.errors import NotFound

    found = qs.filter(pk=int(value)) if value.isdigit() else qs.filter(name=value.strip())
    obj = found.order_by("id").first()
    if obj is None:
        raise NotFound(f"未找到该{what}，或您无权查看。")
    return obj


class LookupView(APIView):
    """GET /api/v1/responsibility/lookup?matter=…&area=…: who leads and who supports a matter in an area."""

    queryset = Assignment.objects.all()  # what it reads (the scoping walk classifies the route by it)

    @extend_schema(tags=[TAG], parameters=[LookupQuery], responses={200: LookupAnswerSerializer,
                                                                    400: ERROR_RESPONSES[400],
                                                                    404: ERROR_RESPONSES[404]},
                   summary="查询某区域某事项的主责与配合单位")
    def get(self, request):
        from kaifaqu.core.api import parse_query

        require(request.user, "powers.view")
        query = parse_query(request, LookupQuery)
        matters = Matter.objects.visible_to(request.user)
        areas = Area.objects.visible_to(request.user)
        if query.get("zone"):
            matters, areas = matters.filter(zone_id=query["zone"]), areas.filter(zone_id=query["zone"])
        matter = _by_id_or_name(matters, query["matter"], "事项")
        area = _by_id_or_name(areas.filter(zone_id=matter.zone_id), query["area"], "区域")
        found = queries.lookup(matter.zone_id, matter, area)
        return Response({"matter": MatterSerializer(matter).data, "area": AreaSerializer(area).data,
                         "lead": [{"id": o.pk, "name": o.name} for o in found["lead"]],
                         "support": [{"id": o.pk, "name": o.name} for o in found["support"]]})


class GapSerializer(serializers.Serializer):
    matter = serializers.CharField()
    area = serializers.CharField()
    matter_id = serializers.IntegerField()
    area_id = serializers.IntegerField()


class ConflictSerializer(GapSerializer):
    leads = serializers.ListField(child=serializers.CharField())


class ReportSerializer(serializers.Serializer):
    cells = serializers.IntegerField(help_text="格数（事项 × 区域）")
    gaps = GapSerializer(many=True, help_text="缺少主责单位的格")
    conflicts = ConflictSerializer(many=True, help_text="有两个以上主责单位的格")


class ReportQuery(serializers.Serializer):
    zone = ZoneField(required=False, help_text="开发区 id（多区用户须指定）")


class ReportView(APIView):
    """GET /api/v1/responsibility/report: the matrix's gaps and conflicts (推诿扯皮)."""

    queryset = Assignment.objects.all()  # what it reads (the scoping walk classifies the route by it)

    @extend_schema(tags=[TAG], parameters=[ReportQuery], responses={200: ReportSerializer, 400: ERROR_RESPONSES[400]},
                   summary="责任清单缺位与冲突报告")
    def get(self, request):
        from kaifaqu.core import zones
        from kaifaqu.core.api import parse_query

        require(request.user, "powers.view")
        zone_id = parse_query(request, ReportQuery).get("zone") or zones.resolve_zone(
            request.user, None, required=True, own_org_zone=True)
        return Response(queries.matrix_report(zone_id))


ROUTES += [
    ("responsibility/areas", AreaViewSet, "responsibility-area"),
    ("responsibility/matters", MatterViewSet, "responsibility-matter"),
    ("responsibility/assignments", AssignmentViewSet, "responsibility-assignment"),
]


# The two function catalogues (POWER-2) -----------------------------------------------------------------------

from .filters import FunctionItemFilter  # noqa: E402
from .models import Catalogue, FunctionItem  # noqa: E402
from .workflow import HANDOVER  # noqa: E402


class FunctionItemSerializer(serializers.ModelSerializer):
    catalogue_label = display_field("get_catalogue_display")
    state_label = display_field("get_state_display")
    receiver_name = display_field("receiver.name")

    class Meta:
        model = FunctionItem
        fields = ["id", "zone", "catalogue", "catalogue_label", "category", "name", "description", "receiver",
                  "receiver_name", "handover_on", "state", "state_label", "sort", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="FunctionItem")
class FunctionItemCreateSerializer(StrictSerializer):
    zone = ZoneField(label="开发区", as_object=True)
    catalogue = serializers.ChoiceField(label="目录", choices=Catalogue.choices)
    category = serializers.CharField(label="类别", max_length=100)
    name = serializers.CharField(label="职能事项", max_length=200)
    description = serializers.CharField(label="说明", max_length=2000, required=False, allow_blank=True)
    receiver = VisibleRelatedField(label="承接单位", queryset=Org.objects.all(), required=False, allow_null=True)
    handover_on = serializers.DateField(label="交接日期", required=False, allow_null=True)
    sort = serializers.IntegerField(label="排序", min_value=0, max_value=10000, required=False, default=0)


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(request=FunctionItemCreateSerializer,
                                         summary="新增职能事项（保留或剥离；剥离的须有承接单位）"))
class FunctionItemViewSet(_ZoneCreate, WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          ServiceViewSet):
    """两张目录：保留的经济管理职能、剥离的社会事务管理职能（承接单位确认交接或提出异议）。"""

    queryset = FunctionItem.objects.all()
    serializer_class = FunctionItemSerializer
    create_serializer_class = FunctionItemCreateSerializer
    filterset_class = FunctionItemFilter
    ordering_fields = ["sort", "category"]
    select_related = ("receiver",)
    write_perm = "powers.change"
    action_perms = {"confirm": "powers.handover", "dispute": "powers.handover"}
    create_service = services.do_create_function
    workflow = HANDOVER


ROUTES += [("power-functions", FunctionItemViewSet, "power-function")]


# POWER-5: stationed agencies ---------------------------------------------------------------------------------

from .filters import AssessmentRightFilter, HeadChangeFilter  # noqa: E402
from .models import AssessmentPeriod, AssessmentRight, HeadChange, HeadChangeKind  # noqa: E402
from .workflow import HEAD_CHANGE  # noqa: E402


class HeadChangeSerializer(serializers.ModelSerializer):
    agency_name = display_field("agency.name")
    department_name = display_field("department.name")
    kind_label = display_field("get_kind_display")
    state_label = display_field("get_state_display")

    class Meta:
        model = HeadChange
        fields = ["id", "zone", "agency", "agency_name", "department", "department_name", "kind", "kind_label",
                  "nominee", "person_name", "post", "reason", "limit_days", "requested_at", "opinion", "decided_at",
                  "effective_on", "state", "state_label", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="HeadChange")
class HeadChangeCreateSerializer(StrictSerializer):
    agency = VisibleRelatedField(label="派驻机构", queryset=Org.objects.all())
    kind = serializers.ChoiceField(label="任免类型", choices=HeadChangeKind.choices)
    nominee = serializers.IntegerField(label="拟任负责人账号（派驻机构用户的 id）", required=False, allow_null=True,
                                       min_value=1, max_value=2147483647)
    person_name = serializers.CharField(label="拟任免人员", max_length=50)
    post = serializers.CharField(label="职务", max_length=100)
    reason = serializers.CharField(label="任免理由", max_length=2000)
    limit_days = serializers.IntegerField(label="答复时限（工作日）", min_value=1, max_value=services.MAX_CONSENT_DAYS,
                                          required=False, default=5)


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(request=HeadChangeCreateSerializer,
                                         summary="派出部门提出派驻机构负责人任免，征求开发区意见"))
class HeadChangeViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """派驻机构负责人任免：派出部门提出，开发区在时限内同意或不同意（写明理由），只有同意的任免才记入机构信息。"""

    queryset = HeadChange.objects.all()
    serializer_class = HeadChangeSerializer
    filterset_class = HeadChangeFilter
    ordering_fields = ["requested_at"]
    select_related = ("agency", "department")
    write_perm = "powers.head_request"
    action_perms = {"consent": "powers.consent", "refuse": "powers.consent", "take_effect": "org.change"}
    workflow = HEAD_CHANGE

    def create(self, request, *args, **kwargs):
        data = self.validated(HeadChangeCreateSerializer)
        agency = data.pop("agency")
        data["nominee"] = services.nominee_of(agency, data.get("nominee"))
        return self.respond(services.do_request_head_change(request.user, agency, **data), status.HTTP_201_CREATED)


class AssessmentRightSerializer(serializers.ModelSerializer):
    agency_name = display_field("agency.name")
    period_label = display_field("get_period_display")

    class Meta:
        model = AssessmentRight
        fields = ["id", "zone", "agency", "agency_name", "scheme", "period", "period_label", "since", "note",
                  "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="AssessmentRight")
class AssessmentRightCreateSerializer(StrictSerializer):
    agency = VisibleRelatedField(label="派驻机构", queryset=Org.objects.all())
    scheme = serializers.CharField(label="考核方案", max_length=150)
    period = serializers.ChoiceField(label="考核周期", choices=AssessmentPeriod.choices)
    since = serializers.DateField(label="起始日期")
    note = serializers.CharField(label="说明", max_length=300, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="AssessmentRight")
class AssessmentRightWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = AssessmentRight
        fields = sorted(services.ASSESSMENT_FIELDS) + ["version"]


@extend_schema(tags=[TAG])
@extend_schema_view(create=extend_schema(request=AssessmentRightCreateSerializer, summary="登记对派驻机构的考核权"),
                    partial_update=extend_schema(summary="修改考核权（方案、周期）"))
class AssessmentRightViewSet(PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """开发区对派驻机构的考核权：考核方案与考核周期（考核结果由考核模块提供）。"""

    queryset = AssessmentRight.objects.all()
    serializer_class = AssessmentRightSerializer
    write_serializer_class = AssessmentRightWriteSerializer
    filterset_class = AssessmentRightFilter
    ordering_fields = ["since"]
    select_related = ("agency",)
    write_perm = "powers.change"
    update_service = services.do_update_assessment

    def create(self, request, *args, **kwargs):
        data = self.validated(AssessmentRightCreateSerializer)
        agency = data.pop("agency")
        return self.respond(services.do_record_assessment(request.user, agency, **data), status.HTTP_201_CREATED)


ROUTES += [("stationed/head-changes", HeadChangeViewSet, "stationed-head-change"),
           ("stationed/assessment-rights", AssessmentRightViewSet, "stationed-assessment-right")]
