"""`kaifaqu` — the command line. Our commands are Django management commands; any other Django command works too."""

import importlib
import importlib.util
import os
import pkgutil
import sys

HEADER = """kaifaqu — 开发区管理运行平台 / development zone operating platform

用法 / usage: kaifaqu <command> [options]

"""
FOOTER = """  migrate, check, shell, …
        任何 Django 管理命令 / any Django management command

环境变量 / environment: KAIFAQU_MODE, KAIFAQU_DATABASE_URL, KAIFAQU_SECRET_KEY, KAIFAQU_AUDIT_KEY, … (docs/deploy.md)
"""


def module_configs() -> list:
    """Each module's AppConfig class (kaifaqu.<module>.apps), read without setting Django up: help must work
    before settings can be loaded (a production host whose secrets are not in this shell)."""
    import kaifaqu
    from kaifaqu.core.registry import ModuleConfig

    found = []
    for info in pkgutil.iter_modules(kaifaqu.__path__):
        if not info.ispkg or importlib.util.find_spec(f"kaifaqu.{info.name}.apps") is None:
            continue
        module = importlib.import_module(f"kaifaqu.{info.name}.apps")
        found.extend(obj for obj in vars(module).values()
                     if isinstance(obj, type) and issubclass(obj, ModuleConfig) and obj is not ModuleConfig)
    return found


def help_text() -> str:
    from kaifaqu.core.registry import cli_help_lines

    lines = "".join(f"  {usage}\n        {text}\n" for usage, text in cli_help_lines(module_configs()))
    return HEADER + lines + FOOTER


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        sys.stdout.write(help_text())
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.settings")
    if argv[0] in {"seed-scale", "workflow-diagram"}:
        argv[0] = argv[0].replace("-", "_")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["kaifaqu", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (OperationalError, ProgrammingError) as exc:
        # A database that was never migrated (or is out of date) is the usual cause on a new machine.
        sys.stderr.write(f"数据库尚未初始化或版本过旧，请先运行 `kaifaqu migrate`（或 `make demo`）。\n"
                         f"database not ready: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
