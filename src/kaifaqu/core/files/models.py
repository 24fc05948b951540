"""Attachment table (imported by core.models so Django registers it)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.files.kinds import ATTACHABLE


class AttachmentQuerySet(ZoneScopedQuerySet):
    """An attachment is visible to whoever may see the object it belongs to: within the user's zones, and only
    where the owning row passes its own model's scoping (a clerk who sees only his unit's staff lists only their
    attachments). One query: a subquery of visible owners per attachable kind."""

    rules = (Rule.zone(),)

    def scope_filter(self, scope):
        # A withdrawn attachment is visible to nobody, whatever the rules.
        qs = super().scope_filter(scope).filter(withdrawn_at__isnull=True)
        owners = Q(pk__in=[])
        for label in ATTACHABLE:
            app_label, model_name = label.split(".", 1)
            content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
            model = content_type.model_class()
            scoped = getattr(model.objects.all(), "scope_filter", None)
            if scoped is None:  # an owner model without scoping rules lends its attachments to nobody
                continue
            visible = scoped(scope).annotate(_attachment_key=Cast("pk", models.CharField()))
            owners |= Q(content_type=content_type, object_id__in=visible.values("_attachment_key"))
        return qs.filter(owners)


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
