"""Attachment table (imported by core.models so Django registers it)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from kaifaqu.core.access import Rule, ZoneScopedQuerySet


class AttachmentQuerySet(ZoneScopedQuerySet):
    """Zone-level pre-filter; downloads also check that the owning object is visible (core.files)."""

    rules = (Rule.zone(),)

    def scope_filter(self, scope):
        # A withdrawn attachment is visible to nobody, whatever the rules.
        return super().scope_filter(scope).filter(withdrawn_at__isnull=True)


class Attachment(models.Model):
    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT)
    object_id = models.CharField("对象ID", max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    sm3 = models.CharField("内容哈希（SM3）", max_length=64, db_index=True)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    mime = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")
    note = models.CharField("说明", max_length=200, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["zone_id", "content_type", "object_id"], name="attachment_owner")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:attachment-download", args=[self.pk])
