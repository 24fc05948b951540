"""/api/v1/users/: list and read for both administrators; writes each for its own administrator; errors in the
{"code", "detail", "fields"} shape; a constant number of queries on the list."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kaifaqu.accounts import locks
from kaifaqu.accounts.models import User
from kaifaqu.core.audit.models import AuditEvent
from tests.factories import UserFactory

URL = "/api/v1/users/"
NEW = {"username": "t_api_new", "password": "Kfq@2026go", "name": "接口新人"}


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin"])
def test_list_and_retrieve(world, api_for, persona):
    client = api_for(world.users[persona])
    body = client.get(URL, {"q": "t_clerk"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["username"] == "t_clerk" and row["role"] == "zone_staff" and row["role_label"] == "开发区部门工作人员"
    assert row["org"] == world.department.pk and row["org_name"] == "经济发展处"
    assert row["locked"] is False and row["version"] == 1
    assert "password" not in row
    detail = client.get(f"{URL}{world.clerk.pk}/")
    assert detail.status_code == 200 and detail.json()["id"] == world.clerk.pk


def test_list_filters(world, api_for, login):
    for _ in range(5):
        login("t_leader", "Wrong@pass1")
    client = api_for(world.secadmin)
    assert [r["username"] for r in client.get(URL, {"locked": "true"}).json()["results"]] == ["t_leader"]
    assert [r["username"] for r in client.get(URL, {"org": world.department.pk}).json()["results"]] == ["t_clerk"]
    assert {r["username"] for r in client.get(URL, {"role": "audit_admin"}).json()["results"]} == {"t_audit"}
    locked = client.get(f"{URL}{world.leader.pk}/").json()
    assert locked["locked"] is True and locked["recent_failures"] == 5 and locked["locked_until"]


def test_create_by_sys_admin(world, api_for):
    response = api_for(world.sysadmin).post(URL, {**NEW, "org": world.department.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "" and body["must_change_password"] is True
    user = User.objects.get(username="t_api_new")
    assert user.check_password("Kfq@2026go")
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_create_errors(world, api_for):
    client = api_for(world.sysadmin)
    weak = client.post(URL, {**NEW, "password": "abcdefgh"}, format="json")
    assert weak.status_code == 400
    assert weak.json()["code"] == "invalid"
    assert "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。" in weak.json()["fields"]["password"]
    taken = client.post(URL, {**NEW, "username": "t_leader"}, format="json")
    assert taken.status_code == 409
    assert taken.json()["fields"] == {"username": ["用户名已存在。"]}
    other_zone_org = UserFactory(username="t_zone_sys", role="sys_admin", org=world.committee)
    refused = api_for(other_zone_org).post(URL, {**NEW, "org": world.other_org.pk}, format="json")
    assert refused.status_code == 400 and "org" in refused.json()["fields"]
    unknown = client.post(URL, {**NEW, "nickname": "x"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["fields"] == {"nickname": ["不支持该字段。"]}


def test_sys_admin_cannot_set_role_through_api(world, api_for):
    client = api_for(world.sysadmin)
    response = client.post(URL, {**NEW, "org": world.department.pk, "role": "zone_leader"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "安全管理员" in response.json()["detail"]
    assert not User.objects.filter(username="t_api_new").exists()
    patch = client.patch(f"{URL}{world.clerk.pk}/", {"role": "zone_leader"}, format="json")
    assert patch.status_code == 403
    extra = client.patch(f"{URL}{world.cityleader.pk}/", {"extra_zones": [world.other_zone.pk]}, format="json")
    assert extra.status_code == 403
    assigned = client.post(f"{URL}{world.clerk.pk}/assign-role/", {"role": "zone_leader", "reason": "x"},
                           format="json")
    assert assigned.status_code == 403
    world.clerk.refresh_from_db()
    assert world.clerk.role == "zone_staff"


def test_patch_and_stale_version(world, api_for):
    client = api_for(world.sysadmin)
    response = client.patch(f"{URL}{world.clerk.pk}/", {"name": "李四", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "李四" and response.json()["version"] == 2
    stale = client.patch(f"{URL}{world.clerk.pk}/", {"name": "王五", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json() == {"code": "stale", "detail": "该记录已被他人修改，请刷新后重试。", "fields": {}}
    bad_email = client.patch(f"{URL}{world.clerk.pk}/", {"email": "not-an-email"}, format="json")
    assert bad_email.status_code == 400 and "email" in bad_email.json()["fields"]


def test_put_and_delete_not_allowed(world, api_for):
    client = api_for(world.sysadmin)
    assert client.put(f"{URL}{world.clerk.pk}/", {}, format="json").status_code == 405
    assert client.delete(f"{URL}{world.clerk.pk}/").status_code == 405


def test_reset_password_by_sys_admin(world, api_for):
    client = api_for(world.sysadmin)
    response = client.post(f"{URL}{world.clerk.pk}/reset-password/", {"password": "Temp#2026pw"}, format="json")
    assert response.status_code == 200
    assert response.json()["must_change_password"] is True
    weak = client.post(f"{URL}{world.clerk.pk}/reset-password/", {"password": "short"}, format="json")
    assert weak.status_code == 400 and weak.json()["fields"]["password"]
    admin = client.post(f"{URL}{world.auditadmin.pk}/reset-password/", {"password": "Temp#2026pw"}, format="json")
    assert admin.status_code == 403


def test_assign_role_by_sec_admin(world, api_for):
    client = api_for(world.secadmin)
    url = f"{URL}{world.cityleader.pk}/assign-role/"
    response = client.post(url, {"role": "city_leader", "extra_zones": [world.other_zone.pk], "reason": "分管两区"},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["extra_zones"] == [world.other_zone.pk]
    no_reason = client.post(url, {"role": "city_leader"}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    bad_role = client.post(url, {"role": "superuser", "reason": "x"}, format="json")
    assert bad_role.status_code == 400 and "role" in bad_role.json()["fields"]
    missing_zone = client.post(url, {"role": "city_leader", "extra_zones": [987654], "reason": "x"}, format="json")
    assert missing_zone.status_code == 400 and "extra_zones" in missing_zone.json()["fields"]
    own = client.post(f"{URL}{world.secadmin.pk}/assign-role/", {"role": "sys_admin", "reason": "x"}, format="json")
    assert own.status_code == 422 and own.json()["code"] == "rule_violation"


def test_unlock_by_sec_admin(world, api_for, login):
    client = api_for(world.secadmin)
    not_locked = client.post(f"{URL}{world.leader.pk}/unlock/", {"reason": "x"}, format="json")
    assert not_locked.status_code == 422
    for _ in range(5):
        login("t_leader", "Wrong@pass1", Client())
    response = client.post(f"{URL}{world.leader.pk}/unlock/", {"reason": "核实为本人"}, format="json")
    assert response.status_code == 200
    assert response.json()["locked"] is False
    assert not locks.is_locked("t_leader")


def test_out_of_scope_user_is_404(world, api_for):
    zone_sys = UserFactory(username="t_zone_sys", role="sys_admin", org=world.committee)
    zone_sec = UserFactory(username="t_zone_sec", role="sec_admin", org=world.committee)
    for admin, path, body in (
        (zone_sys, "", None), (zone_sys, "reset-password/", {"password": "Temp#2026pw"}),
        (zone_sec, "", None), (zone_sec, "assign-role/", {"role": "zone_staff", "reason": "x"}),
        (zone_sec, "unlock/", {"reason": "x"}),
    ):
        client = api_for(admin)
        url = f"{URL}{world.outsider.pk}/{path}"
        response = client.get(url) if body is None else client.post(url, body, format="json")
        assert response.status_code == 404, (admin.username, path)
        assert response.json()["code"] == "not_found"
    listed = [r["username"] for r in api_for(zone_sys).get(URL, {"page_size": 200}).json()["results"]]
    assert "t_outsider" not in listed and "t_clerk" in listed


def list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"page_size": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin"])
def test_list_query_count_is_constant(world, api_for, persona, login):
    client = api_for(world.users[persona])
    for _ in range(5):
        login("t_leader", "Wrong@pass1")
    list_queries(client)  # the first request also builds the administrator's scope
    few, count_few = list_queries(client)
    for i in range(40):
        user = UserFactory(username=f"t_bulk{i}", role="city_leader", org=world.city_dept)
        user.extra_zones.set([world.other_zone])
    many, count_many = list_queries(client)
    assert count_many == count_few + 40
    assert few == many == 3  # count, page (with the lock state as subqueries), extra zones


def test_abolished_org_refused_for_new_placement(world, api_for):
    from kaifaqu.org.models import Org

    Org.objects.filter(pk=world.street_org.pk).update(is_active=False)
    client = api_for(world.sysadmin)
    response = client.post(URL, {**NEW, "org": world.street_org.pk}, format="json")
    assert response.status_code == 400 and "已撤销" in response.json()["fields"]["org"][0]
    # A user already there can still be edited without being moved.
    assert client.patch(f"{URL}{world.street.pk}/", {"name": "街道", "org": world.street_org.pk},
                        format="json").status_code == 200
