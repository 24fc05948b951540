"""Roles and what each may do. A user holds a main role and may hold further business roles (a clerk who is also a
window officer); an administrator role (三员) excludes every other role, so the three administrators stay separated:
no account holds business data together with user administration, security policy or the audit log.

The roles are defined here; the permissions and the roles that hold them by default are declared by each module
in its AppConfig (core.registry.ModuleConfig) and gathered by load() at start-up, which also checks the
separation and stops the platform when a declaration breaks it. A business role is a named permission set the
security administrator maintains (accounts.RoleDefinition, seeded from those defaults): ``perms_for`` reads the
stored set, plus every default a module declares that the stored row has not been offered yet (a module added
later still reaches the roles it grants to; a default the administrator took away stays away)."""

import time

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from kaifaqu.core.registry import DUTIES, declared_permissions


class Role(models.TextChoices):
    ZONE_LEADER = "zone_leader", "开发区领导"
    ZONE_STAFF = "zone_staff", "开发区部门工作人员"
    ORG_HR = "org_hr", "组织人事"
    CITY_DEPT_STAFF = "city_dept_staff", "市直部门工作人员"
    STREET_STAFF = "street_staff", "属地镇街工作人员"
    STATIONED_STAFF = "stationed_staff", "派驻机构工作人员"
    PLATFORM_STAFF = "platform_staff", "平台公司工作人员"
    ENTERPRISE_USER = "enterprise_user", "企业用户"
    INTERMEDIARY_USER = "intermediary_user", "中介机构用户"
    CITY_LEADER = "city_leader", "市领导"
    SYS_ADMIN = "sys_admin", "系统管理员"
    SEC_ADMIN = "sec_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


ADMIN_ROLES = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Roles whose scope is the zone's whole structure; other business roles see their own organisation's people only.
ZONE_WIDE_ROLES = frozenset({Role.ZONE_LEADER, Role.ZONE_STAFF, Role.ORG_HR, Role.CITY_LEADER})

# Filled in place by load() at start-up from every module's AppConfig declarations (core.registry.ModuleConfig):
# code -> label, role -> codes, and the codes that belong to an administrator's duty.
PERMISSIONS: dict[str, str] = {}
ROLE_PERMISSIONS: dict[str, set[str]] = {}
ADMIN_ONLY_PERMS: set[str] = set()

# Which administrator role carries which duty (core.registry.DUTIES).
DUTY_ROLES = {"system": Role.SYS_ADMIN, "security": Role.SEC_ADMIN, "audit": Role.AUDIT_ADMIN}

# City-level users work across several zones: the security administrator may give them extra zones to see.
MULTI_ZONE_ROLES = frozenset({Role.CITY_LEADER, Role.CITY_DEPT_STAFF})

ROLE_NOTES = {
    Role.SYS_ADMIN: "三员之一：管理用户账号，不能分配角色，不能查阅审计日志",
    Role.SEC_ADMIN: "三员之一：分配角色、解锁账号，不能创建用户或重置密码",
    Role.AUDIT_ADMIN: "三员之一：只读审计日志，不能管理用户或角色",
}


def build(permissions, grants) -> tuple[dict[str, str], dict[str, set[str]]]:
    """The label table and the role table from the modules' declarations (core.registry.declared_permissions).

    Labels are ordered business permissions first, then each duty's (system, security, audit), each group in
    ``INSTALLED_APPS`` order. A grant to an unknown role or of an undeclared permission is an error."""
    by_code = {p.code: p for p in permissions}
    errors = []
    for role, codes in grants.items():
        if role not in Role.values:
            errors.append(f"未知角色 {role}（授予 {'、'.join(sorted(codes))}）")
        for code in sorted(set(codes) - set(by_code)):
            errors.append(f"角色 {role} 被授予未声明的权限 {code}")
    if errors:
        raise ImproperlyConfigured("；".join(errors))
    groups = ("", *DUTIES)
    ordered = sorted(permissions, key=lambda p: groups.index(p.duty))
    labels = {p.code: p.label for p in ordered}
    table = {role: set(grants.get(role.value, ())) for role in Role}
    return labels, table


def separation_errors(permissions, table) -> list[str]:
    """The 三员 stay separated by construction: an administrator role holds its own duty's permissions (and the
    shared reference data) only, each duty belongs to one administrator role, and no business role holds any."""
    by_code = {p.code: p for p in permissions}
    errors = []
    for role in Role:
        held = table.get(role, set())
        duties = {by_code[c].duty for c in held if by_code[c].duty}
        if role in BUSINESS_ROLES:
            if duties:
                codes = "、".join(sorted(c for c in held if by_code[c].duty))
                errors.append(f"业务角色 {role.label} 不能包含三员权限：{codes}")
            continue
        duty = next(d for d, r in DUTY_ROLES.items() if r == role)
        if duty not in duties or duties - {duty}:
            errors.append(f"三员角色 {role.label} 的权限必须互相分离")
        business = sorted(c for c in held if not by_code[c].duty and not by_code[c].shared)
        if business:
            errors.append(f"三员角色 {role.label} 不能包含业务权限：{'、'.join(business)}")
    return errors


def load(configs=None) -> None:
    """Build the tables from the modules' declarations and check the separation; at start-up (AccountsConfig.ready)
    any violation stops the platform with ImproperlyConfigured."""
    permissions, grants = declared_permissions(configs)
    labels, table = build(permissions, grants)
    errors = separation_errors(permissions, table)
    if errors:
        raise ImproperlyConfigured("三员分离检查未通过：" + "；".join(errors))
    PERMISSIONS.clear()
    PERMISSIONS.update(labels)
    ROLE_PERMISSIONS.clear()
    ROLE_PERMISSIONS.update(table)
    ADMIN_ONLY_PERMS.clear()
    ADMIN_ONLY_PERMS.update(p.code for p in permissions if p.duty)


def role_conflicts(role: str, roles=()) -> list[str]:
    """Why a main role and further roles may not be held together: an administrator role (三员) excludes every
    other role, and the further roles are business roles other than the main one."""
    errors = []
    others = [r for r in roles if r != role]
    if role in ADMIN_ROLES and others:
        errors.append(f"{Role(role).label}是三员角色，不能兼任其他角色")
    for r in others:
        if r not in Role.values:
            errors.append(f"未知角色 {r}")
        elif r in ADMIN_ROLES:
            errors.append(f"三员角色 {Role(r).label} 不能与其他角色兼任")
    return errors


# The security administrator's stored permission sets: role -> (permissions, defaults already offered), read from
# accounts.RoleDefinition and kept for CACHE_SECONDS (a change made in this process is seen at once).
CACHE_SECONDS = 5.0
_definitions: dict[str, tuple[frozenset, frozenset]] | None = None
_loaded_at = 0.0


def invalidate() -> None:
    global _definitions
    _definitions = None


def definitions() -> dict[str, tuple[frozenset, frozenset]]:
    global _definitions, _loaded_at
    if _definitions is None or time.monotonic() - _loaded_at > CACHE_SECONDS:
        from django.apps import apps
        from django.db import DatabaseError

        RoleDefinition = apps.get_model("accounts", "RoleDefinition")  # noqa: N806 (models imports this module)
        try:
            rows = {r.role: (frozenset(r.permissions), frozenset(r.offered)) for r in RoleDefinition.objects.all()}
        except DatabaseError:  # before the first migration
            rows = {}
        _definitions, _loaded_at = rows, time.monotonic()
    return _definitions


def default_perms(role: str) -> frozenset:
    """What the modules grant ``role`` by default (their AppConfig declarations)."""
    return frozenset(ROLE_PERMISSIONS.get(role, set()))


def perms_for(role: str) -> frozenset:
    """The permissions ``role`` holds now: an administrator role its fixed duty; a business role the security
    administrator's stored set plus the defaults it has not been offered yet, declared business permissions only."""
    defaults = default_perms(role)
    if not role or role in ADMIN_ROLES:
        return defaults
    stored = definitions().get(role)
    if stored is None:
        return defaults
    perms, offered = stored
    return frozenset((perms | (defaults - offered)) & (set(PERMISSIONS) - ADMIN_ONLY_PERMS))


def perms_for_roles(roles) -> frozenset:
    held = frozenset()
    for role in roles:
        held |= perms_for(role)
    return held
