from rest_framework import mixins, serializers, viewsets

from kaifaqu.core.api import ScopedQuerysetMixin

from .filters import ZoneFilter
from .models import Zone


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "name", "short_name", "code", "kind", "level", "province", "city", "county", "area_km2",
                  "rank", "established_on", "description", "version"]


class ZoneViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Zone.objects.all()
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilter
    ordering_fields = ["code", "name"]


ROUTES = [("zones", ZoneViewSet, "zone")]
