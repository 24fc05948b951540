"""One FilterSet per list of the org module; the page, the API and the Excel export use the same one.

Choices of related objects (zone, park, organisation, staff) are limited to what the requesting user may see, so
an id from another zone is refused exactly like an id that does not exist.
"""

import django_filters
from django import forms
from django.db.models import Q

from kaifaqu.core.web.filters import BaseFilterSet, YesNoFilter, nullable

from .models import (
    Establishment,
    Org,
    OrgKind,
    Park,
    Plaque,
    PlaqueKind,
    PostKind,
    ReorgEvent,
    ReorgKind,
    Secondment,
    Staff,
    StaffStatus,
    Zone,
    ZoneKind,
    ZoneLevel,
)

ACTIVE_CHOICES = (("true", "存续"), ("false", "已撤销"))


def _user(request):
    return getattr(request, "user", None)


def visible_zones(request):
    return Zone.objects.visible_to(_user(request))


def visible_parks(request):
    return Park.objects.visible_to(_user(request))


def visible_orgs(request):
    return Org.objects.visible_to(_user(request))


def visible_staff(request):
    return Staff.objects.visible_to(_user(request))


def filter_active(queryset, name, value):
    return queryset.filter(is_active=(value == "true")) if value else queryset


class ZoneFilter(BaseFilterSet):
    search_fields = ("name", "short_name", "code", "city", "county")
    kind = django_filters.ChoiceFilter(choices=ZoneKind.choices, label="类型")
    level = django_filters.ChoiceFilter(choices=ZoneLevel.choices, label="级别")

    class Meta(BaseFilterSet.Meta):
        model = Zone
        fields = ["q", "kind", "level"]


class ParkFilter(BaseFilterSet):
    search_fields = ("name", "code", "leading_industries")
    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")

    class Meta(BaseFilterSet.Meta):
        model = Park
        fields = ["q", "zone"]


class OrgFilter(BaseFilterSet):
    """Organisations: search by name, short name, code or any plaque the body bears."""

    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")
    park = nullable(django_filters.ModelChoiceFilter, queryset=visible_parks, label="所在园区")
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label="机构类型")
    active = django_filters.ChoiceFilter(choices=ACTIVE_CHOICES, label="状态", method="filter_active")
    parent = django_filters.ModelChoiceFilter(queryset=visible_orgs, label="上级机构", widget=forms.HiddenInput)

    class Meta(BaseFilterSet.Meta):
        model = Org
        fields = ["q", "zone", "park", "kind", "active", "parent"]

    filter_active = staticmethod(filter_active)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A subquery, not a join, so a body with several matching plaques is listed once.
        plaques = Plaque.objects.filter(name__icontains=value).values("org_id")
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value)
                               | Q(pk__in=plaques))


class PlaqueFilter(BaseFilterSet):
    search_fields = ("name",)
    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")
    org = django_filters.ModelChoiceFilter(queryset=visible_orgs, label="机构")
    kind = django_filters.ChoiceFilter(choices=PlaqueKind.choices, label="方式")
    active = django_filters.ChoiceFilter(choices=(("true", "有效"), ("false", "已摘牌")), label="状态",
                                         method="filter_active")

    class Meta(BaseFilterSet.Meta):
        model = Plaque
        fields = ["q", "zone", "org", "kind", "active"]

    filter_active = staticmethod(filter_active)


class EstablishmentFilter(BaseFilterSet):
    search_fields = ("org__name", "note")
    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")
    org = django_filters.ModelChoiceFilter(queryset=visible_orgs, label="机构")
    post_kind = django_filters.ChoiceFilter(field_name="kind", choices=PostKind.choices, label="编制类型")

    class Meta(BaseFilterSet.Meta):
        model = Establishment
        fields = ["q", "zone", "org", "post_kind"]


class ReorgEventFilter(BaseFilterSet):
    search_fields = ("title", "subject", "document_no", "description")
    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")
    kind = django_filters.ChoiceFilter(choices=ReorgKind.choices, label="类型")
    # One organisation per query: the join through the link table yields each event at most once.
    org = django_filters.ModelChoiceFilter(field_name="orgs", queryset=visible_orgs, label="涉及机构",
                                           widget=forms.HiddenInput)
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="起始日期")
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="截止日期")

    class Meta(BaseFilterSet.Meta):
        model = ReorgEvent
        fields = ["q", "zone", "kind", "org", "start", "end"]


class StaffFilter(BaseFilterSet):
    search_fields = ("name", "staff_no", "appointed_post")
    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")
    org = django_filters.ModelChoiceFilter(queryset=visible_orgs, label="所在单位")
    post_kind = django_filters.ChoiceFilter(choices=PostKind.choices, label="编制类型")
    status = django_filters.ChoiceFilter(choices=StaffStatus.choices, label="状态")

    class Meta(BaseFilterSet.Meta):
        model = Staff
        fields = ["q", "zone", "org", "post_kind", "status"]


class SecondmentFilter(BaseFilterSet):
    search_fields = ("staff__name", "staff__staff_no", "post", "host_name", "host_org__name")
    zone = django_filters.ModelChoiceFilter(queryset=visible_zones, label="开发区")
    staff = django_filters.ModelChoiceFilter(queryset=visible_staff, label="人员",
                                             widget=forms.HiddenInput)
    host_org = django_filters.ModelChoiceFilter(queryset=visible_orgs, label="挂职单位",
                                                widget=forms.HiddenInput)
    ended_early = YesNoFilter(field_name="ended_early_on", lookup_expr="isnull", exclude=True, label="已提前结束")

    class Meta(BaseFilterSet.Meta):
        model = Secondment
        fields = ["q", "zone", "staff", "host_org", "ended_early"]
