"""Table and Excel layouts of the user lists. Lock state comes from ``locks.annotate_lock_state`` on the queryset."""

from kaifaqu.core.tabular import Column, Layout

from . import locks


def _org(user):
    return user.org.name if user.org_id else ""


def _zone(user):
    return user.org.zone.name if user.org_id else "（全平台）"


def _role(user):
    return user.get_role_display() if user.role else "未分配"


def _active(user):
    return "启用" if user.is_active else "停用"


def _extra_zones(user):
    return "、".join(z.name for z in user.extra_zones.all())


def _two_factor(user):
    on = getattr(user, "two_factor_on", None)
    if on is None:  # not annotated (one query)
        from .two_factor import has_two_factor

        on = has_two_factor(user)
    return "已启用" if on else "未启用"


def _lock(user):
    return locks.lock_state(user).label


USER_LAYOUT = Layout("users", "用户", (
    Column("用户名", "username", required=True, width=16),
    Column("姓名", "name", width=12),
    Column("开发区", "zone", getter=_zone, width=22),
    Column("所在单位", "org", getter=_org, width=24),
    Column("角色", "role", getter=_role, width=16),
    Column("手机", "phone", width=14),
    Column("邮箱", "email", width=22),
    Column("状态", "is_active", getter=_active, width=8),
    Column("须修改密码", "must_change_password", "bool", width=10),
    Column("最近登录", "last_login", "datetime", width=18),
    Column("创建时间", "date_joined", "datetime", width=18),
))

USER_TABLE = Layout("users_table", "用户", tuple(c for c in USER_LAYOUT.columns if c.field in {
    "username", "name", "org", "role", "phone", "is_active", "must_change_password", "last_login"}))

SECURITY_LAYOUT = Layout("security_users", "角色分配与解锁", (
    Column("用户名", "username", required=True, width=16),
    Column("姓名", "name", width=12),
    Column("开发区", "zone", getter=_zone, width=22),
    Column("所在单位", "org", getter=_org, width=24),
    Column("角色", "role", getter=_role, width=16),
    Column("可查看的其他开发区", "extra_zones", getter=_extra_zones, width=24),
    Column("状态", "is_active", getter=_active, width=8),
    Column("双因素", "two_factor", getter=_two_factor, width=10),
    Column("锁定状态", "lock", getter=_lock, width=26),
    Column("最近登录", "last_login", "datetime", width=18),
    Column("上次登录以来失败次数", "failed_since_login", "integer", width=12),
))

SECURITY_TABLE = Layout("security_users_table", "角色分配与解锁", tuple(
    c for c in SECURITY_LAYOUT.columns if c.field != "zone"))
