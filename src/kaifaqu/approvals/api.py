"""API of APPROVE-1 … 7: serializers and viewsets, thin (validate, call a service, serialize).

Related objects are written and read as ids with ``*_name`` labels; an id the caller may not see is refused like one
that does not exist. Lists run a fixed number of queries whatever the page size.
"""

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers

from kaifaqu.core.api import (
    CreateMixin,
    PatchMixin,
    ServiceViewSet,
    VersionedWriteSerializer,
    WriteSerializer,
    display_field,
)

from . import services
from .filters import MaterialFilter, ServiceItemFilter, WindowFilter
from .models import Material, ServiceItem, Window

TAG = "一站式审批"


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
    class Meta:
        model = ServiceItem
        fields = ["zone", *_ITEM_WRITE]


@extend_schema_serializer(component_name="ServiceItem")
class ServiceItemWriteSerializer(VersionedWriteSerializer):
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


ROUTES = [
    ("approval-windows", WindowViewSet, "approval-window"),
    ("approval-items", ServiceItemViewSet, "approval-item"),
    ("approval-materials", MaterialViewSet, "approval-material"),
]
