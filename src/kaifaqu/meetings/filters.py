"""One FilterSet per list of the meetings module (page, API and export alike)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from kaifaqu.core.web.filters import BaseFilterSet, YesNoFilter

from .models import Decision, DecisionState, Meeting, MeetingKind, MeetingState

BIGINT = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGINT})
class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number within the database's range (anything else is 400, as the schema states)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=BIGINT, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1990, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1990, max_value=2100, **kwargs)


class MeetingFilter(BaseFilterSet):
    search_fields = ("number", "title", "place", "convener_name")
    kind = django_filters.ChoiceFilter(label="会议类别", choices=MeetingKind.choices)
    state = django_filters.ChoiceFilter(label="状态", choices=MeetingState.choices)
    year = YearFilter(label="年度", field_name="starts_at", lookup_expr="year")

    class Meta(BaseFilterSet.Meta):
        model = Meeting
        fields = ["q", "kind", "state", "year"]


def late_condition(now):
    return Q(state=DecisionState.OPEN) & (Q(clock__state="overdue") | Q(clock__state="running",
                                                                      clock__due_at__lte=now))


class DecisionFilter(BaseFilterSet):
    search_fields = ("content", "meeting__title", "meeting__number", "owner__name")
    state = django_filters.ChoiceFilter(label="状态", choices=DecisionState.choices)
    owner = IdFilter(label="责任单位ID", field_name="owner_id")
    meeting = IdFilter(label="会议ID", field_name="meeting_id")
    kind = django_filters.ChoiceFilter(label="会议类别", field_name="meeting__kind", choices=MeetingKind.choices)
    overdue = YesNoFilter(label="已逾期", method="filter_overdue")

    class Meta(BaseFilterSet.Meta):
        model = Decision
        fields = ["q", "state", "owner", "meeting", "kind", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = late_condition(timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)
