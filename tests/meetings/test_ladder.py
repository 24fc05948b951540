"""A decision's follow-up on core's ladder, run by tick: 提醒 on the last working day, 催办 at expiry (the owner unit
and its head), 督办 three working days later (the zone's leaders too), across the 2026 National Day holiday
(10/1–10/7 off, Saturday 10/10 worked)."""

import datetime

from kaifaqu.core import tick
from kaifaqu.core.clock.models import ClockState
from kaifaqu.core.notify.models import Notification
from kaifaqu.meetings import services
from kaifaqu.meetings.models import DecisionEvent
from tests.meetings.conftest import at


def rungs(d):
    return list(DecisionEvent.objects.filter(decision=d, action__in=("remind", "urge", "supervise"))
                .values_list("action", flat=True).order_by("id"))


def notified(kind, user):
    return Notification.objects.filter(kind=kind, recipient=user).exists()


def test_remind_urge_supervise_across_national_day(units, held, time_machine):
    w = units
    time_machine.move_to(at(2026, 9, 29, 10), tick=False)
    m = held(at(2026, 9, 29, 10))
    d = services.do_add_decision(w.leader, m, content="完成拆迁户安置协议签订", owner=w.street_org,
                                 due_date=datetime.date(2026, 10, 9))
    # 9/30, 10/8 and 10/9 are the working days after the meeting day: the holiday counts nothing.
    assert d.clock.limit == 3 and d.clock.due_at == at(2026, 10, 9, 23, 59, 59)

    time_machine.move_to(at(2026, 10, 8, 23, 59), tick=False)
    tick.run()
    assert rungs(d) == []
    time_machine.move_to(at(2026, 10, 9, 0, 0, 5), tick=False)
    tick.run()
    assert rungs(d) == ["remind"]
    assert notified("meetings.remind", w.street) and notified("meetings.remind", w.street_head)

    time_machine.move_to(at(2026, 10, 9, 23, 59, 58), tick=False)
    tick.run()
    assert rungs(d) == ["remind"]
    time_machine.move_to(at(2026, 10, 10, 0, 0, 5), tick=False)  # Saturday, an adjusted working day
    tick.run()
    d.refresh_from_db()
    assert rungs(d) == ["remind", "urge"] and d.urge_count == 1
    assert notified("meetings.urge", w.street) and notified("meetings.urge", w.street_head)
    assert not notified("meetings.urge", w.street2_user) and not notified("meetings.urge", w.leader)

    # 3 working days after the due date: Saturday 10/10, Monday 10/12, Tuesday 10/13 (Sunday 10/11 off).
    time_machine.move_to(at(2026, 10, 12, 23, 59), tick=False)
    tick.run()
    assert rungs(d) == ["remind", "urge"]
    time_machine.move_to(at(2026, 10, 13, 0, 0, 5), tick=False)
    tick.run()
    tick.run()  # idempotent: nothing fires twice
    d.refresh_from_db()
    assert rungs(d) == ["remind", "urge", "supervise"] and d.supervise_count == 1
    assert notified("meetings.supervise", w.leader) and notified("meetings.supervise", w.street_head)
    assert d.clock.state == ClockState.OVERDUE

    time_machine.move_to(at(2026, 10, 14, 9), tick=False)
    d = services.act(w.street, d, "report", payload={"report": "协议已签订"})
    d.refresh_from_db()
    assert d.reported_on_time is False and d.clock.state == ClockState.MET_LATE


def test_reporting_in_time_stops_the_ladder(units, held, time_machine):
    w = units
    time_machine.move_to(at(2026, 9, 29, 10), tick=False)
    m = held(at(2026, 9, 29, 10))
    d = services.do_add_decision(w.leader, m, content="报送项目清单", owner=w.street2,
                                 due_date=datetime.date(2026, 10, 9))
    time_machine.move_to(at(2026, 10, 8, 16), tick=False)
    services.act(w.street2_user, d, "report", payload={"report": "已报送"})
    time_machine.move_to(at(2026, 10, 20, 9), tick=False)
    tick.run()
    d.refresh_from_db()
    assert rungs(d) == [] and d.reported_on_time is True and d.clock.state == ClockState.MET
    # sent back with a new deadline: a fresh clock with its own ladder
    d = services.act(w.leader, d, "reject", note="清单缺少投资额", payload={"due_date": "2026-10-22"})
    time_machine.move_to(at(2026, 10, 22, 8), tick=False)
    tick.run()
    time_machine.move_to(at(2026, 10, 23, 0, 0, 5), tick=False)
    tick.run()
    assert rungs(d) == ["remind", "urge"]
