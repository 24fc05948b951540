"""API conventions shared by every module: pagination, the error shape, scoped viewsets, and the module API base
(``ServiceViewSet`` and its serializers and fields: docs/api.md, "Writing a module's API")."""

from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kaifaqu.core import zones
from kaifaqu.core.access import require, scope_of
from kaifaqu.core.errors import Forbidden, ServiceError
from kaifaqu.core.pagination import MAX_PAGE_SIZE, Pagination  # noqa: F401  (re-exported: the API's page sizes)

_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "rule_violation",
    429: "throttled",
}

_MESSAGES = {
    401: "未登录或令牌无效/已过期。",
    403: "您没有执行此操作的权限。",
    404: "未找到该对象，或您无权查看。",
    405: "不支持该请求方法。",
    406: "不支持请求的响应格式。",
    415: "不支持的文件或内容类型。",
    429: "请求过于频繁，请稍后再试。",
}


def _flatten(detail):
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def error_body(status_code, detail, fields=None, code=None):
    return {"code": code or _CODES.get(status_code, "error"), "detail": detail, "fields": fields or {}}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        if exc.status == 403:
            _record_denied(context)
        return Response({**error_body(exc.status, exc.detail, exc.fields, exc.code), **getattr(exc, "extra", {})}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _invalid(fields, _django_codes(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    if code == 403:
        _record_denied(context)
    if isinstance(exc, exceptions.ValidationError):
        invalid = _invalid(_flatten(exc.detail), _leaf_codes(exc.get_codes()))
        response.status_code, response.data = invalid.status_code, invalid.data
        return response
    else:
        detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else ""
        # DRF's own English messages are replaced by ours; messages we raised in Chinese are kept.
        if not detail or detail.isascii():
            detail = _MESSAGES.get(code, detail or "请求失败。")
        if isinstance(exc, exceptions.NotFound) and "page" in str(getattr(exc, "detail", "")).lower():
            detail = Pagination.invalid_page_message
        body = error_body(code, detail)
    response.data = body
    return response


# The error code of a validation error that no schema can state: a rule across fields (an end before its start,
# overlapping periods) or a limit of what the platform supports (dates outside 1990–2100). Raised with
# ``ValidationError(message, code=RULE)`` in a serializer, or ``errors.RuleViolation`` in a service; answered 422.
RULE = "rule"


def _leaf_codes(codes) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*(_leaf_codes(v) for v in codes.values())) if codes else set()
    if isinstance(codes, list | tuple):
        return set().union(*(_leaf_codes(v) for v in codes)) if codes else set()
    return {str(codes)}


def _django_codes(exc: DjangoValidationError) -> set[str]:
    errors = [e for items in exc.error_dict.values() for e in items] if hasattr(exc, "error_dict") else exc.error_list
    return {str(e.code) for e in errors}


def _invalid(fields: dict, codes: set[str]) -> Response:
    """Invalid input: 409 when every error is a taken unique value, 422 when every error is a rule beyond the schema
    (``RULE``), else 400."""
    if codes == {"unique"}:
        return Response(error_body(409, "已存在相同的记录：" + "；".join(m for ms in fields.values() for m in ms),
                                   fields), status=409)
    if codes == {RULE}:
        messages = [m for ms in fields.values() for m in ms]
        return Response(error_body(422, messages[0] if len(messages) == 1 else "提交的数据不符合规则，请检查。", fields),
                        status=422)
    return Response(error_body(400, "提交的数据有误，请检查。", fields), status=400)


def _record_denied(context):
    from kaifaqu.core import audit

    request = context.get("request")
    user = getattr(request, "user", None)
    if request is not None and user is not None and user.is_authenticated:
        audit.record(user, "access.denied", None, object_type="url", object_id=request.path[:64],
                     object_label=f"{request.method} {request.path}"[:300])


def json_error_response(status_code, detail=None, code=None):
    from django.http import JsonResponse

    return JsonResponse(
        error_body(status_code, detail or _MESSAGES.get(status_code, "请求失败。"), code=code),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


class ScopedQuerysetMixin:
    """get_queryset goes through visible_to(user); lists and details alike answer 404 outside the scope."""

    select_related = ()
    prefetch_related = ()

    def get_queryset(self):
        qs = self.queryset.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs.order_by(*(self.queryset.query.order_by or self.queryset.model._meta.ordering or ["pk"]))



class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt or forbidden field is an error rather than silently ignored;
    its request schema says so (``additionalProperties: false``, StrictSerializerSchema)."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({k: ["不支持该字段。"] for k in unknown})
        return super().to_internal_value(data)


class StrictSerializerSchema(OpenApiSerializerExtension):
    target_class = StrictSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class LiveChoices(Sequence):
    """The current codes of a registry that modules fill at start-up (importers, attachable kinds), read when the
    schema is generated or a value is checked: an ``enum`` that follows whatever modules are installed."""

    def __init__(self, source):
        self._source = source

    def __iter__(self):
        return iter(sorted(self._source()))

    def __getitem__(self, index):
        return sorted(self._source())[index]

    def __len__(self):
        return len(self._source())


class LiveChoiceField(serializers.ChoiceField):
    """A ChoiceField over ``LiveChoices``: the schema lists the codes registered now, an unknown code is 400."""

    def __init__(self, source, **kwargs):
        self._live = LiveChoices(source)
        super().__init__(choices=(), **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.choices = list(self._live)


# The module API base -------------------------------------------------------------------------------------------
# What a module writes: a read serializer, write serializers on WriteSerializer, a viewset on ServiceViewSet that
# names its services, and ROUTES. The base checks the permission, finds the object in the caller's scope, parses
# the input, calls the service and answers with the read serializer; its schema documents the error responses.


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id, looked up only among the objects the requesting user may see: any other id is refused exactly
    like one that does not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(getattr(request, "user", None))


def display_field(source):
    """A read-only label shown beside a code or an id (``kind_label``, ``zone_name``): the Chinese text of
    ``source`` (a ``get_…_display`` method or a related object's attribute), null when the relation is empty."""
    return serializers.CharField(source=source, read_only=True, default=None, allow_null=True)


class WriteSerializer(serializers.ModelSerializer):
    """Input of a service: model fields parsed and checked for type; the service applies the rules. Uniqueness
    is checked by the service (in the same transaction as the write), not here."""

    serializer_related_field = VisibleRelatedField

    def get_unique_together_validators(self):
        return []

    def get_unique_for_date_validators(self):
        return []


class VersionedWriteSerializer(WriteSerializer):
    version = serializers.IntegerField(required=False, min_value=1, write_only=True,
                                       help_text="读取时的版本号；已被他人修改时返回 409。")


def _changes(data: dict):
    """The ``version`` the caller read (None when not sent) and the fields to change."""
    data = dict(data)
    version = data.pop("version", None)
    return version, data


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (ARCHITECTURE rule 6)."""

    code = serializers.CharField(help_text="机器可读的错误代码，如 invalid、permission_denied、not_found、stale、"
                                           "rule_violation")
    detail = serializers.CharField(help_text="中文说明")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="逐字段的中文错误信息；与字段无关时为空对象")


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误：fields 逐项说明"),
    401: OpenApiResponse(ErrorSerializer, description="未登录或令牌无效/已过期"),
    403: OpenApiResponse(ErrorSerializer, description="无此操作权限"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或无权查看"),
    409: OpenApiResponse(ErrorSerializer, description="版本已过期（他人已修改，code 为 stale）或与已有记录重复"),
    422: OpenApiResponse(ErrorSerializer, description="业务规则不允许"),
}


class CoreAutoSchema(AutoSchema):
    """The schema class of every API view (``DEFAULT_SCHEMA_CLASS``): each operation documents the error responses
    it can give, with ``ErrorSerializer``:

    - 401 wherever a login is needed, 403 (a permission the caller lacks);
    - reads: 400 when the operation takes query parameters, 404 on the routes of one object and on lists (a page
      beyond the last);
    - writes: 400, 409 and 422, and 404 on the routes of one object.

    A view adds what else it gives in ``schema_error_statuses`` (a read that applies a business rule: 422).
    Responses a view documents itself (``extend_schema(responses=…)``) are kept."""

    def needs_login(self) -> bool:
        from rest_framework.permissions import AllowAny

        return not all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def is_detail(self) -> bool:
        detail = getattr(self.view, "detail", None)
        return detail if detail is not None else (not self._is_list_view() and "{" in self.path)

    def takes_query(self) -> bool:
        return self._is_list_view() or any(p.get("in") == "query" for p in self._get_parameters())

    def error_statuses(self) -> list[int]:
        codes = {401, 403} if self.needs_login() else set()
        codes |= set(getattr(self.view, "schema_error_statuses", ()))
        if self.method in ("GET", "HEAD"):
            if self.takes_query() or "{" in self.path:
                codes.add(400)
            if self.is_detail() or self._is_list_view():
                codes.add(404)
        else:
            codes |= {400, 409, 422} | ({404} if self.is_detail() else set())
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if direction == "response":
            for status_code in self.error_statuses():
                if str(status_code) not in bodies:
                    bodies[str(status_code)] = self._get_response_for_code(
                        ERROR_RESPONSES[status_code], str(status_code), direction=direction)
        return bodies


class ModuleAutoSchema(CoreAutoSchema):
    """The schema of a viewset on the module API base: the request serializer is the one the action parses
    (``create_serializer_class`` for create, ``write_serializer_class`` for PATCH) and every operation documents
    the error responses it can give, with ``ErrorSerializer``:

    - 401 on every operation (a login is needed);
    - reads: 404 (an object outside the scope, or a page beyond the last), 400 on lists (filters, page size),
      403 where the viewset declares ``read_perms``;
    - writes: 400, 403, 409 and 422, and 404 on the routes of one object."""

    def get_request_serializer(self):
        action = getattr(self.view, "action", None)
        if action == "create" and getattr(self.view, "create_serializer_class", None):
            return self.view.create_serializer_class
        if action == "partial_update" and getattr(self.view, "write_serializer_class", None):
            return self.view.write_serializer_class
        return super().get_request_serializer()

    def error_statuses(self) -> list[int]:
        detail = self.is_detail()
        if self.method in ("GET", "HEAD"):
            codes = [401, 404] if detail else [400, 401, 404]
            if getattr(self.view, "read_perms", ()):
                codes.append(403)
            return sorted(codes)
        return sorted({400, 401, 403, 409, 422} | ({404} if detail else set()))


class ServiceViewSet(ScopedQuerysetMixin, viewsets.GenericViewSet):
    """The base of a module's viewset. Reads are scoped (``visible_to``). A write needs its permission first —
    ``action_perms[action]``, else ``write_perm``: 403 for a role that may never do it, whether the object exists
    or not — then the object (404 outside the scope), then valid input (400), then the service, whose errors
    (403/404/409/422) come out in the one error shape. ``read_perms``: any of them is needed for every request.

    ``respond(obj)`` answers with ``serializer_class``; ``validated(serializer_class)`` parses the request body."""

    schema = ModuleAutoSchema()
    write_perm = ""
    action_perms: dict = {}
    read_perms: tuple = ()
    write_serializer_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        scope = scope_of(request.user)
        if self.read_perms and not any(scope.has(p) for p in self.read_perms):
            raise Forbidden("您没有执行此操作的权限。")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            perm = self.action_perms.get(self.action, self.write_perm)
            if perm:
                require(request.user, perm)
            elif self.action is not None:  # (no action: a method the viewset does not offer, answered 405)
                raise ImproperlyConfigured(f"{type(self).__name__}: no permission declared for {self.action!r}")

    def validated(self, serializer_class=None, partial=False) -> dict:
        serializer = (serializer_class or self.write_serializer_class)(
            data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, obj, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(obj).data, status=status_code)


class CreateMixin:
    """POST: ``create_serializer_class`` parsed, then ``create_service(actor, [parent,] **fields)`` → 201. The
    ``create_parent`` field (the zone, organisation … the new row belongs to) is passed positionally."""

    create_serializer_class = None
    create_service = None
    create_parent = ""

    def create(self, request, *args, **kwargs):
        data = self.validated(self.create_serializer_class)
        parent = (data.pop(self.create_parent),) if self.create_parent else ()
        obj = type(self).create_service(request.user, *parent, **data)
        return self.respond(obj, status.HTTP_201_CREATED)


class PatchMixin:
    """PATCH: the fields given, plus ``version`` (stale → 409), through ``update_service(actor, obj, version=…,
    **changes)``."""

    update_service = None

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        version, changes = _changes(self.validated(partial=True))
        return self.respond(type(self).update_service(request.user, obj, version=version, **changes))


@extend_schema_field(OpenApiTypes.INT)
class ZoneField(serializers.Field):
    """A zone id (a query parameter or a body field) that must be one of the caller's zones (``core.zones``): any
    other is refused with "开发区无效。". Empty means none (platform-wide). ``as_object`` gives the zone itself."""

    def __init__(self, *, as_object=False, **kwargs):
        self.as_object = as_object
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        user = getattr(self.context.get("request"), "user", None)
        resolve = zones.resolve_zone_object if self.as_object else zones.resolve_zone
        try:
            return resolve(user, data, required=False, field=self.field_name)
        except zones.ZoneInvalid:
            raise serializers.ValidationError(zones.INVALID) from None

    def to_representation(self, value):
        return getattr(value, "pk", value)


def parse_query(request, serializer_class) -> dict:
    """The query parameters of ``request`` parsed by ``serializer_class`` (400 in the usual shape when invalid)."""
    serializer = serializer_class(data=request.query_params, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# Text the API refuses whatever the field: a NUL character (Django and the REST framework reject it), and, where a
# value is required (``minLength`` 1), one that is only whitespace (stripped before it is checked).
_NO_NUL = "^[^\\u0000]*$"
_NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _state_text_limits(node):
    if isinstance(node, dict):
        if node.get("type") == "string" and not ({"format", "enum", "pattern"} & set(node)):
            node["pattern"] = _NOT_BLANK if node.get("minLength", 0) >= 1 else _NO_NUL
        for value in node.values():
            _state_text_limits(value)
    elif isinstance(node, list):
        for value in node:
            _state_text_limits(value)


def postprocess_text_limits(result, generator, request, public):
    """drf-spectacular postprocessing hook: request bodies and query parameters state ``_NO_NUL``/``_NOT_BLANK``
    on their free-text strings (responses are left as they are)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _state_text_limits(component)
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    schema = parameter.get("schema") or {}
                    if schema.get("type") == "boolean":  # a yes/no filter: true or false (its 全部 is no parameter)
                        schema.pop("enum", None)
                    _state_text_limits(schema)
    return result
