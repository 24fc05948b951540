from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kaifaqu.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self):
        from kaifaqu.core.web import menu

        from . import (
            labels,  # noqa: F401 (registers the Chinese labels of its codes)
            signals,  # noqa: F401
        )

        menu.register(
            "system", "系统管理", 900,
            menu.MenuItem("用户管理", "accounts:user-list", "user.manage", "people", 10),
            menu.MenuItem("角色分配与解锁", "accounts:security-user-list", "security.manage", "shield-lock", 20),
            menu.MenuItem("角色权限", "accounts:role-list", "security.manage", "key", 30),
            menu.MenuItem("双因素认证策略", "accounts:two-factor-policy", "security.manage", "phone", 40),
        )
