"""The API's list filter backends (REST_FRAMEWORK's DEFAULT_FILTER_BACKENDS). A module of their own: DRF reads
the setting while ``rest_framework.generics`` loads, which ``core.api`` imports."""

import re

from django_filters import CharFilter
from django_filters.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import get_manager, get_view_model
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

EMPTY_PARAMETER = "参数值不能为空；不按此条件筛选时请省略该参数。"


class StrictFilterBackend(DjangoFilterBackend):
    """The list filters of the API (the FilterSets the list pages use): a parameter given empty or blank
    (``?kind=``, ``?q=%20``) is refused with 400 instead of being read as "not filtered", as the schema says."""

    def filter_queryset(self, request, queryset, view):
        empty = sorted(key for key, values in request.query_params.lists() if any(not v.strip() for v in values))
        if empty:
            raise exceptions.ValidationError({key: [EMPTY_PARAMETER] for key in empty})
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` over the view's declared ``ordering_fields`` only (``-`` for descending, several joined by
    commas): an unknown field is refused with 400 naming the choices, and the schema states them as a pattern.
    A view that declares no ``ordering_fields`` takes no ordering."""

    def _declared(self, view) -> list[str]:
        fields = getattr(view, "ordering_fields", None)
        return list(fields) if isinstance(fields, list | tuple) else []

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        declared = self._declared(view)
        if raw and declared:
            wanted = [term.strip() for term in raw.split(",")]
            unknown = [term for term in wanted if term.lstrip("-") not in declared]
            if unknown:
                choices = "、".join(declared)
                raise exceptions.ValidationError({self.ordering_param: [
                    f"不能按“{unknown[0]}”排序；可选：{choices}（前加 - 为倒序，多个用逗号分隔）。"]})
        return super().get_ordering(request, queryset, view) if declared else self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view):
        declared = self._declared(view)
        if not declared:
            return []
        one = "-?(" + "|".join(re.escape(f) for f in declared) + ")"
        return [{"name": self.ordering_param, "required": False, "in": "query",
                 "description": f"排序：{'、'.join(declared)}；前加 - 为倒序，多个用逗号分隔",
                 "schema": {"type": "string", "pattern": f"^{one}(,{one})*$"}}]


class StrictFilterSchema(DjangoFilterExtension):
    """The schema of StrictFilterBackend's parameters: a free-text filter (``q``) has at least one non-blank
    character, and a filter that offers （空） (``core.web.filters.nullable``) also takes its value ``null``."""

    target_class = "kaifaqu.core.filtering.StrictFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        model = get_view_model(auto_schema.view)
        if model is None:
            return parameters
        filterset_class = self.target.get_filterset_class(auto_schema.view, get_manager(model).none())
        filters = filterset_class.base_filters if filterset_class else {}
        for parameter in parameters:
            field = filters.get(parameter["name"])
            schema = parameter.get("schema") or {}
            if field is None:
                continue
            if isinstance(field, CharFilter) and schema.get("type") == "string" and not (
                    {"enum", "format"} & set(schema)):
                schema["minLength"] = max(schema.get("minLength", 0), 1)
            null_value = field.extra.get("null_value", settings.NULL_CHOICE_VALUE)
            if field.extra.get("null_label") is not None:
                if "enum" in schema:
                    if null_value not in schema["enum"]:
                        schema["enum"] = [*schema["enum"], null_value]
                    schema["type"] = "string"
                else:
                    parameter["schema"] = {"oneOf": [schema, {"type": "string", "enum": [null_value]}]}
        return parameters
