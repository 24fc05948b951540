import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from kaifaqu.core.access import Scope, ZoneScopedQuerySet

from .roles import ADMIN_ROLES, Role, perms_for_roles


class UserQuerySet(ZoneScopedQuerySet):
    def scope_filter(self, scope):
        # Not a zone rule: a user has no zone column (it is the organisation's), platform administrators (no
        # organisation) manage every account, org-less ones included, and an administrator always sees itself.
        if scope.has("user.manage") or scope.has("security.manage"):
            if scope.zone_ids and scope.org_id:
                return self.filter(models.Q(org__zone_id__in=scope.zone_ids) | models.Q(pk=scope.user_id))
            return self
        return self.none()


class KaifaquUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    name = models.CharField("姓名", max_length=50, blank=True)
    org = models.ForeignKey("org.Org", verbose_name="所在单位", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="users")
    role = models.CharField("角色", max_length=24, choices=Role.choices, blank=True)
    roles = models.JSONField("兼任角色", default=list, blank=True,
                             help_text="主角色之外兼任的业务角色；三员角色不能兼任，也不能被兼任")
    extra_zones = models.ManyToManyField("org.Zone", verbose_name="可查看的其他开发区", blank=True, related_name="+",
                                         help_text="市级、省级用户可查看多个开发区")
    phone = models.CharField("手机", max_length=20, blank=True)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    previous_login_at = models.DateTimeField("上次登录时间", null=True, blank=True)
    previous_login_ip = models.CharField("上次登录IP", max_length=64, blank=True)
    failed_since_login = models.PositiveIntegerField("上次登录以来失败次数", default=0)
    session_epoch = models.PositiveIntegerField("会话代数", default=0, editable=False,
                                                help_text="加一即令该用户所有已登录会话失效")
    version = models.PositiveIntegerField(default=1)

    objects = KaifaquUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        return f"{self.name or self.username}（{self.username}）"

    def _get_session_auth_hash(self, secret=None):
        # Django checks this hash on every request; besides the password it covers session_epoch, so bumping the
        # epoch (end_sessions) logs the user out everywhere. Django's own method is private API, hence the test.
        from django.utils.crypto import salted_hmac

        return salted_hmac("kaifaqu.accounts.User.session", f"{self.password}:{self.session_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username

    @property
    def is_admin_role(self):
        return self.role in ADMIN_ROLES

    @property
    def all_roles(self) -> tuple[str, ...]:
        """The main role first, then the further business roles held (each once)."""
        held = [self.role] if self.role else []
        for r in self.roles or ():
            if r and r not in held:
                held.append(r)
        return tuple(held)

    def get_roles_display(self) -> str:
        return "、".join(Role(r).label for r in self.all_roles if r in Role.values) or "未分配"

    @cached_property
    def scope(self) -> Scope:
        from kaifaqu.org.queries import all_zone_ids

        perms = perms_for_roles(self.all_roles) if self.is_active else frozenset()
        zone_ids = set()
        if self.org_id:
            zone_ids.add(self.org.zone_id)
            zone_ids.update(self.extra_zones.values_list("pk", flat=True))
        elif self.role in ADMIN_ROLES:
            # Platform-level administrators (no organisation) work across all zones.
            zone_ids.update(all_zone_ids())
        return Scope(user_id=self.pk, role=self.role, org_id=self.org_id, zone_ids=frozenset(zone_ids), perms=perms)


class RoleDefinition(models.Model):
    """A business role as a named permission set, maintained by the security administrator (each change audited
    with a reason). Seeded from the modules' default grants; ``offered`` remembers which defaults the row has been
    offered, so that a module's new default reaches the role while a default taken away stays away
    (roles.perms_for)."""

    role = models.CharField("角色", max_length=24, choices=Role.choices, unique=True)
    permissions = models.JSONField("权限", default=list)
    offered = models.JSONField("已提供的默认权限", default=list)
    changed_by = models.ForeignKey("User", verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField("修改时间", default=timezone.now)
    reason = models.CharField("修改原因", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "角色权限"
        verbose_name_plural = "角色权限"
        ordering = ["role"]

    def __str__(self):
        return self.get_role_display()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, the raw value is shown once when issued."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    two_factor = models.BooleanField("双因素签发", default=False, help_text="签发时已验证第二因素（动态口令或恢复码）")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        indexes = [models.Index(fields=["user", "expires_at"], name="token_user_expiry")]

    def __str__(self):
        return f"{self.prefix}…"

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(30)


# 双因素认证 ----------------------------------------------------------------------------------------------------------

class TwoFactorDevice(models.Model):
    """A user's TOTP authenticator. The secret is stored sealed (SM4-CTR + HMAC-SM3, see ``otp.seal``); nobody,
    administrators included, can read it back through the platform. Active once ``confirmed_at`` is set by the first
    correct code. ``last_step`` is the last time step accepted: a code of that step or an earlier one is refused."""

    user = models.OneToOneField(User, verbose_name="用户", on_delete=models.CASCADE, related_name="two_factor_device")
    algorithm = models.CharField("算法", max_length=8, default="sha1")
    secret_sealed = models.CharField(max_length=200)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_step = models.BigIntegerField(default=-1)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "双因素认证器"
        verbose_name_plural = "双因素认证器"

    def __str__(self):
        return f"{self.user.username} 动态口令"


class RecoveryCode(models.Model):
    """One single-use recovery code, stored as salt$SHA-256 (the code itself is shown once when generated)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=120)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "恢复码"
        verbose_name_plural = "恢复码"

    def __str__(self):
        return f"{self.user_id} 恢复码"


class TwoFactorPolicy(models.Model):
    """The security administrator's choice for one role; a role without a row follows ``two_factor.DEFAULT_REQUIRED``."""

    role = models.CharField("角色", max_length=24, choices=Role.choices, unique=True)
    required = models.BooleanField("必须启用双因素认证", default=False)
    changed_by = models.ForeignKey(User, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "双因素认证策略"
        verbose_name_plural = "双因素认证策略"

    def __str__(self):
        return f"{self.get_role_display()}：{'必选' if self.required else '可选'}"


class SmsCode(models.Model):
    """A login code sent by SMS (only where KAIFAQU_SMS_SENDER is configured); stored hashed, valid 5 minutes."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="sms_codes")
    code_hash = models.CharField(max_length=120)
    created_at = models.DateTimeField("发送时间", default=timezone.now)
    expires_at = models.DateTimeField("过期时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        indexes = [models.Index(fields=["user", "created_at"], name="smscode_user_created")]

    def __str__(self):
        return f"{self.user_id} 短信验证码"
