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
