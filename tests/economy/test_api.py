"""The economy API: the kit's mixins per model, the check character and contacts, indicator figures."""

from decimal import Decimal

from kaifaqu.core.access import SYSTEM
from kaifaqu.economy import services
from kaifaqu.economy.models import Enterprise, ExternalRanking, Indicator, IndicatorValue, SubmissionTask
from tests import kit_api as kit
from tests.economy.helpers import code, corrupt, enterprise, indicator, task

COUNTER = iter(range(1000, 100000))


class TestEnterprises(kit.ModelTests):
    url = "/api/v1/enterprises/"
    model = Enterprise
    persona = "clerk"
    list_queries = 2
    update_data = {"employees": 120, "status": "building"}

    def make(self, world, zone):
        return enterprise(zone, next(COUNTER))

    def create_data(self, world):
        return {"zone": world.zone.pk, "name": "接口企业", "uscc": code(55), "industry_code": "3670",
                "park": world.park.pk, "employees": 30, "land_mu": "12.50"}


class TestIndicators(kit.ModelTests):
    url = "/api/v1/indicators/"
    model = Indicator
    persona = "leader"
    list_queries = 2
    update_data = {"name": "入库税收"}

    def make(self, world, zone):
        n = next(COUNTER)
        return indicator(zone, f"i{n}", name=f"指标{n}")

    def create_data(self, world):
        return {"zone": world.zone.pk, "code": "power", "name": "用电量", "unit": "万千瓦时", "period_kind": "month"}


class TestValues(kit.ReadTests):
    url = "/api/v1/indicator-values/"
    model = IndicatorValue
    persona = "clerk"
    list_queries = 2

    def make(self, world, zone):
        ind = indicator(zone)
        ent = enterprise(zone, next(COUNTER))
        services.do_bulk_values(SYSTEM, ind, [(ent.pk, 2025, 1, Decimal(3))])
        return IndicatorValue.objects.get(enterprise=ent)


class TestRankings(kit.ReadTests, kit.CreateTests):
    url = "/api/v1/external-rankings/"
    model = ExternalRanking
    persona = "leader"
    list_queries = 2

    def make(self, world, zone):
        return services.do_record_ranking(SYSTEM, indicator(zone), year=2026, period=3, scope="全省", rank=19)

    def create_data(self, world):
        return {"indicator": indicator(world.zone).pk, "year": 2026, "period": 3, "scope": "全市", "rank": 3}


class TestTasks(kit.ReadTests, kit.CreateTests):
    url = "/api/v1/submission-tasks/"
    model = SubmissionTask
    persona = "leader"
    list_queries = 2

    def make(self, world, zone):
        org = world.stationed_org if zone == world.zone else world.other_org
        return task(indicator(zone), org, period=1 + next(COUNTER) % 12, year=2000 + next(COUNTER) % 25)

    def create_data(self, world):
        return {"indicator": indicator(world.zone).pk, "org": world.stationed_org.pk, "year": 2026, "period": 10,
                "workdays": 5, "issued_on": "2026-11-02"}


def test_a_wrong_check_character_is_400_naming_the_field(world, api_for):
    r = api_for(world.clerk).post("/api/v1/enterprises/", {"zone": world.zone.pk, "name": "错码", "industry_code": "39",
                                                           "uscc": corrupt(code(9))}, format="json")
    assert r.status_code == 400 and r.json()["fields"] == {"uscc": ["统一社会信用代码校验位不正确。"]}


def test_contacts_only_for_roles_that_need_them(world, api_for):
    e = services.do_create_enterprise(SYSTEM, world.zone, name="联系", uscc=code(10), industry_code="39",
                                      contact_name="王经理", contact_phone="13912345678")
    assert api_for(world.clerk).get(f"/api/v1/enterprises/{e.pk}/").json()["contact_phone"] == "13912345678"
    body = api_for(world.stationed).get(f"/api/v1/enterprises/{e.pk}/").json()
    assert body["contact_phone"] is None and body["contact_name"] is None
    assert "13912345678" not in api_for(world.cityleader).get("/api/v1/enterprises/").content.decode()


def test_the_department_sees_only_its_own_tasks(world, api_for):
    mine = task(indicator(world.zone), world.stationed_org)
    task(indicator(world.zone), world.department)
    ids = [r["id"] for r in api_for(world.stationed).get("/api/v1/submission-tasks/").json()["results"]]
    assert ids == [mine.pk]


def test_indicator_figures(world, api_for):
    ind = indicator(world.zone, "revenue", name="主营业务收入")
    a, b = enterprise(world.zone, 1, park=world.park), enterprise(world.zone, 2)
    services.do_bulk_values(SYSTEM, ind, [(a.pk, 2025, 1, Decimal(50)), (a.pk, 2026, 1, Decimal(60)),
                                          (b.pk, 2026, 1, Decimal(30)), (b.pk, 2025, 1, Decimal(25))])
    body = api_for(world.leader).get(f"/api/v1/indicators/{ind.pk}/figures/", {"year": 2026}).json()
    assert body["through"] == 1 and Decimal(body["current"]) == 90 and Decimal(body["previous"]) == 75
    assert abs(body["growth"] - 0.2) < 1e-9
    assert [r["total"] for r in body["ranking"]] == ["60.0000", "30.0000"]
    assert api_for(world.leader).get(f"/api/v1/indicators/{ind.pk}/figures/").status_code == 400
