"""The shape of a deadline clock in module APIs.

Core routes no clock endpoint of its own: who may see a clock is who may see its object, so each module nests
``ClockSerializer`` in its own serializers and adds ``ClockActionsMixin`` to the viewset of its clock owners (a whistle's report-in limit, a case's statutory limit). Everything it
shows is a column or the SQL annotation of ``DeadlineClock.objects.with_status(now)``: a list of clocks costs one
query whatever its length (pause counter included).
"""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from kaifaqu.core.access import require
from kaifaqu.core.clock import services
from kaifaqu.core.clock.models import ClockStatus, DeadlineClock, PauseReason


class ClockSerializer(serializers.ModelSerializer):
    unit_label = serializers.CharField(source="get_unit_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    status = serializers.SerializerMethodField(help_text="normal/warning/overdue/paused/met/met_late")
    status_label = serializers.SerializerMethodField(help_text="正常/预警/逾期/已暂停/按期完成/逾期完成")
    paused_total = serializers.FloatField(read_only=True, help_text="已结束的暂停累计时长，与时限同单位")
    provisional = serializers.BooleanField(read_only=True,
                                           help_text="预估：到期时间按尚未正式发布的年度（法定节假日预估）计算")

    class Meta:
        model = DeadlineClock
        fields = ["id", "kind", "unit", "unit_label", "limit", "started_at", "due_at", "warn_at", "state",
                  "state_label", "status", "status_label", "pause_count", "paused_total", "provisional",
                  "finished_at"]
        read_only_fields = fields

    def _status(self, obj) -> ClockStatus:
        value = getattr(obj, "status", None)
        return ClockStatus(value) if value else obj.status_at(timezone.now())

    def get_status(self, obj) -> str:
        return self._status(obj).value

    def get_status_label(self, obj) -> str:
        return self._status(obj).label


# Pause, resume and extend any owner's clocks -------------------------------------------------------------------



class PauseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=PauseReason.choices, help_text="暂停原因（法定情形）")
    reason_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    expected_end = serializers.DateField(required=False, allow_null=True, default=None)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="默认为当前时间")


class ResumeSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="默认为当前时间")


class ExtendSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, help_text="延长量，与时限同单位")
    reason = serializers.CharField(max_length=500)


def owner_clocks(owner):
    """The clocks of one object, newest first, with their display status annotated (one query)."""
    return (DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(owner), object_id=str(owner.pk))
            .with_status(timezone.now()).order_by("-started_at", "-pk"))


def owner_clock(owner, clock_id):
    """One clock of ``owner``; a clock of another object answers 404 like a missing one."""
    return get_object_or_404(owner_clocks(owner), pk=clock_id)


class ClockActionsMixin:
    """Adds ``GET {id}/clocks/`` and ``POST {id}/clocks/{clock_id}/pause|resume|extend/`` to a module's viewset of
    clock owners. The owner is looked up through the viewset (scoped: 404 outside the user's view), then
    ``clock_permission`` is required (403); the clock must belong to that owner (404 otherwise)."""

    clock_permission = ""

    def _clock_for(self, request, clock_id):
        self._owner = self.get_object()
        require(request.user, self.clock_permission)
        return owner_clock(self._owner, clock_id)

    def _answer(self, clock):
        return Response(ClockSerializer(owner_clock(self._owner, clock.pk)).data)

    @extend_schema(summary="时限列表", responses=ClockSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="clocks")
    def clocks(self, request, pk=None):
        return Response(ClockSerializer(owner_clocks(self.get_object()), many=True).data)

    @extend_schema(summary="暂停计时（法定情形，生成书面告知）", request=PauseSerializer, responses=ClockSerializer)
    @action(detail=True, methods=["post"], url_path=r"clocks/(?P<clock_id>[0-9]+)/pause")
    def pause_clock(self, request, pk=None, clock_id=None):
        clock = self._clock_for(request, clock_id)
        data = _valid(PauseSerializer, request)
        services.pause(request.user, clock, reason=data["reason"], reason_text=data["reason_text"],
                       expected_end=data["expected_end"], at=data["at"])
        return self._answer(clock)

    @extend_schema(summary="恢复计时", request=ResumeSerializer, responses=ClockSerializer)
    @action(detail=True, methods=["post"], url_path=r"clocks/(?P<clock_id>[0-9]+)/resume")
    def resume_clock(self, request, pk=None, clock_id=None):
        clock = self._clock_for(request, clock_id)
        services.resume(request.user, clock, at=_valid(ResumeSerializer, request)["at"])
        return self._answer(clock)

    @extend_schema(summary="延长时限", request=ExtendSerializer, responses=ClockSerializer)
    @action(detail=True, methods=["post"], url_path=r"clocks/(?P<clock_id>[0-9]+)/extend")
    def extend_clock(self, request, pk=None, clock_id=None):
        clock = self._clock_for(request, clock_id)
        data = _valid(ExtendSerializer, request)
        services.extend(request.user, clock, amount=data["amount"], reason=data["reason"])
        return self._answer(clock)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
