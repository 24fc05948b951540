"""The API's schema and documentation pages: open in demo mode, behind a login in production mode unless
``KAIFAQU_API_DOCS_PUBLIC=1`` opens them (the schema lists every route and field: reconnaissance for an attacker)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import BasePermission


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
swagger = _page(SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[DocsPermission]))
redoc = _page(SpectacularRedocView.as_view(url_name="api-schema", permission_classes=[DocsPermission]))
