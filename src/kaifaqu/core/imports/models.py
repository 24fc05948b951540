"""Import jobs (imported by core.models): one uploaded spreadsheet from preview to result."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet


class ImportState(models.TextChoices):
    PENDING = "pending", "等待校验"
    VALIDATED = "validated", "校验通过，待确认"
    FAILED = "failed", "校验未通过"
    CONFIRMED = "confirmed", "已确认，等待导入"
    RUNNING = "running", "正在导入"
    DONE = "done", "导入完成"


class ImportJobQuerySet(ZoneScopedQuerySet):
    """The uploader, and the administrators of the same zone."""

    rules = (Rule.zone("user.manage"),)

    def scope_filter(self, scope):
        # Besides the rule, uploaders see their own jobs in any zone, platform-wide ones (no zone) included.
        condition = Q(uploaded_by_id=scope.user_id)
        zone = self.rule_condition(scope)
        return self.filter(condition | zone if zone is not None else condition)


class ImportJob(models.Model):
    zone = models.ForeignKey(settings.KAIFAQU_TENANT_MODEL, verbose_name="开发区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    layout = models.CharField("导入类型", max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    file_name = models.CharField("文件名", max_length=200)
    file_kind = models.CharField("文件类型", max_length=8)
    sm3 = models.CharField("SM3", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    state = models.CharField("状态", max_length=16, choices=ImportState.choices, default=ImportState.PENDING)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    new_rows = models.PositiveIntegerField("新增", default=0)
    changed_rows = models.PositiveIntegerField("修改", default=0)
    unchanged_rows = models.PositiveIntegerField("未变", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    preview = models.JSONField("预览", default=dict, blank=True)
    header_row = models.PositiveIntegerField("表头行", default=1)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    message = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    started_at = models.DateTimeField("开始导入时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)  # see core.import_heartbeat
    file_purged_at = models.DateTimeField("上传文件清理时间", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["zone", "state"], name="importjob_zone_state"),
                   models.Index(fields=["state", "created_at"], name="importjob_state_created")]

    def __str__(self):
        return f"导入 {self.file_name}"

    def get_absolute_url(self):
        return reverse("core:import-detail", args=[self.pk])

    @property
    def layout_title(self):
        from kaifaqu.core.imports.engine import IMPORTERS

        importer = IMPORTERS.get(self.layout)
        return importer.title if importer else self.layout

    @property
    def busy(self):
        return self.state in (ImportState.PENDING, ImportState.CONFIRMED, ImportState.RUNNING)
