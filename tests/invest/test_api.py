"""The investment API: the kit's mixins per model, stage actions, the summary endpoint."""

import datetime
from decimal import Decimal

from kaifaqu.core.access import SYSTEM
from kaifaqu.invest import services
from kaifaqu.invest.models import InvestSettings, Project, ServiceLog
from tests import kit_api as kit

YI = Decimal(100000000)


def make_project(world, zone, state="lead"):
    p = services.do_create_project(SYSTEM, zone, name="接口项目", industry_code="3990", lead_on=datetime.date(2024, 1, 1))
    if state != "lead":
        p = services.do_advance(SYSTEM, p, "negotiate", date=datetime.date(2024, 2, 1))
    return p


class TestProjects(kit.ModelTests, kit.ActionTests):
    url = "/api/v1/investment-projects/"
    model = Project
    persona = "clerk"
    list_queries = 2
    update_data = {"investor": "某控股集团", "chain_tags": "数字安防"}
    actions = {
        "negotiate": kit.Action({"payload": {"date": "2024-02-01"}}),
        "drop": kit.Action({"note": "投资方放弃", "payload": {"date": "2024-02-01"}}),
        "sign": kit.Action(lambda world, obj: {"payload": {"date": "2024-01-01", "signed_amount": "100"}},
                           status=422),  # a lead cannot sign
    }

    def make(self, world, zone):
        return make_project(world, zone)

    def create_data(self, world):
        return {"zone": world.zone.pk, "name": "新能源项目", "industry_code": "3841", "source": "agent",
                "source_detail": "招商公司", "park": world.park.pk, "lead_on": "2024-05-01"}


class TestServiceLogs(kit.ReadTests, kit.CreateTests):
    url = "/api/v1/investment-service-logs/"
    model = ServiceLog
    persona = "clerk"
    list_queries = 2

    def make(self, world, zone):
        return services.do_add_log(SYSTEM, make_project(world, zone), kind="visit", date=datetime.date(2024, 3, 1),
                                   content="走访")

    def create_data(self, world):
        return {"project": make_project(world, world.zone).pk, "kind": "help", "date": "2024-03-02",
                "content": "协调用电"}


class TestSettings(kit.ListTests, kit.DetailTests, kit.ForeignTests, kit.UpdateTests):
    """One row per zone: no query-count test (a persona never sees 55 of them)."""

    url = "/api/v1/investment-settings/"
    model = InvestSettings
    persona = "leader"
    update_data = {"stuck_days": 45}

    def make(self, world, zone):
        return services.do_update_settings(SYSTEM, zone, stuck_days=80)


def test_settings_need_their_permission(world, api_for):
    row = services.do_update_settings(SYSTEM, world.zone, stuck_days=80)
    r = api_for(world.clerk).patch(f"/api/v1/investment-settings/{row.pk}/", {"stuck_days": 5}, format="json")
    assert r.status_code == 403


def test_a_stage_date_before_the_previous_is_422_and_the_body_names_the_field(world, api_for):
    p = make_project(world, world.zone)
    r = api_for(world.clerk).post(f"/api/v1/investment-projects/{p.pk}/negotiate/",
                                  {"payload": {"date": "2023-12-31"}, "version": p.version}, format="json")
    assert r.status_code == 422 and "date" in r.json()["fields"] and "早于" in r.json()["detail"]


def test_a_wrong_transition_answers_state_and_allowed_actions(world, api_for):
    p = make_project(world, world.zone)
    r = api_for(world.clerk).post(f"/api/v1/investment-projects/{p.pk}/produce/", {"payload": {"date": "2024-02-01"}},
                                  format="json")
    assert r.status_code == 422
    assert r.json()["state"] == "lead" and r.json()["allowed_actions"] == ["negotiate", "drop"]


def test_an_unknown_industry_code_is_400_naming_the_field(world, api_for):
    r = api_for(world.clerk).post("/api/v1/investment-projects/", {"zone": world.zone.pk, "name": "x",
                                                                   "industry_code": "9999"}, format="json")
    assert r.status_code == 400 and "industry_code" in r.json()["fields"]


def test_a_negative_amount_is_400(world, api_for):
    r = api_for(world.clerk).post("/api/v1/investment-projects/", {"zone": world.zone.pk, "name": "x",
                                                                   "industry_code": "39", "invested_amount": "-1"},
                                  format="json")
    assert r.status_code == 400 and "invested_amount" in r.json()["fields"]


def test_summary_counts_and_amounts_per_tier_and_in_total(world, api_for):
    for amount, day in (("50", datetime.date(2025, 3, 1)), ("10", datetime.date(2025, 4, 1)),
                        ("0.5", datetime.date(2025, 5, 1)), ("7", datetime.date(2024, 5, 1))):
        p = services.do_advance(SYSTEM, make_project(world, world.zone, "negotiating"), "sign", date=day,
                                signed_amount=Decimal(amount) * YI)
    other = services.do_advance(SYSTEM, make_project(world, world.other_zone, "negotiating"), "sign",
                                date=datetime.date(2025, 3, 1), signed_amount=60 * YI)
    assert p and other
    body = api_for(world.leader).get("/api/v1/investment-projects/summary/", {"year": 2025}).json()
    tiers = {t["tier"]: (t["count"], t["amount"]) for t in body["tiers"]}
    assert tiers == {"tier1": (1, "5000000000.00"), "tier2": (1, "1000000000.00"), "tier3": (0, "0.00"),
                     "tier4": (0, "0.00"), "other": (1, "50000000.00")}
    assert body["total"] == {"tier": "total", "label": "合计", "count": 3, "amount": "6050000000.00"}
    assert body["year"] == 2025
    every = api_for(world.leader).get("/api/v1/investment-projects/summary/").json()
    assert every["total"]["count"] == 4


def test_summary_refuses_a_bad_year_and_a_foreign_zone(world, api_for):
    client = api_for(world.leader)
    assert client.get("/api/v1/investment-projects/summary/", {"year": "x"}).status_code == 400
    assert client.get("/api/v1/investment-projects/summary/", {"zone": world.other_zone.pk}).status_code == 400


def test_filters_tier_stuck_and_year(world, api_for):
    p = services.do_advance(SYSTEM, make_project(world, world.zone, "negotiating"), "sign",
                            date=datetime.date(2025, 3, 1), signed_amount=10 * YI)
    make_project(world, world.zone)
    client = api_for(world.clerk)
    ids = [r["id"] for r in client.get("/api/v1/investment-projects/", {"tier": "tier2"}).json()["results"]]
    assert ids == [p.pk]
    assert client.get("/api/v1/investment-projects/", {"signed_year": 2025}).json()["count"] == 1
    services.do_create_project(SYSTEM, world.zone, name="新线索", industry_code="39")  # today: not stuck
    stuck = client.get("/api/v1/investment-projects/", {"stuck": "true"}).json()
    assert stuck["count"] == 2 and "新线索" not in {r["name"] for r in stuck["results"]}
    assert client.get("/api/v1/investment-projects/", {"stuck": "false"}).json()["count"] == 1
