"""One FilterSet per list of the powers module; the page, the API and the Excel export use the same one."""

import django_filters

from kaifaqu.core.web.filters import BaseFilterSet, nullable

from .models import (
    AssessmentPeriod,
    AssessmentRight,
    Batch,
    Catalogue,
    FunctionItem,
    HandoverState,
    HeadChange,
    HeadChangeKind,
    HeadChangeState,
    Holding,
    ListState,
    ListVersion,
    PowerItem,
    PowerKind,
    StandardItem,
)


def _user(request):
    return getattr(request, "user", None)


def visible_batches(request):
    return Batch.objects.visible_to(_user(request))


def visible_versions(request):
    return ListVersion.objects.visible_to(_user(request))


ORIGIN_CHOICES = (("claimed", "认领"), ("custom", "自有事项"))


class StandardItemFilter(BaseFilterSet):
    search_fields = ("code", "name", "sub_name", "basis")
    kind = django_filters.ChoiceFilter(choices=PowerKind.choices, label="事项类型")

    class Meta(BaseFilterSet.Meta):
        model = StandardItem
        fields = ["q", "kind"]


class PowerItemFilter(BaseFilterSet):
    search_fields = ("code", "name", "sub_name", "implementing_body", "undertaking_unit")
    list_version = django_filters.ModelChoiceFilter(queryset=visible_versions, label="清单版本")
    kind = nullable(django_filters.ChoiceFilter, choices=PowerKind.choices, label="事项类型")
    holding = django_filters.ChoiceFilter(choices=Holding.choices, label="行使方式")
    batch = nullable(django_filters.ModelChoiceFilter, queryset=visible_batches, label="赋权批次")
    origin = django_filters.ChoiceFilter(choices=ORIGIN_CHOICES, label="来源", method="filter_origin")

    class Meta(BaseFilterSet.Meta):
        model = PowerItem
        fields = ["q", "list_version", "kind", "holding", "batch", "origin"]

    def filter_origin(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(standard__isnull=(value == "custom"))


class BatchFilter(BaseFilterSet):
    search_fields = ("name", "document_no")

    class Meta(BaseFilterSet.Meta):
        model = Batch
        fields = ["q"]


class ListVersionFilter(BaseFilterSet):
    search_fields = ("title", "publish_no")
    state = django_filters.ChoiceFilter(choices=ListState.choices, label="状态")

    class Meta(BaseFilterSet.Meta):
        model = ListVersion
        fields = ["q", "state"]


def visible_receivers(request):
    from kaifaqu.org.models import Org

    return Org.objects.visible_to(_user(request))


class FunctionItemFilter(BaseFilterSet):
    search_fields = ("category", "name", "description")
    catalogue = django_filters.ChoiceFilter(choices=Catalogue.choices, label="目录")
    state = django_filters.ChoiceFilter(choices=HandoverState.choices, label="交接状态")
    receiver = django_filters.ModelChoiceFilter(queryset=visible_receivers, label="承接单位")

    class Meta(BaseFilterSet.Meta):
        model = FunctionItem
        fields = ["q", "catalogue", "state", "receiver"]


def visible_agencies(request):
    from kaifaqu.org.models import Org, OrgKind

    return Org.objects.visible_to(_user(request)).filter(kind=OrgKind.STATIONED)


class HeadChangeFilter(BaseFilterSet):
    search_fields = ("person_name", "post", "reason", "agency__name")
    state = django_filters.ChoiceFilter(choices=HeadChangeState.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=HeadChangeKind.choices, label="任免类型")
    agency = django_filters.ModelChoiceFilter(queryset=visible_agencies, label="派驻机构")

    class Meta(BaseFilterSet.Meta):
        model = HeadChange
        fields = ["q", "state", "kind", "agency"]


class AssessmentRightFilter(BaseFilterSet):
    search_fields = ("scheme", "agency__name")
    period = django_filters.ChoiceFilter(choices=AssessmentPeriod.choices, label="考核周期")
    agency = django_filters.ModelChoiceFilter(queryset=visible_agencies, label="派驻机构")

    class Meta(BaseFilterSet.Meta):
        model = AssessmentRight
        fields = ["q", "period", "agency"]
