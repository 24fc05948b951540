import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kaifaqu.core import audit
from kaifaqu.core.audit.models import AuditEvent
from kaifaqu.core.audit.views import AUDIT_LAYOUT
from kaifaqu.core.tabular import write_workbook


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链；export 导出 Excel / audit trail: verify the chain, export to .xlsx"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验哈希链 / verify the hash chain")
        export = sub.add_parser("export", help="导出 / export to .xlsx")
        export.add_argument("--from", dest="date_from", required=True, help="起始日期 YYYY-MM-DD（含）")
        export.add_argument("--to", dest="date_to", required=True, help="截止日期 YYYY-MM-DD（含）")
        export.add_argument("--out", required=True, help="输出文件 .xlsx")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self.verify()
        return self.export(options["date_from"], options["date_to"], options["out"])

    def verify(self):
        verdict = audit.verify()
        count, broken, reason = verdict
        anchor = verdict.anchor
        if not reason:
            self.stdout.write(f"{count} events, chain intact")
            self.stdout.write(f"审计日志共 {count} 条，哈希链完整。")
            if anchor.newest is not None:
                self.stdout.write(f"与外部锚点一致：最新检查点 #{anchor.newest.seq}（{anchor.newest.local_time}），"
                                  f"共 {len(anchor.checkpoints)} 个检查点，文件 {anchor.path}。")
            else:
                self.stdout.write(f"未找到外部锚点检查点（{anchor.path}），仅校验了数据库内的哈希链和链头；"
                                  "kaifaqu tick 每小时至少写入一次。")
            return
        if broken is not None:
            when = timezone.localtime(broken.created_at).strftime("%Y-%m-%d %H:%M:%S")
            self.stderr.write(f"broken at event #{broken.seq} ({when}, {broken.action}): {reason}")
            self.stderr.write(f"审计日志在第 #{broken.seq} 条处断裂：{reason}")
        elif verdict.seq is not None:
            self.stderr.write(f"broken from event #{verdict.seq} (after {count} intact events): {reason}")
            self.stderr.write(f"审计日志自第 #{verdict.seq} 条起断裂（前 {count} 条完整）：{reason}")
        else:
            self.stderr.write(f"audit anchor does not verify: {reason}")
            self.stderr.write(f"外部锚点校验未通过：{reason}")
        for problem in verdict.anchor_problems:
            if problem != reason:
                self.stderr.write(f"外部锚点校验未通过：{problem}")
        raise SystemExit(1)

    def export(self, date_from, date_to, out):
        try:
            start = datetime.date.fromisoformat(date_from)
            end = datetime.date.fromisoformat(date_to)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        if end < start:
            raise CommandError("截止日期不能早于起始日期。")
        if not out.lower().endswith(".xlsx"):
            raise CommandError("输出文件须以 .xlsx 结尾。")
        tz = timezone.get_default_timezone()
        lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        hi = datetime.datetime.combine(datetime.date.fromordinal(end.toordinal() + 1), datetime.time.min, tzinfo=tz)
        events = AuditEvent.objects.filter(created_at__gte=lo, created_at__lt=hi).order_by("seq")
        n = events.count()
        with open(out, "wb") as fh:
            fh.write(write_workbook(AUDIT_LAYOUT, events.iterator(chunk_size=2000)))
        self.stdout.write(f"exported {n} events to {out}")
        self.stdout.write(f"已导出 {n} 条审计记录到 {out}")
