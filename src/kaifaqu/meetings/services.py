"""Writes of the meetings module. Every service checks permission and scope, writes in one transaction with its
audit event, and accepts ``core.access.SYSTEM`` (demo loader, tick). ``now=`` replays a moment of history (the
demo); the platform's own records (audit, process events) keep the time they were written."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from kaifaqu.core import audit, clock, notify
from kaifaqu.core.access import SYSTEM, is_system, require, scope_of
from kaifaqu.core.clock.models import ClockEscalation
from kaifaqu.core.errors import Conflict, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.tenancy import org_model

from . import agenda, people
from . import workflow as wf
from .agenda import pending_whistles, stuck_projects  # noqa: F401 - read by the pages and tests
from .models import (
    UNIT_KINDS,
    AgendaItem,
    AgendaSource,
    Attendance,
    AttendanceRole,
    BodyMember,
    Decision,
    DecisionState,
    JointBody,
    Meeting,
    MeetingKind,
    MeetingState,
)

log = logging.getLogger(__name__)

NUMBER_PREFIX = {MeetingKind.JOINT: "LX", MeetingKind.PAIRING: "JD", MeetingKind.OTHER: "QT"}


def _now(now):
    return now or wf.now()


def _in_zone(actor, zone_id):
    if is_system(actor):
        return
    if zone_id not in scope_of(actor).zone_ids:
        raise NotFound("未找到该开发区，或您无权查看。")


def _visible(actor, model, pk):
    """The row among what the actor sees (404 otherwise, exactly as for a missing one)."""
    qs = model.objects.all() if is_system(actor) else model.objects.visible_to(actor)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该对象，或您无权查看。")
    return found


def unit_of_zone(zone_id, org, *, field):
    """A unit of this zone in being that may own a decision or sit on the body; anything else is refused naming the
    field (another zone's unit reads as unknown)."""
    pk = getattr(org, "pk", org)
    found = org_model().objects.filter(pk=pk, zone_id=zone_id).first() if isinstance(pk, int) else None
    if found is None:
        raise InvalidInput("单位不存在或不属于本开发区。", fields={field: ["单位不存在或不属于本开发区。"]})
    if found.kind not in UNIT_KINDS or not found.is_active:
        message = f"“{found}”不能作为责任单位或成员单位（须为在存续的部门、街道、派驻机构、市直部门或平台公司）。"
        raise InvalidInput(message, fields={field: [message]})
    return found


def _text(errors, name, value, top, required=True):
    if not isinstance(value, str) or (required and not value.strip()):
        if required:
            errors[name] = ["请填写此项。"]
        return ""
    if len(value.strip()) > top:
        errors[name] = [f"不能超过 {top} 字。"]
    return value.strip()


# The body (联席会议制度) ------------------------------------------------------------------------------------

def body_of(zone_id):
    return JointBody.objects.filter(zone_id=zone_id).first()


def do_set_body(actor, zone, *, name, convener_name, convener_title="", convener=None, duties="", members=(),
                version=None) -> JointBody:
    """The zone (``meetings.body``) sets its joint-meeting body: name, convener (a city leader), work rules and
    member units (a unit dropped from the list stays on record, marked 不在册). Audited ``meetings.set_body``."""
    require(actor, "meetings.body")
    _in_zone(actor, zone.pk)
    errors = {}
    name = _text(errors, "name", name, 200)
    convener_name = _text(errors, "convener_name", convener_name, 100)
    convener_title = _text(errors, "convener_title", convener_title or "", 100, required=False)
    duties = _text(errors, "duties", duties or "", 4000, required=False)
    if convener is not None:
        pk = getattr(convener, "pk", convener)
        convener = get_user_model_row(pk)
        if convener is None or convener.role != "city_leader" or zone.pk not in convener.scope.zone_ids:
            errors["convener"] = ["召集人须为本开发区所在市的市领导账号。"]
    if errors:
        raise InvalidInput("联席会议制度信息有误，请检查。", fields=errors)
    units = []
    for m in members:
        unit = unit_of_zone(zone.pk, m, field="members")
        if unit.pk not in {u.pk for u in units}:
            units.append(unit)
    with transaction.atomic():
        body = JointBody.objects.select_for_update().filter(zone=zone).first()
        if body is not None and version is not None and int(version) != body.version:
            raise Conflict("联席会议制度已被他人修改，请刷新后重试。", code="stale", extra={"version": body.version})
        before = audit.snapshot(body) if body else None
        before_members = sorted(body.members.filter(active=True).values_list("org_id", flat=True)) if body else []
        if body is None:
            body = JointBody(zone=zone)
        body.name, body.convener_name, body.convener_title, body.duties = name, convener_name, convener_title, duties
        body.convener = convener
        if body.pk:
            body.version += 1
        body.save()
        for i, unit in enumerate(units):
            BodyMember.objects.update_or_create(body=body, org=unit, defaults={
                "zone_id": zone.pk, "sort": i, "active": True})
        BodyMember.objects.filter(body=body).exclude(org__in=units).update(active=False)
        b, a = audit.diff(before, audit.snapshot(body))
        b, a = dict(b or {}), dict(a or {})
        after_members = [u.pk for u in units]
        if before_members != sorted(after_members):
            b["members"], a["members"] = before_members, after_members
        audit.record(actor, "meetings.set_body", body, before=b, after=a, zone_id=zone.pk)
    return body


def get_user_model_row(pk):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None


# Meetings -----------------------------------------------------------------------------------------------------

def _number(zone_id, kind, at):
    prefix = f"{NUMBER_PREFIX[MeetingKind(kind)]}{timezone.localtime(at).year}"
    last = Meeting.objects.filter(zone_id=zone_id, number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


def do_schedule(actor, zone, *, kind, title, starts_at, place, convener_name="", recorder="", now=None,
                on_behalf_of=None) -> Meeting:
    """The zone (``meetings.manage``) schedules a meeting. The body's member units are invited (attendance rows,
    marked present until recorded otherwise) with the convener; a joint meeting's agenda receives the escalated
    whistles waiting for one, a pairing meeting's the stuck investment projects. Audited ``meetings.schedule``."""
    require(actor, "meetings.manage")
    _in_zone(actor, zone.pk)
    at = _now(now)
    errors = {}
    if kind not in MeetingKind.values:
        errors["kind"] = ["会议类别须为联席会议、项目结对月例会或其他会议。"]
    title = _text(errors, "title", title, 200)
    place = _text(errors, "place", place, 200)
    recorder = _text(errors, "recorder", recorder or "", 100, required=False)
    body = body_of(zone.pk)
    convener_name = _text(errors, "convener_name", convener_name or "", 100, required=False) or (
        body.convener_name if body else "")
    no_convener = not convener_name and "convener_name" not in errors
    if not isinstance(starts_at, datetime.datetime):
        errors["starts_at"] = ["请填写会议时间。"]
    elif timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at, timezone.get_default_timezone())
    if errors:
        raise InvalidInput("会议信息有误，请检查。", fields=errors)
    if no_convener:  # the zone's data decides (a body with its convener), not the input's shape: 422
        message = "请填写主持人/召集人（本开发区尚未设置联席会议制度）。"
        raise RuleViolation(message, fields={"convener_name": [message]})
    if not clock.EARLIEST <= starts_at < clock.LATEST:
        message = "会议时间须在 1990 年至 2100 年之间。"
        raise RuleViolation(message, fields={"starts_at": [message]})
    user = actor if getattr(actor, "is_authenticated", False) else (on_behalf_of if is_system(actor) else None)
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                zone=zone, number=_number(zone.pk, kind, starts_at), kind=kind, title=title, starts_at=starts_at,
                place=place, convener_name=convener_name, recorder=recorder, created_by=user)
            audit.record(actor, "meetings.schedule", meeting, after=audit.snapshot(meeting))
            rows = [Attendance(zone=zone, meeting=meeting, person=convener_name, role=AttendanceRole.CONVENER,
                               present=True, sort=0)]
            if body is not None:
                for i, member in enumerate(body.members.filter(active=True).select_related("org"), 1):
                    rows.append(Attendance(zone=zone, meeting=meeting, org=member.org, role=AttendanceRole.MEMBER,
                                           present=True, sort=i))
            Attendance.objects.bulk_create(rows)
            if kind == MeetingKind.JOINT:
                agenda.pull_whistles(actor, meeting, at)
            elif kind == MeetingKind.PAIRING:
                agenda.pull_projects(actor, meeting, at)
    except IntegrityError as exc:
        raise Conflict("会议编号冲突，请重试。") from exc
    return meeting


def _editable_agenda(meeting):
    if meeting.state != MeetingState.PLANNED:
        state = MeetingState(meeting.state).label
        raise RuleViolation(f"会议状态为「{state}」，议题只能在筹备中调整。", code="invalid_transition",
                            extra={"state": meeting.state, "allowed_actions": []})


def do_add_agenda_item(actor, meeting, *, source=AgendaSource.FREE, source_id=None, title="", description="",
                       presenter=None, now=None) -> AgendaItem:
    """The zone (``meetings.manage``) adds an agenda item to a meeting in preparation: an escalated whistle, a stuck
    project (by id; the title comes from it) or a free item. Audited ``meetings.add_agenda_item``."""
    require(actor, "meetings.manage")
    with transaction.atomic():
        meeting = _visible(actor, Meeting, meeting.pk)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _editable_agenda(meeting)
        at = _now(now)
        errors = {}
        if source not in AgendaSource.values:
            raise InvalidInput("议题来源无效。", fields={"source": ["议题来源须为吹哨升级、停滞招商项目或其他议题。"]})
        if presenter is not None:
            presenter = unit_of_zone(meeting.zone_id, presenter, field="presenter")
        seq = agenda.next_seq(meeting)
        if source == AgendaSource.WHISTLE:
            w = next((w for w in agenda.pending_whistles(meeting.zone_id) if w.pk == source_id), None)
            if w is None:
                raise InvalidInput("该吹哨不是待上会的升级吹哨。", fields={"source_id": ["该吹哨不是待上会的升级吹哨（或已列入议题）。"]})
            item = agenda.whistle_item(meeting, w, at, seq, False)
        elif source == AgendaSource.PROJECT:
            p = next((p for p in agenda.stuck_projects(meeting.zone_id, timezone.localtime(at).date())
                      if p.pk == source_id), None)
            if p is None:
                raise InvalidInput("该项目不是待上会的停滞项目。", fields={"source_id": ["该项目不是待上会的停滞项目（或已列入议题）。"]})
            item = agenda.project_item(meeting, p, at, seq, False)
        else:
            title = _text(errors, "title", title, 300)
            description = _text(errors, "description", description or "", 4000, required=False)
            if errors:  # a free item needs its title (the other sources bring theirs): a rule across fields
                raise RuleViolation("请填写议题。", fields=errors)
            item = AgendaItem(zone_id=meeting.zone_id, meeting=meeting, seq=seq, source=AgendaSource.FREE,
                              title=title, description=description, presenter=presenter, created_at=at)
        if presenter is not None:
            item.presenter = presenter
        try:
            with transaction.atomic():
                agenda.record_items(actor, meeting, [item])
        except IntegrityError as exc:
            raise Conflict("该事项已列入其他会议的议题。") from exc
        Meeting.objects.filter(pk=meeting.pk).update(version=meeting.version + 1)
    return item


def do_set_attendance(actor, meeting, rows, *, version=None) -> Meeting:
    """The zone (``meetings.manage``) records who attended: ``rows`` of ``{"org": unit or None, "person": name,
    "present": bool, "note": text, "role": member/invited/convener}``; a unit's row is updated in place, a unit or
    person not yet listed is added. Allowed before minutes are issued. Audited ``meetings.set_attendance``."""
    require(actor, "meetings.manage")
    with transaction.atomic():
        meeting = _visible(actor, Meeting, meeting.pk)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state not in (MeetingState.PLANNED, MeetingState.HELD):
            raise RuleViolation(f"会议状态为「{MeetingState(meeting.state).label}」，不能再修改出席情况。",
                                code="invalid_transition", extra={"state": meeting.state, "allowed_actions": []})
        if version is not None and int(version) != meeting.version:
            raise Conflict("该会议已被他人修改，请刷新后重试。", code="stale", extra={"version": meeting.version})
        if not rows:
            raise InvalidInput("请至少登记一个单位或人员。", fields={"rows": ["请至少登记一个单位或人员。"]})
        changed = []
        existing = {a.org_id: a for a in meeting.attendance.filter(org__isnull=False)}
        by_person = {a.person: a for a in meeting.attendance.filter(org__isnull=True)}
        top = max([a.sort for a in list(existing.values()) + list(by_person.values())] or [0])
        for i, row in enumerate(rows):
            org = row.get("org")
            person = (row.get("person") or "").strip()[:100]
            note = (row.get("note") or "").strip()[:200]
            present = bool(row.get("present", True))
            role = row.get("role") or AttendanceRole.MEMBER
            if role not in AttendanceRole.values:
                raise InvalidInput("参会身份无效。", fields={"rows": [f"第 {i + 1} 行：参会身份无效。"]})
            if org is not None:
                org = unit_of_zone(meeting.zone_id, org, field="rows")
                found = existing.get(org.pk)
            elif person:
                found = by_person.get(person)
            else:
                raise RuleViolation("请填写单位或参会人。", fields={"rows": [f"第 {i + 1} 行：请填写单位或参会人。"]})
            if found is None:
                top += 1
                found = Attendance(zone_id=meeting.zone_id, meeting=meeting, org=org, sort=top)
            before = (found.person, found.present, found.note, found.role) if found.pk else None
            found.person, found.present, found.note, found.role = person or found.person, present, note, role
            if not found.pk or before != (found.person, found.present, found.note, found.role):
                found.save()
                changed.append({"org": org.pk if org else None, "person": found.person, "present": present,
                                "note": note})
        meeting.version += 1
        meeting.save(update_fields=["version"])
        audit.record(actor, "meetings.set_attendance", meeting, after={"rows": changed})
    return meeting


# Decisions -------------------------------------------------------------------------------------------------------

def do_add_decision(actor, meeting, *, content, owner, due_date, agenda_item=None, now=None) -> Decision:
    """The zone (``meetings.manage``) records a decision (议定事项) of a meeting that was held: its owner unit and
    deadline (a working day after today); the working-day clock starts, the owner unit and its head are notified
    and find it in their inbox. Audited ``decision.create``."""
    require(actor, "meetings.manage")
    with transaction.atomic():
        meeting = _visible(actor, Meeting, meeting.pk)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != MeetingState.HELD:
            raise RuleViolation(f"会议状态为「{MeetingState(meeting.state).label}」，只有已召开、尚未印发纪要的会议可以"
                                "登记议定事项。", code="invalid_transition",
                                extra={"state": meeting.state, "allowed_actions": wf.MEETING.allowed_from(meeting.state)})
        at = _now(now)
        errors = {}
        content = _text(errors, "content", content, 2000)
        if errors:
            raise InvalidInput("议定事项有误，请检查。", fields=errors)
        owner = unit_of_zone(meeting.zone_id, owner, field="owner")
        if not isinstance(due_date, datetime.date):
            raise InvalidInput("请填写办结期限。", fields={"due_date": ["请填写办结期限。"]})
        wf.check_due_date(meeting.zone_id, due_date, at)
        item = None
        if agenda_item is not None:
            pk = getattr(agenda_item, "pk", agenda_item)
            item = meeting.agenda.filter(pk=pk, withdrawn=False).first() if isinstance(pk, int) else None
            if item is None:
                raise InvalidInput("不是本次会议的议题。", fields={"agenda_item": ["不是本次会议的议题。"]})
        seq = (meeting.decisions.aggregate(m=Max("seq"))["m"] or 0) + 1
        d = Decision.objects.create(zone_id=meeting.zone_id, meeting=meeting, agenda_item=item, seq=seq,
                                    content=content, owner=owner, due_date=due_date, created_at=at)
        d.clock = wf.start_decision_clock(actor, d, at)
        Decision.objects.filter(pk=d.pk).update(clock=d.clock)
        audit.record(actor, "decision.create", d, after=audit.snapshot(d))
        Meeting.objects.filter(pk=meeting.pk).update(version=meeting.version + 1)
        notify.send("meetings.decision", f"议定事项交办：{meeting.title}", orgs=[owner], users=people.heads_of(owner),
                    body=f"{content[:200]}（办结期限 {due_date:%Y-%m-%d}）", obj=d, url=d.get_absolute_url())
    return d


def act(actor, target, action, *, version=None, note="", payload=None, now=None):
    """Perform a workflow action on a meeting or a decision (``target``: instance or (queryset, pk)); ``now``
    replays a past moment (the business times and the clocks follow it)."""
    model = target._meta.model if hasattr(target, "_meta") else target[0].model
    flow = wf.DECISION if model is Decision else wf.MEETING
    if now is None:
        return flow.perform(actor, target, action, version=version, note=note, payload=payload)
    with wf.at_time(now):
        return flow.perform(actor, target, action, version=version, note=note, payload=payload)


# The decisions' ladder (run by tick through core's clocks) -------------------------------------------------

def _fired_at(c, step):
    return ClockEscalation.objects.filter(clock_id=c.pk, step=step.name).values_list("fired_at", flat=True).first()


def _ladder_step(action, c, step):
    d = Decision.objects.filter(pk=c.object_id).select_related("owner", "meeting", "clock").first()
    if d is None or d.state != DecisionState.OPEN or d.clock_id != c.pk:
        return
    notes = {"remind": "办结期限将至，系统自动提醒。",
             "urge": f"已于 {timezone.localtime(c.due_at):%Y-%m-%d %H:%M} 到期仍未办结，系统自动催办责任单位及其负责人。",
             "supervise": f"到期后 {wf.SUPERVISE_AFTER} 个工作日仍未办结，转督办，已报开发区领导。"}
    with wf.at_time(_fired_at(c, step) or timezone.now()):
        wf.DECISION.perform(SYSTEM, d, action, note=notes[action])


def on_remind(c, step):
    _ladder_step("remind", c, step)


def on_urge(c, step):
    _ladder_step("urge", c, step)


def on_supervise(c, step):
    _ladder_step("supervise", c, step)


def register_clocks():
    """Clock kind, its ladder and the notification kinds (called from the AppConfig)."""
    from kaifaqu.core.clock import Step

    for kind, label in wf.CLOCK_KINDS.items():
        clock.register_kind(kind, label)
    clock.register_handlers(wf.KIND_DECISION)
    clock.register_ladder(wf.KIND_DECISION, steps=[
        Step("remind", before=1), Step("urge", after=0), Step("supervise", after=wf.SUPERVISE_AFTER)],
        handlers={"remind": on_remind, "urge": on_urge, "supervise": on_supervise})
    for kind, label in wf.NOTIFY_KINDS.items():
        notify.register_kind(kind, label)
