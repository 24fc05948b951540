"""Per-organisation webhooks and their delivery log (imported by core.models)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet


class WebhookQuerySet(ZoneScopedQuerySet):
    # The zone's managers see all its webhooks; anyone else only their own organisation's.
    rules = (Rule.zone("webhooks.manage"), Rule.own_org(field="org_id"))


class Webhook(models.Model):
    zone_id = models.BigIntegerField("所属开发区")
    org_id = models.BigIntegerField("单位ID")
    org_name = models.CharField("单位", max_length=150)
    url = models.URLField("接收地址", max_length=300)
    secret_sealed = models.CharField("签名密钥（SM4 加密）", max_length=200)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间")

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = "Webhook"
        verbose_name_plural = "Webhook"
        ordering = ["zone_id", "org_name", "id"]
        indexes = [models.Index(fields=["zone_id", "org_id"], name="webhook_zone_org")]

    def __str__(self):
        return f"{self.org_name} → {self.url}"

    def get_absolute_url(self):
        return reverse("core:webhook-detail", args=[self.pk])

    @property
    def secret(self) -> str:
        from kaifaqu.core.crypto import unseal

        return unseal(self.secret_sealed, purpose="webhook-secret").decode()


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "失败（已停止重试）"


class WebhookDeliveryQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("webhooks.manage"), Rule.own_org(field="webhook__org_id"))


class WebhookDelivery(models.Model):
    zone_id = models.BigIntegerField("所属开发区")
    webhook = models.ForeignKey(Webhook, verbose_name="Webhook", on_delete=models.PROTECT, related_name="deliveries")
    kind = models.CharField("事件", max_length=64)
    payload = models.JSONField("内容")
    status = models.CharField("状态", max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试")
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("最近响应码", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间")
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "Webhook 投递"
        verbose_name_plural = "Webhook 投递"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="webhook_due",
                         condition=Q(status__in=["pending", "sending"])),
            models.Index(fields=["zone_id", "created_at"], name="webhook_delivery_zone_time"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    def get_absolute_url(self):
        return reverse("core:webhook-detail", args=[self.webhook_id])
