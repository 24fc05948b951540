"""A change of the calendar moves the running limits that count the changed day, as the law counts them."""

import datetime

import time_machine
from django.utils import timezone

from kaifaqu.core import clock
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.calendar.services import do_remove_override, do_set_override, do_set_working_hours, parse_periods
from kaifaqu.core.clock.models import ClockState

D = datetime.date
TZ = timezone.get_default_timezone()


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def test_a_zone_day_off_moves_its_working_day_limits_and_nothing_else(world):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        mine = clock.start(world.leader, world.department, kind="t", unit="workdays", limit=10)
        days = clock.start(world.leader, world.department, kind="t", unit="days", limit=10)
        theirs = clock.start(world.outsider, world.other_org, kind="t", unit="workdays", limit=10)
        short = clock.start(world.leader, world.street_org, kind="t", unit="workdays", limit=2)
        assert mine.due_at == at(2026, 3, 16, 23, 59, 59) and short.due_at == at(2026, 3, 4, 23, 59, 59)
        row = do_set_override(world.sysadmin, date=D(2026, 3, 5), is_workday=False, reason="本区防汛停工",
                              zone=world.zone)
        for c in (mine, days, theirs, short):
            c.refresh_from_db()
        assert mine.due_at == at(2026, 3, 17, 23, 59, 59) and mine.version == 2
        assert days.due_at == at(2026, 3, 12, 23, 59, 59) and days.version == 1  # calendar days do not move
        assert theirs.due_at == at(2026, 3, 16, 23, 59, 59)  # another zone
        assert short.due_at == at(2026, 3, 4, 23, 59, 59) and short.version == 1  # due before the day
        event = AuditEvent.objects.get(action="clock.recompute")
        assert event.object_id == str(world.department.pk) and "本区防汛停工" in event.reason
        do_remove_override(world.sysadmin, row, reason="取消")
        mine.refresh_from_db()
        assert mine.due_at == at(2026, 3, 16, 23, 59, 59)


def test_an_overdue_limit_given_a_day_off_before_expiry_runs_again(world):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        c = clock.start(world.leader, world.department, kind="t", unit="workdays", limit=3)
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        clock.run_due(timezone.now())
        c.refresh_from_db()
        assert c.state == ClockState.OVERDUE
        do_set_override(world.sysadmin, date=D(2026, 3, 4), is_workday=False, reason="全市停电", zone=world.zone)
        c.refresh_from_db()
        assert (c.state, c.due_at, c.overdue_at) == (ClockState.RUNNING, at(2026, 3, 6, 23, 59, 59), None)


def test_new_working_hours_move_working_hour_limits(world):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        c = clock.start(world.leader, world.department, kind="t", unit="workhours", limit=8)
        assert c.due_at == at(2026, 3, 3, 9, 30)  # 3 + 4 hours on Monday, 1 more on Tuesday from 8:30
        do_set_working_hours(world.sysadmin, periods=parse_periods("9:00-12:00, 14:00-18:00"), zone=world.zone)
        c.refresh_from_db()
        assert c.due_at == at(2026, 3, 3, 10, 0)  # 3 + 4 hours on Monday, 1 more on Tuesday from 9:00
