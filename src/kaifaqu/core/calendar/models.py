"""Working-day overrides (imported by core.models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kaifaqu.core.access import scope_of


class WorkdayOverrideQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if not scope.is_authenticated:
            return self.none()
        return self.filter(Q(zone_id__isnull=True) | Q(zone_id__in=scope.zone_ids))


class WorkdayOverride(models.Model):
    """A day the official calendar gets wrong for us: a new year's State Council notice entered before the library
    knows it (platform-wide, no zone), or a zone's local day off / working day."""

    zone = models.ForeignKey(settings.KAIFAQU_TENANT_MODEL, verbose_name="开发区（空为全平台）", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    is_workday = models.BooleanField("是否工作日")
    reason = models.CharField("原因", max_length=100)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = WorkdayOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "date"], name="override_unique_zone_date"),
            models.UniqueConstraint(fields=["date"], condition=Q(zone__isnull=True), name="override_unique_platform"),
        ]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_workday else '休息'} {self.reason}"


class WorkingPeriod(models.Model):
    """One period of the working-hours table (工作时间), e.g. 08:30–12:00. A zone without rows uses the platform's
    rows (zone empty); without those, the default 08:30–12:00 and 13:30–17:30. Written only by
    calendar_services.do_set_working_hours, which replaces one table at a time."""

    zone = models.ForeignKey(settings.KAIFAQU_TENANT_MODEL, verbose_name="开发区（空为全平台）", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    start = models.TimeField("开始")
    end = models.TimeField("结束")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = WorkdayOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = "工作时间段"
        verbose_name_plural = "工作时间段"
        ordering = ["zone_id", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="working_period_end_after_start"),
        ]

    def __str__(self):
        return f"{self.start:%H:%M}–{self.end:%H:%M}"
