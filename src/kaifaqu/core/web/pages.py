"""Home (工作台), health check and error pages; API paths get the JSON error shape."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from kaifaqu.core import audit, workbench
from kaifaqu.core.access import scope_of
from kaifaqu.core.api import json_error_response
from kaifaqu.core.web.menu import menu_for


@login_required
def home(request):
    """工作台: what waits for the user (every module's workbench entries: to-dos and alerts), and the menu as tiles."""
    scope = scope_of(request.user)
    banner = request.session.pop("login_banner", None)
    return render(request, "core/home.html", {
        "title": "工作台", "banner": banner, "entries": workbench.entries_for(request.user),
        "shortcuts": menu_for(scope, ""),
    })


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _is_api(request):
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api(request):
        return json_error_response(404)
    message = str(exception) if exception and str(exception) and not str(exception).isascii() else "页面不存在，或您无权查看。"
    return render(request, "core/error.html", {"code": 404, "message": message, "title": "未找到"}, status=404)


def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audit.record(user, "access.denied", None, object_type="url", object_id=request.path[:64],
                     object_label=request.path[:300], zone_id=None)
    if _is_api(request):
        return json_error_response(403)
    message = str(exception) if exception and str(exception) and not str(exception).isascii() else "您没有访问此页面的权限。"
    return render(request, "core/error.html", {"code": 403, "message": message, "title": "无权访问"}, status=403)


def bad_request(request, exception=None):
    if _is_api(request):
        return json_error_response(400, "请求无效。")
    return render(request, "core/error.html", {"code": 400, "message": "请求无效。", "title": "请求无效"}, status=400)


def server_error(request):
    if _is_api(request):
        return json_error_response(500, "服务器内部错误，请联系系统管理员。", code="server_error")
    return render(request, "core/error.html", {"code": 500, "message": "服务器内部错误，请联系系统管理员。",
                                               "title": "出错了"}, status=500)


def csrf_failure(request, reason=""):
    return render(request, "core/error.html", {"code": 403, "message": "页面已过期或来源无效，请刷新后重试。",
                                               "title": "请求被拒绝"}, status=403)
