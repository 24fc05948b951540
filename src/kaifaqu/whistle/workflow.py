"""The two processes of a whistle, on core.workflow.

An assignment (one addressed unit): 待报到 → 报到 → 即时解决, or 提交方案 (个案研究) → 进展 … → 解决; 退回 (wrong unit);
申请延期; the automatic 催办 → 督办 → 提交联席会议 (run by tick through the clocks' ladder, system only); 重办 after
a 不满意 rating (system only). A whistle: 办理中 (the zone grants or refuses extensions and re-dispatches returned
assignments) → 全部解决 (automatic) → 回访 → 评价 → 已办结, or back to 办理中 for rework.
"""

import contextvars

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone
from rest_framework import serializers

from kaifaqu.core import audit, clock, notify
from kaifaqu.core import calendar as cal
from kaifaqu.core.access import SYSTEM, is_system, scope_of
from kaifaqu.core.clock.models import OPEN_STATES, DeadlineClock
from kaifaqu.core.errors import RuleViolation
from kaifaqu.core.workflow import Action, Workflow

from .models import (
    Assignment,
    AssignmentEvent,
    AssignmentRole,
    AssignmentState,
    Rating,
    Urge,
    UrgeLevel,
    Whistle,
    WhistleEvent,
    WhistleKind,
    WhistleState,
)
from .policy import policy_for, unit_of_zone

# The moment an action happens: now, unless a service replays history with an explicit time (the demo loader).
_NOW: contextvars.ContextVar = contextvars.ContextVar("whistle_now", default=None)


def now():
    return _NOW.get() or timezone.now()


class at_time:  # noqa: N801 - used as ``with at_time(moment):``
    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        self.token = _NOW.set(self.moment)

    def __exit__(self, *exc):
        _NOW.reset(self.token)


# Clock kinds (core.clock) ------------------------------------------------------------------------------------
KIND_EMERGENCY_REPORT = "whistle.emergency.report_in"
KIND_EMERGENCY_SOLVE = "whistle.emergency.solve"
KIND_KEY_REPORT = "whistle.key.report_in"
KIND_KEY_PLAN = "whistle.key.plan"
KIND_KEY_SOLVE = "whistle.key.solve"
KIND_SUPERVISE_WAIT = "whistle.supervise_wait"
KIND_ESCALATE_WAIT = "whistle.escalate_wait"
KIND_VISIT = "whistle.visit"
CLOCK_KINDS = {
    KIND_EMERGENCY_REPORT: "紧急哨报到时限", KIND_EMERGENCY_SOLVE: "紧急哨解决时限", KIND_KEY_REPORT: "攻坚哨报到时限",
    KIND_KEY_PLAN: "攻坚哨方案时限", KIND_KEY_SOLVE: "攻坚哨解决时限", KIND_SUPERVISE_WAIT: "催办后转督办",
    KIND_ESCALATE_WAIT: "督办后提交联席会议", KIND_VISIT: "回访时限",
}
MAIN_KINDS = (KIND_EMERGENCY_REPORT, KIND_EMERGENCY_SOLVE, KIND_KEY_REPORT, KIND_KEY_PLAN, KIND_KEY_SOLVE)
UNIT_OF = {KIND_EMERGENCY_REPORT: "minutes", KIND_EMERGENCY_SOLVE: "hours", KIND_KEY_REPORT: "workdays",
           KIND_KEY_PLAN: "workdays", KIND_KEY_SOLVE: "workdays"}

NOTIFY_KINDS = {
    "whistle.dispatched": "吹哨派发", "whistle.urge": "吹哨催办", "whistle.supervise": "吹哨督办",
    "whistle.escalate": "吹哨提交联席会议", "whistle.returned": "吹哨退回", "whistle.extension": "吹哨延期",
    "whistle.solved": "吹哨待回访", "whistle.rework": "吹哨重办", "whistle.progress": "吹哨办理进展",
}

OWN_UNIT = "仅承办单位本单位的人员可以办理。"
SYSTEM_ONLY = "该操作由系统自动执行。"


# Rules ---------------------------------------------------------------------------------------------------------

def own_unit(actor, assignment):
    return actor.org_id == assignment.org_id or OWN_UNIT


def blower_or_leader(actor, whistle):
    if scope_of(actor).role == "zone_leader" or (actor.org_id and actor.org_id == whistle.blower_org_id):
        return True
    return "仅吹哨单位或开发区领导可以回访、评价。"


def system_only(actor, obj):
    return SYSTEM_ONLY


# Clocks ----------------------------------------------------------------------------------------------------------

def policy_of(zone_id, kind):
    return policy_for(zone_id, kind)


def start_main(actor, assignment, kind, limit, at):
    return clock.start(actor, assignment, kind=kind, unit=UNIT_OF[kind], limit=limit, started_at=at)


def start_dispatch_clocks(actor, assignment, whistle, at):
    """Report-in clock for every kind; an emergency's solve clock runs from the blow as well."""
    policy = policy_of(whistle.zone_id, whistle.kind)
    if whistle.kind == WhistleKind.EMERGENCY:
        assignment.report_clock = start_main(actor, assignment, KIND_EMERGENCY_REPORT, policy.report_in_limit, at)
        assignment.solve_clock = start_main(actor, assignment, KIND_EMERGENCY_SOLVE, policy.solve_limit, at)
    else:
        assignment.report_clock = start_main(actor, assignment, KIND_KEY_REPORT, policy.report_in_limit, at)


def finish_clock(actor, c, at):
    """Finish a main clock and stop the follow-up ladder waiting on it."""
    if c is None:
        return
    c.refresh_from_db()
    if c.state in OPEN_STATES:
        clock.finish(actor, c, at=at)
    for urge in Urge.objects.filter(clock=c, next_clock__state__in=OPEN_STATES).select_related("next_clock"):
        clock.finish(actor, urge.next_clock, at=at)


def finish_all(actor, assignment, at):
    for c in (assignment.report_clock, assignment.plan_clock, assignment.solve_clock):
        finish_clock(actor, c, at)


def _done_in_time(c, at):
    return c is None or c.due_at is None or at <= c.due_at


# Assignment actions --------------------------------------------------------------------------------------------

def apply_report_in(actor, a, payload):
    at = now()
    a.reported_at = at
    a.reported_on_time = _done_in_time(a.report_clock, at)


def hook_report_in(actor, a, event, payload):
    at = now()
    finish_clock(actor, a.report_clock, at)
    if a.whistle.kind == WhistleKind.KEY_TASK and a.plan_clock_id is None and a.solve_clock_id is None:
        policy = policy_of(a.zone_id, a.whistle.kind)
        a.plan_clock = start_main(actor, a, KIND_KEY_PLAN, policy.plan_limit or 3, at)
        Assignment.objects.filter(pk=a.pk).update(plan_clock=a.plan_clock)


class SolveSerializer(serializers.Serializer):
    result = serializers.CharField(label="办理结果", max_length=4000, error_messages={
        "required": "请填写办理结果。", "blank": "请填写办理结果。"})
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                     label="佐证材料（本承办已上传的附件ID）")

    def validate_evidence(self, value):
        from kaifaqu.core import files

        a = self.context["object"]
        actor = self.context["actor"]
        if not value:
            return []
        own = set(files.for_object(actor, a).values_list("pk", flat=True)) if not is_system(actor) else set(value)
        missing = [v for v in value if v not in own]
        if missing:
            raise serializers.ValidationError(f"附件 {missing} 不是本承办的佐证材料。")
        return value


class SolveForm(forms.Form):
    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


def apply_solve(actor, a, payload):
    at = now()
    a.result = payload["result"]
    a.solved_at = at
    a.solved_on_time = _done_in_time(a.solve_clock or a.plan_clock or a.report_clock, at)
    a.ext_amount, a.ext_reason, a.ext_requested_at, a.ext_requested_by = None, "", None, None


def hook_solve(actor, a, event, payload):
    at = now()
    finish_all(actor, a, at)
    _maybe_complete(a.whistle_id)


def _maybe_complete(whistle_id):
    whistle = Whistle.objects.get(pk=whistle_id)
    if whistle.state != WhistleState.OPEN:
        return
    live = Assignment.objects.filter(whistle_id=whistle_id).exclude(state=AssignmentState.RETURNED)
    waiting_redispatch = Assignment.objects.filter(whistle_id=whistle_id, state=AssignmentState.RETURNED,
                                                   replaced_by__isnull=True).exists()
    if live.exists() and not waiting_redispatch and not live.exclude(state=AssignmentState.SOLVED).exists():
        WHISTLE.perform(SYSTEM, whistle, "complete")


class PlanSerializer(serializers.Serializer):
    plan = serializers.CharField(label="解决方案", max_length=4000, error_messages={
        "required": "请填写解决方案。", "blank": "请填写解决方案。"})
    committed_date = serializers.DateField(label="承诺解决日期", error_messages={
        "required": "请填写承诺解决日期。", "invalid": "日期格式应为 YYYY-MM-DD。"})

    def validate_committed_date(self, value):
        a = self.context["object"]
        today = timezone.localtime(now()).date()
        if value <= today:
            raise serializers.ValidationError("承诺解决日期须晚于今天。")
        if not cal.is_workday(value, zone_id=a.zone_id):
            raise serializers.ValidationError("承诺解决日期须为工作日。")
        policy = policy_of(a.zone_id, a.whistle.kind)
        latest = cal.add_workdays(today, policy.solve_limit, zone_id=a.zone_id)
        if value > latest:
            raise serializers.ValidationError(
                f"承诺解决日期最迟为 {latest:%Y-%m-%d}（{policy.solve_limit} 个工作日内）。")
        return value


class PlanForm(forms.Form):
    plan = forms.CharField(label="解决方案", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    committed_date = forms.DateField(label="承诺解决日期", widget=forms.DateInput(attrs={"type": "date"}))


def apply_plan(actor, a, payload):
    a.plan = payload["plan"]
    a.committed_date = payload["committed_date"]
    a.planned_at = now()


def hook_plan(actor, a, event, payload):
    at = now()
    finish_clock(actor, a.plan_clock, at)
    limit = cal.workdays_between(timezone.localtime(at).date(), a.committed_date, zone_id=a.zone_id)
    a.solve_clock = start_main(actor, a, KIND_KEY_SOLVE, max(limit, 1), at)
    Assignment.objects.filter(pk=a.pk).update(solve_clock=a.solve_clock)


def hook_progress(actor, a, event, payload):
    w = a.whistle
    notify.send("whistle.progress", f"办理进展：{w.number} {w.title}（{a.org}）", users=[w.blower] if w.blower else (),
                body=event.note, obj=w, url=w.get_absolute_url())


def apply_return(actor, a, payload):
    a.returned_at = now()


def hook_return(actor, a, event, payload):
    at = now()
    finish_all(actor, a, at)
    Assignment.objects.filter(pk=a.pk).update(return_reason=event.note)
    w = a.whistle
    notify.send("whistle.returned", f"吹哨被退回：{w.number} {w.title}（{a.org}）",
                users=[w.blower] if w.blower else (), orgs=[w.blower_org] if w.blower_org else (),
                body=f"退回理由：{event.note}。请改派其他单位。", obj=w, url=w.get_absolute_url())


class ExtensionSerializer(serializers.Serializer):
    amount = serializers.IntegerField(label="延长量（与时限同单位）", min_value=1, max_value=2000, error_messages={
        "required": "请填写延长量。", "min_value": "延长量须为正整数。"})


class ExtensionForm(forms.Form):
    amount = forms.IntegerField(label="延长量（与当前时限同单位）", min_value=1, max_value=2000)


def apply_request_extension(actor, a, payload):
    at = now()
    if a.ext_requested_at is not None:
        raise RuleViolation("已有待答复的延期申请，请等待开发区答复。")
    c = a.current_clock
    if c is None:
        raise RuleViolation("当前没有计时中的时限，无需延期。")
    if c.state != "running" or (c.due_at is not None and at > c.due_at):
        raise RuleViolation("时限已到期，不能再申请延期（延期须在到期前申请）。")
    a.ext_amount = payload["amount"]
    a.ext_requested_at = at
    a.ext_requested_by = actor if getattr(actor, "is_authenticated", False) else None


def hook_request_extension(actor, a, event, payload):
    Assignment.objects.filter(pk=a.pk).update(ext_reason=event.note[:300])
    w = a.whistle
    c = a.current_clock
    notify.send("whistle.extension", f"延期申请：{w.number} {w.title}（{a.org}）",
                users=[w.blower] if w.blower else (), orgs=[w.blower_org] if w.blower_org else (),
                body=f"申请延长 {payload['amount']} {c.get_unit_display() if c else ''}：{event.note}", obj=w,
                url=w.get_absolute_url())


def apply_rework(actor, a, payload):
    a.rework_count += 1
    a.solved_at = None
    a.solved_on_time = None


def hook_rework(actor, a, event, payload):
    at = now()
    policy = policy_of(a.zone_id, a.whistle.kind)
    kind = KIND_EMERGENCY_SOLVE if a.whistle.kind == WhistleKind.EMERGENCY else KIND_KEY_SOLVE
    a.solve_clock = start_main(actor, a, kind, policy.solve_limit, at)
    Assignment.objects.filter(pk=a.pk).update(solve_clock=a.solve_clock)
    notify.send("whistle.rework", f"重办：{a.whistle.number} {a.whistle.title}", orgs=[a.org],
                body=f"评价为不满意，请重新办理。{event.note}", obj=a, url=a.get_absolute_url())


def hook_ladder(level):
    def hook(actor, a, event, payload):
        ladder_hook(level, a, payload)
    return hook


class LadderSerializer(serializers.Serializer):
    clock = serializers.IntegerField()


OPEN_ASSIGNMENT = (AssignmentState.DISPATCHED, AssignmentState.REPORTED, AssignmentState.PLANNED)


def _ladder(state):
    return {"urge": state, "supervise": state, "escalate": state}


ASSIGNMENT = Workflow(
    model=Assignment,
    events=AssignmentEvent,
    audit_prefix="assignment",
    table={
        AssignmentState.DISPATCHED: {"report_in": AssignmentState.REPORTED, "return": AssignmentState.RETURNED,
                                     **_ladder(AssignmentState.DISPATCHED)},
        AssignmentState.REPORTED: {"solve": AssignmentState.SOLVED, "plan": AssignmentState.PLANNED,
                                   "return": AssignmentState.RETURNED,
                                   "request_extension": AssignmentState.REPORTED, **_ladder(AssignmentState.REPORTED)},
        AssignmentState.PLANNED: {"progress": AssignmentState.PLANNED, "solve": AssignmentState.SOLVED,
                                  "request_extension": AssignmentState.PLANNED, **_ladder(AssignmentState.PLANNED)},
        AssignmentState.SOLVED: {"rework": AssignmentState.REPORTED},
        AssignmentState.RETURNED: {},
    },
    actions={
        "report_in": Action("报到", perm="whistle.act", rule=own_unit, apply=apply_report_in,
                            hooks=[hook_report_in]),
        "solve": Action("解决", perm="whistle.act", rule=own_unit, serializer=SolveSerializer, form=SolveForm,
                        apply=apply_solve, hooks=[hook_solve], reason_label="补充说明"),
        "plan": Action("提交方案", perm="whistle.act", rule=own_unit, serializer=PlanSerializer, form=PlanForm,
                       apply=apply_plan, hooks=[hook_plan], reason_label="个案研究情况", style="secondary"),
        "progress": Action("报告进展", perm="whistle.act", rule=own_unit, reason_required=True,
                           reason_label="进展情况", hooks=[hook_progress], style="secondary"),
        "return": Action("退回", perm="whistle.act", rule=own_unit, reason_required=True, reason_label="退回理由",
                         apply=apply_return, hooks=[hook_return], style="danger"),
        "request_extension": Action("申请延期", perm="whistle.act", rule=own_unit, reason_required=True,
                                    reason_label="延期理由", serializer=ExtensionSerializer, form=ExtensionForm,
                                    apply=apply_request_extension, hooks=[hook_request_extension],
                                    style="secondary"),
        "urge": Action("催办", perm="whistle.dispatch", rule=system_only, serializer=LadderSerializer,
                       hooks=[hook_ladder(UrgeLevel.URGE)]),
        "supervise": Action("督办", perm="whistle.dispatch", rule=system_only, serializer=LadderSerializer,
                            hooks=[hook_ladder(UrgeLevel.SUPERVISE)]),
        "escalate": Action("提交联席会议", perm="whistle.dispatch", rule=system_only, serializer=LadderSerializer,
                           hooks=[hook_ladder(UrgeLevel.ESCALATE)]),
        "rework": Action("重办", perm="whistle.dispatch", rule=system_only, apply=apply_rework,
                         hooks=[hook_rework]),
    },
)


# Whistle actions -------------------------------------------------------------------------------------------------

class AssignmentRefSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(label="承办ID", error_messages={"required": "请指定承办单位的承办记录。"})

    def validate_assignment(self, value):
        whistle = self.context["object"]
        a = Assignment.objects.filter(whistle=whistle, pk=value).select_related("org").first()
        if a is None:
            raise serializers.ValidationError("不是本吹哨的承办记录。")
        return a


class ExtensionAnswerSerializer(AssignmentRefSerializer):
    def validate_assignment(self, value):
        a = super().validate_assignment(value)
        if a.ext_requested_at is None:
            raise serializers.ValidationError("该承办单位没有待答复的延期申请。")
        return a


class ExtensionAnswerForm(forms.Form):
    assignment = forms.IntegerField(label="承办记录", widget=forms.HiddenInput)


def hook_grant_extension(actor, w, event, payload):
    a = Assignment.objects.select_for_update().get(pk=payload["assignment"].pk)
    c = a.current_clock
    if c is None:
        raise RuleViolation("该承办已没有计时中的时限。")
    clock.extend(actor, c, amount=a.ext_amount, reason=a.ext_reason or "延期申请", requested_by=a.ext_requested_by,
                 at=now())
    Assignment.objects.filter(pk=a.pk).update(ext_amount=None, ext_reason="", ext_requested_at=None,
                                              ext_requested_by=None, extensions=a.extensions + 1)
    notify.send("whistle.extension", f"延期已批准：{w.number} {w.title}", orgs=[a.org],
                body=f"时限延长 {a.ext_amount} {c.get_unit_display()}。{event.note}", obj=a, url=a.get_absolute_url())


def hook_refuse_extension(actor, w, event, payload):
    a = payload["assignment"]
    Assignment.objects.filter(pk=a.pk).update(ext_amount=None, ext_reason="", ext_requested_at=None,
                                              ext_requested_by=None)
    notify.send("whistle.extension", f"延期未获批准：{w.number} {w.title}", orgs=[a.org],
                body=f"不予延期的理由：{event.note}", obj=a, url=a.get_absolute_url())


class RedispatchSerializer(AssignmentRefSerializer):
    org = serializers.IntegerField(label="改派单位ID", error_messages={"required": "请选择改派单位。"})

    def validate_assignment(self, value):
        a = super().validate_assignment(value)
        if a.state != AssignmentState.RETURNED:
            raise serializers.ValidationError("只能改派已退回的承办。")
        if Assignment.objects.filter(replaces=a).exists():
            raise serializers.ValidationError("该承办已改派。")
        return a

    def validate_org(self, value):
        return unit_of_zone(self.context["object"].zone_id, value, field="org")

    def validate(self, data):
        if Assignment.objects.filter(whistle=self.context["object"], org=data["org"]).exclude(
                state=AssignmentState.RETURNED).exists():
            raise serializers.ValidationError({"org": ["该单位已是本吹哨的承办单位。"]})
        if data["org"].pk == data["assignment"].org_id:
            raise serializers.ValidationError({"org": ["不能改派给退回的单位。"]})
        return data


class RedispatchForm(forms.Form):
    assignment = forms.IntegerField(label="退回的承办", widget=forms.HiddenInput)
    org = forms.IntegerField(label="改派单位")


def hook_redispatch(actor, w, event, payload):
    old = payload["assignment"]
    create_assignment(actor, w, payload["org"], old.role, now(), replaces=old)


def apply_complete(actor, w, payload):
    w.solved_at = now()


def hook_complete(actor, w, event, payload):
    clock.start(actor, w, kind=KIND_VISIT, unit="workdays", limit=1, started_at=now())
    notify.send("whistle.solved", f"待回访：{w.number} {w.title}", users=[w.blower] if w.blower else (),
                body="承办单位均已解决，请在下一个工作日内回访并评价。", obj=w, url=w.get_absolute_url())


def apply_visit(actor, w, payload):
    w.visited_at = now()


def hook_visit(actor, w, event, payload):
    from django.contrib.contenttypes.models import ContentType

    Whistle.objects.filter(pk=w.pk).update(visit_note=event.note)
    at = now()
    for c in DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(Whistle),
                                          object_id=str(w.pk), kind=KIND_VISIT, state__in=OPEN_STATES):
        clock.finish(actor, c, at=at)


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(label="评价", choices=Rating.choices, error_messages={
        "required": "请选择评价。", "invalid_choice": "评价须为满意、基本满意或不满意。"},
        help_text="satisfied 满意、basic 基本满意、unsatisfied 不满意")
    comment = serializers.CharField(label="评价意见", max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, data):
        if data["rating"] == Rating.UNSATISFIED and not data.get("comment", "").strip():
            raise serializers.ValidationError({"comment": ["评价为不满意时请填写意见（重办的依据）。"]})
        return data


class RateForm(forms.Form):
    rating = forms.ChoiceField(label="评价", choices=Rating.choices)
    comment = forms.CharField(label="评价意见", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=2000)


def apply_rate(actor, w, payload):
    w.rating = payload["rating"]
    w.rating_comment = payload.get("comment", "")
    w.rated_at = now()


def hook_rate(actor, w, event, payload):
    if payload["rating"] != Rating.UNSATISFIED:
        return
    WHISTLE.perform(SYSTEM, w, "rework", note=payload.get("comment", ""))
    lead = Assignment.objects.filter(whistle=w, role=AssignmentRole.LEAD, state=AssignmentState.SOLVED).first()
    if lead is not None:
        ASSIGNMENT.perform(SYSTEM, lead, "rework", note=payload.get("comment", ""))


def apply_whistle_rework(actor, w, payload):
    w.rework_count += 1
    w.solved_at = None
    w.visited_at = None


WHISTLE = Workflow(
    model=Whistle,
    events=WhistleEvent,
    table={
        WhistleState.OPEN: {"grant_extension": WhistleState.OPEN, "refuse_extension": WhistleState.OPEN,
                            "redispatch": WhistleState.OPEN, "complete": WhistleState.SOLVED},
        WhistleState.SOLVED: {"visit": WhistleState.VISITED},
        WhistleState.VISITED: {"rate": WhistleState.CLOSED},
        WhistleState.CLOSED: {"rework": WhistleState.OPEN},
    },
    actions={
        "grant_extension": Action("批准延期", perm="whistle.dispatch", serializer=ExtensionAnswerSerializer,
                                  form=ExtensionAnswerForm, hooks=[hook_grant_extension], reason_label="批准意见"),
        "refuse_extension": Action("不予延期", perm="whistle.dispatch", serializer=ExtensionAnswerSerializer,
                                   form=ExtensionAnswerForm, reason_required=True, reason_label="不予延期的理由",
                                   hooks=[hook_refuse_extension], style="danger"),
        "redispatch": Action("改派", perm="whistle.dispatch", serializer=RedispatchSerializer, form=RedispatchForm,
                             hooks=[hook_redispatch], reason_label="改派说明", style="secondary"),
        "complete": Action("全部解决", perm="whistle.dispatch", rule=system_only, apply=apply_complete,
                           hooks=[hook_complete]),
        "visit": Action("回访", perm="whistle.dispatch", rule=blower_or_leader, reason_required=True,
                        reason_label="回访情况", apply=apply_visit, hooks=[hook_visit]),
        "rate": Action("评价", perm="whistle.dispatch", rule=blower_or_leader, serializer=RateSerializer,
                       form=RateForm, apply=apply_rate, hooks=[hook_rate]),
        "rework": Action("重办", perm="whistle.dispatch", rule=system_only, apply=apply_whistle_rework),
    },
)

UNIT_ACTIONS = ("report_in", "solve", "plan", "progress", "return", "request_extension")
ZONE_ACTIONS = ("grant_extension", "refuse_extension", "redispatch", "visit", "rate")


def workdays_and_hours(start, end, zone_id=None) -> str:
    """A span as people read it on the timeline: working days (the start day not counted) and hours."""
    if start is None or end is None:
        return ""
    hours = (end - start).total_seconds() / 3600
    days = cal.workdays_between(timezone.localtime(start).date(), timezone.localtime(end).date(), zone_id=zone_id)
    if hours < 1:
        return f"{max(round(hours * 60), 0)} 分钟"
    return f"{days} 个工作日（{hours:.1f} 小时）"


# Dispatching and the follow-up ladder's rungs ----------------------------------------------------------

def create_assignment(actor, whistle, org, role, at, *, replaces=None) -> Assignment:
    a = Assignment.objects.create(zone_id=whistle.zone_id, whistle=whistle, org=org, role=role, dispatched_at=at,
                                  replaces=replaces)
    start_dispatch_clocks(actor, a, whistle, at)
    Assignment.objects.filter(pk=a.pk).update(report_clock=a.report_clock, solve_clock=a.solve_clock)
    audit.record(actor, "assignment.dispatch", a, after={"org": org.pk, "role": role,
                                                         "replaces": replaces.pk if replaces else None})
    due = timezone.localtime(a.report_clock.due_at)
    notify.send("whistle.dispatched", f"{whistle.get_kind_display()}：{whistle.title}", orgs=[org],
                body=f"贵单位为{AssignmentRole(role).label}，请于 {due:%Y-%m-%d %H:%M} 前报到。{whistle.description[:200]}",
                obj=a, url=a.get_absolute_url())
    return a


def ladder_hook(level, a, payload):
    """Records the rung (``Urge``), counts it on the assignment, starts the wait for the next rung, notifies."""
    at = now()
    fired = DeadlineClock.objects.get(pk=payload["clock"])
    main = fired if level == UrgeLevel.URGE else Urge.objects.get(next_clock=fired).clock
    policy = policy_of(a.zone_id, a.whistle.kind)
    next_clock = None
    # The next rung counts from the moment this one was due (the expiry), not from when tick happened to run.
    since = fired.due_at or at
    if level == UrgeLevel.URGE:
        next_clock = clock.start(SYSTEM, a, kind=KIND_SUPERVISE_WAIT, unit="workdays",
                                 limit=policy.supervise_after, started_at=since)
        Assignment.objects.filter(pk=a.pk).update(urge_count=F("urge_count") + 1)
    elif level == UrgeLevel.SUPERVISE:
        next_clock = clock.start(SYSTEM, a, kind=KIND_ESCALATE_WAIT, unit="workdays",
                                 limit=policy.escalate_after, started_at=since)
        Assignment.objects.filter(pk=a.pk).update(supervise_count=F("supervise_count") + 1)
    else:
        Assignment.objects.filter(pk=a.pk).update(escalated_at=at)
        Whistle.objects.filter(pk=a.whistle_id, escalated_at__isnull=True).update(escalated_at=at)
    Urge.objects.create(zone_id=a.zone_id, assignment=a, clock=main, level=level, created_at=at,
                        next_clock=next_clock)
    w = a.whistle
    title = f"{UrgeLevel(level).label}：{w.number} {w.title}（{a.org}）"
    body = f"{clock.kind_label(main.kind)}已于 {timezone.localtime(main.due_at):%Y-%m-%d %H:%M} 到期，请立即办理。"
    if level == UrgeLevel.URGE:
        notify.send("whistle.urge", title, orgs=[a.org], body=body, obj=a, url=a.get_absolute_url())
    elif level == UrgeLevel.SUPERVISE:
        notify.send("whistle.supervise", title, orgs=[a.org], users=_zone_leaders(a.zone_id), body=body, obj=a,
                    url=a.get_absolute_url())
    else:
        notify.send("whistle.escalate", title, users=[*_zone_leaders(a.zone_id), *([w.blower] if w.blower else [])],
                    body=body + "已列入下次联席会议议题。", obj=w, url=w.get_absolute_url())


def _zone_leaders(zone_id):
    return list(get_user_model().objects.filter(role="zone_leader", org__zone_id=zone_id, is_active=True))
