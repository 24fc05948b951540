"""The shape of a deadline clock in module APIs.

Core routes no clock endpoint of its own: who may see a clock is who may see its object, so each module nests
``ClockSerializer`` in its own serializers (a whistle's report-in limit, a case's statutory limit). Everything it
shows is a column or the SQL annotation of ``DeadlineClock.objects.with_status(now)``: a list of clocks costs one
query whatever its length (pause counter included).
"""

from django.utils import timezone
from rest_framework import serializers

from .clock_models import ClockStatus, DeadlineClock


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
