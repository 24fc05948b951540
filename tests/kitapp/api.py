from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets

from kaifaqu.core.api import ScopedQuerysetMixin
from kaifaqu.core.workflow.api import WorkflowActionsMixin

from .models import Ticket
from .workflow import TICKET


class TicketSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "zone_id", "org", "title", "state", "state_label", "version"]
        read_only_fields = fields


@extend_schema(tags=["测试工单"])
class TicketViewSet(WorkflowActionsMixin, ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """测试工单。"""

    queryset = Ticket.objects.all()
    serializer_class = TicketSerializer
    workflow = TICKET
