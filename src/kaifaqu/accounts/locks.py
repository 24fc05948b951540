"""Login locks as django-axes keeps them (its own AccessAttempt table), read with axes' own settings helpers.

Axes locks a username when the failures recorded for it within the cool-off window reach the failure limit
(AXES_LOCKOUT_PARAMETERS = ["username"]). Single checks go through ``AxesProxyHandler.is_locked``; lists annotate
the same sum in SQL so a page of users costs one query whatever its size.
"""

import datetime
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import IntegerField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone


def failure_limit() -> int:
    return get_failure_limit(HttpRequest(), {})


def cool_off() -> datetime.timedelta:
    return get_cool_off(None) or datetime.timedelta(0)


def lock_message() -> str:
    minutes = int(cool_off().total_seconds() // 60)
    return f"该账号因连续 {failure_limit()} 次登录失败已被锁定 {minutes} 分钟。请稍后再试，或联系安全管理员解锁。"


def is_locked(username: str) -> bool:
    """Axes' own answer for this username (a bare request: we lock by username, not by address)."""
    return AxesProxyHandler.is_locked(HttpRequest(), get_credentials(username))


def _recent(threshold):
    return (AccessAttempt.objects.filter(username=OuterRef("username"), attempt_time__gte=threshold)
            .order_by().values("username"))


def annotate_lock_state(queryset):
    """Add ``recent_failures`` and ``last_failure_at`` (failures inside the cool-off window) to a User queryset."""
    threshold = timezone.now() - cool_off()
    recent = _recent(threshold)
    return queryset.annotate(
        recent_failures=Coalesce(
            Subquery(recent.annotate(n=Sum("failures_since_start")).values("n")[:1], output_field=IntegerField()), 0),
        last_failure_at=Subquery(recent.annotate(t=Max("attempt_time")).values("t")[:1]),
    )


def locked_usernames():
    """Subquery of the usernames locked now (for the 锁定状态 filter)."""
    threshold = timezone.now() - cool_off()
    return (AccessAttempt.objects.filter(attempt_time__gte=threshold).order_by().values("username")
            .annotate(n=Sum("failures_since_start")).filter(n__gte=failure_limit()).values("username"))


@dataclass(frozen=True)
class LockState:
    failures: int
    locked: bool
    until: datetime.datetime | None

    @property
    def label(self) -> str:
        if self.locked:
            return f"已锁定（至 {timezone.localtime(self.until):%Y-%m-%d %H:%M}）" if self.until else "已锁定"
        if self.failures:
            return f"正常（近期失败 {self.failures} 次）"
        return "正常"


def lock_state(user) -> LockState:
    """From a user annotated by ``annotate_lock_state`` (or, without the annotation, one query)."""
    failures = getattr(user, "recent_failures", None)
    last = getattr(user, "last_failure_at", None)
    if failures is None:
        annotated = annotate_lock_state(type(user)._base_manager.filter(pk=user.pk)).values(
            "recent_failures", "last_failure_at").first() or {}
        failures, last = annotated.get("recent_failures") or 0, annotated.get("last_failure_at")
    locked = failures >= failure_limit()
    return LockState(failures=failures, locked=locked, until=(last + cool_off()) if locked and last else None)
