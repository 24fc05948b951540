"""One registration point per module: what each AppConfig declares is what the platform serves and runs."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from kaifaqu.core import registry, tick
from kaifaqu.core.imports.engine import IMPORTERS
from kaifaqu.core.web import menu

SRC = Path(__file__).resolve().parents[2] / "src" / "kaifaqu"


def test_every_module_of_installed_apps_registers_itself(settings):
    names = [m.name for m in registry.modules()]
    assert [n for n in names if n in settings.KAIFAQU_APPS] == settings.KAIFAQU_APPS
    assert set(settings.KAIFAQU_APPS) <= set(settings.INSTALLED_APPS)


def test_the_api_router_and_pages_come_from_the_declarations(client, db):
    routes = registry.api_routes()
    assert {prefix for prefix, _, _ in routes} >= {"zones", "staff", "users", "audit-events", "imports",
                                                     "calendar/overrides", "notifications", "attachments"}
    for _, _, basename in routes:
        assert reverse(f"{basename}-list").startswith("/api/v1/")
    for route, _, name in registry.api_views():
        assert reverse(name) == f"/api/v1/{route}"
    namespaces = [namespace for namespace, _ in registry.pages()]
    assert len(namespaces) == len(set(namespaces)) and {"core", "accounts", "org"} <= set(namespaces)
    assert set(namespaces) <= {config.label for config in registry.modules()}  # each module mounts its own
    assert reverse("org:staff-list") == "/org/staff/" and reverse("core:audit-list") == "/core/audit/"


def test_menu_tick_jobs_and_importers_come_from_the_declarations():
    assert [name for name, _ in tick.JOBS] == ["clocks", "clock_ladder", "imports", "webhooks", "audit_anchor"]
    from django.utils.module_loading import import_string

    declared = {import_string(d).name for m in registry.modules() for d in m.importers}
    assert {"staff", "orgs"} <= declared
    assert set(IMPORTERS) == {"workday_overrides"} | declared
    from kaifaqu.core.files.services import ATTACHABLE

    ours = {k: v for k, v in ATTACHABLE.items() if not k.startswith("kitapp.")}  # the test-only app adds its own
    assert {"org.org": "org.change", "org.staff": "staff.change", "org.reorgevent": "org.change"}.items() <= ours.items()
    assert ours == {label: perm for m in registry.modules() for label, perm in m.attachables}
    labels = {item.label for group in menu._groups.values() for item in group.items}
    assert {"人员", "用户管理", "审计日志", "工作日历"} <= labels
    assert {fn.__module__ for fn in registry.workbench_entries()} >= {
        "kaifaqu.core.imports.workbench", "kaifaqu.core.notify.workbench", "kaifaqu.core.calendar.workbench",
        "kaifaqu.org.workbench"} | {dotted.rsplit(".", 1)[0] for m in registry.modules() if m.label != "org"
                                    for dotted in m.workbench}


def commands():
    """Every management command our modules define, as typed after `kaifaqu`."""
    return sorted(p.stem.replace("_", "-") for p in SRC.glob("*/management/commands/*.py") if p.stem != "__init__")


def test_help_lists_every_command_without_setting_django_up(tmp_path):
    # Production mode without its secrets: loading the settings would refuse, so help must not need them.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAIFAQU_", "DJANGO_"))}
    env.update(KAIFAQU_MODE="production", KAIFAQU_VAR_DIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "kaifaqu.cli", "--help"], capture_output=True, text=True,
                         env=env, check=True, timeout=60).stdout
    listed = {line.split()[0] for line in out.splitlines() if line.startswith("  ") and not line.startswith("   ")}
    assert set(commands()) <= listed, set(commands()) - listed
    assert "createadmins" in commands() and "demo" in commands()
    assert "migrate, check, shell" in out and "环境变量" in out


def test_core_names_the_tenant_by_setting(settings):
    from django.apps import apps

    from kaifaqu.core.tenancy import org_model, tenant_model

    assert tenant_model() is apps.get_model(settings.KAIFAQU_TENANT_MODEL) and tenant_model()._meta.label == "org.Zone"
    assert org_model()._meta.label == "org.Org"
    core_fks = [f for m in apps.get_app_config("core").get_models() for f in m._meta.fields
                if f.is_relation and f.related_model is tenant_model()]
    assert {f.model._meta.model_name for f in core_fks} == {"importjob", "workdayoverride", "workingperiod"}
    core_sources = [p for p in (SRC / "core").rglob("*.py") if "migrations" not in p.parts]
    assert not [p.name for p in core_sources if '"org.Zone"' in p.read_text() or 'get_model("org"' in p.read_text()]


def test_commands_live_with_their_module_and_share_core_helpers():
    import ast

    from django.core.management import get_commands

    assert get_commands()["createadmins"] == "kaifaqu.accounts"
    imported = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.relative_to(SRC).parts[0], node.module))
    # No module imports another's command module; `demo` and `serve` share core.web.serving.
    assert not {(pkg, mod) for pkg, mod in imported if ".management.commands" in mod}
    assert ("demo", "kaifaqu.core.web.serving") in imported
