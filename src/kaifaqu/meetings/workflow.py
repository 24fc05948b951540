"""The two processes of the joint meeting, on core.workflow.

A meeting: 筹备中 → 召开 → 印发纪要 (the .docx minutes are generated and kept as its attachment), or 取消 (its
escalated whistles go back to wait for the next meeting). A decision (议定事项): 办理中 → 报办结 (the owner unit) →
验收办结 or 退回重办 (the zone, with a new deadline); while open, tick's ladder on its working-day clock runs
提醒 (the working day before), 催办 (at expiry: the owner unit and its head) and 督办 (N working days later: the zone's
leaders too), system only.
"""

import contextvars

from django import forms
from django.db.models import F
from django.utils import timezone
from rest_framework import serializers

from kaifaqu.core import audit, clock, notify
from kaifaqu.core import calendar as cal
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.clock.models import OPEN_STATES
from kaifaqu.core.errors import RuleViolation
from kaifaqu.core.workflow import Action, Workflow

from .agenda import pull_whistles
from .models import Decision, DecisionEvent, DecisionState, Meeting, MeetingEvent, MeetingKind, MeetingState
from .people import heads_of, zone_leaders

# The moment an action happens: now, unless a service replays history with an explicit time (the demo loader).
_NOW: contextvars.ContextVar = contextvars.ContextVar("meetings_now", default=None)


def now():
    return _NOW.get() or timezone.now()


class at_time:  # noqa: N801 - used as ``with at_time(moment):``
    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        self.token = _NOW.set(self.moment)

    def __exit__(self, *exc):
        _NOW.reset(self.token)


KIND_DECISION = "meetings.decision"
CLOCK_KINDS = {KIND_DECISION: "议定事项办理时限"}
SUPERVISE_AFTER = 3  # working days after the expiry: 催办 turns into 督办

NOTIFY_KINDS = {
    "meetings.decision": "议定事项交办", "meetings.remind": "议定事项到期提醒", "meetings.urge": "议定事项催办",
    "meetings.supervise": "议定事项督办", "meetings.reported": "议定事项报办结", "meetings.rejected": "议定事项退回重办",
    "meetings.minutes": "会议纪要印发", "meetings.agenda": "列入联席会议议题",
}

OWN_UNIT = "仅责任单位本单位的人员可以报办结。"
SYSTEM_ONLY = "该操作由系统自动执行。"


def own_unit(actor, decision):
    return actor.org_id == decision.owner_id or OWN_UNIT


def system_only(actor, obj):
    return SYSTEM_ONLY


# Decision clocks --------------------------------------------------------------------------------------------------

def workdays_to(zone_id, start, due_date) -> int:
    return cal.workdays_between(timezone.localtime(start).date(), due_date, zone_id=zone_id)


def check_due_date(zone_id, due_date, start, field="due_date"):
    """A deadline is a working day after the start day, in a year the calendar knows: a rule of the calendar, not
    of the input's shape (422 naming the field otherwise)."""
    if due_date <= timezone.localtime(start).date():
        raise RuleViolation("办结期限须晚于议定当天。", fields={field: ["办结期限须晚于议定当天。"]})
    try:
        workday = cal.is_workday(due_date, zone_id=zone_id)
        cal.workdays_between(timezone.localtime(start).date(), due_date, zone_id=zone_id)
    except cal.CalendarYearUnknown:
        message = "该年度的工作日安排尚未录入，无法计算办结期限。"
        raise RuleViolation(message, fields={field: [message]}) from None
    if not workday:
        raise RuleViolation("办结期限须为工作日。", fields={field: ["办结期限须为工作日。"]})
    return due_date


def start_decision_clock(actor, decision, at):
    limit = workdays_to(decision.zone_id, at, decision.due_date)
    return clock.start(actor, decision, kind=KIND_DECISION, unit="workdays", limit=max(limit, 1), started_at=at)


def finish_decision_clock(actor, decision, at):
    c = decision.clock
    if c is None:
        return
    c.refresh_from_db()
    if c.state in OPEN_STATES:
        clock.finish(actor, c, at=at)


# Meeting actions --------------------------------------------------------------------------------------------------

def apply_hold(actor, m, payload):
    if m.kind == MeetingKind.JOINT:
        # Whistles escalated since the meeting was scheduled join its agenda now: the next joint meeting held.
        pull_whistles(actor, m, now())
    if not m.attendance.exists():
        raise RuleViolation("请先登记出席情况，再确认会议召开。")
    if not m.agenda.filter(withdrawn=False).exists():
        raise RuleViolation("会议还没有议题，不能确认召开。")
    m.held_at = now()


def hook_cancel(actor, m, event, payload):
    # The whistles and projects of a cancelled meeting wait for the next one (the agenda items stay, withdrawn).
    m.agenda.filter(withdrawn=False).update(withdrawn=True)


def apply_issue_minutes(actor, m, payload):
    if m.attendance.filter(present=True).count() == 0:
        raise RuleViolation("出席情况中没有出席的单位或人员，不能印发纪要。")
    m.minutes_issued_at = now()


def hook_issue_minutes(actor, m, event, payload):
    """The minutes (.docx, official layout) are generated from the rows and kept as the meeting's attachment; the
    owner units are notified of their decisions."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kaifaqu.core import files

    from .minutes import minutes_docx

    content = minutes_docx(m)
    attachment = files.attach(SYSTEM, m, SimpleUploadedFile(f"{m.number}会议纪要.docx", content),
                              note="会议纪要")
    Meeting.objects.filter(pk=m.pk).update(minutes=attachment)
    m.minutes = attachment
    audit.record(actor, "meetings.minutes_file", m, after={"attachment": attachment.pk, "sm3": attachment.sm3})
    owners = {d.owner_id: d.owner for d in m.decisions.select_related("owner")}
    if owners:
        notify.send("meetings.minutes", f"会议纪要已印发：{m.title}", orgs=list(owners.values()),
                    body="会议纪要已印发，请按议定事项的办结期限抓紧落实。", obj=m, url=m.get_absolute_url())


MEETING = Workflow(
    model=Meeting,
    events=MeetingEvent,
    table={
        MeetingState.PLANNED: {"hold": MeetingState.HELD, "cancel": MeetingState.CANCELLED},
        MeetingState.HELD: {"issue_minutes": MeetingState.MINUTED},
        MeetingState.MINUTED: {},
        MeetingState.CANCELLED: {},
    },
    actions={
        "hold": Action("确认召开", perm="meetings.manage", apply=apply_hold, reason_label="会议概况"),
        "cancel": Action("取消会议", perm="meetings.manage", reason_required=True, reason_label="取消原因",
                         hooks=[hook_cancel], style="danger"),
        "issue_minutes": Action("印发纪要", perm="meetings.manage", apply=apply_issue_minutes,
                                hooks=[hook_issue_minutes], reason_label="补充说明"),
    },
)


# Decision actions -------------------------------------------------------------------------------------------------

class ReportSerializer(serializers.Serializer):
    report = serializers.CharField(label="办理情况", max_length=4000, error_messages={
        "required": "请填写办理情况。", "blank": "请填写办理情况。"})


class ReportForm(forms.Form):
    report = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


def apply_report(actor, d, payload):
    at = now()
    d.report = payload["report"]
    d.reported_at = at
    d.reported_on_time = d.clock is None or d.clock.due_at is None or at <= d.clock.due_at


def hook_report(actor, d, event, payload):
    finish_decision_clock(actor, d, now())
    m = d.meeting
    notify.send("meetings.reported", f"议定事项报办结：{d.owner}（{m.title}）",
                users=zone_leaders(d.zone_id) + ([m.created_by] if m.created_by_id else []),
                body=payload["report"][:300], obj=d, url=d.get_absolute_url())


def apply_accept(actor, d, payload):
    d.accepted_at = now()


class RejectSerializer(serializers.Serializer):
    due_date = serializers.DateField(label="新的办结期限", error_messages={
        "required": "请填写新的办结期限。", "invalid": "日期格式应为 YYYY-MM-DD。"})

    def validate_due_date(self, value):
        d = self.context["object"]
        check_due_date(d.zone_id, value, now())
        return value


class RejectForm(forms.Form):
    due_date = forms.DateField(label="新的办结期限", widget=forms.DateInput(attrs={"type": "date"}))


def apply_reject(actor, d, payload):
    d.due_date = payload["due_date"]
    d.reject_count += 1
    d.reported_at = None
    d.reported_on_time = None


def hook_reject(actor, d, event, payload):
    d.clock = start_decision_clock(actor, d, now())
    Decision.objects.filter(pk=d.pk).update(clock=d.clock)
    notify.send("meetings.rejected", f"议定事项退回重办：{d.meeting.title}", orgs=[d.owner], users=heads_of(d.owner),
                body=f"退回理由：{event.note}。新的办结期限：{d.due_date:%Y-%m-%d}。", obj=d, url=d.get_absolute_url())


def hook_ladder(level):
    def hook(actor, d, event, payload):
        ladder_hook(level, d)
    return hook


def ladder_hook(level, d):
    """Counts the rung on the decision and notifies: 提醒 and 催办 the owner unit and its head, 督办 the zone's
    leaders as well."""
    counter = {"remind": "remind_count", "urge": "urge_count", "supervise": "supervise_count"}[level]
    Decision.objects.filter(pk=d.pk).update(**{counter: F(counter) + 1})
    due = timezone.localtime(d.clock.due_at) if d.clock and d.clock.due_at else None
    when = f"{due:%Y-%m-%d %H:%M}" if due else f"{d.due_date:%Y-%m-%d}"
    title = {"remind": "议定事项即将到期", "urge": "议定事项催办", "supervise": "议定事项督办"}[level]
    title = f"{title}：{d.meeting.title}（{d.owner}）"
    if level == "remind":
        body = f"议定事项“{d.content[:80]}”将于 {when} 到期，请按期办结并报办理情况。"
        notify.send("meetings.remind", title, orgs=[d.owner], users=heads_of(d.owner), body=body, obj=d,
                    url=d.get_absolute_url())
    elif level == "urge":
        body = f"议定事项“{d.content[:80]}”已于 {when} 到期仍未办结，请立即办理。"
        notify.send("meetings.urge", title, orgs=[d.owner], users=heads_of(d.owner), body=body, obj=d,
                    url=d.get_absolute_url())
    else:
        body = f"议定事项“{d.content[:80]}”到期后 {SUPERVISE_AFTER} 个工作日仍未办结，转督办，已报开发区领导。"
        notify.send("meetings.supervise", title, orgs=[d.owner], users=heads_of(d.owner) + zone_leaders(d.zone_id),
                    body=body, obj=d, url=d.get_absolute_url())


def _ladder(state):
    return {"remind": state, "urge": state, "supervise": state}


DECISION = Workflow(
    model=Decision,
    events=DecisionEvent,
    audit_prefix="decision",
    table={
        DecisionState.OPEN: {"report": DecisionState.REPORTED, **_ladder(DecisionState.OPEN)},
        DecisionState.REPORTED: {"accept": DecisionState.ACCEPTED, "reject": DecisionState.OPEN},
        DecisionState.ACCEPTED: {},
    },
    actions={
        "report": Action("报办结", perm="meetings.act", rule=own_unit, serializer=ReportSerializer, form=ReportForm,
                         apply=apply_report, hooks=[hook_report], reason_label="补充说明"),
        "accept": Action("验收办结", perm="meetings.manage", apply=apply_accept, reason_label="验收意见"),
        "reject": Action("退回重办", perm="meetings.manage", reason_required=True, reason_label="退回理由",
                         serializer=RejectSerializer, form=RejectForm, apply=apply_reject, hooks=[hook_reject],
                         style="danger"),
        "remind": Action("到期提醒", perm="meetings.manage", rule=system_only, hooks=[hook_ladder("remind")]),
        "urge": Action("催办", perm="meetings.manage", rule=system_only, hooks=[hook_ladder("urge")]),
        "supervise": Action("督办", perm="meetings.manage", rule=system_only, hooks=[hook_ladder("supervise")]),
    },
)

UNIT_ACTIONS = ("report",)
ZONE_ACTIONS = ("accept", "reject")
SYSTEM_ACTIONS = ("remind", "urge", "supervise")
