"""One FilterSet per list of the approvals module (page, API and export alike); related choices are scoped."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from kaifaqu.core.web.filters import BaseFilterSet, YesNoFilter

from .models import (
    Case,
    CaseState,
    CheckConsequence,
    CheckState,
    Material,
    Parcel,
    PostCheck,
    Project,
    ProjectKind,
    ServiceItem,
    Stage,
    Window,
)


def _user(request):
    return getattr(request, "user", None)


def visible_windows(request):
    return Window.objects.visible_to(_user(request))


def visible_items(request):
    return ServiceItem.objects.visible_to(_user(request))


def visible_departments(request):
    from kaifaqu.org.models import Org

    return Org.objects.visible_to(_user(request))


class WindowFilter(BaseFilterSet):
    search_fields = ("name", "duties")

    class Meta(BaseFilterSet.Meta):
        model = Window
        fields = ["q"]


class ServiceItemFilter(BaseFilterSet):
    search_fields = ("code", "name")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="所属阶段")
    window = django_filters.ModelChoiceFilter(queryset=visible_windows, label="受理窗口")
    department = django_filters.ModelChoiceFilter(queryset=visible_departments, label="实施部门")
    commitment = YesNoFilter(label="告知承诺制")

    class Meta(BaseFilterSet.Meta):
        model = ServiceItem
        fields = ["q", "stage", "window", "department", "commitment"]


class MaterialFilter(BaseFilterSet):
    search_fields = ("name",)
    item = django_filters.ModelChoiceFilter(queryset=visible_items, label="事项")
    may_follow = YesNoFilter(label="可容缺后补")

    class Meta(BaseFilterSet.Meta):
        model = Material
        fields = ["q", "item", "may_follow"]


class CaseFilter(BaseFilterSet):
    search_fields = ("number", "title", "applicant__name")
    state = django_filters.ChoiceFilter(choices=CaseState.choices, label="状态")
    item = django_filters.ModelChoiceFilter(queryset=visible_items, label="事项")
    window = django_filters.ModelChoiceFilter(queryset=visible_windows, label="受理窗口", method="filter_window")
    conditional = YesNoFilter(label="容缺受理")

    class Meta(BaseFilterSet.Meta):
        model = Case
        fields = ["q", "state", "item", "window", "conditional"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_window(self, qs, name, value):
        # The window's items as a subquery: the (zone, item, applied_at) index serves the list, no join to sort.
        if value is None:
            return qs
        return qs.filter(item_id__in=ServiceItem.objects.filter(window=value).values("pk"))


class ProjectFilter(BaseFilterSet):
    search_fields = ("code", "name", "enterprise__name")
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices, label="项目类型")
    fast_start = YesNoFilter(label="拿地即开工")

    class Meta(BaseFilterSet.Meta):
        model = Project
        fields = ["q", "kind", "fast_start"]


class PostCheckFilter(BaseFilterSet):
    search_fields = ("case__number", "case__applicant__name", "case__item__name")
    state = django_filters.ChoiceFilter(choices=CheckState.choices, label="状态")
    consequence = django_filters.ChoiceFilter(choices=CheckConsequence.choices, label="处理结果")
    overdue = YesNoFilter(label="已超过核查期限", method="filter_overdue")

    class Meta(BaseFilterSet.Meta):
        model = PostCheck
        fields = ["q", "state", "consequence", "overdue"]

    def filter_overdue(self, qs, name, value):
        from django.db.models import Q
        from django.utils import timezone

        late = Q(state=CheckState.PENDING, due_at__lte=timezone.now())
        if value is None:
            return qs
        return qs.filter(late) if value else qs.exclude(late)


class ParcelFilter(BaseFilterSet):
    search_fields = ("code", "location", "project__name")
    shortfall = YesNoFilter(label="有未达标指标", method="filter_shortfall")
    project = django_filters.ModelChoiceFilter(queryset=lambda r: Project.objects.visible_to(_user(r)), label="项目")

    class Meta(BaseFilterSet.Meta):
        model = Parcel
        fields = ["q", "shortfall", "project"]

    def filter_shortfall(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(shortfall_count__gt=0) if value else qs.filter(shortfall_count=0)
