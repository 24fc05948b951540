import subprocess
import sys

import pytest
from django.core.management import call_command


def test_help_lists_commands_in_chinese_and_english():
    out = subprocess.run([sys.executable, "-m", "kaifaqu.cli", "--help"], capture_output=True, text=True, check=True)
    assert "加载演示开发区" in out.stdout and "load the demo zone" in out.stdout
    for command in ("demo", "serve", "audit verify", "audit export", "createadmins"):
        assert command in out.stdout


def test_demo_refuses_in_production(settings, db):
    settings.PRODUCTION = True
    with pytest.raises(SystemExit) as exc:
        call_command("demo", "--no-serve")
    assert exc.value.code == 2


def test_createadmins_from_environment(db, monkeypatch):
    from kaifaqu.accounts.models import User

    for key, name in (("SYS", "sys1"), ("SEC", "sec1"), ("AUDIT", "audit1")):
        monkeypatch.setenv(f"KAIFAQU_ADMIN_{key}_USER", name)
        monkeypatch.setenv(f"KAIFAQU_ADMIN_{key}_PASSWORD", "Admin@2026x")
    call_command("createadmins", "--noinput")
    roles = dict(User.objects.filter(username__in=["sys1", "sec1", "audit1"]).values_list("username", "role"))
    assert roles == {"sys1": "sys_admin", "sec1": "sec_admin", "audit1": "audit_admin"}
    assert all(User.objects.filter(username__in=roles).values_list("must_change_password", flat=True))


def test_createadmins_rejects_weak_password(db, monkeypatch):
    from django.core.management.base import CommandError

    for key in ("SYS", "SEC", "AUDIT"):
        monkeypatch.setenv(f"KAIFAQU_ADMIN_{key}_USER", f"{key.lower()}2")
        monkeypatch.setenv(f"KAIFAQU_ADMIN_{key}_PASSWORD", "weak")
    with pytest.raises(CommandError, match="密码"):
        call_command("createadmins", "--noinput")


def test_a_database_never_migrated_gets_a_clear_message(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "KAIFAQU_DATABASE_URL"}
    env.update(KAIFAQU_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="kaifaqu.settings")
    result = subprocess.run([sys.executable, "-c", "import sys; from kaifaqu.cli import main; sys.exit(main())",
                             "workdays", "add", "2026-02-13", "10"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2, result.stderr
    assert "请先运行 `kaifaqu migrate`" in result.stderr and "Traceback" not in result.stderr
