from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from kaifaqu.core.access import require
from kaifaqu.core.api import ScopedQuerysetMixin
from kaifaqu.core.audit.filters import AuditEventFilter
from kaifaqu.core.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "seq", "created_at", "zone_id", "actor", "actor_name", "actor_display", "actor_org_id",
                  "actor_org_name", "ip", "user_agent", "channel", "action", "object_type", "object_id",
                  "object_label", "before", "after", "reason", "principal", "prev_hash", "hash"]


@extend_schema(tags=["审计"])
class AuditEventViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """审计日志（仅审计管理员）。"""

    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields = ["seq", "created_at"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require(request.user, "audit.view")


ROUTES = [("audit-events", AuditEventViewSet, "audit-event")]
