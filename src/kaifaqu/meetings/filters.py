"""One FilterSet per list of the meetings module (page, API and export alike)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from kaifaqu.core.web.filters import BaseFilterSet, YesNoFilter

from .models import Decision, DecisionState, Meeting, MeetingKind, MeetingState


class MeetingFilter(BaseFilterSet):
    search_fields = ("number", "title", "place", "convener_name")
    kind = django_filters.ChoiceFilter(label="会议类别", choices=MeetingKind.choices)
    state = django_filters.ChoiceFilter(label="状态", choices=MeetingState.choices)
    year = django_filters.NumberFilter(label="年度", field_name="starts_at", lookup_expr="year", min_value=1990,
                                       max_value=2100)

    class Meta(BaseFilterSet.Meta):
        model = Meeting
        fields = ["q", "kind", "state", "year"]


def late_condition(now):
    return Q(state=DecisionState.OPEN) & (Q(clock__state="overdue") | Q(clock__state="running",
                                                                      clock__due_at__lte=now))


class DecisionFilter(BaseFilterSet):
    search_fields = ("content", "meeting__title", "meeting__number", "owner__name")
    state = django_filters.ChoiceFilter(label="状态", choices=DecisionState.choices)
    owner = django_filters.NumberFilter(label="责任单位ID", field_name="owner_id")
    meeting = django_filters.NumberFilter(label="会议ID", field_name="meeting_id")
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
