"""Notifications: in-app messages, optional e-mail, kinds registered by modules."""

from .services import (  # noqa: F401
    KINDS,
    mark_read,
    register_kind,
    send,
    set_email_preference,
    unread_count,
)
