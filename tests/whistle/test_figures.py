"""The unit figures on a constructed data set whose answers are worked out by hand (formulas in
docs/modules/whistle.md)."""

import pytest

from kaifaqu.core import clock
from kaifaqu.core.access import SYSTEM
from kaifaqu.whistle import services
from kaifaqu.whistle.queries import unit_figures
from kaifaqu.whistle.services import act
from tests.whistle.conftest import at


def blow(world, when, lead, supporters=()):
    return services.do_blow(SYSTEM, world.zone, kind="key_task", title="考核样本", description="d", matter="其他",
                            lead=lead, supporters=list(supporters), now=when, on_behalf_of=world.leader)


def close(w, when, rating, comment=""):
    act(SYSTEM, w, "visit", note="回访", now=when)
    act(SYSTEM, w, "rate", payload={"rating": rating, "comment": comment}, now=when)


@pytest.fixture
def march(world):
    zrzy, street, station = world.city_dept, world.street_org, world.stationed_org
    # W1: zrzy reports in within the hour and solves at once on Wednesday; 满意.
    w1 = blow(world, at(2026, 3, 2, 10), zrzy)
    a = w1.assignments.get()
    act(SYSTEM, a, "report_in", now=at(2026, 3, 2, 11))
    act(SYSTEM, a, "solve", payload={"result": "ok"}, now=at(2026, 3, 4, 15))
    close(w1, at(2026, 3, 5, 10), "satisfied")
    # W2: zrzy reports in a day late (urged by tick on 3/11), plans to 3/13, solves 3/16 (late); 基本满意.
    w2 = blow(world, at(2026, 3, 9, 10), zrzy)
    a = w2.assignments.get()
    clock.run_due(at(2026, 3, 11, 9))
    clock.run_ladder(at(2026, 3, 11, 9))
    act(SYSTEM, a, "report_in", now=at(2026, 3, 11, 10))
    act(SYSTEM, a, "plan", payload={"plan": "p", "committed_date": "2026-03-13"}, now=at(2026, 3, 11, 11))
    act(SYSTEM, a, "solve", payload={"result": "ok"}, now=at(2026, 3, 16, 15))
    close(w2, at(2026, 3, 17, 10), "basic")
    # W3: the street leads, zrzy supports but returns it; re-dispatched to the tax office; 不满意 → rework → 满意.
    w3 = blow(world, at(2026, 3, 16, 10), street, [zrzy])
    lead, wrong = w3.assignments.get(org=street), w3.assignments.get(org=zrzy)
    act(SYSTEM, lead, "report_in", now=at(2026, 3, 16, 11))
    act(SYSTEM, wrong, "return", note="错派", now=at(2026, 3, 16, 14))
    act(SYSTEM, lead, "solve", payload={"result": "ok"}, now=at(2026, 3, 17, 10))
    act(SYSTEM, w3, "redispatch", payload={"assignment": wrong.pk, "org": station.pk}, now=at(2026, 3, 17, 9))
    new = w3.assignments.get(org=station)
    act(SYSTEM, new, "report_in", now=at(2026, 3, 17, 10))
    act(SYSTEM, new, "solve", payload={"result": "ok"}, now=at(2026, 3, 18, 10))
    close(w3, at(2026, 3, 19, 10), "unsatisfied", "未解决")
    lead.refresh_from_db()
    act(SYSTEM, lead, "solve", payload={"result": "重办完成"}, now=at(2026, 3, 20, 10))
    close(w3, at(2026, 3, 23, 10), "satisfied")
    # W4 in April: outside March, inside 2026 and 2026-Q2.
    blow(world, at(2026, 4, 1, 10), zrzy)
    return world


def test_unit_figures_for_march(march):
    world = march
    rows = {r["org"]: r for r in unit_figures(world.zone.pk, "2026-03")}
    z = rows[world.city_dept.pk]
    # received 3 (one returned) → 2 due; on time: W1 only
    assert (z["received"], z["returned"], z["reported_on_time"], z["solved"], z["solved_on_time"]) == (3, 1, 1, 2, 1)
    assert (z["response_rate"], z["solve_rate"], z["on_time_rate"]) == (50.0, 100.0, 50.0)
    assert z["satisfaction_rate"] == 95.0  # (1 满意 + 0.9 × 1 基本满意) / 2
    assert z["return_rate"] == 33.3 and z["rework_rate"] == 0.0
    assert z["mean_workdays"] == 3.5  # W1 3/2→3/4: 2; W2 3/9→3/16: 5
    assert (z["urges"], z["supervisions"]) == (1, 0)
    # 20×0.5 + 20×1 + 30×0.5 + 30×0.95 = 73.5, minus 10 × 33.3 % returned = 70.17
    assert z["score"] == 70.17
    s = rows[world.street_org.pk]
    assert (s["received"], s["response_rate"], s["solve_rate"], s["on_time_rate"]) == (1, 100.0, 100.0, 100.0)
    assert s["satisfaction_rate"] == 50.0 and s["rework_rate"] == 100.0 and s["mean_workdays"] == 4.0
    assert s["score"] == 75.0  # 20 + 20 + 30 + 30 × 0.5 − 10 × 100 %
    t = rows[world.stationed_org.pk]
    assert t["received"] == 1 and t["rated"] == 0 and t["satisfaction_rate"] is None
    assert t["score"] == 100.0  # not rated: the other rates carry the whole weight
    assert [r["org"] for r in unit_figures(world.zone.pk, "2026-03")[:3]] == [
        world.stationed_org.pk, world.street_org.pk, world.city_dept.pk]
    assert rows[world.department.pk]["score"] is None  # received nothing


def test_periods_and_weights(march, api_for):
    world = march
    by = {p: {r["org"]: r for r in unit_figures(world.zone.pk, p)} for p in ("2026", "2026-Q2", "2026-04")}
    assert by["2026"][world.city_dept.pk]["received"] == 4
    assert by["2026-Q2"][world.city_dept.pk]["received"] == by["2026-04"][world.city_dept.pk]["received"] == 1
    services.do_set_scoring(world.leader, world.zone, basic_weight="0.5")
    assert {r["org"]: r for r in unit_figures(world.zone.pk, "2026-03")}[world.city_dept.pk][
        "satisfaction_rate"] == 75.0
    r = api_for(world.leader).get("/api/v1/whistles/metrics/", {"period": "2026-03"})
    assert r.status_code == 200
    body = {u["org"]: u for u in r.json()["units"]}
    assert body[world.street_org.pk]["score"] == 75.0 and body[world.city_dept.pk]["received"] == 3
    assert api_for(world.leader).get("/api/v1/whistles/metrics/", {"period": "2026-Q5"}).status_code == 400
    assert api_for(world.street).get("/api/v1/whistles/metrics/", {"period": "2026"}).status_code == 403
