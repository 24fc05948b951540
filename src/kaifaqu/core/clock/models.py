"""Deadline clocks, their append-only ledgers (pauses, extensions, escalation steps fired) (imported by core.models)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from kaifaqu.core.access import Rule, ZoneScopedQuerySet


class ClockUnit(models.TextChoices):
    WORKDAYS = "workdays", "工作日"
    DAYS = "days", "自然日"
    WORKHOURS = "workhours", "工作小时"
    HOURS = "hours", "自然小时"  # calendar (wall-clock) hours; the stored value stays "hours" for existing rows
    MINUTES = "minutes", "分钟"  # wall-clock minutes (an emergency's report-in within 30 minutes)


class ClockState(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "已暂停"
    OVERDUE = "overdue", "已逾期（计时中）"
    MET = "met", "按期完成"
    MET_LATE = "met_late", "逾期完成"


OPEN_STATES = (ClockState.RUNNING, ClockState.PAUSED, ClockState.OVERDUE)


class ClockStatus(models.TextChoices):
    """What a person sees (derived from the state, the warning and the due time at a given moment)."""

    NORMAL = "normal", "正常"
    WARNING = "warning", "预警"
    OVERDUE = "overdue", "逾期"
    PAUSED = "paused", "已暂停"
    MET = "met", "按期完成"
    MET_LATE = "met_late", "逾期完成"


def status_conditions(now):
    """{status: Q} — mutually exclusive, one per display status, evaluated in SQL at ``now``."""
    running = Q(state=ClockState.RUNNING)
    late = Q(state=ClockState.OVERDUE) | (running & Q(due_at__lte=now))
    return {
        ClockStatus.OVERDUE: late,
        ClockStatus.WARNING: running & Q(due_at__gt=now) & (Q(warn_at__lte=now) | Q(warned_at__isnull=False)),
        ClockStatus.NORMAL: running & Q(due_at__gt=now) & Q(warn_at__gt=now) & Q(warned_at__isnull=True),
        ClockStatus.PAUSED: Q(state=ClockState.PAUSED),
        ClockStatus.MET: Q(state=ClockState.MET),
        ClockStatus.MET_LATE: Q(state=ClockState.MET_LATE),
    }


class PauseReason(models.TextChoices):
    SUPPLEMENT = "supplement", "补正"
    HEARING = "hearing", "听证"
    TESTING = "testing", "检验检测检疫"
    APPRAISAL = "appraisal", "鉴定"
    EXPERT_REVIEW = "expert_review", "专家评审"
    PUBLICITY = "publicity", "公示"
    TENDER = "tender", "招标拍卖"
    OTHER = "other", "其他"


class ClockQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone(),)

    def with_status(self, now):
        """Annotate ``status`` (a ClockStatus value) computed in SQL at ``now``; the badge reads it."""
        return self.annotate(status=models.Case(
            *(models.When(cond, then=models.Value(status.value)) for status, cond in status_conditions(now).items()),
            default=models.Value(ClockStatus.NORMAL.value), output_field=models.CharField()))


class DeadlineClock(models.Model):
    """One time limit of one object. ``due_at`` and ``warn_at`` are recomputed on every pause, resume and extension."""

    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    content_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT)
    object_id = models.CharField("对象ID", max_length=64)
    kind = models.CharField("时限类别", max_length=64)
    unit = models.CharField("单位", max_length=16, choices=ClockUnit.choices)
    limit = models.PositiveIntegerField("时限")
    started_at = models.DateTimeField("起算时间")
    due_at = models.DateTimeField("到期时间", null=True, blank=True)
    warn_at = models.DateTimeField("预警时间", null=True, blank=True)
    state = models.CharField("状态", max_length=16, choices=ClockState.choices, default=ClockState.RUNNING)
    warned_at = models.DateTimeField("已预警时间", null=True, blank=True)
    overdue_at = models.DateTimeField("逾期时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    pause_count = models.PositiveIntegerField("暂停次数", default=0)
    paused_total = models.FloatField("暂停累计（与时限同单位）", default=0)
    next_step_at = models.DateTimeField("下一督办步骤时间", null=True, blank=True)
    provisional = models.BooleanField("预估", default=False,
                                      help_text="到期时间的计算经过尚未正式发布节假日安排的年份（按法定节假日预估）")
    version = models.PositiveIntegerField(default=1)

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = "时限"
        verbose_name_plural = "时限"
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="clock_due_running", condition=Q(state="running")),
            models.Index(fields=["warn_at"], name="clock_warn_running",
                         condition=Q(state="running", warned_at__isnull=True)),
            models.Index(fields=["zone_id", "content_type", "object_id"], name="clock_owner"),
            models.Index(fields=["next_step_at"], name="clock_next_step", condition=Q(next_step_at__isnull=False)),
        ]
        constraints = [models.CheckConstraint(condition=Q(limit__gt=0), name="clock_limit_positive")]

    def __str__(self):
        return f"{self.kind} {self.limit}{self.get_unit_display()}"

    def status_at(self, now) -> "ClockStatus":
        if self.state == ClockState.MET:
            return ClockStatus.MET
        if self.state == ClockState.MET_LATE:
            return ClockStatus.MET_LATE
        if self.state == ClockState.PAUSED:
            return ClockStatus.PAUSED
        if self.state == ClockState.OVERDUE or (self.due_at is not None and self.due_at <= now):
            return ClockStatus.OVERDUE
        if self.warned_at is not None or (self.warn_at is not None and self.warn_at <= now):
            return ClockStatus.WARNING
        return ClockStatus.NORMAL


class ClockPause(models.Model):
    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    clock = models.ForeignKey(DeadlineClock, verbose_name="时限", on_delete=models.PROTECT, related_name="pauses")
    started_at = models.DateTimeField("暂停时间")
    ended_at = models.DateTimeField("恢复时间", null=True, blank=True)
    reason = models.CharField("原因", max_length=20, choices=PauseReason.choices)
    reason_text = models.CharField("原因说明", max_length=300, blank=True)
    expected_end = models.DateField("预计恢复日期", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                           related_name="+")
    notice = models.ForeignKey("core.Attachment", verbose_name="书面告知", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "暂停计时"
        verbose_name_plural = "暂停计时"
        ordering = ["clock_id", "started_at"]
        constraints = [
            models.UniqueConstraint(fields=["clock"], condition=Q(ended_at__isnull=True), name="clock_one_open_pause"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} {self.started_at:%Y-%m-%d}"


class ClockExtension(models.Model):
    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    clock = models.ForeignKey(DeadlineClock, verbose_name="时限", on_delete=models.PROTECT, related_name="extensions")
    amount = models.PositiveIntegerField("延长量（与时限同单位）")
    reason = models.CharField("原因", max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                     on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["clock_id", "created_at"]

    def __str__(self):
        return f"+{self.amount}"


class ClockEscalation(models.Model):
    """One step of a kind's escalation ladder fired for one clock (append-only). The unique (clock, step) makes
    an insert-or-skip the claim: two ticks running at once can never fire the same step twice."""

    zone_id = models.BigIntegerField("所属开发区", null=True, blank=True)
    clock = models.ForeignKey(DeadlineClock, verbose_name="时限", on_delete=models.PROTECT, related_name="escalations")
    step = models.CharField("步骤", max_length=32)
    fired_at = models.DateTimeField("触发时间")

    class Meta:
        verbose_name = "督办升级记录"
        verbose_name_plural = "督办升级记录"
        ordering = ["clock_id", "fired_at"]
        constraints = [models.UniqueConstraint(fields=["clock", "step"], name="escalation_once_per_step")]

    def __str__(self):
        return f"{self.step} {self.fired_at:%Y-%m-%d %H:%M}"
