from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from kaifaqu.core import notify
from kaifaqu.core.api import ScopedQuerysetMixin
from kaifaqu.core.notify.models import Notification
from kaifaqu.core.notify.views import NotificationFilter


class NotificationSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_label", "title", "body", "url", "object_type", "object_id", "created_at",
                  "read_at"]

    def get_kind_label(self, obj) -> str:
        return notify.KINDS.get(obj.kind, obj.kind)


ReadResult = inline_serializer("NotificationReadResult", {"marked": serializers.IntegerField()})


@extend_schema(tags=["通知"])
class NotificationViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """当前用户的站内通知。"""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    @extend_schema(request=None, responses=ReadResult, summary="标为已读")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        return Response({"marked": notify.mark_read(request.user, self.get_object())})

    @extend_schema(request=None, responses=ReadResult, summary="全部标为已读")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notify.mark_read(request.user)})


ROUTES = [("notifications", NotificationViewSet, "notification")]
