"""Imports over the API: upload with a dry run (preview counts or the errors), confirm, poll, template download."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from kaifaqu.core import imports
from kaifaqu.core.api import LiveChoiceField, LiveChoices, ScopedQuerysetMixin, error_body
from kaifaqu.core.imports.engine import IMPORTERS, get_importer, template_workbook
from kaifaqu.core.imports.models import ImportJob, ImportState
from kaifaqu.core.tabular import XLSX_MIME, attachment_response


class ImportJobSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    progress = serializers.SerializerMethodField()
    error_workbook_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "layout", "zone", "file_name", "file_kind", "sm3", "size", "state", "state_display",
                  "total_rows", "new_rows", "changed_rows", "unchanged_rows", "error_count", "errors", "progress",
                  "message", "created_at", "finished_at", "file_purged_at", "error_workbook_url"]

    def get_progress(self, obj) -> int:
        return imports.current_progress(obj)

    def get_error_workbook_url(self, obj) -> str | None:
        from django.urls import reverse

        return reverse("core:import-errors", args=[obj.pk]) if obj.error_count and not obj.file_purged_at else None


class ImportUploadSerializer(serializers.Serializer):
    layout = LiveChoiceField(lambda: list(IMPORTERS), help_text="导入的数据类别（各模块登记的表格格式）",
                             error_messages={"invalid_choice": "不支持导入该类数据。"})
    file = serializers.FileField()
    zone = serializers.IntegerField(required=False, help_text="导入到哪个开发区（用户只属于一个开发区时可省略）")
    dry_run = serializers.BooleanField(default=True, help_text="true：只校验并返回新增/修改/未变条数；false：校验通过即导入")


def _failed(job):
    body = error_body(400, job.message or "校验未通过，未导入任何数据。", {"file": [job.message or "校验未通过。"]})
    body.update(id=job.pk, errors=job.errors, error_count=job.error_count,
                error_workbook_url=ImportJobSerializer().get_error_workbook_url(job))
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(tags=["导入"])
class ImportJobViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """表格导入：上传（可只校验）→ 确认 → 查询进度与结果；每类数据可下载模板。"""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]
    schema_error_statuses = (404,)  # a template's layout outside the path's pattern matches no route

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer},
                   responses={200: ImportJobSerializer, 201: ImportJobSerializer, 202: ImportJobSerializer,
                              400: OpenApiResponse(description="校验未通过：errors 列出（行、列、值、说明）"),
                              413: OpenApiResponse(description="文件或行数过大"),
                              415: OpenApiResponse(description="不是表格文件")},
                   summary="上传表格（预览或直接导入）")
    def create(self, request):
        data = ImportUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        args = data.validated_data
        job = imports.upload(request.user, args["layout"], args["file"], zone_id=args.get("zone"))
        if job.state == ImportState.FAILED:
            return _failed(job)
        if job.state == ImportState.VALIDATED and not args["dry_run"]:
            job = imports.confirm(request.user, job)
            if job.state == ImportState.FAILED:
                return _failed(job)
        code = status.HTTP_202_ACCEPTED if job.busy else (
            status.HTTP_201_CREATED if job.state == ImportState.DONE else status.HTTP_200_OK)
        return Response(ImportJobSerializer(job).data, status=code)

    @extend_schema(request=None, responses={200: ImportJobSerializer, 202: ImportJobSerializer}, summary="确认导入")
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, FormParser, MultiPartParser])
    def confirm(self, request, pk=None):
        job = imports.confirm(request.user, self.get_object())
        if job.state == ImportState.FAILED:
            return _failed(job)
        return Response(ImportJobSerializer(job).data,
                        status=status.HTTP_202_ACCEPTED if job.busy else status.HTTP_200_OK)

    @extend_schema(responses={(200, XLSX_MIME): OpenApiTypes.BINARY}, summary="下载导入模板",
                   parameters=[OpenApiParameter("layout", str, OpenApiParameter.PATH,
                                                enum=LiveChoices(lambda: list(IMPORTERS)),
                                                description="导入的数据类别")])
    @action(detail=False, methods=["get"], url_path=r"templates/(?P<layout>[\w-]+)")
    def templates(self, request, layout=None):
        from kaifaqu.core.access import require

        importer = get_importer(layout)
        require(request.user, importer.perm)
        return attachment_response(template_workbook(importer), f"{importer.title}导入模板.xlsx", XLSX_MIME)


ROUTES = [("imports", ImportJobViewSet, "import")]
