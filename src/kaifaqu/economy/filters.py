import django_filters
from django.utils import timezone

from kaifaqu.core.web.filters import BaseFilterSet, nullable
from kaifaqu.invest.filters import PeriodFilter, YearFilter, yes_no
from kaifaqu.org.models import Org, Park, Zone

from .models import Enterprise, Indicator, IndicatorValue, PeriodKind, Status, Submission, SubmissionTask, TaskState


def _user(request):
    return getattr(request, "user", None)


class EnterpriseFilter(BaseFilterSet):
    search_fields = ("name", "uscc")
    zone = django_filters.ModelChoiceFilter(queryset=lambda r: Zone.objects.visible_to(_user(r)), label="开发区")
    park = nullable(django_filters.ModelChoiceFilter, queryset=lambda r: Park.objects.visible_to(_user(r)),
                    label="所在园区")
    status = django_filters.ChoiceFilter(choices=Status.choices, label="状态")
    above_size = yes_no("规上企业", "filter_above_size")
    industry = django_filters.CharFilter(label="行业代码", method="filter_industry")

    class Meta(BaseFilterSet.Meta):
        model = Enterprise
        fields = ["q", "zone", "park", "status", "above_size", "industry"]

    def filter_above_size(self, queryset, name, value):
        return queryset.filter(above_size=value == "true")

    def filter_industry(self, queryset, name, value):
        from . import industry

        return queryset.filter(industry_code__startswith=industry.normalise(value))


class IndicatorFilter(BaseFilterSet):
    search_fields = ("name", "code")
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label="报告期")
    key = yes_no("重点指标", "filter_key")

    class Meta(BaseFilterSet.Meta):
        model = Indicator
        fields = ["q", "period_kind", "key"]

    def filter_key(self, queryset, name, value):
        return queryset.filter(key=value == "true")


class ValueFilter(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__uscc")
    indicator = django_filters.ModelChoiceFilter(queryset=lambda r: Indicator.objects.visible_to(_user(r)),
                                                 label="指标")
    enterprise = django_filters.ModelChoiceFilter(queryset=lambda r: Enterprise.objects.visible_to(_user(r)),
                                                  label="企业")
    year = YearFilter(label="年度")
    period = PeriodFilter(label="期别")

    class Meta(BaseFilterSet.Meta):
        model = IndicatorValue
        fields = ["q", "indicator", "enterprise", "year", "period"]


class TaskFilter(BaseFilterSet):
    search_fields = ("indicator__name", "org__name")
    indicator = django_filters.ModelChoiceFilter(queryset=lambda r: Indicator.objects.visible_to(_user(r)),
                                                 label="指标")
    org = django_filters.ModelChoiceFilter(queryset=lambda r: Org.objects.visible_to(_user(r)), label="报送单位")
    state = django_filters.ChoiceFilter(choices=TaskState.choices, label="状态")
    late = yes_no("逾期", "filter_late")

    class Meta(BaseFilterSet.Meta):
        model = SubmissionTask
        fields = ["q", "indicator", "org", "state", "late"]

    def filter_late(self, queryset, name, value):
        """Late: submitted after the due date, or still open after it."""
        from django.db.models import Q

        late = Q(late=True) | Q(state=TaskState.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value == "true" else queryset.exclude(late)


class SubmissionFilter(BaseFilterSet):
    task = django_filters.ModelChoiceFilter(queryset=lambda r: SubmissionTask.objects.visible_to(_user(r)),
                                            label="报送任务")

    class Meta(BaseFilterSet.Meta):
        model = Submission
        fields = ["task"]
