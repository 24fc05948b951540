"""The API counterpart of the 工作日历调整 pages: overrides, working hours, one day, coverage (thin views over
calendar_services; calendar.manage for writes, scoped reads, Chinese errors)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from kaifaqu.accounts.roles import Role
from kaifaqu.core import calendar, clock
from kaifaqu.core.access import SYSTEM
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.calendar.models import WorkdayOverride, WorkingPeriod
from kaifaqu.core.calendar.services import do_set_override, do_set_working_hours, parse_periods
from tests.core.test_calendar_coverage import last_library_year
from tests.factories import UserFactory

D = datetime.date
TZ = timezone.get_default_timezone()
OVERRIDES = "/api/v1/calendar/overrides/"
HOURS = "/api/v1/calendar/working-hours/"


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def is_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def other_admin(world):
    """A calendar maintainer placed in the other zone only: the demo zone's rows are outside its scope."""
    return UserFactory(username="t_sys_other", role=Role.SYS_ADMIN, org=world.other_org, name="邻区管理员")


def test_sysadmin_creates_lists_and_deletes_an_override_audited(world, api_for):
    api = api_for(world.sysadmin)
    created = api.post(OVERRIDES, {"date": "2026-03-05", "is_workday": False, "reason": "本区防汛停工",
                                   "zone": world.zone.pk}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["date"], body["is_workday"], body["zone"], body["zone_name"]) == ("2026-03-05", False,
                                                                                   world.zone.pk, world.zone.name)
    assert not calendar.is_workday(D(2026, 3, 5), world.zone.pk) and calendar.is_workday(D(2026, 3, 5))
    first = api.post(OVERRIDES, {"date": "2026-03-07", "is_workday": True, "reason": "调休上班"}, format="json").json()
    assert (first["zone"], first["zone_name"]) == (None, "全平台")
    # the same day in the same scope again changes the row
    again = api.post(OVERRIDES, {"date": "2026-03-07", "is_workday": True, "reason": "全市调休上班"}, format="json")
    assert again.status_code == 201 and again.json()["id"] == first["id"]
    assert WorkdayOverride.objects.count() == 2

    listing = api.get(OVERRIDES).json()
    assert listing["count"] == 2 and [r["date"] for r in listing["results"]] == ["2026-03-07", "2026-03-05"]
    assert api.get(OVERRIDES, {"zone": "platform"}).json()["count"] == 1
    assert [r["id"] for r in api.get(OVERRIDES, {"zone": world.zone.pk}).json()["results"]] == [body["id"]]
    assert api.get(OVERRIDES, {"is_workday": "true"}).json()["results"][0]["reason"] == "全市调休上班"
    assert api.get(OVERRIDES, {"year": 2025}).json()["count"] == 0
    assert api.get(OVERRIDES, {"zone": "abc"}).status_code == 400
    assert api.get(OVERRIDES, {"zone": "9" * 20}).json()["count"] == 0
    assert api.get(OVERRIDES, {"zone": "²"}).status_code == 400
    assert api.get("/api/v1/calendar/day", {"date": "2026-03-05", "zone": "²"}).status_code == 400
    for year in ("abc", "99999", "0", "2026.5"):
        refused = api.get(OVERRIDES, {"year": year})
        assert refused.status_code == 400 and is_chinese(refused.json()["fields"]["year"][0]), year
    assert api.get(f"{OVERRIDES}{body['id']}/").json()["reason"] == "本区防汛停工"

    gone = api.delete(f"{OVERRIDES}{body['id']}/", {"reason": "误录"}, format="json")
    assert gone.status_code == 204
    assert not WorkdayOverride.objects.filter(pk=body["id"]).exists()
    assert calendar.is_workday(D(2026, 3, 5), world.zone.pk)
    assert AuditEvent.objects.filter(action="calendar.set_override").count() == 3
    removed = AuditEvent.objects.get(action="calendar.remove_override")
    assert removed.reason == "误录" and removed.zone_id == world.zone.pk
    assert api.delete(f"{OVERRIDES}{body['id']}/").status_code == 404


def test_posting_an_override_moves_an_open_clock(world, api_for):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        c = clock.start(world.leader, world.department, kind="t", unit="workdays", limit=10)
        assert c.due_at == at(2026, 3, 16, 23, 59, 59)
        response = api_for(world.sysadmin).post(OVERRIDES, {"date": "2026-03-05", "is_workday": False,
                                                            "reason": "本区防汛停工", "zone": world.zone.pk},
                                                format="json")
        assert response.status_code == 201
        c.refresh_from_db()
        assert c.due_at == at(2026, 3, 17, 23, 59, 59)
        event = AuditEvent.objects.get(action="clock.recompute")
        assert event.object_id == str(world.department.pk) and "本区防汛停工" in event.reason


def test_other_roles_get_403_before_any_lookup(world, api_for):
    row = do_set_override(SYSTEM, date=D(2026, 3, 5), is_workday=False, reason="本区防汛停工", zone=world.zone)
    for persona in ("leader", "outsider"):
        api = api_for(world.users[persona])
        assert api.get(OVERRIDES).status_code == 403
        assert api.post(OVERRIDES, {"date": "x"}, format="json").status_code == 403  # not 400: the role comes first
        for pk in (row.pk, 987654321):
            response = api.delete(f"{OVERRIDES}{pk}/")
            assert response.status_code == 403 and response.json()["code"] == "permission_denied"
        assert api.put(HOURS, {"periods": ["09:00-12:00"]}, format="json").status_code == 403
    assert WorkdayOverride.objects.filter(pk=row.pk).exists() and not WorkingPeriod.objects.exists()


def test_a_row_outside_the_maintainers_zones_is_404_and_a_zone_outside_is_400(world, api_for, other_admin):
    mine = do_set_override(SYSTEM, date=D(2026, 3, 5), is_workday=False, reason="本区防汛停工", zone=world.zone)
    platform = do_set_override(SYSTEM, date=D(2026, 3, 6), is_workday=False, reason="全市停电")
    api = api_for(other_admin)
    assert [r["id"] for r in api.get(OVERRIDES).json()["results"]] == [platform.pk]  # platform rows concern all
    for method in ("get", "delete"):
        response = getattr(api, method)(f"{OVERRIDES}{mine.pk}/")
        control = getattr(api, method)(f"{OVERRIDES}987654321/")
        assert response.status_code == control.status_code == 404
        assert response.json() == control.json()
    assert WorkdayOverride.objects.filter(pk=mine.pk).exists()
    refused = api.post(OVERRIDES, {"date": "2026-03-09", "is_workday": False, "reason": "停工", "zone": world.zone.pk},
                       format="json")
    assert refused.status_code == 400 and refused.json()["fields"] == {"zone": ["开发区无效。"]}
    assert api.put(HOURS, {"zone": world.zone.pk, "periods": []}, format="json").json()["fields"] == {
        "zone": ["开发区无效。"]}
    assert api.get(HOURS, {"zone": world.zone.pk}).status_code == 400


@pytest.mark.parametrize(("payload", "field", "status"), [
    # outside the years the calendar covers: a rule the schema cannot state (422)
    ({"date": "1989-12-31", "is_workday": False, "reason": "太早"}, "date", 422),
    ({"date": "2101-01-01", "is_workday": False, "reason": "太晚"}, "date", 422),
    ({"date": "2026-13-01", "is_workday": False, "reason": "无此日"}, "date", 400),
    ({"date": "2026-03-05", "is_workday": False, "reason": "  "}, "reason", 400),
    ({"date": "2026-03-05", "is_workday": False}, "reason", 400),
    ({"date": "2026-03-05", "is_workday": False, "reason": "停工", "zone": "abc"}, "zone", 400),
    ({"date": "2026-03-05", "is_workday": False, "reason": "停工", "zone": 987654321}, "zone", 400),
    ({"date": "2026-03-05", "is_workday": False, "reason": "停工", "zone": 10 ** 30}, "zone", 400),
])
def test_bad_override_input_is_refused_in_chinese(world, api_for, payload, field, status):
    response = api_for(world.sysadmin).post(OVERRIDES, payload, format="json")
    assert response.status_code == status
    body = response.json()
    assert body["code"] == {400: "invalid", 422: "rule_violation"}[status]
    assert is_chinese(body["detail"]) and field in body["fields"]
    assert all(is_chinese(m) for m in body["fields"][field])
    assert not WorkdayOverride.objects.exists()


def test_working_hours_round_trip_and_overlap_refused(world, api_for):
    api = api_for(world.sysadmin)
    assert api.get(HOURS).json() == {"zone": None, "periods": ["08:30-12:00", "13:30-17:30"], "own": False,
                                     "source": "default"}
    put = api.put(HOURS, {"zone": None, "periods": ["14:00-18:00", "9:00-12:00"]}, format="json")
    assert put.status_code == 200 and put.json() == {"zone": None, "periods": ["09:00-12:00", "14:00-18:00"],
                                                     "own": True, "source": "platform"}
    # a zone without its own table follows the platform's
    assert api_for(world.leader).get(HOURS, {"zone": world.zone.pk}).json() == {
        "zone": world.zone.pk, "periods": ["09:00-12:00", "14:00-18:00"], "own": False, "source": "platform"}
    put = api.put(HOURS, {"zone": world.zone.pk, "periods": ["08:00-12:00"]}, format="json")
    assert put.json() == {"zone": world.zone.pk, "periods": ["08:00-12:00"], "own": True, "source": "zone"}
    assert calendar.working_periods(world.zone.pk) == ((datetime.time(8), datetime.time(12)),)
    assert AuditEvent.objects.filter(action="calendar.set_working_hours").count() == 2

    before = AuditEvent.objects.count()
    refused = api.put(HOURS, {"zone": world.zone.pk, "periods": ["08:00-12:00", "11:00-14:00"]}, format="json")
    assert refused.status_code == 422 and refused.json()["code"] == "rule_violation"
    assert refused.json()["detail"] == "时间段 08:00–12:00 与 11:00–14:00 重叠。"
    assert refused.json()["fields"] == {"periods": ["时间段 08:00–12:00 与 11:00–14:00 重叠。"]}
    for bad, status in ((["8点到12点"], 400), ("08:00-12:00", 400), ([8], 400), (["12:00-08:00"], 422)):
        response = api.put(HOURS, {"zone": world.zone.pk, "periods": bad}, format="json")
        assert response.status_code == status and "periods" in response.json()["fields"], bad
        assert is_chinese(response.json()["detail"])
    assert AuditEvent.objects.count() == before  # nothing written
    assert list(WorkingPeriod.objects.filter(zone=world.zone).values_list("start", "end")) == [
        (datetime.time(8), datetime.time(12))]

    # an empty list restores the inherited table
    restored = api.put(HOURS, {"zone": world.zone.pk, "periods": []}, format="json")
    assert restored.json() == {"zone": world.zone.pk, "periods": ["09:00-12:00", "14:00-18:00"], "own": False,
                               "source": "platform"}
    assert api.get(HOURS, {"zone": "abc"}).json()["fields"] == {"zone": ["开发区无效。"]}


def test_day_endpoint_matches_the_command(world, api_for, capsys):
    from django.core.management import call_command

    do_set_override(SYSTEM, date=D(2026, 3, 5), is_workday=False, reason="本区防汛停工", zone=world.zone)
    api = api_for(world.clerk)
    assert api.get("/api/v1/calendar/day", {"date": "2026-02-17"}).json() == {
        "date": "2026-02-17", "is_workday": False, "reason": "春节"}
    assert api.get("/api/v1/calendar/day", {"date": "2026-03-05"}).json()["is_workday"] is True
    zoned = api.get("/api/v1/calendar/day", {"date": "2026-03-05", "zone": world.zone.pk}).json()
    assert zoned == {"date": "2026-03-05", "is_workday": False, "reason": "本区防汛停工"}
    call_command("workdays", "--zone", "demo", "is", "2026-03-05")
    assert capsys.readouterr().out.strip() == "休息日（本区防汛停工）"
    bad = api.get("/api/v1/calendar/day", {"date": "2026/03/05"})
    assert bad.status_code == 400 and "date" in bad.json()["fields"]
    assert api_for(world.outsider).get("/api/v1/calendar/day", {"date": "2026-03-05",
                                                                "zone": world.zone.pk}).status_code == 400
    unknown = api.get("/api/v1/calendar/day", {"date": f"{calendar.horizon() + 1}-06-01"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "calendar_year_unknown"
    assert is_chinese(unknown.json()["detail"])


def test_coverage_endpoint(world, api_for):
    last = last_library_year()
    with time_machine.travel(at(last, 11, 24, 9), tick=False):
        body = api_for(world.clerk).get("/api/v1/calendar/coverage").json()
    assert body["known_until"] == f"{last}-12-31" and body["days_left"] == 37
    assert "还剩 37 天" in body["warning"]
    with time_machine.travel(at(last, 3, 1, 9), tick=False):
        assert api_for(world.sysadmin).get("/api/v1/calendar/coverage").json()["warning"] == ""
    assert api_for(world.clerk).get("/api/v1/calendar/coverage").status_code == 200
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/calendar/coverage").status_code == 401


def test_working_hours_set_by_service_shown_by_the_api(world, api_for):
    do_set_working_hours(SYSTEM, periods=parse_periods("08:00-12:00"), zone=world.zone)
    assert api_for(world.outsider).get(HOURS).json()["source"] == "default"
    assert api_for(world.leader).get(HOURS, {"zone": world.zone.pk}).json()["source"] == "zone"


def test_schema_lists_the_calendar_endpoints(world, api_for):
    schema = api_for(world.sysadmin).get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/calendar/overrides/", "/api/v1/calendar/overrides/{id}/", "/api/v1/calendar/working-hours/",
                 "/api/v1/calendar/day", "/api/v1/calendar/coverage"):
        assert path in schema["paths"], path
