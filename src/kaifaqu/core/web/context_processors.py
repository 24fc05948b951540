from kaifaqu.core.access import scope_of
from kaifaqu.core.notify import unread_count
from kaifaqu.core.web.menu import menu_for


def shell(request):
    scope = scope_of(getattr(request, "user", None))
    return {
        # a middleware may close the menu (a user who must first enrol a second factor)
        "menu": menu_for(scope, request.path) if scope.is_authenticated and not getattr(
            request, "shell_menu_hidden", False) else [],
        "scope": scope,
        "unread_notifications": unread_count(request.user) if scope.is_authenticated else 0,
        "product_name": "开发区管理运行平台",
    }
