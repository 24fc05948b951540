"""Blowing a whistle and every transition of the two state tables, through the services."""

import datetime

import pytest

from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.clock.models import ClockState
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from kaifaqu.core.notify.models import Notification
from kaifaqu.core.webhooks.models import WebhookDelivery
from kaifaqu.core.webhooks.services import do_create_webhook
from kaifaqu.whistle import services
from kaifaqu.whistle.models import Assignment, AssignmentEvent, Whistle, WhistleEvent
from kaifaqu.whistle.services import act
from tests.whistle.conftest import at


def test_blow_a_key_task_whistle_gives_each_unit_its_own_clock_and_notice(world, blow, time_machine):
    time_machine.move_to(at(2026, 3, 2, 10), tick=False)
    do_create_webhook(SYSTEM, world.street_org, url="https://example.org/hook")
    w = blow(supporters=[world.street_org])
    assert w.number == "CS202600001" and w.state == "open"
    lead, support = w.assignments.order_by("id")
    assert (lead.org, lead.role, support.org, support.role) == (world.city_dept, "lead", world.street_org, "support")
    assert lead.report_clock_id != support.report_clock_id
    # 1 working day from Monday 10:00: due Tuesday 23:59:59.
    assert lead.report_clock.unit == "workdays"
    assert lead.report_clock.due_at == at(2026, 3, 3, 23, 59, 59)
    assert Notification.objects.filter(kind="whistle.dispatched", recipient=world.city_clerk).exists()
    assert Notification.objects.filter(kind="whistle.dispatched", recipient=world.street).exists()
    assert WebhookDelivery.objects.filter(kind="whistle.dispatched").count() == 1
    assert AuditEvent.objects.filter(action="whistle.blow", object_id=str(w.pk)).exists()


def test_an_emergency_counts_minutes_and_hours(world, blow, time_machine):
    time_machine.move_to(at(2026, 10, 1, 9, 10), tick=False)  # National Day: clock time counts anyway
    w = blow(kind="emergency")
    a = w.assignments.get()
    assert a.report_clock.unit == "minutes" and a.report_clock.due_at == at(2026, 10, 1, 9, 40)
    assert a.solve_clock.unit == "hours" and a.solve_clock.due_at == at(2026, 10, 2, 9, 10)


def test_blow_refuses_bad_input_and_writes_nothing(world, blow):
    from kaifaqu.org.models import Org

    with pytest.raises(InvalidInput) as exc:
        blow(title=" ")
    assert "title" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        blow(lead=world.other_org)  # a unit of another zone
    assert "lead" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        blow(lead=world.enterprise_org)  # not a unit that answers whistles
    assert "lead" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        blow(supporters=[world.city_dept])  # the lead again
    assert "supporters" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        blow(kind="other")
    assert "kind" in exc.value.fields
    with pytest.raises(RuleViolation) as exc:
        services.do_blow(world.leader, world.zone, kind="key_task", title="t", description="d", matter="其他")
    assert "lead" in exc.value.fields  # no lead and no responsibility matrix to propose one
    with pytest.raises(Forbidden):
        services.do_blow(world.street, world.zone, kind="key_task", title="t", description="d", matter="其他",
                         lead=world.city_dept)
    with pytest.raises(NotFound):
        services.do_blow(world.outsider, world.zone, kind="key_task", title="t", description="d", matter="其他",
                         lead=world.city_dept)
    assert not Whistle.objects.exists() and not Assignment.objects.exists()
    assert Org.objects.filter(zone=world.zone).exists()


def test_key_task_walk_report_plan_progress_solve_visit_rate(world, blow, time_machine):
    time_machine.move_to(at(2026, 3, 2, 10), tick=False)
    w = blow()
    a = w.assignments.get()
    time_machine.move_to(at(2026, 3, 2, 11), tick=False)
    a = act(world.city_clerk, a, "report_in", version=a.version)
    assert a.state == "reported" and a.reported_on_time is True
    a.refresh_from_db()
    assert a.report_clock.state == ClockState.MET
    assert a.plan_clock.unit == "workdays" and a.plan_clock.due_at == at(2026, 3, 5, 23, 59, 59)
    with pytest.raises(RuleViolation) as exc:  # reporting in twice
        act(world.city_clerk, a, "report_in")
    assert exc.value.code == "invalid_transition" and exc.value.extra["state"] == "reported"
    assert "solve" in exc.value.extra["allowed_actions"]
    with pytest.raises(InvalidInput) as exc:  # a committed date beyond the limit
        act(world.city_clerk, a, "plan", payload={"plan": "方案", "committed_date": "2026-06-30"})
    assert "committed_date" in exc.value.fields
    a = act(world.city_clerk, a, "plan", note="需协调施工单位", payload={"plan": "分两段修复", "committed_date": "2026-03-13"})
    a.refresh_from_db()
    assert a.state == "planned" and a.plan_clock.state == ClockState.MET
    assert a.solve_clock.due_at == at(2026, 3, 13, 23, 59, 59)
    act(world.city_clerk, a, "progress", note="第一段已修复")
    with pytest.raises(InvalidInput) as exc:  # solving without a result
        act(world.city_clerk, a, "solve", payload={"result": ""})
    assert "result" in exc.value.fields
    time_machine.move_to(at(2026, 3, 10, 15), tick=False)
    a = act(world.city_clerk, a, "solve", payload={"result": "两段均已修复通车"})
    assert a.solved_on_time is True
    w.refresh_from_db()
    assert w.state == "solved"  # all assignments solved: the zone's follow-up visit is due
    assert WhistleEvent.objects.filter(whistle=w, action="complete").exists()
    with pytest.raises(RuleViolation):  # rating before the visit
        act(world.leader, w, "rate", payload={"rating": "satisfied"})
    w = act(world.leader, w, "visit", note="电话回访企业，已恢复通行")
    w = act(world.leader, w, "rate", payload={"rating": "satisfied", "comment": "处置及时"})
    assert w.state == "closed" and w.rating == "satisfied"


def test_rating_before_all_assignments_are_solved_is_refused(world, blow):
    w = blow(supporters=[world.street_org])
    lead = w.assignments.get(role="lead")
    act(world.city_clerk, lead, "report_in")
    act(world.city_clerk, lead, "solve", payload={"result": "已解决"})
    w.refresh_from_db()
    assert w.state == "open"
    with pytest.raises(RuleViolation) as exc:
        act(world.leader, w, "rate", payload={"rating": "satisfied"})
    assert "办理中" in exc.value.detail


def test_unsatisfied_sends_it_back_to_the_lead_with_a_fresh_clock(world, blow, time_machine):
    time_machine.move_to(at(2026, 3, 2, 10), tick=False)
    w = blow(kind="emergency")
    a = w.assignments.get()
    act(world.city_clerk, a, "report_in")
    act(world.city_clerk, a, "solve", payload={"result": "已临时封闭"})
    act(world.leader, w, "visit", note="现场查看")
    with pytest.raises(InvalidInput) as exc:
        act(world.leader, w, "rate", payload={"rating": "unsatisfied"})
    assert "comment" in exc.value.fields
    time_machine.move_to(at(2026, 3, 3, 9), tick=False)
    w = act(world.leader, w, "rate", payload={"rating": "unsatisfied", "comment": "未彻底修复"})
    w.refresh_from_db()
    a.refresh_from_db()
    assert w.state == "open" and w.rework_count == 1
    assert a.state == "reported" and a.rework_count == 1
    assert a.solve_clock.state == ClockState.RUNNING and a.solve_clock.due_at == at(2026, 3, 4, 9)
    assert Notification.objects.filter(kind="whistle.rework", recipient=world.city_clerk).exists()
    assert list(AssignmentEvent.objects.filter(assignment=a).values_list("action", flat=True)) == [
        "report_in", "solve", "rework"]
    act(world.city_clerk, a, "solve", payload={"result": "已彻底修复"})
    w.refresh_from_db()
    assert w.state == "solved"


def test_return_and_redispatch_records_the_time_with_the_wrong_unit(world, blow, time_machine):
    time_machine.move_to(at(2026, 3, 2, 10), tick=False)
    w = blow()
    wrong = w.assignments.get()
    with pytest.raises(InvalidInput):
        act(world.city_clerk, wrong, "return")  # a reason is required
    time_machine.move_to(at(2026, 3, 3, 16), tick=False)
    act(world.city_clerk, wrong, "return", note="不属于本局职责，应由街道负责")
    wrong.refresh_from_db()
    assert wrong.state == "returned" and wrong.return_reason.startswith("不属于")
    assert wrong.report_clock.state == ClockState.MET
    assert Notification.objects.filter(kind="whistle.returned", recipient=world.leader).exists()
    with pytest.raises(InvalidInput) as exc:
        act(world.leader, w, "redispatch", payload={"assignment": wrong.pk, "org": world.city_dept.pk})
    assert "org" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        act(world.leader, w, "redispatch", payload={"assignment": wrong.pk, "org": world.other_org.pk})
    assert "org" in exc.value.fields
    act(world.leader, w, "redispatch", payload={"assignment": wrong.pk, "org": world.street_org.pk})
    new = w.assignments.get(org=world.street_org)
    assert new.replaces == wrong and new.role == "lead" and new.state == "dispatched"
    assert new.report_clock.started_at == at(2026, 3, 3, 16)
    from kaifaqu.whistle.queries import timeline

    labels = [s.label for s in timeline(world.leader, w, list(w.assignments.select_related("org")))]
    assert "退回（在错派单位用时）" in labels and "派发（改派）" in labels
    with pytest.raises(InvalidInput):  # already re-dispatched
        act(world.leader, w, "redispatch", payload={"assignment": wrong.pk, "org": world.stationed_org.pk})


def test_extension_requested_granted_refused_and_too_late(world, blow, time_machine):
    time_machine.move_to(at(2026, 3, 2, 10), tick=False)
    w = blow()
    a = w.assignments.get()
    act(world.city_clerk, a, "report_in")
    a.refresh_from_db()
    due = a.plan_clock.due_at
    act(world.city_clerk, a, "request_extension", note="需现场勘测", payload={"amount": 2})
    with pytest.raises(RuleViolation):  # one pending request at a time
        act(world.city_clerk, a, "request_extension", note="再延", payload={"amount": 1})
    assert Notification.objects.filter(kind="whistle.extension", recipient=world.leader).exists()
    act(world.leader, w, "grant_extension", payload={"assignment": a.pk})
    a.refresh_from_db()
    assert a.plan_clock.due_at == at(2026, 3, 9, 23, 59, 59) and due == at(2026, 3, 5, 23, 59, 59)
    assert a.ext_requested_at is None and a.extensions == 1
    with pytest.raises(InvalidInput):  # nothing pending any more
        act(world.leader, w, "grant_extension", payload={"assignment": a.pk})
    act(world.city_clerk, a, "request_extension", note="仍需时间", payload={"amount": 1})
    with pytest.raises(InvalidInput):
        act(world.leader, w, "refuse_extension", payload={"assignment": a.pk})  # a reason is required
    act(world.leader, w, "refuse_extension", note="时限已足", payload={"assignment": a.pk})
    a.refresh_from_db()
    assert a.ext_requested_at is None and a.extensions == 1
    time_machine.move_to(at(2026, 3, 10, 9), tick=False)
    with pytest.raises(RuleViolation) as exc:  # after expiry
        act(world.city_clerk, a, "request_extension", note="晚了", payload={"amount": 1})
    assert "到期" in exc.value.detail


def test_units_act_on_their_own_assignments_only(units, blow):
    world = units
    w = blow(lead=world.street_org, supporters=[world.street2])
    a = w.assignments.get(org=world.street_org)
    with pytest.raises(NotFound):  # another unit's assignment: not even visible
        act(world.street2_user, a, "report_in")
    with pytest.raises(NotFound):
        act(world.outsider, a, "report_in")
    with pytest.raises(Forbidden):  # the zone sees it but is not the addressed unit
        act(world.clerk, a, "report_in")
    assert Whistle.objects.visible_to(world.street2_user).count() == 1
    assert list(Assignment.objects.visible_to(world.street2_user)) == [w.assignments.get(org=world.street2)]


def test_stale_version_loses(world, blow):
    w = blow()
    a = w.assignments.get()
    first = a.version
    act(world.city_clerk, a, "report_in", version=first)
    with pytest.raises(Conflict):
        act(world.city_clerk, a, "solve", version=first, payload={"result": "x"})
    a.refresh_from_db()
    assert a.state == "reported"


def test_system_steps_cannot_be_called_by_people(world, blow):
    w = blow()
    a = w.assignments.get()
    for action in ("urge", "supervise", "escalate"):
        with pytest.raises(Forbidden):
            act(world.leader, a, action, payload={"clock": a.report_clock_id})
    with pytest.raises(Forbidden):
        act(world.leader, w, "complete")


def test_policy_is_the_zones_and_applies_to_new_whistles(world, blow):
    with pytest.raises(Forbidden):
        services.do_set_policy(world.clerk, world.zone, "emergency", report_in_limit=20)
    with pytest.raises(InvalidInput) as exc:
        services.do_set_policy(world.leader, world.zone, "emergency", report_in_limit=0)
    assert "report_in_limit" in exc.value.fields
    p = services.do_set_policy(world.leader, world.zone, "emergency", report_in_limit=20, solve_limit=12)
    with pytest.raises(Conflict):
        services.do_set_policy(world.leader, world.zone, "emergency", version=p.version + 5, solve_limit=10)
    w = blow(kind="emergency", now=datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC))
    a = w.assignments.get()
    assert a.report_clock.limit == 20 and a.solve_clock.limit == 12
    assert AuditEvent.objects.filter(action="whistle.set_policy").exists()


def test_the_lead_is_proposed_by_the_responsibility_matrix_when_powers_is_installed(world, monkeypatch):
    import sys
    import types

    from django.apps import apps

    asked = []

    def lead_units_for(zone, matter, park=None):
        asked.append((zone, matter, park))
        return [world.street_org]

    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "kaifaqu.powers" or installed(name))
    monkeypatch.setitem(sys.modules, "kaifaqu.powers.queries", types.SimpleNamespace(lead_units_for=lead_units_for))
    w = services.do_blow(world.leader, world.zone, kind="key_task", title="t", description="d", matter="环境卫生",
                         park=world.park)
    assert asked == [(world.zone, "环境卫生", world.park)]
    a = w.assignments.get()
    assert a.org == world.street_org and a.role == "lead" and w.lead_proposed
    # a unit chosen by the blower wins over the proposal
    w = services.do_blow(world.leader, world.zone, kind="key_task", title="t", description="d", matter="环境卫生",
                         lead=world.city_dept)
    assert w.assignments.get().org == world.city_dept and not w.lead_proposed
