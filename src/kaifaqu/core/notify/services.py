"""Notifications: an in-app inbox per user, plus email for the kinds a user chose.

Modules register their kinds (``register_kind("whistle.overdue", "吹哨逾期")``) and call ``send`` inside their
service transaction; the email goes out after commit so a rolled-back change sends nothing.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kaifaqu.core.notify.models import Notification, NotificationPreference

log = logging.getLogger(__name__)

KINDS: dict[str, str] = {}


def register_kind(kind: str, label: str) -> None:
    KINDS[kind] = label


register_kind("system.message", "系统消息")


def _recipients(users=(), orgs=()):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    seen = {}
    for user in users:
        if user is not None and user.is_active:
            seen[user.pk] = user
    org_ids = [getattr(o, "pk", o) for o in orgs]
    if org_ids:
        for user in User.objects.filter(org_id__in=org_ids, is_active=True):
            seen.setdefault(user.pk, user)
    return list(seen.values())


def send(kind: str, title: str, *, users=(), orgs=(), body: str = "", url: str = "", obj=None, zone_id=None):
    """Deliver to the given users and to every active user of the given organisations. Returns the rows."""
    if kind not in KINDS:
        raise ValueError(f"unregistered notification kind {kind!r}")
    recipients = _recipients(users, orgs)
    if obj is not None and zone_id is None:
        zone_id = getattr(obj, "zone_id", None)
    if orgs:
        from kaifaqu.core import webhooks

        webhooks.enqueue([getattr(o, "pk", o) for o in orgs], kind, {
            "title": title, "body": body, "url": url, "zone_id": zone_id,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
        })
    if not recipients:
        return []
    now = timezone.now()
    rows = Notification.objects.bulk_create([
        Notification(zone_id=zone_id, recipient=user, kind=kind, title=title[:200], body=body, url=url[:300],
                     object_type=obj._meta.label_lower if obj is not None else "",
                     object_id=str(obj.pk) if obj is not None else "", created_at=now)
        for user in recipients
    ])
    wants_email = set(NotificationPreference.objects.filter(
        user__in=recipients, kind=kind, email=True).values_list("user_id", flat=True))
    to_email = [(row, user) for row, user in zip(rows, recipients, strict=True) if user.pk in wants_email and user.email]
    if to_email and settings.EMAIL_HOST:
        transaction.on_commit(lambda: _email(to_email))
    return rows


def _email(pairs):
    for row, user in pairs:
        try:
            send_mail(f"[开发区管理运行平台] {row.title}", row.body or row.title, settings.DEFAULT_FROM_EMAIL,
                      [user.email], fail_silently=False)
        except OSError:
            log.exception("notification email to %s failed", user.pk)
            continue
        Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def mark_read(user, notification=None) -> int:
    """Mark one (or, without ``notification``, all) of the user's notifications read. Returns how many changed."""
    qs = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


def set_email_preference(user, kind: str, email: bool) -> NotificationPreference:
    if kind not in KINDS:
        raise ValueError(f"unregistered notification kind {kind!r}")
    from kaifaqu.core import audit

    with transaction.atomic():
        pref, _ = NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
        audit.record(user, "notification.preference", user, after={"kind": kind, "email": email})
    return pref
