"""The role → permission table is gathered from each module's AppConfig declarations; it must stay exactly what the
central table in accounts/roles.py granted before, and a declaration that breaks the 三员 separation stops start-up."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from kaifaqu.accounts import roles
from kaifaqu.accounts.roles import PERMISSIONS, ROLE_PERMISSIONS, Role
from kaifaqu.core.registry import ModuleConfig, declared_permissions

# The central literal tables of accounts/roles.py before permissions were declared by module (commit faa4ff4).
BEFORE_LABELS = {
    "org.view": "查看机构、园区与编制",
    "org.change": "维护机构、园区、牌子、编制与机构沿革",
    "staff.view_all": "查看本开发区全部人员",
    "staff.view_own": "查看本单位人员",
    "staff.change": "维护人员与挂职",
    "zone.manage": "新建开发区（系统管理员）",
    "calendar.manage": "维护工作日历（法定节假日、调休、本区调整）",
    "user.manage": "创建、停用用户与重置密码（系统管理员）",
    "security.manage": "分配角色、解锁账号、安全策略（安全管理员）",
    "audit.view": "查阅与导出审计日志（审计管理员）",
}
BEFORE_TABLE = {
    Role.ZONE_LEADER: {"org.view", "org.change", "staff.view_all", "staff.view_own", "staff.change"},
    Role.ZONE_STAFF: {"org.view", "org.change", "staff.view_all", "staff.view_own", "staff.change"},
    Role.CITY_LEADER: {"org.view", "staff.view_all", "staff.view_own"},
    Role.CITY_DEPT_STAFF: {"org.view", "staff.view_own"},
    Role.STREET_STAFF: {"org.view", "staff.view_own"},
    Role.STATIONED_STAFF: {"org.view", "staff.view_own"},
    Role.PLATFORM_STAFF: {"org.view", "staff.view_own"},
    Role.ENTERPRISE_USER: {"org.view"},
    Role.INTERMEDIARY_USER: {"org.view"},
    Role.SYS_ADMIN: {"user.manage", "zone.manage", "org.view", "calendar.manage"},
    Role.SEC_ADMIN: {"security.manage"},
    Role.AUDIT_ADMIN: {"audit.view"},
}
# Webhooks declare their own permission, held by exactly the roles that managed webhooks through org.change.
WEBHOOKS = "webhooks.manage"
# Pay and personal phone numbers have their own permissions (least privilege): by default only the zone's leaders.
SENSITIVE = {"staff.view_pay": "查看与维护人员工资薪酬（档案工资、实际薪酬）", "staff.view_phone": "查看人员个人手机号码"}


def test_every_role_holds_what_it_held_before():
    expected = {role: perms | ({WEBHOOKS} if "org.change" in perms else set()) for role, perms in BEFORE_TABLE.items()}
    expected[Role.ZONE_LEADER] |= set(SENSITIVE)
    # Modules added since (each app's own permissions) are left out: this table is core's, accounts' and org's.
    ours = {p.code for p in declared_permissions()[0] if p.app_label in {"core", "accounts", "org"}}
    assert {role: ROLE_PERMISSIONS[role] & ours for role in Role} == expected
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert {code: PERMISSIONS[code] for code in BEFORE_LABELS} == BEFORE_LABELS
    assert set(PERMISSIONS) & ours == {*BEFORE_LABELS, WEBHOOKS, *SENSITIVE}
    assert {code: PERMISSIONS[code] for code in SENSITIVE} == SENSITIVE
    assert PERMISSIONS[WEBHOOKS] == "配置本开发区各单位的 Webhook 接口"


def test_each_permission_is_declared_by_the_module_it_belongs_to():
    owners = {p.code: p.app_label for p in declared_permissions()[0] if p.app_label in {"core", "accounts", "org"}}
    assert all(p.code.split(".")[0] == p.app_label or p.app_label in {"core", "accounts", "org"}
               for p in declared_permissions()[0])
    assert owners == {"org.view": "org", "org.change": "org", "staff.view_all": "org", "staff.view_own": "org",
                      "staff.change": "org", "zone.manage": "org", "staff.view_pay": "org", "staff.view_phone": "org", "calendar.manage": "core", "audit.view": "core",
                      "webhooks.manage": "core", "user.manage": "accounts", "security.manage": "accounts"}


@pytest.fixture
def org_config(monkeypatch):
    """The org module's AppConfig, whose declarations a test may change (restored afterwards)."""
    config = apps.get_app_config("org")
    monkeypatch.setattr(config, "default_grants", {k: set(v) for k, v in config.default_grants.items()})
    return config


def test_a_module_granting_a_business_permission_to_an_administrator_stops_start_up(org_config):
    before = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    org_config.default_grants["sys_admin"].add("staff.change")
    with pytest.raises(ImproperlyConfigured, match="三员角色 系统管理员 不能包含业务权限：staff.change"):
        apps.get_app_config("accounts").ready()  # what start-up runs
    assert {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()} == before  # the table was not replaced


def test_a_business_role_with_an_administrator_duty_stops_start_up(org_config):
    org_config.default_grants["zone_leader"].add("zone.manage")
    with pytest.raises(ImproperlyConfigured, match="业务角色 开发区领导 不能包含三员权限：zone.manage"):
        roles.load()


def test_an_administrator_with_two_duties_stops_start_up(org_config):
    org_config.default_grants["sys_admin"] = {"org.view", "zone.manage"}
    org_config.default_grants["audit_admin"] = {"zone.manage"}
    with pytest.raises(ImproperlyConfigured, match="三员角色 审计管理员 的权限必须互相分离"):
        roles.load()


def test_a_grant_to_an_unknown_role_or_of_an_undeclared_permission_stops_start_up(org_config):
    org_config.default_grants["zone_leadr"] = {"org.view"}
    with pytest.raises(ImproperlyConfigured, match="未知角色 zone_leadr"):
        roles.load()
    del org_config.default_grants["zone_leadr"]
    org_config.default_grants["zone_leader"].add("org.delete")
    with pytest.raises(ImproperlyConfigured, match="未声明的权限 org.delete"):
        roles.load()


def test_a_permission_declared_by_two_modules_is_refused():
    class One(ModuleConfig):
        label = "one"
        permissions = {"x.view": "查看"}

    class Two(ModuleConfig):
        label = "two"
        permissions = {"x.view": "查看"}

    with pytest.raises(ImproperlyConfigured, match="权限 x.view 重复声明"):
        declared_permissions([One, Two])


def test_the_role_page_lists_business_permissions_before_each_duty():
    duty = {p.code: p.duty for p in declared_permissions()[0]}
    groups = ["", "system", "security", "audit"]
    ranks = [groups.index(duty[code]) for code in PERMISSIONS]
    assert ranks == sorted(ranks)
    assert list(PERMISSIONS)[-2:] == ["security.manage", "audit.view"]


def test_a_duty_that_does_not_exist_is_refused():
    class Three(ModuleConfig):
        label = "three"
        permissions = {"x.approve": "审批"}
        duties = {"x.approve": "finance"}

    with pytest.raises(ImproperlyConfigured, match="权限 x.approve 的三员职责 finance 无效"):
        declared_permissions([Three])
