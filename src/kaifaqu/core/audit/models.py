"""The audit trail's tables: append-only events chained by hash, and the one chain-head row."""

from django.conf import settings
from django.db import models

from kaifaqu.core.access import ZoneScopedQuerySet


class AuditQuerySet(ZoneScopedQuerySet):
    """Append-only: the ORM refuses bulk updates and deletes of audit rows."""

    def update(self, **kwargs):
        raise PermissionError("审计记录不可修改。")

    def delete(self):
        raise PermissionError("审计记录不可删除。")

    def scope_filter(self, scope):
        # Not a zone rule: an event belongs to the zone it touched or to the zone of the actor who caused it.
        if not scope.has("audit.view"):
            return self.none()
        if scope.org_id is not None:
            # A zone's audit administrator reads that zone's events and the platform-wide ones (logins …)
            # of its own users; a platform audit administrator (no organisation; its scope lists every zone, but
            # it must also read the events of no zone: the platform's own and the administrators') reads
            # everything.
            return self.filter(models.Q(zone_id__in=scope.zone_ids) | models.Q(actor_zone_id__in=scope.zone_ids))
        return self


class AuditEvent(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间", db_index=True)
    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_constraint=False,
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    actor_display = models.CharField("操作人姓名", max_length=150, blank=True)
    actor_org_id = models.BigIntegerField("操作人单位ID", null=True, blank=True)
    actor_org_name = models.CharField("操作人单位", max_length=200, blank=True)
    actor_zone_id = models.BigIntegerField("操作人所属开发区", null=True, blank=True)
    ip = models.CharField("IP 地址", max_length=64, blank=True)
    user_agent = models.CharField("终端", max_length=400, blank=True)
    channel = models.CharField("渠道", max_length=16, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_label = models.CharField("对象名称", max_length=300, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.TextField("原因/说明", blank=True)
    # On whose behalf the actor acted (e.g. a 帮办代办 agent for an enterprise): {"type", "id", "name"}; hashed only
    # when set, so events written before the field existed verify unchanged.
    principal = models.JSONField("代为办理的委托方", null=True, blank=True)
    prev_hash = models.CharField("前一哈希", max_length=64, blank=True)
    hash = models.CharField("哈希", max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["zone_id", "created_at"], name="audit_zone_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计记录不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不可删除。")


class AuditChainHead(models.Model):
    """One row; updating it first serialises audit writers so the hash chain never forks.

    ``mac`` is HMAC-SM3 over (seq, last_hash) under a key derived from the audit key (``audit.anchor.head_mac``), so
    the head cannot be rewound to hide deleted tail events without the key."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "审计链头"

    def __str__(self):
        return f"#{self.seq}"
