from kaifaqu.core.registry import Menu, ModuleConfig


class AccountsConfig(ModuleConfig):
    name = "kaifaqu.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    permissions = {
        "user.manage": "创建、停用用户与重置密码（系统管理员）",
        "security.manage": "分配角色、解锁账号、安全策略（安全管理员）",
    }
    duties = {"user.manage": "system", "security.manage": "security"}
    default_grants = {"sys_admin": {"user.manage"}, "sec_admin": {"security.manage"}}
    api_routes = ("kaifaqu.accounts.api",)
    api_views = (
        ("auth/token", "kaifaqu.accounts.api.TokenView", "api-token"),
        ("auth/token/revoke", "kaifaqu.accounts.api.TokenRevokeView", "api-token-revoke"),
        ("auth/me", "kaifaqu.accounts.api.MeView", "api-me"),
    )
    pages = (("accounts", "kaifaqu.accounts.urls"),)
    menu = (
        Menu("system", "系统管理", 900, (
            ("用户管理", "accounts:user-list", "user.manage", "people", 10),
            ("角色分配与解锁", "accounts:security-user-list", "security.manage", "shield-lock", 20),
            ("角色权限", "accounts:role-list", "security.manage", "key", 30),
            ("双因素认证策略", "accounts:two-factor-policy", "security.manage", "phone", 40),
        )),
    )
    cli_help = (
        ("createadmins [--noinput]", "创建三员（系统、安全、审计管理员） / create the system, security and audit administrators"),
        ("resettwofactor USERNAME --reason TEXT",
         "重置用户的双因素认证（审计） / reset a user's second factor (audited), e.g. a security administrator's"),
    )

    labels = ("kaifaqu.accounts.labels",)

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import checks, roles, signals  # noqa: F401
        from .models import RoleDefinition

        # Every module's permissions, gathered and checked for the 三员 separation: a violation stops start-up.
        roles.load()
        post_migrate.connect(_seed_roles, sender=self, dispatch_uid="accounts.seed_roles")
        post_save.connect(_role_changed, sender=RoleDefinition, dispatch_uid="accounts.role_saved")
        post_delete.connect(_role_changed, sender=RoleDefinition, dispatch_uid="accounts.role_deleted")


def _seed_roles(sender, using="default", **kwargs):
    from .services import seed_role_definitions

    seed_role_definitions()


def _role_changed(sender, **kwargs):
    from . import roles

    roles.invalidate()
