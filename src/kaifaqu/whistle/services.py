"""Writes of the whistle module. Every service checks permission and scope, writes in one transaction with its
audit event, and accepts ``core.access.SYSTEM`` (demo loader, tick). ``now=`` replays a moment of history
(the demo); the platform's own records (audit, process events) keep the time they were written."""

import logging
from decimal import Decimal

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from kaifaqu.core import audit, clock, notify
from kaifaqu.core.access import SYSTEM, is_system, require, scope_of
from kaifaqu.core.clock.models import ClockEscalation
from kaifaqu.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.tenancy import org_model

from . import workflow as wf
from .models import (
    Assignment,
    AssignmentRole,
    Whistle,
    WhistleKind,
    WhistlePolicy,
    WhistleScoring,
)
from .policy import POLICY_BOUNDS, POLICY_DEFAULTS, policy_for, scoring_for, unit_of_zone  # noqa: F401
from .workflow import create_assignment, ladder_hook  # noqa: F401

log = logging.getLogger(__name__)



def _now(now):
    return now or wf.now()


def _in_zone(actor, zone_id):
    if is_system(actor):
        return
    if zone_id not in scope_of(actor).zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")


# Policy ------------------------------------------------------------------------------------------------------

def do_set_policy(actor, zone, kind, *, version=None, **fields) -> WhistlePolicy:
    """The zone (``whistle.policy``) sets its limits for one kind; applies to whistles blown afterwards.
    Audited ``whistle.set_policy`` with the old and the new values."""
    require(actor, "whistle.policy")
    _in_zone(actor, zone.pk)
    if kind not in WhistleKind.values:
        raise InvalidInput("类别无效。", fields={"kind": ["类别须为突发工作紧急哨或重点工作攻坚哨。"]})
    errors = {}
    for name, value in fields.items():
        bounds = POLICY_BOUNDS.get(name, {}).get(WhistleKind(kind))
        if bounds is None:
            if value not in (None, ""):
                errors[name] = ["该类别不设此时限。"]
            continue
        if type(value) is not int or not bounds[0] <= value <= bounds[1]:
            errors[name] = [f"须为 {bounds[0]} 到 {bounds[1]} 之间的整数。"]
    if errors:
        raise InvalidInput("时限规则有误，请检查。", fields=errors)
    with transaction.atomic():
        row = WhistlePolicy.objects.select_for_update().filter(zone=zone, kind=kind).first()
        if row is None:
            row = policy_for(zone.pk, kind)
        elif version is not None and int(version) != row.version:
            raise Conflict("该规则已被他人修改，请刷新后重试。", code="stale", extra={"version": row.version})
        before = audit.snapshot(row) if row.pk else None
        for name, value in fields.items():
            if name in POLICY_BOUNDS and POLICY_BOUNDS[name].get(WhistleKind(kind)):
                setattr(row, name, value)
        if row.pk:
            row.version += 1
        row.save()
        b, a = audit.diff(before, audit.snapshot(row))
        audit.record(actor, "whistle.set_policy", row, before=b, after=a, zone_id=zone.pk)
    return row


def do_set_scoring(actor, zone, *, version=None, **fields) -> WhistleScoring:
    """The zone (``whistle.policy``) sets the 基本满意 weight and the composite score's weights."""
    require(actor, "whistle.policy")
    _in_zone(actor, zone.pk)
    errors = {}
    for name, value in fields.items():
        if name not in ("basic_weight", "w_response", "w_solve", "w_on_time", "w_satisfaction", "penalty_return",
                        "penalty_rework"):
            errors[name] = ["不支持该字段。"]
            continue
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            errors[name] = ["须为数字。"]
            continue
        top = Decimal("1") if name == "basic_weight" else Decimal("100")
        if not Decimal("0") <= value <= top:
            errors[name] = [f"须在 0 到 {top} 之间。"]
        fields[name] = value
    if errors:
        raise InvalidInput("权重有误，请检查。", fields=errors)
    with transaction.atomic():
        row = WhistleScoring.objects.select_for_update().filter(zone=zone).first() or WhistleScoring(zone=zone)
        if row.pk and version is not None and int(version) != row.version:
            raise Conflict("该设置已被他人修改，请刷新后重试。", code="stale", extra={"version": row.version})
        before = audit.snapshot(row) if row.pk else None
        for name, value in fields.items():
            setattr(row, name, value)
        if row.pk:
            row.version += 1
        row.save()
        b, a = audit.diff(before, audit.snapshot(row))
        audit.record(actor, "whistle.set_scoring", row, before=b, after=a, zone_id=zone.pk)
    return row


# Blowing ----------------------------------------------------------------------------------------------------

def proposed_lead(zone, matter, park=None):
    """The lead unit the responsibility matrix gives for the matter and area, when the powers module is installed;
    None otherwise (the blower chooses)."""
    if not apps.is_installed("kaifaqu.powers"):
        return None
    try:
        from importlib import import_module

        found = import_module("kaifaqu.powers.queries").lead_units_for(zone, matter, park=park)
    except Exception:  # the matrix is advice: a lookup that fails must not stop a whistle
        log.exception("responsibility lookup failed")
        return None
    if found is None:
        return None
    if isinstance(found, dict):
        found = found.get("lead")
    elif hasattr(found, "lead"):
        found = found.lead
    elif isinstance(found, (list, tuple)):
        found = found[0] if found else None
    elif hasattr(found, "first") and callable(found.first):
        found = found.first()
    return found if isinstance(found, org_model()) else None


def _number(zone_id, at):
    year = timezone.localtime(at).year
    prefix = f"CS{year}"
    last = (Whistle.objects.filter(zone_id=zone_id, number__startswith=prefix).aggregate(m=Max("number"))["m"])
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def do_blow(actor, zone, *, kind, title, description, matter, lead=None, supporters=(), park=None, place="",
            attachments=(), now=None, on_behalf_of=None) -> Whistle:
    """A zone user (``whistle.blow``) blows a whistle to one lead unit and any supporting units; without a lead,
    the responsibility matrix's lead for the matter and park is used (when the powers module is installed). Each
    unit gets an assignment with its own clocks, a notification and its webhook. Audited ``whistle.blow``.
    ``on_behalf_of``: the zone user a system actor (the demo loader) blows for."""
    require(actor, "whistle.blow")
    _in_zone(actor, zone.pk)
    at = _now(now)
    errors = {}
    if kind not in WhistleKind.values:
        errors["kind"] = ["类别须为突发工作紧急哨或重点工作攻坚哨。"]
    for name, value, top in (("title", title, 200), ("description", description, 10000), ("matter", matter, 50)):
        if not isinstance(value, str) or not value.strip():
            errors[name] = ["请填写此项。"]
        elif len(value) > top:
            errors[name] = [f"不能超过 {top} 字。"]
    if park is not None and getattr(park, "zone_id", None) != zone.pk:
        errors["park"] = ["园区不属于本开发区。"]
    if errors:
        raise InvalidInput("吹哨信息有误，请检查。", fields=errors)
    proposed = False
    if lead is None:
        lead = proposed_lead(zone, matter.strip(), park=park)
        proposed = lead is not None
        if lead is None:  # a rule of the zone's data, not of the input's shape: 422
            message = "请选择牵头单位（责任清单未给出该事项与园区的牵头单位）。"
            raise RuleViolation(message, fields={"lead": [message]})
    lead = unit_of_zone(zone.pk, lead, field="lead")
    units = []
    for s in supporters:
        unit = unit_of_zone(zone.pk, s, field="supporters")
        if unit.pk == lead.pk or unit.pk in {u.pk for u in units}:
            raise InvalidInput("配合单位重复或与牵头单位相同。", fields={"supporters": ["配合单位重复或与牵头单位相同。"]})
        units.append(unit)
    user = actor if getattr(actor, "is_authenticated", False) else (on_behalf_of if is_system(actor) else None)
    try:
        with transaction.atomic():
            whistle = Whistle.objects.create(
                zone=zone, number=_number(zone.pk, at), kind=kind, title=title.strip(),
                description=description.strip(), park=park, place=(place or "").strip()[:200], matter=matter.strip(),
                blower=user, blower_name=(user.get_full_name() or user.get_username()) if user else actor.label,
                blower_org_id=getattr(user, "org_id", None), lead_proposed=proposed, blown_at=at)
            audit.record(actor, "whistle.blow", whistle, after=audit.snapshot(whistle))
            for f in attachments:
                from kaifaqu.core import files

                files.attach(actor, whistle, f, note="吹哨附件", perm="whistle.blow")
            create_assignment(actor, whistle, lead, AssignmentRole.LEAD, at)
            for unit in units:
                create_assignment(actor, whistle, unit, AssignmentRole.SUPPORT, at)
    except IntegrityError as exc:
        raise Conflict("编号冲突，请重试。") from exc
    return whistle


# Acting ---------------------------------------------------------------------------------------------------------

def act(actor, target, action, *, version=None, note="", payload=None, now=None):
    """Perform a workflow action on an assignment or a whistle (``target``: instance or (queryset, pk)); ``now``
    replays a past moment (the business times and the clocks follow it)."""
    model = target._meta.model if hasattr(target, "_meta") else target[0].model
    flow = wf.ASSIGNMENT if model is Assignment else wf.WHISTLE
    if now is None:
        return flow.perform(actor, target, action, version=version, note=note, payload=payload)
    with wf.at_time(now):
        return flow.perform(actor, target, action, version=version, note=note, payload=payload)


# The follow-up ladder (run by tick through core's clocks) ----------------------------------------------------

def _fired_at(c, step):
    return ClockEscalation.objects.filter(clock_id=c.pk, step=step.name).values_list("fired_at", flat=True).first()


def _ladder_step(action, c, step):
    """A ladder step fired for clock ``c``: the assignment it belongs to gets the action (system), at the time the
    step fired. A wait clock (supervise/escalate) belongs to the assignment too."""
    a = Assignment.objects.filter(pk=c.object_id).first()
    if a is None or a.state not in wf.OPEN_ASSIGNMENT:
        return
    with wf.at_time(_fired_at(c, step) or timezone.now()):
        wf.ASSIGNMENT.perform(SYSTEM, a, action, payload={"clock": c.pk},
                              note=_ladder_note(action, c))


def _ladder_note(action, c):
    if action == "urge":
        return f"{clock.kind_label(c.kind)}已于 {timezone.localtime(c.due_at):%Y-%m-%d %H:%M} 到期，系统自动催办。"
    if action == "supervise":
        return f"催办后 {c.limit} 个工作日仍未办结，转督办，已通知开发区领导。"
    return f"督办后 {c.limit} 个工作日仍未办结，提交联席会议。"


def on_urge(c, step):
    _ladder_step("urge", c, step)


def on_supervise(c, step):
    _ladder_step("supervise", c, step)


def on_escalate(c, step):
    _ladder_step("escalate", c, step)


def recipients_unit(c, owner):
    return [], [owner.org]


def recipients_blower(c, owner):
    return ([owner.blower] if owner.blower else []), []


def register_clocks():
    """Clock kinds, their warning/overdue notifications and ladders (called from the AppConfig)."""
    from kaifaqu.core.clock import Step

    for kind, label in wf.CLOCK_KINDS.items():
        clock.register_kind(kind, label)
    for kind in wf.MAIN_KINDS:
        clock.register_handlers(kind, recipients=recipients_unit)
        clock.register_ladder(kind, steps=[Step("urge", after=0, unit=wf.UNIT_OF[kind])], handlers={"urge": on_urge})
    clock.register_handlers(wf.KIND_VISIT, recipients=recipients_blower)
    clock.register_handlers(wf.KIND_SUPERVISE_WAIT)
    clock.register_handlers(wf.KIND_ESCALATE_WAIT)
    clock.register_ladder(wf.KIND_SUPERVISE_WAIT, steps=[Step("supervise", after=0)],
                          handlers={"supervise": on_supervise})
    clock.register_ladder(wf.KIND_ESCALATE_WAIT, steps=[Step("escalate", after=0)],
                          handlers={"escalate": on_escalate})
    for kind, label in wf.NOTIFY_KINDS.items():
        notify.register_kind(kind, label)

