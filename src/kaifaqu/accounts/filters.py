"""The user lists of the 三员 pages and of the API share these filter sets (and so the Excel export)."""

import django_filters

from kaifaqu.core.web.filters import BaseFilterSet

from . import locks
from .models import User
from .roles import Role

# A typed choice field offers no empty choice of its own: without "全部" the browser would submit the first option.
ACTIVE_CHOICES = (("", "全部"), ("true", "启用"), ("false", "停用"))
LOCK_CHOICES = (("", "全部"), ("true", "已锁定"), ("false", "未锁定"))
NO_ROLE = "none"
ROLE_CHOICES = (*Role.choices, (NO_ROLE, "未分配角色"))

# The organisation model, reached through the user's own foreign key (accounts already depends on org there).
Org = User._meta.get_field("org").related_model


def user_orgs(request):
    """Organisations that hold a user the requester may see: both administrators filter by them, and neither
    learns of an organisation outside their zones this way."""
    user = getattr(request, "user", None)
    visible = User.objects.visible_to(user).filter(org__isnull=False).values("org_id")
    return Org.objects.filter(pk__in=visible).order_by("zone_id", "sort", "id")


class UserFilter(BaseFilterSet):
    search_fields = ("username", "name")
    org = django_filters.ModelChoiceFilter(queryset=user_orgs, label="所在单位")
    role = django_filters.ChoiceFilter(choices=ROLE_CHOICES, label="角色", method="filter_role")
    active = django_filters.TypedChoiceFilter(field_name="is_active", choices=ACTIVE_CHOICES, label="状态",
                                              coerce=lambda v: v == "true")

    class Meta(BaseFilterSet.Meta):
        model = User
        fields = ["q", "org", "role", "active"]

    def filter_role(self, queryset, name, value):
        if value == NO_ROLE:
            return queryset.filter(role="")
        return queryset.filter(role=value)


class SecurityUserFilter(UserFilter):
    locked = django_filters.TypedChoiceFilter(choices=LOCK_CHOICES, label="锁定状态", method="filter_locked",
                                              coerce=lambda v: v == "true")

    class Meta(UserFilter.Meta):
        fields = ["q", "org", "role", "active", "locked"]

    def filter_locked(self, queryset, name, value: bool):
        if value is True:
            return queryset.filter(username__in=locks.locked_usernames())
        if value is False:
            return queryset.exclude(username__in=locks.locked_usernames())
        return queryset
