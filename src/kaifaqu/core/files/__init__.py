"""Attachments: size, type and shape checked, stored content-addressed, scoped to the owning object."""

from .services import (  # noqa: F401
    ATTACHABLE,
    DEFAULT_ALLOWED,
    TYPES,
    allowed_types,
    attach,
    attachable_kinds,
    attachment_path,
    download,
    for_object,
    max_bytes,
    measure,
    register_attachable,
    resolve_owner,
    safe_name,
    sniff,
    withdraw,
    write_once,
)
