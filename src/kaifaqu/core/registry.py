"""One registration point per module.

A module's ``AppConfig`` subclasses :class:`ModuleConfig` and declares, as class attributes, everything the
platform needs to wire it: its permissions and the roles that hold them by default, its API routes and page
URLconf, its menu entries, tick jobs, importers, attachable models, workbench entries and command-line help.
``ready()`` registers them here; ``urls.py``, the menu, ``kaifaqu tick``, the import pages, the 工作台 and
``kaifaqu --help`` read them.
Adding the app to ``INSTALLED_APPS`` is the only wiring step outside the module's own files.

Callables are named by dotted path (``"kaifaqu.org.importers.STAFF_IMPORTER"``) so that the declarations stay
importable before Django is set up (``kaifaqu --help`` reads ``cli_help`` without settings).
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

# The three administrator duties (三员). A permission that belongs to one of them is held by that administrator
# role only; see kaifaqu.accounts.roles for the check.
DUTIES = ("system", "security", "audit")


@dataclass(frozen=True)
class Menu:
    """One menu group's entries: ``items`` are ``(label, url name, permission, icon, order)``."""

    key: str
    label: str
    order: int
    items: tuple[tuple[str, str, str, str, int], ...]


@dataclass(frozen=True)
class Permission:
    code: str
    label: str
    app_label: str
    duty: str = ""  # "" for business permissions, else one of DUTIES
    shared: bool = False  # business reference data an administrator may also read (the org tree)


class ModuleConfig(AppConfig):
    """Base ``AppConfig`` of a kaifaqu module. Every attribute is optional."""

    # Django picks the one AppConfig subclass with a true ``default`` in a module's apps.py: the base (imported
    # there) never, each subclass always unless it says otherwise.
    default = False

    # code -> Chinese label shown on the role page
    permissions: dict[str, str] = {}
    # code -> one of DUTIES, for permissions that belong to an administrator's duty (三员)
    duties: dict[str, str] = {}
    # codes of business permissions that administrator roles may also hold (read-only reference data)
    shared_permissions: frozenset[str] = frozenset()
    # role value -> codes that role holds by default (codes may be declared by any module)
    default_grants: dict[str, set[str]] = {}
    # dotted modules whose ROUTES = [(prefix, viewset, basename)] join the API router under /api/v1/
    api_routes: tuple[str, ...] = ()
    # (route, dotted view class, url name): plain API views under /api/v1/
    api_views: tuple[tuple[str, str, str], ...] = ()
    # (namespace, dotted URLconf): pages mounted at /<namespace>/
    pages: tuple[tuple[str, str], ...] = ()
    menu: tuple[Menu, ...] = ()
    # (job name, dotted callable(now) -> dict): run by `kaifaqu tick`, in declaration order
    tick_jobs: tuple[tuple[str, str], ...] = ()
    # dotted core.imports.engine.Importer instances
    importers: tuple[str, ...] = ()
    # (model label, permission to attach files): models that take attachments (core.files)
    attachables: tuple[tuple[str, str], ...] = ()
    # dotted callables(user, scope, today) -> core.workbench.Entry | None
    workbench: tuple[str, ...] = ()
    # (usage, description) lines of the module's management commands for `kaifaqu --help`
    cli_help: tuple[tuple[str, str], ...] = ()
    # modules that register the Chinese labels of this module's codes (core.labels), imported at start-up
    labels: tuple[str, ...] = ()
    # {"app.model": {field: permission}}: pay, personal phones, ID numbers (core.sensitive)
    sensitive_fields: dict[str, dict[str, str]] = {}
    # dotted modules with ``load(zone, neighbour)`` that adds this module's demo rows (through its services, after the
    # zones, orgs and users exist; `kaifaqu demo` calls them in INSTALLED_APPS order inside its one transaction) and
    # ``figures(zone) -> dict[str, object]``: the Chinese-labelled figures the demo prints, computed from the rows
    demo: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self):
        register(self)


_registered: dict[str, ModuleConfig] = {}
_workbench: dict[str, list] = {}


def register(config: ModuleConfig) -> None:
    """Register one module's declarations (idempotent: a second call replaces the first)."""
    from kaifaqu.core import files, tick
    from kaifaqu.core.imports import engine
    from kaifaqu.core.web import menu

    _registered[config.label] = config
    for group in config.menu:
        menu.register(group.key, group.label, group.order,
                      *(menu.MenuItem(label, url_name, perm, icon, order)
                        for label, url_name, perm, icon, order in group.items))
    for name, dotted in config.tick_jobs:
        tick.register_job(name, import_string(dotted))
    for dotted in config.importers:
        engine.register(import_string(dotted))
    for model_label, perm in config.attachables:
        files.register_attachable(model_label, perm)
    _workbench[config.label] = [import_string(dotted) for dotted in config.workbench]
    for dotted in config.labels:
        import_module(dotted)
    from kaifaqu.core import sensitive

    for model_label, fields in config.sensitive_fields.items():
        sensitive.register(model_label, fields)


def modules() -> list[ModuleConfig]:
    """The registered modules, in ``INSTALLED_APPS`` order."""
    return [c for c in apps.get_app_configs() if c.label in _registered]


def api_routes() -> list[tuple[str, object, str]]:
    routes = []
    for config in modules():
        for dotted in config.api_routes:
            routes.extend(import_string(f"{dotted}.ROUTES"))
    return routes


def api_views() -> list[tuple[str, object, str]]:
    return [(route, import_string(view), name) for config in modules() for route, view, name in config.api_views]


def pages() -> list[tuple[str, str]]:
    return [page for config in modules() for page in config.pages]


def workbench_entries() -> list:
    return [fn for config in modules() for fn in _workbench.get(config.label, ())]


def declared_permissions(configs=None) -> tuple[list[Permission], dict[str, set[str]]]:
    """Every module's permissions and default grants, read from the app configs' declarations.

    Read from the classes, not from what ``ready()`` registered, so that it is complete whichever app's
    ``ready()`` asks first. Raises ``ImproperlyConfigured`` on a code declared twice or a duty that does not exist.
    """
    if configs is None:
        configs = [c for c in apps.get_app_configs() if isinstance(c, ModuleConfig)]
    declared: dict[str, Permission] = {}
    grants: dict[str, set[str]] = {}
    for config in configs:
        for code, label in config.permissions.items():
            if code in declared:
                raise ImproperlyConfigured(f"权限 {code} 重复声明（{declared[code].app_label}、{config.label}）")
            duty = config.duties.get(code, "")
            if duty and duty not in DUTIES:
                raise ImproperlyConfigured(f"权限 {code} 的三员职责 {duty} 无效")
            declared[code] = Permission(code, label, config.label, duty, code in config.shared_permissions)
        for role, codes in config.default_grants.items():
            grants.setdefault(str(role), set()).update(codes)
    return list(declared.values()), grants


def demo_modules() -> list:
    return [import_module(dotted) for config in modules() for dotted in config.demo]


def cli_help_lines(configs) -> list[tuple[str, str]]:
    return [line for config in configs for line in config.cli_help]
