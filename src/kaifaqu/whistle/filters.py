"""One FilterSet per list of the whistle module (page, API and export alike)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from kaifaqu.core.web.filters import BaseFilterSet, YesNoFilter

from .models import Assignment, AssignmentState, Whistle, WhistleKind, WhistleState
from .periods import PeriodError, period_range


def _user(request):
    return getattr(request, "user", None)


def visible_parks(request):
    from django.apps import apps

    return apps.get_model("org", "Park").objects.visible_to(_user(request))


def overdue_condition(now, prefix=""):
    cond = Q()
    for name in ("report_clock", "plan_clock", "solve_clock"):
        cond |= Q(**{f"{prefix}{name}__state": "overdue"}) | Q(**{f"{prefix}{name}__state": "running",
                                                                  f"{prefix}{name}__due_at__lte": now})
    return cond


class PeriodFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        try:
            start, end = period_range(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return qs.filter(**{f"{self.field_name}__gte": start, f"{self.field_name}__lt": end})


class WhistleFilter(BaseFilterSet):
    search_fields = ("number", "title", "description", "place", "matter")
    kind = django_filters.ChoiceFilter(label="类别", choices=WhistleKind.choices)
    state = django_filters.ChoiceFilter(label="状态", choices=WhistleState.choices)
    unit = django_filters.NumberFilter(label="承办单位ID", method="filter_unit")
    park = django_filters.ModelChoiceFilter(label="园区", queryset=visible_parks)
    matter = django_filters.CharFilter(label="事项类别")
    overdue = YesNoFilter(label="有逾期", method="filter_overdue")
    period = PeriodFilter(label="期间（如 2026、2026-Q3、2026-07）", field_name="blown_at")
    needs = django_filters.ChoiceFilter(label="待开发区处理", choices=(("zone", "是"),), method="filter_needs")

    class Meta(BaseFilterSet.Meta):
        model = Whistle
        fields = ["q", "kind", "state", "unit", "park", "matter", "overdue", "period"]

    def filter_unit(self, queryset, name, value: int):
        if value is None:
            return queryset
        return queryset.filter(pk__in=Assignment.objects.filter(org_id=int(value)).values("whistle_id"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Assignment.objects.filter(overdue_condition(timezone.now()),
                                         state__in=[AssignmentState.DISPATCHED, AssignmentState.REPORTED,
                                                    AssignmentState.PLANNED]).values("whistle_id")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_needs(self, queryset, name, value):
        if value != "zone":
            return queryset
        from .workbench import zone_waiting

        return queryset.filter(pk__in=zone_waiting(_user(self.request)).values("pk"))


class AssignmentFilter(BaseFilterSet):
    search_fields = ("whistle__number", "whistle__title")
    state = django_filters.ChoiceFilter(label="状态", choices=AssignmentState.choices)
    kind = django_filters.ChoiceFilter(label="类别", field_name="whistle__kind", choices=WhistleKind.choices)
    open = YesNoFilter(label="未办结", method="filter_open")

    class Meta(BaseFilterSet.Meta):
        model = Assignment
        fields = ["q", "state", "kind", "open"]

    def filter_open(self, queryset, name, value):
        live = [AssignmentState.DISPATCHED, AssignmentState.REPORTED, AssignmentState.PLANNED]
        if value is None:
            return queryset
        return queryset.filter(state__in=live) if value else queryset.exclude(state__in=live)
