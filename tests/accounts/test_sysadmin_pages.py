"""系统管理员 pages: user list (search, filters, pagination, Excel), create, edit with version, reset password."""

import io

from openpyxl import load_workbook

from kaifaqu.accounts import services
from kaifaqu.accounts.models import User
from kaifaqu.core.audit.models import AuditEvent
from tests.factories import UserFactory

NEW = {"username": "t_new", "name": "新同事", "phone": "13800000000", "email": "new@example.cn",
       "password": "Kfq@2026go", "password2": "Kfq@2026go"}


def usernames(response):
    return [u.username for u in response.context["object_list"]]


def test_list_search_filter_paginate(world, client_for):
    client = client_for(world.sysadmin)
    page = client.get("/accounts/users/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "用户管理" in html and "新建用户" in html and "导出 Excel" in html
    assert "t_leader" in usernames(page) and "t_outsider" in usernames(page)

    assert usernames(client.get("/accounts/users/", {"q": "t_zr"})) == ["t_zrzy"]
    assert usernames(client.get("/accounts/users/", {"org": world.department.pk})) == ["t_clerk"]
    assert set(usernames(client.get("/accounts/users/", {"role": "sec_admin"}))) == {"t_sec"}
    User.objects.filter(pk=world.street.pk).update(is_active=False)
    assert usernames(client.get("/accounts/users/", {"active": "false"})) == ["t_street"]

    paged = client.get("/accounts/users/", {"page_size": 5, "page": 2})
    assert len(paged.context["object_list"]) == 5
    assert "第 2/3 页" in paged.content.decode()


def test_role_filter_for_users_without_role(world, client_for):
    services.do_create_user(world.sysadmin, username="t_norole", password="Kfq@2026go", name="待分配",
                            org=world.department)
    response = client_for(world.sysadmin).get("/accounts/users/", {"role": "none"})
    assert usernames(response) == ["t_norole"]


def test_export_xlsx(world, client_for):
    response = client_for(world.sysadmin).get("/accounts/users/", {"q": "t_clerk", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("用户名", "姓名", "开发区", "所在单位", "角色")
    assert rows[1][:5] == ("t_clerk", "t_clerk", "示范经济开发区", "经济发展处", "开发区部门工作人员")
    assert len(rows) == 2


def test_create_user_without_role_must_change_password(world, client_for, login):
    client = client_for(world.sysadmin)
    form = client.get("/accounts/users/new/")
    assert form.status_code == 200
    assert 'name="role"' not in form.content.decode()
    response = client.post("/accounts/users/new/", {**NEW, "org": world.department.pk, "role": "zone_leader"})
    assert response.status_code == 302
    user = User.objects.get(username="t_new")
    assert user.role == "" and user.must_change_password and user.org == world.department
    assert user.check_password("Kfq@2026go")
    event = AuditEvent.objects.get(action="user.create")
    assert event.actor == world.sysadmin and event.zone_id == world.zone.pk
    assert event.after["org_id"] == world.department.pk

    new_client, response = login("t_new", "Kfq@2026go")
    assert new_client.get("/")["Location"] == "/accounts/password/change/"


def test_create_user_errors_show_on_the_form(world, client_for):
    client = client_for(world.sysadmin)
    weak = client.post("/accounts/users/new/", {**NEW, "password": "abc", "password2": "abc"})
    assert weak.status_code == 400
    assert "密码至少 8 位。" in weak.content.decode()
    mismatch = client.post("/accounts/users/new/", {**NEW, "password2": "Other@2026x"})
    assert "两次输入的密码不一致" in mismatch.content.decode()
    taken = client.post("/accounts/users/new/", {**NEW, "username": "T_Leader"})
    assert taken.status_code == 409
    assert "用户名已存在" in taken.content.decode()
    bad_name = client.post("/accounts/users/new/", {**NEW, "username": "有 空格"})
    assert bad_name.status_code == 400
    assert not User.objects.filter(name="新同事").exists()


def test_org_choices_limited_to_visible_orgs(world, client_for):
    zone_admin = UserFactory(username="t_zone_sys", role="sys_admin", org=world.committee)
    client = client_for(zone_admin)
    response = client.post("/accounts/users/new/", {**NEW, "org": world.other_org.pk})
    assert response.status_code == 400
    assert "org" in response.context["form"].errors
    # A zone's administrator must place the user in one of its organisations.
    response = client.post("/accounts/users/new/", {**NEW})
    assert response.status_code == 400
    assert usernames(client.get("/accounts/users/")).count("t_outsider") == 0


def test_edit_user_and_stale_version(world, client_for):
    client = client_for(world.sysadmin)
    url = f"/accounts/users/{world.clerk.pk}/edit/"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="version"' in form.content.decode()
    data = {"name": "李四", "org": world.street_org.pk, "phone": "", "email": "", "is_active": "on", "version": 1}
    assert client.post(url, data).status_code == 302
    world.clerk.refresh_from_db()
    assert (world.clerk.name, world.clerk.org_id, world.clerk.version) == ("李四", world.street_org.pk, 2)
    event = AuditEvent.objects.get(action="user.update")
    assert event.before == {"name": "t_clerk", "org_id": world.department.pk}
    assert event.after == {"name": "李四", "org_id": world.street_org.pk}

    stale = client.post(url, {**data, "name": "王五"})  # still version 1
    assert stale.status_code == 409
    assert "该记录已被他人修改，请刷新后重试。" in stale.content.decode()
    world.clerk.refresh_from_db()
    assert world.clerk.name == "李四"


def test_disable_user(world, client_for, login, password):
    client = client_for(world.sysadmin)
    data = {"name": "t_clerk", "org": world.department.pk, "version": 1}  # is_active unchecked
    assert client.post(f"/accounts/users/{world.clerk.pk}/edit/", data).status_code == 302
    _, response = login("t_clerk", password)
    assert response.status_code == 200  # refused
    own = client.post(f"/accounts/users/{world.sysadmin.pk}/edit/", {"name": "系统管理员", "version": 1})
    assert own.status_code == 422
    assert "不能停用自己的账号" in own.content.decode()


def test_reset_password(world, client_for, login):
    client = client_for(world.sysadmin)
    url = f"/accounts/users/{world.clerk.pk}/reset-password/"
    assert client.get(url).status_code == 200
    weak = client.post(url, {"password": "t_clerk2026!A", "password2": "t_clerk2026!A"})
    assert "密码不能包含用户名。" in weak.content.decode()
    assert client.post(url, {"password": "Temp#2026pw", "password2": "Temp#2026pw"}).status_code == 302
    world.clerk.refresh_from_db()
    assert world.clerk.must_change_password
    assert AuditEvent.objects.filter(action="user.reset_password", actor=world.sysadmin).exists()
    user_client, _ = login("t_clerk", "Temp#2026pw")
    assert user_client.get("/org/zones/")["Location"] == "/accounts/password/change/"


def test_sys_admin_cannot_touch_other_admin_accounts(world, client_for):
    client = client_for(world.sysadmin)
    for target in (world.auditadmin, world.secadmin):
        response = client.post(f"/accounts/users/{target.pk}/reset-password/",
                               {"password": "Temp#2026pw", "password2": "Temp#2026pw"})
        assert response.status_code == 403
        assert "三员账号" in response.content.decode()
        response = client.post(f"/accounts/users/{target.pk}/edit/", {"name": "x", "version": 1})
        assert response.status_code == 403
    world.auditadmin.refresh_from_db()
    assert world.auditadmin.is_active and world.auditadmin.check_password("Test@2026pass")


def test_user_outside_scope_is_404(world, client_for):
    zone_admin = UserFactory(username="t_zone_sys", role="sys_admin", org=world.committee)
    client = client_for(zone_admin)
    assert client.get(f"/accounts/users/{world.outsider.pk}/edit/").status_code == 404
    assert client.get(f"/accounts/users/{world.outsider.pk}/reset-password/").status_code == 404
    assert client.get(f"/accounts/users/{world.clerk.pk}/edit/").status_code == 200
