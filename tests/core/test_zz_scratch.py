import datetime
import time
from zoneinfo import ZoneInfo

from kaifaqu.core import calendar as cal
from kaifaqu.core import clock
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.calendar_services import do_set_override

SH = ZoneInfo("Asia/Shanghai")


def at(*a):
    return datetime.datetime(*a, tzinfo=SH)


def test_perf(world):
    for y in range(2027, 2041):
        do_set_override(SYSTEM, date=datetime.date(y, 1, 1), is_workday=False, reason="元旦")
    t0 = time.time()
    due = clock.compute("workhours", 20000, at(2026, 3, 2, 9), [], 0)
    print("20000 wh", due, time.time() - t0)
    t0 = time.time()
    print(cal.working_time_between(at(2026, 3, 2, 9), due.due_at), time.time() - t0)
    t0 = time.time()
    due = clock.compute("workdays", 2500, at(2026, 3, 2, 9), [], 0)
    print("2500 wd", due, time.time() - t0)
    c = clock.start(SYSTEM, world.department, kind="t", unit="workhours", limit=20000, started_at=at(2026, 3, 2, 9))
    t0 = time.time()
    print(clock.elapsed(c, c.due_at), time.time() - t0)
    # amount 0 and period boundaries
    print("zero at 12:00", cal.add_working_time(at(2026, 3, 9, 12), datetime.timedelta(0)))
    print("zero at 17:30", cal.add_working_time(at(2026, 3, 9, 17, 30), datetime.timedelta(0)))
    print("sub zero 13:30", cal.subtract_working_time(at(2026, 3, 9, 13, 30), datetime.timedelta(0)))
