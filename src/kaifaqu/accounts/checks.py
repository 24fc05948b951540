"""Start-up checks: no account holds an administrator role (三员) together with any other role."""

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security)
def check_role_exclusivity(app_configs=None, **kwargs):
    from .models import User
    from .roles import role_conflicts

    errors = []
    try:
        rows = list(User.objects.exclude(roles=[]).values_list("username", "role", "roles"))
    except (DatabaseError, RuntimeError):  # no database yet (before the first migration), or none allowed (tests)
        return errors
    for username, role, roles in rows:
        for problem in role_conflicts(role, roles or ()):
            errors.append(checks.Error(f"用户 {username}：{problem}", hint="由安全管理员在“角色分配与解锁”中改正。",
                                       id="accounts.E001"))
    return errors
