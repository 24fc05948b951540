"""Logins, logouts, failures and lockouts go to the audit trail; login facts are kept for the next login banner."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from kaifaqu.core import audit
from kaifaqu.core.web import context

from . import locks
from .models import User


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session["login_banner"] = {
            "previous_at": (timezone.localtime(user.previous_login_at).strftime("%Y-%m-%d %H:%M")
                            if user.previous_login_at else None),
            "previous_ip": user.previous_login_ip,
            "failures": user.failed_since_login,
        }
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            previous_login_at=timezone.now(), previous_login_ip=context.current().ip, failed_since_login=0
        )
        audit.record(user, "auth.login", user, zone_id=_zone_of(user))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, "auth.logout", user, zone_id=_zone_of(user))


def _lock_outcome(request) -> tuple[bool, bool]:
    """(this failure locked the account, the attempt was refused because it already was).

    Axes' receiver of ``user_login_failed`` runs before ours (its app is installed first) and leaves on the request
    whether the username is now locked and the failures counted in the cool-off window (None when axes refused the
    attempt without counting it, with AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off)."""
    if request is None or not getattr(request, "axes_locked_out", False):
        return False, False
    failures = getattr(request, "axes_failures_since_start", None)
    limit = locks.failure_limit()
    if failures is None or failures > limit:
        return False, True
    return True, False


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")[:150]
    locked_now, refused = _lock_outcome(request)
    with transaction.atomic():
        user = User.objects.filter(username=username).select_related("org").first()
        if user is not None:
            User.objects.filter(pk=user.pk).update(failed_since_login=F("failed_since_login") + 1)
        target = {"actor_name": username, "zone_id": _zone_of(user), "object_type": "accounts.user",
                  "object_id": str(user.pk) if user else "", "object_label": username}
        # A wrong second-factor code (two_factor.report_failure) counts like a wrong password but is named apart.
        factor = (credentials or {}).get("second_factor")
        action = "auth.otp_failed" if factor else "auth.login_failed"
        reason = "账号已锁定，登录被拒绝" if refused else (f"{factor}错误" if factor else "")
        audit.record(None, action, user, reason=reason, **target)
        if locked_now:
            minutes = int(locks.cool_off().total_seconds() // 60)
            audit.record(None, "auth.lockout", user, **target,
                         reason=f"连续登录失败 {locks.failure_limit()} 次，账号锁定 {minutes} 分钟")


def _zone_of(user):
    if user is None or not user.org_id:
        return None
    return user.org.zone_id
