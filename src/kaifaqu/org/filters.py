import django_filters

from kaifaqu.core.filters import BaseFilterSet

from .models import Zone, ZoneKind, ZoneLevel


class ZoneFilter(BaseFilterSet):
    search_fields = ("name", "short_name", "code", "city", "county")
    kind = django_filters.ChoiceFilter(choices=ZoneKind.choices, label="类型")
    level = django_filters.ChoiceFilter(choices=ZoneLevel.choices, label="级别")

    class Meta(BaseFilterSet.Meta):
        model = Zone
        fields = ["q", "kind", "level"]
