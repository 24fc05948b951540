"""Base FilterSet: one per list, shared by the page, the API and the Excel export."""

import django_filters
from django import forms

from kaifaqu.core.web.forms import style_fields


class StyledFilterForm(forms.Form):
    compact = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        style_fields(self)


YES_NO = (("true", "是"), ("false", "否"))


class YesNoField(forms.NullBooleanField):
    """Empty (no filter), true/1 or false/0; anything else (say ``null``) is refused instead of read as empty."""

    ACCEPTED = {"", "true", "false", "1", "0", "True", "False"}

    def to_python(self, value):
        if isinstance(value, str) and value not in self.ACCEPTED:
            raise forms.ValidationError("请选择“是”或“否”（true / false）。", code="invalid")
        return super().to_python(value)


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose list reads 全部 / 是 / 否 (Django's default select reads 未知 / 是 / 否)."""

    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=(("", "全部"), *YES_NO)))
        super().__init__(*args, **kwargs)


def nullable(filter_class, **kwargs):
    """A choice filter over a field that may be empty: its list also offers （空）."""
    from django.conf import settings

    return filter_class(null_label=settings.NULL_CHOICE_LABEL, **kwargs)


class BaseFilterSet(django_filters.FilterSet):
    """Adds `q` (search over ``search_fields``) to every list."""

    search_fields: tuple = ()
    q = django_filters.CharFilter(label="关键字", method="filter_search", max_length=100)

    class Meta:
        form = StyledFilterForm

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        from django.db.models import Q

        cond = Q()
        for field in self.search_fields:
            cond |= Q(**{f"{field}__icontains": value})
        return queryset.filter(cond)
