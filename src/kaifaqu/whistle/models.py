"""WHISTLE-1 … 5: whistles (吹哨) to units, one assignment per addressed unit with its own clocks, the zone's
limit policy by kind, the urge → supervise → escalate record and the zone's scoring weights."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.workflow.models import ProcessEvent


class WhistleKind(models.TextChoices):
    EMERGENCY = "emergency", "突发工作紧急哨"
    KEY_TASK = "key_task", "重点工作攻坚哨"


class WhistleState(models.TextChoices):
    OPEN = "open", "办理中"
    SOLVED = "solved", "待回访"
    VISITED = "visited", "待评价"
    CLOSED = "closed", "已办结"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    SUPPORT = "support", "配合单位"


class AssignmentState(models.TextChoices):
    DISPATCHED = "dispatched", "待报到"
    REPORTED = "reported", "已报到"
    PLANNED = "planned", "个案研究（方案已报）"
    SOLVED = "solved", "已解决"
    RETURNED = "returned", "已退回"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class UrgeLevel(models.TextChoices):
    URGE = "urge", "催办"
    SUPERVISE = "supervise", "督办"
    ESCALATE = "escalate", "升级（提交联席会议）"


# Units that may be addressed: departments, institutions, stationed agencies, streets, city departments.
UNIT_KINDS = ("department", "institution", "stationed", "street", "city_department", "platform_company")

DEFAULT_MATTERS = ("安全生产", "市政园林", "环境卫生", "建成区维修", "征地拆迁", "招商", "基础设施", "项目审批", "规划用地",
                   "企业诉求", "其他")


class PolicyQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("whistle.view_all"),)


class WhistlePolicy(models.Model):
    """The zone's limits for one kind. Emergency: report in within N minutes, solve within N hours (clock time);
    key task: report in within N working days, plan within N working days, committed date at most N working days."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=WhistleKind.choices)
    report_in_limit = models.PositiveIntegerField("报到时限")
    plan_limit = models.PositiveIntegerField("提交方案时限（工作日）", null=True, blank=True)
    solve_limit = models.PositiveIntegerField("解决时限")
    supervise_after = models.PositiveIntegerField("催办后转督办（工作日）", default=2)
    escalate_after = models.PositiveIntegerField("督办后提交联席会议（工作日）", default=3)
    version = models.PositiveIntegerField(default=1)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "吹哨时限规则"
        verbose_name_plural = "吹哨时限规则"
        ordering = ["zone_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["zone", "kind"], name="whistle_policy_one_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}时限"

    @property
    def report_in_unit(self):
        return "minutes" if self.kind == WhistleKind.EMERGENCY else "workdays"

    @property
    def solve_unit(self):
        return "hours" if self.kind == WhistleKind.EMERGENCY else "workdays"


class ScoringQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("whistle.view_all"),)


class WhistleScoring(models.Model):
    """The zone's weights: 基本满意 counts at ``basic_weight`` in 满意率; the composite score weighs the rates."""

    zone = models.OneToOneField("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    basic_weight = models.DecimalField("基本满意折算系数", max_digits=3, decimal_places=2, default=Decimal("0.90"))
    w_response = models.DecimalField("响应率权重", max_digits=4, decimal_places=2, default=Decimal("20"))
    w_solve = models.DecimalField("解决率权重", max_digits=4, decimal_places=2, default=Decimal("20"))
    w_on_time = models.DecimalField("按时办结率权重", max_digits=4, decimal_places=2, default=Decimal("30"))
    w_satisfaction = models.DecimalField("满意率权重", max_digits=4, decimal_places=2, default=Decimal("30"))
    penalty_return = models.DecimalField("回退率扣分系数", max_digits=4, decimal_places=2, default=Decimal("10"))
    penalty_rework = models.DecimalField("重办率扣分系数", max_digits=4, decimal_places=2, default=Decimal("10"))
    version = models.PositiveIntegerField(default=1)

    objects = ScoringQuerySet.as_manager()

    class Meta:
        verbose_name = "吹哨考核权重"
        verbose_name_plural = "吹哨考核权重"

    def __str__(self):
        return "吹哨考核权重"


class WhistleQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("whistle.view_all"),)

    def scope_filter(self, scope):
        # A unit sees the whistles addressed to it: the addressee is on the assignment, not on the whistle, and a
        # join would repeat a whistle addressed twice to one unit (after a rework), so the rule is a subquery.
        condition = self.rule_condition(scope)
        if condition is not None:
            return self.filter(condition)
        if not (scope.has("whistle.act") and scope.org_id and scope.zone_ids):
            return self.none()
        return self.filter(zone_id__in=scope.zone_ids,
                           pk__in=Assignment.objects.filter(zone_id__in=scope.zone_ids, org_id=scope.org_id)
                           .values("whistle_id"))


class Whistle(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("编号", max_length=32)
    kind = models.CharField("类别", max_length=16, choices=WhistleKind.choices)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("情况描述")
    park = models.ForeignKey("org.Park", verbose_name="园区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    place = models.CharField("地点", max_length=200, blank=True)
    matter = models.CharField("事项类别", max_length=50)
    blower = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="吹哨人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    blower_name = models.CharField("吹哨人姓名", max_length=150, blank=True)
    blower_org = models.ForeignKey("org.Org", verbose_name="吹哨单位", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    lead_proposed = models.BooleanField("牵头单位由责任清单建议", default=False)
    blown_at = models.DateTimeField("吹哨时间")
    state = models.CharField("状态", max_length=16, choices=WhistleState.choices, default=WhistleState.OPEN)
    solved_at = models.DateTimeField("全部解决时间", null=True, blank=True)
    visited_at = models.DateTimeField("回访时间", null=True, blank=True)
    visit_note = models.TextField("回访情况", blank=True)
    rating = models.CharField("评价", max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    rework_count = models.PositiveIntegerField("重办次数", default=0)
    escalated_at = models.DateTimeField("提交联席会议时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = WhistleQuerySet.as_manager()

    class Meta:
        verbose_name = "吹哨"
        verbose_name_plural = "吹哨"
        ordering = ["-blown_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="whistle_number_unique")]
        indexes = [models.Index(fields=["zone", "state", "blown_at"], name="whistle_zone_state"),
                   models.Index(fields=["zone", "blown_at"], name="whistle_zone_blown")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("whistle:whistle-detail", args=[self.pk])


class AssignmentQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("whistle.view_all"), Rule.addressed("whistle.act", field="org_id"))


class Assignment(models.Model):
    """One addressed unit of a whistle, with its own clocks (report-in, plan, solve)."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    whistle = models.ForeignKey(Whistle, verbose_name="吹哨", on_delete=models.PROTECT, related_name="assignments")
    org = models.ForeignKey("org.Org", verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("角色", max_length=16, choices=AssignmentRole.choices)
    state = models.CharField("状态", max_length=16, choices=AssignmentState.choices,
                             default=AssignmentState.DISPATCHED)
    dispatched_at = models.DateTimeField("派发时间")
    reported_at = models.DateTimeField("报到时间", null=True, blank=True)
    planned_at = models.DateTimeField("提交方案时间", null=True, blank=True)
    plan = models.TextField("解决方案", blank=True)
    committed_date = models.DateField("承诺解决日期", null=True, blank=True)
    solved_at = models.DateTimeField("解决时间", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    replaces = models.ForeignKey("self", verbose_name="改派自", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="replaced_by")
    report_clock = models.ForeignKey("core.DeadlineClock", verbose_name="报到时限", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    plan_clock = models.ForeignKey("core.DeadlineClock", verbose_name="方案时限", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    solve_clock = models.ForeignKey("core.DeadlineClock", verbose_name="解决时限", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reported_on_time = models.BooleanField("按时报到", null=True, blank=True)
    solved_on_time = models.BooleanField("按时解决", null=True, blank=True)
    ext_amount = models.PositiveIntegerField("申请延期量", null=True, blank=True)
    ext_reason = models.CharField("申请延期理由", max_length=300, blank=True)
    ext_requested_at = models.DateTimeField("申请延期时间", null=True, blank=True)
    ext_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    extensions = models.PositiveIntegerField("已延期次数", default=0)
    rework_count = models.PositiveIntegerField("重办次数", default=0)
    urge_count = models.PositiveIntegerField("催办次数", default=0)
    supervise_count = models.PositiveIntegerField("督办次数", default=0)
    escalated_at = models.DateTimeField("提交联席会议时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "吹哨承办"
        verbose_name_plural = "吹哨承办"
        ordering = ["whistle_id", "id"]
        indexes = [models.Index(fields=["zone", "org", "state"], name="assignment_zone_org_state"),
                   models.Index(fields=["zone", "dispatched_at"], name="assignment_zone_dispatched")]
        constraints = [
            models.UniqueConstraint(fields=["whistle", "org"], condition=~Q(state="returned"),
                                    name="assignment_one_live_per_unit"),
        ]

    def __str__(self):
        return f"{self.whistle.number} · {self.org}（{self.get_role_display()}）"

    def get_absolute_url(self):
        return reverse("whistle:assignment-detail", args=[self.pk])

    @property
    def current_clock(self):
        """The clock the unit is working against now (what an extension extends, what the inbox shows)."""
        for c in (self.solve_clock, self.plan_clock, self.report_clock):
            if c is not None and c.state in ("running", "paused", "overdue"):
                return c
        return None


class UrgeQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("whistle.view_all"), Rule.addressed("whistle.act", field="assignment__org_id"))


class Urge(models.Model):
    """One rung of the follow-up ladder reached by one assignment (append-only): 催办 when a clock went overdue,
    督办 after the zone's N working days, then escalation to the joint meeting."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    assignment = models.ForeignKey(Assignment, verbose_name="承办", on_delete=models.PROTECT, related_name="urges")
    clock = models.ForeignKey("core.DeadlineClock", verbose_name="逾期的时限", on_delete=models.PROTECT,
                              related_name="+")
    level = models.CharField("级别", max_length=16, choices=UrgeLevel.choices)
    created_at = models.DateTimeField("时间")
    next_clock = models.ForeignKey("core.DeadlineClock", verbose_name="下一级等待时限", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = UrgeQuerySet.as_manager()

    class Meta:
        verbose_name = "催办督办记录"
        verbose_name_plural = "催办督办记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["zone", "level", "created_at"], name="urge_zone_level")]
        constraints = [models.UniqueConstraint(fields=["clock", "level"], name="urge_once_per_clock_level")]

    def __str__(self):
        return f"{self.get_level_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("催办督办记录不可修改。")
        super().save(*args, **kwargs)


class WhistleEvent(ProcessEvent):
    owner_field = "whistle"
    whistle = models.ForeignKey(Whistle, verbose_name="吹哨", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "吹哨办理记录"
        verbose_name_plural = "吹哨办理记录"


class AssignmentEvent(ProcessEvent):
    owner_field = "assignment"
    assignment = models.ForeignKey(Assignment, verbose_name="承办", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "承办办理记录"
        verbose_name_plural = "承办办理记录"
