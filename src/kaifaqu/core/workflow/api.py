"""API of workflows: ``POST /api/v1/<things>/{id}/<action>/`` for every action of the state table, and the timeline
``GET /api/v1/<things>/{id}/events/``.

A viewset names its workflow and mixes in :class:`WorkflowActionsMixin`; when the class is created, one DRF
``@action`` method per state-table action is attached to it, so the router builds the routes and drf-spectacular
documents one operation per action (request: ``version``, ``note``, ``payload``; responses: the object, and the
error shape for 400/403/404/409/422). The order of answers is the engine's: 404 when the object is not visible, 403
when visible but not allowed, 422 for the wrong state, 400 for bad input, 409 for a stale version.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from kaifaqu.core.api import ErrorSerializer
from kaifaqu.core.errors import InvalidInput

from .engine import MAX_NOTE

RESERVED = frozenset({"list", "retrieve", "create", "update", "partial_update", "destroy", "events"})


@extend_schema_serializer(component_name="StaleError")
class StaleErrorSerializer(ErrorSerializer):
    """版本冲突：另附对象当前的版本号 version。"""

    version = serializers.IntegerField(required=False, help_text="对象当前的版本号")


@extend_schema_serializer(component_name="TransitionError")
class TransitionErrorSerializer(ErrorSerializer):
    """业务规则不允许：code 为 invalid_transition 时另附当前状态 state 与可执行的操作 allowed_actions。"""

    state = serializers.CharField(required=False, help_text="对象当前的状态（code 为 invalid_transition 时）")
    allowed_actions = serializers.ListField(child=serializers.CharField(), required=False,
                                            help_text="当前状态下状态表允许的操作")


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误（如缺少必填的原因）"),
    403: OpenApiResponse(ErrorSerializer, description="无此操作权限（对象可见，但角色或规则不允许）"),
    404: OpenApiResponse(ErrorSerializer, description="不存在或无权查看"),
    409: OpenApiResponse(StaleErrorSerializer, description="版本已过期（他人已修改）"),
    422: OpenApiResponse(TransitionErrorSerializer,
                         description="当前状态不允许该操作（code: invalid_transition，附当前状态与可执行的操作）"),
}


def request_serializer(workflow, name, spec):
    """The body of one action: version, note (required when the action needs a reason), payload if it takes one."""
    attrs = {
        "version": serializers.IntegerField(required=False, min_value=1,
                                            help_text="读取时的版本号；已被他人修改时返回 409。"),
        "note": serializers.CharField(required=spec.reason_required, allow_blank=not spec.reason_required,
                                      max_length=MAX_NOTE, label=spec.reason_label,
                                      help_text=f"{spec.reason_label}（{'必填' if spec.reason_required else '选填'}）"),
    }
    if spec.serializer is not None:
        # Optional: an absent payload is validated as {} so the serializer's defaults and required fields apply.
        attrs["payload"] = spec.serializer(required=False, help_text="该操作的办理数据")
    cls_name = f"{workflow.model.__name__}{''.join(p.title() for p in name.split('_'))}Serializer"
    return type(cls_name, (serializers.Serializer,), attrs)


def event_serializer(workflow):
    class Meta:
        model = workflow.events
        fields = ["id", "created_at", "actor", "actor_name", "actor_org_id", "action", "action_label", "from_state",
                  "from_label", "to_state", "to_label", "note", "payload"]
        read_only_fields = fields

    attrs = {
        "Meta": Meta,
        "action_label": serializers.CharField(read_only=True, help_text="操作（中文）"),
        "from_label": serializers.CharField(read_only=True, help_text="原状态（中文）"),
        "to_label": serializers.CharField(read_only=True, help_text="新状态（中文）"),
    }
    return type(f"{workflow.events.__name__}Serializer", (serializers.ModelSerializer,), attrs)


def _transitions(workflow, name) -> str:
    moves = [f"{workflow.state_label(s)} → {workflow.state_label(m[name])}"
             for s, m in workflow.table.items() if name in m]
    return "；".join(moves)


def _make_action(workflow, name, spec, response):
    def handler(self, request, *args, **kwargs):
        data = request.data
        if not isinstance(data, Mapping):
            raise InvalidInput("请求内容须为 JSON 对象。")
        obj = self.workflow.perform(request.user, (self.get_queryset(), kwargs[self.lookup_url_kwarg or "pk"]),
                                    name, version=data.get("version"), note=data.get("note", ""),
                                    payload=data.get("payload"))
        return Response(self.get_serializer(self.workflow_result(obj)).data)

    handler.__name__ = name
    handler.__doc__ = spec.label
    handler = drf_action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name,
                         filter_backends=[])(handler)
    return extend_schema(
        request=request_serializer(workflow, name, spec),
        responses={200: response, **ERRORS},
        summary=spec.summary or spec.label,
        description=(f"{spec.label}：{_transitions(workflow, name)}。权限：{spec.perm}"
                     + ("；须填写" + spec.reason_label if spec.reason_required else "") + "。"),
    )(handler)


def _make_events(workflow):
    serializer = event_serializer(workflow)

    def events(self, request, *args, **kwargs):
        obj = self.get_object()
        page = self.paginate_queryset(self.workflow.events_of(obj))
        return self.get_paginated_response(serializer(page, many=True).data)

    events.__doc__ = "办理记录"
    events = drf_action(detail=True, methods=["get"], url_path="events", url_name="events", filter_backends=[])(events)
    return extend_schema(responses={200: serializer(many=True), 404: ERRORS[404]},
                         summary="办理记录（时间线）")(events)


class WorkflowActionsMixin:
    """Mix into a scoped viewset (``get_queryset`` through ``visible_to``) that sets ``workflow``."""

    workflow = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        workflow = cls.__dict__.get("workflow")
        if workflow is None:
            return
        if getattr(cls, "lookup_field", "pk") != "pk":
            raise ImproperlyConfigured(f"{cls.__name__}: workflow actions look objects up by pk")
        response = getattr(cls, "serializer_class", None)
        for name, spec in workflow.actions.items():
            if name in cls.__dict__:
                continue  # the viewset wrote this action itself
            existing = getattr(cls, name, None)
            if name in RESERVED or (existing is not None and not getattr(existing, "workflow_generated", False)):
                raise ImproperlyConfigured(f"{cls.__name__}: workflow action {name!r} clashes with a viewset name")
            method = _make_action(workflow, name, spec, response)
            method.workflow_generated = True
            setattr(cls, name, method)
        if "events" not in cls.__dict__:
            method = _make_events(workflow)
            method.workflow_generated = True
            cls.events = method

    def workflow_result(self, obj):
        """The object as the response shows it; override to re-read with annotations."""
        return obj
