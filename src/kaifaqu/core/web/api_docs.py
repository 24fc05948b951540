"""The API's schema and documentation pages: open in demo mode, behind a login in production mode unless
``KAIFAQU_API_DOCS_PUBLIC=1`` opens them (the schema lists every route and field: reconnaissance for an attacker)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.permissions import BasePermission

from kaifaqu.core.web.csp import csp_update


def docs_public() -> bool:
    return bool(getattr(settings, "API_DOCS_PUBLIC", True))


class DocsPermission(BasePermission):
    """A token or a session in production mode (401 in the usual error shape without one)."""

    def has_permission(self, request, view):
        return docs_public() or bool(request.user and request.user.is_authenticated)


def _page(view):
    def wrapped(request, *args, **kwargs):
        if not docs_public() and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


schema = SpectacularAPIView.as_view(permission_classes=[DocsPermission])
# Swagger UI in the split form: its init script is a second request (?script), not inline.
swagger = _page(SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[DocsPermission]))
# Redoc builds its styles at run time (styled-components), runs its search in a blob: worker and always shows its
# vendor's logo from that one address (it hides it itself when the address cannot be reached, as offline); scripts
# stay 'self' only. The page shows the schema and nothing a user typed.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
redoc = _page(csp_update(style_src=["'unsafe-inline'"], worker_src=["blob:"], img_src=[REDOC_LOGO])(
    SpectacularRedocView.as_view(url_name="api-schema", permission_classes=[DocsPermission])))
