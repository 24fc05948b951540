import django_filters

from kaifaqu.core import labels
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.web.filters import BaseFilterSet


class AuditEventFilter(BaseFilterSet):
    search_fields = ("object_label", "actor_name", "actor_display", "reason")
    start = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label="起始日期")
    end = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label="截止日期")
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="iexact", label="操作人账号", max_length=150)
    org = django_filters.CharFilter(field_name="actor_org_name", lookup_expr="icontains", label="操作人单位",
                                    max_length=200)
    # A group's prefix ("org.") or one action: the list shows their Chinese labels (core.labels).
    action = django_filters.ChoiceFilter(field_name="action", lookup_expr="startswith", label="操作",
                                         choices=labels.action_choices)
    object_type = django_filters.ChoiceFilter(field_name="object_type", lookup_expr="iexact", label="对象类型",
                                              choices=labels.object_type_choices)
    object_id = django_filters.CharFilter(field_name="object_id", lookup_expr="exact", label="对象ID", max_length=64)

    class Meta(BaseFilterSet.Meta):
        model = AuditEvent
        fields = ["q", "start", "end", "actor", "org", "action", "object_type", "object_id"]
