"""安全管理员 pages: users with role, lock state, last login and failures; assign role (+ extra zones); unlock;
the read-only role matrix."""

import io

from django.test import Client
from openpyxl import load_workbook

from kaifaqu.accounts import locks
from kaifaqu.accounts.roles import PERMISSIONS
from kaifaqu.core.audit.models import AuditEvent
from tests.factories import UserFactory


def lock(username, login):
    client = Client()
    for _ in range(5):
        login(username, "Wrong@pass1", client)


def row_of(response, username):
    for obj, cells in response.context["rows"]:
        if obj.username == username:
            return dict(zip(response.context["table"].headers, cells, strict=True))
    raise AssertionError(username)


def test_security_list_shows_role_lock_login_failures(world, client_for, login, password):
    login("t_street", password)
    login("t_street", "Wrong@pass1")
    login("t_street", "Wrong@pass1")
    lock("t_leader", login)
    response = client_for(world.secadmin).get("/accounts/security/users/")
    assert response.status_code == 200
    leader = row_of(response, "t_leader")
    assert leader["角色"] == "开发区领导"
    assert leader["锁定状态"].startswith("已锁定（至 ")
    assert leader["上次登录以来失败次数"] == 5
    street = row_of(response, "t_street")
    assert street["锁定状态"] == "正常（近期失败 2 次）"
    assert street["最近登录"] is not None
    assert street["上次登录以来失败次数"] == 2
    html = response.content.decode()
    assert f"/accounts/security/users/{world.leader.pk}/unlock/" in html
    assert f"/accounts/security/users/{world.street.pk}/unlock/" not in html
    assert f"/accounts/security/users/{world.secadmin.pk}/role/" not in html  # not one's own role


def test_security_list_filters_and_export(world, client_for, login):
    lock("t_leader", login)
    client = client_for(world.secadmin)
    locked = client.get("/accounts/security/users/", {"locked": "true"})
    assert [u.username for u in locked.context["object_list"]] == ["t_leader"]
    unlocked = client.get("/accounts/security/users/", {"locked": "false"})
    assert "t_leader" not in [u.username for u in unlocked.context["object_list"]]
    export = client.get("/accounts/security/users/", {"locked": "true", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert "锁定状态" in rows[0]
    assert rows[1][0] == "t_leader"
    assert rows[1][rows[0].index("锁定状态")].startswith("已锁定")


def test_assign_role_with_reason(world, client_for):
    client = client_for(world.secadmin)
    url = f"/accounts/security/users/{world.clerk.pk}/role/"
    assert client.get(url).status_code == 200
    no_reason = client.post(url, {"role": "zone_leader", "version": 1})
    assert no_reason.status_code == 400
    response = client.post(url, {"role": "zone_leader", "reason": "任命为副主任", "version": 1})
    assert response.status_code == 302
    world.clerk.refresh_from_db()
    assert world.clerk.role == "zone_leader"
    event = AuditEvent.objects.get(action="user.assign_role")
    assert event.before == {"role": "zone_staff", "roles": [], "extra_zones": []}
    assert event.after == {"role": "zone_leader", "roles": [], "extra_zones": []}
    assert event.reason == "任命为副主任" and event.zone_id == world.zone.pk

    stale = client.post(url, {"role": "zone_staff", "reason": "再调整", "version": 1})
    assert stale.status_code == 409
    assert "该记录已被他人修改" in stale.content.decode()


def test_extra_zones_only_for_city_users(world, client_for):
    client = client_for(world.secadmin)
    refused = client.post(f"/accounts/security/users/{world.clerk.pk}/role/",
                          {"role": "zone_staff", "extra_zones": [world.other_zone.pk], "reason": "x", "version": 1})
    assert refused.status_code == 400
    assert "可以查看其他开发区" in refused.content.decode()
    ok = client.post(f"/accounts/security/users/{world.cityleader.pk}/role/",
                     {"role": "city_leader", "extra_zones": [world.other_zone.pk], "reason": "分管两区", "version": 1})
    assert ok.status_code == 302
    world.cityleader.refresh_from_db()
    assert world.cityleader.scope.zone_ids == {world.zone.pk, world.other_zone.pk}
    # Moving to a one-zone role drops the extra zones.
    client.post(f"/accounts/security/users/{world.cityleader.pk}/role/",
                {"role": "city_dept_staff", "reason": "调整", "version": 2})
    client.post(f"/accounts/security/users/{world.cityleader.pk}/role/",
                {"role": "zone_staff", "reason": "调整", "version": 3})
    assert list(world.cityleader.extra_zones.all()) == []


def test_business_role_needs_an_organisation(world, client_for):
    no_org = UserFactory(username="t_floating", org=None)
    response = client_for(world.secadmin).post(f"/accounts/security/users/{no_org.pk}/role/",
                                               {"role": "zone_staff", "reason": "x", "version": 1})
    assert response.status_code == 400
    assert "请选择所在单位" in response.content.decode()


def test_security_admin_cannot_change_own_role(world, client_for):
    response = client_for(world.secadmin).post(f"/accounts/security/users/{world.secadmin.pk}/role/",
                                               {"role": "sys_admin", "reason": "x", "version": 1})
    assert response.status_code == 422
    assert "不能修改自己的角色" in response.content.decode()
    world.secadmin.refresh_from_db()
    assert world.secadmin.role == "sec_admin"


def test_unlock(world, client_for, login, password):
    lock("t_leader", login)
    client = client_for(world.secadmin)
    url = f"/accounts/security/users/{world.leader.pk}/unlock/"
    page = client.get(url)
    assert page.status_code == 200
    assert "已锁定" in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "本人来电，核实身份"}).status_code == 302
    assert not locks.is_locked("t_leader")
    event = AuditEvent.objects.get(action="user.unlock")
    assert event.actor == world.secadmin and event.reason == "本人来电，核实身份"
    assert event.before == {"failures": 5, "locked": True}
    _, response = login("t_leader", password)
    assert response.status_code == 302

    again = client.post(url, {"reason": "再次"})
    assert again.status_code == 422
    assert "该账号当前未被锁定" in again.content.decode()


def test_role_matrix(world, client_for):
    response = client_for(world.secadmin).get("/accounts/security/roles/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "三员角色不能兼任其他角色" in html
    for label in PERMISSIONS.values():
        assert label in html
    for role in ("系统管理员", "安全管理员", "审计管理员", "开发区领导"):
        assert role in html
    matrix = {row["code"]: row["cells"] for row in response.context["matrix"]}
    labels = [r["label"] for r in response.context["roles"]]
    assert matrix["audit.view"][labels.index("审计管理员")] is True
    assert matrix["audit.view"][labels.index("系统管理员")] is False
    assert matrix["user.manage"][labels.index("安全管理员")] is False
    assert "<form" not in html.split('data-testid="role-matrix"')[1]  # edited per role, not here
    assert 'data-testid="role-edit-zone-staff"' in html and 'data-testid="role-edit-sec-admin"' not in html


def test_user_outside_scope_is_404(world, client_for):
    zone_sec = UserFactory(username="t_zone_sec", role="sec_admin", org=world.committee)
    client = client_for(zone_sec)
    assert client.get(f"/accounts/security/users/{world.outsider.pk}/role/").status_code == 404
    assert client.get(f"/accounts/security/users/{world.outsider.pk}/unlock/").status_code == 404
    assert client.get(f"/accounts/security/users/{world.clerk.pk}/role/").status_code == 200
    listed = [u.username for u in client.get("/accounts/security/users/").context["object_list"]]
    assert "t_outsider" not in listed and "t_clerk" in listed


def test_filter_form_defaults_to_everyone(world, client_for):
    page = client_for(world.secadmin).get("/accounts/security/users/")
    form = page.context["filter"].form
    assert form["active"].value() in (None, "") and form["locked"].value() in (None, "")
    assert '<option value="" selected>全部</option>' in page.content.decode()
    everyone = client_for(world.secadmin).get("/accounts/security/users/", {"active": "", "locked": "", "q": ""})
    assert everyone.context["paginator"].count == 14
