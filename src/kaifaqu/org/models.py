"""ORG-1 … ORG-5: zones, parks, organisations with plaques, establishment, reorganisation history, staff."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.sensitive import SealedCharField, SealedDecimalField
from kaifaqu.core.workflow.models import ProcessEvent


class ZoneKind(models.TextChoices):
    ECONOMIC = "economic", "经济技术开发区"
    HIGH_TECH = "high_tech", "高新技术产业开发区"
    INDUSTRIAL = "industrial", "产业园区"
    BONDED = "bonded", "综合保税区"
    OTHER = "other", "其他"


class ZoneLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党工委/管委会"
    DEPARTMENT = "department", "内设机构"
    INSTITUTION = "institution", "事业单位"
    STATIONED = "stationed", "派驻机构"
    STREET = "street", "属地镇街"
    CITY_DEPARTMENT = "city_department", "市直部门"
    CITY_GOVERNMENT = "city_government", "市人民政府（领导）"
    PLATFORM_COMPANY = "platform_company", "平台公司"
    FUND = "fund", "基金"
    INTERMEDIARY = "intermediary", "第三方/中介机构"
    ENTERPRISE = "enterprise", "企业"


# Kinds that belong to the zone's own establishment (编制) and whose people are the zone's staff.
ESTABLISHMENT_KINDS = (OrgKind.COMMITTEE, OrgKind.DEPARTMENT, OrgKind.INSTITUTION, OrgKind.STATIONED)


class PostKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", "行政编制"
    PUBLIC_SERVICE = "public_service", "事业编制"
    CONTRACT = "contract", "编外"
    APPOINTED = "appointed", "聘任"


class ZoneQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("org.view"),)
    zone_field = "pk"


class Zone(models.Model):
    name = models.CharField("开发区名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.SlugField("代码", max_length=32, unique=True, help_text="英文字母、数字或连字符，全平台唯一")
    kind = models.CharField("类型", max_length=16, choices=ZoneKind.choices, default=ZoneKind.ECONOMIC)
    level = models.CharField("级别", max_length=16, choices=ZoneLevel.choices, default=ZoneLevel.PROVINCIAL)
    province = models.CharField("省", max_length=50, blank=True)
    city = models.CharField("市", max_length=50, blank=True)
    county = models.CharField("县（市、区）", max_length=50, blank=True)
    area_km2 = models.DecimalField("规划面积（平方公里）", max_digits=10, decimal_places=2, null=True, blank=True)
    rank = models.CharField("机构规格", max_length=30, blank=True, help_text="如：正科级、副处级")
    established_on = models.DateField("设立日期", null=True, blank=True)
    description = models.TextField("简介", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        verbose_name = "开发区"
        verbose_name_plural = "开发区"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:zone-detail", args=[self.pk])

    @property
    def zone_id(self):
        """A zone is its own tenant: lets the audit trail and exports treat it like any zone-owned row."""
        return self.pk


class ParkQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("org.view"),)


class Park(models.Model):
    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="parks")
    name = models.CharField("园区名称", max_length=100)
    code = models.SlugField("代码", max_length=32)
    area_km2 = models.DecimalField("面积（平方公里）", max_digits=10, decimal_places=2, null=True, blank=True)
    leading_industries = models.CharField("主导产业", max_length=200, blank=True)
    description = models.TextField("简介", blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = "园区"
        ordering = ["zone_id", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="park_code_unique_in_zone"),
            models.UniqueConstraint(fields=["zone", "name"], name="park_name_unique_in_zone"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:park-detail", args=[self.pk])


class OrgQuerySet(ZoneScopedQuerySet):
    # Enterprises and intermediaries (org.view_own) see their own organisation only, not the zone's structure.
    rules = (Rule.zone("org.view"), Rule.own_org("org.view_own", field="pk"))


class OrgState(models.TextChoices):
    """The organisation's workflow state (org/workflow.py); ``is_active`` follows it and stays the column that
    queries filter on."""

    ACTIVE = "active", "存续"
    ABOLISHED = "abolished", "已撤销"


class Org(models.Model):
    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="orgs")
    park = models.ForeignKey(Park, verbose_name="所在园区", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="orgs")
    parent = models.ForeignKey("self", verbose_name="上级机构", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    home_department = models.ForeignKey(
        "self", verbose_name="派出部门", null=True, blank=True, on_delete=models.PROTECT, related_name="stationed_agencies",
        help_text="派驻机构所属的市直部门（双重管理）",
    )
    kind = models.CharField("机构类型", max_length=20, choices=OrgKind.choices)
    name = models.CharField("机构名称", max_length=150)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.SlugField("代码", max_length=40)
    comprehensive = models.BooleanField("综合性内设机构", default=False)
    rank = models.CharField("机构规格", max_length=30, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    headcount_cap = models.PositiveIntegerField("员额上限", null=True, blank=True)
    functions = models.TextField("主要职责", blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="负责人账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="headed_orgs",
                             help_text="本单位负责人的账号：可查看本单位人员的工资薪酬与个人手机")
    is_active = models.BooleanField("存续", default=True)
    state = models.CharField("状态", max_length=16, choices=OrgState.choices, default=OrgState.ACTIVE)
    abolished_on = models.DateField("撤销日期", null=True, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField(default=1)

    objects = OrgQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["zone_id", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="org_code_unique_in_zone"),
            models.CheckConstraint(
                condition=Q(comprehensive=False) | Q(kind="department"), name="org_comprehensive_only_department"
            ),
        ]
        indexes = [models.Index(fields=["zone", "kind"], name="org_zone_kind")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:org-detail", args=[self.pk])


class PlaqueKind(models.TextChoices):
    ATTACHED = "attached", "挂牌"
    ADDED = "added", "增挂"


class PlaqueQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("org.view"),)


class Plaque(models.Model):
    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, verbose_name="机构", on_delete=models.PROTECT, related_name="plaques")
    name = models.CharField("牌子名称", max_length=150)
    kind = models.CharField("方式", max_length=16, choices=PlaqueKind.choices, default=PlaqueKind.ATTACHED)
    since = models.DateField("挂牌日期", null=True, blank=True)
    is_active = models.BooleanField("有效", default=True)

    objects = PlaqueQuerySet.as_manager()

    class Meta:
        verbose_name = "牌子"
        verbose_name_plural = "牌子"
        ordering = ["org_id", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="plaque_unique_per_org")]

    def __str__(self):
        return self.name


class EstablishmentQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("org.view"),)


class Establishment(models.Model):
    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, verbose_name="机构", on_delete=models.PROTECT, related_name="establishments")
    kind = models.CharField("编制类型", max_length=20, choices=PostKind.choices)
    approved = models.PositiveIntegerField("核定数")
    document_no = models.CharField("编办批文号", max_length=100, blank=True,
                                   help_text="核定或调整编制所依据的机构编制部门批复文号")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        verbose_name = "编制"
        verbose_name_plural = "编制"
        ordering = ["org_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="establishment_unique_kind")]

    def __str__(self):
        return f"{self.org} {self.get_kind_display()} {self.approved}"


class ReorgKind(models.TextChoices):
    ESTABLISH = "establish", "设立"
    MERGE = "merge", "整合/合并"
    ABOLISH = "abolish", "撤销"
    RENAME = "rename", "更名"
    PLAQUE = "plaque", "挂牌/增挂牌子"
    ESTABLISHMENT = "establishment", "编制调整"
    RESTRUCTURE = "restructure", "优化调整"


class ReorgEventQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("org.view"),)


class ReorgEvent(models.Model):
    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="reorg_events")
    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=20, choices=ReorgKind.choices)
    title = models.CharField("事项", max_length=200)
    subject = models.CharField("统计对象", max_length=100, help_text="如：机构数、工业园区数、正科级单位、事业编制")
    before_count = models.IntegerField("调整前")
    after_count = models.IntegerField("调整后")
    document_no = models.CharField("文号", max_length=100, blank=True)
    description = models.TextField("说明", blank=True)
    orgs = models.ManyToManyField(Org, verbose_name="涉及机构", blank=True, related_name="reorg_events")

    objects = ReorgEventQuerySet.as_manager()

    class Meta:
        verbose_name = "机构沿革"
        verbose_name_plural = "机构沿革"
        ordering = ["zone_id", "-date", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("org:reorg-detail", args=[self.pk])

    @property
    def change(self):
        return self.after_count - self.before_count


class StaffStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    SECONDED_OUT = "seconded_out", "外派挂职"
    LEFT = "left", "已离岗"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class StaffQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("staff.view_all"), Rule.own_org("staff.view_own", field="org_id"))


class Staff(models.Model):
    """A person. ORG-5 "三分离": the grade and salary kept on file (身份/档案) are separate from the post
    the person is appointed to and the pay that post actually earns."""

    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, verbose_name="所在单位", on_delete=models.PROTECT, related_name="staff")
    staff_no = models.CharField("工号", max_length=32)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True)
    # Pay and personal phones are sealed at rest (core.sensitive: SM4 under the field key).
    phone = SealedCharField("手机", max_length=20, blank=True)
    post_kind = models.CharField("编制类型", max_length=20, choices=PostKind.choices)
    grade_on_file = models.CharField("档案职级（原职务）", max_length=50, blank=True)
    archive_salary = SealedDecimalField("档案工资（元/月）", max_digits=12, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(0)])
    appointed_post = models.CharField("聘任岗位", max_length=100, blank=True)
    actual_pay = SealedDecimalField("实际薪酬（元/年）", max_digits=12, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0)])
    joined_on = models.DateField("到岗日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=StaffStatus.choices, default=StaffStatus.ACTIVE)
    version = models.PositiveIntegerField(default=1)

    objects = StaffQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["zone_id", "org_id", "staff_no"]
        constraints = [
            # Pay is sealed, so "not negative" is a validator (the service runs full_clean), not a SQL check.
            models.UniqueConstraint(fields=["zone", "staff_no"], name="staff_no_unique_in_zone"),
        ]
        indexes = [models.Index(fields=["zone", "org", "status"], name="staff_zone_org_status")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:staff-detail", args=[self.pk])


class SecondmentQuerySet(ZoneScopedQuerySet):
    # A unit sees the secondments of its own people and those it hosts.
    rules = (Rule.zone("staff.view_all"), Rule.own_org("staff.view_own", field="staff__org_id"),
             Rule.addressed("staff.view_own", field="host_org_id"))


class SecondmentState(models.TextChoices):
    """The secondment's workflow state (org/workflow.py); ``ended_early_on`` is set with it."""

    RUNNING = "running", "挂职中"
    ENDED_EARLY = "ended_early", "已提前结束"


class Secondment(models.Model):
    """挂职: a person works in a host organisation for a fixed period (usually 1–2 years)."""

    zone = models.ForeignKey(Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, verbose_name="人员", on_delete=models.PROTECT, related_name="secondments")
    host_org = models.ForeignKey(Org, verbose_name="挂职单位", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="hosted_secondments")
    host_name = models.CharField("挂职单位（区外）", max_length=150, blank=True,
                                 help_text="挂职单位不在本平台时填写名称")
    post = models.CharField("挂职岗位", max_length=100)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    note = models.CharField("备注", max_length=200, blank=True)
    ended_early_on = models.DateField("提前结束日期", null=True, blank=True)
    state = models.CharField("状态", max_length=16, choices=SecondmentState.choices, default=SecondmentState.RUNNING)
    version = models.PositiveIntegerField(default=1)

    objects = SecondmentQuerySet.as_manager()

    class Meta:
        verbose_name = "挂职"
        verbose_name_plural = "挂职"
        ordering = ["zone_id", "-start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="secondment_end_after_start"),
            models.CheckConstraint(condition=~Q(host_org__isnull=True, host_name=""), name="secondment_has_host"),
        ]

    def __str__(self):
        return f"{self.staff} 挂职 {self.host_label}"

    def get_absolute_url(self):
        return reverse("org:secondment-detail", args=[self.pk])

    @property
    def host_label(self):
        return str(self.host_org) if self.host_org_id else self.host_name

    def status_label_on(self, today) -> str:
        """What a person reads as the secondment's status on ``today``: the stored state says only whether it was
        ended early; a running one has not started, is under way, or ended as planned by its dates."""
        if self.ended_early_on:
            return f"已于 {self.ended_early_on:%Y-%m-%d} 提前结束"
        if today < self.start:
            return "未开始"
        if today > self.end:
            return "已期满结束"
        return "挂职中"

    @property
    def status_label(self) -> str:
        from django.utils import timezone

        return self.status_label_on(timezone.localdate())


# Process events (core.workflow): one append-only row per action performed -----------------------------------

class OrgEvent(ProcessEvent):
    owner_field = "org"
    org = models.ForeignKey(Org, verbose_name="机构", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "机构办理记录"
        verbose_name_plural = "机构办理记录"


class SecondmentEvent(ProcessEvent):
    owner_field = "secondment"
    secondment = models.ForeignKey(Secondment, verbose_name="挂职", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "挂职办理记录"
        verbose_name_plural = "挂职办理记录"
