"""Org API: shapes, writes through services, error bodies, scoping."""

import datetime

import pytest

from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.org import services
from kaifaqu.org.models import Establishment, Org, Plaque, ReorgEvent, Secondment, Staff
from tests.factories import EstablishmentFactory, StaffFactory

API = "/api/v1"


def assert_error(response, status, code=None, fields=()):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}
    assert body["detail"] and not body["detail"].isascii()  # a Chinese message
    if code:
        assert body["code"] == code
    for field in fields:
        assert field in body["fields"], body
    return body


@pytest.fixture
def leader(world, api_for):
    return api_for(world.hr)


def test_zone_list_detail_and_patch(world, leader):
    data = leader.get(f"{API}/zones/").json()
    assert data["count"] == 1 and data["results"][0]["kind_label"] == "经济技术开发区"
    url = f"{API}/zones/{world.zone.pk}/"
    response = leader.patch(url, {"short_name": "示范区", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["short_name"] == "示范区"
    assert response.json()["version"] == 2
    assert_error(leader.patch(url, {"short_name": "旧", "version": 1}, format="json"), 409, "stale")
    assert_error(leader.patch(url, {"level": "galactic"}, format="json"), 400, "invalid", ["level"])
    assert leader.put(url, {"name": "x"}, format="json").status_code == 405
    assert leader.delete(url).status_code == 405


def test_park_create_and_patch(world, leader):
    response = leader.post(f"{API}/parks/", {"zone": world.zone.pk, "name": "物流园", "code": "wl"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["zone_name"] == "示范经济开发区" and body["version"] == 1
    assert_error(leader.post(f"{API}/parks/", {"zone": world.zone.pk, "name": "物流园", "code": "wl2"}, format="json"),
                 409, "conflict", fields=["name"])
    assert_error(leader.post(f"{API}/parks/", {"zone": world.other_zone.pk, "name": "外", "code": "w"}, format="json"),
                 400, fields=["zone"])
    response = leader.patch(f"{API}/parks/{body['id']}/", {"leading_industries": "冷链"}, format="json")
    assert response.status_code == 200 and response.json()["leading_industries"] == "冷链"
    assert leader.delete(f"{API}/parks/{body['id']}/").status_code == 405


def test_org_list_detail_labels_and_totals(world, leader):
    EstablishmentFactory(org=world.department, approved=4)
    services.do_add_plaque(world.hr, world.department, name="招商服务局", kind="attached")
    response = leader.get(f"{API}/orgs/", {"kind": "department"})
    [row] = response.json()["results"]
    assert row["name"] == "经济发展处" and row["parent"] == world.committee.pk and row["parent_name"] == "管委会"
    assert row["kind_label"] == "内设机构" and row["plaques"] == ["招商服务局"]
    assert (row["approved_total"], row["actual_total"], row["over_cap"]) == (4, 1, False)
    detail = leader.get(f"{API}/orgs/{world.stationed_org.pk}/").json()
    assert detail["home_department_name"] == "市税务局" and detail["park"] is None and detail["park_name"] is None
    names = {r["name"] for r in leader.get(f"{API}/orgs/", {"q": "招商服务"}).json()["results"]}
    assert names == {"经济发展处"}
    ordered = [r["code"] for r in leader.get(f"{API}/orgs/", {"ordering": "-code", "kind": "city_department"}).json()[
        "results"]]
    assert ordered == ["zrzy", "tax"]


def test_org_create_patch_abolish(world, leader):
    response = leader.post(f"{API}/orgs/", {"zone": world.zone.pk, "kind": "department", "name": "招商处",
                                            "code": "zsc", "parent": world.committee.pk}, format="json")
    assert response.status_code == 201, response.content
    org_id = response.json()["id"]
    assert Org.objects.get(pk=org_id).zone == world.zone
    url = f"{API}/orgs/{org_id}/"
    response = leader.patch(url, {"headcount_cap": 9, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["headcount_cap"] == 9
    assert_error(leader.patch(url, {"name": "旧", "version": 1}, format="json"), 409, "stale")
    assert_error(leader.patch(url, {"parent": org_id}, format="json"), 400, fields=["parent"])
    assert_error(leader.post(f"{url}abolish/", {}, format="json"), 400, fields=["date", "reason"])
    response = leader.post(f"{url}abolish/", {"date": "2024-01-01", "reason": "合并"}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    # Abolishing twice is the workflow's wrong state: its 422 also names the state and the actions allowed from it.
    again = leader.post(f"{url}abolish/", {"date": "2024-01-01", "reason": "再次"}, format="json")
    assert again.status_code == 422
    assert again.json()["code"] == "invalid_transition"
    assert (again.json()["state"], again.json()["allowed_actions"]) == ("abolished", [])
    assert_error(leader.post(f"{API}/orgs/{world.department.pk}/abolish/", {"date": "2024-01-01", "reason": "x"},
                             format="json"), 422, "rule_violation")


def test_org_create_errors(world, leader):
    body = assert_error(leader.post(f"{API}/orgs/", {"zone": world.zone.pk, "kind": "wizard", "name": "",
                                                     "code": "bad code"}, format="json"), 400, "invalid")
    assert {"kind", "name", "code"} <= set(body["fields"])
    assert_error(leader.post(f"{API}/orgs/", {"zone": world.zone.pk, "kind": "department", "name": "重",
                                              "code": "jjfz"}, format="json"), 409, "conflict", fields=["code"])
    assert_error(leader.post(f"{API}/orgs/", {"zone": world.zone.pk, "kind": "stationed", "name": "派",
                                              "code": "p", "home_department": world.street_org.pk}, format="json"),
                 400, fields=["home_department"])
    assert not AuditEvent.objects.exists()


def test_plaques_and_establishments(world, leader):
    response = leader.post(f"{API}/plaques/", {"org": world.committee.pk, "name": "高新区管委会", "kind": "added"},
                           format="json")
    assert response.status_code == 201 and response.json()["org_name"] == "管委会"
    plaque_id = response.json()["id"]
    assert [p["name"] for p in leader.get(f"{API}/plaques/", {"org": world.committee.pk}).json()["results"]] == [
        "高新区管委会"]
    response = leader.post(f"{API}/plaques/{plaque_id}/remove/", {"reason": "调整"}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert Plaque.objects.get(pk=plaque_id).is_active is False

    url = f"{API}/establishments/"
    response = leader.post(url, {"org": world.department.pk, "post_kind": "administrative", "approved": 5,
                                  "document_no": "X编〔2026〕3号"},
                           format="json")
    assert response.status_code == 201
    assert response.json()["actual"] == 1 and response.json()["post_kind_label"] == "行政编制"
    response = leader.post(url, {"org": world.department.pk, "post_kind": "administrative", "approved": 3,
                                  "document_no": "X编〔2026〕4号"},
                           format="json")
    assert response.status_code == 200 and Establishment.objects.get().approved == 3
    assert_error(leader.post(url, {"org": world.department.pk, "post_kind": "administrative", "approved": -1},
                             format="json"), 400, fields=["approved"])
    [row] = leader.get(url, {"org": world.department.pk}).json()["results"]
    assert (row["approved"], row["actual"], row["org_name"]) == (3, 1, "经济发展处")


def test_reorg_events(world, leader):
    response = leader.post(f"{API}/reorg-events/", {
        "zone": world.zone.pk, "date": "2021-03-01", "kind": "merge", "title": "机构整合", "subject": "机构数",
        "before_count": 26, "after_count": 23, "orgs": [world.committee.pk, world.department.pk]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["change"] == -3 and sorted(body["orgs"]) == sorted([world.committee.pk, world.department.pk])
    assert set(body["org_names"]) == {"管委会", "经济发展处"}
    assert_error(leader.post(f"{API}/reorg-events/", {
        "zone": world.zone.pk, "date": "2021-03-01", "kind": "merge", "title": "x", "subject": "y",
        "before_count": 1, "after_count": 0, "orgs": [world.other_org.pk]}, format="json"), 400, fields=["orgs"])
    rows = leader.get(f"{API}/reorg-events/", {"org": world.department.pk}).json()["results"]
    assert [r["title"] for r in rows] == ["机构整合"]
    assert ReorgEvent.objects.count() == 1


def test_staff_and_secondments(world, leader):
    response = leader.post(f"{API}/staff/", {
        "org": world.department.pk, "staff_no": "C001", "name": "吴五", "post_kind": "appointed",
        "grade_on_file": "三级主任科员", "archive_salary": "6000.00", "appointed_post": "招商经理",
        "actual_pay": "220000.00"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["org_name"] == "经济发展处" and body["zone"] == world.zone.pk and body["status_label"] == "在岗"
    assert (body["grade_on_file"], body["archive_salary"]) == ("三级主任科员", "6000.00")
    assert (body["appointed_post"], body["actual_pay"]) == ("招商经理", "220000.00")
    url = f"{API}/staff/{body['id']}/"
    assert leader.patch(url, {"actual_pay": "230000.00", "version": 1}, format="json").status_code == 200
    assert_error(leader.patch(url, {"name": "x", "version": 1}, format="json"), 409, "stale")
    assert_error(leader.post(f"{API}/staff/", {"org": world.department.pk, "staff_no": "C001", "name": "重",
                                               "post_kind": "appointed"}, format="json"), 409, "conflict",
                 fields=["staff_no"])
    response = leader.post(f"{API}/secondments/", {"staff": body["id"], "host_name": "省商务厅", "post": "处长助理",
                                                   "start": "2024-01-01", "end": "2025-12-31"}, format="json")
    assert response.status_code == 201, response.content
    sec = response.json()
    assert sec["staff_name"] == "吴五" and sec["host_label"] == "省商务厅"
    assert_error(leader.post(f"{API}/secondments/", {"staff": body["id"], "host_org": world.street_org.pk,
                                                     "post": "x", "start": "2024-06-01", "end": "2025-06-01"},
                             format="json"), 422, "rule_violation")
    assert_error(leader.post(f"{API}/secondments/{sec['id']}/end/", {"date": "2030-01-01"}, format="json"), 422)
    response = leader.post(f"{API}/secondments/{sec['id']}/end/", {"date": "2024-06-30"}, format="json")
    assert response.status_code == 200 and response.json()["ended_early_on"] == "2024-06-30"
    assert Secondment.objects.get().ended_early_on is not None


def test_pagination_and_filter_errors(world, leader):
    assert_error(leader.get(f"{API}/orgs/", {"page": 99}), 404, "not_found")
    assert_error(leader.get(f"{API}/orgs/", {"page_size": 201}), 400, fields=["page_size"])
    assert leader.get(f"{API}/orgs/", {"page_size": 200}).status_code == 200
    assert_error(leader.get(f"{API}/orgs/", {"kind": "wizard"}), 400, fields=["kind"])
    assert_error(leader.get(f"{API}/staff/", {"status": "retired"}), 400, fields=["status"])
    assert_error(leader.get(f"{API}/orgs/", {"zone": world.other_zone.pk}), 400, fields=["zone"])
    assert_error(leader.get(f"{API}/orgs/", {"active": "maybe"}), 400, fields=["active"])
    active = leader.get(f"{API}/orgs/", {"active": "true", "page_size": 200}).json()["count"]
    assert active == Org.objects.filter(zone=world.zone, is_active=True).count()


def test_outsider_gets_404_on_every_demo_zone_object(world, api_for):
    outsider = api_for(world.outsider)
    plaque = services.do_add_plaque(world.hr, world.committee, name="牌", kind="added")
    est = services.do_set_establishment(world.hr, world.department, kind="administrative", approved=3,
                                        document_no="X编〔2026〕3号")
    reorg = services.do_record_reorg(world.hr, world.zone, date="2021-01-01", kind="merge", title="t",
                                     subject="s", before_count=2, after_count=1)
    secondment = services.do_create_secondment(world.hr, world.staff, host_name="外", post="p",
                                               start=datetime.date(2024, 1, 1),
                                               end=datetime.date(2025, 1, 1))
    objects = {"zones": world.zone, "parks": world.park, "orgs": world.department, "plaques": plaque,
               "establishments": est, "reorg-events": reorg, "staff": world.staff, "secondments": secondment}
    for prefix, obj in objects.items():
        assert_error(outsider.get(f"{API}/{prefix}/{obj.pk}/"), 404, "not_found")
        ids = {r["id"] for r in outsider.get(f"{API}/{prefix}/", {"page_size": 200}).json()["results"]}
        assert obj.pk not in ids, prefix
    for url in (f"{API}/zones/{world.zone.pk}/", f"{API}/parks/{world.park.pk}/", f"{API}/orgs/{world.department.pk}/",
                f"{API}/staff/{world.staff.pk}/"):
        assert_error(outsider.patch(url, {"name": "被改"}, format="json"), 404)
    for url in (f"{API}/orgs/{world.department.pk}/abolish/", f"{API}/plaques/{plaque.pk}/remove/",
                f"{API}/secondments/{secondment.pk}/end/"):
        assert_error(outsider.post(url, {"date": "2024-02-01", "reason": "x"}, format="json"), 404)
    assert_error(outsider.post(f"{API}/orgs/", {"zone": world.zone.pk, "kind": "department", "name": "x", "code": "x"},
                               format="json"), 400, fields=["zone"])
    assert_error(outsider.post(f"{API}/staff/", {"org": world.department.pk, "staff_no": "x", "name": "x",
                                                 "post_kind": "contract"}, format="json"), 400, fields=["org"])
    world.department.refresh_from_db()
    assert world.department.name == "经济发展处" and world.department.is_active


def test_enterprise_user_cannot_see_or_change_staff(world, api_for):
    client = api_for(world.enterprise)
    assert client.get(f"{API}/staff/").json()["count"] == 0
    assert_error(client.get(f"{API}/staff/{world.staff.pk}/"), 404)
    assert client.get(f"{API}/secondments/").json()["count"] == 0
    assert_error(client.post(f"{API}/staff/", {"org": world.enterprise_org.pk, "staff_no": "E1", "name": "企",
                                               "post_kind": "contract"}, format="json"), 403, "permission_denied")
    assert_error(client.patch(f"{API}/orgs/{world.department.pk}/", {"name": "x"}, format="json"), 403)
    # nor the zone's internal structure: their own organisation only
    assert_error(client.get(f"{API}/orgs/{world.department.pk}/"), 404)
    assert [r["id"] for r in client.get(f"{API}/orgs/").json()["results"]] == [world.enterprise_org.pk]
    assert client.get(f"{API}/establishments/").json()["count"] == 0
    assert client.get(f"{API}/reorg-events/").json()["count"] == 0


def test_street_user_sees_own_staff_only(world, api_for):
    own = StaffFactory(org=world.street_org)
    ids = {r["id"] for r in api_for(world.street).get(f"{API}/staff/").json()["results"]}
    assert ids == {own.pk}
    assert Staff.objects.count() == 3


def test_org_list_rows_equal_the_serializer(world, leader):
    """The list endpoint builds rows without DRF fields; they must be what OrgSerializer gives for each object."""
    from kaifaqu.org.api import OrgSerializer

    services.do_add_plaque(world.hr, world.department, name="安全生产监督管理局", kind="added")
    services.do_abolish_org(world.hr, world.intermediary_org, date=datetime.date(2025, 3, 1), reason="合并")
    EstablishmentFactory(org=world.department, approved=3)
    world.department.headcount_cap = 1
    world.department.save()
    StaffFactory(org=world.department)
    StaffFactory(org=world.department)
    listed = leader.get(f"{API}/orgs/", {"page_size": 200}).json()["results"]
    assert len(listed) == Org.objects.filter(zone=world.zone).count()
    for row in listed:
        org = Org.objects.get(pk=row["id"])
        expected = OrgSerializer(org).data
        assert row == dict(expected), org.name
    department = next(r for r in listed if r["id"] == world.department.pk)
    assert "安全生产监督管理局" in department["plaques"]
    # world.staff works in the department too
    assert (department["approved_total"], department["actual_total"], department["over_cap"]) == (3, 3, True)
    assert next(r for r in listed if r["id"] == world.intermediary_org.pk)["abolished_on"] == "2025-03-01"
