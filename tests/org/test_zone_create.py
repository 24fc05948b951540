"""A new zone (tenant) is the system administrator's: page and API, with its committee, audited."""

from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.org.models import Org, OrgKind, Zone

API = "/api/v1"


def test_sysadmin_creates_a_zone_with_its_committee_on_the_page(world, client_for):
    c = client_for(world.sysadmin)
    listing = c.get("/org/zones/").content.decode()
    assert "/org/zones/new/" in listing
    form = c.get("/org/zones/new/")
    assert form.status_code == 200 and "党工委（管委会）名称" in form.content.decode()
    response = c.post("/org/zones/new/", {"name": "丙县经济开发区", "code": "bingxian", "kind": "economic",
                                         "level": "provincial", "province": "浙江省", "city": "丙市", "county": "丙县"})
    assert response.status_code == 302, response.content.decode()[:2000]
    zone = Zone.objects.get(code="bingxian")
    assert response["Location"] == f"/org/zones/{zone.pk}/"
    committee = Org.objects.get(zone=zone, kind=OrgKind.COMMITTEE)
    assert committee.name == "丙县经济开发区党工委（管委会）"
    assert AuditEvent.objects.filter(action="zone.create", object_id=str(zone.pk)).exists()
    assert AuditEvent.objects.filter(action="org.create", object_id=str(committee.pk), zone_id=zone.pk).exists()
    again = c.post("/org/zones/new/", {"name": "另一个", "code": "bingxian", "kind": "economic", "level": "provincial"})
    assert again.status_code == 409 and Zone.objects.filter(code="bingxian").count() == 1  # the code is taken


def test_only_the_system_administrator_may_create_a_zone(world, client_for, api_for):
    assert "/org/zones/new/" not in client_for(world.hr).get("/org/zones/").content.decode()
    assert client_for(world.hr).get("/org/zones/new/").status_code == 403
    r = api_for(world.hr).post(f"{API}/zones/", {"name": "丁区", "code": "ding", "kind": "economic",
                                                     "level": "provincial"}, format="json")
    assert r.status_code == 403 and not Zone.objects.filter(code="ding").exists()


def test_zone_create_api(world, api_for):
    api = api_for(world.sysadmin)
    r = api.post(f"{API}/zones/", {"name": "戊高新区", "code": "wu", "kind": "high_tech", "level": "national",
                                   "committee_name": "戊高新区管委会"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["code"] == "wu" and body["kind_label"]
    assert Org.objects.get(zone_id=body["id"], kind=OrgKind.COMMITTEE).name == "戊高新区管委会"
    bad = api.post(f"{API}/zones/", {"name": "", "code": "", "kind": "wizard"}, format="json")
    assert bad.status_code == 400 and {"name", "code", "kind"} <= set(bad.json()["fields"])
    dup = api.post(f"{API}/zones/", {"name": "重复", "code": "wu", "kind": "economic", "level": "provincial"},
                   format="json")
    assert dup.status_code in (400, 409) and Zone.objects.filter(code="wu").count() == 1
    # the leader of an existing zone still edits it (org.change), the new zone stays out of their sight
    assert api_for(world.hr).get(f"{API}/zones/{body['id']}/").status_code == 404


def test_park_list_is_in_the_menu(world, client_for):
    assert "/org/parks/" in client_for(world.hr).get("/").content.decode()
