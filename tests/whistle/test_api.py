"""The whistle API on the kit's test mixins, plus the 422/409 answers, the filters and the timeline."""

import datetime

from kaifaqu.core.access import SYSTEM
from kaifaqu.org.models import OrgKind
from kaifaqu.whistle import services
from kaifaqu.whistle.models import Assignment, Whistle
from tests import kit_api as kit
from tests.factories import OrgFactory
from tests.whistle.conftest import at

API = "/api/v1"


def lead_of(world, zone):
    if zone == world.zone:
        return world.city_dept
    found = zone.orgs.filter(kind=OrgKind.STREET).first()
    return found or OrgFactory(zone=zone, kind=OrgKind.STREET, code="other-st", name="邻区街道")


def make_whistle(world, zone, kind="key_task"):
    return services.do_blow(SYSTEM, zone, kind=kind, title="接口吹哨", description="描述", matter="其他",
                            lead=lead_of(world, zone))


def reported(world, a):
    services.act(SYSTEM, a, "report_in")


def planned(world, a):
    reported(world, a)
    services.act(SYSTEM, a, "plan", payload={"plan": "方案", "committed_date": _later()})


def _later():
    from django.utils import timezone

    from kaifaqu.core import calendar as cal

    return cal.add_workdays(timezone.localdate(), 5).isoformat()


class TestWhistles(kit.ReadTests, kit.CreateTests, kit.ActionTests):
    url = f"{API}/whistles/"
    model = Whistle
    list_queries = 2

    def make(self, world, zone):
        return make_whistle(world, zone)

    def create_data(self, world):
        return {"kind": "key_task", "title": "接口吹哨", "description": "描述", "matter": "规划用地",
                "lead": world.city_dept.pk, "supporters": [world.street_org.pk], "park": world.park.pk}

    @staticmethod
    def _asked(world, w):
        a = w.assignments.get()
        reported(world, a)
        services.act(SYSTEM, a, "request_extension", note="需时间", payload={"amount": 1})

    @staticmethod
    def _returned(world, w):
        services.act(SYSTEM, w.assignments.get(), "return", note="错派")

    @staticmethod
    def _solved(world, w):
        a = w.assignments.get()
        reported(world, a)
        services.act(SYSTEM, a, "solve", payload={"result": "已解决"})

    @staticmethod
    def _visited(world, w):
        TestWhistles._solved(world, w)
        services.act(SYSTEM, w, "visit", note="已回访")

    actions = {
        "grant-extension": kit.Action(lambda world, w: {"payload": {"assignment": w.assignments.get().pk}},
                                      setup=_asked.__func__),
        "refuse-extension": kit.Action(lambda world, w: {"note": "不予", "payload": {"assignment": w.assignments.get().pk}},
                                       setup=_asked.__func__),
        "redispatch": kit.Action(lambda world, w: {"payload": {"assignment": w.assignments.get().pk,
                                                               "org": world.street_org.pk}},
                                 setup=_returned.__func__),
        "visit": kit.Action({"note": "电话回访"}, setup=_solved.__func__),
        "rate": kit.Action({"payload": {"rating": "basic", "comment": "基本解决"}}, setup=_visited.__func__),
    }


class TestAssignments(kit.ReadTests, kit.ActionTests):
    url = f"{API}/whistle-assignments/"
    model = Assignment
    persona = "city_clerk"
    count_persona = "leader"
    list_queries = 2

    def make(self, world, zone):
        return make_whistle(world, zone).assignments.get()

    actions = {
        "report-in": kit.Action(),
        "solve": kit.Action({"payload": {"result": "已解决"}}, setup=reported),
        "plan": kit.Action(lambda world, a: {"payload": {"plan": "方案", "committed_date": _later()}}, setup=reported),
        "progress": kit.Action({"note": "进展"}, setup=planned),
        "return": kit.Action({"note": "非本单位职责"}),
        "request-extension": kit.Action({"note": "理由", "payload": {"amount": 2}}, setup=reported),
    }


def test_wrong_state_is_422_naming_the_state_and_allowed_actions(world, api_for):
    a = make_whistle(world, world.zone).assignments.get()
    c = api_for(world.city_clerk)
    assert c.post(f"{API}/whistle-assignments/{a.pk}/report-in/", {}, format="json").status_code == 200
    r = c.post(f"{API}/whistle-assignments/{a.pk}/report-in/", {}, format="json")
    body = r.json()
    assert r.status_code == 422 and body["code"] == "invalid_transition" and body["state"] == "reported"
    assert set(body["allowed_actions"]) >= {"solve", "plan", "return", "request_extension"}
    assert "已报到" in body["detail"]


def test_two_users_acting_at_once_one_wins_the_other_gets_409(world, api_for):
    from tests.factories import UserFactory

    a = make_whistle(world, world.zone).assignments.get()
    colleague = UserFactory(username="t_zrzy2", role="city_dept_staff", org=world.city_dept)
    version = a.version
    first = api_for(world.city_clerk).post(f"{API}/whistle-assignments/{a.pk}/report-in/", {"version": version},
                                           format="json")
    second = api_for(colleague).post(f"{API}/whistle-assignments/{a.pk}/return/",
                                     {"version": version, "note": "错派"}, format="json")
    assert first.status_code == 200 and second.status_code == 409 and second.json()["code"] == "stale"
    a.refresh_from_db()
    assert a.state == "reported" and not a.return_reason


def test_another_units_assignment_is_404(units, api_for):
    world = units
    w = services.do_blow(SYSTEM, world.zone, kind="key_task", title="t", description="d", matter="其他",
                         lead=world.street_org, supporters=[world.street2])
    mine = w.assignments.get(org=world.street_org)
    c = api_for(world.street2_user)
    assert c.get(f"{API}/whistle-assignments/{mine.pk}/").status_code == 404
    assert c.post(f"{API}/whistle-assignments/{mine.pk}/report-in/", {}, format="json").status_code == 404
    detail = c.get(f"{API}/whistles/{w.pk}/").json()
    assert [x["org"] for x in detail["assignments"]] == [world.street2.pk]  # its own assignment only


def test_blow_through_the_api_refuses_another_zones_unit(world, api_for):
    r = api_for(world.leader).post(f"{API}/whistles/", {"kind": "key_task", "title": "t", "description": "d",
                                                        "matter": "其他", "lead": world.other_org.pk}, format="json")
    assert r.status_code == 400 and "lead" in r.json()["fields"]
    r = api_for(world.leader).post(f"{API}/whistles/", {"kind": "key_task", "title": "t", "description": "d",
                                                        "matter": "其他", "lead": world.city_dept.pk, "x": 1},
                                   format="json")
    assert r.status_code == 400 and "x" in r.json()["fields"]
    assert api_for(world.street).post(f"{API}/whistles/", {}, format="json").status_code == 403
    assert not Whistle.objects.exists()


def test_filters_and_the_timeline(world, api_for, time_machine):
    time_machine.move_to(at(2026, 7, 6, 10), tick=False)
    late = make_whistle(world, world.zone)
    fresh = services.do_blow(SYSTEM, world.zone, kind="emergency", title="燃气泄漏", description="d", matter="安全生产",
                             lead=world.street_org, park=world.park)
    time_machine.move_to(at(2026, 7, 8, 9), tick=False)  # the key task's report-in (due 7/7) has passed
    services.act(SYSTEM, fresh.assignments.get(), "report_in")
    c = api_for(world.leader)

    def ids(**params):
        r = c.get(f"{API}/whistles/", params)
        assert r.status_code == 200, r.json()
        return {row["id"] for row in r.json()["results"]}

    assert ids(kind="emergency") == {fresh.pk}
    assert ids(unit=world.street_org.pk) == {fresh.pk}
    assert ids(park=world.park.pk) == {fresh.pk}
    assert ids(matter="安全生产") == {fresh.pk}
    assert ids(overdue="true") == {late.pk, fresh.pk}  # the emergency's 24-hour solve clock has run out too
    assert ids(period="2026-07") == ids(period="2026-Q3") == ids(period="2026") == {late.pk, fresh.pk}
    assert ids(period="2026-06") == set()
    assert ids(q="燃气") == {fresh.pk}
    assert ids(state="open") == {late.pk, fresh.pk}
    assert c.get(f"{API}/whistles/", {"period": "2026-13"}).status_code == 400
    body = c.get(f"{API}/whistles/{fresh.pk}/").json()
    assert [s["label"] for s in body["timeline"]] == ["吹哨", "派发", "报到"]
    assert body["assignments"][0]["report_clock"]["unit"] == "minutes"
    assert body["timeline"][2]["since_blow"].endswith("小时）")
    events = c.get(f"{API}/whistle-assignments/{fresh.assignments.get().pk}/events/").json()
    assert [e["action"] for e in events["results"]] == ["report_in"]
    assert datetime.date(2026, 7, 8) == datetime.date.fromisoformat(body["timeline"][2]["at"][:10])
