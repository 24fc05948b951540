"""Working-day overrides (imported by core.models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kaifaqu.core.access import Rule, ZoneScopedQuerySet


class WorkdayOverrideQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone(),)

    def scope_filter(self, scope):
        # Besides the zone's own rows, the platform-wide ones (no zone) hold for every zone: everyone sees them.
        zone = self.rule_condition(scope)
        platform = Q(zone_id__isnull=True)
        return self.filter(platform | zone if zone is not None else platform)


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


class PublishedYear(models.Model):
    """A year whose State Council notice (国务院办公厅关于某年部分节假日安排的通知) the system administrator entered
    as platform-wide overrides and confirmed as published: from then on the year is official (the days the notice
    does not name follow Monday–Friday) instead of provisional. Written only by calendar_services.do_confirm_year."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    notice_no = models.CharField("国务院办公厅通知文号", max_length=100)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = "已发布年度节假日安排"
        verbose_name_plural = "已发布年度节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年（{self.notice_no}）"
