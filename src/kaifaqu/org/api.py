"""API of ORG-1 … ORG-5: serializers and viewsets, thin (validate, call a service, serialize).

Related objects are written and read as ids, with ``*_name`` read-only labels; an id the caller may not see is
refused exactly like one that does not exist. Lists run a fixed number of queries whatever the page size:
related rows come with ``select_related``/``prefetch_related`` and computed figures (approved posts, people in
post) are fetched for the page of ids at once.
"""

from django.db.models import Manager, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from kaifaqu.core.api import (
    CreateMixin,
    PatchMixin,
    ServiceViewSet,
    StrictSerializer,
    VersionedWriteSerializer,
    VisibleRelatedField,
    WriteSerializer,
    display_field,
)
from kaifaqu.core.errors import InvalidInput
from kaifaqu.core.sensitive import SensitiveFieldsMixin
from kaifaqu.core.workflow.api import ERRORS as WORKFLOW_ERRORS
from kaifaqu.core.workflow.api import WorkflowActionsMixin

from . import queries, services
from .filters import (
    EstablishmentFilter,
    OrgFilter,
    ParkFilter,
    PlaqueFilter,
    ReorgEventFilter,
    SecondmentFilter,
    StaffFilter,
    ZoneFilter,
)
from .models import Establishment, Org, Park, Plaque, PostKind, ReorgEvent, Secondment, Staff, Zone
from .workflow import ORG, SECONDMENT

# Zones ---------------------------------------------------------------------------------------------------------

class ZoneSerializer(serializers.ModelSerializer):
    kind_label = display_field("get_kind_display")
    level_label = display_field("get_level_display")

    class Meta:
        model = Zone
        fields = ["id", "name", "short_name", "code", "kind", "kind_label", "level", "level_label", "province",
                  "city", "county", "area_km2", "rank", "established_on", "description", "version"]
        read_only_fields = fields


# What a zone's code and name must look like; the schema states the same patterns.
ZONE_CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9-]*$"
ZONE_NAME_PATTERN = r"[\u4e00-\u9fffA-Za-z]"


class _ZoneFields(serializers.Serializer):
    """Code, name and founding date as a zone needs them: the code starts with a letter and holds letters, digits
    and hyphens; the name contains a Chinese character or a letter; the date is a date or null, never ""."""

    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        if field_name == "code":
            kwargs.pop("validators", None)  # uniqueness is the service's (409), not the serializer's
            kwargs.pop("allow_unicode", None)
            return serializers.RegexField, {**kwargs, "regex": ZONE_CODE_PATTERN, "error_messages": {
                "invalid": "代码须以英文字母开头，只含英文字母、数字或连字符。"}}
        if field_name == "name":
            return serializers.RegexField, {**kwargs, "regex": ZONE_NAME_PATTERN, "error_messages": {
                "invalid": "名称须含汉字或英文字母。"}}
        if field_name == "established_on":
            return StrictDateField, kwargs
        return field_class, kwargs


class StrictDateField(serializers.DateField):
    """A date (YYYY-MM-DD) or null; an empty string is refused rather than read as null."""

    default_error_messages = {"invalid": "日期应为 YYYY-MM-DD，或不填。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if isinstance(data, str) and not data.strip():
            self.fail("invalid")
        return super().validate_empty_values(data)


@extend_schema_serializer(component_name="Zone")
class ZoneWriteSerializer(_ZoneFields, VersionedWriteSerializer):
    class Meta:
        model = Zone
        fields = sorted(services.ZONE_FIELDS) + ["version"]


@extend_schema_serializer(component_name="Zone")
class ZoneCreateSerializer(_ZoneFields, WriteSerializer):
    committee_name = serializers.CharField(label="党工委（管委会）名称", max_length=150, required=False,
                                           allow_blank=True)

    class Meta:
        model = Zone
        fields = ["code", *sorted(services.ZONE_FIELDS), "committee_name"]


@extend_schema(tags=["机构与编制"])
@extend_schema_view(partial_update=extend_schema(summary="修改开发区"),
                    create=extend_schema(summary="新增开发区（系统管理员，同时建立党工委/管委会）"))
class ZoneViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """开发区。"""

    queryset = Zone.objects.all()
    serializer_class = ZoneSerializer
    create_serializer_class = ZoneCreateSerializer
    write_serializer_class = ZoneWriteSerializer
    filterset_class = ZoneFilter
    ordering_fields = ["code", "name"]
    # A new zone is the system administrator's (zone.manage); changing one is the zone's own (org.change).
    write_perm = "org.change"
    action_perms = {"create": "zone.manage"}
    create_service = services.do_create_zone
    update_service = services.do_update_zone


# Parks ---------------------------------------------------------------------------------------------------------

class ParkSerializer(serializers.ModelSerializer):
    zone_name = display_field("zone.name")

    class Meta:
        model = Park
        fields = ["id", "zone", "zone_name", "name", "code", "area_km2", "leading_industries", "description", "sort",
                  "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Park")
class ParkCreateSerializer(WriteSerializer):
    class Meta:
        model = Park
        fields = ["zone", *sorted(services.PARK_FIELDS)]


@extend_schema_serializer(component_name="Park")
class ParkWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = Park
        fields = sorted(services.PARK_FIELDS) + ["version"]


@extend_schema(tags=["机构与编制"])
@extend_schema_view(create=extend_schema(summary="新增园区"), partial_update=extend_schema(summary="修改园区"))
class ParkViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """园区（一区多园）。"""

    queryset = Park.objects.all()
    serializer_class = ParkSerializer
    create_serializer_class = ParkCreateSerializer
    write_serializer_class = ParkWriteSerializer
    filterset_class = ParkFilter
    ordering_fields = ["sort", "name", "code"]
    select_related = ("zone",)
    write_perm = "org.change"
    create_parent = "zone"
    create_service = services.do_create_park
    update_service = services.do_update_park


# Organisations -------------------------------------------------------------------------------------------------

class OrgListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        items = list(data.all() if isinstance(data, Manager) else data)
        # Two queries for the whole page instead of two per row.
        self.context["totals"] = queries.org_totals([o.pk for o in items])
        return super().to_representation(items)


# The list endpoint's rows, built from one ``values_list`` query instead of model instances and DRF fields (which
# cost ~75 % of the request). ``OrgSerializer`` stays the contract: a test asserts both give the same JSON.
_ORG_ROW = (
    ("id", "id"), ("zone", "zone_id"), ("zone_name", "zone__name"), ("park", "park_id"),
    ("park_name", "park__name"), ("parent", "parent_id"), ("parent_name", "parent__name"),
    ("home_department", "home_department_id"), ("home_department_name", "home_department__name"),
    ("kind", "kind"), ("name", "name"), ("short_name", "short_name"), ("code", "code"),
    ("comprehensive", "comprehensive"), ("rank", "rank"), ("credit_code", "credit_code"),
    ("headcount_cap", "headcount_cap"), ("functions", "functions"), ("phone", "phone"), ("head", "head_id"),
    ("is_active", "is_active"),
    ("state", "state"), ("abolished_on", "abolished_on"), ("sort", "sort"), ("version", "version"),
)
_ORG_KIND_LABELS = dict(Org._meta.get_field("kind").flatchoices)
_ORG_STATE_LABELS = dict(Org._meta.get_field("state").flatchoices)


def org_values(queryset):
    return queryset.prefetch_related(None).values_list(*(f for _, f in _ORG_ROW))


def org_rows(values) -> list[dict]:
    """Rows of the organisation list (tuples from ``org_values``) as ``OrgSerializer`` renders them: their active
    plaques in one query, the totals in two."""
    keys = [k for k, _ in _ORG_ROW]
    rows = [dict(zip(keys, v, strict=True)) for v in values]
    ids = [r["id"] for r in rows]
    plaques: dict[int, list[str]] = {}
    for org_id, name in (Plaque.objects.filter(org_id__in=ids, is_active=True).order_by("id")
                         .values_list("org_id", "name")):
        plaques.setdefault(org_id, []).append(name)
    totals = queries.org_totals(ids)
    fields = OrgSerializer.Meta.fields
    result = []
    for r in rows:
        t = totals[r["id"]]
        cap = r["headcount_cap"]
        r.update(kind_label=_ORG_KIND_LABELS.get(r["kind"], r["kind"]), plaques=plaques.get(r["id"], []),
                 state_label=_ORG_STATE_LABELS.get(r["state"], r["state"]),
                 approved_total=t["approved"], actual_total=t["actual"], over_cap=cap is not None and t["actual"] > cap,
                 abolished_on=r["abolished_on"].isoformat() if r["abolished_on"] else None)
        result.append({f: r[f] for f in fields})
    return result


class OrgSerializer(serializers.ModelSerializer):
    zone_name = display_field("zone.name")
    park_name = display_field("park.name")
    parent_name = display_field("parent.name")
    home_department_name = display_field("home_department.name")
    kind_label = display_field("get_kind_display")
    state_label = display_field("get_state_display")
    plaques = serializers.SerializerMethodField(help_text="有效的牌子名称")
    approved_total = serializers.SerializerMethodField(help_text="核定编制合计")
    actual_total = serializers.SerializerMethodField(help_text="实有人数（不含已离岗）")
    over_cap = serializers.SerializerMethodField(help_text="实有人数是否超过员额上限")

    class Meta:
        model = Org
        list_serializer_class = OrgListSerializer
        fields = ["id", "zone", "zone_name", "park", "park_name", "parent", "parent_name", "home_department",
                  "home_department_name", "kind", "kind_label", "name", "short_name", "code", "plaques",
                  "comprehensive", "rank", "credit_code", "headcount_cap", "approved_total", "actual_total",
                  "over_cap", "functions", "phone", "head", "is_active", "state", "state_label", "abolished_on",
                  "sort", "version"]
        read_only_fields = fields
        extra_kwargs = {"head": {"help_text": "本单位负责人的用户 id（可查看本单位人员的工资薪酬与个人手机）；未设为 null"}}

    def _totals(self, obj) -> dict:
        totals = self.context.get("totals")
        if totals is None or obj.pk not in totals:
            totals = queries.org_totals([obj.pk])
        return totals[obj.pk]

    def get_plaques(self, obj) -> list[str]:
        plaques = getattr(obj, "active_plaques", None)
        if plaques is None:
            plaques = obj.plaques.filter(is_active=True).order_by("id")
        return [p.name for p in plaques]

    def get_approved_total(self, obj) -> int:
        return self._totals(obj)["approved"]

    def get_actual_total(self, obj) -> int:
        return self._totals(obj)["actual"]

    def get_over_cap(self, obj) -> bool:
        return obj.headcount_cap is not None and self._totals(obj)["actual"] > obj.headcount_cap


@extend_schema_serializer(component_name="Org")
class OrgCreateSerializer(WriteSerializer):
    class Meta:
        model = Org
        fields = ["zone", *sorted(services.ORG_FIELDS)]


@extend_schema_serializer(component_name="Org")
class OrgWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = Org
        fields = sorted(services.ORG_FIELDS) + ["version"]


class AbolishSerializer(serializers.Serializer):
    """The body of 撤销机构 (the org workflow's ``abolish``: reason → the event's note, date → its payload)."""

    date = serializers.DateField(label="撤销日期")
    reason = serializers.CharField(label="撤销原因", max_length=500)
    version = serializers.IntegerField(required=False, min_value=1, help_text="读取时的版本号；已被他人修改时返回 409。")


# The workflow actions keep the request bodies they had before the workflow (date, reason, version), so they are
# written here rather than generated; their 409 and 422 answers carry the workflow's extra keys.
WORKFLOW_ACTION_ERRORS = {409: WORKFLOW_ERRORS[409], 422: WORKFLOW_ERRORS[422]}


class SetHeadSerializer(StrictSerializer):
    head = serializers.IntegerField(label="负责人", min_value=1, allow_null=True,
                                    help_text="本单位一名用户的 id；null 为取消")


@extend_schema(tags=["机构与编制"])
@extend_schema_view(
    set_head=extend_schema(request=SetHeadSerializer, responses=OrgSerializer,
                           summary="设定单位负责人（组织人事）",
                           description="负责人须是本单位的用户；可查看本单位人员的工资薪酬与个人手机。权限：org.change。"),
    create=extend_schema(summary="新增机构"),
    partial_update=extend_schema(summary="修改机构"),
    abolish=extend_schema(request=AbolishSerializer, responses={200: OrgSerializer, **WORKFLOW_ACTION_ERRORS},
                          summary="撤销机构", description="存续 → 已撤销。权限：org.change；须填写撤销原因与撤销日期。"),
)
class OrgViewSet(WorkflowActionsMixin, CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                 ServiceViewSet):
    """机构（党工委/管委会、内设机构、事业单位、派驻机构、属地镇街、市直部门、平台公司、中介、企业）。"""

    queryset = Org.objects.all()
    serializer_class = OrgSerializer
    create_serializer_class = OrgCreateSerializer
    write_serializer_class = OrgWriteSerializer
    filterset_class = OrgFilter
    ordering_fields = ["sort", "name", "code", "kind", "id"]
    select_related = ("zone", "park", "parent", "home_department")
    prefetch_related = (Prefetch("plaques", queryset=Plaque.objects.filter(is_active=True).order_by("id"),
                                 to_attr="active_plaques"),)
    write_perm = "org.change"
    create_parent = "zone"
    create_service = services.do_create_org
    update_service = services.do_update_org
    workflow = ORG

    @extend_schema(responses=OrgSerializer(many=True), summary="机构列表")
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(org_values(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(org_rows(page))

    @action(detail=True, methods=["post"], url_path="set-head")
    def set_head(self, request, pk=None):
        org = self.get_object()
        data = self.validated(SetHeadSerializer)
        head = None
        if data["head"] is not None:
            head = org.users.filter(pk=data["head"], is_active=True).first()
            if head is None:
                raise InvalidInput("负责人必须是本单位的用户。", fields={"head": ["负责人必须是本单位的用户。"]})
        return self.respond(services.do_set_head(request.user, org, head))

    @action(detail=True, methods=["post"])
    def abolish(self, request, pk=None):
        org = self.get_object()
        data = self.validated(AbolishSerializer)
        return self.respond(services.do_abolish_org(request.user, org, **data))


# Plaques -------------------------------------------------------------------------------------------------------

class PlaqueSerializer(serializers.ModelSerializer):
    org_name = display_field("org.name")
    kind_label = display_field("get_kind_display")

    class Meta:
        model = Plaque
        fields = ["id", "zone", "org", "org_name", "name", "kind", "kind_label", "since", "is_active"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Plaque")
class PlaqueCreateSerializer(WriteSerializer):
    class Meta:
        model = Plaque
        fields = ["org", "name", "kind", "since"]


class PlaqueRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(label="摘牌原因", max_length=500, required=False, allow_blank=True, default="")


@extend_schema(tags=["机构与编制"])
@extend_schema_view(
    create=extend_schema(summary="挂牌"),
    remove=extend_schema(request=PlaqueRemoveSerializer, summary="摘牌"),
)
class PlaqueViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """机构加挂的牌子。摘牌后记录保留、标记为无效。"""

    queryset = Plaque.objects.all()
    serializer_class = PlaqueSerializer
    create_serializer_class = PlaqueCreateSerializer
    filterset_class = PlaqueFilter
    ordering_fields = ["id", "name", "since"]
    select_related = ("org",)
    write_perm = "org.change"
    create_parent = "org"
    create_service = services.do_add_plaque

    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        plaque = self.get_object()
        data = self.validated(PlaqueRemoveSerializer)
        return self.respond(services.do_remove_plaque(request.user, plaque, **data))


# Establishment -------------------------------------------------------------------------------------------------

class EstablishmentListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        items = list(data.all() if isinstance(data, Manager) else data)
        self.context["headcount"] = queries.headcount(list({e.org_id for e in items}))
        return super().to_representation(items)


class EstablishmentSerializer(serializers.ModelSerializer):
    # Called post_kind as on staff: one name (and one enum in the schema) for 编制类型 across the API.
    post_kind = serializers.ChoiceField(source="kind", choices=PostKind.choices, read_only=True)
    post_kind_label = display_field("get_kind_display")
    org_name = display_field("org.name")
    actual = serializers.SerializerMethodField(help_text="该编制类型的实有人数")

    class Meta:
        model = Establishment
        list_serializer_class = EstablishmentListSerializer
        fields = ["id", "zone", "org", "org_name", "post_kind", "post_kind_label", "approved", "actual", "note"]
        read_only_fields = fields

    def get_actual(self, obj) -> int:
        counts = self.context.get("headcount")
        if counts is None or obj.org_id not in counts:
            counts = queries.headcount([obj.org_id])
        return next((row.actual for row in counts[obj.org_id] if row.kind == obj.kind), 0)


@extend_schema_serializer(component_name="Establishment")
class EstablishmentSetSerializer(serializers.Serializer):
    org = VisibleRelatedField(queryset=Org.objects.all(), label="机构")
    post_kind = serializers.ChoiceField(label="编制类型", choices=PostKind.choices)
    approved = serializers.IntegerField(label="核定数", min_value=0, max_value=100000)
    document_no = serializers.CharField(label="编办批文号", max_length=100,
                                        help_text="核定或调整编制所依据的机构编制部门批复文号（必填）")
    note = serializers.CharField(label="备注", max_length=200, required=False, allow_blank=True, default="")


@extend_schema(tags=["机构与编制"])
@extend_schema_view(create=extend_schema(
    request=EstablishmentSetSerializer, summary="设定核定编制（该机构该类型已有记录则修改）",
    responses={201: EstablishmentSerializer, 200: EstablishmentSerializer}))
class EstablishmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """编制：每个机构按编制类型（行政/事业/编外/聘任）的核定数，附实有人数。"""

    queryset = Establishment.objects.all()
    serializer_class = EstablishmentSerializer
    filterset_class = EstablishmentFilter
    ordering_fields = ["org", "kind", "approved"]
    select_related = ("org",)
    write_perm = "establishment.change"

    def create(self, request, *args, **kwargs):
        data = self.validated(EstablishmentSetSerializer)
        org = data.pop("org")
        kind = data.pop("post_kind")
        existed = Establishment.objects.filter(org=org, kind=kind).exists()
        obj = services.do_set_establishment(request.user, org, kind=kind, **data)
        return self.respond(obj, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


# Reorganisation history ----------------------------------------------------------------------------------------

class ReorgEventSerializer(serializers.ModelSerializer):
    zone_name = display_field("zone.name")
    kind_label = display_field("get_kind_display")
    change = serializers.IntegerField(read_only=True, help_text="调整后 − 调整前")
    orgs = serializers.SerializerMethodField(help_text="涉及机构 id")
    org_names = serializers.SerializerMethodField(help_text="涉及机构名称")

    class Meta:
        model = ReorgEvent
        fields = ["id", "zone", "zone_name", "date", "kind", "kind_label", "title", "subject", "before_count",
                  "after_count", "change", "document_no", "description", "orgs", "org_names"]
        read_only_fields = fields

    def get_orgs(self, obj) -> list[int]:
        return [o.pk for o in obj.orgs.all()]

    def get_org_names(self, obj) -> list[str]:
        return [o.name for o in obj.orgs.all()]


@extend_schema_serializer(component_name="ReorgEvent")
class ReorgEventCreateSerializer(WriteSerializer):
    orgs = VisibleRelatedField(queryset=Org.objects.all(), many=True, required=False, label="涉及机构")

    class Meta:
        model = ReorgEvent
        fields = ["zone", *sorted(services.REORG_FIELDS), "orgs"]


@extend_schema(tags=["机构与编制"])
@extend_schema_view(create=extend_schema(summary="记录机构沿革"))
class ReorgEventViewSet(CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """机构沿革：整合、撤销、更名、编制调整等，附调整前后数量。"""

    queryset = ReorgEvent.objects.all()
    serializer_class = ReorgEventSerializer
    create_serializer_class = ReorgEventCreateSerializer
    filterset_class = ReorgEventFilter
    ordering_fields = ["date", "id"]
    select_related = ("zone",)
    prefetch_related = ("orgs",)
    write_perm = "org.change"
    create_parent = "zone"
    create_service = services.do_record_reorg


# Staff ---------------------------------------------------------------------------------------------------------

class StaffSerializer(SensitiveFieldsMixin, serializers.ModelSerializer):
    """Pay (档案工资、实际薪酬) is null and the phone masked for users without their permission."""

    zone_name = display_field("zone.name")
    org_name = display_field("org.name")
    gender_label = display_field("get_gender_display")
    post_kind_label = display_field("get_post_kind_display")
    status_label = display_field("get_status_display")
    gender = serializers.ChoiceField(choices=Staff._meta.get_field("gender").choices, allow_blank=True, read_only=True,
                                     help_text="性别；未填为空字符串")

    class Meta:
        model = Staff
        fields = ["id", "zone", "zone_name", "org", "org_name", "staff_no", "name", "gender", "gender_label", "phone",
                  "post_kind", "post_kind_label", "grade_on_file", "archive_salary", "appointed_post", "actual_pay",
                  "joined_on", "status", "status_label", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Staff")
class StaffCreateSerializer(WriteSerializer):
    class Meta:
        model = Staff
        fields = sorted(services.STAFF_FIELDS)


@extend_schema_serializer(component_name="Staff")
class StaffWriteSerializer(VersionedWriteSerializer):
    class Meta:
        model = Staff
        fields = sorted(services.STAFF_FIELDS) + ["version"]


@extend_schema(tags=["人员"])
@extend_schema_view(create=extend_schema(summary="新增人员"), partial_update=extend_schema(summary="修改人员"))
class StaffViewSet(CreateMixin, PatchMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """人员（“三分离”：档案职级/档案工资与聘任岗位/实际薪酬分开记录）。"""

    queryset = Staff.objects.all()
    serializer_class = StaffSerializer
    create_serializer_class = StaffCreateSerializer
    write_serializer_class = StaffWriteSerializer
    write_perm = "staff.change"
    filterset_class = StaffFilter
    ordering_fields = ["staff_no", "name", "joined_on", "org"]
    select_related = ("zone", "org")
    create_parent = "org"
    create_service = services.do_create_staff
    update_service = services.do_update_staff


class SecondmentSerializer(serializers.ModelSerializer):
    staff_name = display_field("staff.name")
    host_org_name = display_field("host_org.name")
    host_label = serializers.CharField(read_only=True, help_text="挂职单位（区内机构名称或区外单位名称）")
    state_label = display_field("get_state_display")
    status_label = serializers.CharField(read_only=True, help_text="今日状态：未开始、挂职中、已期满结束或已于某日提前结束")

    class Meta:
        model = Secondment
        fields = ["id", "zone", "staff", "staff_name", "host_org", "host_org_name", "host_name", "host_label", "post",
                  "start", "end", "note", "ended_early_on", "state", "state_label", "status_label", "version"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Secondment")
class SecondmentCreateSerializer(WriteSerializer):
    class Meta:
        model = Secondment
        fields = ["staff", *sorted(services.SECONDMENT_FIELDS)]


class SecondmentEndSerializer(serializers.Serializer):
    """The body of 提前结束挂职 (the secondment workflow's ``end``: reason → the event's note, date → its payload)."""

    date = serializers.DateField(label="提前结束日期")
    reason = serializers.CharField(label="原因", max_length=500, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1, help_text="读取时的版本号；已被他人修改时返回 409。")


@extend_schema(tags=["人员"])
@extend_schema_view(
    create=extend_schema(summary="登记挂职"),
    end=extend_schema(request=SecondmentEndSerializer, responses={200: SecondmentSerializer, **WORKFLOW_ACTION_ERRORS},
                      summary="提前结束挂职", description="挂职中 → 已提前结束。权限：staff.change；日期须在挂职期间内。"),
)
class SecondmentViewSet(WorkflowActionsMixin, CreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        ServiceViewSet):
    """挂职（一般 1–2 年）。"""

    queryset = Secondment.objects.all()
    serializer_class = SecondmentSerializer
    create_serializer_class = SecondmentCreateSerializer
    write_perm = "staff.change"
    filterset_class = SecondmentFilter
    ordering_fields = ["start", "end", "id"]
    select_related = ("staff", "host_org")
    create_parent = "staff"
    create_service = services.do_create_secondment
    workflow = SECONDMENT

    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        secondment = self.get_object()
        data = self.validated(SecondmentEndSerializer)
        return self.respond(services.do_end_secondment(request.user, secondment, **data))


ROUTES = [
    ("zones", ZoneViewSet, "zone"),
    ("parks", ParkViewSet, "park"),
    ("orgs", OrgViewSet, "org"),
    ("plaques", PlaqueViewSet, "plaque"),
    ("establishments", EstablishmentViewSet, "establishment"),
    ("reorg-events", ReorgEventViewSet, "reorg-event"),
    ("staff", StaffViewSet, "staff"),
    ("secondments", SecondmentViewSet, "secondment"),
]
