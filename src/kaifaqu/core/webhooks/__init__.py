"""Webhooks: an organisation's endpoints receive signed JSON events; deliveries retried by tick."""

from .services import (  # noqa: F401
    BACKOFF_MINUTES,
    BATCH,
    STALE_CLAIM,
    TIMEOUT_SECONDS,
    deliver_due,
    do_create_webhook,
    do_set_active,
    enqueue,
    sign,
)
