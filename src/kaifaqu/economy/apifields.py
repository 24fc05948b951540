"""Serializer fields whose schema states exactly what the services accept (codes, non-negative amounts), shared by
the investment, economy and cockpit APIs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import industry


def choice_field(choices, **kwargs):
    """Codes documented as a pattern with their labels, not as a shared enum component (drf-spectacular gathers
    enums by field name, and ``kind``, ``source``, ``status``, ``state`` carry other code lists in other modules)."""
    codes = "|".join(value for value, _ in choices)
    text = "；".join(f"{value}：{label}" for value, label in choices)

    @extend_schema_field({"type": "string", "pattern": f"^({codes})$", "description": text})
    class Field(serializers.ChoiceField):
        pass

    return Field(choices=choices, **kwargs)


def amount_field(max_digits=16, decimal_places=2, **kwargs):
    """A non-negative decimal given as a string (元, 亩 …)."""
    whole = max_digits - decimal_places

    @extend_schema_field({"type": "string", "format": "decimal",
                          "pattern": rf"^\d{{1,{whole}}}(\.\d{{1,{decimal_places}}})?$"})
    class Field(serializers.DecimalField):
        pass

    return Field(max_digits=max_digits, decimal_places=decimal_places, min_value=0, **kwargs)


def industry_field(**kwargs):
    @extend_schema_field({"type": "string", "pattern": industry.pattern(),
                          "description": "国民经济行业分类（GB/T 4754-2017）代码：门类字母或 2–4 位数字"})
    class Field(serializers.CharField):
        pass

    return Field(max_length=5, **kwargs)
