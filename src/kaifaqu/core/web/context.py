"""Per-request context (IP, user agent) for the audit trail, set by middleware, read by services."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str = ""
    user_agent: str = ""
    channel: str = "system"  # web | api | cli | system


_current = contextvars.ContextVar("kaifaqu_request_info", default=RequestInfo())  # noqa: B039 (frozen dataclass)


def current() -> RequestInfo:
    return _current.get()


def set_current(info: RequestInfo):
    return _current.set(info)


def reset(token) -> None:
    _current.reset(token)


def client_ip(request) -> str:
    # Behind a proxy the deployment sets KAIFAQU_PROXY_COUNT; axes resolves the same way.
    from django.conf import settings

    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= count:
            return parts[-count]
    return request.META.get("REMOTE_ADDR", "") or ""
