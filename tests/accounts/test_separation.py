"""三员: each administrator does only their own job; pages and API refuse the others' (403, before any lookup)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.accounts import services
from kaifaqu.accounts.roles import ADMIN_ONLY_PERMS, BUSINESS_ROLES, ROLE_PERMISSIONS, Role
from kaifaqu.core.errors import Forbidden
from tests.factories import UserFactory

MISSING = 987654321


def pages(world, pk):
    return {
        "sys": ["/accounts/users/", "/accounts/users/new/", f"/accounts/users/{pk}/edit/",
                f"/accounts/users/{pk}/reset-password/"],
        "sec": ["/accounts/security/users/", "/accounts/security/roles/", f"/accounts/security/users/{pk}/role/",
                f"/accounts/security/users/{pk}/unlock/"],
        "audit": ["/core/audit/"],
    }


OWN = {"sysadmin": "sys", "secadmin": "sec", "auditadmin": "audit"}


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin", "leader", "clerk", "enterprise"])
def test_pages_of_other_administrators_are_refused(world, client_for, persona):
    client = client_for(world.users[persona])
    for pk in (world.clerk.pk, MISSING):
        for job, urls in pages(world, pk).items():
            for url in urls:
                response = client.get(url)
                if OWN.get(persona) == job:
                    assert response.status_code in (200, 404), url
                    continue
                assert response.status_code == 403, f"{persona} {url}: {response.status_code}"
                assert "您没有访问此页面的权限" in response.content.decode()


def test_sys_admin_cannot_read_the_audit_log(world, client_for, api_for):
    assert client_for(world.sysadmin).get("/core/audit/").status_code == 403
    assert api_for(world.sysadmin).get("/api/v1/audit-events/").status_code == 403


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin", "leader"])
def test_api_refuses_other_administrators(world, api_for, persona):
    client = api_for(world.users[persona])
    own = OWN.get(persona)
    for pk in (world.clerk.pk, MISSING):
        calls = {
            "sys": [("post", "/api/v1/users/", {"username": "x1", "password": "Kfq@2026go", "name": "x"}),
                    ("patch", f"/api/v1/users/{pk}/", {"name": "x"}),
                    ("post", f"/api/v1/users/{pk}/reset-password/", {"password": "Temp#2026pw"})],
            "sec": [("post", f"/api/v1/users/{pk}/assign-role/", {"role": "zone_leader", "reason": "x"}),
                    ("post", f"/api/v1/users/{pk}/unlock/", {"reason": "x"})],
            "audit": [("get", "/api/v1/audit-events/", None)],
        }
        for job, requests in calls.items():
            if job == own:
                continue
            for method, url, body in requests:
                response = getattr(client, method)(url, body, format="json")
                assert response.status_code == 403, f"{persona} {method} {url}: {response.status_code}"
                assert response.json()["code"] == "permission_denied"
    if persona not in ("sysadmin", "secadmin"):
        assert client.get("/api/v1/users/").status_code == 403
        assert client.get(f"/api/v1/users/{world.clerk.pk}/").status_code == 403


def test_services_enforce_separation(world):
    with pytest.raises(Forbidden):
        services.do_assign_role(world.sysadmin, world.clerk, role="zone_leader", reason="x")
    with pytest.raises(Forbidden):
        services.do_create_user(world.secadmin, username="t_x", password="Kfq@2026go", name="x")
    with pytest.raises(Forbidden):
        services.do_reset_password(world.secadmin, world.clerk, password="Temp#2026pw")
    with pytest.raises(Forbidden):
        services.do_create_user(world.sysadmin, username="t_x", password="Kfq@2026go", name="x",
                                org=world.department, role="audit_admin")
    with pytest.raises(Forbidden):
        services.do_update_user(world.sysadmin, world.clerk, role="zone_leader")
    with pytest.raises(Forbidden):
        services.do_unlock(world.auditadmin, world.clerk, reason="x")


def test_role_table_keeps_duties_apart():
    for role in BUSINESS_ROLES:
        assert not ROLE_PERMISSIONS[role] & ADMIN_ONLY_PERMS, role
    assert ROLE_PERMISSIONS[Role.SEC_ADMIN] == {"security.manage"}
    assert ROLE_PERMISSIONS[Role.AUDIT_ADMIN] == {"audit.view"}
    assert "audit.view" not in ROLE_PERMISSIONS[Role.SYS_ADMIN]
    assert "security.manage" not in ROLE_PERMISSIONS[Role.SYS_ADMIN]


def test_menus_show_each_administrator_their_own_pages(world, client_for):
    sys_page = client_for(world.sysadmin).get("/").content.decode()
    assert "用户管理" in sys_page and "角色分配与解锁" not in sys_page and "审计日志" not in sys_page
    sec_page = client_for(world.secadmin).get("/").content.decode()
    assert "角色分配与解锁" in sec_page and "角色权限" in sec_page and "用户管理" not in sec_page


def page_queries(client, url):
    client.get(url)  # warm: session, scope
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": 200})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("persona", "url"), [("sysadmin", "/accounts/users/"),
                                              ("secadmin", "/accounts/security/users/")])
def test_list_pages_query_count_is_constant(world, client_for, persona, url):
    client = client_for(world.users[persona])
    few = page_queries(client, url)
    for i in range(40):
        user = UserFactory(username=f"t_bulk{i}", role="city_leader", org=world.city_dept)
        user.extra_zones.set([world.other_zone])
    many = page_queries(client, url)
    assert few == many, (few, many)
