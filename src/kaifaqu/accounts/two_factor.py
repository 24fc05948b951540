"""双因素认证 (等保2.0 第三级 身份鉴别 d): TOTP authenticators, recovery codes, the per-role policy, optional SMS codes.

The writes of the second factor live here (the accounts services for this concern): each runs in a transaction and
writes its audit event in it. A failed code is the exception: it is reported through Django's ``user_login_failed``
signal *outside* any transaction, so django-axes counts it toward the same username lock as a wrong password and
``signals.on_login_failed`` audits it as ``auth.otp_failed`` — and the refusal that follows does not roll it back.
"""

import abc
import datetime
import hashlib
import hmac as py_hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from kaifaqu.core import audit
from kaifaqu.core.access import is_system, require
from kaifaqu.core.errors import Forbidden, InvalidInput, RuleViolation, ServiceError

from . import locks, otp
from .models import ApiToken, RecoveryCode, SmsCode, TwoFactorDevice, TwoFactorPolicy, User
from .roles import Role

# 三员 and leaders: required unless the security administrator decides otherwise.
DEFAULT_REQUIRED = frozenset({Role.SYS_ADMIN, Role.SEC_ADMIN, Role.AUDIT_ADMIN, Role.ZONE_LEADER, Role.CITY_LEADER})
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off paper
PENDING_ENROLMENT_MINUTES = 15
SMS_CODE_MINUTES = 5
SMS_INTERVAL_SECONDS = 60
FACTOR_MARK = "second_factor"  # key in the credentials passed to user_login_failed

WRONG_CODE = "验证码错误或已使用。连续失败 5 次（含密码错误）将锁定账号 30 分钟。"


class OtpRequired(ServiceError):
    status = 401
    code = "otp_required"


class OtpInvalid(ServiceError):
    status = 401
    code = "otp_invalid"


def algorithm() -> str:
    return settings.OTP_ALGORITHM


def _master() -> str:
    return settings.FIELD_KEY


def _zone_of(user):
    return user.org.zone_id if user.org_id else None


# Policy ----------------------------------------------------------------------------------------------------------

def policy_table() -> dict:
    """{role: required} for every role: the stored choice, else the default."""
    stored = dict(TwoFactorPolicy.objects.values_list("role", "required"))
    return {role: stored.get(role.value, role in DEFAULT_REQUIRED) for role in Role}


def required_for(user) -> bool:
    if not user.role:
        return False
    row = TwoFactorPolicy.objects.filter(role=user.role).values_list("required", flat=True).first()
    return row if row is not None else user.role in DEFAULT_REQUIRED


def do_set_policy(actor, required: dict, *, reason="") -> dict:
    """Security administrator (or the platform: the demo loader). ``required`` maps roles to True/False; records
    ``security.two_factor_policy`` with the roles that changed. A user whose role becomes required enrols at the
    next login."""
    require(actor, "security.manage")
    if not is_system(actor) and not (reason or "").strip():
        raise InvalidInput("请填写原因。", fields={"reason": ["请填写原因。"]})
    unknown = set(required) - set(Role.values)
    if unknown:
        raise InvalidInput("角色无效。", fields={"role": ["角色无效。"]})
    with transaction.atomic():
        before = policy_table()
        changed_by = actor if getattr(actor, "is_authenticated", False) else None
        for role, value in required.items():
            if before[Role(role)] != bool(value) or not TwoFactorPolicy.objects.filter(role=role).exists():
                TwoFactorPolicy.objects.update_or_create(
                    role=role, defaults={"required": bool(value), "changed_by": changed_by,
                                         "changed_at": timezone.now()})
        after = policy_table()
        b = {r.value: before[r] for r in Role if before[r] != after[r]}
        a = {r.value: after[r] for r in Role if before[r] != after[r]}
        if b:
            audit.record(actor, "security.two_factor_policy", None, before=b, after=a, reason=reason,
                         object_type="accounts.twofactorpolicy", object_label="双因素认证策略")
    return after


# Devices ---------------------------------------------------------------------------------------------------------

def active_device(user) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def annotate_two_factor(queryset):
    """``two_factor_on`` on a User queryset (one EXISTS per row in SQL, no extra query per page)."""
    return queryset.annotate(two_factor_on=Exists(
        TwoFactorDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)))


def has_two_factor(user) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@dataclass(frozen=True)
class Enrolment:
    device: TwoFactorDevice
    secret: bytes

    @property
    def uri(self) -> str:
        return otp.provisioning_uri(self.secret, self.device.user.username, algorithm=self.device.algorithm)

    @property
    def secret_b32(self) -> str:
        return otp.b32_grouped(self.secret)

    @property
    def qr_svg(self) -> str:
        return otp.qr_svg(self.uri)


def do_start_enrolment(user) -> Enrolment:
    """The user, for themself: a new secret waiting for its first code (a pending one younger than 15 minutes is
    shown again, so reloading the page does not invalidate the QR code already scanned). Nothing is active yet."""
    now = timezone.now()
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            raise RuleViolation("您已启用双因素认证。如需更换手机，请先停用后重新绑定，或联系安全管理员重置。")
        if device is not None and (now - device.created_at).total_seconds() < PENDING_ENROLMENT_MINUTES * 60 \
                and device.algorithm == algorithm():
            return Enrolment(device, otp.unseal(device.secret_sealed, _master()))
        secret = otp.new_secret(algorithm())
        if device is not None:
            device.delete()
        device = TwoFactorDevice.objects.create(user=user, algorithm=algorithm(),
                                                secret_sealed=otp.seal(secret, _master()), created_at=now)
    return Enrolment(device, secret)


def do_confirm_enrolment(user, code) -> list[str]:
    """The user: the first correct code activates the authenticator. Returns the ten recovery codes (shown once).
    Records ``auth.otp_enrol``."""
    now = timezone.now()
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            raise RuleViolation("请先开始绑定。")
        if device.confirmed_at is not None:
            raise RuleViolation("您已启用双因素认证。")
        if (now - device.created_at).total_seconds() >= PENDING_ENROLMENT_MINUTES * 60:
            raise RuleViolation("绑定已超时，请刷新页面重新扫码。")
        key = otp.unseal(device.secret_sealed, _master())
        step = otp.match(key, code, now.timestamp(), algorithm=device.algorithm)
        if step is None:
            raise InvalidInput("验证码不正确，请核对手机时间后输入当前显示的 6 位数字。",
                               fields={"code": ["验证码不正确。"]})
        device.confirmed_at = now
        device.last_step = step  # the code used to confirm is spent
        device.last_used_at = now
        device.save(update_fields=["confirmed_at", "last_step", "last_used_at"])
        codes = _new_recovery_codes(user)
        audit.record(user, "auth.otp_enrol", user, zone_id=_zone_of(user),
                     after={"algorithm": device.algorithm, "recovery_codes": len(codes)})
    return codes


# Recovery codes --------------------------------------------------------------------------------------------------

def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _hash_recovery(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}${_normalise_recovery(code)}".encode()).hexdigest()


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes, rows = [], []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        salt = secrets.token_hex(8)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        rows.append(RecoveryCode(user=user, code_hash=f"{salt}${_hash_recovery(raw, salt)}"))
    RecoveryCode.objects.bulk_create(rows)
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _use_recovery_code(user, code, now) -> bool:
    if len(_normalise_recovery(code)) != 10:
        return False
    for row in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        salt, _, digest = row.code_hash.partition("$")
        if py_hmac.compare_digest(_hash_recovery(code, salt), digest):
            # Conditional: two requests with the same code cannot both use it.
            return bool(RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now))
    return False


# Verification ----------------------------------------------------------------------------------------------------

def _use_totp(device, code, now) -> bool:
    key = otp.unseal(device.secret_sealed, _master())
    step = otp.match(key, code, now.timestamp(), last_step=device.last_step, algorithm=device.algorithm)
    if step is None:
        return False
    # Compare-and-set on the step: of two requests racing with one code, only one wins.
    return bool(TwoFactorDevice.objects.filter(pk=device.pk, last_step__lt=step)
                .update(last_step=step, last_used_at=now))


def _use_sms_code(user, code, now) -> bool:
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        return False
    for row in SmsCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).order_by("-created_at"):
        salt, _, digest = row.code_hash.partition("$")
        if py_hmac.compare_digest(hashlib.sha256(f"{salt}${code}".encode()).hexdigest(), digest):
            return bool(SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now))
    return False


def report_failure(user, request=None, *, kind="动态口令") -> None:
    """Count a wrong code toward the username lock (django-axes) and audit it (``auth.otp_failed``). Must not run
    inside a transaction that is then rolled back."""
    request = request if request is not None else HttpRequest()
    user_login_failed.send(sender=__name__, credentials={"username": user.username, FACTOR_MARK: kind},
                           request=request)


def verify(user, code, request=None) -> str:
    """Check a second-factor code (TOTP, an SMS code, or a recovery code) for a user who passed the password step.
    Returns "totp", "sms" or "recovery". A wrong code raises ``OtpInvalid`` after counting and auditing the failure;
    a locked username raises ``Forbidden`` (code ``account_locked``) without checking anything."""
    if locks.is_locked(user.username):
        raise Forbidden(locks.lock_message(), code="account_locked")
    device = active_device(user)
    if device is None:
        raise RuleViolation("该账号未启用双因素认证。")
    now = timezone.now()
    if _use_totp(device, code, now):
        return "totp"
    if _use_sms_code(user, code, now):
        return "sms"
    with transaction.atomic():  # the code is spent and the use recorded together
        if _use_recovery_code(user, code, now):
            left = recovery_codes_left(user)
            audit.record(user, "auth.otp_recovery_used", user, zone_id=_zone_of(user),
                         reason=f"使用恢复码登录，剩余 {left} 个", after={"recovery_codes_left": left})
            return "recovery"
    report_failure(user, request)
    raise OtpInvalid(WRONG_CODE, fields={"otp": [WRONG_CODE]})


def do_regenerate_recovery_codes(user, code, request=None) -> list[str]:
    """The user, with a current code: replaces all recovery codes. Records ``auth.otp_recovery_regenerate``."""
    verify(user, code, request)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record(user, "auth.otp_recovery_regenerate", user, zone_id=_zone_of(user))
    return codes


def do_disable(user, code, request=None) -> None:
    """The user, with a current code, when the policy of their role does not require a second factor.
    Records ``auth.otp_disable``."""
    if required_for(user):
        raise RuleViolation("您的角色必须启用双因素认证，不能停用。")
    verify(user, code, request)
    with transaction.atomic():
        TwoFactorDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit.record(user, "auth.otp_disable", user, zone_id=_zone_of(user))


def do_reset(actor, user, *, reason="") -> User:
    """Security administrator: removes the user's authenticator and recovery codes (the user enrols again at the
    next login if the role requires it), revokes their two-factor API tokens and ends their open sessions. Not their own. Records
    ``user.reset_two_factor`` with the reason. The secret is never shown to anybody."""
    require(actor, "security.manage")
    if not is_system(actor) and user.pk == actor.pk:
        raise RuleViolation("不能重置自己的双因素认证，请联系另一名安全管理员。")
    if not is_system(actor) and not (reason or "").strip():
        raise InvalidInput("请填写原因。", fields={"reason": ["请填写原因。"]})
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.confirmed_at is None:
            raise RuleViolation("该用户未启用双因素认证。")
        before = {"enabled": True, "confirmed_at": device.confirmed_at, "recovery_codes_left": recovery_codes_left(user)}
        device.delete()
        RecoveryCode.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user, two_factor=True, revoked_at__isnull=True).update(revoked_at=timezone.now())
        # Whoever holds the lost device may be logged in right now: end every session of the user.
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        audit.record(actor, "user.reset_two_factor", user, reason=reason, before=before, after={"enabled": False},
                     zone_id=_zone_of(user))
    return user


# SMS (a plug-in; no vendor bundled) --------------------------------------------------------------------------------

class SmsSender(abc.ABC):
    """Interface of an SMS gateway adapter. A deployment sets KAIFAQU_SMS_SENDER="package.module.Class" to a
    subclass that implements ``send``; the platform never ships a vendor."""

    @abc.abstractmethod
    def send(self, phone: str, text: str) -> None:
        """Deliver ``text`` to ``phone``; raise on failure (the code is then not stored as sent)."""


def sms_sender() -> SmsSender | None:
    path = settings.SMS_SENDER
    if not path:
        return None
    sender = import_string(path)()
    if not isinstance(sender, SmsSender):
        raise TypeError(f"{path} must subclass kaifaqu.accounts.two_factor.SmsSender")
    return sender


def sms_available(user) -> bool:
    return bool(settings.SMS_SENDER and user.phone)


def do_send_sms_code(user) -> SmsCode:
    """The user at the second login step, where SMS is configured: a 6-digit code valid 5 minutes, at most one a
    minute. Records ``auth.sms_code_sent`` (without the code)."""
    sender = sms_sender()
    if sender is None or not user.phone:
        raise RuleViolation("未配置短信验证码，或账号未登记手机号码。")
    if locks.is_locked(user.username):
        raise Forbidden(locks.lock_message(), code="account_locked")
    now = timezone.now()
    with transaction.atomic():
        # Lock the user's row: two clicks at once still send one message a minute.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = SmsCode.objects.filter(
            user=user, created_at__gt=now - datetime.timedelta(seconds=SMS_INTERVAL_SECONDS))
        if recent.exists():
            raise RuleViolation("短信验证码发送过于频繁，请 1 分钟后再试。", code="throttled")
        code = f"{secrets.randbelow(10**6):06d}"
        salt = secrets.token_hex(8)
        row = SmsCode.objects.create(
            user=user, code_hash=f"{salt}${hashlib.sha256(f'{salt}${code}'.encode()).hexdigest()}", created_at=now,
            expires_at=now + datetime.timedelta(minutes=SMS_CODE_MINUTES))
        masked = f"{user.phone[:3]}****{user.phone[-4:]}" if len(user.phone) >= 7 else "****"
        audit.record(user, "auth.sms_code_sent", user, zone_id=_zone_of(user), after={"phone": masked})
        # Sent inside the transaction: if the gateway fails, no usable code is left behind.
        sender.send(user.phone, f"【{otp.ISSUER}】您的登录验证码为 {code}，{SMS_CODE_MINUTES} 分钟内有效。请勿告诉他人。")
    return row
