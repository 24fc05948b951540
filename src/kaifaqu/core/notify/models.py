"""Notification tables (imported by core.models so Django registers them)."""

from django.conf import settings
from django.db import models

from kaifaqu.core.access import ZoneScopedQuerySet


class NotificationQuerySet(ZoneScopedQuerySet):
    def scope_filter(self, scope):
        # Not a zone rule: an inbox is its owner's alone, in any zone and for platform messages (no zone) too.
        return self.filter(recipient_id=scope.user_id)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one user (a message to an organisation is fanned out to its users when sent)."""

    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField("类别", max_length=64)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(fields=["zone_id", "created_at"], name="notification_zone_time"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:notification-open", args=[self.pk])


class NotificationPreference(models.Model):
    """Which kinds of notification also reach the user by email (in-app always)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField("类别", max_length=64)
    email = models.BooleanField("邮件提醒", default=False)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique")]

    def __str__(self):
        return f"{self.user_id} {self.kind}"
