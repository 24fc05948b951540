"""API conventions shared by every module: pagination, the error shape, scoped viewsets."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kaifaqu.core.errors import ServiceError

MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "页码超出范围或无效。"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise exceptions.ValidationError({"page_size": ["每页条数必须是整数。"]}) from None
        if size < 1 or size > MAX_PAGE_SIZE:
            raise exceptions.ValidationError({"page_size": [f"每页条数必须在 1 到 {MAX_PAGE_SIZE} 之间。"]})
        return size


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
        return Response(error_body(400, "提交的数据有误，请检查。", fields), status=400)
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
        fields = _flatten(exc.detail)
        body = error_body(400, "提交的数据有误，请检查。", fields)
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

