import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from kaifaqu.core import tick


class Command(BaseCommand):
    help = "运行定时任务（幂等，可多机同时运行） / run the periodic jobs once (idempotent; safe on several hosts)"

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, metavar="SECONDS",
                            help="每隔 SECONDS 秒运行一次，直到被终止 / repeat every SECONDS until stopped")

    def handle(self, *args, loop, **options):
        while True:
            started = timezone.now()
            report = tick.run(started)
            parts = [f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) for name, counts in report]
            self.stdout.write(f"{timezone.localtime(started):%Y-%m-%d %H:%M:%S} tick — " + ("; ".join(parts) or "无任务"))
            if not loop:
                return
            close_old_connections()
            time.sleep(loop)
