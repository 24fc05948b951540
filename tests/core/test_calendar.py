"""The 2026 official calendar (国办发明电〔2025〕7号), checked day by day, and the override table."""

import datetime

import pytest
from django.core.management import call_command

from kaifaqu.core import calendar
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.calendar.services import do_remove_override, do_set_override
from kaifaqu.core.errors import InvalidInput

D = datetime.date

HOLIDAYS_2026 = [
    (D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 2, 15), D(2026, 2, 23)), (D(2026, 4, 4), D(2026, 4, 6)),
    (D(2026, 5, 1), D(2026, 5, 5)), (D(2026, 6, 19), D(2026, 6, 21)), (D(2026, 9, 25), D(2026, 9, 27)),
    (D(2026, 10, 1), D(2026, 10, 7)),
]
ADJUSTED_WORKDAYS_2026 = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
                          D(2026, 10, 10)]


def days(a, b):
    return [D.fromordinal(o) for o in range(a.toordinal(), b.toordinal() + 1)]


@pytest.mark.django_db
def test_2026_holidays_and_adjusted_working_days():
    for a, b in HOLIDAYS_2026:
        for d in days(a, b):
            assert not calendar.is_workday(d), d
    for d in ADJUSTED_WORKDAYS_2026:
        assert calendar.is_workday(d), d
        assert calendar.day_reason(d) == "调休上班"
    assert calendar.day_reason(D(2026, 2, 17)) == "春节"
    assert calendar.day_reason(D(2026, 3, 7)) == "周末"
    assert calendar.day_reason(D(2026, 3, 9)) == "工作日"


@pytest.mark.django_db
def test_arithmetic():
    assert calendar.add_workdays(D(2026, 2, 13), 10) == D(2026, 3, 5)
    assert calendar.add_workdays(D(2026, 2, 13), 0) == D(2026, 2, 13)
    assert calendar.next_workday(D(2026, 2, 14)) == D(2026, 2, 24)
    assert calendar.workdays_between(D(2026, 2, 13), D(2026, 3, 5)) == 10
    assert calendar.workdays_between(D(2026, 3, 5), D(2026, 2, 13)) == -10
    assert calendar.add_workdays(D(2025, 12, 30), 2) == D(2026, 1, 4)  # 12/31, then the 调休 Sunday after 元旦


@pytest.mark.django_db
def test_unknown_year_raises_with_a_chinese_message():
    with pytest.raises(calendar.CalendarYearUnknown, match="2036 年"):
        calendar.is_workday(D(2036, 3, 3))


def test_a_confirmed_notice_makes_a_year_known_and_zone_override_is_local(world):
    from kaifaqu.core.calendar.services import do_confirm_year

    do_set_override(SYSTEM, date=D(2036, 1, 1), is_workday=False, reason="2036年元旦")
    with pytest.raises(calendar.CalendarYearUnknown):  # one platform row does not make the year known
        calendar.is_workday(D(2036, 1, 2))
    do_confirm_year(world.sysadmin, year=2036, notice_no="国办发明电〔2035〕5号")
    assert not calendar.is_workday(D(2036, 1, 1))
    assert calendar.is_workday(D(2036, 1, 2))  # Wednesday: the rest of a noticed year follows Monday–Friday
    do_set_override(SYSTEM, date=D(2026, 3, 10), is_workday=False, reason="本区防汛停工", zone=world.zone)
    assert not calendar.is_workday(D(2026, 3, 10), zone_id=world.zone.pk)
    assert calendar.day_reason(D(2026, 3, 10), zone_id=world.zone.pk) == "本区防汛停工"
    assert calendar.is_workday(D(2026, 3, 10), zone_id=world.other_zone.pk)
    assert calendar.is_workday(D(2026, 3, 10))
    assert AuditEvent.objects.filter(action="calendar.set_override").count() == 2


def test_override_validation_and_permission(world):
    from kaifaqu.core.errors import Forbidden, RuleViolation

    with pytest.raises(RuleViolation):  # outside what the calendar covers: 422, a rule the schema cannot state
        do_set_override(SYSTEM, date=D(1989, 12, 31), is_workday=False, reason="x")
    with pytest.raises(InvalidInput):
        do_set_override(SYSTEM, date=D(2026, 3, 10), is_workday=False, reason=" ")
    with pytest.raises(Forbidden):
        do_set_override(world.leader, date=D(2026, 3, 10), is_workday=False, reason="x")
    row = do_set_override(world.sysadmin, date=D(2026, 3, 10), is_workday=False, reason="停电")
    assert not calendar.is_workday(D(2026, 3, 10))
    do_remove_override(world.sysadmin, row)
    assert calendar.is_workday(D(2026, 3, 10))


def test_override_pages(world, client_for):
    client = client_for(world.sysadmin)
    response = client.post("/core/calendar/new/", {"date": "2026-03-10", "is_workday": "0", "reason": "停电"})
    assert response.status_code == 302
    assert "停电" in client.get("/core/calendar/").content.decode()
    assert client.post("/core/calendar/new/", {"date": "2026-03-10", "is_workday": "0", "reason": ""}).status_code == 400
    assert client_for(world.leader).get("/core/calendar/").status_code == 403


def test_workdays_command(db, capsys):
    call_command("workdays", "add", "2026-02-13", "10")
    assert capsys.readouterr().out.strip() == "2026-03-05"
    call_command("workdays", "between", "2026-02-13", "2026-03-05")
    assert capsys.readouterr().out.strip() == "10"
    call_command("workdays", "is", "2026-02-14")
    assert capsys.readouterr().out.strip() == "工作日（调休上班）"
    call_command("workdays", "is", "2026-02-17")
    assert capsys.readouterr().out.strip() == "休息日（春节）"
    with pytest.raises(SystemExit) as exc:
        call_command("workdays", "add", "2036-02-13", "10")
    assert exc.value.code == 2


def test_calendar_api(world, api_for):
    api = api_for(world.leader)
    assert api.get("/api/v1/calendar/add", {"date": "2026-02-13", "days": 10}).json()["result"] == "2026-03-05"
    assert api.get("/api/v1/calendar/between", {"start": "2026-02-13", "end": "2026-03-05"}).json()["workdays"] == 10
    due = api.get("/api/v1/calendar/deadline", {"start": "2026-02-13T10:00", "limit": 10, "unit": "workdays"}).json()
    assert due == {"due_at": "2026-03-05T23:59:59+08:00", "provisional": False}
    bad = api.get("/api/v1/calendar/add", {"date": "2026-13-01", "days": 10})
    assert bad.status_code == 400 and "date" in bad.json()["fields"]
    assert api.get("/api/v1/calendar/add", {"date": "2026-02-13", "days": -1}).status_code == 400
    unknown = api.get("/api/v1/calendar/add", {"date": "2036-02-13", "days": 10})
    assert unknown.status_code == 422 and unknown.json()["code"] == "calendar_year_unknown"
    assert api.get("/api/v1/calendar/add", {"date": "2026-02-13", "days": 1, "zone": world.other_zone.pk}).status_code == 400
