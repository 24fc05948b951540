"""FilterSets of the investment lists: the page, the API and the Excel export use the same one."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from kaifaqu.core.web.filters import BaseFilterSet, nullable
from kaifaqu.org.models import Org, Park, Zone

from . import queries
from .models import LogKind, Project, ServiceLog, Source, Stage


@extend_schema_field({"type": "integer", "minimum": 1990, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1990, max_value=2100, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 12})
class PeriodFilter(django_filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=12, **kwargs)


YES_NO = (("true", "是"), ("false", "否"))


def yes_no(label, method):
    """A yes/no filter that refuses anything but true and false (a choice list, not a null-boolean field)."""
    return django_filters.ChoiceFilter(choices=YES_NO, label=label, method=method, empty_label="全部")


TIER_CHOICES = (("tier1", "第一档"), ("tier2", "第二档"), ("tier3", "第三档"), ("tier4", "第四档"), ("other", "其他"))


def _user(request):
    return getattr(request, "user", None)


def visible_zones(request):
    return Zone.objects.visible_to(_user(request))


def visible_parks(request):
    return Park.objects.visible_to(_user(request))


def visible_orgs(request):
    return Org.objects.visible_to(_user(request))


class ProjectFilter(BaseFilterSet):
    search_fields = ("name", "investor", "enterprise_name", "chain_tags", "source_detail")
    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")
    park = nullable(django_filters.ModelChoiceFilter, queryset=visible_parks, label="落地园区")
    state = django_filters.ChoiceFilter(choices=Stage.choices, label="阶段")
    source = django_filters.ChoiceFilter(choices=Source.choices, label="项目来源")
    responsible_org = django_filters.ModelChoiceFilter(queryset=visible_orgs, label="责任单位")
    signed_year = YearFilter(field_name="signed_on", lookup_expr="year", label="签约年度")
    tier = django_filters.ChoiceFilter(choices=TIER_CHOICES, label="签约档次", method="filter_tier")
    industry = django_filters.CharFilter(label="行业代码", method="filter_industry")
    stuck = yes_no("停滞", "filter_stuck")

    class Meta(BaseFilterSet.Meta):
        model = Project
        fields = ["q", "zone", "park", "state", "source", "responsible_org", "signed_year", "tier", "industry",
                  "stuck"]

    def filter_tier(self, queryset, name, value):
        """Signed (not dropped) projects in the tier, by each zone's thresholds."""
        by_zone = queries.zone_settings(queries.zone_ids_of(queryset))
        return queries.signed(queryset).annotate(tier=queries.tier_case(by_zone)).filter(tier=value)

    def filter_industry(self, queryset, name, value):
        from kaifaqu.economy import industry

        return queryset.filter(industry_code__startswith=industry.normalise(value))

    def filter_stuck(self, queryset, name, value):
        condition = queries.stuck_condition(queries.zone_ids_of(queryset), timezone.localdate())
        return queryset.filter(condition) if value == "true" else queryset.exclude(condition)


class ServiceLogFilter(BaseFilterSet):
    search_fields = ("content", "by_name", "project__name")
    project = django_filters.ModelChoiceFilter(queryset=lambda r: Project.objects.visible_to(_user(r)), label="项目")
    kind = django_filters.ChoiceFilter(choices=LogKind.choices, label="类型")

    class Meta(BaseFilterSet.Meta):
        model = ServiceLog
        fields = ["q", "project", "kind"]
