"""Provisional years: the statutory holidays of 《全国年节及纪念日放假办法》 (2024) until the State Council's notice
is entered and confirmed; 预估 on every due date computed over them; confirming recomputes the open clocks.

Tests about "a year the library does not know" derive it from the installed chinesecalendar; tests about the 2027
statutory dates make 2027 provisional explicitly (``provisional_2027``), so they hold when the library learns 2027.
"""

import datetime
import pathlib
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.core.management import call_command
from django.template import Context, Template

from kaifaqu.core import calendar, clock
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.calendar import compute
from kaifaqu.core.calendar import statutory as calendar_statutory
from kaifaqu.core.calendar.models import PublishedYear
from kaifaqu.core.calendar.services import do_confirm_year, do_set_override
from kaifaqu.core.clock.api import ClockSerializer
from kaifaqu.core.errors import Forbidden, InvalidInput, RuleViolation

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")
FIRST_UNKNOWN = max(chinese_calendar.constants.holidays).year + 1  # the first year the library lacks


def at(*args):
    return datetime.datetime(*args, tzinfo=SH)


@pytest.fixture
def dec_2026(time_machine):
    time_machine.move_to(at(2026, 12, 2, 10), tick=False)


@pytest.fixture
def provisional_2027(monkeypatch, dec_2026):
    """2027 treated as a year the built-in calendar does not know, on 2026-12-02 (horizon 2028)."""
    monkeypatch.setattr(compute, "_library_last", lambda: 2026)
    calendar.invalidate()


def test_statutory_days_of_2027():
    spring = [d for d, name in calendar_statutory.holidays(2027).items() if name == "春节"]
    assert sorted(spring) == [D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]  # 除夕 2/5 to 初三 2/8
    off = calendar_statutory.days_off(2027)
    # Sat 2/6 and Sun 2/7 are made up on the next working days, Tue 2/9 and Wed 2/10 (article 6).
    assert {d: off[d] for d in off if d.month == 2} == {
        D(2027, 2, 5): "春节", D(2027, 2, 8): "春节", D(2027, 2, 9): "春节补休", D(2027, 2, 10): "春节补休"}
    assert off[D(2027, 1, 1)] == "元旦" and off[D(2027, 4, 5)] == "清明节"
    assert off[D(2027, 6, 9)] == "端午节" and off[D(2027, 9, 15)] == "中秋节"
    # 劳动节 5/1–5/2 is a weekend: Monday and Tuesday; 国庆 10/2–10/3 likewise.
    assert off[D(2027, 5, 3)] == off[D(2027, 5, 4)] == "劳动节补休"
    assert off[D(2027, 10, 1)] == "国庆节" and off[D(2027, 10, 4)] == off[D(2027, 10, 5)] == "国庆节补休"
    assert len(off) == 13


def test_statutory_days_agree_with_the_official_2026_calendar():
    for d, name in calendar_statutory.holidays(2026).items():
        on_holiday, _ = chinese_calendar.get_holiday_detail(d)
        assert on_holiday, (d, name)


def test_2027_spring_festival_is_computed_off(db, provisional_2027):
    for d in (D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10)):
        assert not calendar.is_workday(d), d
    assert calendar.is_workday(D(2027, 2, 11)) and calendar.is_workday(D(2027, 2, 4))
    assert not calendar.is_workday(D(2027, 2, 13))  # a Saturday: no 调休 in a provisional year
    info = calendar.day_info(D(2027, 2, 9))
    assert info["reason"] == "春节补休" and info["source_label"] == "预估" and info["provisional"]
    assert calendar.day_reason(D(2027, 2, 8)) == "春节"
    assert calendar.day_info(D(2027, 2, 6))["reason"] == "春节"  # 正月初一 on a Saturday: shown, made up on 2/9
    assert calendar.day_info(D(2027, 2, 13))["source"] == ""
    assert calendar.add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 11)


def test_horizon_provisional_and_refused_years(db, dec_2026):
    assert calendar.horizon() == 2028
    for year in range(FIRST_UNKNOWN, 2029):
        assert calendar.year_status(year) == calendar.PROVISIONAL
    if FIRST_UNKNOWN <= 2028:
        assert calendar.is_workday(D(2028, 1, 4)) and not calendar.is_workday(D(2028, 1, 3))  # 元旦 Sat → Mon
    if FIRST_UNKNOWN <= 2029:
        with pytest.raises(calendar.CalendarYearUnknown) as exc:
            calendar.is_workday(D(2029, 3, 1))
        message = str(exc.value)
        assert "2029 年" in message and "系统管理员" in message and "国务院办公厅通知" in message
        assert "chinesecalendar" not in message and "升级" not in message


def test_thirty_working_days_from_2026_12_02_answer_provisional(world, api_for, capsys, provisional_2027):
    due = clock.compute("workdays", 30, at(2026, 12, 2, 10), [], 0)
    # 12/3 … 12/31 are 21 working days; 元旦 Friday 1/1/2027 is skipped; 1/4 … 1/14 are the other 9.
    assert due.due_at == at(2027, 1, 14, 23, 59, 59) and due.provisional
    assert not clock.compute("workdays", 10, at(2026, 12, 2, 10), [], 0).provisional  # due 12/16: official
    assert not clock.compute("days", 60, at(2026, 12, 2, 10), [], 0).provisional  # calendar days: no calendar
    api = api_for(world.leader)
    body = api.get("/api/v1/calendar/deadline", {"start": "2026-12-02T10:00", "limit": 30, "unit": "workdays"}).json()
    assert body == {"due_at": "2027-01-14T23:59:59+08:00", "provisional": True}
    added = api.get("/api/v1/calendar/add", {"date": "2026-12-20", "days": 10}).json()
    assert added["result"] == "2027-01-04" and added["provisional"] is True
    assert api.get("/api/v1/calendar/add", {"date": "2026-12-01", "days": 1}).json()["provisional"] is False
    call_command("deadline", "2026-12-02T10:00", "30", "workdays")
    assert capsys.readouterr().out.strip().startswith("2027-01-14T23:59:59+08:00 预估")
    call_command("workdays", "add", "2026-12-20", "10")
    assert capsys.readouterr().out.strip().startswith("2027-01-04 预估")
    call_command("deadline", "2026-12-02T10:00", "10", "workdays")
    assert "预估" not in capsys.readouterr().out
    call_command("workdays", "is", "2027-02-09")
    assert capsys.readouterr().out.strip().startswith("休息日（春节补休） 预估")
    call_command("workdays", "between", "2026-12-02", "2027-01-14")
    assert capsys.readouterr().out.strip().startswith("30 预估")
    call_command("workdays", "between", "2026-12-02", "2026-12-16")
    assert capsys.readouterr().out.strip() == "10"

    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=30, started_at=at(2026, 12, 2, 10))
    assert c.provisional and ClockSerializer(c).data["provisional"] is True
    badge = Template("{% load clocks %}{% clock_badge c %}").render(Context({"c": c}))
    assert "预估" in badge
    short = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=5, started_at=at(2026, 12, 2, 10))
    assert not short.provisional and "预估" not in Template("{% load clocks %}{% clock_badge c %}").render(
        Context({"c": short}))


def test_a_platform_override_alone_does_not_make_a_year_official(world, provisional_2027):
    do_set_override(SYSTEM, date=D(2027, 1, 1), is_workday=False, reason="2027年元旦")
    assert not calendar.is_official(2027) and calendar.year_status(2027) == calendar.PROVISIONAL
    assert not calendar.is_workday(D(2027, 2, 8))  # the Spring Festival stays off, not a Monday–Friday guess
    assert calendar.known_until(D(2026, 12, 2)) == D(2026, 12, 31)
    assert calendar.day_info(D(2027, 1, 1))["source_label"] == "国务院通知"


def test_an_unknown_year_with_one_platform_row_is_still_refused(world, dec_2026):
    year = max(FIRST_UNKNOWN, calendar.horizon() + 1)
    do_set_override(SYSTEM, date=D(year, 1, 1), is_workday=False, reason="元旦")
    with pytest.raises(calendar.CalendarYearUnknown):
        calendar.is_workday(D(year, 1, 4))


NOTICE_2027 = [  # constructed: 元旦 1/1–1/3, 春节 2/5–2/12 with Saturday 2/13 worked
    *[(D(2027, 1, d), False, "元旦") for d in (1, 2, 3)],
    *[(D(2027, 2, d), False, "春节") for d in range(5, 13)],
    (D(2027, 2, 13), True, "调休上班"),
]


def test_entering_and_confirming_a_2027_notice_recomputes_open_clocks(world, provisional_2027):
    long = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=50,
                       started_at=at(2026, 12, 2, 10))
    # Provisional: … 2/1–2/4 (45), 2/5 and 2/8–2/10 off, 2/11, 2/12, 2/15, 2/16, 2/17 → 50.
    assert long.due_at == at(2027, 2, 17, 23, 59, 59) and long.provisional
    jan = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=30, started_at=at(2026, 12, 2, 10))
    assert jan.due_at == at(2027, 1, 14, 23, 59, 59) and jan.provisional
    for d, work, reason in NOTICE_2027:
        do_set_override(world.sysadmin, date=d, is_workday=work, reason=reason)
    long.refresh_from_db()
    # The notice's days apply on top at once: 2/11 and 2/12 off, Saturday 2/13 worked → 2/18; still 预估.
    assert long.due_at == at(2027, 2, 18, 23, 59, 59) and long.provisional
    before = AuditEvent.objects.filter(action="clock.recompute").count()

    row = do_confirm_year(world.sysadmin, year=2027, notice_no="国办发明电〔2026〕9号")
    assert row.confirmed_by == world.sysadmin and calendar.is_official(2027)
    long.refresh_from_db()
    jan.refresh_from_db()
    assert long.due_at == at(2027, 2, 18, 23, 59, 59) and not long.provisional
    assert jan.due_at == at(2027, 1, 14, 23, 59, 59) and not jan.provisional
    # Official now: 2/9 stays off by the notice, but Monday 5/3 (a statutory make-up day) is worked.
    assert calendar.is_workday(D(2027, 5, 3)) and calendar.day_info(D(2027, 2, 9))["source"] == "notice"
    events = AuditEvent.objects.filter(action="clock.recompute").order_by("id")[before:]
    assert len(events) == 2 and all("国办发明电〔2026〕9号" in e.reason for e in events)
    assert all(e.before["provisional"] is True and e.after["provisional"] is False for e in events)
    confirm = AuditEvent.objects.get(action="calendar.confirm_year")
    assert confirm.after["year"] == 2027 and confirm.after["holidays"] == 11 and confirm.after["working_days"] == 1
    assert calendar.known_until(D(2026, 12, 2)) == D(2027, 12, 31)


def test_confirming_moves_a_clock_the_estimate_had_wrong(world, provisional_2027):
    # A clock due on Wednesday 5/5: 劳动节 5/1–5/2 fell on a weekend, so Monday 5/3 and Tuesday 5/4 were estimated off.
    c = clock.start(SYSTEM, world.department, kind="test", unit="workdays", limit=3, started_at=at(2027, 4, 29, 9))
    assert c.due_at == at(2027, 5, 6, 23, 59, 59) and c.provisional  # 4/30, 5/5, 5/6
    do_set_override(world.sysadmin, date=D(2027, 5, 1), is_workday=False, reason="劳动节")
    do_confirm_year(world.sysadmin, year=2027, notice_no="国办发明电〔2026〕9号")
    c.refresh_from_db()
    assert c.due_at == at(2027, 5, 4, 23, 59, 59) and not c.provisional  # 4/30, 5/3, 5/4
    assert AuditEvent.objects.filter(action="clock.recompute", object_id=c.object_id).exists()


def test_confirm_year_is_checked(world, provisional_2027):
    with pytest.raises(Forbidden):
        do_confirm_year(world.leader, year=2027, notice_no="x")
    with pytest.raises(InvalidInput):
        do_confirm_year(world.sysadmin, year=2027, notice_no="  ")
    with pytest.raises(RuleViolation, match="尚未录入 2027 年"):  # no day off of the notice entered yet
        do_confirm_year(world.sysadmin, year=2027, notice_no="国办发明电〔2026〕9号")
    with pytest.raises(RuleViolation, match="已是正式安排"):
        do_confirm_year(world.sysadmin, year=2026, notice_no="国办发明电〔2025〕7号")
    do_set_override(world.sysadmin, date=D(2027, 1, 1), is_workday=False, reason="元旦")
    do_confirm_year(world.sysadmin, year=2027, notice_no="国办发明电〔2026〕9号")
    with pytest.raises(RuleViolation, match="已是正式安排"):
        do_confirm_year(world.sysadmin, year=2027, notice_no="国办发明电〔2026〕9号")
    assert PublishedYear.objects.count() == 1 and AuditEvent.objects.filter(action="calendar.confirm_year").count() == 1


def test_confirm_year_api_and_page(world, api_for, client_for, provisional_2027):
    do_set_override(world.sysadmin, date=D(2027, 1, 1), is_workday=False, reason="元旦")
    assert api_for(world.leader).post("/api/v1/calendar/years/", {"year": 2027, "notice_no": "x"},
                                      format="json").status_code == 403
    bad = api_for(world.sysadmin).post("/api/v1/calendar/years/", {"year": "abc", "notice_no": ""}, format="json")
    assert bad.status_code == 400 and {"year", "notice_no"} <= set(bad.json()["fields"])
    page = client_for(world.sysadmin)
    form = page.get("/core/calendar/confirm-year/?year=2027").content.decode()
    assert 'value="2027"' in form and "文号" in form
    assert client_for(world.leader).get("/core/calendar/confirm-year/").status_code == 403
    response = page.post("/core/calendar/confirm-year/", {"year": 2027, "notice_no": "国办发明电〔2026〕9号"})
    assert response.status_code == 302 and calendar.is_official(2027)
    listed = api_for(world.leader).get("/api/v1/calendar/years/").json()
    assert listed[0]["year"] == 2027 and listed[0]["notice_no"] == "国办发明电〔2026〕9号"
    again = api_for(world.sysadmin).post("/api/v1/calendar/years/", {"year": 2027, "notice_no": "y"}, format="json")
    assert again.status_code == 422


def test_confirm_year_api_creates(world, api_for, provisional_2027):
    do_set_override(world.sysadmin, date=D(2027, 1, 1), is_workday=False, reason="元旦")
    created = api_for(world.sysadmin).post("/api/v1/calendar/years/", {"year": 2027, "notice_no": "国办发明电〔2026〕9号"},
                                           format="json")
    assert created.status_code == 201 and created.json()["year"] == 2027
    assert created.json()["confirmed_by"] == world.sysadmin.pk


# Month view ------------------------------------------------------------------------------------------------------

def test_month_api(world, api_for, provisional_2027):
    do_set_override(world.sysadmin, date=D(2027, 2, 3), is_workday=False, reason="本区防汛停工", zone=world.zone)
    api = api_for(world.clerk)
    body = api.get("/api/v1/calendar/month", {"year": 2027, "month": 2, "zone": world.zone.pk}).json()
    assert body["status"] == "provisional" and body["status_label"] == "预估" and len(body["days"]) == 28
    days = {d["date"]: d for d in body["days"]}
    assert days["2027-02-09"] == {"date": "2027-02-09", "is_workday": False, "reason": "春节补休",
                                  "source": "provisional", "source_label": "预估", "provisional": True}
    assert days["2027-02-03"]["source"] == "zone" and days["2027-02-03"]["source_label"] == "本区调整"
    assert days["2027-02-11"]["is_workday"] and days["2027-02-11"]["source"] == ""
    platform = api.get("/api/v1/calendar/month", {"year": 2027, "month": 2}).json()
    assert {d["date"]: d for d in platform["days"]}["2027-02-03"]["is_workday"] is True
    official = {d["date"]: d for d in api.get("/api/v1/calendar/month", {"year": 2026, "month": 2}).json()["days"]}
    assert official["2026-02-17"]["source_label"] == "法定节假日" and not official["2026-02-17"]["provisional"]
    assert official["2026-02-14"]["reason"] == "调休上班" and official["2026-02-14"]["source_label"] == "国务院通知"
    refused = api.get("/api/v1/calendar/month", {"year": 2029, "month": 1})
    assert refused.status_code == 422 and refused.json()["code"] == "calendar_year_unknown"
    assert api.get("/api/v1/calendar/month", {"year": 2027, "month": 13}).status_code == 400
    assert api.get("/api/v1/calendar/month", {"year": 2027, "month": 2, "zone": world.other_zone.pk}).status_code == 400


def test_month_page_for_every_zone_user(world, client_for, client, provisional_2027):
    do_set_override(world.sysadmin, date=D(2027, 2, 3), is_workday=False, reason="本区防汛停工", zone=world.zone)
    assert client.get("/core/calendar/month/").status_code == 302  # login required
    for persona in ("leader", "clerk", "enterprise"):
        home = client_for(getattr(world, persona)).get("/").content.decode()
        assert "/core/calendar/month/" in home, persona  # in the menu
    page = client_for(world.clerk).get("/core/calendar/month/?year=2027&month=2").content.decode()
    assert 'data-testid="calendar-month"' in page and 'data-testid="calendar-legend"' in page
    assert 'data-date="2027-02-09"' in page and "春节补休" in page and "预估" in page
    assert "本区防汛停工" in page and "本区调整" in page  # the user's zone by default
    assert "?year=2027&amp;month=1" in page and "?year=2027&amp;month=3" in page  # navigation
    assert 'data-testid="calendar-add-override"' not in page and 'data-testid="calendar-confirm-year"' not in page
    admin = client_for(world.sysadmin).get("/core/calendar/month/?year=2027&month=2").content.decode()
    assert 'data-testid="calendar-add-override"' in admin and 'data-testid="calendar-confirm-year"' in admin
    outsider = client_for(world.outsider).get(f"/core/calendar/month/?year=2027&month=2&zone={world.zone.pk}")
    assert outsider.status_code == 200 and "本区防汛停工" not in outsider.content.decode()  # another zone's days
    refused = client_for(world.clerk).get("/core/calendar/month/?year=2029&month=1")
    assert refused.status_code == 200 and 'data-testid="calendar-refused"' in refused.content.decode()
    template = pathlib.Path(calendar.__file__).parents[1] / "templates/core/calendar_month.html"
    source = template.read_text()
    assert "style=" not in source and "onclick" not in source and "<script" not in source  # CSP without inline


def test_coverage_warning_says_how_to_enter_next_year(world, client_for, time_machine):
    last = FIRST_UNKNOWN - 1
    time_machine.move_to(at(last, 12, 1, 9), tick=False)
    warning = calendar.expiry_warning(D(last, 12, 1))
    assert f"{last + 1} 年的节假日安排尚未录入" in warning and "确认年度安排已发布" in warning
    assert "chinesecalendar" not in warning
    home = client_for(world.sysadmin).get("/").content.decode()
    assert "下一年度节假日安排尚未录入" in home
    listing = client_for(world.sysadmin).get("/core/calendar/").content.decode()
    assert 'data-testid="confirm-year"' in listing and 'data-testid="calendar-expiry"' in listing
    assert "chinesecalendar" not in listing and "正式安排覆盖至" in listing
    month = client_for(world.sysadmin).get("/core/calendar/month/").content.decode()
    assert 'data-testid="calendar-expiry"' in month
    assert 'data-testid="calendar-expiry"' not in client_for(world.clerk).get("/core/calendar/month/").content.decode()


def test_the_horizon_moves_at_the_shanghai_new_year(db, time_machine):
    time_machine.move_to(at(2026, 12, 31, 23, 59), tick=False)
    assert calendar.horizon() == 2028
    time_machine.move_to(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC), tick=False)  # 00:30 in Shanghai
    assert calendar.horizon() == 2029  # no cache reset needed
    time_machine.move_to(at(2026, 6, 1, 9), tick=False)
    assert calendar.horizon() == 2028
