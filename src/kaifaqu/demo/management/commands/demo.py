import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from kaifaqu.accounts.roles import Role
from kaifaqu.core.web.serving import add_serve_arguments, serve


class Command(BaseCommand):
    help = "加载演示开发区、打印演示账号并启动服务 / load the demo zone, print the demo logins, serve the site"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="清空数据库后重新加载 / wipe the database first")
        parser.add_argument("--no-serve", action="store_true", help="只加载，不启动服务 / load only")
        add_serve_arguments(parser)

    def handle(self, *args, reset, no_serve, host, port, workers, dev, no_tick, **options):
        if settings.PRODUCTION:
            self.stderr.write("生产模式（KAIFAQU_MODE=production）下不能加载演示数据。/ refusing: production mode")
            raise SystemExit(2)
        if reset:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        from kaifaqu.demo.loader import demo_password, is_loaded, load_demo

        started = time.perf_counter()
        fresh = not is_loaded()
        info = load_demo()
        took = time.perf_counter() - started
        self.stdout.write(("已加载演示开发区" if fresh else "演示开发区已存在（--reset 可重新加载）") + f"（{took:.1f} 秒）")
        kinds = "、".join(f"{k} {v}" for k, v in info["orgs_by_kind"].items())
        self.stdout.write(f"开发区 {info['zones']} 个；演示开发区：园区 {info['parks']} 个，{kinds}；人员 {info['staff']} 名")
        if info["modules"]:
            self.stdout.write("；".join(f"{label} {value}" for label, value in info["modules"].items()))
        self.stdout.write("")
        self.stdout.write(f"演示账号 / demo logins（密码 / password: {demo_password()}）")
        for username, role, org_name in info["users"]:
            self.stdout.write(f"  {username:<12} {Role(role).label:<12} {org_name or '（平台）'}")
        self.stdout.write("")
        if info["two_factor_required"]:
            roles = "、".join(Role(r).label for r in info["two_factor_required"])
            self.stdout.write(f"双因素认证：{roles}登录时须绑定并输入动态口令（账号安全 → 绑定手机验证器）")
        else:
            self.stdout.write("演示环境：双因素认证策略已设为可选（生产环境默认对三员和领导必选）；"
                              "可在“账号安全”中自愿绑定体验，安全管理员可在“双因素认证策略”中改为必选。")
        self.stdout.write("")
        if no_serve:
            return
        serve(self.stdout, host, port, workers, dev, no_tick)

    def _reset(self):
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            connection.close()
            path = Path(db["NAME"])
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.stdout.write(f"已删除数据库 {path}")
        else:
            # TRUNCATE does not fire the audit table's row trigger: resetting a demo database is allowed.
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("已清空数据库")
