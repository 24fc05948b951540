"""Menu registry: each module registers its entries in AppConfig.ready(); the shell shows those the role may use."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    perm: str
    icon: str = "circle"
    order: int = 100


@dataclass
class MenuGroup:
    key: str
    label: str
    order: int
    items: list = field(default_factory=list)


_groups: dict[str, MenuGroup] = {}
# Menu conditions that are not one permission: name -> fn(scope) -> bool (e.g. "may use some importer").
_checks: dict = {}


def register_check(name: str, check) -> None:
    _checks[name] = check


def _allowed(scope, perm: str) -> bool:
    if not perm:
        return True
    check = _checks.get(perm)
    return check(scope) if check is not None else scope.has(perm)


def register(group_key: str, group_label: str, group_order: int, *items: MenuItem) -> None:
    group = _groups.setdefault(group_key, MenuGroup(group_key, group_label, group_order))
    for item in items:
        if item not in group.items:
            group.items.append(item)


def menu_for(scope, current_path: str = "") -> list[dict]:
    result = []
    for group in sorted(_groups.values(), key=lambda g: g.order):
        entries = []
        for item in sorted(group.items, key=lambda i: i.order):
            if not _allowed(scope, item.perm):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": item.label, "url": url, "icon": item.icon,
                            "active": current_path.startswith(url) and url != "/"})
        if entries:
            result.append({"label": group.label, "items": entries})
    return result
