"""Roles as named permission sets the security administrator maintains (seeded from the modules' defaults, each
change audited with a reason); several business roles per user; a 三员 role excludes every other role."""

import pytest
from django.apps import apps
from django.core import checks

from kaifaqu.accounts import roles, services
from kaifaqu.accounts.models import RoleDefinition, User
from kaifaqu.accounts.roles import Role, perms_for
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.errors import Conflict, Forbidden, InvalidInput, RuleViolation
from tests.factories import UserFactory


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_every_business_role_is_seeded_from_the_defaults(db):
    RoleDefinition.objects.all().delete()
    services.seed_role_definitions()
    rows = {r.role: r for r in RoleDefinition.objects.all()}
    assert set(rows) == {r.value for r in roles.BUSINESS_ROLES}
    for role, row in rows.items():
        assert set(row.permissions) == set(roles.default_perms(role)) == set(row.offered)
    assert not AuditEvent.objects.filter(action__startswith="role.").exists()  # the defaults are nobody's change
    assert services.seed_role_definitions() == []  # idempotent


def test_the_security_administrator_changes_a_role_with_a_reason_audited(world):
    assert "staff.change" not in world.clerk.scope.perms
    with pytest.raises(InvalidInput) as exc:
        services.do_update_role(world.secadmin, "zone_staff", permissions={"org.view"}, reason=" ")
    assert "reason" in exc.value.fields
    row = services.do_update_role(world.secadmin, "zone_staff", reason="各处室维护本处室人员",
                                  permissions=perms_for("zone_staff") | {"staff.change"})
    assert "staff.change" in fresh(world.clerk).scope.perms
    event = AuditEvent.objects.get(action="role.update")
    assert event.after == {"permissions": ["staff.change"]} and event.before == {"permissions": []}
    assert event.reason == "各处室维护本处室人员" and event.object_id == str(row.pk)
    with pytest.raises(Conflict):
        services.do_update_role(world.secadmin, "zone_staff", permissions={"org.view"}, reason="再改",
                                version=row.version - 1)


@pytest.mark.parametrize(("persona", "role", "permissions", "error"), [
    ("leader", "zone_staff", {"org.view"}, Forbidden),  # only the security administrator
    ("sysadmin", "zone_staff", {"org.view"}, Forbidden),
    ("secadmin", "zone_staff", {"user.manage"}, RuleViolation),  # a business role takes no 三员 permission
    ("secadmin", "sec_admin", {"security.manage"}, RuleViolation),  # administrator roles are fixed by their duty
    ("secadmin", "zone_staff", {"org.delete"}, InvalidInput),
    ("secadmin", "wizard", {"org.view"}, InvalidInput),
])
def test_role_changes_that_are_refused(world, persona, role, permissions, error):
    with pytest.raises(error):
        services.do_update_role(world.users[persona], role, permissions=permissions, reason="试")
    assert not AuditEvent.objects.filter(action="role.update").exists()


def test_a_zone_security_administrator_cannot_change_the_platform_roles(world):
    zone_sec = UserFactory(username="t_zone_sec", role=Role.SEC_ADMIN, org=world.committee)
    with pytest.raises(Forbidden, match="平台安全管理员"):
        services.do_update_role(zone_sec, "zone_staff", permissions={"org.view"}, reason="试")


def test_a_module_default_that_was_never_offered_reaches_the_role(world, monkeypatch):
    """A module installed later grants its permission to an existing role: the stored set has not been offered it,
    so the role holds it; a default the administrator took away stays away."""
    services.do_update_role(world.secadmin, "zone_leader", reason="领导不再查看全部人员",
                            permissions=perms_for("zone_leader") - {"staff.view_all"})
    config = apps.get_app_config("org")
    monkeypatch.setattr(config, "default_grants", {**config.default_grants,
                                                   "zone_leader": config.default_grants["zone_leader"] | {"staff.change"}})
    roles.load()
    try:
        held = perms_for("zone_leader")
        assert "staff.change" in held and "staff.view_all" not in held
        services.seed_role_definitions()  # what runs after migrations: the new default is stored, audited
        row = RoleDefinition.objects.get(role="zone_leader")
        assert "staff.change" in row.permissions and "staff.change" in row.offered
        assert AuditEvent.objects.filter(action="role.seed", object_id=str(row.pk)).exists()
    finally:
        monkeypatch.undo()
        roles.load()


def test_several_business_roles_add_up(world):
    user = services.do_assign_role(world.secadmin, world.clerk, role="zone_staff", roles=["org_hr"], reason="兼任组织人事")
    assert user.all_roles == ("zone_staff", "org_hr")
    assert {"staff.change", "staff.view_pay", "org.view"} <= fresh(user).scope.perms
    assert user.get_roles_display() == "开发区部门工作人员、组织人事"
    event = AuditEvent.objects.get(action="user.assign_role")
    assert event.after["roles"] == ["org_hr"] and event.before["roles"] == []
    # a new main role keeps the further roles unless told otherwise
    user = services.do_assign_role(world.secadmin, user, role="zone_leader", reason="提任")
    assert user.all_roles == ("zone_leader", "org_hr")


@pytest.mark.parametrize(("role", "others"), [
    ("sys_admin", ["zone_staff"]), ("zone_staff", ["audit_admin"]), ("sec_admin", ["org_hr"]),
])
def test_an_administrator_role_excludes_every_other_role_at_every_assignment(world, role, others):
    with pytest.raises(RuleViolation, match="三员"):
        services.do_assign_role(world.secadmin, world.clerk, role=role, roles=others, reason="试")
    with pytest.raises(RuleViolation, match="三员"):
        services.do_create_user(services_actor(), username="t_new", password="Kaifaqu#2026x", name="新", org=None,
                                role=role, roles=others)
    assert fresh(world.clerk).role == "zone_staff" and fresh(world.clerk).roles == []
    assert not User.objects.filter(username="t_new").exists()


def test_a_further_role_is_dropped_when_the_main_role_becomes_an_administrator_only_if_asked(world):
    services.do_assign_role(world.secadmin, world.clerk, role="zone_staff", roles=["org_hr"], reason="兼任")
    with pytest.raises(RuleViolation):  # keeping org_hr beside 系统管理员 is refused
        services.do_assign_role(world.secadmin, world.clerk, role="sys_admin", reason="转岗")
    user = services.do_assign_role(world.secadmin, world.clerk, role="sys_admin", roles=[], reason="转岗")
    assert user.all_roles == ("sys_admin",)


def test_the_start_up_check_names_an_account_that_breaks_the_exclusivity(world):
    assert not [e for e in checks.run_checks() if e.id == "accounts.E001"]
    User.objects.filter(pk=world.sysadmin.pk).update(roles=["zone_staff"])  # written around the services
    errors = [e for e in checks.run_checks() if e.id == "accounts.E001"]
    assert len(errors) == 1 and "t_sys" in errors[0].msg and "三员" in errors[0].msg


def test_role_api_lists_and_changes_a_role(world, api_for):
    api = api_for(world.secadmin)
    listed = {r["role"]: r for r in api.get("/api/v1/roles/").json()}
    assert set(listed) == set(Role.values) and listed["sys_admin"]["admin"] is True
    assert "staff.view_pay" in listed["org_hr"]["permissions"] and "staff.view_pay" not in listed["zone_leader"][
        "permissions"]
    body = api.get("/api/v1/roles/zone_staff/").json()
    changed = api.patch("/api/v1/roles/zone_staff/", {"permissions": [*body["permissions"], "staff.change"],
                                                      "reason": "维护本处室人员", "version": body["version"]},
                        format="json")
    assert changed.status_code == 200 and "staff.change" in changed.json()["permissions"]
    stale = api.patch("/api/v1/roles/zone_staff/", {"permissions": [], "reason": "再改", "version": body["version"]},
                      format="json")
    assert stale.status_code == 409
    no_reason = api.patch("/api/v1/roles/zone_staff/", {"permissions": []}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    duty = api.patch("/api/v1/roles/zone_staff/", {"permissions": ["audit.view"], "reason": "试"}, format="json")
    assert duty.status_code == 422
    assert api.get("/api/v1/roles/wizard/").status_code == 404
    assert api_for(world.leader).get("/api/v1/roles/").status_code == 403
    assert api_for(world.sysadmin).patch("/api/v1/roles/zone_staff/", {"permissions": [], "reason": "试"},
                                         format="json").status_code == 403


def test_assign_role_api_takes_further_roles_and_refuses_an_administrator_among_them(world, api_for):
    api = api_for(world.secadmin)
    url = f"/api/v1/users/{world.clerk.pk}/assign-role/"
    refused = api.post(url, {"role": "zone_staff", "roles": ["sec_admin"], "reason": "试"}, format="json")
    assert refused.status_code == 422 and "三员" in refused.json()["detail"]
    ok = api.post(url, {"role": "zone_staff", "roles": ["org_hr"], "reason": "兼任组织人事"}, format="json")
    assert ok.status_code == 200 and ok.json()["roles"] == ["org_hr"]


def test_the_role_page_edits_a_business_role(world, client_for):
    client = client_for(world.secadmin)
    url = "/accounts/security/roles/zone-staff/edit/"
    page = client.get(url)
    assert page.status_code == 200 and "查看本单位人员" in page.content.decode()
    assert client.post(url, {"permissions": ["org.view"]}).status_code == 400  # no reason
    response = client.post(url, {"permissions": ["org.view", "staff.view_own", "staff.change"],
                                 "reason": "各处室维护本处室人员"})
    assert response.status_code == 302
    assert "staff.change" in perms_for("zone_staff")
    assert client.get("/accounts/security/roles/sec-admin/edit/").status_code == 404
    assert client_for(world.leader).get(url).status_code == 403


def services_actor():
    from kaifaqu.core.access import SYSTEM

    return SYSTEM
