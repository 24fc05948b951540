from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kaifaqu.accounts.views import LoginView
from kaifaqu.core import registry
from kaifaqu.core.web import api_docs, pages

# Each module declares its API routes, API views and pages in its AppConfig (kaifaqu.core.registry.ModuleConfig).
router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for prefix, viewset, basename in registry.api_routes():
    router.register(prefix, viewset, basename=basename)

api_v1 = [path(route, view.as_view(), name=name) for route, view, name in registry.api_views()]
api_v1.append(path("", include(router.urls)))

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", api_docs.schema, name="api-schema"),
    path("api/docs/", api_docs.swagger, name="api-docs"),
    path("api/redoc/", api_docs.redoc, name="api-redoc"),
]
for namespace, module_name in registry.pages():
    urlpatterns.append(path(f"{namespace}/", include((module_name, namespace), namespace=namespace)))

handler400 = "kaifaqu.core.web.pages.bad_request"
handler403 = "kaifaqu.core.web.pages.permission_denied"
handler404 = "kaifaqu.core.web.pages.page_not_found"
handler500 = "kaifaqu.core.web.pages.server_error"
