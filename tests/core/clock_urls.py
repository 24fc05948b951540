"""A test URLconf: org's organisations as clock owners, to prove core.clock.api.ClockActionsMixin on a real route."""

from django.urls import include, path
from rest_framework import viewsets
from rest_framework.routers import DefaultRouter

from kaifaqu.core.clock.api import ClockActionsMixin
from kaifaqu.org.api import OrgSerializer
from kaifaqu.org.models import Org
from kaifaqu.urls import urlpatterns as project_urls


class OwnerViewSet(ClockActionsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgSerializer
    clock_permission = "staff.change"

    def get_queryset(self):
        return Org.objects.visible_to(self.request.user)


router = DefaultRouter()
router.register("clock-owners", OwnerViewSet, basename="clock-owner")
urlpatterns = [path("api/test/", include(router.urls)), *project_urls]
