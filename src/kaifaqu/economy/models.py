"""The enterprise register (ECON-1), periodic indicators with their values (ECON-2) and departments' submission
tasks (ECON-3). Values are kept in the indicator's unit; figures are computed from the value rows."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet

CONTACT_PURPOSE = "economy-contact"


class Status(models.TextChoices):
    SIGNED = "signed", "签约"
    BUILDING = "building", "在建"
    PRODUCING = "producing", "投产"
    SUSPENDED = "suspended", "停产"
    CANCELLED = "cancelled", "注销"


class EnterpriseQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("economy.view"),)


class Enterprise(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18)
    park = models.ForeignKey("org.Park", verbose_name="所在园区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    industry_code = models.CharField("行业代码", max_length=5, help_text="国民经济行业分类（GB/T 4754-2017）代码")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PRODUCING)
    above_size = models.BooleanField("规上企业", default=False)
    above_size_year = models.PositiveSmallIntegerField("纳入规上年度", null=True, blank=True,
                                                       validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    employees = models.PositiveIntegerField("从业人员（人）", default=0)
    land_mu = models.DecimalField("用地面积（亩）", max_digits=10, decimal_places=2, default=Decimal(0),
                                  validators=[MinValueValidator(Decimal(0))])
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone_sealed = models.TextField("联系电话（加密）", blank=True, editable=False)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "uscc"], name="economy_enterprise_zone_uscc")]
        indexes = [models.Index(fields=["zone", "status"], name="economy_ent_zone_status"),
                   models.Index(fields=["zone", "park"], name="economy_ent_zone_park")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("economy:enterprise-detail", args=[self.pk])

    @property
    def contact_phone(self) -> str:
        if not self.contact_phone_sealed:
            return ""
        from kaifaqu.core import crypto

        return crypto.unseal(self.contact_phone_sealed, purpose=CONTACT_PURPOSE).decode()


class PeriodKind(models.TextChoices):
    MONTH = "month", "月度"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年度"


PERIODS = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 1}


class IndicatorQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("economy.view"),)


class Indicator(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("指标代码", max_length=32)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("计量单位", max_length=20)
    period_kind = models.CharField("报告期", max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH)
    cumulative = models.BooleanField("累计值", default=False,
                                     help_text="是：每期报 1–N 期累计数（如 1–3 月）；否：每期报当期数")
    key = models.BooleanField("重点指标", default=False, help_text="在领导驾驶舱显示")
    sort = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "经济指标"
        verbose_name_plural = "经济指标"
        ordering = ["sort", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="economy_indicator_zone_code")]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    def get_absolute_url(self):
        return reverse("economy:indicator-detail", args=[self.pk])


class ValueQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("economy.view"),)


class IndicatorValue(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values")
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    period = models.PositiveSmallIntegerField("期别", validators=[MinValueValidator(1), MaxValueValidator(12)],
                                              help_text="月度指标为月份，季度指标为季度，年度指标为 1")
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)

    objects = ValueQuerySet.as_manager()

    class Meta:
        verbose_name = "指标数值"
        verbose_name_plural = "指标数值"
        ordering = ["-year", "-period", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "enterprise", "year", "period"],
                                               name="economy_value_unique")]
        indexes = [models.Index(fields=["zone", "indicator", "year", "period"], name="economy_value_zone_period")]

    def __str__(self):
        return f"{self.enterprise_id} {self.indicator_id} {self.year}-{self.period}: {self.value}"

    def get_absolute_url(self):
        return reverse("economy:indicator-detail", args=[self.indicator_id])


class TotalQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("economy.view"),)


class IndicatorTotal(models.Model):
    """Maintained roll-up of the values (``economy/rollup.py``): one indicator's values of one period summed per
    zone and park (the enterprise's park; none for enterprises outside a park). Every write of values refreshes the
    rows it touches in the same transaction; the cockpit reads these instead of scanning the values."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="totals")
    park = models.ForeignKey("org.Park", verbose_name="园区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    period = models.PositiveSmallIntegerField("期别")
    value = models.DecimalField("合计", max_digits=24, decimal_places=4)
    count = models.PositiveIntegerField("企业数")

    objects = TotalQuerySet.as_manager()

    class Meta:
        verbose_name = "指标汇总"
        verbose_name_plural = "指标汇总"
        ordering = ["indicator_id", "year", "period", "park_id"]
        indexes = [models.Index(fields=["indicator", "year", "period"], name="economy_total_ind_period")]

    def __str__(self):
        return f"{self.indicator_id} {self.year}-{self.period}: {self.value}"

    def get_absolute_url(self):
        return reverse("economy:indicator-detail", args=[self.indicator_id])


class RankingQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("economy.view"),)


class ExternalRanking(models.Model):
    """A rank as the city or province reported it (全市第3位、全省第19位): recorded, not computed."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="rankings")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    period = models.PositiveSmallIntegerField("截至期别", validators=[MinValueValidator(1), MaxValueValidator(12)])
    scope = models.CharField("排名范围", max_length=20, help_text="如：全市、全省")
    rank = models.PositiveSmallIntegerField("名次", validators=[MinValueValidator(1)])
    source = models.CharField("来源", max_length=200, blank=True)

    objects = RankingQuerySet.as_manager()

    class Meta:
        verbose_name = "外部排名"
        verbose_name_plural = "外部排名"
        ordering = ["-year", "-period", "id"]
        indexes = [models.Index(fields=["zone", "indicator", "year"], name="economy_rank_zone_ind")]

    def __str__(self):
        return f"{self.scope}第{self.rank}位"

    def get_absolute_url(self):
        return reverse("economy:indicator-detail", args=[self.indicator_id])


class TaskState(models.TextChoices):
    OPEN = "open", "待报送"
    SUBMITTED = "submitted", "已报送"


class TaskQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("economy.manage"), Rule.addressed("economy.submit", field="org_id"))


class SubmissionTask(models.Model):
    """The zone asks a department for one indicator's values of one period, by a due date on the working-day clock."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="tasks")
    org = models.ForeignKey("org.Org", verbose_name="报送单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    period = models.PositiveSmallIntegerField("期别", validators=[MinValueValidator(1), MaxValueValidator(12)])
    issued_on = models.DateField("下达日期")
    workdays = models.PositiveSmallIntegerField("报送时限（工作日）", validators=[MinValueValidator(1),
                                                                           MaxValueValidator(60)])
    due_on = models.DateField("截止日期")
    state = models.CharField("状态", max_length=16, choices=TaskState.choices, default=TaskState.OPEN)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    late = models.BooleanField("逾期报送", default=False)
    note = models.TextField("说明", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "报送任务"
        verbose_name_plural = "报送任务"
        ordering = ["-due_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "org", "year", "period"],
                                               name="economy_task_unique")]
        indexes = [models.Index(fields=["zone", "org", "state"], name="economy_task_zone_org")]

    def __str__(self):
        return f"{self.indicator.name} {self.period_label}"

    def get_absolute_url(self):
        return reverse("economy:task-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        kind = self.indicator.period_kind
        if kind == PeriodKind.MONTH:
            return f"{self.year}年{self.period}月"
        if kind == PeriodKind.QUARTER:
            return f"{self.year}年第{self.period}季度"
        return f"{self.year}年"


class SubmissionQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("economy.manage"), Rule.addressed("economy.submit", field="task__org_id"))


class Submission(models.Model):
    """One upload accepted for a task (a resubmission is another row): when, by whom, what changed."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey(SubmissionTask, verbose_name="报送任务", on_delete=models.PROTECT,
                             related_name="submissions")
    submitted_at = models.DateTimeField("报送时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField("报送人姓名", max_length=150, blank=True)
    file_name = models.CharField("文件名", max_length=300, blank=True)
    created = models.PositiveIntegerField("新增", default=0)
    changed = models.PositiveIntegerField("修改", default=0)
    removed = models.PositiveIntegerField("删除", default=0)
    late = models.BooleanField("逾期", default=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["zone", "task", "submitted_at"], name="economy_sub_zone_task")]

    def __str__(self):
        return f"{self.task_id} {self.submitted_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("economy:task-detail", args=[self.task_id])
