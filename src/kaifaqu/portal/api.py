"""The public API (no login): the zone's current published power list and the two function catalogues, the same data
as the public site (``portal.queries``). Anonymous callers are throttled (``PublicThrottle``) and answers are cached
per zone."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core.api import ERROR_RESPONSES, CoreAutoSchema, ErrorSerializer, parse_query
from kaifaqu.core.errors import InvalidInput, NotFound
from kaifaqu.powers.models import FunctionItem, PowerItem, PowerKind

from . import queries
from .throttling import PublicThrottle

TAG = "政务公开"
THROTTLED = OpenApiResponse(ErrorSerializer, description="匿名访问过于频繁（响应头 Retry-After 给出等待秒数）")


class PublicLegalBasis(serializers.Serializer):
    law = serializers.CharField()
    article = serializers.CharField(allow_blank=True)
    clause = serializers.CharField(allow_blank=True)
    item = serializers.CharField(allow_blank=True)


class PublicPowerItem(serializers.Serializer):
    code = serializers.CharField(help_text="事项编码")
    name = serializers.CharField(help_text="事项名称")
    sub_name = serializers.CharField(allow_blank=True, help_text="子项名称")
    power_type = serializers.ChoiceField(choices=PowerKind.choices, allow_blank=True, help_text="事项类型代码")
    power_type_label = serializers.CharField(allow_blank=True, help_text="事项类型")
    basis = serializers.CharField(allow_blank=True, help_text="设定依据")
    legal_bases = PublicLegalBasis(many=True, help_text="设定依据（结构化）")
    implementing_body = serializers.CharField(allow_blank=True, help_text="实施主体")
    undertaking_unit = serializers.CharField(allow_blank=True, help_text="承办机构")
    exercise_basis = serializers.CharField(allow_blank=True, help_text="行使依据")
    duties = serializers.ListField(child=serializers.CharField(), help_text="责任事项")
    accountability = serializers.ListField(child=serializers.CharField(), help_text="追责情形")
    supervision_phone = serializers.CharField(allow_blank=True, help_text="监督电话（公开的监督投诉电话）")
    holding = serializers.CharField(help_text="行使方式代码")
    holding_label = serializers.CharField(help_text="行使方式：自有/授权/委托/下放")
    holding_doc_no = serializers.CharField(allow_blank=True, help_text="授权文号")
    holding_doc_date = serializers.DateField(allow_null=True, help_text="授权日期")
    batch_name = serializers.CharField(allow_blank=True, help_text="赋权批次")
    effective_on = serializers.DateField(allow_null=True, help_text="生效日期")


class PublicVersion(serializers.Serializer):
    seq = serializers.IntegerField(help_text="版本序号")
    title = serializers.CharField()
    publish_no = serializers.CharField(help_text="公布文号")
    published_on = serializers.DateField(allow_null=True, help_text="公布日期")


class PublicPowerPage(serializers.Serializer):
    zone = serializers.CharField(help_text="开发区代码")
    zone_name = serializers.CharField()
    version = PublicVersion(allow_null=True, help_text="现行（最新公布的）版本；尚未公布时为 null")
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = PublicPowerItem(many=True)


class PublicThrottled(exceptions.Throttled):
    default_detail = "访问过于频繁。"
    extra_detail_singular = extra_detail_plural = "请 {wait} 秒后再试。"


class ZoneQuery(serializers.Serializer):
    zone = serializers.RegexField(r"^[-a-zA-Z0-9_]+$", max_length=50, label="开发区代码")


class PowerQuery(ZoneQuery):
    q = serializers.CharField(label="关键词（名称、编码、子项、实施主体、承办机构）", max_length=100, required=False,
                              allow_blank=True)
    kind = serializers.ChoiceField(label="事项类型", choices=PowerKind.choices, required=False, allow_blank=True)
    batch = serializers.IntegerField(label="赋权批次 id", min_value=1, max_value=2147483647, required=False)
    body = serializers.CharField(label="实施主体（全称）", max_length=150, required=False, allow_blank=True)
    page = serializers.IntegerField(label="页码", min_value=1, max_value=100000, required=False, default=1)
    page_size = serializers.IntegerField(label="每页条数", min_value=1, max_value=queries.MAX_PAGE_SIZE, required=False,
                                         default=queries.PAGE_SIZE)


class PublicAPIView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    schema = CoreAutoSchema()
    # An invalid or expired token still answers 401 before anything else.
    schema_error_statuses = (401,)

    def throttled(self, request, wait):
        raise PublicThrottled(wait)

    def zone_of(self, data):
        zone = queries.zone_by_code(data["zone"])
        if zone is None:
            raise NotFound("未找到该开发区。")
        return zone


@extend_schema(tags=[TAG], summary="现行权责清单（公开，无需登录）",
               parameters=[PowerQuery],
               responses={200: PublicPowerPage, 400: ERROR_RESPONSES[400], 401: ERROR_RESPONSES[401],
                          404: ERROR_RESPONSES[404], 429: THROTTLED})
class PublicPowersView(PublicAPIView):
    """The zone's latest published list, searched and filtered like the public page; nothing of a draft or a version
    in review, no internal notes, authors or reviewers."""

    model = PowerItem

    def get(self, request):
        data = parse_query(request, PowerQuery)
        zone = self.zone_of(data)

        def build():
            version = queries.current_version(zone.pk)
            body = {"zone": zone.code, "zone_name": zone.name, "version": None, "count": 0, "next": None,
                    "previous": None, "results": []}
            if version is None:
                return 200, body
            filters = queries.Filters({k: str(v) for k, v in data.items() if v not in (None, "")}, version)
            if filters.errors:
                return 400, filters.errors
            paginator = Paginator(filters.apply(queries.items_of(version)), data["page_size"])
            try:
                page = paginator.page(data["page"])
            except (EmptyPage, PageNotAnInteger):
                return 404, None
            body.update(version=queries._version_info(version), count=paginator.count,
                        results=[queries.public_item(i) for i in page.object_list],
                        next=self._link(request, page.next_page_number()) if page.has_next() else None,
                        previous=self._link(request, page.previous_page_number()) if page.has_previous() else None)
            return 200, body

        status, body = queries.cached(zone.pk, "api-powers", (request.get_host(), sorted(data.items())), build)
        if status == 400:
            raise InvalidInput("筛选条件有误。", fields=body)
        if status == 404:
            raise NotFound("页码超出范围或无效。")
        return Response(body)

    def _link(self, request, page):
        params = request.query_params.copy()
        params["page"] = page
        return request.build_absolute_uri(request.path) + "?" + params.urlencode()


class PublicFunction(serializers.Serializer):
    name = serializers.CharField(help_text="职能事项")
    description = serializers.CharField(allow_blank=True)
    receiver = serializers.CharField(allow_blank=True, help_text="承接单位（剥离的职能）")
    handover_on = serializers.DateField(allow_null=True, help_text="交接日期")


class PublicCategory(serializers.Serializer):
    category = serializers.CharField(help_text="类别")
    items = PublicFunction(many=True)


class PublicCatalogue(serializers.Serializer):
    catalogue = serializers.CharField(help_text="retained 保留 / stripped 剥离")
    label = serializers.CharField()
    total = serializers.IntegerField()
    categories = PublicCategory(many=True)


class PublicCatalogues(serializers.Serializer):
    zone = serializers.CharField()
    zone_name = serializers.CharField()
    catalogues = PublicCatalogue(many=True)


@extend_schema(tags=[TAG], summary="两张目录（公开，无需登录）", parameters=[ZoneQuery],
               responses={200: PublicCatalogues, 400: ERROR_RESPONSES[400], 401: ERROR_RESPONSES[401],
                          404: ERROR_RESPONSES[404], 429: THROTTLED})
class PublicCataloguesView(PublicAPIView):
    """Retained economic functions and stripped social functions by category, with the receiving units."""

    model = FunctionItem

    def get(self, request):
        zone = self.zone_of(parse_query(request, ZoneQuery))
        body = queries.cached(zone.pk, "api-catalogues", (), lambda: {
            "zone": zone.code, "zone_name": zone.name, "catalogues": queries.catalogues(zone.pk)},
            token=queries.catalogues_token(zone.pk))
        return Response(body)
