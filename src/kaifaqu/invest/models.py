"""Investment projects (招商引资项目) from lead to production, the zone's settings for tiers and stuck projects, and
the service log of each project (INVEST-1 … 3). Amounts are stored in 元 (Decimal) and shown in 万元/亿元."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.workflow.models import ProcessEvent

YI = Decimal("100000000")  # 1 亿元 in 元
WAN = Decimal("10000")
DEFAULT_TIERS_YI = (Decimal(50), Decimal(10), Decimal(5), Decimal(1))
DEFAULT_STUCK_DAYS = 90


class Stage(models.TextChoices):
    LEAD = "lead", "线索"
    NEGOTIATING = "negotiating", "洽谈"
    SIGNED = "signed", "已签约"
    LAND = "land", "已供地"
    STARTED = "started", "已开工"
    PRODUCING = "producing", "已投产"
    DROPPED = "dropped", "已终止"


# The stages in pipeline order, with the date field each one sets.
STAGE_DATES = {
    Stage.LEAD: "lead_on", Stage.NEGOTIATING: "negotiating_on", Stage.SIGNED: "signed_on", Stage.LAND: "land_on",
    Stage.STARTED: "started_on", Stage.PRODUCING: "producing_on", Stage.DROPPED: "dropped_on",
}
ACTIVE_STAGES = (Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.LAND, Stage.STARTED)
SIGNED_STAGES = (Stage.SIGNED, Stage.LAND, Stage.STARTED, Stage.PRODUCING)


class Source(models.TextChoices):
    OWN = "own", "自主招商"
    AGENT = "agent", "第三方招商机构"
    CHAMBER = "chamber", "商会招商"
    FUND = "fund", "基金招商"


class InvestSettingsQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("invest.view"),)


class InvestSettings(models.Model):
    """One row per zone: the tier thresholds (亿元, descending) and the days after which a project is stuck."""

    zone = models.OneToOneField("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    tier1_yi = models.DecimalField("第一档（亿元及以上）", max_digits=10, decimal_places=2, default=DEFAULT_TIERS_YI[0],
                                   validators=[MinValueValidator(Decimal("0.01"))])
    tier2_yi = models.DecimalField("第二档（亿元及以上）", max_digits=10, decimal_places=2, default=DEFAULT_TIERS_YI[1],
                                   validators=[MinValueValidator(Decimal("0.01"))])
    tier3_yi = models.DecimalField("第三档（亿元及以上）", max_digits=10, decimal_places=2, default=DEFAULT_TIERS_YI[2],
                                   validators=[MinValueValidator(Decimal("0.01"))])
    tier4_yi = models.DecimalField("第四档（亿元及以上）", max_digits=10, decimal_places=2, default=DEFAULT_TIERS_YI[3],
                                   validators=[MinValueValidator(Decimal("0.01"))])
    stuck_days = models.PositiveIntegerField("停滞天数", default=DEFAULT_STUCK_DAYS,
                                             validators=[MinValueValidator(1)],
                                             help_text="项目超过该天数无阶段变化即标为停滞")
    version = models.PositiveIntegerField(default=1)

    objects = InvestSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = "招商设置"
        verbose_name_plural = "招商设置"
        ordering = ["zone_id"]

    def __str__(self):
        return f"招商设置（{self.zone}）"

    def get_absolute_url(self):
        return reverse("invest:settings-edit", args=[self.zone_id])

    @property
    def thresholds_yi(self) -> tuple:
        return (self.tier1_yi, self.tier2_yi, self.tier3_yi, self.tier4_yi)


class ProjectQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("invest.view"),)


class Project(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("项目名称", max_length=200)
    investor = models.CharField("投资方", max_length=200, blank=True)
    park = models.ForeignKey("org.Park", verbose_name="落地园区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    industry_code = models.CharField("行业代码", max_length=5, help_text="国民经济行业分类（GB/T 4754-2017）代码")
    chain_tags = models.CharField("产业链标签", max_length=200, blank=True, help_text="多个标签以顿号或逗号分隔")
    source = models.CharField("项目来源", max_length=16, choices=Source.choices, default=Source.OWN)
    source_detail = models.CharField("来源说明", max_length=200, blank=True, help_text="招商机构、商会或基金名称")
    responsible_org = models.ForeignKey("org.Org", verbose_name="责任单位", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    paired_leader = models.CharField("结对领导", max_length=50, blank=True)
    enterprise_name = models.CharField("落地企业", max_length=200, blank=True,
                                       help_text="注册后的企业名称（见企业库）")
    signed_amount = models.DecimalField("签约金额（元）", max_digits=16, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(Decimal(0))])
    invested_amount = models.DecimalField("实际到位投资（元）", max_digits=16, decimal_places=2, default=Decimal(0),
                                          validators=[MinValueValidator(Decimal(0))])
    state = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.LEAD)
    lead_on = models.DateField("获取线索日期")
    negotiating_on = models.DateField("洽谈日期", null=True, blank=True)
    signed_on = models.DateField("签约日期", null=True, blank=True)
    land_on = models.DateField("供地日期", null=True, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    producing_on = models.DateField("投产日期", null=True, blank=True)
    dropped_on = models.DateField("终止日期", null=True, blank=True)
    drop_reason = models.TextField("终止原因", blank=True)
    stage_on = models.DateField("最近阶段日期")
    description = models.TextField("项目简介", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "招商项目"
        verbose_name_plural = "招商项目"
        ordering = ["-signed_on", "-id"]
        indexes = [
            models.Index(fields=["zone", "state"], name="invest_project_zone_state"),
            models.Index(fields=["zone", "signed_on"], name="invest_project_zone_signed"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("invest:project-detail", args=[self.pk])

    @property
    def tags(self) -> list[str]:
        return [t.strip() for t in self.chain_tags.replace("，", "、").replace(",", "、").split("、") if t.strip()]


class ProjectEvent(ProcessEvent):
    owner_field = "project"
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "项目阶段记录"
        verbose_name_plural = "项目阶段记录"


class LogKind(models.TextChoices):
    VISIT = "visit", "走访"
    PROBLEM = "problem", "反映问题"
    HELP = "help", "协调帮扶"


class ServiceLogQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("invest.view"),)


class ServiceLog(models.Model):
    """企业（项目）全生命周期服务: one visit, problem raised or help given, by whom."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="service_logs")
    kind = models.CharField("类型", max_length=16, choices=LogKind.choices)
    date = models.DateField("日期")
    content = models.TextField("内容")
    by_name = models.CharField("服务人", max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # The whistle a problem became (吹哨报到, when that module is installed): its id and number, no foreign key, so
    # that the investment module works without it.
    whistle_id = models.BigIntegerField("吹哨ID", null=True, blank=True, editable=False)
    whistle_number = models.CharField("吹哨编号", max_length=32, blank=True, editable=False)

    objects = ServiceLogQuerySet.as_manager()

    class Meta:
        verbose_name = "项目服务记录"
        verbose_name_plural = "项目服务记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["zone", "project", "date"], name="invest_log_zone_project")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.content[:30]}"

    def get_absolute_url(self):
        return reverse("invest:project-detail", args=[self.project_id]) + f"#log-{self.pk}"

    @property
    def whistle_url(self) -> str:
        from django.apps import apps

        if self.whistle_id is None or not apps.is_installed("kaifaqu.whistle"):
            return ""
        return reverse("whistle:whistle-detail", args=[self.whistle_id])
