"""POWER-1 … POWER-4: the standard catalogue, the zone's power list (claimed items in versions), delegation
batches, the responsibility matrix and the two function catalogues."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.workflow.models import ProcessEvent


class PowerKind(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    PAYMENT = "payment", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER = "other", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class Holding(models.TextChoices):
    OWN = "own", "自有"
    AUTHORISED = "authorised", "授权"
    ENTRUSTED = "entrusted", "委托"
    DEVOLVED = "devolved", "下放"


# Holding modes that come from another authority and must name its document.
DELEGATED = (Holding.AUTHORISED, Holding.ENTRUSTED, Holding.DEVOLVED)


class StandardItemQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("powers.view"), Rule.zone("powers.catalogue"))


class StandardItem(models.Model):
    """One item of the provincial standard catalogue (省权责清单系统) as published for the zone."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("事项编码", max_length=64)
    name = models.CharField("事项名称", max_length=200)
    sub_name = models.CharField("子项名称", max_length=200, blank=True)
    kind = models.CharField("事项类型", max_length=20, choices=PowerKind.choices)
    basis = models.TextField("设定依据", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = StandardItemQuerySet.as_manager()

    class Meta:
        verbose_name = "标准事项"
        verbose_name_plural = "标准事项"
        ordering = ["zone_id", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="standard_item_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}" + (f"（{self.sub_name}）" if self.sub_name else "")

    def get_absolute_url(self):
        return reverse("powers:standard-detail", args=[self.pk])


class BatchQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("powers.view"),)


class Batch(models.Model):
    """赋权批次: delegated items granted together by one document (第一批赋权 35 项)."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("批次名称", max_length=100)
    document_no = models.CharField("赋权文号", max_length=100, blank=True)
    document_date = models.DateField("发文日期", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = "赋权批次"
        verbose_name_plural = "赋权批次"
        ordering = ["zone_id", "document_date", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="batch_name_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("powers:batch-detail", args=[self.pk])


class ListState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已发布"


class ListVersionQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("powers.view"),)


class ListVersion(models.Model):
    """One version of the zone's power list. Items are edited only while it is a draft; a published version never
    changes again."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField("版本序号")
    title = models.CharField("标题", max_length=150)
    state = models.CharField("状态", max_length=16, choices=ListState.choices, default=ListState.DRAFT)
    based_on = models.ForeignKey("self", verbose_name="基于版本", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    author = models.ForeignKey("accounts.User", verbose_name="编制人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey("accounts.User", verbose_name="审核人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    publish_no = models.CharField("发布文号", max_length=100, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = ListVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"
        ordering = ["zone_id", "-seq"]
        constraints = [models.UniqueConstraint(fields=["zone", "seq"], name="list_version_seq_unique")]

    def __str__(self):
        return f"{self.title}（第 {self.seq} 版）"

    def get_absolute_url(self):
        return reverse("powers:version-detail", args=[self.pk])

    @property
    def editable(self):
        return self.state == ListState.DRAFT


class PowerItemQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("powers.view"),)


class PowerItem(models.Model):
    """A power item of one version of the zone's list. Claimed items copy their standard item's fields (code, name,
    sub-item, type, basis), which stay read-only; items without a standard item are the zone's own."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    list_version = models.ForeignKey(ListVersion, verbose_name="清单版本", on_delete=models.PROTECT,
                                     related_name="items")
    standard = models.ForeignKey(StandardItem, verbose_name="标准事项", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="claims")
    code = models.CharField("事项编码", max_length=64)
    name = models.CharField("事项名称", max_length=200)
    sub_name = models.CharField("子项名称", max_length=200, blank=True)
    kind = models.CharField("事项类型", max_length=20, choices=PowerKind.choices, blank=True)
    basis = models.TextField("设定依据", blank=True)
    legal_bases = models.JSONField("设定依据（结构化）", default=list, blank=True,
                                   help_text="[{law, article, clause}]，由设定依据解析或单独填写")
    implementing_body = models.CharField("实施主体", max_length=150, blank=True)
    undertaking_unit = models.CharField("承办机构", max_length=150, blank=True)
    exercise_basis = models.TextField("行使依据", blank=True)
    duties = models.TextField("责任事项", blank=True, help_text="每行一项")
    accountability = models.TextField("追责情形", blank=True, help_text="每行一项")
    supervision_phone = models.CharField("监督电话", max_length=40, blank=True)
    holding = models.CharField("行使方式", max_length=16, choices=Holding.choices, default=Holding.OWN)
    holding_doc_no = models.CharField("授权文号", max_length=100, blank=True)
    holding_doc_date = models.DateField("授权日期", null=True, blank=True)
    batch = models.ForeignKey(Batch, verbose_name="赋权批次", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="items")
    effective_on = models.DateField("生效日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PowerItemQuerySet.as_manager()

    class Meta:
        verbose_name = "权力事项"
        verbose_name_plural = "权力事项"
        ordering = ["zone_id", "list_version_id", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["list_version", "code"], name="power_item_code_unique_in_version"),
            models.CheckConstraint(condition=Q(holding="own") | ~Q(holding_doc_no=""),
                                   name="power_item_delegated_has_document"),
        ]
        indexes = [models.Index(fields=["zone", "list_version", "kind"], name="power_item_zone_version_kind")]

    def __str__(self):
        return f"{self.code} {self.name}" + (f"（{self.sub_name}）" if self.sub_name else "")

    def get_absolute_url(self):
        return reverse("powers:item-detail", args=[self.pk])

    @property
    def is_custom(self):
        return self.standard_id is None

    @property
    def duty_list(self):
        return [line.strip() for line in self.duties.splitlines() if line.strip()]

    @property
    def accountability_list(self):
        return [line.strip() for line in self.accountability.splitlines() if line.strip()]


class ListVersionEvent(ProcessEvent):
    owner_field = "list_version"
    list_version = models.ForeignKey(ListVersion, verbose_name="清单版本", on_delete=models.PROTECT,
                                     related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "清单版本办理记录"
        verbose_name_plural = "清单版本办理记录"


# POWER-3: the responsibility matrix (责任清单) -------------------------------------------------------------------

class AreaKind(models.TextChoices):
    PARK = "park", "园区"
    NEW_AREA = "new_area", "新增区域"
    STREET = "street", "属地镇街"


class MatrixQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("powers.view"),)


class Area(models.Model):
    """A column of the matrix: a park, a newly added area or a street."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("区域类型", max_length=16, choices=AreaKind.choices)
    name = models.CharField("区域名称", max_length=100)
    park = models.ForeignKey("org.Park", verbose_name="园区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    street = models.ForeignKey("org.Org", verbose_name="属地镇街", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    sort = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = MatrixQuerySet.as_manager()

    class Meta:
        verbose_name = "责任区域"
        verbose_name_plural = "责任区域"
        ordering = ["zone_id", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="area_name_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("powers:matrix") + f"?area={self.pk}"


class Matter(models.Model):
    """A row of the matrix: 安全生产、市政园林、环境卫生 …"""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("事项", max_length=100)
    sort = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = MatrixQuerySet.as_manager()

    class Meta:
        verbose_name = "责任事项"
        verbose_name_plural = "责任事项"
        ordering = ["zone_id", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="matter_name_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("powers:matrix") + f"?matter={self.pk}"


class Duty(models.TextChoices):
    LEAD = "lead", "主责"
    SUPPORT = "support", "配合"


class Assignment(models.Model):
    """One unit's part in one cell of the matrix: lead (主责, exactly one per cell) or supporter (配合)."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="assignments")
    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="assignments")
    org = models.ForeignKey("org.Org", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    duty = models.CharField("职责", max_length=10, choices=Duty.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = MatrixQuerySet.as_manager()

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        ordering = ["zone_id", "matter_id", "area_id", "duty", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "area", "org"], name="assignment_unique_unit")]
        indexes = [models.Index(fields=["zone", "matter", "area"], name="assignment_zone_cell")]

    def __str__(self):
        return f"{self.matter} × {self.area}：{self.org}（{self.get_duty_display()}）"

    def get_absolute_url(self):
        return reverse("powers:matrix") + f"?matter={self.matter_id}"


# POWER-2: the two function catalogues (两张目录) ---------------------------------------------------------------

class Catalogue(models.TextChoices):
    RETAINED = "retained", "保留经济管理职能"
    STRIPPED = "stripped", "剥离社会事务管理职能"


class HandoverState(models.TextChoices):
    RETAINED = "retained", "保留"
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DISPUTED = "disputed", "有异议"


class FunctionItemQuerySet(ZoneScopedQuerySet):
    # The receiving unit sees what it takes over even where it may not read the zone's lists.
    rules = (Rule.zone("powers.view"), Rule.addressed("powers.handover", field="receiver_id"))


class FunctionItem(models.Model):
    """A function the zone keeps (保留) or strips to a street or a department (剥离), with its hand-over."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    catalogue = models.CharField("目录", max_length=16, choices=Catalogue.choices)
    category = models.CharField("类别", max_length=100)
    name = models.CharField("职能事项", max_length=200)
    description = models.TextField("说明", blank=True)
    receiver = models.ForeignKey("org.Org", verbose_name="承接单位", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    handover_on = models.DateField("交接日期", null=True, blank=True)
    state = models.CharField("交接状态", max_length=16, choices=HandoverState.choices, default=HandoverState.PENDING)
    sort = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = FunctionItemQuerySet.as_manager()

    class Meta:
        verbose_name = "职能事项"
        verbose_name_plural = "职能事项"
        ordering = ["zone_id", "catalogue", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "catalogue", "category", "name"], name="function_item_unique"),
            models.CheckConstraint(condition=Q(catalogue="retained") | Q(receiver__isnull=False),
                                   name="function_stripped_has_receiver"),
        ]
        indexes = [models.Index(fields=["zone", "receiver", "state"], name="function_zone_receiver_state")]

    def __str__(self):
        return f"{self.category}：{self.name}"

    def get_absolute_url(self):
        return reverse("powers:function-detail", args=[self.pk])


class FunctionItemEvent(ProcessEvent):
    owner_field = "function_item"
    function_item = models.ForeignKey(FunctionItem, verbose_name="职能事项", on_delete=models.PROTECT,
                                      related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "职能交接记录"
        verbose_name_plural = "职能交接记录"


# POWER-5: the zone's rights over stationed agencies (派驻机构) ----------------------------------------------------

class HeadChangeKind(models.TextChoices):
    APPOINT = "appoint", "任职"
    DISMISS = "dismiss", "免职"


class HeadChangeState(models.TextChoices):
    REQUESTED = "requested", "待开发区意见"
    CONSENTED = "consented", "开发区同意"
    REFUSED = "refused", "开发区不同意"
    EFFECTIVE = "effective", "已生效"


class StationedQuerySet(ZoneScopedQuerySet):
    # The zone's 组织人事 carries consented changes into the organisation record, so it sees them too.
    rules = (Rule.zone("powers.view"), Rule.zone("org.change"))


class HeadChange(models.Model):
    """A head change (任免) of a stationed agency, requested by its parent department; the zone consents or refuses
    (with reasons, within a working-day limit), and only a consented change takes effect in ``Org.head``."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Org", verbose_name="派驻机构", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("org.Org", verbose_name="派出部门", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("任免类型", max_length=10, choices=HeadChangeKind.choices)
    nominee = models.ForeignKey("accounts.User", verbose_name="拟任负责人账号", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField("拟任免人员", max_length=50)
    post = models.CharField("职务", max_length=100)
    reason = models.TextField("任免理由")
    limit_days = models.PositiveSmallIntegerField("答复时限（工作日）", default=5)
    requested_by = models.ForeignKey("accounts.User", verbose_name="申请人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    opinion = models.TextField("开发区意见", blank=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("答复时间", null=True, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    state = models.CharField("状态", max_length=16, choices=HeadChangeState.choices,
                             default=HeadChangeState.REQUESTED)
    version = models.PositiveIntegerField(default=1)

    objects = StationedQuerySet.as_manager()

    class Meta:
        verbose_name = "派驻机构负责人任免"
        verbose_name_plural = "派驻机构负责人任免"
        ordering = ["zone_id", "-requested_at", "-id"]
        indexes = [models.Index(fields=["zone", "agency", "state"], name="headchange_zone_agency_state")]

    def __str__(self):
        return f"{self.agency}：{self.get_kind_display()}{self.person_name}（{self.post}）"

    def get_absolute_url(self):
        return reverse("powers:headchange-detail", args=[self.pk])


class HeadChangeEvent(ProcessEvent):
    owner_field = "head_change"
    head_change = models.ForeignKey(HeadChange, verbose_name="负责人任免", on_delete=models.PROTECT,
                                    related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "负责人任免办理记录"
        verbose_name_plural = "负责人任免办理记录"


class AssessmentPeriod(models.TextChoices):
    YEAR = "year", "年度"
    HALF = "half", "半年"
    QUARTER = "quarter", "季度"
    MONTH = "month", "月度"


class AssessmentRight(models.Model):
    """The zone's assessment right (考核权) over a stationed agency: the scheme it is assessed under and how often.
    Scores arrive with the assessment module."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Org", verbose_name="派驻机构", on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField("考核方案", max_length=150)
    period = models.CharField("考核周期", max_length=10, choices=AssessmentPeriod.choices)
    since = models.DateField("起始日期")
    note = models.CharField("说明", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = StationedQuerySet.as_manager()

    class Meta:
        verbose_name = "考核权"
        verbose_name_plural = "考核权"
        ordering = ["zone_id", "agency_id", "-since", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "scheme"], name="assessment_agency_scheme_unique")]
        indexes = [models.Index(fields=["zone", "agency"], name="assessment_zone_agency")]

    def __str__(self):
        return f"{self.agency}：{self.scheme}（{self.get_period_display()}）"

    def get_absolute_url(self):
        return reverse("powers:assessment-list") + f"?agency={self.agency_id}"
