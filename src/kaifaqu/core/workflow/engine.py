"""Workflows: a module's state table and who may act, run by one ``perform`` (after Signalen's ``workflow.py``).

A module declares, in its ``workflow.py``, one :class:`Workflow` per model with a process: the state field, the
state table ``{state: {action: next_state}}``, the Chinese labels, and per action an :class:`Action` (permission,
optional rule, whether a reason is required, optional payload serializer, hooks). ``Workflow.perform`` is then the
only writer of that state; it guarantees, in one transaction, the checks and writes listed in its docstring.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from kaifaqu.core import audit
from kaifaqu.core.access import is_system, scope_of
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation

NOT_FOUND = "未找到该对象，或您无权查看。"
NO_PERMISSION = "您没有执行此操作的权限。"
MAX_NOTE = 2000

REGISTRY: dict[str, "Workflow"] = {}


@dataclass(frozen=True)
class Action:
    """One action of a state table.

    ``perm``: the permission string the actor's scope must hold. ``rule(actor, obj) -> bool | str``: a further
    condition on this object (``False`` or a Chinese reason refuses with 403). ``reason_required``: the note may not
    be blank. ``serializer``: a DRF serializer class validating the payload (API and pages). ``form``: a Django form
    class with the payload fields for the action page. ``apply(actor, obj, payload)``: sets fields of the object
    before it is saved (so the audit event shows them). ``hooks``: ``fn(actor, obj, event, payload)`` run after the
    state change, in the same transaction (start or finish a clock, notify).
    """

    label: str
    perm: str
    rule: Callable | None = None
    reason_required: bool = False
    reason_label: str = "原因/说明"
    serializer: type | None = None
    form: type | None = None
    apply: Callable | None = None
    hooks: tuple = ()
    style: str = "primary"  # Bootstrap colour of the page button: primary, danger, secondary …
    summary: str = ""  # API schema summary; defaults to the label

    def __post_init__(self):
        if not self.perm:
            raise ImproperlyConfigured(f"action {self.label!r} needs a permission")
        if callable(self.hooks):
            object.__setattr__(self, "hooks", (self.hooks,))
        else:
            object.__setattr__(self, "hooks", tuple(self.hooks))


@dataclass(frozen=True)
class Choice:
    """An action as offered to one user on one object (the page buttons)."""

    name: str
    label: str
    reason_required: bool
    reason_label: str
    style: str
    url: str
    form: object = None  # the page's action form (note and payload fields), set by the template tag


@dataclass(eq=False)
class Workflow:
    """The process of one model. Declaring it registers it in ``REGISTRY`` under the model's label."""

    model: type[models.Model]
    events: type[models.Model]
    table: dict[str, dict[str, str]]
    actions: dict[str, Action]
    states: dict[str, str] | None = None  # state → Chinese label; default: the state field's choices
    state_field: str = "state"
    initial: str | None = None  # default: the first state of the table
    audit_prefix: str = ""  # default: the model's app label → audit action "<app>.<action>"
    url_name: str = ""  # page action route, reversed with pk and action; default "<app>:<model>-action"
    register: bool = True
    _owner_field: str = field(init=False, default="")

    def __post_init__(self):
        opts = self.model._meta
        try:
            state = opts.get_field(self.state_field)
        except Exception as exc:  # noqa: BLE001 - FieldDoesNotExist
            raise ImproperlyConfigured(f"{opts.label} has no state field {self.state_field!r}") from exc
        if self.states is None:
            self.states = {str(value): str(label) for value, label in (state.choices or ())}
        # TextChoices members and plain strings alike: states are kept as their stored values.
        self.states = {str(k): str(v) for k, v in self.states.items()}
        self.table = {str(source): {str(a): str(t) for a, t in moves.items()} for source, moves in self.table.items()}
        if not any(f.name == "version" for f in opts.concrete_fields):
            raise ImproperlyConfigured(f"{opts.label} needs a version field for its workflow")
        if not hasattr(self.model._default_manager.all(), "visible_to"):
            raise ImproperlyConfigured(f"{opts.label}'s manager needs visible_to for its workflow")
        self._owner_field = getattr(self.events, "owner_field", "")
        if not self._owner_field:
            raise ImproperlyConfigured(f"{self.events.__name__} must name its owner_field")
        used = set()
        for source, moves in self.table.items():
            if source not in self.states:
                raise ImproperlyConfigured(f"{opts.label}: state {source!r} has no label")
            for action, target in moves.items():
                if action not in self.actions:
                    raise ImproperlyConfigured(f"{opts.label}: action {action!r} is not declared")
                if target not in self.states:
                    raise ImproperlyConfigured(f"{opts.label}: state {target!r} has no label")
                used.add(action)
        unused = set(self.actions) - used
        if unused:
            raise ImproperlyConfigured(f"{opts.label}: actions {sorted(unused)} appear in no state")
        self.initial = str(self.initial) if self.initial is not None else next(iter(self.table))
        self.audit_prefix = self.audit_prefix or opts.app_label
        self.url_name = self.url_name or f"{opts.app_label}:{opts.model_name}-action"
        if self.register:
            REGISTRY[opts.label_lower] = self

    # Reading ----------------------------------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def state_label(self, state: str) -> str:
        return self.states.get(state, state)

    def action_label(self, action: str) -> str:
        spec = self.actions.get(action)
        return spec.label if spec else action

    def allowed_from(self, state: str) -> list[str]:
        return list(self.table.get(state, {}))

    def refusal(self, actor, obj, action: str) -> str | None:
        """Why ``actor`` may not do ``action`` on ``obj`` (permission or rule), or None when they may."""
        if is_system(actor):
            return None
        spec = self.actions[action]
        if not scope_of(actor).has(spec.perm):
            return NO_PERMISSION
        if spec.rule is not None:
            verdict = spec.rule(actor, obj)
            if isinstance(verdict, str):
                return verdict or NO_PERMISSION
            return None if verdict else NO_PERMISSION
        return None

    def available(self, actor, obj) -> list[str]:
        """The actions ``actor`` may perform on ``obj`` now: allowed from its state, permitted, rule satisfied."""
        state = getattr(obj, self.state_field)
        return [a for a in self.allowed_from(state) if self.refusal(actor, obj, a) is None]

    def choices(self, actor, obj) -> list[Choice]:
        from django.urls import reverse

        return [Choice(a, self.actions[a].label, self.actions[a].reason_required, self.actions[a].reason_label,
                       self.actions[a].style, reverse(self.url_name, kwargs={"pk": obj.pk, "action": a}))
                for a in self.available(actor, obj)]

    def events_of(self, obj):
        return self.events.objects.filter(**{self._owner_field: obj}).order_by("created_at", "id")

    def mermaid(self) -> str:
        """The state table as Mermaid ``stateDiagram-v2`` text, with the Chinese labels."""
        lines = ["stateDiagram-v2"]
        for state, label in self.states.items():
            lines.append(f'    state "{_quote(label)}" as {state}')
        lines.append(f"    [*] --> {self.initial}")
        for source, moves in self.table.items():
            for action, target in moves.items():
                lines.append(f"    {source} --> {target} : {_quote(self.actions[action].label)}")
        for state in self.states:
            if not self.table.get(state):
                lines.append(f"    {state} --> [*]")
        return "\n".join(lines) + "\n"

    # Writing ----------------------------------------------------------------------------------------------------

    def perform(self, actor, target, action: str, *, version=None, note: str = "", payload=None):
        """Perform ``action`` on ``target`` (an instance, or ``(queryset_or_model, pk)``) as ``actor``.

        In one transaction, in this order: the object must be visible to the actor (``visible_to``; else 404
        ``NotFound``); the row is re-read under ``select_for_update``; the actor's scope must hold the action's
        permission and its rule must agree (else 403 ``Forbidden``); the action must be allowed from the current
        state (else 422 ``RuleViolation`` code ``invalid_transition`` with ``state`` and ``allowed_actions``); the
        note (required when the action says so) and the payload are checked (400 ``InvalidInput``); a given
        ``version`` must be the current one (else 409 ``Conflict``). Then the process-event row is appended, the
        state set and ``version`` bumped, the audit event ``<app>.<action>`` written with before/after and the note
        as reason, and the hooks run. Any exception rolls all of it back. Returns the updated object.
        ``core.access.SYSTEM`` skips the scope, permission and rule checks (demo loader, CLI, tick).
        """
        spec = self.actions.get(action)
        if spec is None:
            raise InvalidInput("不支持该操作。", fields={"action": [f"未知的操作：{action}"]})
        base, pk = self._target(target)
        with transaction.atomic():
            system = is_system(actor)
            visible = base if system else base.visible_to(actor)
            try:
                found = visible.filter(pk=pk).exists()
            except (ValueError, TypeError):
                found = False
            if not found:
                raise NotFound(NOT_FOUND)
            obj = self.model._base_manager.select_for_update().get(pk=pk)
            reason = self.refusal(actor, obj, action)
            if reason:
                raise Forbidden(reason)
            current = getattr(obj, self.state_field)
            allowed = self.allowed_from(current)
            if action not in allowed:
                raise RuleViolation(self._invalid_detail(current, action, allowed), code="invalid_transition",
                                    extra={"state": current, "allowed_actions": allowed})
            note = self._note(spec, note)
            payload = self._payload(spec, payload, actor, obj)
            if version is not None:
                try:
                    if isinstance(version, bool):
                        raise TypeError(version)
                    stale = int(version) != obj.version
                except (TypeError, ValueError):
                    raise InvalidInput("版本号须为整数。", fields={"version": ["版本号须为整数。"]}) from None
                if stale:
                    raise Conflict("该记录已被他人修改，请刷新后重试。", code="stale",
                                   extra={"version": obj.version})
            before = audit.snapshot(obj)
            to_state = self.table[current][action]
            event = self.events.objects.create(**self._event_fields(actor, obj, action, current, to_state, note,
                                                                    payload))
            if spec.apply is not None:
                spec.apply(actor, obj, payload)
            setattr(obj, self.state_field, to_state)
            obj.version += 1
            obj.save()
            b, a = audit.diff(before, audit.snapshot(obj))
            audit.record(actor, f"{self.audit_prefix}.{action}", obj, before=b, after=a, reason=note)
            for hook in spec.hooks:
                hook(actor, obj, event, payload)
        return obj

    def _target(self, target):
        if isinstance(target, models.Model):
            if not isinstance(target, self.model):
                raise TypeError(f"{type(target).__name__} is not a {self.model.__name__}")
            return self.model._default_manager.all(), target.pk
        base, pk = target
        if isinstance(base, type) and issubclass(base, models.Model):
            base = base._default_manager.all()
        if base.model is not self.model:
            raise TypeError(f"{base.model.__name__} is not a {self.model.__name__}")
        return base, pk

    def _invalid_detail(self, current, action, allowed) -> str:
        labels = "、".join(f"「{self.action_label(a)}」" for a in allowed) or "无"
        return (f"当前状态为「{self.state_label(current)}」，不能执行「{self.action_label(action)}」。"
                f"此状态下可执行的操作：{labels}。")

    @staticmethod
    def _note(spec, note) -> str:
        note = "" if note is None else note
        if not isinstance(note, str):
            raise InvalidInput("说明须为文字。", fields={"note": ["说明须为文字。"]})
        note = note.strip()
        if spec.reason_required and not note:
            raise InvalidInput(f"请填写{spec.reason_label}。", fields={"note": [f"请填写{spec.reason_label}。"]})
        if len(note) > MAX_NOTE:
            raise InvalidInput("说明过长。", fields={"note": [f"说明不能超过 {MAX_NOTE} 字。"]})
        return note

    @staticmethod
    def _payload(spec, payload, actor, obj) -> dict:
        payload = {} if payload is None else payload
        if spec.serializer is None:
            if payload:
                raise InvalidInput("该操作不接受附加数据。", fields={"payload": ["该操作不接受附加数据。"]})
            return {}
        if not isinstance(payload, dict):
            raise InvalidInput("附加数据须为对象。", fields={"payload": ["附加数据须为对象。"]})
        serializer = spec.serializer(data=payload, context={"actor": actor, "object": obj})
        if not serializer.is_valid():
            fields = {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in serializer.errors.items()}
            raise InvalidInput("提交的数据有误，请检查。", fields=fields)
        return dict(serializer.validated_data)

    def _event_fields(self, actor, obj, action, from_state, to_state, note, payload) -> dict:
        user = actor if getattr(actor, "is_authenticated", False) else None
        if user is not None:
            name = user.get_full_name() or user.get_username()
        else:
            name = getattr(actor, "label", "") or "system"
        return {
            self._owner_field: obj, "zone_id": getattr(obj, "zone_id", None), "created_at": timezone.now(),
            "actor": user, "actor_name": name[:150], "actor_org_id": getattr(user, "org_id", None),
            "action": action, "from_state": from_state, "to_state": to_state, "note": note,
            "payload": _storable(payload),
        }


def _storable(value):
    """The payload as the event stores it: related objects by id (dates and decimals go through the encoder)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_storable(v) for v in value]
    return value


def _quote(text: str) -> str:
    # Mermaid ends a label at a double quote; the full-width one reads the same in Chinese.
    return str(text).replace('"', "＂").replace("\n", " ")


def get(label: str) -> Workflow:
    """The workflow declared for ``app_label.model`` (any case). The apps' ``workflow.py`` modules are imported the
    first time a label is not yet registered, so a module need not import its own in ``ready()``."""
    label = label.lower()
    if label not in REGISTRY:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("workflow")
    try:
        return REGISTRY[label]
    except KeyError:
        raise LookupError(label) from None


def perform(actor, target, action: str, *, version=None, note: str = "", payload=None):
    """``Workflow.perform`` of the workflow registered for the target's model."""
    model = target._meta.model if isinstance(target, models.Model) else (
        target[0] if isinstance(target[0], type) else target[0].model)
    return get(model._meta.label_lower).perform(actor, target, action, version=version, note=note, payload=payload)
