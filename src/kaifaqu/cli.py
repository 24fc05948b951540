"""`kaifaqu` — the command line. Our commands are Django management commands; any other Django command works too."""

import os
import sys

HELP = """kaifaqu — 开发区管理运行平台 / development zone operating platform

用法 / usage: kaifaqu <command> [options]

  demo [--reset] [--no-serve] [--host H] [--port P]
        加载演示开发区并启动服务（仅演示模式） / load the demo zone and serve it (demo mode only)
  serve [--dev] [--host H] [--port P] [--workers N] [--no-tick]
        启动网站（gunicorn；--dev 用开发服务器；每分钟运行定时任务） / serve the site (gunicorn; --dev uses
        runserver; runs tick every minute unless --no-tick)
  tick [--loop SECONDS]
        运行定时任务（幂等） / run the periodic jobs (idempotent, safe on several hosts)
  audit verify
        校验审计日志哈希链 / verify the audit trail's hash chain (exit 1 names the first broken event)
  audit export --from DATE --to DATE --out FILE.xlsx
        导出审计日志 / export the audit trail to a spreadsheet
  deadline START LIMIT {workdays,days,workhours,hours} [--pause FROM/TO]… [--zone CODE]
        计算时限到期时间（法定节假日、调休、暂停） / print a limit's due time as the platform computes it
  workdays add DATE N | between A B | is DATE [--zone CODE]
        工作日计算（法定节假日、调休、本区调整） / working-day arithmetic on the official calendar
  seed-scale [--zones N] [--orgs-per-zone N] [--enterprises N] [--staff N] [--seed N]
        生成大规模基准数据（确定性，仅非生产模式） / insert a large deterministic province (not in production)
  workflow-diagram APP.MODEL
        打印流程状态图（Mermaid） / print a workflow's state table as a Mermaid stateDiagram-v2
  createadmins [--noinput]
        创建三员（系统、安全、审计管理员） / create the system, security and audit administrators
  resettwofactor USERNAME --reason TEXT
        重置用户的双因素认证（审计） / reset a user's second factor (audited), e.g. a security administrator's
  migrate, check, shell, …
        任何 Django 管理命令 / any Django management command

环境变量 / environment: KAIFAQU_MODE, KAIFAQU_DATABASE_URL, KAIFAQU_SECRET_KEY, KAIFAQU_AUDIT_KEY, … (docs/deploy.md)
"""


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        sys.stdout.write(HELP)
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
