"""The powers API on the kit's test mixins (tests/kit_api.py), and its rules through HTTP."""

import itertools

from kaifaqu.core.access import SYSTEM
from kaifaqu.powers import services
from kaifaqu.powers.models import Batch, Holding, ListVersion, PowerItem, PowerKind, StandardItem
from kaifaqu.powers.workflow import LIST
from tests import kit_api as kit

API = "/api/v1"
_n = itertools.count(1)


def standard(zone, **kw):
    n = next(_n)
    return services.do_create_standard(SYSTEM, zone, code=kw.pop("code", f"T{n:05d}"), name=f"事项{n}",
                                       kind=PowerKind.LICENSING, basis="《中华人民共和国行政许可法》第十二条", **kw)


def item(zone, **kw):
    kw.setdefault("implementing_body", "管委会")
    return services.do_claim(SYSTEM, standard(zone), **kw)


class TestStandards(kit.ReadTests, kit.CreateTests):
    url = f"{API}/power-standards/"
    model = StandardItem
    create_persona = "sysadmin"
    list_queries = 2

    def make(self, world, zone):
        return standard(zone)

    def create_data(self, world):
        return {"zone": world.zone.pk, "code": "370XK9999", "name": "新标准事项", "power_type": "penalty",
                "basis": "《中华人民共和国行政处罚法》第十八条"}


class TestItems(kit.ReadTests, kit.UpdateTests, kit.ActionTests):
    url = f"{API}/power-items/"
    model = PowerItem
    persona = "clerk"
    list_queries = 2
    update_data = {"undertaking_unit": "规划国土处", "duties": ["受理", "审查"]}
    actions = {"remove": kit.Action(data={"reason": "重复"}, status=204)}

    def make(self, world, zone):
        return item(zone)

    def test_action(self, world, api_for, action_path):
        obj = self.make(world, world.zone)
        response = self.client(world, api_for).post(f"{self.detail_url(obj.pk)}remove/", {"reason": "重复"},
                                                    format="json")
        assert response.status_code == 204
        assert not PowerItem.objects.filter(pk=obj.pk).exists()


class TestBatches(kit.ModelTests):
    url = f"{API}/power-batches/"
    model = Batch
    list_queries = 2
    update_data = {"document_no": "X政发〔2022〕13号"}

    def make(self, world, zone):
        return services.do_create_batch(SYSTEM, zone, name=f"第{next(_n)}批")

    def create_data(self, world):
        return {"zone": world.zone.pk, "name": "第三批赋权事项", "document_no": "X政发〔2026〕1号",
                "document_date": "2026-03-01"}


class TestVersions(kit.ReadTests, kit.UpdateTests):
    url = f"{API}/power-versions/"
    model = ListVersion
    list_queries = 2
    update_data = {"title": "调整后的清单"}

    def make(self, world, zone):
        return item(zone).list_version

    def make_many(self, world, n):
        for i in range(n):
            version = self.make(world, world.zone)
            LIST.perform(SYSTEM, version, "submit")
            LIST.perform(SYSTEM, version, "approve")
            LIST.perform(SYSTEM, version, "publish", payload={"publish_no": f"第{i}号", "date": "2026-01-01"})


def test_claim_through_the_api(world, api_for):
    s = standard(world.zone, code="370XK0001")
    client = api_for(world.clerk)
    response = client.post(f"{API}/power-standards/{s.pk}/claim/", {
        "implementing_body": "示范经济开发区管理委员会", "duties": ["受理责任", "审查责任"], "holding": "entrusted",
        "holding_doc_no": "X政发〔2022〕12号", "legal_bases": [{"law": "中华人民共和国行政许可法", "article": "第二十四条"}]},
        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "370XK0001" and body["power_type"] == "licensing" and body["holding"] == "entrusted"
    assert body["duties"] == ["受理责任", "审查责任"] and body["is_custom"] is False
    assert body["legal_bases"] == [{"law": "中华人民共和国行政许可法", "article": "第二十四条", "clause": "", "item": ""}]
    again = client.post(f"{API}/power-standards/{s.pk}/claim/", {}, format="json")
    assert again.status_code == 409 and "已认领" in again.json()["detail"]
    bad = api_for(world.clerk).post(f"{API}/power-standards/{s.pk}/claim/", {"name": "x"}, format="json")
    assert bad.status_code == 400 and "name" in bad.json()["fields"]


def test_editing_a_standard_field_of_a_claimed_item_is_422(world, api_for):
    obj = item(world.zone)
    response = api_for(world.clerk).patch(f"{API}/power-items/{obj.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 422
    assert obj.code in response.json()["detail"] and "name" in response.json()["fields"]


def test_own_item_and_unknown_type(world, api_for):
    client = api_for(world.clerk)
    response = client.post(f"{API}/power-items/", {"zone": world.zone.pk, "code": "KFQ-1", "name": "项目代办",
                                                   "power_type": "public_service"}, format="json")
    assert response.status_code == 201 and response.json()["is_custom"] is True
    bad = client.post(f"{API}/power-items/", {"zone": world.zone.pk, "code": "KFQ-2", "name": "x",
                                              "power_type": "行政指导"}, format="json")
    assert bad.status_code == 400 and "power_type" in bad.json()["fields"]
    foreign = client.post(f"{API}/power-items/", {"zone": world.other_zone.pk, "code": "KFQ-3", "name": "x"},
                          format="json")
    assert foreign.status_code == 400 and "zone" in foreign.json()["fields"]


def test_batch_counts(world, api_for):
    batch = services.do_create_batch(SYSTEM, world.zone, name="第一批", document_no="X1")
    item(world.zone, batch=batch, holding=Holding.AUTHORISED, holding_doc_no="X1")
    response = api_for(world.street).get(f"{API}/power-batches/{batch.pk}/counts/")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1 and body["by_kind"] == [{"code": "licensing", "label": "行政许可", "count": 1}]
