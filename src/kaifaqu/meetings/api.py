"""API of the meetings module: meetings (schedule, list, detail with attendance, agenda and decisions, attendance,
agenda items, decisions, the actions of the state table) and decisions (the owner unit's report, the zone's
acceptance). Action endpoints come from the state tables."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from kaifaqu.core.api import ServiceViewSet, StrictSerializer
from kaifaqu.core.clock.api import ClockSerializer
from kaifaqu.core.errors import InvalidInput
from kaifaqu.core.workflow.api import WorkflowActionsMixin

from . import queries, services
from .filters import DecisionFilter, MeetingFilter
from .models import (
    AgendaItem,
    AgendaSource,
    Attendance,
    AttendanceRole,
    Decision,
    DecisionState,
    Meeting,
    MeetingKind,
    MeetingState,
)
from .workflow import DECISION, MEETING


def code_field(choices, **kwargs):
    """A code shown as text with its values in the description (the schema names enum components by field name,
    and ``state`` or ``kind`` mean another set of values in every module)."""
    codes = "、".join(f"{c} {label}" for c, label in choices)
    return serializers.CharField(read_only=True, help_text=f"{kwargs.pop('help_text', '代码')}：{codes}", **kwargs)


class DecisionSerializer(serializers.ModelSerializer):
    state = code_field(DecisionState.choices)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    meeting_number = serializers.CharField(source="meeting.number", read_only=True)
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    clock = ClockSerializer(read_only=True, allow_null=True)
    time_left = serializers.SerializerMethodField(help_text="办结期限的剩余或超时时间（中文）")

    class Meta:
        model = Decision
        fields = ["id", "meeting", "meeting_number", "meeting_title", "agenda_item", "seq", "content", "owner",
                  "owner_name", "due_date", "state", "state_label", "clock", "time_left", "reported_at", "report",
                  "reported_on_time", "accepted_at", "reject_count", "remind_count", "urge_count", "supervise_count",
                  "created_at", "version"]
        read_only_fields = fields

    def get_time_left(self, obj) -> str:
        if obj.state != DecisionState.OPEN:
            return ""
        return queries.time_left(obj.clock, timezone.now())


class AttendanceSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True, default=None, allow_null=True)
    capacity = code_field(AttendanceRole.choices, source="role", help_text="身份")
    capacity_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "org", "org_name", "person", "capacity", "capacity_label", "present", "note"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    source = code_field(AgendaSource.choices, help_text="来源")
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    presenter_name = serializers.CharField(source="presenter.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "seq", "source", "source_label", "source_id", "source_ref", "title", "description",
                  "presenter", "presenter_name", "added_automatically", "withdrawn", "created_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    kind = code_field(MeetingKind.choices, help_text="会议类别")
    state = code_field(MeetingState.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    minutes_url = serializers.SerializerMethodField(help_text="会议纪要（.docx）下载地址；未印发为空")

    class Meta:
        model = Meeting
        fields = ["id", "zone", "number", "kind", "kind_label", "title", "starts_at", "place", "convener_name",
                  "recorder", "state", "state_label", "held_at", "minutes_issued_at", "minutes_url", "version"]
        read_only_fields = fields

    def get_minutes_url(self, obj) -> str | None:
        if not obj.minutes_id:
            return None
        from django.urls import reverse

        return reverse("core:attachment-download", args=[obj.minutes_id])


class MeetingDetailSerializer(MeetingSerializer):
    summary = serializers.CharField(read_only=True)
    attendance = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "summary", "attendance", "agenda", "decisions"]
        read_only_fields = fields

    def _zone_view(self):
        from kaifaqu.core.access import scope_of

        return scope_of(self.context["request"].user).has("meetings.view_all")

    @extend_schema_field(AttendanceSerializer(many=True))
    def get_attendance(self, obj) -> list:
        if not self._zone_view():
            return []
        return AttendanceSerializer(obj.attendance.select_related("org").order_by("sort", "id"), many=True).data

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, obj) -> list:
        if not self._zone_view():
            return []
        return AgendaItemSerializer(obj.agenda.select_related("presenter").order_by("seq", "id"), many=True).data

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, obj) -> list:
        """The decisions the caller sees: the zone all of them, a unit its own."""
        shown = (Decision.objects.visible_to(self.context["request"].user).filter(meeting=obj)
                 .select_related("meeting", "owner", "clock").order_by("seq", "id"))
        return DecisionSerializer(shown, many=True, context=self.context).data


class ScheduleSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices, label="会议类别",
                                   help_text="joint 联席会议、pairing 项目结对月例会、other 其他会议")
    title = serializers.CharField(max_length=200, label="会议名称")
    starts_at = serializers.DateTimeField(label="会议时间")
    place = serializers.CharField(max_length=200, label="会议地点")
    convener_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                          label="主持人/召集人（不填为联席会议召集人）")
    recorder = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label="记录人")


class AttendanceRowSerializer(StrictSerializer):
    org = serializers.IntegerField(required=False, allow_null=True, default=None, label="单位ID")
    person = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", label="参会人")
    present = serializers.BooleanField(label="出席")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label="说明")
    capacity = serializers.ChoiceField(choices=AttendanceRole.choices, required=False,
                                       default=AttendanceRole.MEMBER, label="身份",
                                       help_text="convener 召集人、member 成员单位、invited 列席")


class AttendanceWriteSerializer(StrictSerializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text="读取时的版本号；已被他人修改时返回 409。")
    rows = AttendanceRowSerializer(many=True, allow_empty=False, max_length=200)


class AgendaWriteSerializer(StrictSerializer):
    source = serializers.ChoiceField(choices=AgendaSource.choices, required=False, default=AgendaSource.FREE,
                                     label="来源", help_text="whistle 吹哨升级、project 停滞招商项目、free 其他议题")
    source_id = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                         label="来源对象ID（吹哨或项目）")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                  label="议题（其他议题必填）")
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="",
                                        label="情况说明")
    presenter = serializers.IntegerField(required=False, allow_null=True, default=None, label="汇报单位ID")


class DecisionWriteSerializer(StrictSerializer):
    content = serializers.CharField(max_length=2000, label="议定事项")
    owner = serializers.IntegerField(label="责任单位ID")
    due_date = serializers.DateField(label="办结期限（工作日）")
    agenda_item = serializers.IntegerField(required=False, allow_null=True, default=None, label="所属议题ID")


def _zone_of(user):
    zone = user.org.zone if getattr(user, "org_id", None) else None
    if zone is None:
        raise InvalidInput("您不属于任何开发区，不能安排会议。")
    return zone


@extend_schema_view(
    list=extend_schema(summary="会议列表（联席会议、项目结对月例会、其他会议）"),
    retrieve=extend_schema(summary="会议详情（出席情况、议题、议定事项）", responses=MeetingDetailSerializer),
    create=extend_schema(summary="安排会议", request=ScheduleSerializer, responses={201: MeetingDetailSerializer}),
)
class MeetingViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """联席会议：召集、出席、议题（升级吹哨、停滞项目、其他）、议定事项与会议纪要。"""

    queryset = Meeting.objects.all()
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at", "number", "id"]
    write_perm = "meetings.manage"
    workflow = MEETING

    def get_serializer_class(self):
        if self.action in ("retrieve", "attendance", "agenda", "decisions"):
            return MeetingDetailSerializer
        return super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        data = self.validated(ScheduleSerializer)
        meeting = services.do_schedule(request.user, _zone_of(request.user), **data)
        return Response(MeetingDetailSerializer(meeting, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def workflow_result(self, obj):
        return Meeting.objects.get(pk=obj.pk)

    def _fresh(self, meeting):
        return Response(MeetingDetailSerializer(Meeting.objects.get(pk=meeting.pk),
                                                context=self.get_serializer_context()).data)

    @extend_schema(request=AttendanceWriteSerializer, responses=MeetingDetailSerializer,
                   summary="登记出席情况（单位或人员，出席或缺席）")
    @action(detail=True, methods=["post"], url_path="attendance", filter_backends=[])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        data = self.validated(AttendanceWriteSerializer)
        rows = [{**row, "role": row.pop("capacity")} for row in (dict(r) for r in data["rows"])]
        services.do_set_attendance(request.user, meeting, rows, version=data.get("version"))
        return self._fresh(meeting)

    @extend_schema(request=AgendaWriteSerializer, responses=MeetingDetailSerializer,
                   summary="列入议题（升级吹哨、停滞招商项目或其他议题）")
    @action(detail=True, methods=["post"], url_path="agenda", filter_backends=[])
    def agenda(self, request, pk=None):
        meeting = self.get_object()
        services.do_add_agenda_item(request.user, meeting, **self.validated(AgendaWriteSerializer))
        return self._fresh(meeting)

    @extend_schema(request=DecisionWriteSerializer, responses={201: DecisionSerializer},
                   summary="登记议定事项（责任单位、办结期限）")
    @action(detail=True, methods=["post"], url_path="decisions", filter_backends=[])
    def decisions(self, request, pk=None):
        meeting = self.get_object()
        d = services.do_add_decision(request.user, meeting, **self.validated(DecisionWriteSerializer))
        d = Decision.objects.select_related("meeting", "owner", "clock").get(pk=d.pk)
        return Response(DecisionSerializer(d, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="议定事项列表（本单位的或本开发区的）"),
                    retrieve=extend_schema(summary="议定事项详情"))
class DecisionViewSet(WorkflowActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """议定事项：每项一个责任单位和办结期限（工作日时限），到期提醒、催办、督办。"""

    queryset = Decision.objects.all()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["due_date", "created_at", "id"]
    select_related = ("meeting", "owner", "clock")
    write_perm = "meetings.act"
    action_perms = {"accept": "meetings.manage", "reject": "meetings.manage"}
    workflow = DECISION
    remind = None  # the ladder's steps are run by the system, not called
    urge = None
    supervise = None

    def workflow_result(self, obj):
        return self.get_queryset().get(pk=obj.pk)


ROUTES = [
    ("meetings", MeetingViewSet, "meeting"),
    ("meeting-decisions", DecisionViewSet, "meeting-decision"),
]
