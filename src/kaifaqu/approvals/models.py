"""一站式审批 (APPROVE-1 … 7): the service catalogue and its one-time material lists, the service centre's windows,
cases through acceptance, supplement, extension and decision, and construction projects through the four stages.

Every table carries the zone (rule 0). Catalogue and windows are the zone's reference data, readable by every user
of the zone; a case is seen zone-wide by the zone's staff, by the department that handles its item, and by the
applicant enterprise.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.workflow.models import ProcessEvent


class Stage(models.TextChoices):
    """国办发〔2019〕11号: the four stages of a construction project's approvals."""

    LAND = "land", "立项用地规划许可"
    PERMIT = "permit", "工程建设许可"
    CONSTRUCTION = "construction", "施工许可"
    ACCEPTANCE = "acceptance", "竣工验收"
    GENERAL = "general", "其他政务服务"


PROJECT_STAGES = (Stage.LAND, Stage.PERMIT, Stage.CONSTRUCTION, Stage.ACCEPTANCE)
NATIONAL_LIMIT = 120  # working days for all four stages (国办发〔2019〕11号)


class Handling(models.TextChoices):
    OWN = "own", "本级办理"
    DELEGATED = "delegated", "赋权（下放）办理"
    ENTRUSTED = "entrusted", "委托办理"


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件及复印件"
    ELECTRONIC = "electronic", "电子件"


class CatalogueQuerySet(ZoneScopedQuerySet):
    # The catalogue is published (办事指南): every signed-in user of the zone reads it, enterprises included.
    rules = (Rule.zone(),)


class Window(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("窗口号")
    name = models.CharField("窗口名称", max_length=100)
    duties = models.CharField("职责说明", max_length=300, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="窗口工作人员", blank=True,
                                   related_name="approval_windows")
    version = models.PositiveIntegerField(default=1)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "服务窗口"
        verbose_name_plural = "服务窗口"
        ordering = ["zone_id", "number"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="approvals_window_number")]

    def __str__(self):
        return f"{self.number} 号窗口 · {self.name}"

    def get_absolute_url(self):
        return reverse("approvals:window-detail", args=[self.pk])


class ServiceItem(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    department = models.ForeignKey("org.Org", verbose_name="实施部门", on_delete=models.PROTECT, related_name="+")
    window = models.ForeignKey(Window, verbose_name="受理窗口", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="items")
    stage = models.CharField("所属阶段", max_length=16, choices=Stage.choices, default=Stage.GENERAL)
    legal_limit = models.PositiveSmallIntegerField("法定办结时限（工作日）")
    promised_limit = models.PositiveSmallIntegerField("承诺办结时限（工作日）")
    fee = models.DecimalField("收费标准（元）", max_digits=12, decimal_places=2, default=0)
    fee_basis = models.CharField("收费依据", max_length=200, blank=True)
    handling = models.CharField("办理方式", max_length=16, choices=Handling.choices, default=Handling.OWN)
    power_code = models.CharField("对应权力事项编码", max_length=40, blank=True)
    commitment = models.BooleanField("适用告知承诺制", default=False)
    commitment_text = models.TextField("告知承诺书内容", blank=True,
                                       help_text="适用告知承诺制时申请人签署的承诺内容")
    check_days = models.PositiveSmallIntegerField("承诺事项核查时限（工作日）", default=20)
    conditions = models.TextField("受理条件", blank=True)
    basis = models.TextField("设定依据", blank=True)
    is_active = models.BooleanField("在用", default=True)
    version = models.PositiveIntegerField(default=1)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"
        ordering = ["zone_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="approvals_item_code"),
            models.CheckConstraint(condition=Q(promised_limit__gt=0) & Q(promised_limit__lte=models.F("legal_limit")),
                                   name="approvals_item_limits"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="approvals_item_fee"),
        ]
        indexes = [models.Index(fields=["zone", "stage"], name="approvals_item_stage")]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def get_absolute_url(self):
        return reverse("approvals:item-detail", args=[self.pk])

    def public_url(self):
        return reverse("approvals:public-guide") + f"?zone={self.zone.code}&code={self.code}"


class Material(models.Model):
    """One line of the one-time notice (一次性告知清单)."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="materials")
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField("材料形式", max_length=16, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    count = models.PositiveSmallIntegerField("份数", default=1)
    required = models.BooleanField("必须提交", default=True)
    may_follow = models.BooleanField("可容缺后补", default=False)
    note = models.CharField("填报说明", max_length=300, blank=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["item_id", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="approvals_material_name"),
            models.CheckConstraint(condition=Q(count__gt=0), name="approvals_material_count"),
        ]
        indexes = [models.Index(fields=["zone", "item"], name="approvals_material_item")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.item.get_absolute_url()


# Projects -------------------------------------------------------------------------------------------------------

class ProjectKind(models.TextChoices):
    GENERAL_INDUSTRIAL = "general_industrial", "一般工业项目"
    MAJOR_INDUSTRIAL = "major_industrial", "重大产业项目"
    SERVICE = "service", "服务业项目"
    INFRASTRUCTURE = "infrastructure", "基础设施项目"


class ProjectQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("approvals.view_all"), Rule.own_org("approvals.apply", field="enterprise_id"))


class Project(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("项目代码", max_length=40)
    name = models.CharField("项目名称", max_length=200)
    enterprise = models.ForeignKey("org.Org", verbose_name="建设单位", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("org.Park", verbose_name="所在园区", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    kind = models.CharField("项目类型", max_length=24, choices=ProjectKind.choices,
                            default=ProjectKind.GENERAL_INDUSTRIAL)
    investment = models.DecimalField("总投资（元）", max_digits=16, decimal_places=2, default=0)
    land_transferred_on = models.DateField("土地出让（拿地）日期", null=True, blank=True)
    fast_start = models.BooleanField("拿地即开工", default=False)
    version = models.PositiveIntegerField(default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "建设项目"
        verbose_name_plural = "建设项目"
        ordering = ["zone_id", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="approvals_project_code")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("approvals:project-detail", args=[self.pk])


class ProjectItemQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("approvals.view_all"), Rule.own_org("approvals.apply", field="project__enterprise_id"))


class ProjectItem(models.Model):
    """An item a project needs; items of one stage run in parallel (并联审批). ``early_start``: under 拿地即开工 the
    item (of a later stage) may start at land transfer."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="needs")
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField("必须办理", default=True)
    early_start = models.BooleanField("拿地即开工提前办理", default=False)

    objects = ProjectItemQuerySet.as_manager()

    class Meta:
        verbose_name = "项目审批事项"
        verbose_name_plural = "项目审批事项"
        constraints = [models.UniqueConstraint(fields=["project", "item"], name="approvals_project_item")]
        indexes = [models.Index(fields=["zone", "project"], name="approvals_projectitem_project")]

    def __str__(self):
        return f"{self.project} · {self.item.name}"


class RegionalAssessment(models.Model):
    """区域评估: done once by the zone for a park; it satisfies the matching item of every project in that park."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    park = models.ForeignKey("org.Park", verbose_name="评估区域（园区）", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ServiceItem, verbose_name="替代的事项", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("评估名称", max_length=200)
    document_no = models.CharField("成果文号", max_length=60, blank=True)
    done_on = models.DateField("完成日期")

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "区域评估"
        verbose_name_plural = "区域评估"
        constraints = [models.UniqueConstraint(fields=["park", "item"], name="approvals_assessment_park_item")]
        indexes = [models.Index(fields=["zone", "park"], name="approvals_assessment_park")]

    def __str__(self):
        return self.title


class Baseline(models.Model):
    """The recorded time of a kind of project before the reform (e.g. 87 working days for a general industrial
    project), against which the measured median is compared."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("项目类型", max_length=24, choices=ProjectKind.choices)
    working_days = models.PositiveSmallIntegerField("改革前审批时间（工作日）")
    source = models.CharField("数据来源", max_length=200, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = "审批时间基准"
        verbose_name_plural = "审批时间基准"
        constraints = [models.UniqueConstraint(fields=["zone", "kind"], name="approvals_baseline_kind"),
                       models.CheckConstraint(condition=Q(working_days__gt=0), name="approvals_baseline_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.working_days} 个工作日"


# Cases ----------------------------------------------------------------------------------------------------------

class CaseState(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    REVIEWING = "reviewing", "审查中"
    SUPPLEMENTING = "supplementing", "补正中"
    APPROVED = "approved", "准予许可"
    REJECTED = "rejected", "不予许可"
    REFUSED = "refused", "不予受理"
    CLOSED = "closed", "已办结"


OPEN_CASE_STATES = (CaseState.SUBMITTED, CaseState.REVIEWING, CaseState.SUPPLEMENTING)
DECIDED_STATES = (CaseState.APPROVED, CaseState.CLOSED)


class CaseQuerySet(ZoneScopedQuerySet):
    # The zone's staff see every case; a department (city or stationed) the cases of its items; an enterprise its
    # own applications.
    rules = (
        Rule.zone("approvals.view_all"),
        Rule.addressed("approvals.handle", field="item__department_id"),
        Rule.own_org("approvals.apply", field="applicant_id"),
    )


class Case(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("办件编号", max_length=32)
    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.PROTECT, related_name="cases")
    project = models.ForeignKey("approvals.Project", verbose_name="所属项目", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="cases")
    covers = models.ManyToManyField(ServiceItem, verbose_name="合并办理的其他事项", blank=True, related_name="+",
                                    help_text="多评合一、多审合一：一个办件同时满足的事项")
    applicant = models.ForeignKey("org.Org", verbose_name="申请单位", on_delete=models.PROTECT, related_name="+")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    title = models.CharField("申请事由", max_length=200)
    state = models.CharField("状态", max_length=16, choices=CaseState.choices, default=CaseState.SUBMITTED)
    query_code = models.CharField("查询码（SM3）", max_length=64)
    applied_at = models.DateTimeField("申请时间")
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    conditional = models.BooleanField("容缺受理", default=False)
    commitment_text = models.TextField("容缺承诺", blank=True)
    deferred_due_at = models.DateTimeField("容缺材料补齐期限", null=True, blank=True)
    deferred_supplied_at = models.DateTimeField("容缺材料补齐时间", null=True, blank=True)
    decision_no = models.CharField("决定文书编号", max_length=60, blank=True)
    decision_file = models.ForeignKey("core.Attachment", verbose_name="已签发的决定书", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    pledge_text = models.TextField("已签署的告知承诺书", blank=True)
    pledged_at = models.DateTimeField("签署承诺时间", null=True, blank=True)
    pledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签署承诺人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    on_commitment = models.BooleanField("告知承诺制审批", default=False)
    extension_days = models.PositiveSmallIntegerField("申请延长（工作日）", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    extension_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期申请人",
                                               on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-applied_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="approvals_case_number")]
        indexes = [
            models.Index(fields=["zone", "state", "applied_at"], name="approvals_case_state"),
            models.Index(fields=["zone", "decided_at"], name="approvals_case_decided"),
            models.Index(fields=["zone", "item", "applied_at"], name="approvals_case_item_time"),
            models.Index(fields=["zone", "item", "state"], name="approvals_case_item"),
            models.Index(fields=["zone", "applicant"], name="approvals_case_applicant"),
        ]

    def __str__(self):
        return f"{self.number} {self.item.name}"

    def get_absolute_url(self):
        return reverse("approvals:case-detail", args=[self.pk])


class CaseMaterialQuerySet(ZoneScopedQuerySet):
    # A case's materials are seen by whoever sees the case.
    rules = (
        Rule.zone("approvals.view_all"),
        Rule.addressed("approvals.handle", field="case__item__department_id"),
        Rule.own_org("approvals.apply", field="case__applicant_id"),
    )


class CaseMaterial(models.Model):
    """A material of the item's checklist as handed in for one case (a core attachment), or promised later (容缺)."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.PROTECT, related_name="materials")
    material = models.ForeignKey(Material, verbose_name="申请材料", on_delete=models.PROTECT, related_name="+")
    attachment = models.ForeignKey("core.Attachment", verbose_name="文件", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    deferred = models.BooleanField("容缺后补", default=False)
    provided_at = models.DateTimeField("提交时间", null=True, blank=True)

    objects = CaseMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        constraints = [models.UniqueConstraint(fields=["case", "material"], name="approvals_case_material")]
        indexes = [models.Index(fields=["zone", "case"], name="approvals_casematerial_case")]

    def __str__(self):
        return f"{self.case.number} {self.material.name}"


class CaseEvent(ProcessEvent):
    owner_field = "case"
    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "办件办理记录"
        verbose_name_plural = "办件办理记录"


# 告知承诺制 post-checks ------------------------------------------------------------------------------------------

class CheckState(models.TextChoices):
    PENDING = "pending", "待核查"
    PASSED = "passed", "核查通过"
    FAILED = "failed", "核查不通过"


class CheckConsequence(models.TextChoices):
    REVOKE = "revoke", "撤销审批决定"
    RECTIFY = "rectify", "限期整改"
    OTHER = "other", "其他"


class PostCheckQuerySet(ZoneScopedQuerySet):
    # Seen by the zone's staff, by the department charged with the check, and by the applicant of the case.
    rules = (
        Rule.zone("approvals.view_all"),
        Rule.addressed("approvals.handle", field="department_id"),
        Rule.own_org("approvals.apply", field="case__applicant_id"),
    )


class PostCheck(models.Model):
    """核查: after a case approved on commitment (告知承诺制), the department checks that the commitments hold, within
    its own working-day clock (``approvals.postcheck``)."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, verbose_name="办件", on_delete=models.PROTECT, related_name="post_check")
    department = models.ForeignKey("org.Org", verbose_name="核查部门", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=16, choices=CheckState.choices, default=CheckState.PENDING)
    created_at = models.DateTimeField("创建时间")
    due_at = models.DateTimeField("核查期限", null=True, blank=True)
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核查人", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    consequence = models.CharField("处理结果", max_length=16, choices=CheckConsequence.choices, blank=True)
    findings = models.TextField("核查情况", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PostCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "承诺事项核查"
        verbose_name_plural = "承诺事项核查"
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["zone", "state", "due_at"], name="approvals_check_due"),
                   models.Index(fields=["zone", "department", "state"], name="approvals_check_dept")]

    def __str__(self):
        return f"核查 {self.case.number}"

    def get_absolute_url(self):
        return reverse("approvals:check-detail", args=[self.pk])


class PostCheckEvent(ProcessEvent):
    owner_field = "post_check"
    post_check = models.ForeignKey(PostCheck, verbose_name="核查", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "核查办理记录"
        verbose_name_plural = "核查办理记录"


# 标准地 ------------------------------------------------------------------------------------------------------------

# (field stem, label, unit, higher is better)
INDICATORS = (
    ("investment_intensity", "投资强度", "万元/亩", True),
    ("plot_ratio", "容积率", "", True),
    ("tax_per_mu", "亩均税收", "万元/亩", True),
    ("energy_per_unit", "单位能耗", "吨标准煤/万元", False),
    ("emission", "排放", "吨/年", False),
)


class ParcelQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("approvals.view_all"), Rule.own_org("approvals.apply", field="project__enterprise_id"))


def _indicator(label, unit, done):
    kind = "承诺" if not done else "实际"
    return models.DecimalField(f"{kind}{label}" + (f"（{unit}）" if unit else ""), max_digits=12, decimal_places=2,
                               null=True, blank=True)


class Parcel(models.Model):
    """标准地: a parcel transferred with committed indicators (recorded at land transfer), compared with the actual
    values recorded at completion acceptance (竣工验收)."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="parcels")
    code = models.CharField("地块编号", max_length=40)
    location = models.CharField("坐落", max_length=200, blank=True)
    area_mu = models.DecimalField("面积（亩）", max_digits=10, decimal_places=2)
    transferred_on = models.DateField("出让日期")
    committed_investment_intensity = _indicator("投资强度", "万元/亩", False)
    committed_plot_ratio = _indicator("容积率", "", False)
    committed_tax_per_mu = _indicator("亩均税收", "万元/亩", False)
    committed_energy_per_unit = _indicator("单位能耗", "吨标准煤/万元", False)
    committed_emission = _indicator("排放", "吨/年", False)
    accepted_on = models.DateField("竣工验收日期", null=True, blank=True)
    actual_investment_intensity = _indicator("投资强度", "万元/亩", True)
    actual_plot_ratio = _indicator("容积率", "", True)
    actual_tax_per_mu = _indicator("亩均税收", "万元/亩", True)
    actual_energy_per_unit = _indicator("单位能耗", "吨标准煤/万元", True)
    actual_emission = _indicator("排放", "吨/年", True)
    shortfall_count = models.PositiveSmallIntegerField("未达标指标数", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = ParcelQuerySet.as_manager()

    class Meta:
        verbose_name = "标准地地块"
        verbose_name_plural = "标准地地块"
        ordering = ["zone_id", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="approvals_parcel_code"),
                       models.CheckConstraint(condition=Q(area_mu__gt=0), name="approvals_parcel_area")]
        indexes = [models.Index(fields=["zone", "project"], name="approvals_parcel_project"),
                   models.Index(fields=["zone", "shortfall_count"], name="approvals_parcel_short")]

    def __str__(self):
        return f"地块 {self.code}"

    def get_absolute_url(self):
        return reverse("approvals:project-detail", args=[self.project_id]) + "#land"


# 帮办代办 agents -------------------------------------------------------------------------------------------------

class AgentQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("approvals.view_all"), Rule.own_org("approvals.apply", field="project__enterprise_id"))


class ProjectAgent(models.Model):
    """A named 帮办代办 agent (a zone staff user) assigned to a project: acts for the project's enterprise."""

    zone = models.ForeignKey("org.Zone", verbose_name="所属开发区", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="agents")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="帮办代办员", on_delete=models.PROTECT,
                              related_name="+")
    assigned_at = models.DateTimeField("指派时间")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="指派人", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = AgentQuerySet.as_manager()

    class Meta:
        verbose_name = "帮办代办指派"
        verbose_name_plural = "帮办代办指派"
        ordering = ["-assigned_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "agent"], condition=Q(ended_at__isnull=True),
                                               name="approvals_agent_active")]
        indexes = [models.Index(fields=["zone", "agent"], name="approvals_agent_user")]

    def __str__(self):
        return f"{self.project} · 帮办代办 {self.agent.get_full_name() or self.agent.get_username()}"

    def get_absolute_url(self):
        return reverse("approvals:project-detail", args=[self.project_id])
