"""Per-organisation webhooks: a JSON POST signed with HMAC-SHA256 for each notification to the organisation,
delivered by `kaifaqu tick` with a timeout and retried with back-off; the delivery log is kept."""

import datetime
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kaifaqu.core import audit, crypto
from kaifaqu.core.access import is_system, scope_of
from kaifaqu.core.errors import Forbidden, InvalidInput, RuleViolation
from kaifaqu.core.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery

TIMEOUT_SECONDS = 10
BACKOFF_MINUTES = (1, 5, 30, 120, 720)  # after the 6th failed attempt the delivery is given up
STALE_CLAIM = datetime.timedelta(minutes=5)
BATCH = 200


def _check_url(url: str):
    if not url.startswith(("https://", "http://")):
        raise InvalidInput("接收地址须以 http:// 或 https:// 开头。", fields={"url": ["接收地址须以 http:// 或 https:// 开头。"]})


def do_create_webhook(actor, org, *, url: str) -> tuple[Webhook, str]:
    """A zone manager (webhooks.manage) for any organisation of the zone. Returns the webhook and its secret, which is
    shown once and kept sealed (SM4) at rest."""
    scope = scope_of(actor)
    if not is_system(actor) and (not scope.has("webhooks.manage") or org.zone_id not in scope.zone_ids):
        raise Forbidden("您没有为该单位配置 Webhook 的权限。")
    _check_url(url)
    secret = secrets.token_hex(24)
    with transaction.atomic():
        webhook = Webhook.objects.create(zone_id=org.zone_id, org_id=org.pk, org_name=org.name, url=url,
                                         secret_sealed=crypto.seal(secret.encode(), purpose="webhook-secret"),
                                         created_at=timezone.now())
        audit.record(actor, "webhook.create", webhook, zone_id=org.zone_id, after={"org_id": org.pk, "url": url})
    return webhook, secret


def do_set_active(actor, webhook, *, active: bool) -> Webhook:
    scope = scope_of(actor)
    if not is_system(actor) and (not scope.has("webhooks.manage") or webhook.zone_id not in scope.zone_ids):
        raise Forbidden("您没有修改该 Webhook 的权限。")
    if webhook.is_active == active:
        raise RuleViolation("Webhook 已处于该状态。")
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook.pk).update(is_active=active)
        webhook.is_active = active
        audit.record(actor, "webhook.enable" if active else "webhook.disable", webhook, zone_id=webhook.zone_id)
    return webhook


def enqueue(org_ids, kind: str, payload: dict) -> int:
    """Called by notify.send inside the sender's transaction: one delivery per active webhook of the orgs."""
    now = timezone.now()
    rows = [WebhookDelivery(zone_id=w.zone_id, webhook=w, kind=kind, payload=payload, next_attempt_at=now,
                            created_at=now)
            for w in Webhook.objects.filter(org_id__in=list(org_ids), is_active=True)]
    WebhookDelivery.objects.bulk_create(rows)
    return len(rows)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(webhook: Webhook, delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps({"id": delivery.pk, "kind": delivery.kind, "created_at": delivery.created_at.isoformat(),
                       "data": delivery.payload}, ensure_ascii=False, sort_keys=True).encode()
    request = urllib.request.Request(webhook.url, data=body, method="POST", headers={  # noqa: S310 (http/https only)
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "kaifaqu-webhook/1",
        "X-Kaifaqu-Event": delivery.kind,
        "X-Kaifaqu-Delivery": str(delivery.pk),
        "X-Kaifaqu-Signature": sign(webhook.secret, body),
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def deliver_due(now) -> dict:
    """Tick job. Claims each due delivery with a conditional UPDATE, posts it, records the outcome."""
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ids = list(WebhookDelivery.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:BATCH])
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    for pk in ids:
        claimed = WebhookDelivery.objects.filter(due, pk=pk).update(status=DeliveryStatus.SENDING, claimed_at=now)
        if not claimed:
            continue  # another tick took it
        delivery = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
        code, error = _post(delivery.webhook, delivery)
        attempts = delivery.attempts + 1
        if code is not None and 200 <= code < 300:
            WebhookDelivery.objects.filter(pk=pk).update(status=DeliveryStatus.DELIVERED, attempts=attempts,
                                                         last_status_code=code, last_error="",
                                                         delivered_at=timezone.now())
            counts["delivered"] += 1
        elif attempts > len(BACKOFF_MINUTES):
            WebhookDelivery.objects.filter(pk=pk).update(status=DeliveryStatus.FAILED, attempts=attempts,
                                                         last_status_code=code, last_error=error)
            counts["failed"] += 1
        else:
            WebhookDelivery.objects.filter(pk=pk).update(
                status=DeliveryStatus.PENDING, attempts=attempts, last_status_code=code, last_error=error,
                next_attempt_at=now + datetime.timedelta(minutes=BACKOFF_MINUTES[attempts - 1]))
            counts["retry"] += 1
    return counts
