"""Logins, logouts, failures and lockouts go to the audit trail; login facts are kept for the next login banner."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from kaifaqu.core import audit, context

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


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    with transaction.atomic():
        user = User.objects.filter(username=username).select_related("org").first()
        if user is not None:
            User.objects.filter(pk=user.pk).update(failed_since_login=F("failed_since_login") + 1)
        audit.record(None, "auth.login_failed", user, actor_name=username, zone_id=_zone_of(user),
                     object_type="accounts.user", object_id=str(user.pk) if user else "", object_label=username)


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    user = User.objects.filter(username=username or "").select_related("org").first()
    audit.record(None, "auth.lockout", user, actor_name=username or "", zone_id=_zone_of(user),
                 object_type="accounts.user", object_id=str(user.pk) if user else "", object_label=username or "",
                 reason="连续登录失败 5 次，账号锁定 30 分钟")


def _zone_of(user):
    if user is None or not user.org_id:
        return None
    return user.org.zone_id
