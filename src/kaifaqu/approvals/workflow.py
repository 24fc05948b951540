"""The case process (APPROVE-4) on core.workflow; docs/modules/approvals.md has its diagram.

submitted → accept / accept_conditionally (容缺) / refuse → reviewing ⇄ supplementing (补正 pauses the working-day
clock with the written notice) → approve / reject → closed. Extensions are asked by the officer and approved by a
second person. Acceptance, refusal and decisions belong to the item's window staff or its department.

``services.act`` performs these actions for callers that give the moment of the act (the demo's histories);
``moment()`` here is that moment, or now.
"""

import contextvars

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from rest_framework import serializers

from kaifaqu.core import audit, clock
from kaifaqu.core.access import is_system, scope_of
from kaifaqu.core.clock.models import OPEN_STATES, ClockUnit, DeadlineClock, PauseReason
from kaifaqu.core.errors import NotFound, RuleViolation
from kaifaqu.core.workflow import Action, Workflow

from .models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseState,
    CheckConsequence,
    CheckState,
    PostCheck,
    PostCheckEvent,
    ProjectAgent,
    Window,
)

CASE_KIND = "approvals.case"
DEFERRED_KIND = "approvals.deferred"
POSTCHECK_KIND = "approvals.postcheck"
# What the enterprise does on its own cases; a 帮办代办 agent assigned to the case's project may do it for it.
APPLICANT_ACTIONS = frozenset({"supply", "supply_deferred", "sign_commitment"})
NOT_FOUND = "未找到该对象，或您无权查看。"
DEFAULT_DEFERRED_DAYS = 5
DECISION_NOTE = "审批决定书"

_AT = contextvars.ContextVar("approvals_at", default=None)


def moment():
    return _AT.get() or timezone.now()


# Who may act ----------------------------------------------------------------------------------------------------

def on_window_or_department(actor, case):
    item = case.item
    if actor.org_id is not None and actor.org_id == item.department_id:
        return True
    if item.window_id and Window.staff.through.objects.filter(window_id=item.window_id, user_id=actor.pk).exists():
        return True
    return "仅该事项受理窗口的工作人员或实施部门可以办理。"


def applicant_only(actor, case):
    return (actor.org_id is not None and actor.org_id == case.applicant_id) or "仅申请单位可以提交或补正材料。"


# 帮办代办 (APPROVE-5) ----------------------------------------------------------------------------------------------

def acts_as_agent(actor) -> bool:
    """The actor works for enterprises as a 帮办代办 agent (holds approvals.agent, not approvals.apply)."""
    if is_system(actor):
        return False
    scope = scope_of(actor)
    return scope.has("approvals.agent") and not scope.has("approvals.apply")


def agent_projects(actor):
    """The projects ``actor`` is the active agent of."""
    return ProjectAgent.objects.filter(agent_id=actor.pk, ended_at__isnull=True).values("project_id")


def agent_cases(actor, qs=None):
    """The cases an agent may act on: those of the projects assigned to them, applied for by the project's
    enterprise (the enterprise's own scope, narrowed to those projects)."""
    qs = Case.objects.all() if qs is None else qs
    return qs.filter(project_id__in=agent_projects(actor), applicant_id=models.F("project__enterprise_id"))


def is_agent_for(actor, case) -> bool:
    return (acts_as_agent(actor) and case.project_id is not None
            and agent_cases(actor).filter(pk=case.pk).exists())


def applicant_or_agent(actor, case):
    if scope_of(actor).has("approvals.apply") and actor.org_id is not None and actor.org_id == case.applicant_id:
        return True
    if is_agent_for(actor, case):
        return True
    return "仅申请单位或其指派的帮办代办员可以提交、补正材料或签署承诺。"


class CaseWorkflow(Workflow):
    """The case process; an agent's act (APPLICANT_ACTIONS) is looked up among the agent's cases only (404 for any
    other) and its audit event names the enterprise as the principal."""

    def perform(self, actor, target, action, **kwargs):
        if action not in APPLICANT_ACTIONS or not acts_as_agent(actor):
            return super().perform(actor, target, action, **kwargs)
        base, pk = self._target(target)
        mine = agent_cases(actor, base)
        try:
            case = mine.select_related("applicant").filter(pk=pk).first()
        except (ValueError, TypeError):
            case = None
        if case is None:
            raise NotFound(NOT_FOUND)
        with audit.acting_for(audit.principal_of(case.applicant)):
            return super().perform(actor, (mine, pk), action, **kwargs)


def second_person(actor, case):
    if case.extension_days is None:
        return "该办件没有待批准的延期申请。"
    if case.extension_requested_by_id == actor.pk:
        return "延期须由申请人以外的另一人批准。"
    return True


def officers(deadline, case):
    """Who is warned when a case's limit or its 容缺 deadline runs out: the window's staff and the department."""
    staff = list(case.item.window.staff.all()) if case.item.window_id else []
    return staff, [case.item.department]


# Clocks ---------------------------------------------------------------------------------------------------------

def clock_of(case, kind=CASE_KIND, open_only=True):
    qs = DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk),
                                      kind=kind)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs.order_by("-id").first()


def missing_materials(case):
    provided = set(CaseMaterial.objects.filter(case=case, attachment__isnull=False).values_list("material_id",
                                                                                                flat=True))
    return [m for m in case.item.materials.all() if m.required and m.pk not in provided]


def _names(materials):
    return "、".join(f"「{m.name}」" for m in materials)


def check_complete(actor, case, payload):
    missing = missing_materials(case)
    if missing:
        hard = [m for m in missing if not m.may_follow]
        if hard:
            raise RuleViolation(f"缺少必须提交的材料：{_names(hard)}，不能受理。", code="materials_missing",
                                extra={"materials": [m.name for m in hard]})
        raise RuleViolation(f"尚缺可容缺后补的材料：{_names(missing)}，请选择“容缺受理”并约定补齐期限。",
                            code="materials_missing", extra={"materials": [m.name for m in missing]})
    case.accepted_at = moment()


def check_conditional(actor, case, payload):
    missing = missing_materials(case)
    hard = [m for m in missing if not m.may_follow]
    if hard:
        raise RuleViolation(f"缺少不可容缺的材料：{_names(hard)}，不能容缺受理。", code="materials_missing",
                            extra={"materials": [m.name for m in hard]})
    if not missing:
        raise RuleViolation("材料已齐全，请直接受理。")
    at = moment()
    for material in missing:
        CaseMaterial.objects.update_or_create(case=case, material=material,
                                              defaults={"zone_id": case.zone_id, "deferred": True})
    case.accepted_at = at
    case.conditional = True


def start_clocks(actor, case, event, payload):
    at = moment()
    clock.start(actor, case, kind=CASE_KIND, unit=ClockUnit.WORKDAYS, limit=case.item.promised_limit, started_at=at)
    if case.conditional and payload is not None and "days" in payload:
        deferred = clock.start(actor, case, kind=DEFERRED_KIND, unit=ClockUnit.WORKDAYS, limit=payload["days"],
                               started_at=at)
        Case.objects.filter(pk=case.pk).update(deferred_due_at=deferred.due_at, commitment_text=event.note)


def pause_clock(actor, case, event, payload):
    running = clock_of(case)
    clock.pause(actor, running, reason=PauseReason.SUPPLEMENT, reason_text=event.note[:200], at=moment(),
                notice_issuer=case.item.department.name)


def resume_clock(actor, case, event, payload):
    clock.resume(actor, clock_of(case), at=moment())


def check_deferred(actor, case, payload):
    outstanding = [cm.material for cm in
                   CaseMaterial.objects.filter(case=case, deferred=True, attachment__isnull=True)
                   .select_related("material")]
    if not case.conditional or case.deferred_supplied_at is not None:
        raise RuleViolation("该办件没有待补齐的容缺材料。")
    if outstanding:
        raise RuleViolation(f"容缺材料尚未全部上传：{_names(outstanding)}。", code="materials_missing",
                            extra={"materials": [m.name for m in outstanding]})
    case.deferred_supplied_at = moment()


def finish_deferred(actor, case, event, payload):
    running = clock_of(case, DEFERRED_KIND)
    if running is not None:
        clock.finish(actor, running, at=moment())


def ask_extension(actor, case, payload):
    if case.extension_days is not None:
        raise RuleViolation("已有待批准的延期申请。")
    case.extension_days = payload["days"]
    case.extension_requested_by = actor if getattr(actor, "is_authenticated", False) else None


def set_extension_reason(actor, case, event, payload):
    Case.objects.filter(pk=case.pk).update(extension_reason=event.note[:300])


def grant_extension(actor, case, event, payload):
    days, by = case.extension_days, case.extension_requested_by
    clock.extend(actor, clock_of(case), amount=days, reason=case.extension_reason or event.note or "延期",
                 requested_by=by, at=moment())
    Case.objects.filter(pk=case.pk).update(extension_days=None, extension_requested_by=None, extension_reason="")
    case.extension_days, case.extension_requested_by = None, None


def decide(actor, case, payload):
    if case.conditional and case.deferred_supplied_at is None:
        raise RuleViolation("容缺材料尚未补齐，不能作出准予许可的决定。")
    from kaifaqu.core.files.models import Attachment

    files = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk),
                                      withdrawn_at__isnull=True)
    signed = payload.get("signed_file")
    found = files.filter(pk=signed).first() if signed else files.filter(note=DECISION_NOTE).order_by("-id").first()
    if found is None:
        raise RuleViolation("请先上传已签发的决定书（附件）。" if not signed else "决定书须为本办件的附件。",
                            code="decision_file_missing")
    case.decision_no = payload["decision_no"]
    case.decision_file = found
    case.decided_at = moment()


def decide_reject(actor, case, payload):
    case.decision_no = payload["decision_no"]
    case.decided_at = moment()


def refuse(actor, case, payload):
    case.decided_at = moment()


def finish_clock(actor, case, event, payload):
    running = clock_of(case)
    if running is not None:
        clock.finish(actor, running, at=moment())
    finish_deferred(actor, case, event, payload)


def close(actor, case, payload):
    case.closed_at = moment()


# 告知承诺制 --------------------------------------------------------------------------------------------------------

def sign(actor, case, payload):
    item = case.item
    if not item.commitment:
        raise RuleViolation("该事项不适用告知承诺制。")
    if not item.commitment_text.strip():
        raise RuleViolation("该事项尚未公布告知承诺书内容，不能签署。")
    if case.pledged_at is not None:
        raise RuleViolation("申请人已签署告知承诺书。")
    case.pledge_text = item.commitment_text
    case.pledged_at = moment()
    case.pledged_by = actor if getattr(actor, "is_authenticated", False) else None


def approve_committed(actor, case, payload):
    if not case.item.commitment:
        raise RuleViolation("该事项不适用告知承诺制，请按一般程序受理。")
    if case.pledged_at is None:
        raise RuleViolation("申请人尚未签署告知承诺书，不能按告知承诺制审批。", code="pledge_missing")
    at = moment()
    case.accepted_at = case.decided_at = at
    case.decision_no = payload["decision_no"]
    case.on_commitment = True


def open_post_check(actor, case, event, payload):
    """The case clock runs from acceptance to the decision (the same moment); the department's check starts its
    own working-day clock."""
    at = moment()
    running = clock.start(actor, case, kind=CASE_KIND, unit=ClockUnit.WORKDAYS, limit=case.item.promised_limit,
                          started_at=at)
    clock.finish(actor, running, at=at)
    check = PostCheck.objects.create(zone_id=case.zone_id, case=case, department_id=case.item.department_id,
                                     created_at=at)
    days = payload.get("check_days") or case.item.check_days
    deadline = clock.start(actor, check, kind=POSTCHECK_KIND, unit=ClockUnit.WORKDAYS, limit=days, started_at=at)
    PostCheck.objects.filter(pk=check.pk).update(due_at=deadline.due_at)
    audit.record(actor, "approvals.check_open", check, after={"case": case.number, "department":
                                                              case.item.department_id, "days": days,
                                                              "due_at": deadline.due_at})


def check_clock(check, open_only=True):
    qs = DeadlineClock.objects.filter(content_type=ContentType.objects.get_for_model(PostCheck),
                                      object_id=str(check.pk), kind=POSTCHECK_KIND)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs.order_by("-id").first()


def check_department(actor, check):
    if actor.org_id is not None and actor.org_id == check.department_id:
        return True
    return "仅负责核查的部门可以登记核查结果。"


def pass_check(actor, check, payload):
    check.checked_at = moment()
    check.checked_by = actor if getattr(actor, "is_authenticated", False) else None


def fail_check(actor, check, payload):
    pass_check(actor, check, payload)
    check.consequence = payload["consequence"]


def note_findings(actor, check, event, payload):
    PostCheck.objects.filter(pk=check.pk).update(findings=event.note)
    running = check_clock(check)
    if running is not None:
        clock.finish(actor, running, at=moment())


def check_officers(deadline, check):
    """Who is urged when a check runs late: the department charged with it."""
    return [], [check.department]


# Payloads -------------------------------------------------------------------------------------------------------

class ConditionalPayload(serializers.Serializer):
    days = serializers.IntegerField(label="容缺材料补齐期限（工作日）", min_value=1, max_value=30,
                                    default=DEFAULT_DEFERRED_DAYS)


class ConditionalForm(forms.Form):
    days = forms.IntegerField(label="容缺材料补齐期限（工作日）", min_value=1, max_value=30, initial=DEFAULT_DEFERRED_DAYS)


class ExtensionPayload(serializers.Serializer):
    days = serializers.IntegerField(label="延长（工作日）", min_value=1, max_value=60)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长（工作日）", min_value=1, max_value=60)


class DecisionPayload(serializers.Serializer):
    decision_no = serializers.CharField(label="决定文书编号", max_length=60)
    signed_file = serializers.IntegerField(label="决定书附件编号", required=False, min_value=1,
                                           help_text="不填时使用最近上传的“审批决定书”附件")


class DecisionForm(forms.Form):
    decision_no = forms.CharField(label="决定文书编号", max_length=60)


class CommitmentPayload(serializers.Serializer):
    decision_no = serializers.CharField(label="决定文书编号", max_length=60)
    check_days = serializers.IntegerField(label="核查时限（工作日）", min_value=1, max_value=120, required=False,
                                          help_text="不填时使用事项的核查时限")


class CommitmentForm(forms.Form):
    decision_no = forms.CharField(label="决定文书编号", max_length=60)
    check_days = forms.IntegerField(label="核查时限（工作日，不填按事项规定）", min_value=1, max_value=120,
                                    required=False)


class FailPayload(serializers.Serializer):
    consequence = serializers.ChoiceField(label="处理结果", choices=CheckConsequence.choices)


class FailForm(forms.Form):
    consequence = forms.ChoiceField(label="处理结果", choices=CheckConsequence.choices)


class RejectPayload(serializers.Serializer):
    decision_no = serializers.CharField(label="决定文书编号", max_length=60)


CASE = CaseWorkflow(
    model=Case,
    events=CaseEvent,
    table={
        CaseState.SUBMITTED: {"accept": CaseState.REVIEWING, "accept_conditionally": CaseState.REVIEWING,
                              "refuse": CaseState.REFUSED, "sign_commitment": CaseState.SUBMITTED,
                              "approve_on_commitment": CaseState.APPROVED},
        CaseState.REVIEWING: {"request_supplement": CaseState.SUPPLEMENTING, "supply_deferred": CaseState.REVIEWING,
                              "request_extension": CaseState.REVIEWING, "approve_extension": CaseState.REVIEWING,
                              "approve": CaseState.APPROVED, "reject": CaseState.REJECTED},
        CaseState.SUPPLEMENTING: {"supply": CaseState.REVIEWING, "supply_deferred": CaseState.SUPPLEMENTING},
        CaseState.APPROVED: {"close": CaseState.CLOSED},
        CaseState.REJECTED: {"close": CaseState.CLOSED},
        CaseState.REFUSED: {},
        CaseState.CLOSED: {},
    },
    actions={
        "accept": Action("受理", perm="approvals.handle", rule=on_window_or_department, apply=check_complete,
                         hooks=[start_clocks]),
        "accept_conditionally": Action(
            "容缺受理", perm="approvals.handle", rule=on_window_or_department, reason_required=True,
            reason_label="申请人的容缺承诺", serializer=ConditionalPayload, form=ConditionalForm,
            apply=check_conditional, hooks=[start_clocks], style="info"),
        "refuse": Action("不予受理", perm="approvals.handle", rule=on_window_or_department, reason_required=True,
                         reason_label="不予受理的理由", apply=refuse, style="danger"),
        "request_supplement": Action("一次性告知补正", perm="approvals.handle", rule=on_window_or_department,
                                     reason_required=True, reason_label="需补正的内容（一次性告知）",
                                     hooks=[pause_clock], style="warning"),
        # perm approvals.view: the rule admits the applicant enterprise (approvals.apply) or its assigned agent.
        "supply": Action("补正完成", perm="approvals.view", rule=applicant_or_agent, hooks=[resume_clock]),
        "supply_deferred": Action("容缺材料已补齐", perm="approvals.view", rule=applicant_or_agent,
                                  apply=check_deferred, hooks=[finish_deferred], style="secondary"),
        "request_extension": Action("申请延期", perm="approvals.handle", rule=on_window_or_department,
                                    reason_required=True, reason_label="延期理由", serializer=ExtensionPayload,
                                    form=ExtensionForm, apply=ask_extension, hooks=[set_extension_reason],
                                    style="secondary"),
        "approve_extension": Action("批准延期", perm="approvals.approve_extension", rule=second_person,
                                    hooks=[grant_extension], style="secondary"),
        "approve": Action("准予许可", perm="approvals.decide", rule=on_window_or_department,
                          serializer=DecisionPayload, form=DecisionForm, apply=decide, hooks=[finish_clock],
                          style="success"),
        "reject": Action("不予许可", perm="approvals.decide", rule=on_window_or_department, reason_required=True,
                         reason_label="不予许可的理由", serializer=RejectPayload, form=DecisionForm,
                         apply=decide_reject, hooks=[finish_clock], style="danger"),
        "sign_commitment": Action("签署告知承诺书", perm="approvals.view", rule=applicant_or_agent, apply=sign,
                                  style="info"),
        "approve_on_commitment": Action("告知承诺制准予许可", perm="approvals.decide", rule=on_window_or_department,
                                        serializer=CommitmentPayload, form=CommitmentForm, apply=approve_committed,
                                        hooks=[open_post_check], style="success"),
        "close": Action("办结", perm="approvals.handle", rule=on_window_or_department, apply=close,
                        style="secondary"),
    },
)


CHECK = Workflow(
    model=PostCheck,
    events=PostCheckEvent,
    table={
        CheckState.PENDING: {"pass_check": CheckState.PASSED, "fail_check": CheckState.FAILED},
        CheckState.PASSED: {},
        CheckState.FAILED: {},
    },
    actions={
        "pass_check": Action("核查通过", perm="approvals.handle", rule=check_department, apply=pass_check,
                             hooks=[note_findings], reason_label="核查情况", style="success"),
        "fail_check": Action("核查不通过", perm="approvals.handle", rule=check_department, reason_required=True,
                             reason_label="核查情况（未履行的承诺）", serializer=FailPayload, form=FailForm,
                             apply=fail_check, hooks=[note_findings], style="danger"),
    },
    url_name="approvals:check-action",
)


def action_form_payload(spec, cleaned_data):
    """The page form's payload for ``spec`` (as core.workflow.views does it)."""
    from kaifaqu.core.workflow.views import payload_of

    return payload_of(spec, cleaned_data)
