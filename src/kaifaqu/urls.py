from importlib import import_module

from django.contrib.auth import views as auth_views
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kaifaqu.accounts import api as accounts_api
from kaifaqu.accounts.views import LoginView
from kaifaqu.core import api_docs, calendar_api, pages

# Each module lists its API routes as ROUTES = [(prefix, viewset, basename)] in the module named here.
API_MODULES = ["kaifaqu.core.audit_api", "kaifaqu.core.notify_api", "kaifaqu.core.files_api", "kaifaqu.core.import_api", "kaifaqu.core.calendar_api", "kaifaqu.org.api", "kaifaqu.accounts.api"]
PAGE_MODULES = [("org", "kaifaqu.org.urls"), ("accounts", "kaifaqu.accounts.urls"), ("core", "kaifaqu.core.urls")]

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for module_name in API_MODULES:
    module = import_module(module_name)
    for prefix, viewset, basename in getattr(module, "ROUTES", []):
        router.register(prefix, viewset, basename=basename)

api_v1 = [
    path("auth/token", accounts_api.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke", accounts_api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/me", accounts_api.MeView.as_view(), name="api-me"),
    path("calendar/add", calendar_api.CalendarAddView.as_view(), name="api-calendar-add"),
    path("calendar/between", calendar_api.CalendarBetweenView.as_view(), name="api-calendar-between"),
    path("calendar/deadline", calendar_api.CalendarDeadlineView.as_view(), name="api-calendar-deadline"),
    path("calendar/day", calendar_api.CalendarDayView.as_view(), name="api-calendar-day"),
    path("calendar/coverage", calendar_api.CalendarCoverageView.as_view(), name="api-calendar-coverage"),
    path("calendar/working-hours/", calendar_api.WorkingHoursView.as_view(), name="api-calendar-working-hours"),
    path("", include(router.urls)),
]

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
for namespace, module_name in PAGE_MODULES:
    urlpatterns.append(path(f"{namespace}/", include((module_name, namespace), namespace=namespace)))

handler400 = "kaifaqu.core.pages.bad_request"
handler403 = "kaifaqu.core.pages.permission_denied"
handler404 = "kaifaqu.core.pages.page_not_found"
handler500 = "kaifaqu.core.pages.server_error"
