"""Every transition of the two state tables, the refusals (422 naming the state and the allowed actions, 409 on a
stale version, 403 for the wrong unit, 404 outside the scope) and the agenda built from escalated whistles and
stuck projects."""

import datetime

import pytest

from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.clock.models import ClockState
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.notify.models import Notification
from kaifaqu.meetings import services
from kaifaqu.meetings.models import AgendaItem, Attendance, Decision, Meeting
from kaifaqu.meetings.workflow import DECISION, MEETING
from tests.meetings.conftest import at


def test_state_tables_are_as_documented():
    assert MEETING.table == {"planned": {"hold": "held", "cancel": "cancelled"},
                             "held": {"issue_minutes": "minuted"}, "minuted": {}, "cancelled": {}}
    assert DECISION.table == {
        "open": {"report": "reported", "remind": "open", "urge": "open", "supervise": "open"},
        "reported": {"accept": "accepted", "reject": "open"}, "accepted": {}}


def test_schedule_invites_the_body_and_hold_needs_an_agenda(units, body, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    m = services.do_schedule(w.leader, w.zone, kind="joint", title="第一次联席会议", starts_at=at(2026, 3, 3, 9),
                             place="管委会三楼会议室")
    assert m.number == "LX2026001" and m.state == "planned" and m.convener_name == "韩志红"
    rows = list(Attendance.objects.filter(meeting=m).order_by("sort"))
    assert [r.org for r in rows] == [None, w.street_org, w.street2, w.city_dept, w.department]
    assert rows[0].person == "韩志红" and rows[0].role == "convener"
    with pytest.raises(RuleViolation, match="议题"):
        services.act(w.leader, m, "hold")
    services.do_add_agenda_item(w.leader, m, title="园区道路改造")
    services.do_set_attendance(w.leader, m, [{"org": w.street2, "present": False, "note": "请假（防汛值班）"}])
    m = services.act(w.leader, m, "hold", note="会议按时召开。")
    assert m.state == "held" and m.held_at is not None
    assert Attendance.objects.get(meeting=m, org=w.street2).note == "请假（防汛值班）"
    assert AuditEvent.objects.filter(action="meetings.hold", object_id=str(m.pk)).exists()
    assert AuditEvent.objects.filter(action="meetings.set_attendance", object_id=str(m.pk)).exists()
    with pytest.raises(RuleViolation) as err:
        services.do_add_agenda_item(w.leader, m, title="再加一个")
    assert err.value.extra["state"] == "held"


def test_cancel_needs_a_reason_and_frees_the_agenda(units, body):
    w = units
    m = services.do_schedule(w.leader, w.zone, kind="other", title="专题会", starts_at=at(2026, 5, 6, 9),
                             place="会议室")
    services.do_add_agenda_item(w.leader, m, title="议题一")
    with pytest.raises(InvalidInput) as err:
        services.act(w.leader, m, "cancel")
    assert "note" in err.value.fields
    m = services.act(w.leader, m, "cancel", note="召集人出差，改期。")
    assert m.state == "cancelled" and AgendaItem.objects.get(meeting=m).withdrawn
    with pytest.raises(RuleViolation) as err:
        services.act(w.leader, m, "hold")
    assert err.value.code == "invalid_transition" and err.value.extra == {"state": "cancelled", "allowed_actions": []}


def test_decision_open_report_reject_report_accept(units, held, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    m = held(at(2026, 3, 2, 9))
    with pytest.raises(RuleViolation, match="工作日"):
        services.do_add_decision(w.leader, m, content="完成道路修复", owner=w.street_org,
                                 due_date=datetime.date(2026, 3, 7))  # a Saturday
    with pytest.raises(InvalidInput) as err:
        services.do_add_decision(w.leader, m, content="完成道路修复", owner=w.other_org,
                                 due_date=datetime.date(2026, 3, 6))
    assert "owner" in err.value.fields
    d = services.do_add_decision(w.leader, m, content="完成道路修复", owner=w.street_org,
                                 due_date=datetime.date(2026, 3, 6))
    assert d.state == "open" and d.clock.limit == 4 and d.clock.due_at == at(2026, 3, 6, 23, 59, 59)
    assert Notification.objects.filter(kind="meetings.decision", recipient=w.street).exists()
    assert Notification.objects.filter(kind="meetings.decision", recipient=w.street_head).exists()
    # another unit of the zone may not report it (403); another zone does not see it (404)
    with pytest.raises(NotFound):
        services.act(w.street2_user, d, "report", payload={"report": "已完成"})
    with pytest.raises(NotFound):
        services.act(w.outsider, d, "report", payload={"report": "已完成"})
    with pytest.raises(Forbidden):
        services.act(w.clerk, d, "report", payload={"report": "已完成"})
    with pytest.raises(InvalidInput) as err:
        services.act(w.street, d, "report", payload={})
    assert "report" in err.value.fields
    with pytest.raises(RuleViolation) as err:
        services.act(w.leader, d, "accept")
    assert err.value.extra == {"state": "open", "allowed_actions": ["report", "remind", "urge", "supervise"]}
    with pytest.raises(Forbidden):
        services.act(w.leader, d, "urge")  # the ladder's rungs are the system's
    time_machine.move_to(at(2026, 3, 5, 15), tick=False)
    d = services.act(w.street, d, "report", version=d.version, payload={"report": "已修复并通车"})
    assert d.state == "reported" and d.reported_on_time is True
    d.refresh_from_db()
    assert d.clock.state == ClockState.MET
    with pytest.raises(Conflict):
        services.act(w.leader, d, "accept", version=d.version - 1)
    with pytest.raises(InvalidInput):
        services.act(w.leader, d, "reject", note="路面仍有坑洼", payload={})
    d = services.act(w.leader, d, "reject", note="路面仍有坑洼", payload={"due_date": "2026-03-11"})
    assert d.state == "open" and d.reject_count == 1 and d.due_date == datetime.date(2026, 3, 11)
    assert d.clock.state == ClockState.RUNNING and d.clock.due_at == at(2026, 3, 11, 23, 59, 59)
    assert Notification.objects.filter(kind="meetings.rejected", recipient=w.street).exists()
    time_machine.move_to(at(2026, 3, 12, 10), tick=False)
    d = services.act(w.street, d, "report", payload={"report": "已重新铺设"})
    assert d.reported_on_time is False
    d = services.act(w.leader, d, "accept", note="现场验收合格")
    assert d.state == "accepted" and d.accepted_at is not None
    assert set(AuditEvent.objects.filter(object_id=str(d.pk), action__startswith="decision.")
               .values_list("action", flat=True)) == {"decision.create", "decision.report", "decision.reject",
                                                       "decision.accept"}


def test_minutes_are_issued_once_and_decisions_freeze(units, held, time_machine):
    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    m = held(at(2026, 3, 2, 9))
    services.do_add_decision(w.leader, m, content="完成道路修复", owner=w.street_org,
                             due_date=datetime.date(2026, 3, 6))
    m.refresh_from_db()
    m = services.act(w.leader, m, "issue_minutes", version=m.version)
    m = Meeting.objects.get(pk=m.pk)
    assert m.state == "minuted" and m.minutes is not None and m.minutes.name == "LX2026001会议纪要.docx"
    assert Notification.objects.filter(kind="meetings.minutes", recipient=w.street).exists()
    with pytest.raises(RuleViolation):
        services.do_add_decision(w.leader, m, content="再议", owner=w.street_org, due_date=datetime.date(2026, 3, 6))
    with pytest.raises(RuleViolation):
        services.act(w.leader, m, "issue_minutes")
    with pytest.raises(RuleViolation):
        services.do_set_attendance(w.leader, m, [{"org": w.street2, "present": True}])


def test_escalated_whistles_join_the_next_joint_meeting(units, body, time_machine):
    """The whistle ladder's last rung puts a whistle on the next joint meeting's agenda: when the meeting is
    scheduled, and when it is held for whistles escalated in between; a cancelled meeting hands them on."""
    from django.utils import timezone

    from kaifaqu.whistle import services as whistle_services
    from kaifaqu.whistle.models import Whistle

    w = units
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)

    def escalated(title, lead):
        found = whistle_services.do_blow(w.leader, w.zone, kind="key_task", title=title, description="久拖未决",
                                         matter="征地拆迁", lead=lead)
        Whistle.objects.filter(pk=found.pk).update(escalated_at=timezone.now())
        return found

    first = escalated("拆迁户阻工", w.street_org)
    pairing = services.do_schedule(w.leader, w.zone, kind="pairing", title="3月项目结对月例会",
                                   starts_at=at(2026, 3, 10, 9), place="会议室")
    assert not pairing.agenda.filter(source="whistle").exists()
    m = services.do_schedule(w.leader, w.zone, kind="joint", title="联席会议", starts_at=at(2026, 3, 10, 9),
                             place="会议室")
    item = m.agenda.get()
    assert (item.source, item.source_id, item.source_ref, item.presenter) == ("whistle", first.pk, first.number,
                                                                               w.street_org)
    assert item.added_automatically and Notification.objects.filter(kind="meetings.agenda",
                                                                   recipient=w.leader).exists()
    second = escalated("管网接入", w.street2)
    with pytest.raises(InvalidInput):  # already on an agenda
        services.do_add_agenda_item(w.leader, m, source="whistle", source_id=first.pk)
    services.act(w.leader, m, "cancel", note="改期")
    later = services.do_schedule(w.leader, w.zone, kind="joint", title="联席会议（改期）", starts_at=at(2026, 3, 17, 9),
                                 place="会议室")
    assert set(later.agenda.values_list("source_id", flat=True)) == {first.pk, second.pk}
    third = escalated("企业用电增容", w.city_dept)
    assert services.pending_whistles(w.zone.pk) == [third]
    services.act(w.leader, later, "hold")
    assert later.agenda.filter(source="whistle").count() == 3 and services.pending_whistles(w.zone.pk) == []


def test_stuck_projects_join_the_pairing_meeting(units, body, time_machine):
    from kaifaqu.invest import services as invest_services

    w = units
    time_machine.move_to(at(2026, 6, 1, 9), tick=False)
    project = invest_services.do_create_project(
        w.leader, w.zone, name="智能装备产业园项目", industry_code="3990", lead_on=datetime.date(2026, 1, 5),
        responsible_org=w.department, paired_leader="周建国")
    m = services.do_schedule(w.leader, w.zone, kind="pairing", title="6月项目结对月例会", starts_at=at(2026, 6, 2, 9),
                             place="会议室")
    item = m.agenda.get()
    assert (item.source, item.source_id, item.presenter) == ("project", project.pk, w.department)
    assert "结对领导：周建国" in item.description
    again = services.do_schedule(w.leader, w.zone, kind="pairing", title="再议", starts_at=at(2026, 6, 3, 9),
                                 place="会议室")
    assert not again.agenda.exists()  # once per meeting in preparation
    with pytest.raises(InvalidInput):
        services.do_add_agenda_item(w.leader, again, source="project", source_id=project.pk)
    services.do_add_agenda_item(w.leader, m, title="其他事项")
    services.act(w.leader, m, "hold")
    assert services.stuck_projects(w.zone.pk) == [project]  # reviewed again next month
    assert len(Decision.objects.all()) == 0
