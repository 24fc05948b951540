"""The 工作台: what waits for a user, contributed by every module (its AppConfig's ``workbench`` declaration).

An entry function ``(user, scope, today) -> Entry | None`` answers for one user with a fixed number of queries
(typically a count and a short list), whatever the amount of data; None when the entry does not concern the user
(a role that cannot import has no import to-dos). An item may carry its deadline clock, shown as the clock's badge
(a module fetches its clocks with the list, so the count stays fixed). The home page and ``GET /api/v1/workbench/``
render the entries.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from kaifaqu.core import registry
from kaifaqu.core.access import scope_of
from kaifaqu.core.clock.api import ClockSerializer

SHORT_LIST = 5  # items shown per entry; the count says how many there are


class Kind:
    TASK = "todo"  # things to act on (待办), counted
    ALERT = "alert"  # a warning to read


@dataclass
class Item:
    label: str
    url: str = ""
    note: str = ""  # e.g. the time left, in Chinese
    due: datetime.date | datetime.datetime | None = None
    clock: object | None = None  # the to-do's DeadlineClock (fetched with the list, ideally ``with_status(now)``)


@dataclass
class Entry:
    key: str
    title: str
    url: str  # the list where all of them are
    count: int = 0
    kind: str = Kind.TASK
    message: str = ""
    link_label: str = "查看全部"
    items: list[Item] = field(default_factory=list)


def entries_for(user, today: datetime.date | None = None) -> list[Entry]:
    scope = scope_of(user)
    if not scope.is_authenticated:
        return []
    today = today or timezone.localdate()
    found = (fn(user, scope, today) for fn in registry.workbench_entries())
    return [entry for entry in found if entry is not None]


class WorkbenchItemSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="事项")
    url = serializers.CharField(help_text="链接")
    note = serializers.CharField(help_text="说明（如剩余时间）")
    due = serializers.SerializerMethodField(help_text="到期日期或时间（ISO 8601），无则为空")
    clock = ClockSerializer(allow_null=True, help_text="办理时限（无则为空）")

    @extend_schema_field(OpenApiTypes.STR)
    def get_due(self, item) -> str | None:
        if item.due is None:
            return None
        if isinstance(item.due, datetime.datetime):
            return timezone.localtime(item.due).isoformat()
        return item.due.isoformat()


class WorkbenchEntrySerializer(serializers.Serializer):
    key = serializers.CharField(help_text="条目代码，如 imports-confirm")
    title = serializers.CharField(help_text="标题")
    kind = serializers.ChoiceField(choices=[(Kind.TASK, "待办"), (Kind.ALERT, "提醒")], help_text="待办或提醒")
    count = serializers.IntegerField(help_text="件数")
    url = serializers.CharField(help_text="全部事项所在列表的链接")
    link_label = serializers.CharField(help_text="链接文字")
    message = serializers.CharField(help_text="提醒内容")
    items = WorkbenchItemSerializer(many=True, help_text=f"最多 {SHORT_LIST} 件")


class WorkbenchSerializer(serializers.Serializer):
    entries = WorkbenchEntrySerializer(many=True)


class WorkbenchView(APIView):
    @extend_schema(summary="工作台：当前用户的待办与提醒", tags=["workbench"], responses=WorkbenchSerializer)
    def get(self, request):
        return Response(WorkbenchSerializer({"entries": entries_for(request.user)}).data)
