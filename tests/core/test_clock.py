"""Deadline clocks with hand-computed expectations on the 2026 official calendar.

2026 facts used: Spring Festival 2/15–2/23 off, Saturday 2/14 and Saturday 2/28 are working days (调休).
"""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from kaifaqu.core import clock
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.clock.models import ClockState, DeadlineClock
from kaifaqu.core.errors import InvalidInput, RuleViolation

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SH)


def test_ten_working_days_across_the_spring_festival(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=10, started_at=at(2026, 2, 13, 10))
    assert c.due_at == at(2026, 3, 5, 23, 59, 59)


def test_twenty_working_days_with_supplement_and_expert_review(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=20, started_at=at(2026, 2, 2, 9))
    assert c.due_at == at(2026, 3, 6, 23, 59, 59)  # 2/3–2/6, 2/9–2/14, 2/24–2/28, 3/2–3/6
    clock.pause(SYSTEM, c, reason="supplement", at=at(2026, 2, 5, 10))
    c.refresh_from_db()
    assert c.state == ClockState.PAUSED and c.due_at is None
    clock.resume(SYSTEM, c, at=at(2026, 2, 10, 15))  # working days 2/6, 2/9, 2/10 paused
    c.refresh_from_db()
    assert c.due_at == at(2026, 3, 11, 23, 59, 59)
    clock.pause(SYSTEM, c, reason="expert_review", at=at(2026, 2, 12, 9))
    clock.resume(SYSTEM, c, at=at(2026, 2, 25, 17))  # 2/13, 2/14, 2/24, 2/25 paused
    c.refresh_from_db()
    assert c.due_at == at(2026, 3, 17, 23, 59, 59)
    assert clock.elapsed(c, at(2026, 3, 2, 12)) == 16 - 7  # 2/3 … 3/2 is 16 working days, 7 of them paused
    done = clock.finish(SYSTEM, c, at=at(2026, 3, 16, 11))
    assert done.state == ClockState.MET


def test_hours_run_on_the_wall_clock(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="hours", limit=48, started_at=at(2026, 2, 13, 18))
    assert c.due_at == at(2026, 2, 15, 18)
    clock.pause(SYSTEM, c, reason="testing", at=at(2026, 2, 14, 8))
    clock.resume(SYSTEM, c, at=at(2026, 2, 14, 10, 30))
    c.refresh_from_db()
    assert c.due_at == at(2026, 2, 15, 20, 30)


def test_calendar_days(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="days", limit=30, started_at=at(2026, 2, 13, 10))
    assert c.due_at == at(2026, 3, 15, 23, 59, 59)


def test_bad_input_and_wrong_transitions(world):
    for limit in (0, -3, 100000):
        with pytest.raises(InvalidInput):
            clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=limit)
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5, started_at=at(2026, 3, 2, 9))
    with pytest.raises(RuleViolation):
        clock.resume(SYSTEM, c, at=at(2026, 3, 3, 9))
    with pytest.raises(InvalidInput):
        clock.pause(SYSTEM, c, reason="", at=at(2026, 3, 3, 9))
    with pytest.raises(InvalidInput):
        clock.pause(SYSTEM, c, reason="other", at=at(2026, 3, 3, 9))
    clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 3, 9))
    with pytest.raises(RuleViolation):
        clock.pause(SYSTEM, c, reason="hearing", at=at(2026, 3, 3, 10))
    with pytest.raises(InvalidInput):
        clock.resume(SYSTEM, c, at=at(2026, 3, 2, 10))
    clock.resume(SYSTEM, c, at=at(2026, 3, 4, 9))
    clock.finish(SYSTEM, c, at=at(2026, 3, 5, 9))
    with pytest.raises(RuleViolation):
        clock.extend(SYSTEM, c, amount=2, reason="需要")


def test_extension_before_expiry_only(world):
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5, started_at=at(2026, 3, 2, 9))
    assert c.due_at == at(2026, 3, 9, 23, 59, 59)
    clock.extend(SYSTEM, c, amount=3, reason="情况复杂", at=at(2026, 3, 5, 9))
    c.refresh_from_db()
    assert c.due_at == at(2026, 3, 12, 23, 59, 59)
    with pytest.raises(RuleViolation):
        clock.extend(SYSTEM, c, amount=1, reason="再延", at=at(2026, 3, 13, 9))


def test_warning_exactly_at_the_threshold_and_overdue_once(world):
    fired = []
    clock.register_handlers("test.ladder", warning=lambda c: fired.append(("warning", c.pk)),
                            overdue=lambda c: fired.append(("overdue", c.pk)))
    c = clock.start(SYSTEM, world.department, kind="test.ladder", unit="workdays", limit=5,
                    started_at=at(2026, 3, 2, 9))
    assert c.warn_at == at(2026, 3, 6, 0, 0)  # two working days left: Friday 3/6 and Monday 3/9
    assert clock.run_due(at(2026, 3, 5, 23, 59, 59)) == {"warned": 0, "overdue": 0, "handled": 0}
    assert clock.run_due(at(2026, 3, 6, 0, 0))["warned"] == 1
    assert clock.run_due(at(2026, 3, 6, 0, 1))["warned"] == 0
    assert clock.run_due(at(2026, 3, 10, 0, 0))["overdue"] == 1
    assert clock.run_due(at(2026, 3, 11, 0, 0))["overdue"] == 0
    assert fired == [("warning", c.pk), ("overdue", c.pk)]
    c.refresh_from_db()
    assert c.state == ClockState.OVERDUE
    assert clock.finish(SYSTEM, c, at=at(2026, 3, 11, 9)).state == ClockState.MET_LATE


@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="SQLite's shared in-memory test database locks whole tables; run on PostgreSQL in CI")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_ticks_act_once(world):
    fired = []
    lock = threading.Lock()

    def record(c):
        with lock:
            fired.append(c.pk)

    clock.register_handlers("test.concurrent", overdue=record)
    ids = [clock.start(SYSTEM, world.department, kind="test.concurrent", unit="hours", limit=1,
                       started_at=at(2026, 3, 2, 9)).pk for _ in range(40)]
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            clock.run_due(at(2026, 3, 3, 9))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(fired) == sorted(ids)
    assert DeadlineClock.objects.filter(state=ClockState.OVERDUE).count() == 40


def test_deadline_command(capsys, db):
    from django.core.management import call_command

    call_command("deadline", "2026-02-13T10:00", "10", "workdays")
    assert capsys.readouterr().out.strip() == "2026-03-05T23:59:59+08:00"
    call_command("deadline", "2026-02-02T09:00", "20", "workdays", "--pause", "2026-02-05T10:00/2026-02-10T15:00",
                 "--pause", "2026-02-12T09:00/2026-02-25T17:00")
    assert capsys.readouterr().out.strip() == "2026-03-17T23:59:59+08:00"
    call_command("deadline", "2026-02-13T18:00", "48", "hours")
    assert capsys.readouterr().out.strip() == "2026-02-15T18:00:00+08:00"
    with pytest.raises(SystemExit) as exc:
        call_command("deadline", "2036-02-13T10:00", "10", "workdays")
    assert exc.value.code == 2
    assert "2036" in capsys.readouterr().err


def test_pause_produces_a_written_notice(world, settings, tmp_path):
    import io

    from docx import Document

    from kaifaqu.core import files

    settings.MEDIA_ROOT = tmp_path
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=20, started_at=at(2026, 2, 2, 9))
    row = clock.pause(SYSTEM, c, reason="expert_review", expected_end=datetime.date(2026, 2, 25),
                      at=at(2026, 2, 12, 9), notice_issuer="浙江省XX经济开发区管理委员会")
    assert row.notice.name.endswith(".docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(files.attachment_path(row.notice.sm3).read_bytes())).paragraphs)
    assert "暂停计时告知书" in text and "专家评审" in text and "第四十五条" in text and "2026年02月25日" in text


def test_a_clock_of_an_unregistered_kind_is_refused(world):
    from django.db import transaction

    from kaifaqu.core.clock.models import DeadlineClock

    with pytest.raises(ValueError, match="unknown clock kind 'tets'"):
        with transaction.atomic():
            clock.start(SYSTEM, world.department, kind="tets", unit="workdays", limit=10)
    assert not DeadlineClock.objects.filter(kind="tets").exists()
    with pytest.raises(ValueError, match="register it"):
        clock.register_ladder("tets", steps=[clock.Step("remind", before=1)])
    clock.register_kind("tets.ok", "测试")
    with pytest.raises(ValueError, match="already registered"):
        clock.register_kind("tets.ok", "另一个名称")
    assert clock.kind_label("tets.ok") == "测试"
