from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kaifaqu.core import files
from kaifaqu.core.api import LiveChoiceField, LiveChoices, ScopedQuerysetMixin
from kaifaqu.core.files.models import Attachment


class AttachmentSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    download_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "object_type", "object_id", "name", "size", "mime", "sm3", "uploaded_by", "uploaded_at",
                  "note", "download_url"]

    def get_object_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class UploadSerializer(serializers.Serializer):
    object_type = LiveChoiceField(files.attachable_kinds, help_text="所属对象的类型，如 org.org",
                                  error_messages={"invalid_choice": "该类对象不支持附件。"})
    object_id = serializers.CharField(max_length=64)
    file = serializers.FileField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


@extend_schema(tags=["附件"])
class AttachmentViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        viewsets.GenericViewSet):
    """附件：按内容识别类型、限制大小，只能由能看到所属对象的用户下载。"""

    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    select_related = ("content_type",)
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["object_id"]
    schema_error_statuses = (404,)  # an upload names its owner, which may not exist or lie outside the scope

    def get_queryset(self):
        qs = super().get_queryset()
        object_type = self.request.query_params.get("object_type")
        if object_type:
            owner, _ = files.resolve_owner(self.request.user, object_type, self.request.query_params.get("object_id"))
            qs = files.for_object(self.request.user, owner)
        return qs

    @extend_schema(parameters=[OpenApiParameter("object_type", str, enum=LiveChoices(files.attachable_kinds),
                                                description="所属对象的类型（与 object_id 一起给出）"),
                               OpenApiParameter("object_id", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: AttachmentSerializer},
                   summary="上传附件")
    def create(self, request):
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        owner, perm = files.resolve_owner(request.user, data.validated_data["object_type"],
                                          data.validated_data["object_id"])
        attachment = files.attach(request.user, owner, data.validated_data["file"],
                                  note=data.validated_data.get("note", ""), perm=perm)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses=AttachmentSerializer, summary="撤回附件")
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser])
    def withdraw(self, request, pk=None):
        attachment = self.get_object()
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _, perm = files.resolve_owner(request.user, AttachmentSerializer().get_object_type(attachment),
                                      attachment.object_id)
        files.withdraw(request.user, attachment, reason=data.validated_data["reason"], perm=perm)
        return Response(AttachmentSerializer(attachment).data)


ROUTES = [("attachments", AttachmentViewSet, "attachment")]
