"""The project's URLconf plus the test app's API and pages (``@pytest.mark.urls("tests.kitapp.urls")``)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from kaifaqu.core.workflow.views import ActionView
from kaifaqu.urls import handler400, handler403, handler404, handler500  # noqa: F401

from .api import TicketViewSet
from .views import TicketDetailView
from .workflow import TICKET

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("kit-tickets", TicketViewSet, basename="kit-ticket")

pages = [
    path("tickets/<int:pk>/", TicketDetailView.as_view(), name="ticket-detail"),
    path("tickets/<int:pk>/do/<slug:action>/", ActionView.as_view(workflow=TICKET), name="ticket-action"),
]

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("kit/", include((pages, "kitapp"), namespace="kitapp")),
    path("", include("kaifaqu.urls")),
]
