from importlib import import_module

from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from kaifaqu.accounts import api as accounts_api
from kaifaqu.accounts.views import LoginView
from kaifaqu.core.calendar import api as calendar_api
from kaifaqu.core.calendar import month as calendar_month
from kaifaqu.core.calendar import years as calendar_years

# Each module lists its API routes as ROUTES = [(prefix, viewset, basename)] in the module named here.
from kaifaqu.core.web import pages

API_MODULES = ["kaifaqu.core.audit.api", "kaifaqu.core.notify.api", "kaifaqu.core.files.api", "kaifaqu.core.imports.api", "kaifaqu.core.calendar.api", "kaifaqu.org.api", "kaifaqu.accounts.api"]
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
    path("calendar/month", calendar_month.MonthApiView.as_view(), name="api-calendar-month"),
    path("calendar/years/", calendar_years.PublishedYearsView.as_view(), name="api-calendar-years"),
    path("calendar/working-hours/", calendar_api.WorkingHoursView.as_view(), name="api-calendar-working-hours"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
for namespace, module_name in PAGE_MODULES:
    urlpatterns.append(path(f"{namespace}/", include((module_name, namespace), namespace=namespace)))

handler400 = "kaifaqu.core.web.pages.bad_request"
handler403 = "kaifaqu.core.web.pages.permission_denied"
handler404 = "kaifaqu.core.web.pages.page_not_found"
handler500 = "kaifaqu.core.web.pages.server_error"
