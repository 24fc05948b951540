"""The automatic follow-up: overdue → 催办 → (N working days) 督办 → (N working days) 提交联席会议, run by tick through
the clocks' ladder, across the 2026 National Day holiday (10/1–10/7 off, Saturday 10/10 worked)."""

from kaifaqu.core import tick
from kaifaqu.core.clock.models import ClockState
from kaifaqu.core.notify.models import Notification
from kaifaqu.whistle import queries
from kaifaqu.whistle.models import Urge
from kaifaqu.whistle.services import act
from tests.whistle.conftest import at


def test_urge_supervise_escalate_across_national_day(world, blow, time_machine):
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    w = blow(supporters=[world.street_org])
    lead = w.assignments.get(role="lead")
    support = w.assignments.get(role="support")
    act(world.street, support, "report_in")  # the supporting unit reports in and solves at once: no ladder for it
    act(world.street, support, "solve", payload={"result": "已配合完成围挡"})
    # 1 working day from Wednesday 9/30: the holiday counts nothing, due Thursday 10/8 23:59:59.
    assert lead.report_clock.due_at == at(2026, 10, 8, 23, 59, 59)

    time_machine.move_to(at(2026, 10, 8, 23, 59, 58), tick=False)
    tick.run()
    assert not Urge.objects.exists()

    time_machine.move_to(at(2026, 10, 9, 0, 0, 5), tick=False)
    tick.run()
    lead.refresh_from_db()
    assert lead.report_clock.state == ClockState.OVERDUE
    urge = Urge.objects.get(level="urge")
    assert urge.assignment == lead and urge.clock == lead.report_clock and lead.urge_count == 1
    assert Notification.objects.filter(kind="whistle.urge", recipient=world.city_clerk).exists()
    assert not Notification.objects.filter(kind="whistle.urge", recipient=world.street).exists()
    # 2 working days after the urge (zone default): Friday 10/9 and Saturday 10/10 (调休, worked).
    assert urge.next_clock.due_at == at(2026, 10, 10, 23, 59, 59)

    time_machine.move_to(at(2026, 10, 10, 23, 59), tick=False)
    tick.run()
    assert not Urge.objects.filter(level="supervise").exists()
    time_machine.move_to(at(2026, 10, 11, 0, 0, 1), tick=False)
    tick.run()
    supervise = Urge.objects.get(level="supervise")
    assert supervise.clock == lead.report_clock
    assert Notification.objects.filter(kind="whistle.supervise", recipient=world.leader).exists()
    # 3 working days after supervision: Monday 10/12 – Wednesday 10/14 (Sunday 10/11 off).
    assert supervise.next_clock.due_at == at(2026, 10, 14, 23, 59, 59)

    time_machine.move_to(at(2026, 10, 15, 8), tick=False)
    tick.run()
    tick.run()  # idempotent: nothing fires twice
    assert Urge.objects.filter(level="escalate").count() == 1
    w.refresh_from_db()
    lead.refresh_from_db()
    assert w.escalated_at is not None and lead.escalated_at is not None
    assert list(queries.escalated_whistles(world.zone.pk)) == [w]
    labels = [s.label for s in queries.timeline(world.leader, w, queries.assignments_of(world.leader, w))]
    assert labels.count("催办") == 1 and labels.count("督办") == 1 and labels.count("提交联席会议") == 1
    assert lead.urge_count == 1 and lead.supervise_count == 1


def test_acting_stops_the_ladder(world, blow, time_machine):
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)
    w = blow()
    lead = w.assignments.get()
    time_machine.move_to(at(2026, 10, 9, 9), tick=False)
    tick.run()
    assert Urge.objects.filter(level="urge").count() == 1
    act(world.city_clerk, lead, "report_in")  # late, but now reported in
    lead.refresh_from_db()
    assert lead.reported_on_time is False and lead.report_clock.state == ClockState.MET_LATE
    assert Urge.objects.get().next_clock.state in (ClockState.MET, ClockState.MET_LATE)
    time_machine.move_to(at(2026, 10, 20, 9), tick=False)
    tick.run()
    assert not Urge.objects.filter(level="supervise", clock=lead.report_clock).exists()
    # the plan clock (3 working days from the late report-in, due 10/14) has its own ladder
    assert Urge.objects.filter(level="urge", clock=lead.plan_clock).exists()


def test_emergency_urged_at_the_minute(world, blow, time_machine):
    time_machine.move_to(at(2026, 10, 1, 9, 10), tick=False)
    w = blow(kind="emergency")
    time_machine.move_to(at(2026, 10, 1, 9, 39), tick=False)
    tick.run()
    assert not Urge.objects.exists()
    assert Notification.objects.filter(kind="clock.warning", recipient=world.city_clerk).exists()  # 10 minutes left
    time_machine.move_to(at(2026, 10, 1, 9, 40), tick=False)
    tick.run()
    assert Urge.objects.get().clock == w.assignments.get().report_clock
