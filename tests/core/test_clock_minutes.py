"""Wall-clock minutes: the unit of a limit counted in minutes (an emergency's report-in within 30 minutes)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from kaifaqu.core import clock
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.clock import Step
from kaifaqu.core.clock.models import ClockEscalation, ClockStatus
from kaifaqu.core.errors import InvalidInput

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SH)


def test_minutes_count_wall_clock_time_over_a_holiday(world):
    # National Day: the holiday changes nothing for wall-clock minutes.
    c = clock.start(SYSTEM, world.department, kind="test", unit="minutes", limit=30, started_at=at(2026, 10, 1, 9, 10))
    assert c.due_at == at(2026, 10, 1, 9, 40)
    assert c.warn_at == at(2026, 10, 1, 9, 30)  # CLOCK_WARN_MINUTES = 10
    assert c.status_at(at(2026, 10, 1, 9, 29, 59)) == ClockStatus.NORMAL
    assert c.status_at(at(2026, 10, 1, 9, 30)) == ClockStatus.WARNING
    assert c.status_at(at(2026, 10, 1, 9, 40)) == ClockStatus.OVERDUE
    assert clock.elapsed(c, at(2026, 10, 1, 9, 25)) == pytest.approx(15)


def test_minutes_limits_are_bounded(world):
    with pytest.raises(InvalidInput):
        clock.start(SYSTEM, world.department, kind="test", unit="minutes", limit=20001)


def test_a_minutes_ladder_fires_at_the_minute(world):
    clock.register_ladder("test.ladder.zero", steps=[Step("remind", before=5, unit="minutes"),
                                                     Step("urge", after=0, unit="minutes")])
    try:
        c = clock.start(SYSTEM, world.department, kind="test.ladder.zero", unit="minutes", limit=30,
                        started_at=at(2026, 3, 2, 9, 0))
        assert c.next_step_at == at(2026, 3, 2, 9, 25)
        assert clock.run_ladder(at(2026, 3, 2, 9, 24, 59))["steps"] == 0
        assert clock.run_ladder(at(2026, 3, 2, 9, 25))["steps"] == 1
        assert clock.run_ladder(at(2026, 3, 2, 9, 30))["steps"] == 1
        assert set(ClockEscalation.objects.filter(clock=c).values_list("step", flat=True)) == {"remind", "urge"}
    finally:
        clock.LADDERS.pop("test.ladder.zero", None)
