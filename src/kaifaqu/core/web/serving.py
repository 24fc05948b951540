"""Serving the site (gunicorn, or runserver with --dev) with the tick worker beside it: `kaifaqu serve` and
`kaifaqu demo` share these."""

import atexit
import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command


def add_serve_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1", help="监听地址 / bind address")
    parser.add_argument("--port", type=int, default=8000, help="端口 / port")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("KAIFAQU_WORKERS", "3")),
                        help="gunicorn 工作进程数 / worker processes")
    parser.add_argument("--dev", action="store_true", help="使用开发服务器（自动重载） / Django runserver")
    parser.add_argument("--no-tick", action="store_true",
                        help="不在本进程旁运行定时任务（改由 cron/systemd 运行 kaifaqu tick） / don't run tick every minute")


def start_tick_loop(stdout):
    """`kaifaqu tick --loop 60` beside the web server, stopped when the server stops."""
    process = subprocess.Popen([sys.executable, "-m", "kaifaqu.cli", "tick", "--loop", "60"])  # noqa: S603
    atexit.register(process.terminate)
    stdout.write(f"tick worker started (pid {process.pid}, every 60 s)")
    return process


def serve(stdout, host, port, workers, dev, no_tick=False):
    if not no_tick:
        start_tick_loop(stdout)
    if dev:
        call_command("runserver", f"{host}:{port}")
        return
    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    stdout.write(f"serving http://{host}:{port} (gunicorn, {workers} workers) — Ctrl+C 停止")
    sys.stdout.flush()
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = ["gunicorn", "kaifaqu.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers),
                "--access-logfile", "-", "--timeout", "120", "--graceful-timeout", "20"]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
