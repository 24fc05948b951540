"""MEET-1 … 3: the zone's joint-meeting body (联席会议制度: convener, member units), its meetings (联席会议,
项目结对月例会, 其他) with attendance and agenda, the decisions (议定事项) each owned by a unit on a working-day
clock, and the minutes (会议纪要) kept as the meeting's attachment.

Other modules' rows (an escalated whistle, a stuck investment project) are named on an agenda item by kind and id
with a copy of their title, not by foreign key: the meetings module works without them installed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.core.access import Rule, ZoneScopedQuerySet
from kaifaqu.core.workflow.models import ProcessEvent


class MeetingKind(models.TextChoices):
    JOINT = "joint", "联席会议"
    PAIRING = "pairing", "项目结对月例会"
    OTHER = "other", "其他会议"


class MeetingState(models.TextChoices):
    PLANNED = "planned", "筹备中"
    HELD = "held", "已召开"
    MINUTED = "minuted", "纪要已印发"
    CANCELLED = "cancelled", "已取消"


class AgendaSource(models.TextChoices):
    WHISTLE = "whistle", "吹哨升级"
    PROJECT = "project", "停滞招商项目"
    FREE = "free", "其他议题"


class AttendanceRole(models.TextChoices):
    CONVENER = "convener", "召集人"
    MEMBER = "member", "成员单位"
    INVITED = "invited", "列席"


class DecisionState(models.TextChoices):
    OPEN = "open", "办理中"
    REPORTED = "reported", "已报办结（待验收）"
    ACCEPTED = "accepted", "已验收办结"


# Units a decision may be addressed to, and that may be members of the body (as the whistle module addresses).
UNIT_KINDS = ("committee", "department", "institution", "stationed", "street", "city_department",
              "platform_company")


class BodyQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("meetings.view_all"),)


class JointBody(models.Model):
    """The zone's joint-meeting body (联席会议制度): one per zone, convened by a city leader."""

    zone = models.OneToOneField("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=200)
    convener = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="召集人账号", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    convener_name = models.CharField("召集人", max_length=100)
    convener_title = models.CharField("召集人职务", max_length=100, blank=True)
    duties = models.TextField("工作规则", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = "联席会议制度"
        verbose_name_plural = "联席会议制度"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:body")


class MemberQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("meetings.view_all"),)


class BodyMember(models.Model):
    """A member unit of the body (成员单位)."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(JointBody, verbose_name="联席会议制度", on_delete=models.PROTECT, related_name="members")
    org = models.ForeignKey("org.Org", verbose_name="成员单位", on_delete=models.PROTECT, related_name="+")
    sort = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("在册", default=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "成员单位"
        verbose_name_plural = "成员单位"
        ordering = ["sort", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "org"], name="meetings_member_once")]
        indexes = [models.Index(fields=["zone", "body"], name="meetings_member_zone")]

    def __str__(self):
        return str(self.org)


class MeetingQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("meetings.view_all"),)

    def scope_filter(self, scope):
        # A unit sees the meetings that addressed a decision to it (to read the minutes): the addressee is on the
        # decision, and a join would repeat a meeting with two decisions for one unit, so the rule is a subquery.
        condition = self.rule_condition(scope)
        if condition is not None:
            return self.filter(condition)
        if not (scope.has("meetings.act") and scope.org_id and scope.zone_ids):
            return self.none()
        return self.filter(zone_id__in=scope.zone_ids,
                           pk__in=Decision.objects.filter(zone_id__in=scope.zone_ids, owner_id=scope.org_id)
                           .values("meeting_id"))


class Meeting(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("编号", max_length=32)
    kind = models.CharField("会议类别", max_length=16, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    starts_at = models.DateTimeField("会议时间")
    place = models.CharField("会议地点", max_length=200)
    convener_name = models.CharField("主持人/召集人", max_length=100)
    recorder = models.CharField("记录人", max_length=100, blank=True)
    state = models.CharField("状态", max_length=16, choices=MeetingState.choices, default=MeetingState.PLANNED)
    held_at = models.DateTimeField("召开时间", null=True, blank=True)
    summary = models.TextField("会议概况", blank=True)
    minutes = models.ForeignKey("core.Attachment", verbose_name="会议纪要", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    minutes_issued_at = models.DateTimeField("纪要印发时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-starts_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="meetings_number_unique")]
        indexes = [models.Index(fields=["zone", "state", "starts_at"], name="meetings_zone_state"),
                   models.Index(fields=["zone", "kind", "starts_at"], name="meetings_zone_kind")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", args=[self.pk])


class AttendanceQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("meetings.view_all"),)


class Attendance(models.Model):
    """Who was asked and who came: a unit (or a person without one, such as the convener) present or absent."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="attendance")
    org = models.ForeignKey("org.Org", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    person = models.CharField("参会人", max_length=100, blank=True)
    role = models.CharField("身份", max_length=16, choices=AttendanceRole.choices, default=AttendanceRole.MEMBER)
    present = models.BooleanField("出席", default=True)
    note = models.CharField("说明（如请假事由）", max_length=200, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = "出席情况"
        verbose_name_plural = "出席情况"
        ordering = ["sort", "id"]
        indexes = [models.Index(fields=["zone", "meeting"], name="meetings_attendance_zone")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "org"], condition=Q(org__isnull=False),
                                    name="meetings_attendance_unit_once"),
        ]

    def __str__(self):
        return f"{self.org or ''}{self.person}（{'出席' if self.present else '缺席'}）"


class AgendaQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("meetings.view_all"),)


class AgendaItem(models.Model):
    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="agenda")
    seq = models.PositiveIntegerField("序号")
    source = models.CharField("来源", max_length=16, choices=AgendaSource.choices, default=AgendaSource.FREE)
    source_id = models.PositiveBigIntegerField("来源对象ID", null=True, blank=True)
    source_ref = models.CharField("来源编号", max_length=64, blank=True)
    title = models.CharField("议题", max_length=300)
    description = models.TextField("情况说明", blank=True)
    presenter = models.ForeignKey("org.Org", verbose_name="汇报单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    added_automatically = models.BooleanField("系统自动列入", default=False)
    withdrawn = models.BooleanField("已撤出（会议取消）", default=False)
    created_at = models.DateTimeField("列入时间")

    objects = AgendaQuerySet.as_manager()

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["meeting_id", "seq", "id"]
        indexes = [models.Index(fields=["zone", "source", "source_id"], name="meetings_agenda_source")]
        constraints = [
            # an escalated whistle goes on one agenda (again only when that meeting is cancelled); a stuck project
            # may come back month after month (services: once per meeting in preparation)
            models.UniqueConstraint(fields=["zone", "source", "source_id"],
                                    condition=Q(source="whistle", source_id__isnull=False, withdrawn=False),
                                    name="meetings_agenda_source_once"),
        ]

    def __str__(self):
        return f"{self.seq}. {self.title}"


class DecisionQuerySet(ZoneScopedQuerySet):
    rules = (Rule.zone("meetings.view_all"), Rule.addressed("meetings.act", field="owner_id"))


class Decision(models.Model):
    """One decision (议定事项) of a meeting: an owner unit and a deadline on the working-day clock."""

    zone = models.ForeignKey("org.Zone", verbose_name="开发区", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name="所属议题", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="decisions")
    seq = models.PositiveIntegerField("序号")
    content = models.TextField("议定事项")
    owner = models.ForeignKey("org.Org", verbose_name="责任单位", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("办结期限")
    state = models.CharField("状态", max_length=16, choices=DecisionState.choices, default=DecisionState.OPEN)
    clock = models.ForeignKey("core.DeadlineClock", verbose_name="办理时限", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("报办结时间", null=True, blank=True)
    report = models.TextField("办理情况", blank=True)
    reported_on_time = models.BooleanField("按期办结", null=True, blank=True)
    accepted_at = models.DateTimeField("验收时间", null=True, blank=True)
    reject_count = models.PositiveIntegerField("退回重办次数", default=0)
    remind_count = models.PositiveIntegerField("提醒次数", default=0)
    urge_count = models.PositiveIntegerField("催办次数", default=0)
    supervise_count = models.PositiveIntegerField("督办次数", default=0)
    created_at = models.DateTimeField("议定时间")
    version = models.PositiveIntegerField(default=1)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["meeting_id", "seq", "id"]
        indexes = [models.Index(fields=["zone", "owner", "state"], name="meetings_decision_owner"),
                   models.Index(fields=["zone", "state", "due_date"], name="meetings_decision_due")]

    def __str__(self):
        return f"{self.meeting.number}-{self.seq} {self.content[:40]}"

    def get_absolute_url(self):
        return reverse("meetings:decision-detail", args=[self.pk])


class MeetingEvent(ProcessEvent):
    owner_field = "meeting"
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "会议办理记录"
        verbose_name_plural = "会议办理记录"


class DecisionEvent(ProcessEvent):
    owner_field = "decision"
    decision = models.ForeignKey(Decision, verbose_name="议定事项", on_delete=models.PROTECT, related_name="events")

    class Meta(ProcessEvent.Meta):
        verbose_name = "议定事项办理记录"
        verbose_name_plural = "议定事项办理记录"
