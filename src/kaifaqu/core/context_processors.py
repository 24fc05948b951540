from .access import scope_of
from .menu import menu_for


def shell(request):
    scope = scope_of(getattr(request, "user", None))
    return {
        "menu": menu_for(scope, request.path) if scope.is_authenticated else [],
        "scope": scope,
        "product_name": "开发区管理运行平台",
    }
