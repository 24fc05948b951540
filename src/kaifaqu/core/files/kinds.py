"""Which models take attachments: model label -> the permission needed to attach to / withdraw from such an
object. Modules register in ready() (core.registry ``attachables``); read by the services and the queryset."""

ATTACHABLE: dict[str, str] = {}


def register_attachable(model_label: str, perm: str) -> None:
    ATTACHABLE[model_label] = perm


def attachable_kinds() -> list[str]:
    return list(ATTACHABLE)
