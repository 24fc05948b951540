"""Roles and what each may do. One role per user, so the three administrators (三员) stay separated:
no role holds business data together with user administration, security policy or the audit log."""

from django.db import models


class Role(models.TextChoices):
    ZONE_LEADER = "zone_leader", "开发区领导"
    ZONE_STAFF = "zone_staff", "开发区部门工作人员"
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
ZONE_WIDE_ROLES = frozenset({Role.ZONE_LEADER, Role.ZONE_STAFF, Role.CITY_LEADER})

PERMISSIONS = {
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

ROLE_PERMISSIONS = {
    Role.ZONE_LEADER: {"org.view", "org.change", "staff.view_all", "staff.view_own", "staff.change"},
    Role.ZONE_STAFF: {"org.view", "org.change", "staff.view_all", "staff.view_own", "staff.change"},
    Role.CITY_LEADER: {"org.view", "staff.view_all", "staff.view_own"},
    Role.CITY_DEPT_STAFF: {"org.view", "staff.view_own"},
    Role.STREET_STAFF: {"org.view", "staff.view_own"},
    Role.STATIONED_STAFF: {"org.view", "staff.view_own"},
    Role.PLATFORM_STAFF: {"org.view", "staff.view_own"},
    Role.ENTERPRISE_USER: {"org.view"},
    Role.INTERMEDIARY_USER: {"org.view"},
    # The system administrator sees the organisation tree (to place users) but no business data.
    Role.SYS_ADMIN: {"user.manage", "zone.manage", "org.view", "calendar.manage"},
    Role.SEC_ADMIN: {"security.manage"},
    Role.AUDIT_ADMIN: {"audit.view"},
}

ADMIN_ONLY_PERMS = frozenset({"zone.manage", "calendar.manage", "user.manage", "security.manage", "audit.view"})

# City-level users work across several zones: the security administrator may give them extra zones to see.
MULTI_ZONE_ROLES = frozenset({Role.CITY_LEADER, Role.CITY_DEPT_STAFF})

ROLE_NOTES = {
    Role.SYS_ADMIN: "三员之一：管理用户账号，不能分配角色，不能查阅审计日志",
    Role.SEC_ADMIN: "三员之一：分配角色、解锁账号，不能创建用户或重置密码",
    Role.AUDIT_ADMIN: "三员之一：只读审计日志，不能管理用户或角色",
}


def _check_separation():
    """The 三员 stay separated by construction: each administrator role holds exactly one administrative duty and
    no business role holds any. Checked at import so a careless edit of the table fails at start-up."""
    duties = {Role.SYS_ADMIN: "user.manage", Role.SEC_ADMIN: "security.manage", Role.AUDIT_ADMIN: "audit.view"}
    for role in BUSINESS_ROLES:
        if ROLE_PERMISSIONS.get(role, set()) & ADMIN_ONLY_PERMS:
            raise RuntimeError(f"业务角色 {role} 不能包含三员权限")
    for role, duty in duties.items():
        others = set(duties.values()) - {duty}
        if duty not in ROLE_PERMISSIONS[role] or ROLE_PERMISSIONS[role] & others:
            raise RuntimeError(f"三员角色 {role} 的权限必须互相分离")


_check_separation()


def perms_for(role: str) -> frozenset:
    return frozenset(ROLE_PERMISSIONS.get(role, set()))
