"""Working hours, pause counters, display status, warning notifications and the escalation ladder.

Every expectation is computed by hand on the 2026 official calendar (checked against chinesecalendar): Spring
Festival 2/15–2/23 off; Saturdays 2/14 and 2/28 are working days (调休); the default working periods are
08:30–12:00 (3.5 h) and 13:30–17:30 (4 h), i.e. 7.5 working hours a working day.
"""

import datetime
import threading
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template

from kaifaqu.core import calendar, clock, tick
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.calendar import compute
from kaifaqu.core.calendar.models import WorkingPeriod
from kaifaqu.core.calendar.services import do_set_working_hours, parse_periods
from kaifaqu.core.clock import Step
from kaifaqu.core.clock.models import ClockEscalation, ClockState, ClockStatus, DeadlineClock
from kaifaqu.core.errors import Forbidden, InvalidInput, RuleViolation
from kaifaqu.core.notify.models import Notification

SH = ZoneInfo("Asia/Shanghai")
T = datetime.time


def at(*args):
    return datetime.datetime(*args, tzinfo=SH)


# Working hours -------------------------------------------------------------------------------------------------

def test_48_working_hours_across_a_weekend_and_an_adjusted_saturday(world):
    # Fri 2/6 14:30–17:30 3 h; Mon 2/9 … Fri 2/13 5 × 7.5 = 37.5 h (40.5); Sat 2/14 (调休) 08:30–12:00 3.5 h (44)
    # and 13:30–17:30 4 h (48): due at 17:30 on the adjusted Saturday; the weekend 2/7–2/8 counts nothing.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=48, started_at=at(2026, 2, 6, 14, 30))
    assert c.due_at == at(2026, 2, 14, 17, 30)
    # 16 working hours before: 2/14 7.5 h, 2/13 afternoon 4 h and morning 3.5 h (15 h), 1 h more on Thu 2/12.
    assert c.warn_at == at(2026, 2, 12, 16, 30)
    # A 补正 pause Tue 2/10 11:00 → Wed 2/11 09:00 covers 11:00–12:00, 13:30–17:30 and 08:30–09:00: 5.5 h.
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 2, 10, 11))
    c.refresh_from_db()
    assert (c.state, c.due_at, c.pause_count) == (ClockState.PAUSED, None, 1)
    clock.resume(SYSTEM, c, at=at(2026, 2, 11, 9))
    c.refresh_from_db()
    # 5.5 h past Sat 2/14 17:30: the Spring Festival is off, Tue 2/24 08:30–12:00 3.5 h, then 2 h to 15:30.
    assert c.due_at == at(2026, 2, 24, 15, 30)
    # 16 h back from 2/24 15:30: 2 h + 3.5 h on 2/24, 7.5 h on Sat 2/14, the last 3 h on Fri 2/13 from 14:30.
    assert c.warn_at == at(2026, 2, 13, 14, 30)
    assert (c.pause_count, c.paused_total) == (1, 5.5)
    # Used by Wed 2/11 10:00: 3 + 7.5 + 7.5 + 1.5 = 19.5 h of working time, 5.5 h of it paused.
    assert clock.elapsed(c, at(2026, 2, 11, 10)) == 14.0


def test_working_hours_start_outside_working_time(world):
    # Saturday 3/7 is a plain weekend: counting starts Monday 3/9 08:30; 3.5 h to 12:00, the last 0.5 h from 13:30.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=4, started_at=at(2026, 3, 7, 10))
    assert c.due_at == at(2026, 3, 9, 14, 0)
    # Started in the lunch break: counting starts at 13:30.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=1, started_at=at(2026, 3, 9, 12, 30))
    assert c.due_at == at(2026, 3, 9, 14, 30)
    # Started at 17:29: one minute that day, 59 minutes the next morning.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=1, started_at=at(2026, 3, 9, 17, 29))
    assert c.due_at == at(2026, 3, 10, 9, 29)


def test_zone_working_hours_and_calendar_hours(world):
    do_set_working_hours(world.sysadmin, zone=world.zone, periods=[(T(14), T(18)), (T(9), T(12))])
    assert calendar.working_periods(world.zone.pk) == ((T(9), T(12)), (T(14), T(18)))
    assert calendar.working_periods(world.other_zone.pk) == calendar.DEFAULT_PERIODS
    # The zone's own table: Mon 3/9 09:00–12:00 3 h, then 1 h from 14:00.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=4, started_at=at(2026, 3, 7, 10))
    assert c.due_at == at(2026, 3, 9, 15, 0)
    # Calendar hours ignore working time altogether: 48 h from Sat 3/7 10:00 is Mon 3/9 10:00.
    c = clock.start(SYSTEM, world.department, kind="test", unit="hours", limit=48, started_at=at(2026, 3, 7, 10))
    assert c.due_at == at(2026, 3, 9, 10, 0)
    event = AuditEvent.objects.get(action="calendar.set_working_hours")
    assert event.after == {"periods": ["09:00-12:00", "14:00-18:00"]} and event.before == {"periods": []}


def test_working_hours_bad_input_writes_nothing(world):
    for periods in ([(T(8, 30), T(12)), (T(11), T(14))], [(T(12), T(8, 30))], [(T(9), T(9))]):
        with pytest.raises(RuleViolation) as exc:  # rules across periods: 422
            do_set_working_hours(world.sysadmin, zone=world.zone, periods=periods)
        assert "periods" in exc.value.fields
    with pytest.raises(RuleViolation, match="重叠"):
        do_set_working_hours(world.sysadmin, periods=parse_periods("08:30-12:00, 11:30-17:30"))
    with pytest.raises(InvalidInput, match="无法识别"):
        parse_periods("8点半到12点")
    with pytest.raises(Forbidden):
        do_set_working_hours(world.leader, periods=[(T(9), T(12))])
    assert not WorkingPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.set_working_hours").exists()


def test_working_hours_page(world, client_for):
    client = client_for(world.sysadmin)
    page = client.get("/core/calendar/").content.decode()
    assert "08:30–12:00、13:30–17:30（默认）" in page
    bad = client.post("/core/calendar/hours/", {"zone": world.zone.pk, "periods": "08:30-12:00, 11:00-17:30"})
    assert bad.status_code == 422 and "重叠" in bad.content.decode()  # the form again, with the rule broken
    assert not WorkingPeriod.objects.exists()
    ok = client.post("/core/calendar/hours/", {"zone": world.zone.pk, "periods": "09:00-12:00，14:00-18:00"})
    assert ok.status_code == 302
    assert "示范经济开发区：09:00–12:00、14:00–18:00" in client.get("/core/calendar/").content.decode()
    assert client_for(world.leader).post("/core/calendar/hours/", {"periods": "09:00-12:00"}).status_code == 403


# Command and API -----------------------------------------------------------------------------------------------

def test_deadline_command_all_units(world, capsys):
    for args, expected in [
        (("2026-02-13T10:00", "10", "workdays"), "2026-03-05T23:59:59+08:00"),
        (("2026-02-13T10:00", "30", "days"), "2026-03-15T23:59:59+08:00"),
        (("2026-02-06T14:30", "48", "workhours"), "2026-02-14T17:30:00+08:00"),
        (("2026-02-06T14:30", "48", "workhours", "--pause", "2026-02-10T11:00/2026-02-11T09:00"),
         "2026-02-24T15:30:00+08:00"),
        (("2026-03-07T10:00", "48", "hours"), "2026-03-09T10:00:00+08:00"),
    ]:
        call_command("deadline", *args)
        assert capsys.readouterr().out.strip() == expected, args
    do_set_working_hours(SYSTEM, zone=world.zone, periods=[(T(9), T(12)), (T(14), T(18))])
    call_command("deadline", "2026-03-07T10:00", "4", "workhours", "--zone", "demo")
    assert capsys.readouterr().out.strip() == "2026-03-09T15:00:00+08:00"
    call_command("deadline", "2026-03-07T10:00", "4", "workhours")
    assert capsys.readouterr().out.strip() == "2026-03-09T14:00:00+08:00"
    with pytest.raises(SystemExit) as exc:
        call_command("deadline", "2036-02-13T10:00", "8", "workhours")
    assert exc.value.code == 2 and "2036 年" in capsys.readouterr().err


def test_deadline_api_all_units(world, api_for):
    api = api_for(world.leader)

    class due:  # noqa: N801 (reads like the call it wraps)
        def __init__(self, **params):
            self.response = api.get("/api/v1/calendar/deadline", params)
            self.status_code = self.response.status_code

        def json(self):
            body = self.response.json()
            assert body.pop("provisional", False) is False  # 2026 is an official year
            return body

    assert due(start="2026-02-06T14:30", limit=48, unit="workhours").json() == {"due_at": "2026-02-14T17:30:00+08:00"}
    assert due(start="2026-02-06T14:30", limit=48, unit="workhours",
               pause="2026-02-10T11:00/2026-02-11T09:00").json() == {"due_at": "2026-02-24T15:30:00+08:00"}
    assert due(start="2026-03-07T10:00", limit=48, unit="hours").json() == {"due_at": "2026-03-09T10:00:00+08:00"}
    do_set_working_hours(SYSTEM, zone=world.zone, periods=[(T(9), T(12)), (T(14), T(18))])
    assert due(start="2026-03-07T10:00", limit=4, unit="workhours",
               zone=world.zone.pk).json() == {"due_at": "2026-03-09T15:00:00+08:00"}
    for params, status in (({"limit": 0}, 400), ({"limit": -2}, 400), ({"unit": "weeks"}, 400),
                           ({"pause": "2026-03-09T10:00/2026-03-09T09:00"}, 422)):
        bad = due(**{"start": "2026-03-07T10:00", "limit": 4, "unit": "workhours", **params})
        assert bad.status_code == status and bad.json()["fields"], params
    unknown = due(start="2036-03-07T10:00", limit=4, unit="workhours")
    assert unknown.status_code == 422 and unknown.json()["code"] == "calendar_year_unknown"


# Warning, status, counters -------------------------------------------------------------------------------------

def test_warning_entered_exactly_at_the_threshold_notifies_the_registered_owner_once(world, time_machine):
    clock.register_handlers("test.workhours.warn", recipients=lambda c, owner: ([world.leader], []))
    c = clock.start(SYSTEM, world.department, kind="test.workhours.warn", unit="workhours", limit=48,
                    started_at=at(2026, 2, 6, 14, 30))
    assert c.warn_at == at(2026, 2, 12, 16, 30)  # as computed in the first test
    time_machine.move_to(at(2026, 2, 12, 16, 29, 59), tick=False)
    tick.run()
    c.refresh_from_db()
    assert c.warned_at is None and clock.display_status(c) == ClockStatus.NORMAL
    assert not Notification.objects.exists()
    time_machine.move_to(at(2026, 2, 12, 16, 30), tick=False)
    tick.run()
    c.refresh_from_db()
    assert c.warned_at == at(2026, 2, 12, 16, 30) and clock.display_status(c) == ClockStatus.WARNING
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (world.leader, "clock.warning")
    assert "2026-02-14 17:30" in note.title
    time_machine.move_to(at(2026, 2, 12, 16, 31), tick=False)
    tick.run()
    assert Notification.objects.count() == 1
    time_machine.move_to(at(2026, 2, 14, 17, 30), tick=False)
    tick.run()
    c.refresh_from_db()
    assert c.state == ClockState.OVERDUE and clock.display_status(c) == ClockStatus.OVERDUE
    assert list(Notification.objects.order_by("id").values_list("kind", flat=True)) == ["clock.warning", "clock.overdue"]


def test_warning_thresholds_per_unit_are_settings(world, settings):
    # Defaults: 2 working days, 2 days, 16 working hours, 48 hours.
    c = clock.start(SYSTEM, world.department, kind="test", unit="days", limit=30, started_at=at(2026, 2, 13, 10))
    assert c.warn_at == at(2026, 3, 14, 0, 0)  # due 3/15 23:59:59; two days left from 3/14 00:00
    c = clock.start(SYSTEM, world.department, kind="test", unit="hours", limit=72, started_at=at(2026, 3, 2, 9))
    assert c.warn_at == at(2026, 3, 3, 9)
    settings.CLOCK_WARN_WORKHOURS = 4
    settings.CLOCK_WARN_DAYS = 1
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=48, started_at=at(2026, 2, 6, 14, 30))
    assert c.warn_at == at(2026, 2, 14, 13, 30)  # the last 4 working hours: Sat 2/14 13:30–17:30
    c = clock.start(SYSTEM, world.department, kind="test", unit="days", limit=30, started_at=at(2026, 2, 13, 10))
    assert c.warn_at == at(2026, 3, 15, 0, 0)


def test_display_status_counts_in_one_query_and_badge(world, django_assert_num_queries):
    now = at(2026, 3, 5, 12)
    mk = lambda limit, start: clock.start(SYSTEM, world.department, kind="test", unit="workdays",  # noqa: E731
                                          limit=limit, started_at=start)
    mk(20, at(2026, 3, 2, 9))  # due 3/30: 正常
    mk(3, at(2026, 3, 2, 9))  # due 3/5 23:59:59, warning from 3/4 00:00: 预警
    mk(1, at(2026, 3, 2, 9))  # due 3/3: 逾期 (not yet claimed by tick)
    paused = mk(5, at(2026, 3, 2, 9))
    clock.pause(SYSTEM, paused, reason="hearing", at=at(2026, 3, 3, 9))
    clock.finish(SYSTEM, mk(5, at(2026, 3, 2, 9)), at=at(2026, 3, 4, 9))  # 按期完成
    clock.finish(SYSTEM, mk(1, at(2026, 3, 2, 9)), at=at(2026, 3, 4, 9))  # 逾期完成
    with django_assert_num_queries(1):
        counts = clock.status_counts(DeadlineClock.objects.all(), now)
    assert counts == {ClockStatus.NORMAL: 1, ClockStatus.WARNING: 1, ClockStatus.OVERDUE: 1, ClockStatus.PAUSED: 1,
                      ClockStatus.MET: 1, ClockStatus.MET_LATE: 1}
    rows = list(DeadlineClock.objects.with_status(now).order_by("id"))
    assert [r.status for r in rows] == [r.status_at(now) for r in rows] == [
        "normal", "warning", "overdue", "paused", "met", "met_late"]
    template = Template("{% load clocks %}{% for c in rows %}{% clock_badge c %}{% endfor %}")
    with django_assert_num_queries(0):
        html = template.render(Context({"rows": rows}))
    for label, colour in [("正常", "success"), ("预警", "warning"), ("逾期", "danger"), ("已暂停", "secondary"),
                          ("按期完成", "primary"), ("逾期完成", "dark")]:
        assert f'text-bg-{colour}" data-clock-status' in html and f">{label}</span>" in html
    assert "暂停 1 次，累计 0 工作日" in html  # the open pause counts; its length is known on resume


def test_pause_counter_across_the_spring_festival(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=20, started_at=at(2026, 2, 2, 9))
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 2, 5, 10))
    clock.resume(SYSTEM, c, at=at(2026, 2, 10, 15))  # 2/6, 2/9, 2/10
    clock.pause(SYSTEM, c, reason="expert_review", at=at(2026, 2, 12, 9))
    clock.resume(SYSTEM, c, at=at(2026, 2, 25, 17))  # 2/13, 2/14 (调休), 2/24, 2/25; the festival counts nothing
    c.refresh_from_db()
    assert (c.due_at, c.pause_count, c.paused_total) == (at(2026, 3, 17, 23, 59, 59), 2, 7)


# Escalation ladder ---------------------------------------------------------------------------------------------

def test_ladder_fires_each_step_once_at_its_time(world):
    fired = []
    clock.register_ladder("test.ladder.steps", steps=[
        Step("remind", before=1, unit="workdays"), Step("notice", after=1, unit="days"),
        Step("report", after=5, unit="workdays")],
        handlers={name: (lambda c, step: fired.append((step.name, c.pk))) for name in ("remind", "notice", "report")})
    c = clock.start(SYSTEM, world.department, kind="test.ladder.steps", unit="workdays", limit=5,
                    started_at=at(2026, 3, 2, 9))
    # Due Mon 3/9 23:59:59. remind: 00:00 of the last working day (3/9); notice: 00:00 the day after (3/10);
    # report: 00:00 of the 5th working day after 3/9 (3/10, 3/11, 3/12, 3/13, 3/16).
    assert c.next_step_at == at(2026, 3, 9, 0, 0)
    assert clock.run_ladder(at(2026, 3, 8, 23, 59, 59))["steps"] == 0
    assert clock.run_ladder(at(2026, 3, 9, 0, 0))["steps"] == 1
    c.refresh_from_db()
    assert c.next_step_at == at(2026, 3, 10, 0, 0)
    assert tick.run(at(2026, 3, 10, 0, 0))  # overdue claim, then the notice
    assert tick.run(at(2026, 3, 13, 23, 59)) and fired == [("remind", c.pk), ("notice", c.pk)]
    assert clock.run_ladder(at(2026, 3, 16, 0, 0))["steps"] == 1
    assert clock.run_ladder(at(2026, 3, 17, 0, 0))["steps"] == 0
    c.refresh_from_db()
    assert c.next_step_at is None
    assert fired == [("remind", c.pk), ("notice", c.pk), ("report", c.pk)]
    assert list(ClockEscalation.objects.filter(clock=c).values_list("step", "fired_at")) == [
        ("remind", at(2026, 3, 9)), ("notice", at(2026, 3, 10)), ("report", at(2026, 3, 16))]


def test_ladder_follows_the_due_time(world):
    clock.register_ladder("test.ladder.moves", steps=[Step("remind", before=1), Step("notice", after=1, unit="days")])
    c = clock.start(SYSTEM, world.department, kind="test.ladder.moves", unit="workdays", limit=5,
                    started_at=at(2026, 3, 2, 9))
    clock.run_ladder(at(2026, 3, 9, 0, 0))  # remind fired
    clock.extend(SYSTEM, c, amount=3, reason="情况复杂", at=at(2026, 3, 9, 9))  # due Thu 3/12
    c.refresh_from_db()
    assert c.next_step_at == at(2026, 3, 13, 0, 0)  # the reminder does not fire again; the notice moved
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 10, 9))
    c.refresh_from_db()
    assert c.next_step_at is None  # a paused clock waits: no step fires while the due time is unknown
    clock.resume(SYSTEM, c, at=at(2026, 3, 11, 9))  # 3/11 paused: due Fri 3/13
    c.refresh_from_db()
    assert c.next_step_at == at(2026, 3, 14, 0, 0)
    clock.finish(SYSTEM, c, at=at(2026, 3, 12, 9))
    c.refresh_from_db()
    assert c.next_step_at is None


def test_ladder_steps_in_hour_units(world):
    clock.register_ladder("test.ladder.hours", steps=[Step("remind", before=4, unit="workhours"),
                                                      Step("notice", after=2, unit="hours")])
    c = clock.start(SYSTEM, world.department, kind="test.ladder.hours", unit="workhours", limit=48,
                    started_at=at(2026, 2, 6, 14, 30))
    steps = clock.LADDERS["test.ladder.hours"]
    assert clock.step_time(steps[0], c) == at(2026, 2, 14, 13, 30)  # 4 working hours before Sat 17:30
    assert clock.step_time(steps[1], c) == at(2026, 2, 14, 19, 30)
    with pytest.raises(ValueError):
        Step("x", before=1, after=1)
    with pytest.raises(ValueError):
        Step("x", before=0)


@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="SQLite's shared in-memory test database locks whole tables; run on PostgreSQL in CI")
@pytest.mark.django_db(transaction=True)
def test_ladder_fires_once_per_step_under_two_concurrent_ticks(world):
    fired = []
    lock = threading.Lock()

    def record(c, step):
        with lock:
            fired.append((c.pk, step.name))

    clock.register_ladder("test.ladder.concurrent", steps=[
        Step("remind", before=1, unit="hours", do=record), Step("notice", after=0, unit="hours", do=record),
        Step("report", after=2, unit="hours", do=record)])
    ids = [clock.start(SYSTEM, world.department, kind="test.ladder.concurrent", unit="hours", limit=1,
                       started_at=at(2026, 3, 2, 9)).pk for _ in range(60)]
    barrier = threading.Barrier(2)
    errors = []

    def worker(now):
        try:
            barrier.wait()
            clock.run_due(now)
            clock.run_ladder(now)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    for now in (at(2026, 3, 2, 9, 30), at(2026, 3, 2, 12, 0)):  # remind, then notice and report together
        threads = [threading.Thread(target=worker, args=(now,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert sorted(fired) == sorted((pk, name) for pk in ids for name in ("remind", "notice", "report"))
    assert ClockEscalation.objects.count() == 180
    assert not DeadlineClock.objects.filter(next_step_at__isnull=False).exists()


def test_clock_serializer_shows_status_and_pause_counter_without_extra_queries(world, django_assert_num_queries):
    from kaifaqu.core.clock.api import ClockSerializer

    for _ in range(3):
        c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=48,
                        started_at=at(2026, 2, 6, 14, 30))
        clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 2, 10, 11))
        clock.resume(SYSTEM, c, at=at(2026, 2, 11, 9))
    with django_assert_num_queries(1):
        data = ClockSerializer(DeadlineClock.objects.with_status(at(2026, 2, 13, 15)), many=True).data
    assert len(data) == 3
    assert {k: data[0][k] for k in ("unit", "unit_label", "status", "status_label", "pause_count", "paused_total")} == {
        "unit": "workhours", "unit_label": "工作小时", "status": "warning", "status_label": "预警",
        "pause_count": 1, "paused_total": 5.5}


# The last year chinesecalendar knows, and the first it does not: the tests below must keep working when the library
# learns another year, so they work out their dates from the library instead of naming a year.
LAST_KNOWN = max(chinese_calendar.holidays).year
UNKNOWN = LAST_KNOWN + 1


def workdays_after(d, n):
    """The n working days after d by the library's own calendar (the oracle), stopping at the end of its range."""
    days = []
    while len(days) < n:
        d += datetime.timedelta(days=1)
        if d.year > LAST_KNOWN:
            break
        if chinese_calendar.is_workday(d):
            days.append(d)
    return days


def test_the_unknown_year_is_the_one_after_the_library_range():
    assert compute._library_knows(LAST_KNOWN) and not compute._library_knows(UNKNOWN)


def test_a_step_in_a_year_the_calendar_does_not_know_waits_without_stopping_the_tick(world, monkeypatch):
    from kaifaqu.core.calendar.services import do_confirm_year, do_set_override

    monkeypatch.setattr(compute, "horizon", compute._library_last)  # no provisional years: UNKNOWN is unknown

    clock.register_ladder("test.ladder.newyear", steps=[Step("notice", after=1, unit="days"),
                                                        Step("report", after=5, unit="workdays")])
    # The latest Monday of the last known December whose 5 working days end in that year but leave fewer than 5
    # after them (the report step then needs days of the unknown year).
    def fits(d):
        five = workdays_after(d, 5)
        return d.weekday() == 0 and len(five) == 5 and len(workdays_after(five[-1], 5)) < 5

    start = max(d for d in (datetime.date(LAST_KNOWN, 12, day) for day in range(1, 32)) if fits(d))
    due = workdays_after(start, 5)[-1]
    left = workdays_after(due, 5)
    c = clock.start(SYSTEM, world.department, kind="test.ladder.newyear", unit="workdays", limit=5,
                    started_at=at(start.year, start.month, start.day, 9))
    assert c.due_at == at(due.year, due.month, due.day, 23, 59, 59)
    # The report falls in the year the library does not know: it waits, retried hourly.
    assert c.next_step_at == at(start.year, start.month, start.day, 10)
    after_due = due + datetime.timedelta(days=1)
    assert clock.run_ladder(at(after_due.year, after_due.month, after_due.day, 0, 0))["steps"] == 1  # the notice
    c.refresh_from_db()
    assert c.next_step_at == at(after_due.year, after_due.month, after_due.day, 1, 0)
    do_set_override(SYSTEM, date=datetime.date(UNKNOWN, 1, 1), is_workday=False, reason=f"{UNKNOWN}年元旦")
    do_confirm_year(world.sysadmin, year=UNKNOWN, notice_no="国办发明电〔2026〕9号")
    assert clock.run_ladder(at(after_due.year, after_due.month, after_due.day, 1, 0))["steps"] == 0
    c.refresh_from_db()
    # A year kept only by the platform's overrides: Monday to Friday, 1/1 off.
    weekdays = [d for d in (datetime.date(UNKNOWN, 1, 2) + datetime.timedelta(days=i) for i in range(14))
                if d.weekday() < 5]
    report = weekdays[5 - len(left) - 1]
    assert c.next_step_at == at(report.year, report.month, report.day, 0, 0)


def test_bad_input_writes_nothing(world):
    from kaifaqu.core.clock.models import ClockExtension, ClockPause
    from kaifaqu.core.errors import RuleViolation

    for limit in (0, -1):
        with pytest.raises(InvalidInput):
            clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=limit)
    with pytest.raises(InvalidInput):
        clock.start(SYSTEM, world.department, kind="test", unit="weeks", limit=3)
    assert not DeadlineClock.objects.exists()
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=8, started_at=at(2026, 3, 2, 9))
    assert c.due_at == at(2026, 3, 3, 9, 30)  # Monday from 09:00 holds 3 h + 4 h = 7 h; the 8th hour is Tuesday 08:30–09:30
    with pytest.raises(InvalidInput):
        clock.pause(SYSTEM, c, reason="", at=at(2026, 3, 2, 10))
    assert not ClockPause.objects.exists()
    clock.pause(SYSTEM, c, reason="testing", at=at(2026, 3, 2, 10))
    with pytest.raises(InvalidInput):
        clock.resume(SYSTEM, c, at=at(2026, 3, 2, 9, 59))  # ends before it starts
    assert ClockPause.objects.get().ended_at is None
    clock.resume(SYSTEM, c, at=at(2026, 3, 2, 11))
    c.refresh_from_db()
    assert c.due_at == at(2026, 3, 3, 10, 30)
    with pytest.raises(RuleViolation):
        clock.extend(SYSTEM, c, amount=2, reason="来不及", at=at(2026, 3, 3, 10, 31))
    assert not ClockExtension.objects.exists()
    assert not AuditEvent.objects.filter(action="clock.extend").exists()


def test_migration_backfills_the_pause_counter_of_existing_clocks(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("kaifaqu.core.migrations.0009_deadline_workhours_ladder")
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=20, started_at=at(2026, 2, 2, 9))
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 2, 5, 10))
    clock.resume(SYSTEM, c, at=at(2026, 2, 10, 15))
    clock.pause(SYSTEM, c, reason="expert_review", at=at(2026, 2, 12, 9))
    DeadlineClock.objects.update(pause_count=0, paused_total=0)  # as rows written before the migration
    migration.backfill_pause_counters(apps, None)
    c.refresh_from_db()
    assert (c.pause_count, c.paused_total) == (2, 3)  # the open expert review counts once it ends


def test_a_ladder_registered_late_is_applied_to_open_clocks(world):
    started = [clock.start(SYSTEM, world.department, kind="test.ladder.late", unit="workdays", limit=5,
                           started_at=at(2026, 3, 2, 9)) for _ in range(3)]
    clock.finish(SYSTEM, started[2], at=at(2026, 3, 3, 9))
    assert not DeadlineClock.objects.filter(next_step_at__isnull=False).exists()
    clock.register_ladder("test.ladder.late", steps=[Step("remind", before=1), Step("notice", after=1, unit="days")])
    assert clock.apply_ladder("test.ladder.late", now=at(2026, 3, 4, 9)) == 2
    assert list(DeadlineClock.objects.order_by("id").values_list("next_step_at", flat=True)) == [
        at(2026, 3, 9, 0, 0), at(2026, 3, 9, 0, 0), None]


# Properties and edge cases ---------------------------------------------------------------------------------------
# Deterministic loops (hypothesis is not a dependency): seeded random starts across 2026 plus the awkward ones —
# holidays, 调休 Saturdays, period boundaries, midnight, 23:59:59, and a start given in UTC.

def _starts(n=120, seed=7):
    import random

    rnd = random.Random(seed)
    special = [at(2026, 2, 14, 8, 30), at(2026, 2, 13, 17, 30), at(2026, 2, 15, 0, 0), at(2026, 10, 10, 12, 0),
               at(2026, 9, 30, 23, 59, 59), at(2026, 3, 9, 13, 30), at(2026, 3, 9, 12, 0), at(2026, 1, 1, 0, 0),
               at(2026, 5, 9, 23, 59, 59), at(2026, 2, 28, 17, 29, 59), at(2026, 10, 1, 8, 30), at(2026, 9, 20, 17, 30),
               at(2026, 2, 13, 23, 30).astimezone(datetime.UTC)]
    base = at(2026, 1, 1).timestamp()
    for _ in range(n):
        moment = datetime.datetime.fromtimestamp(base + rnd.randrange(0, 300 * 86400), tz=SH)
        special.append(moment.replace(second=rnd.choice((0, 0, 59))))
    return special


def test_working_time_round_trips(db):
    import random

    rnd = random.Random(1)
    for start in _starts(300):
        amount = datetime.timedelta(minutes=rnd.randrange(0, 200 * 60))
        end = calendar.add_working_time(start, amount)
        assert calendar.working_time_between(start, end) == amount, (start, amount)
        back = calendar.subtract_working_time(end, amount)
        assert calendar.working_time_between(back, end) == amount, (start, amount)
        assert calendar.working_time_between(start, back) == datetime.timedelta(0), (start, amount)  # same instant


def test_elapsed_at_the_due_time_is_the_limit_and_warnings_are_exact(world):
    import random

    rnd = random.Random(2)
    for start in _starts():
        for unit in ("workdays", "days", "workhours", "hours"):
            limit = rnd.randrange(1, 30)
            c = clock.start(SYSTEM, world.department, kind="test", unit=unit, limit=limit, started_at=start)
            if rnd.random() < 0.6:
                p0 = start + datetime.timedelta(minutes=rnd.randrange(0, 5 * 1440))
                if p0 < c.due_at:
                    clock.pause(SYSTEM, c, reason="hearing", at=p0)
                    clock.resume(SYSTEM, c, at=p0 + datetime.timedelta(minutes=rnd.randrange(0, 5 * 1440)))
                    c.refresh_from_db()
            assert clock.elapsed(c, c.due_at) == pytest.approx(limit), (unit, limit, start)
            if unit in ("workhours", "hours") and c.warn_at > c.started_at:
                left = (calendar.working_time_between(c.warn_at, c.due_at) if unit == "workhours"
                        else c.due_at - c.warn_at)
                assert left == datetime.timedelta(hours=16 if unit == "workhours" else 48), (unit, limit, start)


def test_a_start_given_in_utc_counts_from_the_shanghai_date(world):
    # 2026-02-13 23:30 in Shanghai is 15:30 UTC the same day; 2026-02-14 07:00 in Shanghai is 2/13 23:00 UTC.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=10,
                    started_at=datetime.datetime(2026, 2, 13, 15, 30, tzinfo=datetime.UTC))
    assert c.due_at == at(2026, 3, 5, 23, 59, 59)
    c = clock.start(SYSTEM, world.department, kind="test", unit="days", limit=1,
                    started_at=datetime.datetime(2026, 2, 13, 23, 0, tzinfo=datetime.UTC))
    assert c.due_at == at(2026, 2, 15, 23, 59, 59)  # counted from Saturday 2/14, not Friday 2/13


def test_elapsed_at_an_earlier_moment_leaves_out_only_the_pauses_up_to_then(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=20, started_at=at(2026, 2, 2, 9))
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 2, 5, 10))
    clock.resume(SYSTEM, c, at=at(2026, 2, 10, 15))
    clock.pause(SYSTEM, c, reason="expert_review", at=at(2026, 2, 12, 9))
    clock.resume(SYSTEM, c, at=at(2026, 2, 25, 17))
    # By Wed 2/11: 2/3, 2/4, 2/5, 2/6, 2/9, 2/10, 2/11 = 7 working days, 3 of them paused; the later review not yet.
    assert clock.elapsed(c, at(2026, 2, 11, 12)) == 4
    assert clock.elapsed(c, at(2026, 2, 8, 12)) == 3  # mid-pause (Sunday): 2/3, 2/4, 2/5 used, 2/6 paused so far
    assert clock.elapsed(c, at(2026, 2, 1, 12)) == 0  # before the start nothing is used
    h = clock.start(SYSTEM, world.department, kind="test", unit="hours", limit=48, started_at=at(2026, 3, 2, 9))
    clock.pause(SYSTEM, h, reason="testing", at=at(2026, 3, 2, 12))
    clock.resume(SYSTEM, h, at=at(2026, 3, 2, 14))
    assert clock.elapsed(h, at(2026, 3, 2, 11)) == 2.0
    assert clock.elapsed(h, at(2026, 3, 2, 13)) == 3.0


def test_a_pause_cannot_overlap_an_earlier_one(world):
    from kaifaqu.core.clock.models import ClockPause

    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=20, started_at=at(2026, 2, 2, 9))
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 2, 5, 10))
    clock.resume(SYSTEM, c, at=at(2026, 2, 10, 15))
    with pytest.raises(InvalidInput, match="上次恢复"):
        clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 2, 9, 9))  # inside the closed pause
    assert ClockPause.objects.filter(clock=c).count() == 1
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 2, 10, 15))  # at the very moment it resumed: fine
    with pytest.raises(InvalidInput):
        clock.finish(SYSTEM, c, at=at(2026, 2, 10, 14))  # a finish before the open pause started


def test_compute_clips_pauses_to_the_start_and_counts_overlaps_once(db):
    # The command and the API take any pauses: time before the start was never counted, so pausing it gives nothing
    # back; a moment covered by two pauses is paused once.
    start = at(2026, 3, 9, 9)
    assert clock.compute("workhours", 4, start, [], 0).due_at == at(2026, 3, 9, 14, 30)
    assert clock.compute("workhours", 4, start, [(at(2026, 3, 6, 9), at(2026, 3, 9, 10))], 0).due_at == at(
        2026, 3, 9, 15, 30)  # only 09:00–10:00 on Monday is paused
    assert clock.compute("hours", 4, start, [(at(2026, 3, 9, 10), at(2026, 3, 9, 12)),
                                             (at(2026, 3, 9, 11), at(2026, 3, 9, 12))], 0).due_at == at(2026, 3, 9, 15)
    assert clock.compute("workdays", 5, at(2026, 3, 2, 9), [(at(2026, 3, 3, 9), at(2026, 3, 5, 9)),
                                                            (at(2026, 3, 4, 9), at(2026, 3, 6, 9))], 0).due_at == at(
        2026, 3, 12, 23, 59, 59)  # 3/4, 3/5, 3/6 paused once each
    assert clock.compute("days", 5, at(2026, 3, 2, 9), [(at(2026, 2, 20, 9), at(2026, 3, 1, 9))], 0).due_at == at(
        2026, 3, 7, 23, 59, 59)  # a pause that ended before the start changes nothing


def test_a_pause_into_a_year_the_calendar_does_not_know_is_a_clear_422(world, api_for, time_machine, monkeypatch):
    from rest_framework.test import APIRequestFactory

    from kaifaqu.core.api import exception_handler
    from kaifaqu.core.errors import RuleViolation

    time_machine.move_to(at(UNKNOWN, 1, 5, 12), tick=False)  # the resumes below happen in the past
    monkeypatch.setattr(compute, "horizon", compute._library_last)  # no provisional years: UNKNOWN is unknown

    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5, started_at=at(LAST_KNOWN, 12, 1, 9))
    clock.pause(SYSTEM, c, reason="hearing", at=at(LAST_KNOWN, 12, 3, 9))
    with pytest.raises(calendar.CalendarYearUnknown, match=f"{UNKNOWN} 年") as exc:
        clock.resume(SYSTEM, c, at=at(UNKNOWN, 1, 4, 9))
    c.refresh_from_db()
    assert c.state == ClockState.PAUSED and c.pauses.get().ended_at is None  # nothing written
    # Any module's API that calls a clock service answers 422 with the Chinese message, never a 500.
    assert isinstance(exc.value, RuleViolation)
    response = exception_handler(exc.value, {"request": APIRequestFactory().get("/")})
    assert response.status_code == 422 and response.data["code"] == "calendar_year_unknown"
    assert str(UNKNOWN) in response.data["detail"]
    # Calendar days and hours need no calendar: they resume into the unknown year.
    h = clock.start(SYSTEM, world.department, kind="test", unit="hours", limit=48, started_at=at(LAST_KNOWN, 12, 30, 9))
    clock.pause(SYSTEM, h, reason="hearing", at=at(LAST_KNOWN, 12, 30, 10))
    clock.resume(SYSTEM, h, at=at(UNKNOWN, 1, 2, 10))
    h.refresh_from_db()
    assert h.due_at == at(UNKNOWN, 1, 4, 9)  # 1 h before the pause, 47 h after


def test_extension_while_paused(world):
    from kaifaqu.core.errors import RuleViolation

    # A clock that was overdue when it was paused cannot be extended: the limit had run out before the pause.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=1, started_at=at(2026, 3, 2, 9))
    clock.run_due(at(2026, 3, 4, 0))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 5, 9))
    with pytest.raises(RuleViolation):
        clock.extend(SYSTEM, c, amount=3, reason="情况复杂", at=at(2026, 3, 5, 10))
    # The same when tick had not claimed it yet: the due time (3/3 23:59:59) had passed when the pause began.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=1, started_at=at(2026, 3, 2, 9))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 5, 9))
    with pytest.raises(RuleViolation):
        clock.extend(SYSTEM, c, amount=3, reason="情况复杂", at=at(2026, 3, 5, 10))
    # Warned, paused, extended by 10 working days, resumed: the new window warns again (warned_at cleared).
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5, started_at=at(2026, 3, 2, 9))
    clock.run_due(at(2026, 3, 6, 0))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 6, 9))
    clock.extend(SYSTEM, c, amount=10, reason="情况复杂", at=at(2026, 3, 6, 10))
    clock.resume(SYSTEM, c, at=at(2026, 3, 6, 11))
    c.refresh_from_db()
    assert c.due_at == at(2026, 3, 23, 23, 59, 59) and c.warn_at == at(2026, 3, 20, 0, 0)
    assert c.warned_at is None and c.status_at(at(2026, 3, 6, 12)) == ClockStatus.NORMAL
    assert clock.run_due(at(2026, 3, 20, 0, 0))["warned"] == 1
    # A pause in the warning window keeps the warning: the remaining time is what it was.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5, started_at=at(2026, 3, 2, 9))
    clock.run_due(at(2026, 3, 6, 0))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 6, 9))
    clock.resume(SYSTEM, c, at=at(2026, 3, 9, 9))
    c.refresh_from_db()
    assert c.warned_at is not None and c.status_at(at(2026, 3, 9, 10)) == ClockStatus.WARNING


def test_deadline_api_and_command_refuse_what_they_cannot_compute(world, api_for, capsys):
    from django.core.management.base import CommandError

    api = api_for(world.leader)
    for params in (
        {"start": "9999-12-31T10:00", "limit": 48, "unit": "hours"},  # the due time is past year 9999
        {"start": "9999-12-01T10:00", "limit": 3660, "unit": "days"},
        {"start": "0001-01-01T00:30", "limit": 1, "unit": "hours"},  # the warning time is before year 1
        {"start": "2026-03-01T10:00", "limit": 1, "unit": "hours", "pause": "2026-03-01T10:00/9999-12-31T23:00"},
        {"start": "2026-03-01T10:00", "limit": 1, "unit": "hours", "pause": "2026-03-01T10:00"},  # no TO
        {"start": "2026-03-01T10:00", "limit": 1, "unit": "hours", "zone": world.other_zone.pk},  # not the user's
        {"start": "2026-03-01T10:00", "limit": 1, "unit": "hours", "zone": 999999},
        {"start": "2026-03-01T10:00", "limit": "1e3", "unit": "hours"},
        {"start": "2026-03-01T25:00", "limit": 1, "unit": "hours"},
    ):
        bad = api.get("/api/v1/calendar/deadline", params)
        assert bad.status_code == 400, (params, bad.status_code)
        assert bad.json()["fields"] and any("\u4e00" <= ch <= "\u9fff" for ch in bad.json()["detail"]), params
    # a pause that ends before it starts breaks a rule across the value's two halves (422), unless a field is bad too
    reversed_pause = {"start": "2026-03-01T10:00", "limit": 1, "unit": "hours",
                      "pause": "2026-03-02T10:00/2026-03-01T10:00"}
    bad = api.get("/api/v1/calendar/deadline", reversed_pause)
    assert (bad.status_code, bad.json()["code"], bad.json()["fields"]) == (422, "rule_violation",
                                                                           {"pause": ["暂停结束早于开始。"]})
    # 8785 hours is within the largest limit the schema states (days) but beyond the hours' own ceiling: 422
    bad = api.get("/api/v1/calendar/deadline", {"start": "2026-03-01T10:00", "limit": 8785, "unit": "hours"})
    assert bad.status_code == 422 and "limit" in bad.json()["fields"]
    bad = api.get("/api/v1/calendar/deadline", {**reversed_pause, "zone": 999999})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"zone"}
    for args in (("9999-12-31T10:00", "48", "hours"), ("2026-03-01T10:00", "4", "hours", "--pause", "x/y"),
                 ("2026-03-01T10:00", "4", "hours", "--pause", "2026-03-01T10:00/9999-12-31T23:00"),
                 ("2026-03-01T10:00", "0", "hours"), ("2026-03-01T10:00", "-3", "workdays"),
                 ("2026-03-01T10:00", "8785", "hours"), ("2026-03-01T10:00", "4", "hours", "--zone", "nosuch"),
                 ("2026-03-01T10:00", "4", "hours", "--pause", "2026-03-02T10:00/2026-03-01T10:00"),
                 ("2026-03-01T10:00", "4", "hours", "--pause", "2026-03-02T10:00")):
        with pytest.raises(CommandError) as exc:
            call_command("deadline", *args)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value)), args


def test_a_before_step_longer_than_the_clock_fires_at_the_start_without_walking_back_years(world,
                                                                                          django_assert_max_num_queries):
    clock.register_ladder("test.ladder.long", steps=[Step("h", before=40000, unit="workhours"),
                                                     Step("d", before=6000, unit="workdays")])
    c = clock.start(SYSTEM, world.department, kind="test.ladder.long", unit="workhours", limit=8,
                    started_at=at(2026, 3, 2, 9))
    # Walking 40 000 working hours or 6 000 working days back reached years before 2004, which the calendar does
    # not know: the steps waited forever (retried hourly) instead of firing at the start.
    assert c.next_step_at == at(2026, 3, 2, 9)
    with django_assert_max_num_queries(20):
        assert [clock.step_time(s, c) for s in clock.LADDERS["test.ladder.long"]] == [at(2026, 3, 2, 9)] * 2
    assert clock.run_ladder(at(2026, 3, 2, 9))["steps"] == 2


def test_an_overdue_clock_paused_and_resumed_stays_overdue_and_is_reported_once(world):
    fired = []
    clock.register_handlers("test.overdue.resumed", overdue=lambda c: fired.append(c.pk))
    # 4 working days from Monday 3/2: due Friday 3/6 23:59:59; tick claims it overdue on Saturday 00:00.
    c = clock.start(SYSTEM, world.department, kind="test.overdue.resumed", unit="workdays", limit=4,
                    started_at=at(2026, 3, 2, 9))
    assert clock.run_due(at(2026, 3, 7, 0, 0))["overdue"] == 1
    # Paused over the weekend after expiry: the pause covers Monday 3/9, so the due time moves to Monday 23:59:59 —
    # later than the resume. The limit had run out all the same: the clock stays overdue, and is not reported twice.
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 3, 7, 10))
    clock.resume(SYSTEM, c, at=at(2026, 3, 9, 10))
    c.refresh_from_db()
    assert c.state == ClockState.OVERDUE and c.status_at(at(2026, 3, 9, 11)) == ClockStatus.OVERDUE
    assert clock.run_due(at(2026, 3, 10, 0, 0))["overdue"] == 0 and fired == [c.pk]
    assert clock.finish(SYSTEM, c, at=at(2026, 3, 9, 12)).state == ClockState.MET_LATE


def test_business_dates_are_shanghai_dates_whatever_time_zone_is_active(world):
    from django.utils import timezone

    # 2026-02-14 07:00 in Shanghai (调休 Saturday) is 2/13 23:00 UTC: ten working days count from Saturday 2/14.
    start = datetime.datetime(2026, 2, 13, 23, 0, tzinfo=datetime.UTC)
    expected = clock.compute("workdays", 10, start, [], 0).due_at
    with timezone.override("UTC"):  # e.g. a page rendered for a user in another time zone
        for unit in ("workdays", "days"):
            assert clock.compute(unit, 10, start, [], 0) == clock.compute(unit, 10, start.astimezone(SH), [], 0)
        assert clock.compute("workdays", 10, start, [], 0).due_at == expected == at(2026, 3, 6, 23, 59, 59)
        c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=10, started_at=start)
        assert clock.elapsed(c, at(2026, 2, 14, 23, 30)) == 0  # still Saturday 2/14 in Shanghai


def test_elapsed_of_a_finished_clock_at_an_earlier_moment(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="hours", limit=48, started_at=at(2026, 3, 2, 9))
    c = clock.finish(SYSTEM, c, at=at(2026, 3, 3, 9))
    assert clock.elapsed(c, at(2026, 3, 4, 9)) == 24.0  # stops at the finish
    assert clock.elapsed(c, at(2026, 3, 2, 15)) == 6.0  # not the whole 24 h before it was finished


def test_an_after_step_of_zero_days_fires_at_expiry_not_at_the_start_of_the_due_day(world):
    clock.register_ladder("test.ladder.zero", steps=[Step("notice", after=0, unit="days"),
                                                     Step("report", after=0, unit="workdays")])
    c = clock.start(SYSTEM, world.department, kind="test.ladder.zero", unit="workdays", limit=5,
                    started_at=at(2026, 3, 2, 9))
    assert c.due_at == at(2026, 3, 9, 23, 59, 59)
    # "after expiry" never fires while the clock is still within its limit (it fired at 3/9 00:00 before).
    assert [clock.step_time(s, c) for s in clock.LADDERS["test.ladder.zero"]] == [c.due_at, c.due_at]
    assert clock.run_ladder(at(2026, 3, 9, 12))["steps"] == 0


def test_zero_length_pause_finish_while_paused_and_pauses_on_holidays(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="workhours", limit=48, started_at=at(2026, 2, 6, 14, 30))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 2, 9, 10))
    clock.resume(SYSTEM, c, at=at(2026, 2, 9, 10))  # resumed at the same instant: counted, nothing moves
    c.refresh_from_db()
    assert (c.due_at, c.pause_count, c.paused_total) == (at(2026, 2, 14, 17, 30), 1, 0)
    # A pause from one holiday to another (2/15 → 2/22, inside the Spring Festival) covers no working time.
    clock.pause(SYSTEM, c, reason="testing", at=at(2026, 2, 15, 10))
    clock.resume(SYSTEM, c, at=at(2026, 2, 22, 10))
    c.refresh_from_db()
    assert (c.due_at, c.pause_count, c.paused_total) == (at(2026, 2, 14, 17, 30), 2, 0)
    d = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5, started_at=at(2026, 9, 28, 9))
    assert d.due_at == at(2026, 10, 10, 23, 59, 59)  # 9/29, 9/30, (National Day 10/1–10/7 off) 10/8, 10/9, 10/10 调休
    clock.pause(SYSTEM, d, reason="supplement", at=at(2026, 9, 30, 16))
    done = clock.finish(SYSTEM, d, at=at(2026, 10, 9, 10))  # finished while paused: the pause ends then
    assert done.state == ClockState.MET and done.due_at == at(2026, 10, 13, 23, 59, 59)  # 10/8, 10/9 paused
    assert (done.pause_count, done.paused_total) == (1, 2) and clock.elapsed(done) == 2  # 9/29, 9/30


def test_working_time_functions_refuse_negative_amounts(db):
    with pytest.raises(ValueError):
        calendar.add_working_time(at(2026, 3, 9, 10), -datetime.timedelta(hours=1))
    with pytest.raises(ValueError):  # it answered 11:00, an instant after ``end``
        calendar.subtract_working_time(at(2026, 3, 9, 10), -datetime.timedelta(hours=1))


def test_a_warning_window_of_zero_is_the_due_time_for_every_unit(world, settings):
    settings.CLOCK_WARN_WORKDAYS = settings.CLOCK_WARN_DAYS = settings.CLOCK_WARN_WORKHOURS = 0
    settings.CLOCK_WARN_HOURS = 0
    for unit, limit in (("workdays", 5), ("days", 5), ("workhours", 8), ("hours", 8)):
        due = clock.compute(unit, limit, at(2026, 3, 2, 9), [], 0)
        assert due.warn_at == due.due_at, unit  # days warned the day after expiry, workdays a day early


def test_working_hours_with_a_utc_offset_are_refused_not_a_500(world, client_for):
    for text in ("08:30+08:00-12:00", "08:30+08:00-12:00+08:00"):
        with pytest.raises(InvalidInput, match="无法识别"):
            parse_periods(text)
        bad = client_for(world.sysadmin).post("/core/calendar/hours/", {"zone": world.zone.pk, "periods": text})
        assert bad.status_code == 400 and "08:30-12:00" in bad.content.decode()
    with pytest.raises(InvalidInput):
        do_set_working_hours(world.sysadmin, zone=world.zone, periods=[(T(9, tzinfo=SH), T(12, tzinfo=SH))])
    assert not WorkingPeriod.objects.exists()


def test_a_pause_begun_after_expiry_moves_nothing_even_before_tick_claimed_it(world):
    # Due Friday 3/6 23:59:59, tick has not run yet; paused Saturday → Monday: still due Friday, claimed once.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=4, started_at=at(2026, 3, 2, 9))
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 3, 7, 10))
    clock.resume(SYSTEM, c, at=at(2026, 3, 9, 10))
    c.refresh_from_db()
    assert c.due_at == at(2026, 3, 6, 23, 59, 59) and c.status_at(at(2026, 3, 9, 11)) == ClockStatus.OVERDUE
    assert clock.run_due(at(2026, 3, 9, 11))["overdue"] == 1
    assert clock.elapsed(c, at(2026, 3, 9, 11)) == 5  # 3/3 … 3/6 and Monday: the late pause gives nothing back
    assert clock.compute("hours", 2, at(2026, 3, 2, 9), [(at(2026, 3, 2, 12), at(2026, 3, 2, 14))], 0).due_at == at(
        2026, 3, 2, 11)


def test_a_pause_entered_late_with_a_time_before_expiry_brings_an_overdue_clock_back(world):
    # Claimed overdue on Saturday; then the 补正 notice of Friday 10:00 is entered: the clock was paused in time.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=4, started_at=at(2026, 3, 2, 9))
    assert clock.run_due(at(2026, 3, 7, 0, 0))["overdue"] == 1
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 3, 6, 10))
    clock.resume(SYSTEM, c, at=at(2026, 3, 9, 10))  # Monday paused: due Monday 23:59:59
    c.refresh_from_db()
    assert (c.state, c.overdue_at, c.due_at) == (ClockState.RUNNING, None, at(2026, 3, 9, 23, 59, 59))
    assert clock.finish(SYSTEM, c, at=at(2026, 3, 9, 12)).state == ClockState.MET


def test_day_unit_warning_windows_hold_exactly_two_days(db):
    import random

    rnd = random.Random(3)
    for start in _starts(150, seed=11):
        for unit in ("workdays", "days"):
            due = clock.compute(unit, rnd.randrange(1, 30), start, [], 0)
            if due.warn_at == start:
                continue  # started inside the window
            assert due.warn_at.astimezone(SH).time() == T(0, 0), (unit, start)
            first = due.warn_at.astimezone(SH).date()
            last = due.due_at.astimezone(SH).date()
            before = first - datetime.timedelta(days=1)
            left = calendar.workdays_between(before, last) if unit == "workdays" else (last - before).days
            assert left == 2, (unit, start)
            if unit == "workdays":
                assert calendar.is_workday(first), start  # the window opens on a working day


def test_no_extension_for_a_clock_paused_at_the_very_moment_it_expired(world):
    from kaifaqu.core.errors import RuleViolation

    c = clock.start(SYSTEM, world.department, kind="test", unit="hours", limit=2, started_at=at(2026, 3, 2, 9))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 2, 11))  # the due time: this pause moves nothing
    with pytest.raises(RuleViolation):
        clock.extend(SYSTEM, c, amount=3, reason="情况复杂", at=at(2026, 3, 2, 12))


def test_small_input_forms_people_use():
    from kaifaqu.core.templatetags.clocks import paused_text

    assert parse_periods("8:30-12:00, 13:30-17:30") == [(datetime.time(8, 30), datetime.time(12)),
                                                         (datetime.time(13, 30), datetime.time(17, 30))]
    assert paused_text(1.1667, "workhours") == "1 工作小时 10 分钟"
    assert paused_text(0.5, "hours") == "30 分钟"
    assert paused_text(2, "hours") == "2 自然小时"
    assert paused_text(3, "workdays") == "3 工作日"


@pytest.mark.django_db
def test_a_boolean_is_not_a_limit(world):
    from kaifaqu.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        clock.start(world.leader, world.zone, kind="t", unit="workdays", limit=True)


def test_a_step_is_recorded_when_it_happens_not_in_advance(world, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5)
    with pytest.raises(InvalidInput, match="暂停时间不能晚于当前时间"):
        clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 3, 9))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 2, 9, 4))  # within five minutes: a clock running ahead
    with pytest.raises(InvalidInput, match="恢复时间不能晚于当前时间"):
        clock.resume(SYSTEM, c, at=at(2026, 3, 4, 9))
    c.refresh_from_db()
    assert c.state == ClockState.PAUSED and c.pauses.count() == 1
